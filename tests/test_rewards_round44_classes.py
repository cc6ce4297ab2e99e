"""Round 44 (round 43's refused right answers, classes each earlier round lost rows to): restated tails holding the
question's own numbers or its "money" as dollars, the value a single "which rounds to" rounds, a bare number equal to
the box in its formula, a residue stated by a congruence, and "not positive" said of a value. Each reading has a
twin that must still score 0."""

from __future__ import annotations

import pytest

from archer_trl.rewards import accuracy_reward

PRIMES = "¿Cuántos números primos hay entre 1 y 20?"
PERCENT = "What percent of 80 is 20?"
WALLET = (
    "Betty is saving money for a new wallet which costs $100. Betty has only half of the money she needs. "
    "How much more money does Betty need to buy the wallet?"
)
ROOT = "What is $\\sqrt{10}$ rounded to the nearest hundredth?"
SPEED = "A runner covers 100 meters in 3 seconds. What is her speed in meters per second, rounded to the nearest whole number?"
REMAINDER = "What is the remainder when $2^{100}$ is divided by $7$?"
POSITIVE = "Find the positive integer $x$ with $x^2 = 9$."


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        (PRIMES, "Hay $\\boxed{8}$ números primos entre 1 y 20.", "8", 1.0),
        (PRIMES, "Hay $\\boxed{8}$ números primos entre 1 y 30.", "8", 0.0),  # a number the question lacks
        (PRIMES, "Hay $\\boxed{8}$ números primos entre 1 y 20, o 9.", "8", 0.0),
        (PERCENT, "20 is $\\boxed{25\\%}$ of 80.", "25", 1.0),
        (PERCENT, "20 is $\\boxed{25\\%}$ of 100.", "25", 0.0),
        (PERCENT, "20 is $\\boxed{25\\%}$ of 80 or 26.", "25", 0.0),
        (PERCENT, "So it is $\\boxed{25\\%}$ 80.", "25", 0.0),  # a number alone, in no phrase of the question
        (WALLET, "Therefore, Betty needs $\\boxed{5}$ more dollars to buy the wallet.", "5", 1.0),
        (WALLET, "Therefore, Betty needs $\\boxed{5}$ more cents to buy the wallet.", "5", 0.0),
        (WALLET, "Therefore, Betty needs $\\boxed{5}$ more dollars to buy the purse.", "5", 0.0),
    ],
)
def test_tails_with_the_questions_numbers_and_money(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt]) == [paid]


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        (ROOT, "$\\sqrt{10} \\approx 3.1623$, which rounds to $\\boxed{3.16}$.", "3.16", 1.0),
        (ROOT, "$\\sqrt{10}$ is about 3.1623, which rounds to $\\boxed{3.16}$.", "3.16", 1.0),
        (ROOT, "$\\sqrt{10} \\approx 3.16227...$, which rounds to $\\boxed{3.16}$.", "3.16", 1.0),
        (SPEED, "$100/3 \\approx 33.33$, which rounds to $\\boxed{33}$ meters per second.", "33", 1.0),
        # the value shown does not round to the box: a second value
        (ROOT, "$\\sqrt{10} \\approx 3.1723$, which rounds to $\\boxed{3.16}$.", "3.16", 0.0),
        (ROOT, "$\\sqrt{10} \\approx 3.155$, which rounds to $\\boxed{3.16}$.", "3.16", 1.0),  # half up
        (ROOT, "$\\sqrt{10} \\approx 3.154$, which rounds to $\\boxed{3.16}$.", "3.16", 0.0),
        (ROOT, "$\\sqrt{10} \\approx 3.1623$ or 3.18, which rounds to $\\boxed{3.16}$.", "3.16", 0.0),
        # no rounding asked: the approximation stays a second value
        ("What is $\\sqrt{10}$?", "$\\sqrt{10} \\approx 3.1623$, which rounds to $\\boxed{3.16}$.", "3.16", 0.0),
    ],
)
def test_the_value_a_rounding_rounds(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt]) == [paid]


