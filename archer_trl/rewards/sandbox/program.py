"""One program through one executor: the run settings, the verdict, and `run_suite`, the trusted side of a
program's tests (send them one at a time, judge each reply, stop where the settings say). `pool.SandboxPool` runs
these on its executors; see its module for the sandbox itself."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .executor import Executor, ProgramGone, SandboxError

DEFAULT_OUTPUT_LIMIT = 32 << 20


class Case(Protocol):
    input: Any  # stdin text or the call's argument list; never an expected output (the judge holds those)


class Suite(Protocol):
    """What the pool needs of a test suite (the code reward's `CodeTestSuite` is one)."""

    kind: str  # "stdin" | "call" | "assert"
    cases: Sequence[Case]
    fn_name: str | None
    harness: str | None


Judge = Callable[[Any, int, dict], str]  # (suite, test index, reply) -> "pass", "wrong", "error", "timeout", ...


@dataclass
class RunSettings:
    """How one program is run."""

    test_timeout: float = 6.0  # wall-clock seconds per test (CPU limit: that, rounded up, + 1)
    stop_on_failure: bool = True
    program_timeout: float | None = None  # total wall-clock budget per program (None: tests x test_timeout)
    # bytes of stdout per test. Fixed, never derived from the expected output: a program can read its rlimits
    output_limit: int = DEFAULT_OUTPUT_LIMIT
    # how siblings (programs with the same tests) are scheduled: "hold" or "spread" (schedule.py)
    siblings: str = "hold"


@dataclass
class Verdict:
    """What happened to one program: per-test statuses (``pass``, ``wrong``, ``error``, ``timeout``,
    ``output_limit``) and, when the machinery failed or the tests cannot be judged this way,
    ``infrastructure_error`` (the sample is not scored)."""

    passed: int
    total: int
    statuses: list[str] = field(default_factory=list)
    infrastructure_error: str | None = None
    first_failure: dict[str, Any] | None = None


class UnjudgeableTests(Exception):  # noqa: N818
    """The row's assert tests pass something other than plain data to the solution."""


def run_suite(
    executor: Executor,
    code: str,
    suite: Suite,
    settings: RunSettings,
    judge: Judge,
    defer: list | None = None,
    on_arrival: Callable[[], None] | None = None,
) -> Verdict:
    """Run ``code`` against ``suite`` in a fresh program sandbox of a started executor; ``judge`` (trusted) gives
    every reply its status. With ``defer``, a program that ran to its end is torn down later, by the callable
    appended there (see `SandboxPool.run`: its mounts and the next init's stay as they are until its siblings start)."""
    config = executor.config
    limits = {"cpu_seconds": max(1, math.ceil(settings.test_timeout)) + 1, "memory_bytes": config.memory_bytes,
              "open_files": config.open_files,
              "processes": config.processes if config.backend == "bwrap" else 0}  # fmt: skip
    verdict = Verdict(0, len(suite.cases))
    channel = executor.open_program()  # SandboxError: nothing of the program has run yet
    channel.field_limit = int(settings.output_limit) + (64 << 10)  # a result may be a little over its record's cap
    # what a test kind does not judge is refused before it is received: no result but a call test's, and only the
    # start of stdout (the failure report) but a stdin test's
    channel.field_limits = {"result": channel.field_limit if suite.kind == "call" else 0,
                            "stdout": channel.field_limit if suite.kind == "stdin" else 64 << 10}  # fmt: skip
    try:
        try:
            channel.send({"op": "program", "code": code, "kind": suite.kind, "fn_name": suite.fn_name,
                          "entries": getattr(suite, "entry_points", None),
                          "limits": limits}, config.grace)  # fmt: skip
            mounted = channel.read(config.startup_timeout)
        except ProgramGone as error:
            raise SandboxError(str(error)) from None
        if not mounted.get("mounted"):
            raise SandboxError(f"the program's sandbox was not made: {mounted.get('error') or mounted}")
        if on_arrival is not None:
            on_arrival()
        started = time.monotonic()
        for index, case in enumerate(suite.cases):
            timeout = settings.test_timeout  # never beyond what is left of the program's budget
            if settings.program_timeout is not None:
                timeout = min(timeout, settings.program_timeout - (time.monotonic() - started))
                if timeout <= 0:
                    verdict.statuses.append("timeout")
                    break
            test = {"op": "test", "timeout": timeout, "output_limit": int(settings.output_limit)}
            test["harness" if suite.kind == "assert" else "input"] = (
                suite.harness if suite.kind == "assert" else case.input
            )
            try:
                if suite.kind == "assert":
                    hello = channel.read(config.startup_timeout)
                    if hello.get("status") == "sandbox_error":
                        raise SandboxError(f"the sandbox could not run a test: {hello.get('error')}")
                    if not hello.get("armed"):
                        raise ProgramGone("the program's sandbox answered out of turn")
                channel.send(test, config.grace)
                reply = channel.read(timeout + config.grace)
            except ProgramGone as error:
                reply = _after_program_gone(executor, error)
            reply = _decoded(reply)
            if reply.get("status") == "sandbox_error":
                raise SandboxError(f"the sandbox could not run a test: {reply.get('error')}")
            if reply.get("status") == "unsupported":
                if suite.kind != "assert":  # only an assert test's check process may say so (testproc.run_test)
                    raise SandboxError("a test process claimed the tests cannot be judged")
                raise UnjudgeableTests(str(reply.get("error")))
            try:
                status = str(judge(suite, index, reply))
            except Exception:  # noqa: BLE001 - a judge must be total; if it is not, the program fails, not the row
                status = "wrong"
            verdict.statuses.append(status)
            if status == "pass":
                verdict.passed += 1
                continue
            if verdict.first_failure is None:
                verdict.first_failure = {"test": index, "status": status, "error": reply.get("error"),
                                         "stdout": bytes(reply["stdout"][:500]).decode(errors="replace"),
                                         "stderr": str(reply.get("stderr") or "")[-500:]}  # fmt: skip
            if settings.stop_on_failure or reply.get("gone"):
                break
    except BaseException:
        channel.close()
        raise

    def finish() -> None:
        with contextlib.suppress(ProgramGone):
            channel.send({"op": "end"}, config.grace)
        channel.close()
        executor.programs_run += 1
        executor.prepare_program()

    if defer is None:
        finish()
    else:
        defer.append(finish)
    return verdict


def _decoded(reply: dict[str, Any]) -> dict[str, Any]:
    """``stdout`` as the raw bytes received (a bytearray; the judge decides whether to decode it) and ``result`` as
    JSON text (empty / None where the reply has none)."""
    stdout, result = reply.get("stdout"), reply.pop("result", None)
    reply["stdout"] = stdout if isinstance(stdout, bytearray) else b""
    reply["result"] = result.decode("utf-8", errors="replace") if isinstance(result, bytearray) else None
    return reply


def _after_program_gone(executor: Executor, error: ProgramGone) -> dict[str, Any]:
    """A program's init vanished or hung mid-test. If the template still answers, the program did it (0.0); if the
    whole sandbox is gone, nothing inside could have done that: an infrastructure failure."""
    if executor.alive and executor.ping():
        if "answering" in str(error):  # a hung init cannot be reached from here: replace the whole executor
            executor.kill()
        return {"status": "error", "error": f"the program brought its own sandbox down: {error}", "gone": True}
    raise SandboxError(f"the sandbox died: {error} ({executor.stderr_tail(300).strip()})")
