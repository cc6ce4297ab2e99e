"""Sandboxed executors for model-written programs, and the trusted side of judging them.

An executor is one bubblewrap sandbox whose pid 1 is a *template* process (``inside/harness.py``, started with
``--as-pid-1``, so no unfiltered bwrap reaper holds anything inside). The template imports the usual modules once and
then only forks: for every program, a program *init* in fresh user, mount, PID, IPC, network and UTS namespaces, with
a fresh size- and inode-capped tmpfs for its scratch directory and ``/dev/shm`` and ``/proc`` hidden. The template
never reads program text, tests or results (the program's socket reaches it as SCM_RIGHTS and goes straight to the
init), so nothing one program leaves behind, in memory or on disk, is visible to the next, and when the init exits
the kernel ends every process the program had. Per test the init forks a process with rlimits and a seccomp filter.
A `SandboxPool` keeps ``size`` executors and runs programs on them from a small thread pool.

The sandbox (backend ``"bwrap"``): no network at all, uid 65534 without capabilities, an empty environment, a
read-only root and ``/dev`` with only the interpreter's paths bound read-only (never the home directory, the project
or ``~/.cache/huggingface/token``), ``--die-with-parent``, ``--new-session``; the trainer kills the whole process
group when the template stops answering. Python runs with ``-I``: no writable directory is on ``sys.path``.

Judging happens in the trusted process, by a *judge* the caller passes in (the code reward's is
`archer_trl.rewards.code.judge`; this package never imports it): expected outputs of stdin and call-based tests never
enter the sandbox, and assert-style tests run in a check process of their own that calls the solution over a
plain-data channel (see ``inside/rpc.py``). A failure the program could have caused scores 0.0; only failures it
could not have caused (a sandbox that does not start, a template that dies) make the verdict an infrastructure
error, and "these tests cannot be judged" comes only from an assert test's check process, which runs no solution
code (a stdin or call test's own record can only fail it).

``"unsafe-subprocess"`` runs the same template, rlimits, seccomp filter and judging without namespaces: model code
can read the host's files and is not network-isolated beyond the socket filter. It exists for machines where user
namespaces are disabled, and must be chosen explicitly.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from .executor import (
    BACKENDS,
    FIX_HINT,
    SANDBOX_ENV,
    Executor,
    ProgramGone,
    SandboxConfig,
    SandboxError,
    SandboxUnavailable,
    bwrap_command,
    interpreter_paths,
    memory_cap,
    unsafe_command,
)
from .hostlimits import memory_room
from .schedule import HeldSchedule, SiblingSchedule, sibling_key

__all__ = ["BACKENDS", "FIX_HINT", "SANDBOX_ENV", "Executor", "Judge", "RunSettings", "SandboxConfig", "SandboxError",
           "SandboxPool", "SandboxUnavailable", "Suite", "Verdict", "bwrap_command", "check_sandbox", "get_pool",
           "interpreter_paths", "run_suite", "unsafe_command"]  # fmt: skip

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


def run_suite(executor: Executor, code: str, suite: Suite, settings: RunSettings, judge: Judge) -> Verdict:
    """Run ``code`` against ``suite`` in a fresh program sandbox of a started executor; ``judge`` (trusted) gives
    every reply its status."""
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
        except ProgramGone as error:
            raise SandboxError(str(error)) from None
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
        with contextlib.suppress(ProgramGone):
            channel.send({"op": "end"}, config.grace)
    finally:
        channel.close()
    executor.programs_run += 1
    executor.prepare_program()
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


# ---------------------------------------------------------------------------------------------- the pool


class SandboxPool:
    """``size`` persistent executors and a thread pool that runs programs on them (one program per executor)."""

    def __init__(self, config: SandboxConfig, size: int):
        if size < 1:
            raise ValueError(f"size={size} is invalid: a sandbox pool needs at least one executor")
        self.config = config
        self.size = size
        self._idle: list[Executor] = []
        self.busy: set[Executor] = set()  # executors running a program right now (diagnostics, tests)
        self._lock = threading.Lock()
        self._threads: ThreadPoolExecutor | None = None
        self._owner = os.getpid()
        self.last_schedule: HeldSchedule | SiblingSchedule | None = None  # the last run's (diagnostics, tests)
        self._warned_fallback = False

    def _adopt_after_fork(self) -> None:
        if os.getpid() != self._owner:  # forked: those sandboxes and threads belong to the parent process
            self._idle, self._threads, self._owner = [], None, os.getpid()
            self.busy = set()
            self._lock = threading.Lock()

    def _checkout(self) -> Executor:
        with self._lock:
            executor = self._idle.pop() if self._idle else Executor(self.config)
            self.busy.add(executor)
            return executor

    def _checkin(self, executor: Executor) -> None:
        with self._lock:
            self.busy.discard(executor)
            if executor.alive:
                self._idle.append(executor)
                return
        executor.kill()

    def ensure_available(self) -> None:
        """Start one executor now; SandboxUnavailable (with the fix) if this backend cannot run here."""
        self._adopt_after_fork()
        executor = self._checkout()
        try:
            if not executor.alive:
                executor.start()
            executor.open_program().close()  # the nested namespaces work too
            if not executor.ping(self.config.startup_timeout):
                raise SandboxError("the sandbox does not answer")
        except SandboxError as error:
            executor.kill()
            raise SandboxUnavailable(f"the code sandbox cannot run here: {error}. {FIX_HINT}") from error
        finally:
            self._checkin(executor)

    def run_one(self, code: str, suite: Suite, settings: RunSettings, judge: Judge) -> Verdict:
        """Run one program; any failure of the machinery becomes an infrastructure verdict for it alone."""
        executor = self._checkout()
        finished = False
        oom_kills = 0
        try:
            if not executor.alive:
                executor.start()
            oom_kills = executor.cgroup.oom_kills() if executor.cgroup else 0
            verdict = run_suite(executor, code, suite, settings, judge)
            finished = True
            return verdict
        except SandboxError as error:
            if executor.cgroup is not None and executor.cgroup.oom_kills() > oom_kills:
                # only a program grows its executor's memory: the OOM killer's victim (even the template) is its doing
                failure = {"test": 0, "status": "error", "error": f"out of memory in the executor: {error}"}
                return Verdict(0, len(suite.cases), ["error"], first_failure=failure)
            return Verdict(0, len(suite.cases), infrastructure_error=str(error))
        except UnjudgeableTests as error:
            finished = True
            return Verdict(0, len(suite.cases), infrastructure_error=f"the tests cannot be judged: {error}")
        except Exception as error:  # noqa: BLE001 - a bug here must not zero or crash the whole batch
            return Verdict(0, len(suite.cases), infrastructure_error=f"{type(error).__name__}: {error}")
        finally:
            if not finished:  # interrupted mid-program: its replies may still be in flight, so never reuse it
                executor.kill()
            self._checkin(executor)

    def run(
        self,
        jobs: Sequence[tuple[str, Suite]],
        settings: RunSettings,
        judge: Judge,
        on_done: Callable[[], None] | None = None,
    ) -> list[Verdict]:
        """Run every (code, suite) job, ``size`` at a time; results in job order. Programs with the same tests are
        kept apart in time whenever other work is waiting (`schedule.SiblingSchedule`)."""
        self._adopt_after_fork()
        if not jobs:
            return []
        with self._lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="archer-sandbox")
            threads = self._threads
        keys: dict[int, str] = {}  # a prompt's samples usually share one suite object: hash its tests once
        for _, suite in jobs:
            if id(suite) not in keys:
                keys[id(suite)] = sibling_key(suite)
        workers = min(self.size, len(jobs))
        tasks = [keys[id(suite)] for _, suite in jobs]
        schedule = HeldSchedule(tasks, workers) if settings.siblings == "hold" else SiblingSchedule(tasks)
        verdicts: list[Verdict | None] = [None] * len(jobs)

        def worker() -> None:
            after = None
            while (index := schedule.take(after)) is not None:
                try:
                    verdicts[index] = self.run_one(jobs[index][0], jobs[index][1], settings, judge)
                finally:
                    schedule.done(index)
                    after = schedule.keys[index]
                    if on_done is not None:
                        on_done()

        for future in [threads.submit(worker) for _ in range(workers)]:
            future.result()
        self.last_schedule = schedule
        if isinstance(schedule, HeldSchedule) and schedule.fallbacks and not self._warned_fallback:
            self._warned_fallback = True
            warnings.warn(
                f"code sandbox: {schedule.fallbacks} programs started after a sibling (same tests) ended, because a "
                f"prompt had more samples than the {workers} workers: its samples could pass each other their "
                "results through their start times. Use num_workers >= the samples per prompt (num_generations).",
                stacklevel=3,
            )
        if any(verdict is None for verdict in verdicts):  # a worker ended without raising: never misalign results
            raise RuntimeError("a sandbox worker ended before every program had a verdict")
        return verdicts  # type: ignore[return-value]

    def close(self) -> None:
        """Kill every idle executor (also registered at exit)."""
        if os.getpid() != self._owner:
            return
        with self._lock:
            idle, self._idle = self._idle, []
            threads, self._threads = self._threads, None
        for executor in idle:
            executor.kill()
        if threads is not None:
            threads.shutdown(wait=False)

    def grow(self, size: int) -> None:
        """Allow up to ``size`` programs at once (the thread pool is rebuilt on the next run)."""
        threads = None
        with self._lock:
            if size > self.size:
                self.size = size
                threads, self._threads = self._threads, None
        if threads is not None:
            threads.shutdown(wait=False)


_POOLS: dict[SandboxConfig, SandboxPool] = {}
_POOLS_LOCK = threading.Lock()


def get_pool(config: SandboxConfig, size: int) -> SandboxPool:
    """The process-wide pool for this configuration (created on first use, closed at exit), with room for at least
    ``size`` concurrent programs."""
    with _POOLS_LOCK:
        pool = _POOLS.get(config)
        if pool is None or pool._owner != os.getpid():
            pool = _POOLS[config] = SandboxPool(config, size)
        pool.grow(size)
        return pool


@atexit.register
def _close_pools() -> None:
    for pool in list(_POOLS.values()):
        pool.close()


_CHECKED: set[SandboxConfig] = set()
_ROOM: dict[SandboxConfig, int] = {}  # the most executors each configuration's pool may hold


def check_sandbox(config: SandboxConfig | None = None, size: int = 1) -> None:
    """Fail now, with the fix, if ``config``'s backend cannot run here (once per configuration and process)."""
    config = config or SandboxConfig()
    if config not in _CHECKED:
        get_pool(config, size).ensure_available()
        _CHECKED.add(config)
    # every pool of this process counts, and a pool that grows is checked again (round 27: a second reward on the
    # same configuration with more workers was never checked)
    previous = _ROOM.get(config, 0)
    _ROOM[config] = max(previous, size)
    if config.backend == "bwrap" and size > previous:
        executors = sum(n for c, n in _ROOM.items() if c.backend == "bwrap")
        shortfall = memory_room(executors, max(memory_cap(c) for c in _ROOM if c.backend == "bwrap"))
        if shortfall:
            warnings.warn(f"code sandbox: {shortfall}", stacklevel=3)