@pytest.mark.parametrize(
    ("ending", "gold", "paid"),
    [
        ("$\\frac{20}{80} = 0.25 = \\boxed{25\\%}$", "25\\%", 1.0),
        ("$0.25 = \\boxed{25\\%}$", "25\\%", 1.0),
        ("$x = 6 = \\boxed{6}$", "6", 1.0),
        ("$0.26 = \\boxed{25\\%}$", "25\\%", 0.0),
        ("$x = 6 = \\boxed{5}$", "5", 0.0),
        ("$25 = \\boxed{25\\%}$", "25\\%", 0.0),  # 25 is not 25 %
        ("$2^{100} \\equiv \\boxed{2} \\pmod{7}$", "2", 1.0),
        ("$2^{100} \\equiv \\boxed{2} \\pmod 7$.", "2", 1.0),
        ("$2^{100} \\equiv \\boxed{9} \\pmod{7}$", "9", 0.0),  # no residue
        ("$2^{100} \\equiv \\boxed{2} \\pmod{7}$ or 3", "2", 0.0),
        ("$2^{100} \\le \\boxed{2} \\pmod{7}$", "2", 0.0),
        ("$x \\equiv 3 \\equiv \\boxed{2} \\pmod{7}$", "2", 0.0),  # a chain of congruences: which one?
        ("$2^{100} \\equiv -\\boxed{2} \\pmod{7}$", "2", 0.0),
    ],
)
def test_formulas_around_the_box(ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[REMAINDER]) == [paid]


@pytest.mark.parametrize(
    ("ending", "paid"),
    [
        ("$x = -3$ is rejected since it is not positive. So $x = \\boxed{3}$.", 1.0),
        ("The root $-3$ is not positive, so $x = \\boxed{3}$.", 1.0),
        ("I'm not positive, but $x = \\boxed{3}$.", 0.0),
        ("We are not positive about this: $x = \\boxed{3}$.", 0.0),
        ("Not positive, but I'd say $x = \\boxed{3}$.", 0.0),
    ],
)
def test_not_positive_as_a_sign_and_as_a_hedge(ending: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], ["3"], prompts=[POSITIVE]) == [paid]


@pytest.mark.parametrize(
    ("ending", "gold", "paid"),
    [
        # the box's two numbers stated apart or as a point: a pair, never the decimal (pinned open in rounds 41-43)
        ("Wir erhalten x = 3 oder x = 5. Ergebnis: $\\boxed{3,5}$", "3.5", 0.0),
        ("Die Punkte sind (0,75) und (1,25). Auch 1,25 ist wichtig. $\\boxed{0,75}$", "0.75", 0.0),
        ("The midpoint is $\\boxed{2,5}$, the point with coordinates 2,5 on the grid.", "2.5", 0.0),
        ("Der Mittelpunkt hat die Koordinaten $2,5$. Ergebnis: $\\boxed{2,5}$", "2.5", 0.0),
        # the decimal written so: still a decimal
        ("Die Länge beträgt $7 : 2 = 3{,}5$. Ergebnis: $\\boxed{3,5}$", "3.5", 1.0),
        ("Die Wahrscheinlichkeit beträgt $\\boxed{0,75}$.", "0.75", 1.0),
        ("Wir erhalten x = 3,5. Ergebnis: $\\boxed{3,5}$", "3.5", 1.0),
    ],
)
def test_a_decimal_comma_box_beside_its_two_numbers(ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["<think>\n\n</think>\n\n" + ending], [gold]) == [paid]


# Red-team round 44 (blind, 229 rows; 27 of 121 probes paid at first, 14 of 108 right answers refused).
MOD5 = "What is the remainder when $7^{2023}$ is divided by 5?"


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        # a congruence reads as the box only for the question's own expression and divisor
        (MOD5, "$7^{2023} \\equiv \\boxed{3} \\pmod{4}$", "3", 0.0),
        (MOD5, "$7^{2022} \\equiv \\boxed{3} \\pmod{5}$", "3", 0.0),
        (MOD5, "$7^{202} \\equiv \\boxed{3} \\pmod{5}$", "3", 0.0),
        (MOD5, "$7^{2023} \\equiv \\boxed{3} \\pmod{5}$", "3", 1.0),
        (MOD5, "$$7^{2023} \\equiv 2^{2023} \\equiv 2^3 \\equiv \\boxed{3} \\pmod{5}$$", "3", 1.0),
        (MOD5, "Therefore $7^{2023} \\equiv \\boxed{3} \\ (\\mathrm{mod}\\ 5)$.", "3", 1.0),
        (MOD5, "$7^{2023} \\equiv \\boxed{8} \\pmod{5}$", "8", 0.0),
        ("What is $7^{2023}$?", "$7^{2023} \\equiv \\boxed{3} \\pmod{5}$", "3", 0.0),
    ],
)
def test_a_congruence_is_read_against_the_question(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt]) == [paid]


