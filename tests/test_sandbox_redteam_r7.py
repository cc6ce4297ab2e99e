"""Red-team round 7 of the code sandbox: each finding's regression, then an innocent wrong (0.0) and an innocent right
(1.0) program on the same reward object (the attacks were written by a separate red team and are not in the repository)."""

from __future__ import annotations

import pytest
from sandbox_helpers import block, needs_bwrap, scores

from archer_trl.rewards import make_code_reward

pytestmark = needs_bwrap


@pytest.fixture(scope="module")
def reward():
    return make_code_reward(num_workers=1, test_timeout=6, max_tests=None)


WRONG = "def solve(n):\n    return n + 1"
RIGHT = "def solve(n):\n    if n < 0:\n        raise ValueError(n)\n    return 2 * n"
RAISING = {
    "assertion_error": "def solve(n):\n    raise AssertionError('x')",
    "value_error": "def solve(n):\n    raise ValueError('x')",
    "exits": "import os\ndef solve(n):\n    os._exit(0)",
    "key_error": "def solve(n):\n    raise KeyError(n)",
}
# harnesses that catch what the solution raises (attacks 01-05)
CATCHING = {
    "except_assertion": "def check(c):\n    assert c(3) == 6\ntry:\n    check(solve)\nexcept AssertionError:\n"
    "    print('FAILED')",
    "collecting": "failures = []\nfor arg, want in [(3, 6), (5, 10)]:\n    try:\n        assert solve(arg) == want\n"
    "    except Exception as error:\n        failures.append(repr(error))\nprint(failures)",
    "bare_except": "def check(c):\n    assert c(3) == 6\ntry:\n    check(solve)\nexcept:\n    print('crashed')",
    "thread_pool": "from multiprocessing.pool import ThreadPool\ndef one(arg, want):\n    assert solve(arg) == want\n"
    "pool = ThreadPool(2)\njobs = [pool.apply_async(one, (3, 6)), pool.apply_async(one, (4, 8))]\npool.close()\n"
    "pool.join()",
    "suppress": "import contextlib\nwith contextlib.suppress(Exception):\n    assert solve(3) == 6\n"
    "with contextlib.suppress(Exception):\n    assert solve(9) == 18",
}


@pytest.mark.parametrize("shape", sorted(CATCHING))
def test_round7_01_05_an_exception_of_the_solution_that_the_tests_catch_is_a_failure(reward, shape):
    tests = {"functional": CATCHING[shape], "entry_point": "solve"}
    attackers = [RAISING[name] for name in sorted(RAISING)]
    assert scores(reward, [*attackers, WRONG, RIGHT], tests) == [0.0] * (len(attackers) + 1) + [1.0]


EXPECTING = {
    "assert_raises": "import unittest\nclass T(unittest.TestCase):\n    def test_it(self):\n"
    "        self.assertEqual(solve(3), 6)\n        with self.assertRaises(ValueError):\n            solve(-1)\n"
    "        self.assertRaises(ValueError, solve, -2)\nr = unittest.TextTestRunner().run("
    "unittest.defaultTestLoader.loadTestsFromTestCase(T))\nassert r.wasSuccessful()",
    "try_body_fails": "assert solve(3) == 6\ntry:\n    solve(-1)\n    assert False, 'no error'\nexcept ValueError:\n"
    "    pass",
    "try_else_fails": "assert solve(3) == 6\ntry:\n    solve(-1)\nexcept ValueError:\n    pass\nelse:\n"
    "    raise AssertionError('no error')",
    "flag": "assert solve(3) == 6\nraised = False\ntry:\n    solve(-1)\nexcept Exception:\n    raised = True\n"
    "assert raised",
    "pytest_raises": "import pytest\nassert solve(3) == 6\nwith pytest.raises(ValueError):\n    solve(-1)\n"
    "pytest.raises(ValueError, solve, -3)",
    "expected_failure": "import unittest\nclass T(unittest.TestCase):\n    @unittest.expectedFailure\n"
    "    def test_known(self):\n        self.assertEqual(solve(3), 7)\n    def test_it(self):\n"
    "        self.assertEqual(solve(3), 6)\n        self.assertRaises(ValueError, solve, -1)\n"
    "r = unittest.TextTestRunner().run(unittest.defaultTestLoader.loadTestsFromTestCase(T))\nassert r.wasSuccessful()",
}


