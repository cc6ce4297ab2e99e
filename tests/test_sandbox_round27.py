"""Red-team round 27 (31 attacks from the source and docs alone: no escape; 13 reward hacks from 3 causes, 1 host
write, 4 other findings).

- the next program's scratch mounts were made when the previous program ended, and their times are readable: a
  sender that chose its exit time told the next program its answer through the mtime of ``/tmp`` (3 of 3);
- round 26's reading of non-JSON call outputs as Python literals turned text answers (``0b101``, ``1_000``) into
  numbers, so ``return s`` scored 1.0 and the honest ``bin(n)`` 0.0;
- a test process renamed itself (``PR_SET_NAME``) and crashed: the host's kernel log got a line under that name;
- ``uprobe``/``uretprobe`` (x86_64 336, 335) are newer than the filter's review but numbered below its cut-off;
  the kernel passes both through seccomp, and outside a trampoline they reach only their caller;
- the memory-room check ran once per configuration, so a second, larger pool of it was never checked;
- (round 28) a call output written as a set, complex or bytes literal failed every program, the right one included.

The scheduler findings (the start-time channel through relays) are documented as open; the order of its rules was
fixed (tests/test_sandbox_schedule.py)."""

from __future__ import annotations

import platform
import time
import warnings

import pytest
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.formats import normalize_tests
from archer_trl.rewards.code.judge import make_judge
from archer_trl.rewards.code.reward import code_reward, run_program
from archer_trl.rewards.sandbox import SandboxConfig, check_sandbox
from archer_trl.rewards.sandbox.executor import memory_cap
from archer_trl.rewards.sandbox.hostlimits import memory_limit_here
from archer_trl.rewards.sandbox.pool import RunSettings, SandboxPool

pytestmark = needs_bwrap


def test_the_scratch_mounts_are_as_new_as_the_program():
    """A program's /tmp, /dev/shm and /proc are mounted when it arrives, not when the previous one ended: after a
    pause between two programs on one executor, the second sees mount times after the pause."""
    pool = SandboxPool(SandboxConfig(), 1)
    suite = normalize_tests({"inputs": [""], "outputs": ["x"]})
    probe = "import os\nprint(min(os.stat(p).st_ctime for p in ('/tmp', '/dev/shm', '/proc')))\n"
    try:
        pool.run([("print('x')", suite)], RunSettings(), make_judge())
        ended = time.time()
        time.sleep(1.5)  # the scenario: nothing runs on the executor for a while
        verdict = pool.run([(probe, suite)], RunSettings(), make_judge())[0]
    finally:
        pool.close()
    mounted = float(verdict.first_failure["stdout"])
    assert mounted > ended + 1.0, (mounted, ended)


@pytest.mark.parametrize(("text", "honest"), [("0b101", "bin(5)"), ("1_000", "'1_000'"), ("0x1f", "hex(31)")])
def test_text_answers_that_python_could_read_as_numbers_stay_text(text, honest):
    row = [{"input": "1\n2", "output": text, "testtype": "functional"}]
    right = f"```python\ndef f(a, b):\n    return {honest}\n```"
    number = f"```python\ndef f(a, b):\n    return {text}\n```"
    assert code_reward([right, number], tests=[row, row], fn_name=["f", "f"]) == [1.0, 0.0]


def test_a_test_process_cannot_rename_itself():
    program = (
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "print(libc.prctl(15, b'chosen', 0, 0, 0) == -1 and ctypes.get_errno() == 1)\n"
    )
    assert run_program(program, [{"input": "", "output": "True\n"}]).statuses == ["pass"]


@pytest.mark.skipif(platform.machine() != "x86_64", reason="uprobe and uretprobe are x86_64 syscalls")
def test_uprobe_and_uretprobe_reach_only_their_caller():
    # the kernel passes both through seccomp by design (their trampolines must work under any filter): outside one,
    # uprobe fails (ENXIO) and uretprobe kills its caller (SIGILL); the next program is unaffected
    failed = run_program(
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nprint(libc.syscall(336, 0, 0, 0))\n",
        [{"input": "", "output": "-1\n"}],
    )
    killed = run_program("import ctypes\nctypes.CDLL(None).syscall(335, 0, 0, 0)\nprint('alive')\n",
                         [{"input": "", "output": "alive\n"}])  # fmt: skip
    assert failed.statuses == ["pass"]
    assert killed.statuses == ["error"] and killed.infrastructure_error is None
    assert run_program("print('alive')", [{"input": "", "output": "alive\n"}]).statuses == ["pass"]


def test_a_pool_that_grows_is_checked_again():
    config = SandboxConfig(memory_bytes=(1 << 30) + 12288)  # a configuration no other test checked in this process
    small = 1
    large = 2 * (memory_limit_here()[0] // memory_cap(config)) + 4
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_sandbox(config, small)
        check_sandbox(config, large)
    assert any(f"{large} executors x" in str(w.message) or "executors x" in str(w.message) for w in caught), [
        str(w.message) for w in caught
    ]


@pytest.mark.parametrize("literal", ["{1, 3}", "(2+0j)", "b'ab'"])
def test_a_call_output_no_json_can_hold_leaves_the_row_unscored(literal):
    # round 28: a set, complex or bytes literal as an expected output failed every program, the right one included
    # (the judge compares results as JSON); such a row cannot be judged: None, never a 0.0 for a right answer
    row = [{"input": "1\n2", "output": literal, "testtype": "functional"}]
    right = f"```python\ndef f(a, b):\n    return {literal}\n```"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert code_reward([right], tests=[row], fn_name=["f"]) == [None]


def test_stop_iteration_inside_zip_of_map_ends_no_loop_early():
    # round 29's open lead: a StopIteration raised by the solution inside zip(map(...)) would end the loop with no
    # failed assert in plain Python; it crosses the channel as a RuntimeError
    harness = "def check(candidate):\n    for a, b in zip(map(candidate, [1, 2, 3]), [2, 3, 4]):\n        assert a == b\n\ncheck(inc)\n"
    programs = [
        f"```python\ndef inc(x):\n    {body}\n```" for body in ("raise StopIteration", "return x + 1", "return x")
    ]
    assert code_reward(programs, tests=[{"functional": harness}] * 3) == [0.0, 1.0, 0.0]
