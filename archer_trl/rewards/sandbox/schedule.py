"""Which program runs next, so that the samples of one prompt (its GRPO siblings, which share its tests) cannot
pass each other what they learn through the schedule.

Siblings are the samples that can collude: one that solved the task knows the answer the others are asked for, and
a program learns whether its own guesses passed (a test that ran after a stop-at-first-failure). A freed worker
starts its next program a few milliseconds after the last one's last instruction, so a program that exits at a
chosen instant writes that instant into the next start, which any program reads from the clock (red-team round 24:
about 7.6 bits per sender); programs of *other* tasks, being the same policy, relay it on (round 27).

Two schedules (``RunSettings.siblings``):

- ``"hold"`` (the default, `HeldSchedule`): programs run task by task, and a worker whose program ended stays idle
  until every sibling of that program has started. A held worker counts as busy in every decision, so no start of a
  program of a task depends on when any program of that task ended, directly or through other tasks' programs (a
  program of a later task learns the end; no sibling starts after it). Nor is a finished program torn down before
  then: the pool defers its teardown (its mounts freed, its executor's next init made) until every sibling handed
  out has mounts of its own (`HeldSchedule.wait_arrived`, `finish_deferred`; round 37: a late sibling read the tmpfs
  device numbers an ended one had freed). Siblings then run side by side; what they
  share there is the host's caches and, past the number of cores, CPU time (the host-wide inode counters they
  shared are closed since round 30: no program creates pipes or sockets). Where a prompt has more samples than
  workers, all workers end up held by one task: the hold is then given up for that task and the starts it lets
  through are counted (``fallbacks``), and a warning names the fix (``num_workers`` at least the samples per
  prompt). The cost is workers left idle: measured in ``benchmarks/rewards.py`` against ``"spread"``.
- ``"spread"`` (`SiblingSchedule`, rounds 24 to 29): work-conserving; a worker whose program ended takes one with
  other tests, and not running anywhere, when such a program waits. This narrows both channels and closes neither:
  the start-time channel stays open through relays (round 27: 4 of 9 receivers paid).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import Any


def sibling_key(suite: Any) -> str:
    """The identity of a suite's tests (kind, entry point, harness and every input), independent of the object:
    a dataset hands each repeated prompt its own copy of the row."""
    digest = hashlib.blake2b(digest_size=12)
    for part in (suite.kind, suite.fn_name, suite.harness, *(case.input for case in suite.cases)):
        text = part if isinstance(part, str) else repr(part)
        digest.update(len(text).to_bytes(8, "little"))
        digest.update(text.encode(errors="replace"))
    return digest.hexdigest()


def interleaved(keys: Sequence[Hashable]) -> list[int]:
    """Job indices, one per task in turn (tasks in order of first appearance, jobs of a task in their order)."""
    by_key: dict[Hashable, list[int]] = {}
    for index, key in enumerate(keys):
        by_key.setdefault(key, []).append(index)
    queues = list(by_key.values())
    order: list[int] = []
    depth = 0
    while len(order) < len(keys):
        order.extend(queue[depth] for queue in queues if depth < len(queue))
        depth += 1
    return order


class SiblingSchedule:
    """Hands out job indices to workers, thread-safe. ``take(after)`` is called by a worker whose last program had
    tests ``after`` (None for its first); ``done(index)`` when a program ended."""

    def __init__(self, keys: Sequence[Hashable]):
        self.keys = list(keys)
        self._pending = interleaved(self.keys)
        self._running: Counter[Hashable] = Counter()
        self._lock = threading.Lock()
        self.fallbacks = 0  # programs started beside or right after a sibling because nothing else was waiting

    def take(self, after: Hashable | None) -> int | None:
        with self._lock:
            if not self._pending:
                return None
            position = self._best(after)
            index = self._pending.pop(position)
            self._running[self.keys[index]] += 1
            return index

    def done(self, index: int) -> None:
        with self._lock:
            self._running[self.keys[index]] -= 1

    def _best(self, after: Hashable | None) -> int:
        """Neither after nor beside a sibling; else not right after one; else not beside one; else the first
        waiting. Among the allowed, the task with the most programs waiting goes first (the greedy rule for spacing
        tasks out), so that no single task is left for the tail. (Round 27: with "not beside" first, a batch of as
        many prompts as workers started 55 of 64 programs right after a sibling; this order starts none so, at 15
        overlapping pairs, against 7 and 209 in job order; simulated in `tests/test_sandbox_schedule.py`.)"""
        waiting = Counter(self.keys[index] for index in self._pending)
        rules = (
            lambda key: key != after and not self._running[key],
            lambda key: key != after,
            lambda key: not self._running[key],
        )
        for rule in rules:
            allowed = [key for key in waiting if rule(key)]
            if allowed:
                self.fallbacks += rule is not rules[0]
                chosen = max(allowed, key=lambda key: waiting[key])  # the first of the largest: ties keep order
                return next(p for p, index in enumerate(self._pending) if self.keys[index] == chosen)
        self.fallbacks += 1
        return 0


STRAGGLER_SECONDS = 30.0  # how long a held worker waits for a worker the pool started but that never asked


def grouped(keys: Sequence[Hashable]) -> list[int]:
    """Job indices task by task (tasks in order of first appearance, jobs of a task in their order)."""
    first: dict[Hashable, int] = {}
    for index, key in enumerate(keys):
        first.setdefault(key, index)
    return sorted(range(len(keys)), key=lambda index: (first[keys[index]], index))


class HeldSchedule:
    """Hands out job indices task by task; ``take(after)`` blocks a worker whose last program had tests ``after``
    while a sibling of that program has not started (see the module docstring). Thread-safe; ``workers`` is how
    many threads will take from it."""

    def __init__(self, keys: Sequence[Hashable], workers: int):
        self.keys = list(keys)
        self._pending = grouped(self.keys)
        self._unstarted: Counter[Hashable] = Counter(self.keys)
        self._registered = self._exited = self._waiting = 0
        self._given_up: set[Hashable] = set()  # tasks every present worker was held for: their hold is over
        self._condition = threading.Condition()
        self.workers = workers
        self._taken: Counter[Hashable] = Counter()  # programs handed out, per task
        self._arrived: Counter[Hashable] = Counter()  # of those, how many have their own mounts (`arrived`)
        self.fallbacks = 0  # programs started at a time a sibling's end chose (the hold given up)
        self.held_seconds = 0.0  # worker time spent held: the schedule's cost

    def take(self, after: Hashable | None) -> int | None:
        with self._condition:
            self._registered += after is None
            began = time.monotonic()
            while self._pending and not self.ready(after):
                # every worker the pool starts is counted from the start (round 32: counting a worker only once it
                # asked gave the hold up whenever one thread started late); if one never comes (another run holds
                # the pool's threads), the hold is given up after a wait rather than hang
                if self._waiting + 1 >= self.workers - self._exited:
                    self.give_up(after)
                    break
                self._waiting += 1
                woke = self._condition.wait(timeout=STRAGGLER_SECONDS)
                self._waiting -= 1
                if not woke and self._waiting + 1 >= self._registered - self._exited:
                    self.give_up(after)
                    break
            self.held_seconds += time.monotonic() - began
            if not self._pending:
                self._exited += 1
                self._condition.notify_all()
                return None
            return self.start()

    def ready(self, after: Hashable | None) -> bool:
        """Whether a worker whose last program had tests ``after`` may start the next program now."""
        return after is None or self._unstarted[after] == 0 or after in self._given_up

    def give_up(self, key: Hashable) -> None:
        """Let the workers held for ``key`` go on (each start of its programs from now on is a fallback)."""
        self._given_up.add(key)
        self._condition.notify_all()

    def start(self) -> int:
        """The next program: the first waiting one, in task order."""
        index = self._pending.pop(0)
        key = self.keys[index]
        self.fallbacks += key in self._given_up
        self._unstarted[key] -= 1
        self._taken[key] += 1
        if self._unstarted[key] == 0:
            self._condition.notify_all()  # the workers held for it may go
        return index

    def arrived(self, index: int) -> None:
        """The program ``index`` has its namespaces and mounts (or will never have them)."""
        with self._condition:
            self._arrived[self.keys[index]] += 1
            self._condition.notify_all()

    def wait_arrived(self, key: Hashable, own: int | None) -> None:
        """Block until every program of task ``key`` handed out so far has arrived, but ``own`` (the caller's next
        program, which runs only after this returns): a finished program's teardown then frees nothing a sibling's
        mounts could still be given (round 37). Bounded like the hold itself."""
        mine = own is not None and self.keys[own] == key
        with self._condition:
            self._condition.wait_for(lambda: self._arrived[key] >= self._taken[key] - mine, timeout=STRAGGLER_SECONDS)

    def done(self, index: int) -> None:
        """Nothing to do: a held worker asks again with ``take``."""


def finish_deferred(pending: list, schedule: HeldSchedule | SiblingSchedule, own: int | None) -> None:
    """Run the deferred ends of finished programs (`run_one`), once every sibling handed out has its mounts (but the
    caller's ``own`` next program); each step's failure is its executor's, met by the next program on it (a dead
    executor is restarted), never the batch's."""
    for key, steps in pending:
        if isinstance(schedule, HeldSchedule):
            schedule.wait_arrived(key, own)
        for step in steps:
            with contextlib.suppress(Exception):
                step()
    pending.clear()


class Once:
    """``function(argument)`` on the first call only."""

    def __init__(self, function: Callable[[int], None], argument: int):
        self.function, self.argument, self.called = function, argument, False

    def __call__(self) -> None:
        if not self.called:
            self.called = True
            self.function(self.argument)
