"""`reading/arithmetic.py` runs in the trainer's process on whatever a completion writes: it must never raise, never
take long, and agree with Python's own arithmetic where it answers (an independent reference: ``fractions``)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archer_trl.rewards.reading.arithmetic import approximate, residue

PIECES = ["1", "2", "7", "10", "0", "-", "+", "\\cdot", "\\times", "\\div", "^", "{", "}", "(", ")", "\\frac{", "\\sqrt{",
          "\\pi", ".", "5", "{,}", "\\text{ cm}", "x", "\\cdots", "=", "e", "99999999999"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_any_text_is_read_or_refused_without_an_error(pieces: list[str]) -> None:
    tex = "".join(pieces)
    value = approximate(tex)
    assert value is None or isinstance(value, float)
    remainder = residue(tex, 7)
    assert remainder is None or 0 <= remainder < 7


@settings(max_examples=300, deadline=None)
@given(
    st.integers(-(10**6), 10**6),
    st.integers(-(10**6), 10**6),
    st.integers(1, 10**6),
    st.integers(0, 60),
    st.integers(2, 97),
)
def test_it_agrees_with_exact_arithmetic(a: int, b: int, c: int, k: int, n: int) -> None:
    assert residue(f"{a} \\cdot {b} + {c}^{{{k}}}", n) == (a * b + c**k) % n
    exact = Fraction(a, c) + b
    assert approximate(f"\\frac{{{a}}}{{{c}}} + {b}") == pytest.approx(float(exact), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    "tex", ["(-8)^{0.5}", "0^{-1}", "10^{400}", "2^{64}^{64}", "9" * 5000, "(" * 300 + "1" + ")" * 300]
)
def test_out_of_reach_is_none(tex: str) -> None:
    assert approximate(tex) is None or isinstance(approximate(tex), float)
    assert residue(tex, 7) is None or isinstance(residue(tex, 7), int)


@pytest.mark.parametrize(
    ("ending", "paid"),
    [
        # round 49: a false equation of numbers anywhere in the answer, beyond the precision it is written to
        ("We have $$5 \\cdot 12 = 50$$ so the answer is $\\boxed{60}$.", 0.0),
        ("We have $$5 \\cdot 12 = 60$$ so the answer is $\\boxed{60}$.", 1.0),
        ("Using $\\pi = 3.14$, the area is $\\boxed{60}$.", 1.0),  # right to the precision written
        ("Using $\\pi = 3.15$, the area is $\\boxed{60}$.", 0.0),
        ("With $\\sqrt{2} = 1.41$, we get $\\boxed{60}$.", 1.0),
        ("Since $1 \\text{ hour} = 60 \\text{ minutes}$, the answer is $\\boxed{60}$.", 1.0),
        ("Auch $7 : 4 = 1{,}75$ und $5 \\div 2 = 2{,}5$; also $\\boxed{60}$.", 1.0),  # decimal commas: not read
        ("And $5 \\div 2 = 2\\tfrac{1}{2}$, so $\\boxed{60}$.", 1.0),  # a mixed number: not read
        ("Also $2^{100} = 2 \\pmod 7$, so $\\boxed{60}$.", 1.0),  # a modulus: not judged here
    ],
)
def test_a_false_equation_anywhere_in_the_answer(ending: str, paid: float) -> None:
    from archer_trl.rewards import accuracy_reward

    assert accuracy_reward(["<think>\nwork\n</think>\n\n" + ending], ["60"]) == [paid]


@pytest.mark.parametrize(
    "ending",
    [
        # review: a run-on calculation chains steps, not equalities; only the link equated to the box is checked
        "So $3 \\times 4 = 12 + 5 = \\boxed{17}$.",
        "We get $3 \\times 4 = 12 + 5 = 17$, so $\\boxed{17}$.",
    ],
)
def test_a_run_on_calculation_is_not_a_false_equation(ending: str) -> None:
    from archer_trl.rewards import accuracy_reward

    assert accuracy_reward(["<think>\nwork\n</think>\n\n" + ending], ["17"]) == [1.0]
