"""The "spread" schedule (siblings="spread"): programs with the same tests (a prompt's siblings) are kept apart in time
(red-team round 24: a sender that exits at a chosen instant told the sibling that started next on its worker about
7.6 bits). The default "hold" schedule is tested in test_sandbox_held_schedule.py.

The rule is checked two ways: the schedule alone, driven by simulated workers over many drawn batches, against the
rule as a user reads it; and a real pool, whose programs' start and end times are observed around each run."""

from __future__ import annotations

import copy
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.formats import normalize_tests
from archer_trl.rewards.sandbox import SandboxConfig
from archer_trl.rewards.sandbox.pool import SandboxPool
from archer_trl.rewards.sandbox.schedule import SiblingSchedule, interleaved, sibling_key


def test_interleaved_takes_one_job_per_task_in_turn():
    assert interleaved(["a", "a", "a", "b", "c", "c"]) == [0, 3, 4, 1, 5, 2]
    assert interleaved([]) == []
    assert sorted(interleaved(list("abcabcaa"))) == list(range(8))


def test_sibling_key_is_the_tests_not_the_object():
    row = {"inputs": ["1 2\n", "3 4\n"], "outputs": ["3\n", "7\n"]}
    twin = copy.deepcopy(row)
    other = {"inputs": ["1 2\n", "3 5\n"], "outputs": ["3\n", "8\n"]}
    assert sibling_key(normalize_tests(row)) == sibling_key(normalize_tests(twin))
    assert sibling_key(normalize_tests(row)) != sibling_key(normalize_tests(other))
    call = normalize_tests({"inputs": [[1, 2]], "outputs": [3], "fn_name": "add"})
    renamed = normalize_tests({"inputs": [[1, 2]], "outputs": [3], "fn_name": "plus"})
    assert sibling_key(call) != sibling_key(renamed)


@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(st.sampled_from("abcde"), min_size=1, max_size=30),
    workers=st.integers(1, 4),
    finishing=st.lists(st.integers(0, 10**6), min_size=60, max_size=60),
)
def test_a_worker_never_starts_a_sibling_when_other_work_waits(keys, workers, finishing):
    """Simulated workers finish in a drawn order. Whenever some waiting job's task is neither the one that just
    ended on this worker nor running anywhere, the job handed out must be such a job; every job runs exactly once."""
    schedule = SiblingSchedule(keys)
    waiting = list(range(len(keys)))
    running: dict[int, int] = {}  # worker -> job
    last: dict[int, str | None] = dict.fromkeys(range(workers))
    started: list[int] = []
    draws = iter(finishing * 10)

    def start(worker: int) -> None:
        running_tasks = {keys[j] for j in running.values()}
        free = [j for j in waiting if keys[j] != last[worker] and keys[j] not in running_tasks]
        job = schedule.take(last[worker])
        if job is None:
            assert not waiting
            return
        if free:
            assert keys[job] != last[worker] and keys[job] not in running_tasks, (keys, job, last[worker])
        waiting.remove(job)
        running[worker] = job
        started.append(job)

    for worker in range(workers):
        start(worker)
    while running:
        worker = sorted(running)[next(draws) % len(running)]
        job = running.pop(worker)
        schedule.done(job)
        last[worker] = keys[job]
        start(worker)
    assert sorted(started) == list(range(len(keys)))


def simulate(
    schedule: SiblingSchedule, free_at: dict[int, float], duration
) -> list[tuple[float, float, str, int, str]]:
    """Workers taking programs from ``schedule`` as simulated time goes on: each starts at ``free_at[worker]`` and
    runs each program for ``duration()``; (begin, end, tests, worker, tests of the worker's previous program)."""
    free = {worker: (at, None) for worker, at in free_at.items()}
    running: dict[int, tuple[float, int]] = {}  # worker -> (end, job)
    spans = []
    while free:
        worker = min(free, key=lambda w: free[w][0])
        now, after = free.pop(worker)
        for other, (end, job) in list(running.items()):  # whatever ended by now is done
            if end <= now:
                schedule.done(job)
                del running[other]
        job = schedule.take(after)
        if job is None:
            continue
        end = now + duration()
        running[worker] = (end, job)
        spans.append((now, end, schedule.keys[job], worker, after))
        free[worker] = (end, schedule.keys[job])
    return spans


def test_a_batch_of_several_prompts_needs_no_fallback():
    """Three prompts x four samples on two workers (the second starts half a program later) whose programs take
    equal time: every start follows a program of another prompt and none runs beside a sibling, to the last one."""
    schedule = SiblingSchedule(list("aaaabbbbcccc"))
    spans = simulate(schedule, {0: 0.0, 1: 0.5}, lambda: 1.0)
    assert len(spans) == 12
    assert schedule.fallbacks == 0
    for begin, end, key, worker, _ in spans:
        assert not [s for s in spans if s[2] == key and s[0] < end and begin < s[1] and s[0] != begin], "beside"
        assert not [s for s in spans if s[2] == key and s[3] == worker and s[0] == end], "right after"


@needs_bwrap
def test_a_real_pool_with_the_spread_schedule_keeps_siblings_apart():
    """siblings="spread": three prompts x three samples on two executors: no two samples of one prompt overlap, and
    no worker starts a sample right after one of its siblings, but in the batch's tail; each program runs long enough
    (0.3 s) for an overlap to show."""
    from test_sandbox_held_schedule import jobs_of, observed_run

    jobs = jobs_of(3, 3, [0.3])
    pool = SandboxPool(SandboxConfig(), 2)
    try:
        verdicts, runs = observed_run(pool, jobs, siblings="spread")
    finally:
        pool.close()
    assert [v.passed for v in verdicts] == [1] * 9
    assert Counter(key for *_, key in runs) == Counter({sibling_key(suite): 3 for _, suite in jobs[::3]})
    beside = sum(
        key == other_key and other_begin < end
        for i, (begin, end, _, key) in enumerate(runs)
        for other_begin, _, _, other_key in runs[i + 1 :]
    )
    by_worker: dict[str, list[str]] = {}
    for _, _, worker, key in runs:
        by_worker.setdefault(worker, []).append(key)
    followed = sum(a == b for keys in by_worker.values() for a, b in zip(keys, keys[1:]))
    # only the batch's tail may fall back (the last task's samples, when nothing else waits); in job order, as
    # before the rule, the first two samples of the first prompt start side by side
    assert beside + followed <= pool.last_schedule.fallbacks <= 2, (beside, followed, runs)


def test_as_many_prompts_as_workers_start_no_program_right_after_a_sibling():
    """Round 27: 8 prompts x 8 samples on 8 workers (TRL's usual shape per generation batch). Preferring "not beside"
    over "not after" started 55 of 64 programs right after a sibling; now none, at the cost of some overlap."""
    import random

    draw = random.Random(0)
    schedule = SiblingSchedule([prompt for prompt in range(8) for _ in range(8)])
    spans = simulate(schedule, dict.fromkeys(range(8), 0.0), lambda: draw.uniform(0.5, 1.5))
    assert len(spans) == 64 and sum(key == after for _, _, key, _, after in spans) == 0
