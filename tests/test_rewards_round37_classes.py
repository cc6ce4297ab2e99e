"""Generated classes of right answers earlier rounds found refused (rounds 30b, 31, 36), read since round 37: each
drawn over values with its near misses, so that reading a new form pays nothing it should not."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from math_helpers import check

from archer_trl.rewards import accuracy_reward
from archer_trl.rewards.reading.remarks import stated_number

SETTINGS = settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None
)


@SETTINGS
@given(items=st.lists(st.integers(1, 999), min_size=2, max_size=4, unique=True))
def test_a_list_written_without_spaces_is_a_list(items: list[int]) -> None:
    # "1,10,100" read as 1 and 10100 (a thousands group inside a list): only a whole run of groups is one number
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", ",".join(map(str, items))):
        return  # "1,100" is also the number 1100: refused for a list gold too (fail closed)
    gold = ", ".join(map(str, items))
    swapped = [items[1], items[0], *items[2:]]
    check(
        gold,
        [",".join(map(str, items))],
        [",".join(map(str, items[:-1])), ",".join(map(str, [*items[:-1], items[-1] + 1]))],
    )
    check(f"({gold})", [f"({','.join(map(str, items))})"], [f"({','.join(map(str, swapped))})"])


@SETTINGS
@given(groups=st.lists(st.integers(0, 999), min_size=1, max_size=3), head=st.integers(1, 999))
def test_thousands_groups_still_group(groups: list[int], head: int) -> None:
    written = ",".join([str(head), *(f"{g:03d}" for g in groups)])
    value = int(written.replace(",", ""))
    check(str(value), [written, f"\\${written}"], [str(value + 1)])


@SETTINGS
@given(whole=st.integers(0, 99), tenths=st.integers(1, 99))
def test_a_decimal_comma_reads_as_a_point_for_a_decimal_gold(whole: int, tenths: int) -> None:
    decimals = f"{tenths:02d}".rstrip("0")
    gold = f"{whole}.{decimals}"
    check(
        gold,
        [f"{whole},{decimals}", f"{whole},{decimals} \\text{{ cm}}"],
        [f"{whole},{int(decimals) + 1}", f"{whole}, {decimals}"],
    )
    # never with three digits after the comma (thousands), nor for an integer or a list gold
    check(f"{whole}.{tenths:02d}5", [], [f"{whole},{tenths:02d}5"])
    check(str(whole), [], [f"{whole},{decimals}"])
    check(f"{whole}, {decimals}", [f"{whole},{decimals}"], [])


@SETTINGS
@given(area=st.integers(1, 500))
def test_square_units_label_a_bare_area(area: int) -> None:
    check(
        str(area),
        [f"{area} \\text{{ units}}^2", f"{area} \\text{{ sq. units}}", f"{area} \\text{{ square units}}"],
        [f"{area + 1} \\text{{ units}}^2", f"{area} \\text{{ units}}^5"],
    )
    completion = f"So the area is $\\boxed{{{area}}}$ units$^2$."
    assert accuracy_reward([completion, completion.replace("$^2$", "$^7$")], [str(area)] * 2) == [1.0, 0.0]


@SETTINGS
@given(name=st.sampled_from("ABMPQ"), x=st.integers(-9, 9), y=st.integers(-9, 9), z=st.integers(-9, 9))
def test_a_named_point_is_its_coordinates(name: str, x: int, y: int, z: int) -> None:
    check(f"({x}, {y}, {z})", [f"{name}({x}, {y}, {z})", f"{name}_1({x}, {y}, {z})"], [f"{name}({x}, {y}, {z + 1})"])
    if x != y:
        check(f"({x}, {y})", [f"{name}({x}, {y})"], [f"{name}({y}, {x})", f"f({x}, {y})"])


@SETTINGS
@given(n=st.integers(2, 12), k=st.integers(1, 12))
def test_counting_functions_stay_counts(n: int, k: int) -> None:
    # C(5, 2) is the binomial 10: never also the point (5, 2), so the pair gold fails closed
    if k > n:
        return
    from math import comb

    check(str(comb(n, k)), [f"C({n}, {k})"], [f"C({n}, {k}) + 1"])
    check(f"({n}, {k})", [], [f"C({n}, {k})"])


@SETTINGS
@given(
    x=st.integers(-9, 9), y=st.integers(-9, 9), z=st.integers(-9, 9), macro=st.sampled_from(["mathbf", "hat", "vec"])
)
def test_a_vector_in_unit_vectors_is_a_tuple(x: int, y: int, z: int, macro: str) -> None:
    def term(c: int, axis: str, first: bool) -> str:
        sign = "-" if c < 0 else "" if first else "+"
        return f"{sign}{abs(c)}\\{macro}{{{axis}}}"

    plane = term(x, "i", True) + term(y, "j", False)
    space = plane + term(z, "k", False)
    check(f"({x}, {y})", [plane], [term(x, "i", True) + term(y + 1, "j", False), f"{x} + {y}i"])
    check(f"({x}, {y}, {z})", [space], [plane + term(z, "k", False) + term(1, "k", False), plane])
    check(f"{x} + {y}i", [], [plane])  # a bold i is a unit vector, never the imaginary unit


@SETTINGS
@given(a=st.integers(1, 20), b=st.integers(1, 20))
def test_set_builder_with_a_colon_and_ratios_in_words(a: int, b: int) -> None:
    check(
        f"({a}, \\infty)",
        [f"\\{{x : x > {a}\\}}", f"\\{{x \\in \\mathbb{{R}} : x > {a}\\}}"],
        [f"\\{{x : x \\ge {a}\\}}"],
    )
    if a != b:
        check(f"{a}:{b}", [f"{a} \\text{{ to }} {b}"], [f"{b} \\text{{ to }} {a}"])


@SETTINGS
@given(whole=st.integers(1, 20), numerator=st.integers(1, 8), denominator=st.integers(2, 9))
def test_a_mixed_number_states_its_value(whole: int, numerator: int, denominator: int) -> None:
    # "2\\tfrac{1}{2}" was read as 21/2 when a line before stated 5/2: a conflict that was not there
    if numerator >= denominator:
        assert stated_number(f"{whole}\\tfrac{{{numerator}}}{{{denominator}}}") is None
        return
    value = whole + Fraction(numerator, denominator)
    assert stated_number(f"{whole}\\tfrac{{{numerator}}}{{{denominator}}}") == value
    assert stated_number(f"-{whole}\\dfrac{{{numerator}}}{{{denominator}}}") == -value
    lead = f"So the total is $\\frac{{{value.numerator}}}{{{value.denominator}}}$ cups.\n\n**Final Answer**\n\\[\n"
    right = lead + f"\\boxed{{{whole}\\tfrac{{{numerator}}}{{{denominator}}}}}\n\\]"
    wrong = lead + f"\\boxed{{{whole + 1}\\tfrac{{{numerator}}}{{{denominator}}}}}\n\\]"
    gold = f"{whole}\\frac{{{numerator}}}{{{denominator}}}"
    assert accuracy_reward([right, wrong], [gold, gold]) == [1.0, 0.0]


PROBLEM_CONDITIONS = [
    "The rope must support the weight of the crate.",
    "Each key must match exactly one lock.",
    "The two clocks must agree at noon.",
    "We fill in the incomplete magic square.",
    "Tom rushed to the store before it closed.",
    "It would be wrong to add the two probabilities; the events are independent, so we multiply.",
    "This means she got the remaining questions wrong.",
]
DOUBTS_OF_THE_WORK = [
    "The arithmetic must be checked.",
    "Someone should double-check this.",
    "The proof is incomplete.",
    "This is an incomplete count.",
    "This was a rushed answer.",
    "I got it wrong somewhere, I think.",
    "This might be wrong.",
    "The answer should be verified independently.",
]


@SETTINGS
@given(
    value=st.integers(2, 999), sentence=st.sampled_from(PROBLEM_CONDITIONS), doubt=st.sampled_from(DOUBTS_OF_THE_WORK)
)
def test_problem_conditions_are_no_doubt_and_doubts_stay(value: int, sentence: str, doubt: str) -> None:
    # round 32: the vocabularies of checking read a problem's conditions ("must match", "incomplete magic square",
    # "got ... wrong") as doubt about the work; a doubt about the work itself is still refused, before or after
    work = f"{sentence} Working through the cases gives {value}.\n\nSo the answer is $\\boxed{{{value}}}$."
    doubted_before = f"{doubt} Working through the cases gives {value}.\n\nSo the answer is $\\boxed{{{value}}}$."
    doubted_after = f"Working through the cases gives {value}.\n\nSo the answer is $\\boxed{{{value}}}$. {doubt}"
    assert accuracy_reward([work, doubted_before, doubted_after], [str(value)] * 3) == [1.0, 0.0, 0.0]


QUESTIONS = [
    (
        "clips",
        "Natalia sold clips to {a} friends in April and {b} in May. How many clips did she sell in April and May?",
        "So Natalia sold $\\boxed{{{v}}}$ clips in April and May.",
    ),
    (
        "stickers",
        "Ann has {a} stickers and Ben has {b}. How many more stickers does Ann have than Ben?",
        "So Ann has $\\boxed{{{v}}}$ more stickers than Ben.",
    ),
    ("primos", "¿Cuántos números primos hay entre {a} y {b}?", "Por lo tanto, hay $\\boxed{{{v}}}$ números primos."),
    (
        "earnings",
        "Eliza earned {a} dollars and {b} dollars this week. How much did she earn this week?",
        "Eliza earns $\\boxed{{{v}}}$ this week.",
    ),
    (
        "socks",
        "A drawer holds {a} red and {b} blue socks. What is the least number you must draw to be sure of a pair?",
        "You must draw at least $\\boxed{{{v}}}$ socks.",
    ),
]
# what the question's words never license: a doubt, an alternative, a number, a word the question lacks
SPOILERS = [", I might be wrong.", " or so.", " in April and 5 in May.", " in June.", ", not sure."]


@SETTINGS
@given(
    a=st.integers(2, 40),
    b=st.integers(2, 40),
    which=st.integers(0, len(QUESTIONS) - 1),
    spoiler=st.sampled_from(SPOILERS),
)
def test_the_questions_own_words_around_the_box_are_read_as_restated(a: int, b: int, which: int, spoiler: str) -> None:
    # round 37: endings that restate the question ("$\\boxed{72}$ clips in April and May.") were refused whenever a
    # word of theirs was outside the vocabularies; with the prompt, a tail of its words is a restatement
    _, question, ending = QUESTIONS[which]
    prompt, value = question.format(a=a, b=b), a + b
    right = f"Adding gives {value}.\n\n" + ending.format(v=value)
    spoiled = right[:-1] + spoiler
    scores = accuracy_reward([right, spoiled, right], [str(value), str(value), str(value + 1)], prompts=[prompt] * 3)
    assert scores == [1.0, 0.0, 0.0]
    assert accuracy_reward([right], [str(value)])[0] in (0.0, 1.0)  # without the prompt: the vocabularies alone


def test_a_hedge_word_of_the_question_is_its_wording_not_a_doubt() -> None:
    prompt = "Each day it might rain with probability $\\frac13$, independently. What is the probability it rains on neither of two days?"
    right = "The probability that it might rain on neither day is $\\boxed{\\frac{4}{9}}$."
    hedged = ["It might be $\\boxed{\\frac{4}{9}}$.", "The answer is $\\boxed{\\frac{4}{9}}$, it might be wrong."]
    assert accuracy_reward([right, *hedged], ["\\frac{4}{9}"] * 3, prompts=[prompt] * 3) == [1.0, 0.0, 0.0]
    rounding = "To the nearest whole number, what is 1000 times 1.05 squared?"
    answer = "$1000 \\times 1.05^2 = 1102.5$, which rounds to $1103$.\n\nSo it is approximately $\\boxed{1103}$."
    assert accuracy_reward(
        [answer, answer], ["1103", "1103"], prompts=[rounding, "What is 1000 times 1.05 squared?"]
    ) == [1.0, 0.0]


def test_the_final_channel_of_the_harmony_format_is_the_answer() -> None:
    analysis = "<|channel|>analysis<|message|>17*23: first guess was \\boxed{381}? No: 340+51 = 391.<|end|>"
    final = "<|start|>assistant<|channel|>final<|message|>$17 \\times 23 = \\boxed{391}$<|return|>"
    wrong = final.replace("391", "381")
    assert accuracy_reward([analysis + final, analysis + wrong, analysis], ["391"] * 3) == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    "tail", [" or blue.", " or blue balls.", ", twice as many red.", " rather than blue.", " if red."]
)
def test_an_alternative_or_a_value_word_of_the_question_is_never_a_restatement(tail: str) -> None:
    # the question's words license a restatement, never a second candidate or a changed value it happens to hold
    prompt = "Is the ball red or blue? A bag has twice as many red balls as blue balls, and one is drawn; if red, ..."
    plain = "The likelier colour is $\\boxed{\\text{red}}$."
    assert accuracy_reward([plain, plain[:-1] + tail], ["\\text{red}"] * 2, prompts=[prompt] * 2) == [1.0, 0.0]
