"""Regression tests from the red-team rounds against the issue-20 design (attack programs rewritten here in the
project's shapes). Each attacker is followed by an innocent wrong and an innocent right program on one executor.

Round 1 (29 attacks): 11 a solution object's default truth value and identity ``!=``; 12 names the tests judge with
falling through to the solution; 16 relative tolerance on large fixed-point answers; 17 ``[x]`` unwrapping outside
APPS/TACO; 18 host state through ``sysinfo``/``statfs``; 25 memfd pages outside every rlimit; 26 JSON escaping
amplifying a hostile stdout in the trainer.
"""

from __future__ import annotations

import resource
import shutil
import time
import warnings

import pytest

from archer_trl.rewards import make_code_reward
from archer_trl.rewards.code.reward import run_program

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")


def block(code: str) -> str:
    return f"```python\n{code}\n```"


@pytest.fixture(scope="module")
def reward():
    return make_code_reward(num_workers=1, test_timeout=4, max_tests=None)


def judged(reward, attacker: str, wrong: str, right: str, tests, **columns) -> list:
    extra = {key: [value] * 3 for key, value in columns.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reward([block(attacker), block(wrong), block(right)], [tests] * 3, **extra)


FALSY_VERDICT = """
class Verdict:
    def __bool__(self):
        return False
    def __eq__(self, other):
        return True
    __hash__ = object.__hash__
def is_prime(n):
    return Verdict()
"""
PRIME_RIGHT = "def is_prime(n):\n    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))"
PRIME_WRONG = "def is_prime(n):\n    return n % 2 == 0"
TRUTHINESS = {
    "check": "def check(candidate):\n    assert candidate(7)\n    assert candidate(13)\n    assert not candidate(9)\ncheck(is_prime)",
    "not_equal": "def check(candidate):\n    assert candidate(7)\n    assert candidate(8) != True\ncheck(is_prime)",
    "not_in": "assert is_prime(7)\nassert is_prime(10) not in (True, 1)\nassert is_prime(9) is not None",
}  # fmt: skip


@pytest.mark.parametrize("shape", sorted(TRUTHINESS))
def test_round1_11_a_solution_objects_truth_value_is_its_own_and_it_cannot_be_compared(reward, shape):
    tests = {"functional": TRUTHINESS[shape]}
    assert judged(reward, FALSY_VERDICT, PRIME_WRONG, PRIME_RIGHT, tests) == [0.0, 0.0, 1.0]


UNDEFINED_JUDGES = """
def add(a, b):
    return 0
def assert_equal(*args, **kwargs):
    return None
def reference(*args):
    return 0
class _Any:
    def __getattr__(self, name):
        return lambda *a, **k: True
scipy = torch = unknown_lib = _Any()
"""
JUDGE_HARNESSES = {
    "assert_equal": "def check(candidate):\n    assert_equal(candidate(2, 3), 5)\ncheck(add)",
    "unimportable_module": "def check(candidate):\n    assert scipy.isclose(candidate(2, 3), 5)\ncheck(add)",
    "unknown_module": "assert unknown_lib.allclose(add(2, 3), 5)",
    "reference_beside_a_solution_call": "def check(candidate):\n    assert candidate(2, 3) == reference(2, 3)\ncheck(add)",
}  # fmt: skip


@pytest.mark.parametrize("shape", sorted(JUDGE_HARNESSES))
def test_round1_12_names_the_tests_judge_with_never_come_from_the_solution(reward, shape):
    """The tests need a name they neither define nor import: unjudgeable from the test data alone (None for every
    program, decided before any runs), never the solution's no-op."""
    tests = {"functional": JUDGE_HARNESSES[shape]}
    right = "def add(a, b):\n    return a + b"
    assert judged(reward, UNDEFINED_JUDGES, "def add(a, b):\n    return a - b", right, tests) == [None, None, None]


def test_round1_16_decimals_never_match_beyond_the_expected_precision(reward):
    stdin = {"inputs": ["1\n", "2\n"], "outputs": ["123456789.50\n", "1000000.25\n"]}
    attacker = "n = int(input())\nprint(123456900 if n == 1 else 1000001)"
    right = "n = int(input())\nprint('123456789.5' if n == 1 else '1000000.2500001')"
    assert judged(reward, attacker, "print(0)", right, stdin) == [0.0, 0.0, 1.0]
    call = {"inputs": [[1], [2]], "outputs": [[123456789.5], [1000000.25]], "fn_name": "f"}
    attacker = "def f(n):\n    return 123456900.0 if n == 1 else 1000001.0"
    right = "def f(n):\n    return 123456789.5 if n == 1 else 1000000.25"
    assert judged(reward, attacker, "def f(n):\n    return 0", right, call) == [0.0, 0.0, 1.0]


def test_round1_17_one_element_lists_are_unwrapped_only_for_apps_and_taco(reward):
    lcb = [{"input": "1", "output": "[7]", "testtype": "functional"}]
    open_r1 = {"test_cases": [{"input": "[1]", "output": "[7]", "type": "function_call", "fn_name": "f"}]}
    attacker, wrong, right = "def f(n):\n    return 7", "def f(n):\n    return [8]", "def f(n):\n    return [7]"
    assert judged(reward, attacker, wrong, right, lcb, fn_name="f") == [0.0, 0.0, 1.0]
    assert judged(reward, attacker, wrong, right, open_r1) == [0.0, 0.0, 1.0]
    apps = {"inputs": [[1]], "outputs": [[7]], "fn_name": "f"}  # APPS wraps: both shapes are right
    assert judged(reward, attacker, wrong, right, apps) == [1.0, 0.0, 1.0]


HOST_STATE = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
buffer = ctypes.create_string_buffer(256)
seen = [libc.sysinfo(buffer), libc.statfs(b"/usr", buffer), libc.syscall(137, b"/usr", buffer), libc.syscall(138, 0, buffer)]
try:
    os.statvfs("/usr")
    seen.append(0)
except OSError:
    seen.append(-1)
print(3 if all(r == -1 for r in seen) else 0)
"""


def test_round1_18_host_wide_state_is_refused():
    assert run_program(HOST_STATE, {"inputs": [""], "outputs": ["3"]}).passed == 1


def test_round1_25_memfd_pages_are_refused():
    hoard = "import os\ntry:\n    os.memfd_create('m')\n    print(0)\nexcept OSError:\n    print(3)"
    assert run_program(hoard, {"inputs": [""], "outputs": ["3"]}).passed == 1


def test_round1_26_a_hostile_stdout_costs_the_trainer_little():
    flood = "import os\nb = b'\\x01' * (1 << 20)\nfor i in range(31):\n    os.write(1, b)"
    run_program("print(1)", {"inputs": [""], "outputs": ["1"]})
    before, start = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    verdict = run_program(flood, {"inputs": ["1\n"], "outputs": ["2\n"]}, test_timeout=20)
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert verdict.statuses == ["wrong"] and cpu < 3.0, (cpu, time.monotonic() - start)


# Round 2 (32 attacks): 28-30 a checker or input builder the tests do not define, reached through a variable
# (HumanEval/32's `poly(xs, solution)`, HumanEval/38's `encode_cyclic`, `out = candidate(x); assert is_valid(x, out)`);
# 20 a 24 MiB stdout of short lines split into millions of objects in the trainer's judge.
HELPER_ROWS = {
    "poly_through_a_variable": (
        "import math\ndef check(candidate):\n    xs = [-6, 11, -6, 1]\n    solution = candidate(xs)\n"
        "    assert math.fabs(poly(xs, solution)) < 1e-4\ncheck(find_zero)",
        "def poly(*a):\n    return 0.0\ndef find_zero(xs):\n    return 0.0"),
    "encoder_identity": (
        "def check(candidate):\n    s = 'abcdef'\n    encoded = encode_cyclic(s)\n    assert candidate(encoded) == s\n"
        "check(decode_cyclic)", "def encode_cyclic(s):\n    return s\ndef decode_cyclic(s):\n    return s"),
    "checker_through_a_variable": (
        "def check(candidate):\n    out = candidate(5)\n    assert is_valid(5, out)\ncheck(solve)",
        "def is_valid(*a):\n    return True\ndef solve(n):\n    return 0"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(HELPER_ROWS))
def test_round2_helpers_the_tests_need_but_do_not_define_make_the_row_unjudgeable(reward, case):
    harness, attacker = HELPER_ROWS[case]
    assert judged(reward, attacker, "pass", attacker, {"functional": harness}) == [None, None, None]


def test_round2_helpers_defined_in_the_tests_are_the_tests_own(reward):
    harness = (
        "def poly(xs, x):\n    return sum(c * x ** i for i, c in enumerate(xs))\n"
        + HELPER_ROWS["poly_through_a_variable"][0]
    )
    right = (
        "def find_zero(xs):\n    lo, hi = 0.0, 1.5\n    for _ in range(100):\n        mid = (lo + hi) / 2\n"
        "        v = sum(c * mid ** i for i, c in enumerate(xs))\n        lo, hi = (mid, hi) if v < 0 else (lo, mid)\n"
        "    return lo"
    )
    assert judged(reward, HELPER_ROWS["poly_through_a_variable"][1], "def find_zero(xs):\n    return 5.0", right,
                  {"functional": harness}) == [0.0, 0.0, 1.0]  # fmt: skip


def test_round2_20_short_lines_do_not_multiply_in_the_trainer():
    from archer_trl.rewards.code.judge import stdout_matches

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    flood = "ab\n" * (8 << 20)
    assert not stdout_matches(flood, "1\n2\n")
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < (200 << 10)  # KiB: far below 8M objects


ANALYSED = {  # harness -> (entry points, the names that make it unjudgeable)
    "assert add(1, 2) == 3\nassert add(2, 2) == 4": ({"add"}, set()),
    "assert isclose(area(2), 12.56)": ({"area"}, set()),
    "assert pow(2, 3) == 8": ({"pow"}, set()),
    "a = [1, 2]\nrotate(nums=a, k=1)\nassert a == [2, 1]": ({"rotate"}, set()),
    "candidate = gcd\nassert candidate(12, 18) == 6": ({"gcd"}, set()),
    "r = [3]\nfill(r)\nassert is_valid(r)": (set(), {"fill", "is_valid"}),
    "r = add(3)\nassert is_valid(r)": ({"is_valid"}, {"add"}),
    "assert is_valid(add(3))": ({"add"}, {"is_valid"}),
    "def check(candidate):\n    outs = []\n    outs.append(candidate(3))\n    assert is_valid(outs)\ncheck(solve)":
        ({"solve"}, {"is_valid"}),
    "def check(candidate):\n    assert candidate(encode(1)) == 1\ncheck(decode)": ({"decode"}, {"encode"}),
}  # fmt: skip


@pytest.mark.parametrize("harness", sorted(ANALYSED))
def test_round2_only_entry_points_come_from_the_solution_and_the_rest_is_decided_from_the_tests(harness):
    from archer_trl.rewards.sandbox.inside.checkns import analyze

    assert analyze(harness) == ANALYSED[harness]


def test_judging_costs_the_trainer_no_more_than_the_expected_output():
    """One stdout line of millions of tokens, a call result of millions of tiny values: read lazily or not at all."""
    from archer_trl.rewards.code.judge import judge_call_result, stdout_matches

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert not stdout_matches("1 " * (8 << 20), "1")
    assert not judge_call_result("[" + "{}," * (8 << 20) + "{}]", [1])
    assert judge_call_result("0.30000000000000004", 0.3) and stdout_matches("1 2 3", "1 2 3.0")
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < (200 << 10)  # KiB


# Round 3 (39 attacks against the round-2 fixes): no escape; stdout tokens and call results judged at the cost of
# the program's output (fixed before the round reported, above); 37 integers whose text is the answer matched by
# value; 18 a NaN through a negated tolerance check; 17 copy-back aliasing (plain Python's semantics, kept).
def test_round3_37_an_integer_whose_text_is_the_answer_must_be_that_text(reward):
    stdin = {"inputs": ["3\n"], "outputs": ["000 001 010 011\n"]}
    attacker = "print('0 1 10 11')"
    right = "n = int(input())\nprint(' '.join(format(i, '03b') for i in range(n + 1)))"
    assert judged(reward, attacker, "print('1.1e1')", right, stdin) == [0.0, 0.0, 1.0]
    assert judged(reward, "print('1.1e1')", "print(10)", "print(11.0)", {"inputs": [""], "outputs": ["11"]}) == [
        0.0, 0.0, 1.0]  # fmt: skip


def test_round3_18_a_nan_from_the_solution_fails_negated_checks(reward):
    harness = ("def check(candidate):\n    for r, want in ((1, 3.14159), (2, 12.56637)):\n"
               "        if abs(candidate(r) - want) > 1e-3:\n            raise AssertionError\ncheck(area)")  # fmt: skip
    attacker = "def area(r):\n    return float('nan')"
    wrong, right = "def area(r):\n    return 3.0 * r * r", "def area(r):\n    return 3.14159265 * r * r"
    assert judged(reward, attacker, wrong, right, {"functional": harness}) == [0.0, 0.0, 1.0]


def test_round3_39_replacement_characters_are_not_decoded_in_the_trainer():
    from archer_trl.rewards.code.formats import normalize_tests
    from archer_trl.rewards.code.judge import make_judge

    suite = normalize_tests({"inputs": [""], "outputs": ["ab"]})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    reply = {"status": "ok", "stdout": b"\xff " * (8 << 20) + "\U0001f600".encode()}
    assert make_judge()(suite, 0, reply) == "wrong"
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < (100 << 10)  # KiB


# ---------------------------------------------------------------------------------------------- round 4
# A fourth fresh red team: a NaN spelled another way (complex('NaN'), 'NAN', '+nanj') crossed the assert channel,
# and the stdin judge read non-ASCII digits, `_` separators, `000123`/`+123`/`123.`/`-0`, and non-"\n" line breaks
# or Unicode whitespace as the expected output.


@pytest.mark.parametrize("text", ["complex('NaN')", "complex('-nAn')", "complex('+NaNj')", "[1, complex('NAN')]"])
def test_round4_a_nan_in_any_spelling_is_refused_from_the_solution(text):
    from archer_trl.rewards.sandbox.inside.rpc import decode

    with pytest.raises(ValueError, match="NaN"):
        decode(text, allow_nan=False)
    assert decode("complex(1, 2)", allow_nan=False) == complex(1, 2)


@pytest.mark.parametrize(
    ("got", "want"),
    [
        ("１２３", "123"),  # full-width digits
        ("١٢٣", "123"),  # Arabic-Indic digits
        ("000123", "123"),
        ("+123", "123"),
        ("123.", "123"),
        ("-0", "0"),
        ("1_234.25", "1234.25"),
        ("1\x1c2", "1\n2"),  # one line with a file separator for two lines
        ("1\u20282", "1\n2"),
        ("1\x852", "1\n2"),
        ("1\u30002", "1 2"),  # ideographic space between tokens
        ("\xa0123", "123"),
    ],
)
def test_round4_numbers_and_lines_are_read_in_ascii_only(got, want):
    from archer_trl.rewards.code.judge import stdout_matches

    assert not stdout_matches(got, want)


@pytest.mark.parametrize(
    ("got", "want"),
    [("123", "123"), ("5.0", "5"), ("-7", "-7"), ("0.50", "0.5"), ("1 2\r\n3\r\n", "1 2\n3"), ("  4\t5 ", "4 5")],
)
def test_round4_honest_outputs_still_match(got, want):
    from archer_trl.rewards.code.judge import stdout_matches

    assert stdout_matches(got, want)


# ---------------------------------------------------------------------------------------------- round 5
# A fifth red team: test code that runs unittest's or doctest's runner ends normally however many checks failed
# (the runner catches them into a result object), so any program defining the function scored 1.0.

SQUARE_WRONG, SQUARE_RIGHT = "def solve(n):\n    return n + n", "def solve(n):\n    return n * n"
RUNNERS = {
    "text_runner": "import io, unittest\nclass T(unittest.TestCase):\n    def test_small(self):\n"
    "        self.assertEqual(solve(3), 9)\n    def test_big(self):\n        self.assertEqual(solve(12), 144)\n"
    "unittest.TextTestRunner(stream=io.StringIO()).run(unittest.defaultTestLoader.loadTestsFromTestCase(T))",
    "suite_run": "import unittest\nclass T(unittest.TestCase):\n    def test_it(self):\n"
    "        for n, want in ((2, 4), (5, 25)):\n            with self.subTest(n=n):\n"
    "                self.assertEqual(solve(n), want)\n"
    "unittest.defaultTestLoader.loadTestsFromTestCase(T).run(unittest.TestResult())",
    "doctest": "import doctest\ndef square_check():\n    '''\n    >>> solve(2)\n    4\n    >>> solve(7)\n    49\n"
    "    '''\ndoctest.run_docstring_examples(square_check, {'solve': solve}, verbose=False)",
}


@pytest.mark.parametrize("runner", sorted(RUNNERS))
def test_round5_failures_a_test_runner_catches_still_fail(reward, runner):
    # the attacker is the wrong program itself: it needs nothing but the runner's swallowing
    tests = {"functional": RUNNERS[runner]}
    assert judged(reward, SQUARE_WRONG, SQUARE_WRONG, SQUARE_RIGHT, tests, fn_name="solve") == [0.0, 0.0, 1.0]


# ---------------------------------------------------------------------------------------------- round 6
# A sixth red team (34 attacks): built-ins and standard helpers taken from the solution as entry points (a reference
# passed to `check`, an alias next to a declared name, the helper on an assert's expected side); failures swallowed
# by threads, futures and result classes; the last test overrunning the program's budget; host-wide `sync`; the
# page cache as a channel (its clean probes refused, timing documented); `select` above 1024 descriptors in the
# trainer; 128-256 MB of trainer memory for one hostile reply; a self-sent SIGXCPU counted as a timeout.

SORT_RIGHT = "def sort_numbers(xs):\n    return sorted(xs)"
REFERENCE_ROWS = {  # attacker, honest wrong, honest right, tests
    "builtin_passed_to_check": (
        "def sort_numbers(xs):\n    return xs\nsorted = sort_numbers", "def sort_numbers(xs):\n    return xs",
        SORT_RIGHT, {"functional": "def check(candidate, reference):\n    for xs in ([3, 1, 2], [9, 7, 8, 1]):\n"
                     "        assert candidate(list(xs)) == reference(list(xs))\ncheck(sort_numbers, sorted)"}),
    "builtin_alias_next_to_declared": (
        "def find_max(xs):\n    return xs[-1]\nmax = find_max", "def find_max(xs):\n    return xs[-1]",
        "def find_max(xs):\n    best = xs[0]\n    for x in xs:\n        best = x if x > best else best\n    return best",
        {"functional": "reference = max\ndef check(candidate):\n    for xs in ([3, 1, 2], [9, 7, 8, 1]):\n"
         "        assert candidate(xs) == reference(xs)\ncheck(find_max)", "entry_point": "find_max"}),
    "helper_on_the_expected_side": (
        "from math import gcd as _g\ndef lcm(a, b):\n    return -1\ndef gcd(a, b):\n    return -1",
        "def lcm(a, b):\n    return a * b", "def lcm(a, b):\n    from math import gcd\n    return a * b // gcd(a, b)",
        {"assert_case": ["assert lcm(4, 6) == 4 * 6 // gcd(4, 6)", "assert lcm(21, 6) == 21 * 6 // gcd(21, 6)"]}),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(REFERENCE_ROWS))
def test_round6_references_of_the_tests_are_never_the_solutions(reward, case):
    attacker, wrong, right, tests = REFERENCE_ROWS[case]
    assert judged(reward, attacker, wrong, right, tests) == [0.0, 0.0, 1.0]


HONEST_ENTRIES = {  # (harness, declared) -> entry points: names like built-ins that ARE the function under test
    ("candidate = gcd\nassert candidate(12, 18) == 6", None): {"gcd"},
    ("def check(candidate):\n    assert candidate([1, 3]) == 3\ncheck(max)", "max"): {"max"},
    ("def check(candidate):\n    assert candidate([1, 3]) == 3\ncheck(max)", None): {"max"},
    ("def check(candidate):\n    assert candidate(1, 2) == 3\ncheck(Solution().add)", "add"): {"add", "Solution"},
    ("assert abs(pow(2, 0.5) - 1.4142) < 1e-3", None): {"pow"},
    ("assert 12 == lcm(4, 6)", None): {"lcm"},
    ("def check(c, r):\n    assert c(3) == r(3)\ncheck(my_sort, sorted)", None): {"my_sort"},
}  # fmt: skip


@pytest.mark.parametrize("row", sorted(HONEST_ENTRIES, key=str))
def test_round6_names_like_built_ins_under_test_are_still_entry_points(row):
    from archer_trl.rewards.sandbox.inside.checkns import analyze

    assert analyze(*row) == (HONEST_ENTRIES[row], set())


SWALLOWING = {
    "thread": "import threading\ndef check(candidate):\n    assert candidate(3) == 9\n    assert candidate(12) == 144\n"
    "worker = threading.Thread(target=check, args=(solve,))\nworker.start()\nworker.join(timeout=5)",
    "future": "from concurrent.futures import ThreadPoolExecutor, wait\ndef check(candidate):\n"
    "    assert candidate(3) == 9\nwith ThreadPoolExecutor(2) as pool:\n    wait([pool.submit(check, solve)])",
    "result_class": "import io, unittest\nclass Quiet(unittest.TestResult):\n    def addFailure(self, test, err):\n"
    "        pass\n    def addError(self, test, err):\n        pass\nclass T(unittest.TestCase):\n"
    "    def test_it(self):\n        self.assertEqual(solve(3), 9)\n"
    "unittest.defaultTestLoader.loadTestsFromTestCase(T).run(Quiet())",
    "caught_assert": "def check(candidate):\n    try:\n        assert candidate(3) == 9\n    except AssertionError:\n"
    "        print('failed')\ncheck(solve)",
}  # fmt: skip


@pytest.mark.parametrize("runner", sorted(SWALLOWING))
def test_round6_failures_are_recorded_where_the_tests_raise_them(reward, runner):
    tests = {"functional": SWALLOWING[runner]}
    assert judged(reward, SQUARE_WRONG, SQUARE_WRONG, SQUARE_RIGHT, tests, fn_name="solve") == [0.0, 0.0, 1.0]


EXPECTED_RAISES = {  # tests that expect the solution to raise: the solution's exception is no failed check
    "assert_raises": "import unittest\nclass T(unittest.TestCase):\n    def test_it(self):\n"
    "        self.assertEqual(root(9), 3)\n        with self.assertRaises(ValueError):\n            root(-1)\n"
    "unittest.TextTestRunner().run(unittest.defaultTestLoader.loadTestsFromTestCase(T))",
    "try_except": "def check(candidate):\n    assert candidate(9) == 3\n    try:\n        candidate(-1)\n"
    "    except ValueError:\n        pass\n    else:\n        assert False, 'no error'\ncheck(root)",
    "expected_failure": "import unittest\nclass T(unittest.TestCase):\n    def test_it(self):\n"
    "        self.assertEqual(root(9), 3)\n        self.assertRaises(ValueError, root, -1)\n    @unittest.expectedFailure\n    def test_known(self):\n"
    "        self.assertEqual(root(2), 1.5)\n"
    "unittest.TextTestRunner().run(unittest.defaultTestLoader.loadTestsFromTestCase(T))",
    "future_read": "from concurrent.futures import ThreadPoolExecutor\nwith ThreadPoolExecutor(1) as pool:\n"
    "    bad = pool.submit(root, -1)\n    assert pool.submit(root, 9).result() == 3\n"
    "    assert isinstance(bad.exception(), ValueError)",
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(EXPECTED_RAISES))
def test_round6_tests_that_expect_the_solution_to_raise_still_pass(reward, case):
    right = "def root(n):\n    if n < 0:\n        raise ValueError(n)\n    return int(n ** 0.5)"
    wrong = "def root(n):\n    return int(abs(n) ** 0.5)"
    tests = {"functional": EXPECTED_RAISES[case]}
    assert judged(reward, wrong, wrong, right, tests, fn_name="root") == [0.0, 0.0, 1.0]


# Round 6's trainer-side and host-side regressions (budget, seccomp, SIGXCPU, descriptors, reply memory):
# tests/test_sandbox_redteam_host.py
