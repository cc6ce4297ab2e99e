"""Which program runs next: programs with the same tests (a prompt's GRPO siblings) are kept apart in time.

Siblings are the samples that can collude: a sibling that solved the task knows the answer its siblings are asked
for. Two channels between them need no shared file or memory, only the schedule:

- **start time**: a freed worker takes the next program a few milliseconds after the last one's last instruction, so
  a sender that exits at a chosen instant tells a receiver that reads the clock when it starts (red-team round 24
  measured about 7.6 bits per sender);
- **side by side**: two programs running at once share the host's caches and, past the number of cores, CPU time
  (the host-wide inode counters they shared are closed since round 30: no program creates pipes or sockets).

The rule: a worker whose program just ended takes a program with *other* tests than the one that ended, and one
whose tests are not running anywhere, whenever such a program is waiting; failing that, one with other tests (even
beside a running sibling); only then one of the same tests. Waiting programs are interleaved by task. A worker never
idles for the rule, so in a batch of one prompt, or its tail, siblings still meet.

This narrows the two channels; it does not close them. A freed worker still starts its next program when the last
one ended, so that program learns the time another chose; since every sample is the same policy's, a program of
another task can relay what it learned to the next sibling (red-team round 27: 4 of 9 receivers paid through
relays). Closing the start-time channel needs start times no program chooses (fixed slots, at the cost of
throughput) or clocks a program cannot read, and the vDSO clocks cannot be filtered. ``docs/sandbox.md`` says so.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Hashable, Sequence
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
