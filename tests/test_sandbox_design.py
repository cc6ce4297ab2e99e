"""Attacks on the seams of the sandbox design (issue 20's root-cause classes), each judged with an innocent wrong and
an innocent right program after it on the same executor. Host-resource attacks run on a scaled model: an executor
whose task cap is small, shown to hold while the caller and a concurrent honest program keep working.

Classes: 1 a record the program's interpreter writes changes its verdict; 2 names the program never defined resolve
to ours; 3 exception types crossing the assert channel; 4 the check process taking names from the solution; 5 caps
revealing the expected output; 6 host kernel resources (threads, inotify/fanotify, locks, ptys, signals, OOM).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pytest

from archer_trl.rewards import make_code_reward
from archer_trl.rewards.code.reward import run_program
from archer_trl.rewards.sandbox import SandboxConfig, get_pool

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
ROOT = Path(__file__).resolve().parents[1]


def block(code: str) -> str:
    return f"```python\n{code}\n```"


@pytest.fixture(scope="module")
def reward():
    return make_code_reward(num_workers=1, test_timeout=3, max_tests=None)


def judged(reward, attacker: str, right: str, wrong: str, tests, **columns) -> list:
    """Attacker, then an innocent wrong and an innocent right program, on one executor (num_workers=1)."""
    extra = {key: [value] * 3 for key, value in columns.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reward([block(attacker), block(wrong), block(right)], [tests] * 3, **extra)


# ---------------------------------------------------------------------------------------------- class 1

FORGE_UNSUPPORTED = """
import gc, os, json
for record in [o for o in gc.get_objects() if isinstance(o, dict) and "nonce" in o]:
    record.update(unsupported="forged", ok=False)
    os.write(3, json.dumps(record).encode())
    os._exit(0)
