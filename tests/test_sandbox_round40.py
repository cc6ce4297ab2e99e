"""Red-team round 40 (39 attacks on round 39's write-back and the rest: no escape, no self-made None, 2 reward hacks).

- a container the solution changed so that it no longer crossed (an ``object()`` appended, nesting past the limit, a
  100,001-digit int) was left out of the write-back, so the test code saw its argument unchanged: an in-place sort
  passed "the input is unchanged" (1.0, 3 of 3). Such a change now comes back unreadable and fails the call;
- the solution side counted two levels per numbered container: an argument nested 51-100 deep failed to decode there,
  and the failure came back as the solution's own ValueError, so ``pytest.raises(ValueError)`` passed a program that
  never raised (1.0, 3 of 3) and honest programs failed. Both sides now count one level, and the check side reads
  its own text as the solution side will before sending it: what it cannot read is the data's (unsupported);
- a NaN brought in at depth 100 escaped the NaN rule's depth-limited scan; the scan now has no depth limit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.reward import CodeReward


def scores(harness: str, programs: list[str]) -> list:
    tests = json.dumps({"functional": harness})
    return CodeReward(num_workers=2)([f"```python\n{p}\n```" for p in programs], tests=[tests] * len(programs))


@needs_bwrap
@pytest.mark.parametrize(
    "hidden", ["object()", "10 ** 100001", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]" * 1]
)
def test_a_change_that_no_longer_crosses_fails_the_call(hidden: str) -> None:
    harness = "a = [3, 1, 2]\nassert sorted_copy(a) == [1, 2, 3]\nassert a == [3, 1, 2]\n"
    hiding = f"def sorted_copy(a):\n    a.sort()\n    r = list(a)\n    a.append({hidden})\n    return r\n"
    honest = "def sorted_copy(a):\n    return sorted(a)\n"
    assert scores(harness, [hiding, honest]) == [0.0, 1.0]


@needs_bwrap
def test_deep_arguments_decode_alike_on_both_sides() -> None:
    depth = (
        "def depth(x):\n    d = 0\n    while isinstance(x, list):\n        x = x[0]\n        d += 1\n    return d\n"
    )
    deep = "x = 1\nfor _ in range({n}):\n    x = [x]\n"
    raises = "import pytest\n" + deep.format(n=60) + "with pytest.raises(ValueError):\n    depth(x)\n"
    assert scores(raises, [depth]) == [0.0]  # it never raises: the channel must not raise for it
    for n in (51, 60, 99):
        assert scores(deep.format(n=n) + f"assert depth(x) == {n}\n", [depth]) == [1.0], n


def test_the_nan_rule_sees_any_depth() -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "archer_trl" / "rewards" / "sandbox" / "inside"))
    try:
        import rpc
    finally:
        del sys.path[0]
    for depth in (1, 99, 100, 101, 5000):
        value: object = float("nan")
        for _ in range(depth):
            value = [value]
        assert rpc._has_nan(value), depth
    cycle: list = [1]
    cycle.append(cycle)
    assert not rpc._has_nan(cycle)


@needs_bwrap
def test_a_nan_is_counted_not_located_per_container() -> None:
    # round 41: the NaN rule looked at each container as a whole, so a NaN could be put next to one the test code
    # sent (a02: 1.0, 3 of 3), and an honest move of a row that held a NaN failed (a02c)
    harness = "a = [float('nan'), 5.0]\ncap(a, 3.0)\nassert not (a[1] > 3.0)\nassert not (a[1] < 3.0)\n"
    wrong = "def cap(xs, hi):\n    xs[1] = float('nan')\n"
    assert scores(harness, [wrong]) == [0.0]
    harness = "src = [[float('nan'), 1.0], [2.0]]\ndst = []\nmove_first(src, dst)\nassert len(dst) == 1 and dst[0][1] == 1.0 and src == [[2.0]]\n"
    assert scores(harness, ["def move_first(src, dst):\n    dst.append(src.pop(0))\n"]) == [1.0]


@needs_bwrap
def test_a_nan_the_test_code_passed_may_be_stored() -> None:
    # round 42: a NaN passed as a plain float, stored by an honest program, counted as one the solution made
    harness = "out = []\npush(out, float('nan'))\nassert len(out) == 1 and out[0] != out[0]\n"
    assert scores(
        harness,
        [
            "def push(out, x):\n    out.append(x)\n",
            "def push(out, x):\n    out.append(float('nan'))\n    out.append(x)\n",
        ],
    ) == [1.0, 0.0]