@pytest.mark.parametrize("shape", sorted(EXPECTING))
def test_round7_01_tests_that_expect_the_solution_to_raise_still_pass_it(reward, shape):
    tests = {"functional": EXPECTING[shape], "entry_point": "solve"}
    never_raises = "def solve(n):\n    return 2 * n"
    assert scores(reward, [never_raises, WRONG, RIGHT], tests) == [0.0, 0.0, 1.0]


# failures the harness raises and catches itself (attacks 19, 20)
SELF_CAUGHT = {
    "exec_strings": "for case in ['assert solve(3) == 6', 'assert solve(4) == 8']:\n    try:\n        exec(case)\n"
    "    except AssertionError:\n        print('failed', case)",
    "exec_with_globals": "for case in ['assert solve(3) == 6']:\n    try:\n        exec(case, {'solve': solve})\n"
    "    except AssertionError:\n        pass",
    "compile_then_exec": "code = compile('assert solve(3) == 6', 'case', 'exec')\ntry:\n    exec(code)\n"
    "except AssertionError:\n    pass",
    "testcase_outside_runner": "import unittest\ntc = unittest.TestCase()\nfor arg, want in [(3, 6), (4, 8)]:\n"
    "    try:\n        tc.assertEqual(solve(arg), want)\n    except AssertionError as error:\n        print(error)",
    "raise_in_helper": "def expect(got, want):\n    if got != want:\n        raise AssertionError(f'{got} != {want}')\n"
    "for arg, want in [(3, 6), (4, 8)]:\n    try:\n        expect(solve(arg), want)\n    except AssertionError:\n"
    "        pass",
}


@pytest.mark.parametrize("shape", sorted(SELF_CAUGHT))
def test_round7_19_20_failures_the_tests_raise_and_catch_themselves_count(reward, shape):
    tests = {"functional": SELF_CAUGHT[shape], "entry_point": "solve"}
    assert scores(reward, [WRONG, "def solve(n):\n    return 0", RIGHT], tests) == [0.0, 0.0, 1.0]


# background work of the tests ends before the verdict (attacks 06, 07)
BACKGROUND = {
    "join_timeout": "import threading\ndef body():\n    assert solve(3) == 6\nt = threading.Thread(target=body)\n"
    "t.start()\nt.join(0.5)",
    "daemon_join_timeout": "import threading\ndef body():\n    assert solve(3) == 6\n"
    "t = threading.Thread(target=body, daemon=True)\nt.start()\nt.join(0.5)",
    "shutdown_nowait": "from concurrent.futures import ThreadPoolExecutor\ndef one():\n    assert solve(3) == 6\n"
    "pool = ThreadPoolExecutor(2)\nfutures = [pool.submit(one)]\npool.shutdown(wait=False)",
}


@pytest.mark.parametrize("shape", sorted(BACKGROUND))
def test_round7_06_07_a_slow_solution_cannot_push_a_failure_past_the_record(reward, shape):
    tests = {"functional": BACKGROUND[shape], "entry_point": "solve"}
    slow_wrong = "import time\ndef solve(n):\n    time.sleep(1.5)\n    return n"
    slow_right = "import time\ndef solve(n):\n    time.sleep(1.5)\n    return 2 * n"
    assert scores(reward, [slow_wrong, WRONG, RIGHT, slow_right], tests) == [0.0, 0.0, 1.0, 1.0]


