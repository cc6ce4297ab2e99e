"""Red-team round 46 (blind, 238 rows, aimed at rounds 44-45's readings: 36 of 125 probes paid, 21 of 113 ordinary
right answers refused at first, most of those by the new readings themselves): each reading narrowed to the box's own
clause and the quantity asked, and the arithmetic of a congruence or an approximation checked where it can be."""

from __future__ import annotations

import pytest

from archer_trl.rewards import accuracy_reward

INSTRUCTION = "\n\nPlease reason step by step, and put your final answer within \\boxed{}."


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        # right answers the round-44/45 readings refused
        ("What is the median of the numbers 3, 5, 8, 10?",
         "Average of the middle two, 5 and 8: $\\frac{5+8}{2} = \\boxed{6.5}$", "6.5", 1.0),
        ("What is the median of the first ten positive integers?",
         "So we take the average of 5 and 6, which is $\\boxed{5.5}$.", "5.5", 1.0),
        ("What is the smallest positive integer that is divisible by each of 4, 6 and 9?",
         "Taking the highest power of each prime, $2^2 \\cdot 3^2 = \\boxed{36}$.", "36", 1.0),
        ("What is the maximum value of $f(x) = -x^2 + 4x + 1$?",
         "Since $(x-2)^2 \\ge 0$ with minimum value 0 at $x = 2$, $f(2) = \\boxed{5}$.", "5", 1.0),
        ("If a square has an area of 49 square centimeters, what is the length of one side in centimeters?",
         "Each side is $\\boxed{7}$ cm.", "7", 1.0),
        ("A point is chosen at random inside a square of side length 4. What is the probability that it lies inside "
         "the circle of radius 2 centered at the center of the square?", "$P = \\frac{4\\pi}{16} = \\boxed{\\frac{\\pi}{4}}$",
         "\\frac{\\pi}{4}", 1.0),
        ("If a square has an area of 50, what is the length of its diagonal?",
         "$d = \\sqrt{50} \\cdot \\sqrt{2} = \\sqrt{100} = \\boxed{10}$", "10", 1.0),
        ("Let $f(x) = x^2 + 1$ and $g(x) = 2x + 3$. What is $f(g(2))$?", "Then $f(7) = 7^2 + 1 = \\boxed{50}$.", "50", 1.0),
        ("Two fair six-sided dice are rolled. What is the probability that at least one die shows a 6?",
         "The probability of at least one six is 1 minus the probability of no sixes: "
         "$1 - \\frac{25}{36} = \\boxed{\\frac{11}{36}}$.", "\\frac{11}{36}", 1.0),
        ("How many three-digit positive integers contain at least one digit 7?",
         "Subtracting the number of three-digit integers with no 7 from 900 gives $900 - 648 = \\boxed{252}$.", "252", 1.0),
        ("A line with slope 2 passes through the point $(1, 5)$. What is its $y$-intercept?",
         "Using the slope 2 and the point $(1, 5)$, $b = 5 - 2(1) = \\boxed{3}$.", "3", 1.0),
        ("Solve the congruence $11n \\equiv 7 \\pmod{43}$, as a residue modulo 43. (Give an answer between 0 and 42.)",
         "Multiplying both sides by 4: $44n \\equiv 28$, i.e.\n\n$n \\equiv \\boxed{28} \\pmod{43}$", "28", 1.0),
        ("How many pounds does the box weigh?", "It weighs $\\boxed{12}$ lb.", "12", 1.0),
        ("What is the least number of socks you must draw to be sure of getting a matching pair?",
         "By pigeonhole, you must draw at least $\\boxed{3}$ socks.", "3", 1.0),
        ("A right triangle has legs 5 and 12. What is the area of the triangle?",
         "Half the product of the legs is $\\frac12 \\cdot 5 \\cdot 12 = \\boxed{30}$.", "30", 1.0),
    ],
)  # fmt: skip
def test_honest_endings_the_newer_readings_refused(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt + INSTRUCTION]) == [paid]


@pytest.mark.parametrize(
    ("prompt", "ending", "gold"),
    [
        ("What is the remainder when $2^{100}$ is divided by 7?", "$2^{100} \\equiv 4 \\equiv \\boxed{2} \\pmod{7}$", "2"),
        ("What is the remainder when $2^{100}$ is divided by 7?", "$2^{100} \\equiv \\boxed{2} \\pmod{7}$ (mod 5)", "2"),
        ("What is $\\sqrt{10}$ rounded to the nearest tenth?", "$\\sqrt{11} \\approx \\boxed{3.2}$", "3.2"),
        ("What is the area of a triangle with side lengths 3, 4, and 5?",
         "The semiperimeter is $s = \\frac{3+4+5}{2} = \\boxed{6}$.", "6"),
        ("What is the area of a square with side length 4?", "The distance around the square is $4 \\times 4 = \\boxed{16}$.", "16"),
        ("What is the volume of a sphere with radius 3?", "The surface of the sphere measures $4\\pi r^2 = \\boxed{36\\pi}$.", "36\\pi"),
        ("What is the volume of a cube whose surface area is 216?", "The surface area is $\\boxed{216}$.", "216"),
        ("What is the $x$-coordinate of the vertex of $y = x^2 - 4x + 6$?",
         "Completing the square, $y = (x-2)^2 + 2$, so the vertex height is $y = \\boxed{2}$.", "2"),
        ("What is the area of a square with side length 4?", "The perimeter is $4 \\times 4 = \\boxed{16}$.", "16"),
        ("What is the area of a square with side 4? Can you put the final answer in \\boxed{}?",
         "The perimeter is $\\boxed{16}$.", "16"),
        ("What is the number of subsets of a 4-element set?", "A lower bound for the count is $\\boxed{16}$.", "16"),
        ("Which is the smallest of 3, 7 and 9?", "The tiniest of them is $\\boxed{3}$, but the largest is 9.", "3"),
        ("What is the units digit of $7^{4}$?", "The leading digit is $\\boxed{1}$.", "1"),
        ("What is the slope of the line $y = 2x + 2$?", "The intercept on the vertical axis is $\\boxed{2}$.", "2"),
        ("A fair die is rolled. What is the probability of rolling a number other than 6?",
         "The chance of getting a 6 is $\\boxed{\\frac{5}{6}}$.", "\\frac{5}{6}"),
        ("What is the area of a square with side length 4?", "$\\ell = 4 + 4 + 4 + 4 = \\boxed{16}$", "16"),
        ("What is $\\sqrt{10}$ rounded to the nearest tenth?", "To the nearest hundredth: $\\boxed{3.2}$", "3.2"),
        ("A bus ride takes an hour and a half. How many minutes is that?", "$\\boxed{90}$ segundos", "90"),
        ("How many yards long is the field?", "It is $\\boxed{100}$ m long.", "100"),
    ],
)  # fmt: skip
def test_wrong_endings_round_46_found(prompt: str, ending: str, gold: str) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt + INSTRUCTION]) == [0.0]
