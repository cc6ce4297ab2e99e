"""Red-team round 39 (35 attacks from the source and docs alone: no escape, no self-made None; 2 reward hacks and 3
honest solutions failed, all in round 38's argument write-back). The two sides numbered the containers of a call
each on its own, so they could disagree (two NaN keys in a dict), an object passed twice became two copies whose
changes could not both show, every container was written back even when unchanged (losing a NaN's identity), a
change made before an exception never came back, and a NaN written into an argument passed negated checks it would
fail as a result. Now the check side numbers each container once as it sends it (``_c(n, [...])``, later places
``_c(n)``), the solution decodes one object per number, and only the containers it changed travel back, also from a
call that raised; a NaN the solution put where there was none fails the call, as a NaN result does."""

from __future__ import annotations

import json

import pytest
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.reward import CodeReward

# (harness, a solution plain Python fails, one it passes); F2 is held to the result rule, not to plain Python
CASES = {
    "one list passed twice, changed through both names": (
        "def check(candidate):\n    x = [1]\n    candidate(x, x)\n    assert x == [1, 2]\ncheck(f)\n",
        "def f(a, b):\n    a.append(2)\n    b.append(3)\n",
        "def f(a, b):\n    a.append(2)\n",
    ),
    "a NaN written into an argument": (
        "def check(candidate):\n    arr = [-1, 2, -3, 4]\n    candidate(arr)\n    assert len(arr) == 4\n"
        "    assert not any(v < 0 for v in arr)\n    assert not any(v > 4 for v in arr)\ncheck(f)\n",
        "def f(a):\n    a[:] = [float('nan')] * len(a)\n",
        "def f(a):\n    a[:] = [max(0, min(4, v)) for v in a]\n",
    ),
    "two NaN keys in a dict": (
        "def check(candidate):\n    d = {float('nan'): [], float('nan'): []}\n    out = []\n    candidate(d, out)\n"
        "    assert out == [1]\ncheck(f)\n",
        "def f(d, out):\n    out.append(2)\n",
        "def f(d, out):\n    out.append(1)\n",
    ),
    "an unchanged list holding a NaN": (
        "def check(candidate):\n    x = [float('nan'), 1]\n    y = list(x)\n    candidate(x)\n    assert x == y\ncheck(f)\n",
        "def f(a):\n    a.append(1)\n",
        "def f(a):\n    return len(a)\n",
    ),
    "a change before the expected exception": (
        "import pytest\ndef check(candidate):\n    x = [3, 1, 2]\n    with pytest.raises(ValueError):\n"
        "        candidate(x)\n    assert x == [1, 2, 3]\ncheck(f)\n",
        "def f(a):\n    raise ValueError('no')\n",
        "def f(a):\n    a.sort()\n    raise ValueError('sorted, then refused')\n",
    ),
    "a list that comes to hold itself": (
        "def check(candidate):\n    x = [1]\n    candidate(x)\n    assert x[1] is x\ncheck(f)\n",
        "def f(a):\n    a.append([1])\n",
        "def f(a):\n    a.append(a)\n",
    ),
    "a set and a bytearray": (
        "def check(candidate):\n    s = {1}\n    b = bytearray(b'ab')\n    candidate(s, b)\n"
        "    assert s == {1, 2} and b == bytearray(b'abc')\ncheck(f)\n",
        "def f(s, b):\n    s.add(3)\n",
        "def f(s, b):\n    s.add(2)\n    b.append(99)\n",
    ),
}


@needs_bwrap
@pytest.mark.parametrize("case", sorted(CASES))
def test_arguments_are_one_object_on_both_sides_and_only_changes_come_back(case):
    harness, wrong, right = CASES[case]
    tests = json.dumps({"functional": harness})
    completions = [f"```python\n{wrong}```", f"```python\n{right}```"]
    assert CodeReward(num_workers=2)(completions, tests=[tests, tests]) == [0.0, 1.0]


@needs_bwrap
def test_a_change_to_a_container_never_sent_fails_the_call():
    # the solution's side of the channel answers what it likes: a write-back naming a container the test code never
    # sent, or defining one, is the machinery failing (0.0), never a change to the test code's data
    harness = (
        "def check(candidate):\n    x = [3, 1, 2]\n    assert candidate(x) == 1\n    assert x == [3, 1, 2]\ncheck(f)\n"
    )

    def forge(change: str) -> str:
        return (
            "import rpc\nreal = rpc.held_now\ncalls = []\n"
            "def held_now(containers, *numbers):\n    calls.append(1)\n    now = real(containers, *numbers)\n"
            f"    return {{**now, {change}}} if len(calls) % 2 == 0 else now\n"
            "rpc.held_now = held_now\ndef f(a):\n    return 1\n"
        )

    tests = json.dumps({"functional": harness})
    # the hook runs (a change naming container 0, to what it held, passes), and a container never sent fails
    completions = [f"```python\n{forge(change)}```" for change in ("0: '[3, 1, 2]'", "7: '[1]'", "0: '_c(0, [1])'")]
    assert CodeReward(num_workers=1)(completions, tests=[tests] * 3) == [1.0, 0.0, 0.0]
