"""Red-team round 40 (blind, with the prompts): 44 wrong answers paid at first. Units written as symbols or British
spellings against the unit the question asks, a dimension written as an exponent, a quantity stated with another
verb or symbol, decimal commas beside the two numbers written apart, a question's phrases restated out of order or
without its negation, two "rounds to" results, a second reading."""

from __future__ import annotations

import pytest

from archer_trl.rewards import accuracy_reward


@pytest.mark.parametrize(
    ("prompt", "ending", "paid"),
    [
        ("How long is the movie, in minutes?", "The showing lasts $\\boxed{155\\text{ s}}$.", 0.0),
        ("How long is the movie, in minutes?", "The showing lasts $\\boxed{155\\text{ min}}$.", 1.0),
        ("How long is each piece, in centimeters?", "Each piece is $\\boxed{155}\\,\\text{mm}$ long.", 0.0),
        ("How far does she run, in kilometers?", "$\\boxed{155}$ kilometres.", 1.0),
        ("How far does she run, in miles?", "$\\boxed{155}$ kilometres.", 0.0),
        ("In how many days will it be finished?", "$\\boxed{155}$ wks.", 0.0),
        ("What is the perimeter of the square?", "The perimeter is $\\boxed{155}\\ \\text{cm}^2$.", 0.0),
        ("What is the area of the floor?", "The area is $\\boxed{155}\\,\\text{m}^3$.", 0.0),
        ("What is the area of the floor?", "The area is $\\boxed{155}\\,\\text{m}^2$.", 1.0),
        ("He pays $4 for each. How much does he spend in total?", "He spends $\\boxed{€155}$.", 0.0),
        ("How many edges does the solid have?", "The solid has $\\boxed{155}$ vertices.", 0.0),
        ("How many students are not in the band?", "So $\\boxed{155}$ students in the band.", 0.0),
        (
            "How many more pages did she read on Monday than on Tuesday?",
            "She read $\\boxed{155}$ more pages on Tuesday than on Monday.",
            0.0,
        ),
        (
            "How many more pages did she read on Monday than on Tuesday?",
            "She read $\\boxed{155}$ more pages on Monday than on Tuesday.",
            1.0,
        ),
    ],
)
def test_the_unit_dimension_and_phrases_are_the_questions(prompt: str, ending: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], ["155"], prompts=[prompt]) == [paid]


@pytest.mark.parametrize(
    "work",
    [
        "Area $= 6 \\times 8 = 56$.\n\nSo the area comes to $\\boxed{48}$.",
        "We have $[ABCD] = 6 \\cdot 7 = 42$.\n\nThe area is $\\boxed{48}$.",
        "$V_{\\text{box}} = 4 \\cdot 3 \\cdot 5 = 60$.\n\nThe volume is $\\boxed{48}$.",
        "The perimeter comes out as 30 cm.\n\nThe perimeter is $\\boxed{48}$.",
        "The speed was 50 km/h over the whole trip.\n\nThe speed is $\\boxed{48}$ km/h.",
    ],
)
def test_a_quantity_stated_with_any_verb_or_symbol_keeps_its_value(work: str) -> None:
    assert accuracy_reward([work], ["48"]) == [0.0]


def test_another_objects_quantity_and_a_rounded_statement_are_no_conflict() -> None:
    radii = "The radius of the small circle is $3$, and the ratio is $3$.\n\nSo the radius of the large circle is $\\boxed{9}$."
    rounded = "The area is $16\\pi \\approx 50.27$.\n\nTo the nearest whole number, the area is $\\boxed{50}$."
    assert accuracy_reward([radii, rounded], ["9", "50"]) == [1.0, 1.0]


@pytest.mark.parametrize(
    "work",
    [
        "Die Lösungen sind $x_1 = 2$ bzw. $x_2 = 5$. Also ist die Antwort $\\boxed{2,5}$.",
        "Les solutions sont $x=2$ ou bien $x=5$. Donc la réponse est $\\boxed{2,5}$.",
        "Die Nullstellen liegen bei 2 sowie 5, das Ergebnis ist $\\boxed{2,5}$.",
    ],
)
def test_a_decimal_comma_beside_its_two_numbers_written_apart_is_a_list(work: str) -> None:
    assert accuracy_reward([work, "Die Länge beträgt $\\boxed{2,5}$ cm."], ["2.5", "2.5"]) == [0.0, 1.0]


def test_two_rounded_results_and_a_second_reading_are_two_answers() -> None:
    prompt = "Round your answer to the nearest whole number: what is $\\sqrt{156.25}$?"
    two = "$\\sqrt{156.25} = 12.5$. With round-half-up it rounds to 13; with round-half-even it rounds to 12.\n\n$\\boxed{13}$"
    one = "$\\sqrt{156.25} = 12.5$, which rounds to $13$.\n\nSo the answer is $\\boxed{13}$."
    reading = "Counting gives 6. A stricter reading gives four times as many.\n\nThe answer is $\\boxed{6}$."
    assert accuracy_reward([two, one], ["13", "13"], prompts=[prompt] * 2) == [0.0, 1.0]
    assert accuracy_reward([reading], ["6"]) == [0.0]
