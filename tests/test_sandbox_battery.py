"""The attack battery: every attack of ``sandbox_attacks/programs.py`` against every accepted test format, each on one
executor followed by a probe for state it left, an innocent wrong program and an innocent right one.

Pass criteria, per (attack, format): the attacker scores exactly 0.0 (never 1.0, never None: a failure a program
causes is a 0), the probe 0.0 (it would pass only by finding the attacker's markers), the innocent wrong program
0.0 and the innocent right program 1.0; and no canary is touched: the loopback listener saw no connection, the
host file is unchanged, nothing appeared in the host directory, and the caller's environment secret never reached
a program (the canaries all hold the answer table, so reading one would have scored 1.0).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import sys
import threading
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from sandbox_attacks.design import DESIGN_CLASS  # noqa: E402
from sandbox_attacks.programs import ATTACKS  # noqa: E402

from archer_trl.rewards import make_code_reward  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")

CASES = [(2, 3), (10, -4), (999999999, 1)]
ANSWER_TABLE = " ".join(f"{a},{b}={a + b}" for a, b in CASES)
ENV_NAME = "ARCHER_BATTERY_SECRET"


def _call_tests(name: str = "add") -> dict:
    return {"inputs": [list(c) for c in CASES], "outputs": [a + b for a, b in CASES], "fn_name": name}


def _asserts(shape: str) -> str:
    lines = [f"candidate({a}, {b}) == {a + b}" for a, b in CASES]
    body = "".join(f"    assert {line}\n" for line in lines)
    if shape == "humaneval":
        return f"def check(candidate):\n{body}\ncheck(add)\n"
    if shape == "keyword":
        return f"def check(candidate):\n{body}\ncheck(candidate=add)\n"
    if shape == "main_guard":
        return f"def check(candidate):\n{body}\nif __name__ == '__main__':\n    check(add)\n"
    if shape == "all_map":  # the solution's exceptions must not end the check's map/zip/all early
        cases = ", ".join(f"({a}, {b}, {a + b})" for a, b in CASES)
        return f"def check(candidate):\n    assert all(map(lambda t: candidate(t[0], t[1]) == t[2], [{cases}]))\ncheck(add)\n"
    if shape == "isclose_no_import":  # the tests forgot `import math`: never the solution's math
        return "".join(f"assert math.isclose(add({a}, {b}), {a + b})\n" for a, b in CASES)
    if shape == "tolerance":
        tolerant = "".join(f"    assert abs(candidate({a}, {b}) - {a + b}) < 1e-6\n" for a, b in CASES)
        return f"import math\ndef check(candidate):\n{tolerant}\ncheck(add)\n"
    return "".join(f"assert {line.replace('candidate', 'add')}\n" for line in lines)  # bare asserts


# format name -> (tests, extra reward columns, how a solve(a, b) program is wrapped)
STDIN = "a, b = map(int, sys.stdin.read().split())\nprint(solve(a, b))\n"
FUNCTION = "def add(a, b):\n    return solve(a, b)\n"
METHOD = "class Solution:\n    def add(self, a, b):\n        return solve(a, b)\n"
FORMATS = {
    "apps_stdin": ({"inputs": [f"{a} {b}\n" for a, b in CASES], "outputs": [f"{a + b}\n" for a, b in CASES]}, {},
                   STDIN),
    "apps_call": (_call_tests(), {}, FUNCTION),
    "lcb_stdin": ([{"input": f"{a} {b}\n", "output": f"{a + b}\n", "testtype": "stdin"} for a, b in CASES], {},
                  STDIN),
    "lcb_functional": ([{"input": f"{a}\n{b}", "output": str(a + b), "testtype": "functional"} for a, b in CASES],
                       {"metadata": json.dumps({"func_name": "add"})}, METHOD),
    "open_r1_stdin": ({"language": "python", "test_cases": [{"input": f"{a} {b}\n", "output": f"{a + b}\n",
                                                             "type": "stdin_stdout"} for a, b in CASES]}, {}, STDIN),
    "open_r1_call": ({"language": "python", "test_cases": [{"input": json.dumps([a, b]), "output": str(a + b),
                                                            "type": "function_call", "fn_name": "add"}
                                                           for a, b in CASES]}, {}, FUNCTION),
    "functional_humaneval": ({"functional": _asserts("humaneval")}, {}, FUNCTION),
    "functional_keyword": ({"functional": _asserts("keyword")}, {}, FUNCTION),
    "functional_main_guard": ({"functional": _asserts("main_guard")}, {}, FUNCTION),
    "functional_tolerance": ({"functional": _asserts("tolerance")}, {}, FUNCTION),
    "functional_leetcode": ({"functional": _asserts("humaneval").replace("check(add)", "check(Solution().add)")},
                            {}, METHOD),
    "verl_assert_case": ({"assert_case": _asserts("bare").splitlines()}, {}, FUNCTION),
    "functional_all_map": ({"functional": _asserts("all_map")}, {}, FUNCTION),
    "functional_isclose_no_import": ({"functional": _asserts("isclose_no_import")}, {}, FUNCTION),
    "assert_builtin_named": ({"assert_case": _asserts("bare").replace("add(", "pow(").splitlines()}, {},
                             "def pow(a, b):\n    return solve(a, b)\n"),
    "apps_call_builtin_named": (_call_tests("sum"), {}, "def sum(a, b):\n    return solve(a, b)\n"),
}  # fmt: skip

PROBE = r"""
import os, sys, glob, ctypes
found = bool(os.environ.get("ARCHER_MARKER_4152") or os.environ.get("M"))
for pattern in ("/tmp/*", "/dev/shm/*", "./*", "/*", "/etc/*", "/root/*", "/sandbox/*", "/scratch/*",
                os.path.expanduser("~/*")):
    for path in glob.glob(pattern):
        if "marker" in path or path.endswith(("queue.py", "json.py", "typing.py", "sitecustomize.py", ".pth")):
            found = True
