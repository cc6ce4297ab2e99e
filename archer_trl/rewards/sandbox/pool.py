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
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from .executor import (
    BACKENDS,
    FIX_HINT,
    SANDBOX_ENV,
    Executor,
    SandboxConfig,
    SandboxError,
    SandboxUnavailable,
    bwrap_command,
    interpreter_paths,
    memory_cap,
    unsafe_command,
)
from .hostlimits import memory_room
from .program import (
    Judge,
    RunSettings,
    Suite,
    UnjudgeableTests,
    Verdict,
    run_suite,
)
from .schedule import HeldSchedule, Once, SiblingSchedule, finish_deferred, sibling_key

__all__ = ["BACKENDS", "FIX_HINT", "SANDBOX_ENV", "Executor", "Judge", "RunSettings", "SandboxConfig", "SandboxError",
           "SandboxPool", "SandboxUnavailable", "Suite", "Verdict", "bwrap_command", "check_sandbox", "get_pool",
           "interpreter_paths", "run_suite", "unsafe_command"]  # fmt: skip

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

    def run_one(
        self,
        code: str,
        suite: Suite,
        settings: RunSettings,
        judge: Judge,
        defer: list | None = None,
        on_arrival: Callable[[], None] | None = None,
    ) -> Verdict:
        """Run one program; any failure of the machinery becomes an infrastructure verdict for it alone. With
        ``defer``, the end of a program that finished (its teardown, the next init, the executor's return to the
        pool) is appended there as callables instead of done now."""
        executor = self._checkout()
        finished = False
        oom_kills = 0
        kept: list = []
        deferred = False
        try:
            if not executor.alive:
                executor.start()
            oom_kills = executor.cgroup.oom_kills() if executor.cgroup else 0
            verdict = run_suite(
                executor, code, suite, settings, judge, kept if defer is not None else None, on_arrival
            )
            finished = True
            if defer is not None:  # returned to the pool only once torn down: no other program may wait on it
                defer.extend([*kept, lambda: self._checkin(executor)])
                deferred = True
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
            if not deferred:
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
            # under the hold, a finished program is torn down (its mounts freed, the next init made) only when its
            # worker is released, once every sibling has started: what a teardown frees or allocates host-wide (the
            # tmpfs device numbers stat reports, mount ids) is then never found by a sibling that starts later
            # (red-team round 37), and the time it happens is not one any sibling chose
            after, pending = None, []
            try:
                while (index := schedule.take(after)) is not None:
                    finish_deferred(pending, schedule, index)
                    steps: list = []
                    arrive = Once(schedule.arrived, index) if isinstance(schedule, HeldSchedule) else None
                    try:
                        defer = steps if arrive is not None else None
                        verdicts[index] = self.run_one(jobs[index][0], jobs[index][1], settings, judge, defer, arrive)
                    finally:
                        if arrive is not None:
                            arrive()  # a program that failed before its mounts never gets them
                        if steps:
                            pending.append((schedule.keys[index], steps))
                        schedule.done(index)
                        after = schedule.keys[index]
                        if on_done is not None:
                            on_done()
            finally:
                finish_deferred(pending, schedule, None)

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