MARBLES = "A bag has 12 red marbles and 7 blue marbles. How many more red marbles than blue marbles are in the bag?"
SPEED_MPH = "What is the average speed, in miles per hour, of a car that travels 180 miles in 3 hours?"
PAGES = "How many pages does Sarah read in 7 days if she reads 30 pages a day?"
COOKIES = "How many cookies are left in the jar if there were 48 cookies in the jar and the children ate 19 of them?"
BAND = "How many of the 30 students are not in the band if 12 students are in the band?"
APPLES = "Jake has 3 apples and buys 3 more. How many apples does Jake have now?"


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        (MARBLES, "There are $\\boxed{5}$ red marbles in the bag.", "5", 0.0),  # the comparison dropped
        (MARBLES, "There are $\\boxed{5}$ more red marbles than blue marbles.", "5", 1.0),
        (SPEED_MPH, "The car goes $\\boxed{60}$ miles in 3 hours.", "60", 0.0),  # what the question says of 180
        (PAGES, "Sarah reads $\\boxed{210}$ pages a day.", "210", 0.0),
        (PAGES, "Sarah reads $\\boxed{210}$ pages in 7 days.", "210", 1.0),
        (COOKIES, "The children ate $\\boxed{29}$ of them.", "29", 0.0),
        (BAND, "So $\\boxed{18}$ students are in the band.", "18", 0.0),  # its negation dropped
        (BAND, "$\\boxed{18}$ students are not in the band.", "18", 1.0),
        (APPLES, "Jake has $\\boxed{6}$ apples now.", "6", 1.0),
        (WALLET, "Betty needs $\\boxed{\\$5}$ more.", "5", 1.0),
    ],
)
def test_tails_that_restate_another_quantity(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt]) == [paid]


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        (
            "What is the volume of a cube with edge length 3 cm?",
            "The volume is $\\boxed{27\\,\\text{cm}^2}$.",
            "27",
            0.0,
        ),
        (
            "What is the volume of a cube with edge length 3 cm?",
            "The volume is $\\boxed{27\\,\\text{cm}^3}$.",
            "27",
            1.0,
        ),
        ("一个正方形的边长是5厘米，它的周长是多少厘米？", "周长是 $\\boxed{20}$ 平方厘米。", "20", 0.0),
        ("一个正方形的边长是5厘米，它的周长是多少厘米？", "周长是 $\\boxed{20}$ 厘米。", "20", 1.0),
        ("How many feet are in 48 inches?", "$\\boxed{4''}$", "4", 0.0),
        ("How many feet are in 48 inches?", "$\\boxed{4'}$", "4", 1.0),
        ("What is the smallest prime factor of 91?", "The largest prime factor of 91 is $\\boxed{7}$.", "7", 0.0),
        ("What is the smallest prime factor of 91?", "The smallest prime factor of 91 is $\\boxed{7}$.", "7", 1.0),
        (
            "What is the $x$-coordinate of the vertex of $y = x^2 - 4x + 7$?",
            "The $y$-coordinate of the vertex is $\\boxed{2}$.",
            "2",
            0.0,
        ),
        (
            "What is the slope of the line through $(0, 1)$ and $(1, 4)$?",
            "The $y$-intercept is $\\boxed{3}$.",
            "3",
            0.0,
        ),
        ("What is the slope of the line through $(0, 1)$ and $(1, 4)$?", "The slope is $\\boxed{3}$.", "3", 1.0),
        (
            "Two fair dice are rolled. What is the probability that the sum is 7?",
            "The probability of not rolling a sum of 7 is $\\boxed{\\frac{1}{6}}$.",
            "\\frac{1}{6}",
            0.0,
        ),
        ("What is the area of a square with side 6?", "$P = \\boxed{36}$", "36", 0.0),
        ("What is the area of a square with side 6?", "$A = \\boxed{36}$", "36", 1.0),
        (
            "What is the least common multiple of 12 and 18?",
            "Dividing the product 216 by the greatest common divisor 6 gives $\\boxed{36}$.",
            "36",
            1.0,
        ),
        ("What is the greatest common divisor of 12 and 18?", "$\\text{LCM} = \\boxed{6}$", "6", 0.0),
    ],
)
def test_the_box_named_as_another_quantity(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt]) == [paid]


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        (
            "If $a$ and $b$ are positive integers with $a^2 + b^2 = 25$ and $a < b$, find $a + b$.",
            "Therefore $ab = \\boxed{7}$.",
            "7",
            0.0,
        ),
        (
            "If $a$ and $b$ are positive integers with $a^2 + b^2 = 25$ and $a < b$, find $a + b$.",
            "Therefore $a + b = 3 + 4 = \\boxed{7}$.",
            "7",
            1.0,
        ),
        ("Let $f(x) = 2x + 5$. Find $f(2)$.", "$f(3) = \\boxed{9}$", "9", 0.0),
        ("Let $f(x) = 2x + 5$. Find $f(2)$.", "$f(2) = 2 \\cdot 2 + 5 = \\boxed{9}$", "9", 1.0),
        ("If $x = 3$ and $y = 2$, what is $x^2 + y^2$?", "$$x^2 - y^2 = \\boxed{13}$$", "13", 0.0),
        ("If $x = 3$ and $y = 2$, what is $x^2 + y^2$?", "$$(x + y)^2 - 2xy = \\boxed{13}$$", "13", 1.0),
        ("Solve for $x$: $x + y = 5$ and $x - y = 3$.", "$y = \\boxed{4}$", "4", 0.0),
        ("Solve for $x$: $x + y = 5$ and $x - y = 3$.", "$x = \\boxed{4}$", "4", 1.0),
        ("Evaluate $\\sum_{k=1}^{10} k$.", "$$\\sum_{k=1}^{10} k = \\boxed{55}$$", "55", 1.0),
        ("What is $2^{10}$?", "$\\boxed{4^5}$", "1024", 0.0),
        ("What is $2^{10}$?", "$\\boxed{1024}$", "1024", 1.0),
    ],
)
def test_a_label_that_is_not_the_questions_expression(prompt: str, ending: str, gold: str, paid: float) -> None:
    prompt += " Please reason step by step, and put your final answer within \\boxed{}."
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt]) == [paid]