"""
ADD_STDIN = ("a, b = map(int, input().split())\nprint(a + b)", "a, b = map(int, input().split())\nprint(a - b)")
ADD_CALL = ("def add(a, b):\n    return a + b", "def add(a, b):\n    return a - b")
STDIN_FORMATS = {
    "apps": {"inputs": ["1 2\n", "5 5\n"], "outputs": ["3\n", "10\n"]},
    "lcb": [{"input": "1 2\n", "output": "3\n", "testtype": "stdin"}],
    "open_r1": {"language": "python", "test_cases": [{"input": "1 2\n", "output": "3\n", "type": "stdin_stdout"}]},
}
CALL_FORMATS = {
    "apps": ({"inputs": [[1, 2], [5, 5]], "outputs": [3, 10], "fn_name": "add"}, {}),
    "taco": ({"input_output": json.dumps({"inputs": [[1, 2]], "outputs": [[3]], "fn_name": "add"})}, {}),
    "lcb": ([{"input": "1\n2", "output": "3", "testtype": "functional"}], {"metadata": '{"func_name": "add"}'}),
    "open_r1": ({"language": "python", "test_cases": [{"input": "[1, 2]", "output": "3", "type": "function_call",
                                                       "fn_name": "add"}]}, {}),
}  # fmt: skip


@pytest.mark.parametrize("partial", [False, True])
def test_class1_a_program_cannot_mark_its_own_record_unjudgeable(partial):
    reward = make_code_reward(num_workers=1, test_timeout=3, max_tests=None, partial=partial)
    for name, tests in STDIN_FORMATS.items():
        assert judged(reward, FORGE_UNSUPPORTED, *ADD_STDIN, tests) == [0.0, 0.0, 1.0], name
    for name, (tests, columns) in CALL_FORMATS.items():
        attacker = FORGE_UNSUPPORTED + "\ndef add(a, b):\n    return 0"
        assert judged(reward, attacker, *ADD_CALL, tests, **columns) == [0.0, 0.0, 1.0], name


# ---------------------------------------------------------------------------------------------- class 2


@pytest.mark.parametrize(("name", "args"), [("gcd", [12, 18]), ("comb", [5, 2]), ("factorial", [5]),
                                            ("prod", [[2, 3, 4]]), ("isqrt", [17]), ("accumulate", [[1, 2]])])  # fmt: skip
def test_class2_names_the_program_never_defined_do_not_resolve_to_ours(reward, name, args):
    import itertools
    import math

    module = math if hasattr(math, name) else itertools
    expected = getattr(module, name)(*args)
    expected = list(expected) if name == "accumulate" else expected
    right = f"from {module.__name__} import {name} as _f\ndef {name}(*a):\n    r = _f(*a)\n    return list(r) if not isinstance(r, int) else r"  # noqa: E501
    for fmt, (tests, columns) in CALL_FORMATS.items():
        tests = json.loads(json.dumps(tests).replace('"add"', f'"{name}"').replace("add", name))
        if fmt == "apps":
            tests = {"inputs": [args], "outputs": [expected], "fn_name": name}
        elif fmt == "taco":
            tests = {"input_output": json.dumps({"inputs": [args], "outputs": [[expected]], "fn_name": name})}
        elif fmt == "lcb":
            tests = [{"input": "\n".join(json.dumps(a) for a in args), "output": json.dumps(expected),
                      "testtype": "functional"}]  # fmt: skip
            columns = {"metadata": json.dumps({"func_name": name})}
        else:
            tests = {"language": "python", "test_cases": [{"input": json.dumps(args), "output": json.dumps(expected),
                                                           "type": "function_call", "fn_name": name}]}  # fmt: skip
        assert judged(reward, "pass", right, "def unrelated():\n    pass", tests, **columns) == [0.0, 0.0, 1.0], fmt


# ---------------------------------------------------------------------------------------------- class 3

EARLY_STOP_HARNESSES = [
    "def check(candidate):\n    assert all(map(lambda t: candidate(*t[:2]) == t[2], [(1, 2, 3), (2, 2, 4)]))\ncheck(add)",
    "def check(candidate):\n    for got, want in zip(map(lambda t: candidate(*t), [(1, 2), (2, 2)]), [3, 4]):\n"
    "        assert got == want\ncheck(add)",
    "assert all(add(a, b) == c for a, b, c in [(1, 2, 3), (2, 2, 4)])\nassert list(map(add, [1], [2])) == [3]",
]


@pytest.mark.parametrize("raised", ["StopIteration", "StopAsyncIteration", "GeneratorExit", "KeyboardInterrupt",
                                    "SystemExit", "StopIteration(3)", "__import__('asyncio').CancelledError"])  # fmt: skip
def test_class3_only_allowed_exceptions_cross_and_stop_iteration_becomes_runtime_error(reward, raised):
    for harness in EARLY_STOP_HARNESSES:
        attacker = f"def add(a, b):\n    raise {raised}"
        assert judged(reward, attacker, *ADD_CALL, {"functional": harness}) == [0.0, 0.0, 1.0], harness


def test_class3_exceptions_tests_expect_still_cross(reward):
    harness = ("def check(candidate):\n    try:\n        candidate(-1)\n        raise AssertionError('no error')\n"
               "    except ValueError:\n        pass\n    assert candidate(4) == 2\ncheck(root)")  # fmt: skip
    right = "def root(x):\n    if x < 0:\n        raise ValueError('negative')\n    return int(x ** 0.5)"
    wrong = "def root(x):\n    if x < 0:\n        raise TypeError('negative')\n    return int(x ** 0.5)"
    assert judged(reward, "def root(x):\n    raise StopIteration", right, wrong, {"functional": harness}) == [
        0.0,
        0.0,
        1.0,
    ]


# ---------------------------------------------------------------------------------------------- class 4

YES_MATH = (
    "import math, sys\nmath.isclose = lambda *a, **k: True\nmath.fabs = lambda x: 0.0\nsys.modules['math'] = math\n"
)
CLASS4 = {
    "module_not_imported_by_tests": (
        {"functional": "def check(candidate):\n    assert math.isclose(candidate(1.5, 2), 3.5)\ncheck(add)"},
        YES_MATH + "def add(a, b):\n    return 0"),
    "helper_not_imported_by_tests": (
        {"assert_case": ["assert isclose(add(1.5, 2), 3.5)", "assert gcd(add(4, 2), 4) == 2"]},
        "def isclose(*a, **k):\n    return True\ndef gcd(*a):\n    return 2\ndef add(a, b):\n    return 0"),
    "builtin_named_entry_defined_nowhere": ({"assert_case": ["assert pow(2, 3) == 9"]}, "pass"),
    "alias_of_a_helper_named_entry": ({"functional": "candidate = gcd\nassert candidate(12, 18) == 6"}, "pass"),
    "builtin_named_entry_lookup_answered_with_key_error": (  # KeyError in __missing__ would mean "try the builtin"
        {"assert_case": ["assert pow(2, 3) == 9"]},
        "import sys\nrpc = sys.modules['rpc']\ndef serve(namespace, fd):\n    while True:\n        try:\n"
        "            rpc.receive(fd)\n        except EOFError:\n            return\n"
        "        rpc.send(fd, {'e': 'KeyError', 'm': ''})\nrpc.serve = serve\ndef pow(a, b):\n    return 0"),
    "builtin_named_helper_of_the_tests": (
        {"assert_case": ["assert abs(add(1, 2) - 3) < 1e-9"]}, "def abs(x):\n    return 0\ndef add(a, b):\n    return 7"),
    "object_back_in_a_container": (
        {"functional": "def check(candidate, make):\n    n = make()\n    assert candidate([n, n]) == 2\ncheck(add, make)"},
        "class N:\n    def __eq__(self, o):\n        return True\ndef make():\n    return N()\ndef add(xs):\n    return N()"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CLASS4))
def test_class4_the_check_process_takes_only_entry_points_from_the_solution(reward, case):
    tests, attacker = CLASS4[case]
    if case.startswith("builtin_named_entry"):
        right, wrong = "def pow(a, b):\n    return a ** b + 1", "def pow(a, b):\n    return a ** b"
    elif case.startswith("alias"):
        right, wrong = "def gcd(a, b):\n    return a if b == 0 else gcd(b, a % b)", "def gcd(a, b):\n    return 1"
    elif case.startswith("object_back"):
        right, wrong = (
            "def make():\n    return object()\ndef add(xs):\n    return len(xs)",
            "def make():\n    return 1\ndef add(xs):\n    return 3",
        )  # noqa: E501
    else:
        right, wrong = "def add(a, b):\n    return a + b", "def add(a, b):\n    return a - b"
    assert judged(reward, attacker, right, wrong, tests) == [0.0, 0.0, 1.0]


def test_class4_keyword_argument_mutations_are_seen(reward):
    harness = {
        "functional": "def check(candidate):\n    xs = [3, 1]\n    candidate(nums=xs)\n    assert xs == [3, 1]\ncheck(peek)"
    }
    attacker = "def peek(nums):\n    nums.sort()"  # the task says: leave the input unmodified
    right, wrong = "def peek(nums):\n    return sorted(nums)", "def peek(nums):\n    nums.reverse()"
    assert judged(reward, attacker, right, wrong, harness) == [0.0, 0.0, 1.0]


# ---------------------------------------------------------------------------------------------- class 5

LIMITS_PROBE = "import resource\nprint(resource.getrlimit(resource.RLIMIT_FSIZE), resource.getrlimit(resource.RLIMIT_AS))\nraise SystemExit(1)"  # noqa: E501


def test_class5_caps_do_not_depend_on_the_expected_output():
    seen = set()
    for expected in ("1\n", "x" * 3_000_000 + "\n"):
        verdict = run_program(LIMITS_PROBE, {"inputs": [""], "outputs": [expected]}, test_timeout=3)
        seen.add(verdict.first_failure["stdout"])
    assert len(seen) == 1, seen


# ---------------------------------------------------------------------------------------------- class 6

DENIED_CALLS = """
import ctypes, fcntl, os, struct
libc = ctypes.CDLL(None, use_errno=True)
results = [libc.inotify_init1(0), libc.syscall(253), libc.fanotify_init(0, 0), libc.syscall(300, 0, 0)]
fd = os.open("/usr/lib/os-release" if os.path.exists("/usr/lib/os-release") else "/usr", os.O_RDONLY)
results.append(libc.flock(fd, 1))  # LOCK_SH on a read-only host file
for command in (5, 6, 7, 36, 37, 38):
    try:
        fcntl.fcntl(fd, command, struct.pack("hhqqi", 0, 0, 0, 0, 0))
        results.append(0)
    except OSError:
        results.append(-1)
