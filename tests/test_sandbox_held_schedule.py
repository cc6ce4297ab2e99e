"""The default schedule, "hold" (sandbox/schedule.py): no program starts at a time that the end of one of its siblings
(a sample with the same tests) chose, directly or through other tasks' programs, while a prompt has no more samples
than there are workers. Checked on the schedule alone, driven over many drawn batches by simulated workers that
track what each start could have learned, and on a real pool whose programs' start and end times are observed."""

from __future__ import annotations

import copy
import heapq
import threading
import time
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.formats import normalize_tests
from archer_trl.rewards.code.judge import make_judge
from archer_trl.rewards.code.reward import CodeReward
from archer_trl.rewards.sandbox import SandboxConfig
from archer_trl.rewards.sandbox.executor import Executor
from archer_trl.rewards.sandbox.pool import RunSettings, SandboxPool
from archer_trl.rewards.sandbox.schedule import HeldSchedule, grouped, sibling_key


def simulate(keys: list[str], workers: int, durations: list[float]) -> tuple[HeldSchedule, list[tuple]]:
    """Event-driven workers on a `HeldSchedule`. Each start records what its start time could depend on: the tasks
    whose programs' ends led to it (the end that freed its worker, and everything that end's own start depended
    on; for a held worker, also the start that released it). Returns (schedule, [(job, tasks, fallback)])."""
    schedule = HeldSchedule(keys, workers)
    starts: list[tuple] = []
    history: dict[int, frozenset] = {}  # job -> tasks its start depended on
    running: list[tuple[float, int, int]] = []  # (end, worker, job)
    held: dict[int, frozenset] = {}  # worker -> tasks its availability depends on
    last_task: dict[int, str] = {}

    def start(worker: int, now: float, depends: frozenset) -> None:
        before = schedule.fallbacks
        with schedule._condition:  # what take() holds around it
            job = schedule.start()
        history[job] = depends
        starts.append((job, depends, schedule.fallbacks > before))
        heapq.heappush(running, (now + durations[job], worker, job))
        last_task[worker] = keys[job]

    now = 0.0
    for worker in range(min(workers, len(keys))):
        start(worker, now, frozenset())
    while running or held:
        if not running:  # every worker held: the schedule gives the hold up, as take() does
            with schedule._condition:
                schedule.give_up(next(iter({last_task[w] for w in held})))
        else:
            now, worker, job = heapq.heappop(running)
            held[worker] = history[job] | {keys[job]}
        released = True
        while released:
            released = False
            for worker, depends in sorted(held.items()):
                if schedule._pending and schedule.ready(last_task[worker]):
                    del held[worker]
                    start(worker, now, depends | (starts[-1][1] if starts else frozenset()))
                    released = True
                elif not schedule._pending:
                    del held[worker]
    return schedule, starts


@settings(max_examples=300, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=1, max_size=6),
    workers=st.integers(1, 6),
    durations=st.lists(st.floats(0.01, 10.0), min_size=36, max_size=36),
)
def test_no_start_depends_on_a_sibling_end_while_samples_fit_the_workers(sizes, workers, durations):
    keys = [f"t{task}" for task, size in enumerate(sizes) for _ in range(size)]
    schedule, starts = simulate(keys, workers, durations)
    assert sorted(job for job, _, _ in starts) == list(range(len(keys)))
    leaks = [
        (keys[job], sorted(depends)) for job, depends, fallback in starts if keys[job] in depends and not fallback
    ]
    assert leaks == []
    if max(sizes) <= workers:
        assert schedule.fallbacks == 0


def test_more_samples_than_workers_are_counted_where_the_hold_gives_way():
    """Where a prompt has more samples than workers, a sibling must start after a sibling's end: those starts are
    exactly the ones counted as fallbacks (the property above checks that no other start is such)."""
    keys = ["a", "a", "a", "b", "b", "b"]
    order = grouped(keys)
    assert order == [0, 1, 2, 3, 4, 5]
    # two workers, task a first: the worker that ran a's first program would start a's third at that program's end
    schedule, starts = simulate(keys, 2, [1.0, 2.0, 1.0, 1.0, 1.0, 1.0])
    # 3 samples on 2 workers, for each task: the hold had to be given up once per task, and the schedule says so
    assert schedule.fallbacks == 2
    assert [keys[job] in depends for job, depends, fallback in starts if fallback] == [True, True]


def test_as_many_prompts_as_workers_hold_every_sibling_and_fall_back_never():
    import random

    draw = random.Random(0)
    keys = [f"p{prompt}" for prompt in range(8) for _ in range(8)]
    schedule, starts = simulate(keys, 8, [draw.lognormvariate(-2, 1) for _ in keys])
    assert schedule.fallbacks == 0 and len(starts) == 64
    assert not [job for job, depends, _ in starts if keys[job] in depends]


def jobs_of(prompts: int, samples: int, sleeps: list[float]) -> list:
    rows = [{"inputs": [f"{n}\n"], "outputs": [f"{n + 1}\n"]} for n in range(prompts)]
    return [(f"import time\ntime.sleep({sleeps[(p * samples + s) % len(sleeps)]})\nprint(int(input()) + 1)\n",
             normalize_tests(copy.deepcopy(row))) for p, row in enumerate(rows) for s in range(samples)]  # fmt: skip


