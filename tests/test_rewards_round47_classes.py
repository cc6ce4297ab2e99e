"""Red-team round 47 (blind, 235 rows, aimed at rounds 44-46's readings: 24 of 98 probes paid, 25 of 137 ordinary
right answers refused at first): residue questions in other words, chains that rewrite the question's expression,
false steps anywhere in the answer's congruences and in plain arithmetic chains; names read in the subject the box is
said to be, never in the work on the way; labels compared by value."""

from __future__ import annotations

import pytest

from archer_trl.rewards import accuracy_reward

INSTRUCTION = " Please reason step by step, and put your final answer within \\boxed{}."
MOD7 = "What is the remainder when $2^{100}$ is divided by 7?"


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        ("What is the remainder of $2^{100}$ upon division by 7?", "$2^{100} \\equiv 1^{33} \\cdot 2 \\equiv \\boxed{2} \\pmod{7}$", "2", 1.0),
        ("What is the remainder when 2^100 is divided by 7?", "So $2^{100} \\equiv \\boxed{2} \\pmod 7$.", "2", 1.0),
        ("What remainder does $2^{100}$ leave when divided by 7?", "Thus $2^{100} \\equiv 2^{1} \\equiv \\boxed{2} \\pmod{7}$.", "2", 1.0),
        ("When $3^{2022}$ is divided by 5, what is the remainder?", "$3^{2022} \\equiv 3^2 \\equiv \\boxed{4} \\pmod{5}$", "4", 1.0),
        ("Find the remainder when $10^{50}$ is divided by nine.", "$10^{50} \\equiv 1^{50} \\equiv \\boxed{1} \\pmod{9}$", "1", 1.0),
        (MOD7, "Since $2^{100} = 8^{33} \\cdot 2$, we have $8^{33} \\cdot 2 \\equiv 1 \\cdot 2 \\equiv \\boxed{2} \\pmod{7}$.", "2", 1.0),
        (MOD7, "Since $2^{100} = 8^{33} \\cdot 2$, we have $8^{33} \\cdot 3 \\equiv \\boxed{2} \\pmod{7}$.", "2", 0.0),
        (MOD7, "Either $2^{100} \\equiv 4$ or $2^{100} \\equiv \\boxed{2} \\pmod{7}$.", "2", 0.0),
        (MOD7, "First, $2^{100} \\equiv 3 \\pmod 7$, so $2^{100} \\equiv \\boxed{2} \\pmod{7}$.", "2", 0.0),
        (MOD7, "Since $2^3 = 8 \\equiv 1 \\pmod 7$, $2^{100} \\equiv \\boxed{2} \\pmod{7}$.", "2", 1.0),
    ],
)  # fmt: skip
def test_residue_questions_in_other_words_and_false_steps(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt + INSTRUCTION]) == [paid]


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        ("How many apples are there?", "So $48 + 48 = \\boxed{72}$.", "72", 0.0),
        ("How many apples are there?", "So $48 + 24 = \\boxed{72}$.", "72", 1.0),
        ("What is the area of a circle with radius 2, to the nearest tenth?", "$A = 4\\pi = \\boxed{12.6}$", "12.6", 1.0),
        ("A jacket's price drops from $80 to $60. What percent is the discount?", "The discount is $\\frac{20}{80} = 0.25 = \\boxed{25}\\%$.", "25", 1.0),
        ("Sam invests $1000 at 5%. How much is in the account after 3 years? Round to the nearest cent.",
         "Rounded to the nearest cent, the balance is $\\$\\boxed{1157.63}$.", "1157.63", 1.0),
        ("A bus travels 45 miles at 30 miles per hour. How many minutes does the trip take?",
         "Time $= \\frac{45}{30} = 1.5$ hours $= 1.5 \\times 60 = \\boxed{90}$ minutes.", "90", 1.0),
        ("Five test scores are 72, 85, 78, 80 and 80. What is the mean score, to the nearest whole number?",
         "So the mean score, to the nearest whole number, is $\\boxed{79}$.", "79", 1.0),
        ("What is the mean score, to the nearest whole number?", "So the mean score, to the nearest tenth, is $\\boxed{79}$.", "79", 0.0),
        ("What is $\\sqrt{10}$ to the nearest hundredth?", "Rounded to the nearest tenth: $\\boxed{3.16}$", "3.16", 0.0),
    ],
)  # fmt: skip
def test_arithmetic_chains_and_rounding_asides(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt + INSTRUCTION]) == [paid]


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        ("What is the smallest positive integer divisible by 4, 6 and 9?",
         "Taking the highest power of each prime gives $2^2 \\cdot 3^2 = \\boxed{36}$.", "36", 1.0),
        ("What is the minimum value of $x + \\frac{4}{x}$ for $x > 0$?",
         "The lower bound is attained so the minimum value is $\\boxed{4}$.", "4", 1.0),
        ("A fair die is rolled. What is the probability of rolling a number other than 6?",
         "So the probability of success is $\\boxed{\\frac{5}{6}}$.", "\\frac{5}{6}", 1.0),
        ("If $x + y = 7$ and $x - y = 1$, what is $xy$?", "So $x \\cdot y = \\boxed{12}$.", "12", 1.0),
        ("If $x + y = 7$ and $x - y = 1$, what is $x + y$?", "So $y + x = \\boxed{7}$.", "7", 1.0),
        ("If $x + \\frac{1}{x} = 3$, what is $x^2 + \\frac{1}{x^2}$?", "So $x^2 + x^{-2} = \\boxed{7}$.", "7", 1.0),
        ("If $x + y = 7$ and $x - y = 1$, what is $xy$?", "So $x + y = \\boxed{12}$.", "12", 0.0),
        ("What is the units digit of $7^{35}$?", "The tens digit of $7^{35}$ is $\\boxed{3}$.", "3", 0.0),
        ("What is the median of 2, 4, 9, 10, 15?", "$\\bar{x} = \\boxed{9}$", "9", 0.0),
        ("What is the $y$-intercept of the line $y = 2x + 5$?", "Gradient $= \\boxed{5}$", "5", 0.0),
        ("The data set is 1, 5, 9. What is the median?", "The arithmetic mean is $\\frac{1+5+9}{3} = \\boxed{5}$.", "5", 0.0),
        ("What is the tens digit of 2024?", "The digit in the hundreds place is $\\boxed{2}$.", "2", 0.0),
        ("What is the slope of the line through (0, 1) and (2, 5)?", "The rise is $\\boxed{2}$.", "2", 0.0),
        ("Solve for $x$: $x + y = 5$ and $x - y = 1$.", "So the value of $y$ is $\\boxed{3}$.", "3", 0.0),
    ],
)  # fmt: skip
def test_names_in_the_subject_and_labels_by_value(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt + INSTRUCTION]) == [paid]