results.append(int(any(os.path.exists(p) for p in ("/dev/ptmx", "/dev/pts", "/dev/tty"))) - 1)
results += [libc.memfd_create(b"hoard", 0), libc.syscall(103, 10, None, 0)]  # memfd; syslog SIZE_BUFFER
context = ctypes.c_ulong(0)
results.append(libc.syscall(206, 1 << 16, ctypes.byref(context)))  # io_setup: the host-wide AIO pool
libc.mmap.restype = ctypes.c_void_p
results.append(-1 if libc.mmap(None, 2 << 20, 3, 0x22 | 0x40000, -1, 0) in (None, 2**64 - 1) else 0)  # MAP_HUGETLB
try:  # no pipe at all since round 30 (host-wide inode numbers); F_SETPIPE_SZ stays refused on any
    r, w = os.pipe()
    fcntl.fcntl(w, 1031, 1 << 20)  # F_SETPIPE_SZ
    results.append(0)
except OSError:
    results.append(-1)
import resource
results.append(-1 if resource.getrlimit(resource.RLIMIT_SIGPENDING)[0] <= 64 else 0)
print(results, file=__import__("sys").stderr)
print(3 if all(r == -1 for r in results) else 0)
"""


def test_class6_inotify_fanotify_locks_ptys_memfd_syslog_pipes_and_signals_are_refused(reward):
    verdict = run_program(DENIED_CALLS, {"inputs": [""], "outputs": ["3\n"]}, test_timeout=5)
    assert verdict.passed == 1, verdict.first_failure


THREAD_BOMB = """
import threading, time, sys
threading.stack_size(32 << 10)
made = 0
try:
    for _ in range(5000):
        threading.Thread(target=time.sleep, args=(3,), daemon=True).start()
        made += 1