def observed_run(
    pool: SandboxPool, jobs: list, siblings: str = "hold", teardowns: list | None = None
) -> tuple[list, list]:
    """Run ``jobs`` on the real pool; the spans (start, end, worker, task) of its real runs, and in ``teardowns`` the
    (time, worker) of each finished program's teardown (the next init asked for: `Executor.prepare_program`)."""
    spans: list[tuple[float, float, str, str]] = []
    arrivals = teardowns if teardowns is not None else []  # (time, task) of each arrival, in the same list
    real_run_one = pool.run_one
    lock = threading.Lock()

    def observed(code, suite, settings_, judge, defer=None, on_arrival=None):
        begin = time.monotonic()

        def arrived():  # the program has its own mounts (the init's "mounted")
            if teardowns is not None:
                with lock:
                    arrivals.append((time.monotonic(), sibling_key(suite)))
            if on_arrival is not None:
                on_arrival()

        verdict = real_run_one(code, suite, settings_, judge, defer, arrived)
        with lock:
            spans.append((begin, time.monotonic(), threading.current_thread().name, sibling_key(suite)))
        return verdict

    if teardowns is not None:
        real_prepare = Executor.prepare_program

        def prepare(executor):
            with lock:
                teardowns.append((time.monotonic(), "teardown", threading.current_thread().name))
            return real_prepare(executor)

        Executor.prepare_program = prepare

    pool.run_one = observed  # the real runs' timing is observed; the schedule under test is the pool's own
    try:
        verdicts = pool.run(jobs, RunSettings(test_timeout=5.0, siblings=siblings), make_judge())
    finally:
        if teardowns is not None:
            Executor.prepare_program = real_prepare
    return verdicts, sorted(spans)


@needs_bwrap
def test_a_real_pool_starts_no_sibling_on_a_worker_a_sibling_freed():
    """Three prompts x three samples on three executors, with unequal run times: after a program ends, its worker
    starts nothing until the last of that program's siblings has started (observed from the real runs)."""
    pool = SandboxPool(SandboxConfig(), 3)
    try:
        verdicts, spans = observed_run(pool, jobs_of(3, 3, [0.1, 0.4, 0.25, 0.05]))
    finally:
        pool.close()
    assert [v.passed for v in verdicts] == [1] * 9
    assert pool.last_schedule.fallbacks == 0
    last_start = {key: max(begin for begin, _, _, k in spans if k == key) for *_, key in spans}
    for _, end, worker, key in spans:
        following = [b for b, _, w, _ in spans if w == worker and b >= end]
        assert not following or min(following) >= last_start[key], (key, worker, spans)


@needs_bwrap
def test_a_finished_program_is_torn_down_only_once_its_siblings_started():
    """Round 37: a program's teardown frees host-wide numbers (its tmpfs mounts' device numbers, which stat reports)
    and the next init takes new ones; a sibling starting later read them. Under the hold, a finished program is torn
    down, and its executor's next init asked for, only when its worker is released (observed from the real runs)."""
    pool = SandboxPool(SandboxConfig(), 3)
    teardowns: list[tuple[float, str]] = []
    try:
        verdicts, spans = observed_run(pool, jobs_of(3, 3, [0.05, 0.5, 0.3, 0.02]), teardowns=teardowns)
    finally:
        pool.close()
    assert [v.passed for v in verdicts] == [1] * 9
    last_arrival = {key: max(e[0] for e in teardowns if len(e) == 2 and e[1] == key) for *_, key in spans}
    torn = [(t, worker) for t, kind, worker in (e for e in teardowns if len(e) == 3)]
    for _, end, worker, key in spans:
        own = [t for t, w in torn if w == worker and t >= end]
        assert own, (worker, spans, teardowns)  # every finished program is torn down, on its own worker
        assert min(own) >= last_arrival[key], (key, worker, spans, teardowns)
    ended_early = [end for _, end, _, key in spans if end < last_arrival[key]]
    assert ended_early, spans  # the draw has programs that ended before a sibling arrived: the check can fail


@needs_bwrap
def test_more_samples_than_workers_fall_back_and_warn_once():
    pool = SandboxPool(SandboxConfig(), 2)
    try:
        with pytest.warns(UserWarning, match="num_workers >= the samples per prompt"):
            verdicts, _ = observed_run(pool, jobs_of(1, 3, [0.05]))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # once per pool
            observed_run(pool, jobs_of(1, 3, [0.05]))
    finally:
        pool.close()
    assert [v.passed for v in verdicts] == [1] * 3 and pool.last_schedule.fallbacks >= 1


def test_the_schedule_option_is_checked_at_construction():
    with pytest.raises(ValueError, match="siblings='both' is invalid: use 'hold'"):
        CodeReward(siblings="both", check=False)


def test_a_worker_that_starts_late_does_not_end_the_hold():
    """Round 32: a worker was counted only once it asked, so one that started late made the first held worker give
    the hold up. Every worker the pool starts counts from the start."""
    schedule = HeldSchedule(["a", "a", "b"], workers=2)
    first = schedule.take(None)
    taken: list[int | None] = []
    held = threading.Thread(target=lambda: taken.append(schedule.take("a")))
    held.start()  # the worker whose sibling has not started: held
    deadline = time.monotonic() + 10
    while schedule._waiting == 0 and time.monotonic() < deadline:  # until it waits (polling state, not sleeping)
        time.sleep(0.001)
    assert schedule._waiting == 1 and not taken
    second = schedule.take(None)  # the late worker arrives and starts the sibling
    held.join(10)
    assert {first, second} == {0, 1} and taken == [2] and schedule.fallbacks == 0