HOST_COUNTERS = r"""
import ctypes, os, platform, socket
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(32)
dev = os.stat("/usr").st_dev
ustat = libc.syscall(136, ctypes.c_uint(os.makedev(os.major(dev), os.minor(dev))), buf)
ustat = ustat if platform.machine() == "x86_64" else -1
a, b = socket.socketpair()
try:
    a.getsockopt(socket.SOL_SOCKET, 57, 8)
    cookie = "cookie"
except OSError:
    cookie = "refused"
print(ustat, cookie, a.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
"""


def test_round7_08_26_host_disk_use_and_socket_cookies_are_refused(reward):
    """ustat(2) gives the host's free blocks (as statfs did); SO_COOKIE counts every socket of the host. Other socket
    options still work."""
    tests = {"inputs": [""], "outputs": [f"-1 refused {int(__import__('socket').SOCK_STREAM)}\n"]}
    assert scores(reward, [HOST_COUNTERS, "print(0)", "print(-1)"], tests)[:2] == [1.0, 0.0]


def test_round7_11_a_reply_field_the_test_kind_does_not_judge_is_refused_before_it_is_received():
    import socket

    from archer_trl.rewards.sandbox.executor import ProgramChannel, ProgramGone

    ours, theirs = socket.socketpair()
    channel = ProgramChannel(ours)
    channel.field_limits = {"result": 0}
    theirs.sendall(b'{"status": "ok", "stdout": 2}\nhi{"status": "ok", "result": 5}\n12345')
    assert bytes(channel.read(2.0)["stdout"]) == b"hi"
    with pytest.raises(ProgramGone):
        channel.read(2.0)
    theirs.close()
    channel.close()


# ------------------------------------------------------------------------------------------------ red-team round 8

FORGED_SERVER = """
import os
import sys
rpc = sys.modules["rpc"]
def add(a, b):
    return a - b
while True:
    try:
        request = rpc.receive(3)
    except EOFError:
        break
    rpc.send(3, {"r": 0} if request.get("op") == "get" else REPLY)
os._exit(0)
"""
MALFORMED = ['{"r": "x"}', '{"r": float("inf")}', '{"v": "0", "a": 5}', '{"r": True}', '{"v": 7}', '{"zz": 1}',
             '{"v": "0", "k": {"b": 3}}']  # fmt: skip


@pytest.mark.parametrize("reply", MALFORMED)
def test_round8_01_05_a_malformed_reply_from_a_replaced_server_is_a_failure_the_tests_cannot_catch(reward, reply):
    # the solution replaces its own server loop and answers calls in a shape the init never sends: reading it raised
    # an ordinary error in the check process, which `contextlib.suppress(Exception)` swallowed (wrong program: 1.0)
    harness = "import contextlib\nwith contextlib.suppress(Exception):\n    assert add(2, 3) == 5\n"
    tests = {"functional": harness, "entry_point": "add"}
    attack = block(FORGED_SERVER.replace("REPLY", reply))
    wrong, right = block("def add(a, b):\n    return a - b"), block("def add(a, b):\n    return a + b")
    assert reward([attack, wrong, right], tests=[tests] * 3) == [0.0, 0.0, 1.0]


def test_round8_17_18_big_integers_cross_both_ways(reward):
    # an honest result or argument beyond Python's default 4,300-digit conversion limit scored 0.0
    harness = "assert power(2, 20000) == 2 ** 20000\nassert power(3 ** 9000, 1) == 3 ** 9000\n"
    tests = {"functional": harness, "entry_point": "power"}
    right, wrong = "def power(a, b):\n    return a ** b", "def power(a, b):\n    return a ** b + 1"
    assert reward([block(right), block(wrong), block(right)], tests=[tests] * 3) == [1.0, 0.0, 1.0]


