"""Honest-solution corpus: one real-style solution per test format must score 1.0, and its corrupted twin 0.0.

The solutions use what competitive and LeetCode-style Python really uses, which the sandbox's defences must not
break: functions named like built-ins, in-place solutions called with keyword arguments, ``threading.stack_size``
plus one ``Thread`` with deep recursion, names LeetCode provides without imports (``List``, ``defaultdict``), and
test code using ``Counter``, ``mock.patch('builtins.input')`` and ``redirect_stdout``.
"""

from __future__ import annotations

import json
import shutil
import warnings

import pytest

from archer_trl.rewards import make_code_reward

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")

THREADED_STDIN = """
import sys, threading
def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    parent = list(range(n + 1))
    def depth(v):  # deep recursion: the reason for the big thread stack
        return 0 if v <= 1 else 1 + depth(v - 1)
    print(depth(n) + {delta})
sys.setrecursionlimit(1 << 20)
threading.stack_size(1 << 27)
thread = threading.Thread(target=main)
thread.start()
thread.join()
"""
LEETCODE = """
class Solution:
    def topKFrequent(self, nums: List[int], k: int) -> List[int]:
        counts = defaultdict(int)
        for x in nums:
            counts[x] += 1
        return [x for x, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k{delta}]]
"""
BUILTIN_NAMED = """
def sum(values):  # the task asks for `sum`: the solution's own must be the one judged
    total = 0
    for v in values:
        total += v
    return total{delta}
"""
IN_PLACE = """
def rotate(nums, k):
    k %= len(nums)
    nums[:] = nums[-k:] + nums[:-k]{delta}
"""
CONSOLE = """
def read_two_and_add():
    return int(input()) + int(input()){delta}
def greet(name):
    print(f"hello {{name}}")
def letters(word):
    return list(word)
"""
HUMANEVAL_HARNESS = """
from unittest import mock
import io
from contextlib import redirect_stdout
from collections import Counter


def check(candidate, greet, letters):
    with mock.patch("builtins.input", side_effect=["3", "4"]):
        assert candidate() == 7
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        greet("ann")
    assert buffer.getvalue() == "hello ann\\n"
    assert Counter(letters("abca")) == Counter({"a": 2, "b": 1, "c": 1})


check(read_two_and_add, greet, letters)
"""

# format -> (tests, extra columns, honest solution template; "{delta}" is "" honest, a corruption in the twin)
CORPUS = {
    "apps_stdin": ({"inputs": ["5\n", "3000\n"], "outputs": ["4\n", "2999\n"]}, {}, THREADED_STDIN, ("0", "1")),
    "taco_call": ({"input_output": json.dumps({"inputs": [[[1, 2, 3, 4]], [[-1, 5]]], "outputs": [[10], [4]],
                                               "fn_name": "sum"})}, {}, BUILTIN_NAMED, ("", " + 1")),
    "apps_call_in_place": ({"inputs": [[[1, 2, 3], 1]], "outputs": [None], "fn_name": "rotate"}, {},
                           IN_PLACE + "\n", ("", "\n    return 0")),
    "lcb_stdin": ([{"input": "10\n", "output": "9\n", "testtype": "stdin"}], {}, THREADED_STDIN, ("0", "2")),
    "lcb_functional": ([{"input": "[1,1,1,2,2,3]\n2", "output": "[1, 2]", "testtype": "functional"}],
                       {"metadata": [json.dumps({"func_name": "topKFrequent"})]}, LEETCODE, ("", " - 1")),
    "open_r1_stdin": ({"language": "python", "test_cases": [{"input": "7\n", "output": "6\n", "type": "stdin_stdout"}]},
                      {}, THREADED_STDIN, ("0", "-1")),
    "open_r1_call": ({"language": "python", "test_cases": [{"input": "[[5, 6]]", "output": "11", "type": "function_call",
                                                            "fn_name": "sum"}]}, {}, BUILTIN_NAMED, ("", " * 2")),
    "humaneval_functional": ({"functional": HUMANEVAL_HARNESS}, {}, CONSOLE, ("", " + 1")),
    "verl_assert_case": ({"assert_case": ["a = [1, 2, 3, 4]", "rotate(nums=a, k=1)", "assert a == [4, 1, 2, 3]"]},
                         {}, IN_PLACE, ("", "\n    nums.reverse()")),
    "mbpp_builtin_named": ({"assert_case": ["assert sum([1, 2, 3]) == 6", "assert sum([]) == 0"]}, {}, BUILTIN_NAMED,
                           ("", " - 1")),
}  # fmt: skip


@pytest.fixture(scope="module")
def reward():
    return make_code_reward(num_workers=2, test_timeout=4, max_tests=None)


def _completion(template: str, delta: str) -> str:
    return "```python\n" + template.replace("{delta}", delta).replace("{{", "{").replace("}}", "}") + "\n```"


@pytest.mark.parametrize("fmt", sorted(CORPUS))
def test_honest_solution_scores_one_and_its_corrupted_twin_zero(reward, fmt):
    tests, columns, template, (honest, corrupted) = CORPUS[fmt]
    completions = [_completion(template, honest), _completion(template, corrupted)]
    extra = {key: value * 2 for key, value in columns.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unscored (None) sample would warn
        assert reward(completions, [tests, tests], **extra) == [1.0, 0.0]