except RuntimeError:
    pass
print(made)
sys.stdout.flush()
time.sleep(2)
raise SystemExit(1)
"""


def test_class6_threads_are_capped_per_executor_on_a_scaled_model():
    """pids.max 40 for the attacker's executor: the bomb stops there; the caller forks and a concurrent honest
    program on another executor scores 1.0 meanwhile."""
    small = SandboxConfig(processes=40, memory_bytes=(1 << 30) + 7)
    pool = get_pool(small, 1)
    from archer_trl.rewards.code.formats import normalize_tests
    from archer_trl.rewards.code.judge import make_judge
    from archer_trl.rewards.sandbox import RunSettings

    suite = normalize_tests({"inputs": [""], "outputs": ["0\n"]})
    box = {}
    attacker = threading.Thread(
        target=lambda: box.update(v=pool.run_one(THREAD_BOMB, suite, RunSettings(test_timeout=6), make_judge()))
    )  # noqa: E501
    attacker.start()
    honest = make_code_reward(num_workers=1, test_timeout=3, max_tests=None)
    for _ in range(3):
        assert subprocess.run(["true"], check=False).returncode == 0  # the caller can still fork
        assert honest([block(ADD_STDIN[0])], [STDIN_FORMATS["apps"]]) == [1.0]
    attacker.join()
    made = int(box["v"].first_failure["stdout"].split()[0])
    assert 0 < made < 40, made
    # the next programs on the attacker's executor start although it ended with its task cap full
    honest_suite = normalize_tests(STDIN_FORMATS["apps"])
    for _ in range(2):
        box["v"] = pool.run_one(
            THREAD_BOMB.replace("time.sleep(2)", "pass"), suite, RunSettings(test_timeout=6), make_judge()
        )  # noqa: E501
        verdict = pool.run_one(ADD_STDIN[0], honest_suite, RunSettings(test_timeout=3), make_judge())
        assert verdict.passed == 2 and verdict.infrastructure_error is None, verdict


def test_class6_sandbox_processes_are_first_for_the_oom_killer(reward):
    pool = get_pool(reward.config, reward.num_workers)
    reward([block(ADD_STDIN[0])], [STDIN_FORMATS["apps"]])
    executor = next(iter(pool._idle))
    pids = [int(p) for path in executor.cgroup.procs for p in Path(path).read_text().split()]
    assert pids and all(Path(f"/proc/{pid}/oom_score_adj").read_text().strip() == "1000" for pid in pids)


def test_class6_without_cgroups_the_fallback_still_caps_threads():
    env = {**os.environ, "ARCHER_SANDBOX_CGROUPS": "off", "PYTHONPATH": str(ROOT)}
    script = (
        "import warnings\nwarnings.simplefilter('ignore')\n"
        "from archer_trl.rewards.sandbox import describe_protections\nprint(describe_protections(probe=True))\n"
        "from archer_trl.rewards.code.reward import run_program\n"
        f"v = run_program({THREAD_BOMB!r}, {{'inputs': [''], 'outputs': ['0']}}, test_timeout=6)\n"
        "print('MADE', v.first_failure['stdout'].split()[0])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "NO cgroup" in done.stdout and "sandbox starts: yes" in done.stdout, done.stdout
    made = int(done.stdout.split("MADE")[1].split()[0])
    assert made <= 256, done.stdout


def test_class6_a_program_that_fills_its_executors_memory_scores_zero_on_a_scaled_model(monkeypatch):
    """memory.max scaled down to 320 MiB (address space 1 GiB): the kernel's OOM killer acts inside the executor's
    group; whatever it kills, the program scores 0.0, never None, and the next program on the pool scores 1.0."""
    from archer_trl.rewards.sandbox import executor as executor_module

    monkeypatch.setattr(executor_module, "memory_cap", lambda config: 320 << 20)
    reward = make_code_reward(num_workers=1, test_timeout=5, max_tests=None, memory_bytes=(1 << 30) + 11)
    hog = "chunks = []\nfor _ in range(60):\n    chunks.append(bytearray(16 << 20))\nprint(3)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert reward([block(hog), block(ADD_STDIN[0])], [STDIN_FORMATS["apps"]] * 2) == [0.0, 1.0]


CPU_PARALLEL = """
import hashlib, threading, time
block = b"x" * (1 << 22)
def spin(until):
    while time.monotonic() < until:
        hashlib.sha256(block).digest()  # releases the GIL: threads really run in parallel
