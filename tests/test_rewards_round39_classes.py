"""Red-team round 39 (blind, with the prompts): 44 wrong answers paid at first, again mostly through the newest
readings: a part of the question restated as the whole, a unit or quantity other than the one asked, decimal commas
read in English text, a quantity stated under a symbol or a longer name, unit vectors multiplied, hedges of the
read languages. Each class with its right twin."""

from __future__ import annotations

import pytest

from archer_trl.rewards import accuracy_reward

BASKET = "There are 13 apples in the basket and 8 in the bag. How many apples are in the basket and the bag?"


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        (BASKET, "There are $\\boxed{21}$ apples in the basket and the bag.", "21", 1.0),
        (BASKET, "There are $\\boxed{21}$ apples in the basket.", "21", 0.0),  # a part for the whole
        ("What is the area of the rectangle?", "The perimeter is $\\boxed{24}$.", "24", 0.0),
        ("What is the area of the rectangle?", "The area is $\\boxed{24}$.", "24", 1.0),
        (
            "What is the greatest common divisor of 84 and 126?",
            "The least common multiple is $\\boxed{42}$.",
            "42",
            0.0,
        ),
        ("What is its perimeter?", "$\\boxed{12}$ square units", "12", 0.0),
        ("What is the area of the floor?", "$\\boxed{12}$ cubic units", "12", 0.0),
        ("How many minutes are in three hours?", "$\\boxed{180}$ seconds", "180", 0.0),
        ("How many minutes are in three hours?", "$\\boxed{180}$ minutes", "180", 1.0),
    ],
)
def test_the_box_names_what_the_question_asks(prompt: str, ending: str, gold: str, paid: float) -> None:
    completion = "Working through it step by step.\n\n" + ending
    assert accuracy_reward([completion], [gold], prompts=[prompt]) == [paid]


@pytest.mark.parametrize(
    ("completion", "gold", "paid"),
    [
        ("The odd faces above 1 on the die are 3 and 5.\n\n$\\boxed{3,5}$", "3.5", 0.0),
        ("The son and the daughter are 2 and 5 years old.\n\nTheir ages: $\\boxed{2,5}$", "2.5", 0.0),
        ("The roots are (2,5).\n\nThe roots are $\\boxed{2,5}$.", "2.5", 0.0),
        ("Le résultat: either 1 or 5 works.\n\n$\\boxed{1,5}$", "1.5", 0.0),
        ("Die Länge beträgt $\\boxed{3,5}$ cm.", "3.5", 1.0),
        ("Also $7 : 4 = 1{,}75$.\n\nErgebnis: $\\boxed{1,75}$", "1.75", 1.0),
    ],
)
def test_a_decimal_comma_is_read_only_from_a_writer_of_decimal_commas(completion: str, gold: str, paid: float) -> None:
    assert accuracy_reward([completion], [gold]) == [paid]


@pytest.mark.parametrize(
    "work",
    [
        "Area $= 8 \\times 4 = 32$.\n\nSo the area of the rectangle is $\\boxed{24}$.",
        "Using $A = \\ell w$: $A = 8 \\cdot 4 = 32$.\n\nThe area is $\\boxed{24}$.",
        "The area is $8 \\times 4 = 32$. No mistake in the setup.\n\nThe area is $\\boxed{24}$.",
        "The area of the rectangle: $8 \\times 4 = 32$.\n\nThe area is $\\boxed{24}$.",
    ],
)
def test_a_quantity_stated_under_its_symbol_or_a_longer_name_keeps_its_value(work: str) -> None:
    # the same work stating the box's value (with arithmetic that holds: "8 \\times 4 = 24" is refused since round 49)
    right = work.replace("8 \\times 4 = 32", "6 \\times 4 = 24").replace("8 \\cdot 4 = 32", "6 \\cdot 4 = 24")
    assert accuracy_reward([work, right], ["24", "24"]) == [0.0, 1.0]


def test_a_decimal_stated_before_a_fraction_is_the_same_value() -> None:
    # round 39: the stated value was cut at the decimal point (37 for 37.5) and voided a right fraction
    completion = "Probability $= 37.5\\%$ as a percentage.\n\nThe probability is $\\boxed{\\frac{3}{8}}$."
    length = "The length is $2w$ and the perimeter is $6w = 36$, so $w = 6$.\n\nThe length is $\\boxed{12}$."
    assert accuracy_reward([completion, length], ["\\frac{3}{8}", "12"]) == [1.0, 1.0]


@pytest.mark.parametrize(
    ("box", "paid"),
    [("\\mathbf{i} \\cdot \\mathbf{j}", 0.0), ("\\hat{i}\\hat{j}", 0.0), ("\\mathbf{i} + \\mathbf{j}", 1.0)],
)
def test_unit_vectors_only_added(box: str, paid: float) -> None:
    assert accuracy_reward([f"So $\\boxed{{{box}}}$."], ["(1, 1)"]) == [paid]


@pytest.mark.parametrize(
    "hedge",
    [
        "It would appear the sum is",
        "Half-sure here:",
        "Not 100% on this, but the sum is",
        "Sauf erreur de ma part, la somme vaut",
        "間違っていたらすみませんが、和は",
        "틀릴 수도 있지만 합은",
        "Granting that 19 is included,",
        "Disclosure: the solver guesses randomly on questions like this one.\n\n",
    ],
)
def test_hedges_of_round_39(hedge: str) -> None:
    completion = f"The odd numbers up to 19 sum to $10^2$.\n\n{hedge} $\\boxed{{100}}$."
    assert accuracy_reward(
        [completion, "The odd numbers up to 19 sum to $10^2$.\n\nSo $\\boxed{100}$."], ["100"] * 2
    ) == [0.0, 1.0]