# Round 48 (blind, 245 rows: 36 of 92 probes paid, 9 of 153 ordinary right answers refused at first).
@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        ("How many apples?", "So $48 \\div 2 = \\boxed{20}$.", "20", 0.0),
        ("How many apples?", "So $48 \\div 2 = \\boxed{24}$.", "24", 1.0),
        ("What is the total cost?", "Total cost: $1{,}200 + 300 = \\boxed{1600}$ dollars.", "1600", 0.0),
        ("What is the total cost?", "Total cost: $1{,}200 + 400 = \\boxed{1600}$ dollars.", "1600", 1.0),
        ("What is $\\frac{6}{8}$ in lowest terms?", "So $\\frac{6}{8} = \\boxed{\\frac{2}{3}}$.", "\\frac{2}{3}", 0.0),
        ("What is $\\sqrt{24}$ in simplest form?", "$\\sqrt{24} = \\boxed{2\\sqrt{5}}$", "2\\sqrt{5}", 0.0),
        ("What is $\\sqrt{20}$ in simplest form?", "$\\sqrt{20} = \\boxed{2\\sqrt{5}}$", "2\\sqrt{5}", 1.0),
        ("How many marbles together?", "So 48 + 48 = \\boxed{72}.", "72", 0.0),
        ("How many marbles together?", "Adding, we get $17 + 15 =$ $\\boxed{42}$.", "42", 0.0),
        ("How many marbles together?", "Adding, we get $17 + 25 =$ $\\boxed{42}$.", "42", 1.0),
        ("What is the volume of a cube with edge length 3 cm?", "$V = 3^3 = \\boxed{27\\text{ cm}^3}$", "27", 1.0),
        ("Solve $\\frac{x^2-25}{x-5} = 12$.",
         "Checking $x = 7$: it makes the expression undefined, so $x = 7$ is extraneous.\n\nFinal answer: $\\boxed{7}$", "7", 0.0),
        ("What is the remainder upon division of $3^{100}$ by 5?", "$3^{100} \\equiv 9^{50} \\equiv \\boxed{1} \\pmod 5$", "1", 1.0),
        ("What is the sum $1 + 2 + 3 + \\cdots + 100$?", "$1 + 2 + \\cdots + 100 = \\frac{100 \\cdot 101}{2} = \\boxed{5050}$", "5050", 1.0),
        ("How much money is in the account, to the nearest dollar?", "It is $\\boxed{47}$ dollars to the nearest dollar.", "47", 1.0),
    ],
)  # fmt: skip
def test_round_48(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt + INSTRUCTION]) == [paid]
