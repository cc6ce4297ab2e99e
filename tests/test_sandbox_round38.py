"""Red-team round 38 (31 attacks from the source and docs alone: no escape, no self-made None, 1 reward hack).

An assert test's solution works on copies of the arguments, and only the top-level list, dict, set or bytearray
arguments were written back, with new contents: a list inside a tuple was never written back, and a container
inside an argument that the test code also held under another name (``inner`` of ``{'k': inner}``, ``first =
grid[0]``) kept its old value. A solution that sorted such a list in place passed "the input is unmodified" checks
(1.0, 3 of 3), which plain Python fails. Every container the test code sends is now numbered on both sides and
changed in place wherever the test code holds it; one it replaced is a new object, as in plain Python."""

from __future__ import annotations

import json

import pytest
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.reward import CodeReward

# (harness, a solution plain Python fails, one it passes)
CASES = {
    "a list inside a tuple": (
        "def check(candidate):\n    pair = ([3, 1, 2], 'x')\n    assert candidate(pair) == [1, 2, 3]\n"
        "    assert pair[0] == [3, 1, 2], 'input modified'\ncheck(f)\n",
        "def f(p):\n    p[0].sort()\n    return p[0]\n",
        "def f(p):\n    return sorted(p[0])\n",
    ),
    "a dict value held under another name": (
        "def check(candidate):\n    inner = [3, 1, 2]\n    d = {'k': inner}\n    assert candidate(d) == [1, 2, 3]\n"
        "    assert inner == [3, 1, 2], 'input modified'\ncheck(f)\n",
        "def f(d):\n    d['k'].sort()\n    return d['k']\n",
        "def f(d):\n    return sorted(d['k'])\n",
    ),
    "a row held under another name": (
        "def check(candidate):\n    grid = [[3, 1, 2], [9, 8]]\n    first = grid[0]\n"
        "    assert candidate(grid) == [[1, 2, 3], [8, 9]]\n    assert first == [3, 1, 2], 'input modified'\ncheck(f)\n",
        "def f(g):\n    for row in g:\n        row.sort()\n    return g\n",
        "def f(g):\n    return [sorted(r) for r in g]\n",
    ),
    "one list passed twice": (
        "def check(candidate):\n    a = [3, 1, 2]\n    candidate(a, a)\n    assert a == [3, 1, 2], 'input modified'\ncheck(f)\n",
        "def f(x, y):\n    x.sort()\n",
        "def f(x, y):\n    return sorted(x) + y\n",
    ),
    "an in-place change the task asks for": (
        "def check(candidate):\n    pair = ([3, 1, 2], 'x')\n    inner = pair[0]\n    candidate(pair)\n"
        "    assert inner == [1, 2, 3]\ncheck(f)\n",
        "def f(p):\n    return sorted(p[0])\n",
        "def f(p):\n    p[0].sort()\n",
    ),
    "a value replaced, not changed": (
        "def check(candidate):\n    inner = [3, 1, 2]\n    d = {'k': inner}\n    candidate(d=d)\n"
        "    assert inner == [3, 1, 2] and d['k'] == [9]\ncheck(f)\n",
        "def f(d):\n    d['k'].sort()\n",
        "def f(d):\n    d['k'] = [9]\n",
    ),
}


@needs_bwrap
@pytest.mark.parametrize("case", sorted(CASES))
def test_changes_to_arguments_show_wherever_the_test_code_holds_them(case):
    harness, wrong, right = CASES[case]
    tests = json.dumps({"functional": harness})
    for source, expected in ((wrong, "AssertionError"), (right, None)):  # plain Python, the reference
        scope: dict = {}
        try:
            exec(source + harness, scope)
            raised = None
        except AssertionError:
            raised = "AssertionError"
        assert raised == expected, (case, source)
    completions = [f"```python\n{wrong}```", f"```python\n{right}```"]
    assert CodeReward(num_workers=2)(completions, tests=[tests, tests]) == [0.0, 1.0]
