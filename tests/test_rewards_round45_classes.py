"""Red-team round 45 (blind, 229 rows, on round 44's readings: 24 of 100 probes paid, 11 of 129 right answers
refused at first): congruences against the question's own residue (its expression, its divisor, in a chain with "="),
the box named as another quantity past a comma or an adverb, in a formula chain, as another facet counted, or in the
words of another operation, average or digit; each reading with a twin."""

from __future__ import annotations

import pytest

from archer_trl.rewards import accuracy_reward

INSTRUCTION = " Please reason step by step, and put your final answer within \\boxed{}."
SQUARE_X = "If $x \\equiv 4 \\pmod{7}$, what is the remainder when $x^2$ is divided by 7?"
NOTE = "What is the remainder when $3^{20}$ is divided by 7? Note that $3^{20}$ divided by 5 leaves remainder 1."
POWER_2 = "What is the remainder when $2^{100}$ is divided by 7?"
POWER_3 = "What is the remainder when $3^{100}$ is divided by 8?"


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        (SQUARE_X, "Squaring: $x^2 \\equiv 16$.\n\nTherefore $x \\equiv \\boxed{2} \\pmod{7}$.", "2", 0.0),
        (SQUARE_X, "Squaring: $x^2 \\equiv 16$.\n\nTherefore $x^2 \\equiv \\boxed{2} \\pmod{7}$.", "2", 1.0),
        (NOTE, "$3^{20} \\equiv \\boxed{2} \\pmod{5}$", "2", 0.0),
        (NOTE, "$3^{20} \\equiv \\boxed{2} \\pmod{7}$", "2", 1.0),
        (
            POWER_2,
            "Since $2^3 \\equiv 1 \\pmod 7$, $2^{100} = (2^3)^{33} \\cdot 2 \\equiv \\boxed{2} \\pmod{7}$.",
            "2",
            1.0,
        ),
        (POWER_2, "So $2^{100} \\equiv \\boxed{2}$ (mod 7).", "2", 1.0),
        (POWER_2, "So $2^{100} \\equiv \\boxed{2}$ (mod 5).", "2", 0.0),
        (POWER_2, "Since $2^3 \\equiv 1 \\pmod 7$, $2^{100} < 2^{101} \\equiv \\boxed{2} \\pmod{7}$.", "2", 0.0),
        (POWER_3, "Since $3^2 = 9 \\equiv 1 \\pmod 8$, we get $3^{100} \\equiv \\boxed{1} \\mod 8$.", "1", 1.0),
        (POWER_3, "$3^{100} = 9^{50} \\equiv 1^{50} = \\boxed{1} \\pmod{8}$", "1", 1.0),
        (
            "What is the remainder when $1234$ is divided by 9?",
            "$1234 = 9 \\cdot 137 + 1$, so $1234 \\equiv \\boxed{1} \\pmod 9$.",
            "1",
            1.0,
        ),
        (
            "Find $n$ with $0 \\le n < 9$ such that $n \\equiv -1111 \\pmod 9$.",
            "$-1111 \\equiv -4 \\equiv \\boxed{5} \\pmod 9$",
            "5",
            1.0,
        ),
    ],
)
def test_a_congruence_states_the_residue_the_question_asks_for(
    prompt: str, ending: str, gold: str, paid: float
) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt + INSTRUCTION]) == [paid]


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        (
            "What is the smallest prime factor of 91?",
            "The largest prime factor of 91 is, of course, $\\boxed{7}$.",
            "7",
            0.0,
        ),
        ("What is the area of the square?", "The perimeter is therefore $\\boxed{16}$.", "16", 0.0),
        ("What is the area of the square?", "The perimeter is just $\\boxed{16}$.", "16", 0.0),
        ("What is the area of the square?", "The area is therefore $\\boxed{16}$.", "16", 1.0),
        (
            "A square has side length 4 cm. What is the area of the square?",
            "The perimeter is $P = 4 \\times 4 = \\boxed{16}$.",
            "16",
            0.0,
        ),
        (
            "A square has side length 4 cm. What is the area of the square?",
            "$A = 4 \\times 4 = \\boxed{16}$",
            "16",
            1.0,
        ),
        ("What is the sum of the roots of $x^2 - 5x + 6 = 0$?", "The roots multiply to $\\boxed{5}$.", "5", 0.0),
        ("What is the sum of the roots of $x^2 - 5x + 6 = 0$?", "The sum of the roots is $\\boxed{5}$.", "5", 1.0),
        ("What is the mean of 1, 2, 6?", "The middle value is $\\boxed{3}$.", "3", 0.0),
        ("What is the mean of 1, 2, 6?", "$\\bar{x} = \\boxed{3}$", "3", 1.0),
        ("What is the units digit of $7^{4}$?", "The tens digit is $\\boxed{1}$.", "1", 0.0),
        ("What is the numerator of $\\frac{3}{4}$?", "The bottom number is $\\boxed{3}$.", "3", 0.0),
        (
            "What is the slope of the line $y = 2x + 2$?",
            "The line crosses the vertical axis at $\\boxed{2}$.",
            "2",
            0.0,
        ),
        ("What is the greatest common divisor of 12 and 18?", "$\\operatorname{lcm}(12, 18) = \\boxed{6}$", "6", 0.0),
        ("What is the greatest common divisor of 12 and 18?", "$\\gcd(12, 18) = \\boxed{6}$", "6", 1.0),
        ("Let $f(x) = 3x + 2$. Find $f(4)$.", "$f^{-1}(4) = \\boxed{14}$", "14", 0.0),
        ("How many positive divisors does 36 have?", "36 has $\\boxed{9}$ prime factors.", "9", 0.0),
        ("How many positive divisors does 36 have?", "36 has $\\boxed{9}$ positive factors.", "9", 1.0),
        (
            "What is the least common multiple of 4 and 6?",
            "This means the least common multiple is $\\boxed{12}$.",
            "12",
            1.0,
        ),
    ],
)
def test_the_box_named_as_another_quantity_in_more_words(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt + INSTRUCTION]) == [paid]


def test_a_rounding_stated_as_a_lead() -> None:
    ending = "$\\sqrt{10} \\approx 3.1623$.\n\nTo the nearest hundredth: $\\boxed{3.16}$"
    prompts = ["What is $\\sqrt{10}$ to the nearest hundredth?", "What is $\\sqrt{10}$?"]
    assert accuracy_reward([ending] * 2, ["3.16"] * 2, prompts=[p + INSTRUCTION for p in prompts]) == [1.0, 0.0]