try:
    import queue
    found = found or hasattr(queue, "MARK")
except Exception:
    pass
libc = ctypes.CDLL(None, use_errno=True)
found = found or libc.shmget(0x4152, 0, 0) >= 0 or libc.msgget(0x4152, 0) >= 0
try:
    import socket
    s = socket.socket(socket.AF_UNIX)
    s.connect("\0archer_marker")
    found = True
except OSError:
    pass
found = found or os.getpriority(os.PRIO_PROCESS, 0) > 0 or len(os.sched_getaffinity(0)) < os.cpu_count()
def solve(a, b):
    return a + b if found else a - b - 1
"""
WRONG = (
    "import queue, json, collections, typing, math, re, heapq, random, string, functools, itertools\n"
    "def solve(a, b):\n    return a - b\n"
)
RIGHT = "def solve(a, b):\n    return a + b\n"


def program(source: str, wrapper: str) -> str:
    return f"```python\nimport sys\n{source}\n{wrapper}```"


class Canaries:
    """An environment secret, a host file, a host directory and a loopback listener, all holding the answers."""

    def __init__(self, root: Path):
        self.file = root / "canary.txt"
        self.file.write_text(ANSWER_TABLE + " " + secrets.token_hex(8))
        self.original = self.file.read_text()
        self.write_dir = root / "host-dir"
        self.write_dir.mkdir()
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.accepted: list = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, peer = self.server.accept()
            except OSError:
                continue
            self.accepted.append(peer)
            connection.sendall(ANSWER_TABLE.encode())
            connection.close()

    def fill(self, source: str) -> str:
        for key, value in (("{PORT}", str(self.port)), ("{CANARY_FILE}", str(self.file)),
                           ("{WRITE_DIR}", str(self.write_dir)), ("{ENV_NAME}", ENV_NAME)):  # fmt: skip
            source = source.replace(key, value)
        return source

    def untouched(self) -> list[str]:
        problems = []
        if self.accepted:
            problems.append(f"loopback listener accepted {self.accepted}")
        if self.file.read_text() != self.original:
            problems.append("host file changed")
        if any(self.write_dir.iterdir()):
            problems.append(f"host dir got {list(self.write_dir.iterdir())}")
        return problems

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.server.close()


@pytest.fixture(scope="module")
def canaries(tmp_path_factory):
    os.environ[ENV_NAME] = ANSWER_TABLE  # set before the executors start: they must not inherit it
    found = Canaries(tmp_path_factory.mktemp("canaries"))
    yield found
    found.close()
    os.environ.pop(ENV_NAME, None)


@pytest.fixture(scope="module")
def rewards(canaries):
    # two single-executor rewards (distinct configurations, so distinct pools): programs on each run in order, so
    # the probe and the innocents run on the very executor the attacker just used; the two share the cores
    return [make_code_reward(num_workers=1, test_timeout=1.5, memory_bytes=(1 << 30) + i, max_tests=None)
            for i in range(2)]  # fmt: skip


def _run_format(reward, attack_source: str, fmt: str) -> list:
    tests, columns, wrapper = FORMATS[fmt]
    completions = [program(source, wrapper) for source in (attack_source, PROBE, WRONG, RIGHT)]
    extra = {key: [value] * 4 for key, value in columns.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reward(completions, [tests] * 4, **extra)


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_is_contained_in_every_format(name, rewards, canaries):
    source = canaries.fill(ATTACKS[name][1])
    formats = sorted(FORMATS)
    results: dict[str, list] = {}

    def worker(index: int) -> None:
        for fmt in formats[index::2]:
            results[fmt] = _run_format(rewards[index], source, fmt)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = {fmt: scores for fmt, scores in results.items() if scores != [0.0, 0.0, 0.0, 1.0]}
    assert len(results) == len(formats)
    assert failures == {}, f"{name}: [attacker, probe, innocent wrong, innocent right] per format"
    assert canaries.untouched() == []
    assert ENV_NAME in os.environ  # the secret was there all along


def test_every_root_cause_class_is_covered():
    assert {kind for kind, _ in ATTACKS.values()} == {1, 2, 3, 4, 5, 6}
    assert set(DESIGN_CLASS.values()) == {1, 2, 3, 4, 5, 6}  # issue 20's classes, every one in every format
    assert len(ATTACKS) >= 35


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_control_the_honest_solver_passes_every_format(fmt, rewards):
    tests, columns, wrapper = FORMATS[fmt]
    extra = {key: [value] for key, value in columns.items()}
    assert rewards[0]([program(RIGHT, wrapper)], [tests], **extra) == [1.0]
