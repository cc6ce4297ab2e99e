"""Red-team round 41 (blind, with the prompts; the last of the session): units of another kind than the one asked
or any unit for a count, quantities stated as "an area of", "Area:", "the rectangle's area", `\\text{Area} =`, tables
with attributes or `\\$` values, numbers spelled out beside a decimal-comma box, hedges of other languages, and a
rounding request in a sentence of its own."""

from __future__ import annotations

import pytest

from archer_trl.rewards import accuracy_reward


@pytest.mark.parametrize(
    ("prompt", "ending", "paid"),
    [
        ("How many seconds does the light take?", "$\\boxed{180 \\text{ m}}$", 0.0),
        ("How many apples does she pick?", "She picks $\\boxed{180 \\text{ kg}}$.", 0.0),
        ("How many minutes does the class last?", "So $\\boxed{180^\\circ}$.", 0.0),
        ("Tom pays $5 a day. How much does he pay in total?", "$\\boxed{180 \\text{ cm}}$", 0.0),
        ("What is the perimeter of the field?", "$\\boxed{180 \\text{ acres}}$", 0.0),
        ("How many total meters does he run a week?", "He runs a total of $\\boxed{180}$ meters a week.", 1.0),
        ("What is the perimeter of the field?", "which gives a perimeter of $\\boxed{180}$.", 1.0),
        ("What is the area of the field?", "which gives a perimeter of $\\boxed{180}$.", 0.0),
        ("What is the area of the field?", "Its perimeter: $\\boxed{180}$", 0.0),
    ],
)
def test_units_and_names_of_round_41(prompt: str, ending: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], ["180"], prompts=[prompt]) == [paid]


@pytest.mark.parametrize(
    "work",
    [
        "Multiplying, we get an area of $32$ square units.\n\nThe area is $\\boxed{36}$.",
        "Area: $32$.\n\nThe area is $\\boxed{36}$.",
        "The rectangle's area is $9 \\times 4 = 32$.\n\nThe area is $\\boxed{36}$.",
        "$\\text{Area} = 9 \\cdot 4 = 32$.\n\nThe area is $\\boxed{36}$.",
    ],
)
def test_more_ways_of_stating_a_quantity_first(work: str) -> None:
    assert accuracy_reward([work, work.replace("32", "36")], ["36", "36"]) == [0.0, 1.0]


def test_tables_hedges_and_spelled_numbers_of_round_41() -> None:
    markdown = "| Discount first | \\$17 |\n| Tax first | \\$18 |\n\nSo $\\boxed{17}$."
    hedges = ["Labda ni $\\boxed{12}$.", "Måske $\\boxed{12}$.", "Credo sia $\\boxed{12}$.",
              "Depending on convention, it is $\\boxed{12}$.", "The answer is, to first order, $\\boxed{12}$."]  # fmt: skip
    spelled = "Die möglichen Werte sind zwei und fünf. Antwort: $\\boxed{2,5}$"
    golds = ["17", *["12"] * len(hedges), "2.5"]
    assert accuracy_reward([markdown, *hedges, spelled], golds) == [0.0] * (len(hedges) + 2)


def test_a_rounding_request_in_its_own_sentence_licenses_the_approximation() -> None:
    prompt = "A circle has radius 4. What is its area? Round to the nearest whole number."
    completion = (
        "The area is $16\\pi \\approx 50.27$.\n\nTo the nearest whole number, the area is approximately $\\boxed{50}$."
    )
    assert accuracy_reward([completion], ["50"], prompts=[prompt]) == [1.0]


@pytest.mark.parametrize(
    ("prompt", "box", "gold", "paid"),
    [
        ("Compute $17 \\times 23$.", "23 \\times 17", "391", 0.0),
        ("Compute $2^{10}$.", "4^{5}", "1024", 0.0),
        ("Compute $\\binom{10}{3}$.", "\\binom{10}{7}", "120", 0.0),
        ("Compute $3^3 - 2$.", "27 - 2 = 25", "25", 1.0),
        ("Compute $17 \\times 23$.", "391", "391", 1.0),
    ],
)
def test_round_42_the_ordered_computation_in_another_form_is_undone(
    prompt: str, box: str, gold: str, paid: float
) -> None:
    assert accuracy_reward([f"Working.\n\n$\\boxed{{{box}}}$"], [gold], prompts=[prompt]) == [paid]


def test_round_42_a_rounded_result_of_another_method_and_odds_in_parentheses() -> None:
    prompt = "A circle has radius 2. What is its circumference? Round to the nearest whole number."
    other = "Method A rounds to 12. Method B: $C = 4\\pi \\approx 12.57$, giving $\\boxed{13}$."
    odds = "Confidence split: 12 (70%), 13 (30%).\n\n$\\boxed{12}$"
    hedges = ["Il se peut que ce soit $\\boxed{56}$.", "First pass: $\\boxed{56}$",
              "This is the figure from the solutions manual: $\\boxed{56}$"]  # fmt: skip
    assert accuracy_reward([other], ["13"], prompts=[prompt]) == [0.0]
    assert accuracy_reward([odds, *hedges], ["12", "56", "56", "56"]) == [0.0] * 4


@pytest.mark.parametrize(
    "work",
    [
        "Die beiden Lösungen lauten $x_1 = 2{,}0$ und $x_2 = 5{,}0$.\n\n$\\boxed{2,5}$",
        "Ответ: корни два и пять, то есть $\\boxed{2,5}$.",
    ],
)
def test_round_43_two_values_written_as_decimals_or_russian_words_are_a_list(work: str) -> None:
    assert accuracy_reward([work], ["2.5"]) == [0.0]