def test_round8_22_an_exception_that_crosses_keeps_its_own_message(reward):
    # the crossed message read "ValueError: bad input", so assertRaisesRegex(ValueError, "^bad input$") failed
    harness = (
        "import unittest\ncase = unittest.TestCase()\nwith case.assertRaisesRegex(ValueError, '^bad input$'):\n"
        "    square(-1)\nassert square(2) == 4\n"
    )
    tests = {"functional": harness, "entry_point": "square"}
    right = "def square(x):\n    if x < 0:\n        raise ValueError('bad input')\n    return x * x"
    wrong = "def square(x):\n    if x < 0:\n        raise ValueError('other')\n    return x * x"
    assert reward([block(right), block(wrong), block(right)], tests=[tests] * 3) == [1.0, 0.0, 1.0]


# ------------------------------------------------------------------------------------------------ final round (r8b)

# the solution finds its own copy of the channel module and makes replies the check process cannot decode: a
# `bytearray(10**30)` or `complex(10**400)` literal raised OverflowError while the reply was decoded, on the
# attribute, truth-value and name-lookup paths, and `contextlib.suppress(Exception)` swallowed it (wrong: 1.0)
CHANNEL = (
    "import sys\n"
    "rpc = [m for m in list(sys.modules.values()) if hasattr(m, 'serve') and hasattr(m, 'receive')][0]\n"
    "encode = rpc.encode\n"
)
UNDECODABLE = {
    "attribute": (
        CHANNEL + "def forged(value, *args, **kwargs):\n"
        "    if callable(value) and getattr(value, '__name__', '') == 'add':\n"
        "        return 'bytearray(1' + '0' * 30 + ')'\n"
        "    return encode(value, *args, **kwargs)\n"
        "rpc.encode = forged\n"
        "class Solution:\n    def add(self, a, b):\n        return a - b\n",
        "import contextlib\nwith contextlib.suppress(Exception):\n    assert Solution().add(1, 2) == 3\n",
        "class Solution:\n    def add(self, a, b):\n        return a + b\n",
    ),
    "truth_value": (
        CHANNEL + "rpc.repr = lambda value: 'complex(1' + '0' * 400 + ')'\n"
        "class Opaque:\n    pass\ndef is_even(x):\n    return Opaque()\n",
        "import contextlib\nwith contextlib.suppress(Exception):\n    assert is_even(4)\n"
        "with contextlib.suppress(Exception):\n    assert not is_even(3)\n",
        "def is_even(x):\n    return x % 2 == 0\n",
    ),
    "name_lookup": (
        CHANNEL + "calls = [0]\ndef forged(value, *args, **kwargs):\n"
        "    if callable(value) and getattr(value, '__name__', '') == 'f':\n"
        "        calls[0] += 1\n"
        "        if calls[0] >= 2:\n"
        "            return 'bytearray(1' + '0' * 30 + ')'\n"
        "    return encode(value, *args, **kwargs)\n"
        "rpc.encode = forged\n"
        "def f(x):\n    return 2 * x if x == 1 else 0\n",
        "import contextlib\nwith contextlib.suppress(Exception):\n    assert f(1) == 2\n"
        "with contextlib.suppress(Exception):\n    assert f(5) == 10\n",
        "def f(x):\n    return 2 * x\n",
    ),
}


@pytest.mark.parametrize("path", sorted(UNDECODABLE))
def test_final_round_a_reply_that_cannot_be_decoded_is_a_failure_the_tests_cannot_catch(reward, path):
    attack, harness, right = UNDECODABLE[path]
    tests = {"functional": harness}
    assert scores(reward, [attack, right], tests) == [0.0, 1.0]


def test_final_round_a_result_assigned_before_the_asserts_names_the_function_under_test(reward):
    # `b = make()` then `assert b.size == 3`: the asserts call nothing, and the row scored None (unjudgeable)
    tests = {
        "functional": "import contextlib\nb = make()\nwith contextlib.suppress(Exception):\n    assert b.size == 3\n"
    }
    right = "class Box:\n    def __init__(self):\n        self.size = 3\ndef make():\n    return Box()"
    wrong = right.replace("= 3", "= 4")
    assert scores(reward, [right, wrong, "pass"], tests) == [1.0, 0.0, 0.0]
