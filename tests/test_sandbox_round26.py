"""Red-team round 26 (35 attacks written from the source and docs alone: no escape, 7 reward hacks from 3 causes).

- ``membarrier``'s expedited commands interrupted every core running a registered process: a receiver on another
  core counted the interrupts and decoded a 20-bit answer from a concurrent sender (4 of 4; across two trainers too);
- the core each executor is pinned to came from one turn counter over every start, so a second pool of the same
  trainer put both executors of the first on one core (the CPU channel of round 24, 3 of 3);
- call tests whose expected outputs are Python literals rather than JSON (``True``, ``(1, 2)``) kept them as text:
  the right function scored 0.0 and ``return repr(value)`` 1.0;
- latent here: ``socketpair`` of any family (INET, NETLINK, VSOCK) reached the kernel, and ``PR_SET_DUMPABLE`` let a
  test process make itself dumpable again (a crash then reaches a host's core-dump helper)."""

from __future__ import annotations

import platform
from collections import Counter

import pytest
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.reward import code_reward, run_program
from archer_trl.rewards.sandbox import SandboxConfig
from archer_trl.rewards.sandbox.executor import Executor

pytestmark = needs_bwrap


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the syscall numbers below are x86_64's")
def test_membarrier_and_foreign_socket_pairs_are_refused():
    program = (
        "import ctypes, socket\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "barrier = [libc.syscall(324, cmd, 0, 0) == -1 and ctypes.get_errno() == 1 for cmd in (0, 1, 2, 16, 32)]\n"
        "pairs = []\n"
        "for family in (socket.AF_INET, socket.AF_INET6, 16, 40):\n"  # 16 AF_NETLINK, 40 AF_VSOCK
        "    try:\n"
        "        socket.socketpair(family, socket.SOCK_STREAM)\n"
        "        pairs.append('made')\n"
        "    except PermissionError:\n"
        "        pairs.append('refused')\n"
        "    except OSError as error:\n"
        "        pairs.append('refused' if error.errno == 1 else error.errno)\n"
        "a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)\n"
        "a.send(b'ok'); print(barrier, pairs, b.recv(2).decode())\n"
    )
    expected = "[True, True, True, True, True] ['refused', 'refused', 'refused', 'refused'] ok\n"
    verdict = run_program(program, [{"input": "", "output": expected}])
    assert verdict.statuses == ["pass"], verdict


def test_a_test_process_cannot_make_itself_dumpable_again():
    program = (
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "refused = libc.prctl(4, 1, 0, 0, 0) == -1 and ctypes.get_errno() == 1\n"
        "print(refused, libc.prctl(3, 0, 0, 0, 0))\n"  # PR_GET_DUMPABLE still answers: 0
    )
    verdict = run_program(program, [{"input": "", "output": "True 0\n"}])
    assert verdict.statuses == ["pass"], verdict


def test_executors_of_two_configurations_spread_over_the_cores():
    """Two executors of one configuration, then two of another (an evaluation reward beside the training one): every
    core holds the same number of live executors, and a killed executor gives its core back."""
    first, second = SandboxConfig(), SandboxConfig(memory_bytes=(1 << 30) + 8192)
    executors = [Executor(config) for config in (first, first, second, second)]
    try:
        for executor in executors:
            executor.start()
        use = Counter(core for executor in executors for core in executor.cores)
        assert max(use.values()) - min(use.values()) <= 1 and sum(use.values()) == 4, use
        assert executors[0].cores != executors[1].cores or len(use) == 1
        freed = executors[0].cores
        executors[0].kill()
        executors[0] = Executor(first)
        executors[0].start()
        assert executors[0].cores == freed  # the least used cores are the ones just given back
    finally:
        for executor in executors:
            executor.kill()


@pytest.mark.parametrize("literal", ["True", "None", "(1, 2)", "{'a': 1}", "[1, 'a']", "'x'"])
def test_call_outputs_written_as_python_literals_are_judged_as_values(literal):
    # LiveCodeBench functional rows and open-r1 function_call rows hold each output as text (JSON, or a Python
    # literal in some datasets); APPS rows are JSON already, where "True" is the string
    livecodebench = [{"input": "1\n2", "output": literal, "testtype": "functional"}]
    open_r1 = {"language": "python", "test_cases": [{"input": "[1, 2]", "output": literal, "type": "function_call",
                                                      "fn_name": "f"}]}  # fmt: skip
    right = f"```python\ndef f(a, b):\n    return {literal}\n```"
    as_text = f"```python\ndef f(a, b):\n    return repr({literal})\n```"
    scores = code_reward([right, as_text, right, as_text], tests=[livecodebench, livecodebench, open_r1, open_r1],
                         fn_name=["f"] * 4)  # fmt: skip
    assert scores == [1.0, 0.0, 1.0, 0.0]
