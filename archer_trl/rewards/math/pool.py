"""The worker pool of the math reward: the final ``\\boxed{}`` answer checked against the gold, 1.0 or 0.0.

Verification runs in a pool of worker processes (`VerifierPool`), never in the trainer:

- the grader times out with ``SIGALRM``, which works only in a process's main thread (in a thread it raises,
  or with timeouts disabled a pathological answer freezes the whole process);
- a pathological answer such as ``9^{9^{9^{9}}}`` can hold the GIL inside a big-integer power, so every job also
  has a hard deadline enforced here, in the parent, which kills the worker that overran it and starts another;
- ``str()`` of a parsed sympy object can itself hang, so only short words ("correct", "wrong", ...) come back.

A slow answer therefore costs at most its deadline and scores 0; it never hangs or kills the trainer. Workers are
fresh interpreters running `archer_trl.rewards.math.worker` (spawn semantics: nothing is inherited from a trainer that has
already imported torch or started threads, and the training script is not re-imported); they start lazily on first
use, stay alive between batches, and each process (each ``accelerate`` rank) gets its own pool.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import json
import os
import selectors
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..processes import default_num_workers, stderr_tail

WORKER_MODULE = "archer_trl.rewards.math.worker"
PACKAGE_ROOT = str(Path(__file__).resolve().parents[3])
CORRECT, WRONG, TIMEOUT, BAD_GOLD, FAILED = "correct", "wrong", "timeout", "bad_gold", "failed"
STARTUP_TIMEOUT = 120.0
MAX_STARTUP_FAILURES = 3


class _Worker:
    """One worker process and the state of its current job."""

    def __init__(self, memory_bytes: int):
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        # `-m` needs archer_trl importable in the child even when the trainer found it through its own sys.path
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker
        self.process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE, "--memory-bytes", str(memory_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
            bufsize=0,
        )
        self.started = time.monotonic()
        self.ready = False
        self.job: tuple | None = None
        self.deadline = float("inf")
        self.pending = b""

    def fileno(self) -> int:
        return self.process.stdout.fileno()

    def send(self, job: tuple, payload: dict[str, Any], hard_timeout: float) -> None:
        self.job, self.deadline = job, time.monotonic() + hard_timeout
        self.process.stdin.write((json.dumps(payload) + "\n").encode())

    def read_lines(self) -> list[dict] | None:
        """Complete reply lines now available; None at end of file (the worker died)."""
        chunk = os.read(self.fileno(), 1 << 16)
        if not chunk:
            return None
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]

    def stderr_tail(self, size: int = 2000) -> str:
        return stderr_tail(self.stderr, size)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.stderr):
            with contextlib.suppress(OSError):
                stream.close()


class VerifierPool:
    """Persistent math grader worker processes with per-job hard deadlines.

    ``check_many`` is thread-safe (one batch at a time). Workers start lazily and in parallel, stay alive between
    batches, and are replaced, without blocking the rest of the batch, when they overrun a deadline or die. A pool
    used in a forked child (e.g. a DataLoader worker) starts its own workers instead of sharing the parent's pipes.
    """

    def __init__(
        self, num_workers: int | None = None, *, memory_bytes: int = 4 << 30, startup_timeout: float = STARTUP_TIMEOUT
    ):
        self.num_workers = num_workers or default_num_workers()
        self.memory_bytes = memory_bytes
        self.startup_timeout = startup_timeout
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._owner = os.getpid()

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and diagnostics)."""
        return [w.process.pid for w in self._workers if w.process.poll() is None]

    def check_many(
        self,
        jobs: Sequence[tuple[Sequence[str], str | None]],
        *,
        parse_timeout: int = 5,
        verify_timeout: int = 5,
        hard_timeout: float = 22.0,
    ) -> list[str]:
        """Check each (golds, answer) pair: ``correct``, ``wrong``, ``timeout`` (the hard deadline passed),
        ``bad_gold`` (no gold parses) or ``failed`` (the worker died on it: not the answer's verdict). An answer of
        None (no final box) only checks the gold."""
        keys = [(tuple(golds), answer) for golds, answer in jobs]
        if not keys:
            return []
        verdicts: dict[tuple, str] = {}
        with self._lock:
            self._adopt_after_fork()
            queue = collections.deque(dict.fromkeys(keys))  # identical (gold, answer) pairs are checked once
            attempts: collections.Counter = collections.Counter()
            self._top_up()
            startup_failures = 0
            with selectors.DefaultSelector() as selector:
                for worker in self._workers:
                    selector.register(worker.fileno(), selectors.EVENT_READ, worker)
                while queue or any(w.job is not None for w in self._workers):
                    for worker in self._workers:
                        if worker.ready and worker.job is None and queue:
                            key = queue.popleft()
                            payload = {"id": 0, "gold": list(key[0]), "answer": key[1],
                                       "parse_timeout": int(parse_timeout), "verify_timeout": int(verify_timeout)}  # fmt: skip
                            try:
                                worker.send(key, payload, hard_timeout)
                            except OSError:  # it died while idle: put the job back, replace the worker
                                queue.appendleft(key)
                                worker.job = None
                                self._replace(worker, selector)
                    now = time.monotonic()
                    wake = min(
                        [w.deadline for w in self._workers if w.job is not None]
                        + [w.started + self.startup_timeout for w in self._workers if not w.ready]
                        + [now + 1.0]
                    )
                    for selected, _ in selector.select(max(0.0, wake - now)):
                        worker: _Worker = selected.data
                        lines = worker.read_lines()
                        if lines is None:  # end of file: the worker died
                            if not worker.ready:
                                startup_failures += 1
                                self._startup_failed(worker, startup_failures)
                            elif worker.job is not None:
                                attempts[worker.job] += 1
                                if attempts[worker.job] < 2:
                                    queue.append(worker.job)  # once more, on a fresh worker
                                else:
                                    verdicts[worker.job] = FAILED
                                worker.job = None
                            self._replace(worker, selector)
                            continue
                        for line in lines:
                            if line.get("ready"):
                                worker.ready = True
                            elif worker.job is not None:
                                verdicts[worker.job] = line["result"]
                                worker.job, worker.deadline = None, float("inf")
                    now = time.monotonic()
                    for worker in list(self._workers):
                        if worker.job is not None and now >= worker.deadline:
                            verdicts[worker.job] = TIMEOUT  # overran the hard deadline: scores as a wrong answer
                            worker.job = None
                            self._replace(worker, selector)
                        elif not worker.ready and now >= worker.started + self.startup_timeout:
                            startup_failures += 1
                            self._startup_failed(worker, startup_failures)
                            self._replace(worker, selector)
                for worker in self._workers:
                    selector.unregister(worker.fileno())
        return [verdicts[key] for key in keys]

    def warm_up(self) -> None:
        """Start the workers now (otherwise the first batch pays their start-up)."""
        self.check_many([(["1"], "1")])

    def _adopt_after_fork(self) -> None:
        if os.getpid() != self._owner:  # forked: the workers and pipes belong to the parent process
            self._workers, self._owner = [], os.getpid()

    def _top_up(self) -> None:
        alive = []
        for worker in self._workers:
            if worker.process.poll() is None:
                alive.append(worker)
            else:
                worker.kill()  # reap it and close its pipes
        self._workers = alive
        while len(self._workers) < self.num_workers:
            self._workers.append(_Worker(self.memory_bytes))

    def _replace(self, worker: _Worker, selector: selectors.BaseSelector) -> None:
        selector.unregister(worker.fileno())
        worker.kill()
        replacement = _Worker(self.memory_bytes)
        self._workers[self._workers.index(worker)] = replacement
        selector.register(replacement.fileno(), selectors.EVENT_READ, replacement)

    def _startup_failed(self, worker: _Worker, count: int) -> None:
        if count >= MAX_STARTUP_FAILURES:
            tail = worker.stderr_tail()
            self.close()
            raise RuntimeError(
                f"math grader workers failed to start {count} times; check that `{sys.executable} -m {WORKER_MODULE}` runs "
                f"here (is math-verify[antlr4-13-2] installed?). Last worker's stderr:\n{tail}"
            )

    def close(self) -> None:
        """Stop every worker (also registered at exit for the default pool)."""
        if os.getpid() != self._owner:
            self._workers = []
            return
        for worker in self._workers:
            worker.kill()
        self._workers = []


_DEFAULT_POOL: VerifierPool | None = None
_DEFAULT_POOL_LOCK = threading.Lock()


def default_pool() -> VerifierPool:
    """The process-wide pool, created on first use and stopped at exit."""
    global _DEFAULT_POOL
    with _DEFAULT_POOL_LOCK:
        if _DEFAULT_POOL is None:
            _DEFAULT_POOL = VerifierPool()
            atexit.register(_DEFAULT_POOL.close)
        return _DEFAULT_POOL
