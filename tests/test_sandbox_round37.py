"""Red-team round 37 (33 attacks from the source and docs alone: no escape, no reward hack, 1 self-made None).

- a program filled its tests' tmpfs (``/sandbox/io``) with named files after answering test 0; the next test's stdin,
  larger than what test 0's files gave back, could not be written, and the sample scored None (unscored) instead of
  0.0, with ``partial=True`` too. The init now empties that tmpfs before each test;
- ``mknod`` made a FIFO (a pipe by another name), ``statx`` read mount ids the host allocates, and ``adjtimex`` read
  the host clock's state: all three are refused now."""

from __future__ import annotations

import json

import pytest
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.reward import CodeReward, run_program

# right on the two-number test only (max + min is no sum); the second test's input is larger than test 0's files
SUITE = {
    "inputs": ["2\n1 2\n", "20000\n" + " ".join(["7"] * 20000) + "\n", "3\n1 2 3\n"],
    "outputs": ["3\n", "140000\n", "6\n"],
}
FILL = """
import os, sys
n = int(input()); xs = list(map(int, input().split()))
print(max(xs) + min(xs)); sys.stdout.flush()
os.makedirs("/sandbox/io/d/e", exist_ok=True)
os.chmod("/sandbox/io/d", 0)  # a directory of its own the init cannot list until it changes the mode back
i = 0
while True:
    try:
        with open(f"/sandbox/io/f{i}", "wb", buffering=0) as f:
            for _ in range(8192):
                f.write(b"x" * 4096)
    except OSError:
        break
    i += 1
"""
RIGHT = "n = int(input()); print(sum(map(int, input().split())))"


@needs_bwrap
def test_a_program_that_fills_its_test_files_tmpfs_scores_its_own_failure():
    verdict = run_program(FILL, SUITE)
    assert verdict.infrastructure_error is None, verdict
    assert verdict.statuses[:2] == ["pass", "wrong"], verdict
    completions = [f"```python\n{FILL}\n```", f"```python\n{RIGHT}\n```"]
    assert CodeReward(num_workers=2)(completions, tests=[json.dumps(SUITE)] * 2) == [0.0, 1.0]
    partial = CodeReward(num_workers=2, partial=True)(completions[:1], tests=[json.dumps(SUITE)])
    assert partial == [pytest.approx(1 / 3)]


@needs_bwrap
@pytest.mark.parametrize(
    "call",
    [
        "os.mkfifo('/tmp/fifo')",
        "os.mknod('/tmp/node')",
        "ctypes.CDLL(None, use_errno=True).syscall(332, -100, b'/tmp', 0, 0x1000, ctypes.create_string_buffer(256))",
        "ctypes.CDLL(None, use_errno=True).syscall(159, ctypes.create_string_buffer(256))",
    ],
    ids=["mkfifo", "mknod", "statx", "adjtimex"],
)
def test_fifos_mount_ids_and_the_host_clock_state_are_refused(call):
    import platform

    if platform.machine() != "x86_64" and "syscall(" in call:
        pytest.skip("raw x86_64 syscall numbers")
    probe = (
        "import ctypes, os\ntry:\n"
        f"    result = {call}\n"
        "    print('allowed' if result is None or result >= 0 else f'refused {ctypes.get_errno()}')\n"
        "except OSError as error:\n    print('refused', error.errno)\n"
    )
    verdict = run_program(probe, {"inputs": [""], "outputs": ["refused 1\n"]})
    assert verdict.statuses == ["pass"], verdict.first_failure