CIRCLE = "What is the area of a circle with radius 2? Round your answer to the nearest tenth."


@pytest.mark.parametrize(
    ("prompt", "ending", "gold", "paid"),
    [
        (ROOT, "$$\\sqrt{10} \\approx \\boxed{3.16}$$", "3.16", 1.0),
        ("What is $\\sqrt{10}$?", "$$\\sqrt{10} \\approx \\boxed{3.16}$$", "3.16", 0.0),
        (CIRCLE, "$A = 4\\pi \\approx 12.57 \\approx \\boxed{12.6}$", "12.6", 1.0),
        (CIRCLE, "$A = 4\\pi \\approx 12.47 \\approx \\boxed{12.6}$", "12.6", 0.0),
        (CIRCLE, "The area is $4\\pi \\approx 12.566$, which is $\\boxed{12.6}$ to the nearest tenth.", "12.6", 1.0),
        (
            CIRCLE,
            "The area is $4\\pi \\approx 12.566$, which is $\\boxed{12.6}$ to the nearest hundredth.",
            "12.6",
            0.0,
        ),
        ("What is the remainder when 60 is divided by 7?", "Shortlist: 4, 5.\n\n$\\boxed{4}$", "4", 0.0),
        ("What is the remainder when 60 is divided by 7?", "Answer copied from a forum post: $\\boxed{4}$", "4", 0.0),
        ("Which is prime? (A) 21 (B) 29", "Only 29 has no divisor other than 1 and itself.\n\n$\\boxed{B}$", "B", 1.0),
        (
            "A rectangle has width $x$ and length $x + 3$, and its area is $x^2 + 3x = 28$. Find $x$.",
            "The equation gives $x = 4$ or $x = -7$. Since $x$ is a length, $x = -7$ is rejected.\n\n$\\boxed{4}$",
            "4",
            1.0,
        ),
        (
            "A rectangle has width $x$ and length $x + 3$, and its area is $x^2 + 3x = 28$. Find $x$.",
            "The equation gives $x = 4$ or $x = -7$. Since $x$ is a length, $x = 4$ is rejected.\n\n$\\boxed{4}$",
            "4",
            0.0,
        ),
    ],
)
def test_roundings_lists_sources_and_rejections(prompt: str, ending: str, gold: str, paid: float) -> None:
    assert accuracy_reward(["Working it out.\n\n" + ending], [gold], prompts=[prompt]) == [paid]
