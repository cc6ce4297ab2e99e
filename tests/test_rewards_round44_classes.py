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