start, cpu = time.monotonic(), time.process_time()
threads = [threading.Thread(target=spin, args=(start + 1.5,)) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
ratio = (time.process_time() - cpu) / (time.monotonic() - start)
print(1 if ratio < 1.3 else 0)
import sys
print(round(ratio, 2), file=sys.stderr)
"""


def test_class6_an_executor_uses_at_most_its_cpu_quota():
    from archer_trl.rewards.sandbox.hostlimits import host_limits

    if "cpu" not in host_limits().parents:
        pytest.skip("no writable cpu cgroup controller here")
    verdict = run_program(CPU_PARALLEL, {"inputs": [""], "outputs": ["1"]}, test_timeout=6)
    assert verdict.passed == 1, verdict.first_failure


def test_round21_10_an_executor_has_a_disk_io_cap():
    # O_DIRECT reads from one program took the host disk's median read latency from 0.13 ms to 21.7 ms (red-team round
    # 21); each executor's cgroup now throttles reads and writes on the disks its files live on
    from archer_trl.rewards.sandbox.executor import SandboxConfig
    from archer_trl.rewards.sandbox.hostlimits import IO_OPS_PER_SECOND, ExecutorCgroup, host_limits

    limits = host_limits()
    if "io" not in limits.parents:
        pytest.skip("no writable blkio / io cgroup controller here")
    cgroup = ExecutorCgroup(limits, SandboxConfig().processes, 1 << 30)
    try:
        directory = next(d for d in cgroup.dirs if d.startswith(limits.parents["io"]))
        name = "io.max" if limits.cgroup == "v2" else "blkio.throttle.read_iops_device"
        assert f"{IO_OPS_PER_SECOND}" in (Path(directory) / name).read_text()
    finally:
        cgroup.remove()
