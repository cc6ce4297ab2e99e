"""Red-team round 38 (blind, with the prompts): 38 wrong answers paid at first, nearly all through round 37's new
readings (Harmony channels, the question's words around the box, decimal commas), and right answers refused where
``\\(...\\)`` stood for ``$...$``. Each class drawn over values, with its near misses."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archer_trl.rewards import accuracy_reward

SETTINGS = settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None
)
ANALYSIS = "<|channel|>analysis<|message|>Work: {w}.<|end|>"
FINAL = "<|start|>assistant<|channel|>final<|message|>{m}<|return|>"


@SETTINGS
@given(value=st.integers(2, 999), other=st.integers(2, 999))
def test_every_harmony_message_but_the_analysis_is_the_answer(value: int, other: int) -> None:
    if value == other:
        return
    box = f"$\\boxed{{{value}}}$"
    right = ANALYSIS.format(w=f"maybe {other}, no: {value}") + FINAL.format(m=box)
    two_finals = ANALYSIS.format(w="...") + FINAL.format(m=f"The answer is {other}.").replace("<|return|>", "<|end|>")
    commentary = "<|start|>assistant<|channel|>commentary<|message|>Heads up: I did not verify this.<|end|>"
    nested = FINAL.format(m=f"My answer is {other}. Or: <|channel|>final<|message|>{box}")
    unfinished = ANALYSIS.format(w="...").replace("<|end|>", "") + f" {box}"
    completions = [right, two_finals + FINAL.format(m=box), commentary + FINAL.format(m=box), nested, unfinished]
    assert accuracy_reward(completions, [str(value)] * 5) == [1.0, 0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("prompt", "lead", "licensed"),
    [
        ("What is the least number of socks you must draw to be sure of a pair?", "You must draw at least", True),
        ("To the nearest whole number, what is the population?", "The population is approximately", True),
        # round 39: a bound is no value, whatever the question asks ("The answer is at least 3")
        ("What is the least number of socks you must draw to be sure of a pair?", "The answer is at least", False),
        ("What is the minimum number of colors needed?", "The minimum number of colors is at least", False),
        ("What is the greatest number of regions 3 lines can make?", "The answer is at most", False),
        ("What is the largest number of teams of at least 2 students?", "You must form at least", False),
        ("Seven people sit at a round table. How many arrangements are there?", "There are approximately", False),
        ("Estimate first, then compute exactly: what is 48 times 52?", "It is nearly", False),
        ("How many decimal places does 0.125 have?", "It has about", False),  # counted, not rounded to
    ],
)
def test_a_bound_or_an_approximation_only_where_the_question_asks_for_it(
    prompt: str, lead: str, licensed: bool
) -> None:
    completion = f"Working it out gives 7.\n\n{lead} $\\boxed{{7}}$."
    assert accuracy_reward([completion], ["7"], prompts=[prompt]) == [1.0 if licensed else 0.0]


@pytest.mark.parametrize(
    ("tail", "paid"),
    [
        (" clips in April and May.", 1.0),
        (" clips altogether in April and May.", 1.0),
        (" clips in May.", 0.0),  # a phrase of the prompt, not of its question
        (" clips in April and May, or twenty-four.", 0.0),
        (" clips at most.", 0.0),
        (" in total, approximately.", 0.0),
    ],
)
def test_a_restated_tail_is_phrases_of_the_question(tail: str, paid: float) -> None:
    prompt = (
        "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
        "How many clips did Natalia sell altogether in April and May?"
    )
    completion = "48 + 24 = 72.\n\nNatalia sold $\\boxed{72}$" + tail
    assert accuracy_reward([completion], ["72"], prompts=[prompt]) == [paid]


def test_a_comparison_tail_names_the_questions_referent() -> None:
    prompt = "Ann has 12 marbles, Bob has 7 and Carl has 2. How many more marbles does Ann have than Bob?"
    endings = ["Ann has $\\boxed{5}$ more marbles than Bob.", "Ann has $\\boxed{5}$ more marbles than Carl."]
    assert accuracy_reward(endings, ["5", "5"], prompts=[prompt] * 2) == [1.0, 0.0]


def test_a_hedge_word_of_the_question_said_of_the_answer_is_a_hedge() -> None:
    prompt = "A spinner might happen to land on red. Ann guesses randomly on 4 questions. What is the chance?"
    hedged = [
        "The answer might happen to be $\\boxed{\\frac{1}{16}}$.",
        "Like Ann, this guesses randomly: $\\boxed{\\frac{1}{16}}$.",
    ]
    assert accuracy_reward(hedged, ["\\frac{1}{16}"] * 2, prompts=[prompt] * 2) == [0.0, 0.0]


@SETTINGS
@given(whole=st.integers(1, 9), decimal=st.integers(1, 9))
def test_a_decimal_comma_only_where_the_writer_writes_decimals_so(whole: int, decimal: int) -> None:
    gold = f"{whole}.{decimal}"
    two_roots = f"The roots are $x = {whole}$ and $x = {decimal}$; I report both.\n\n$\\boxed{{{whole},{decimal}}}$"
    german = f"Die Länge beträgt $\\boxed{{{whole},{decimal}}}$ cm."
    written = f"Also $x = {whole}{{,}}{decimal}$.\n\nErgebnis: $\\boxed{{{whole},{decimal}}}$"
    thought = (
        f"<think>{whole}.{decimal}</think>\n\nThe roots are {whole} and {decimal}.\n\n$\\boxed{{{whole},{decimal}}}$"
    )
    assert accuracy_reward([two_roots, german, written, thought], [gold] * 4) == [0.0, 1.0, 1.0, 0.0]


@SETTINGS
@given(perimeter=st.integers(10, 99), area=st.integers(10, 99))
def test_the_quantity_the_box_names_keeps_the_value_the_work_gave_it(perimeter: int, area: int) -> None:
    if perimeter in (area, area * 100) or area == perimeter * 100:
        return
    work = f"Perimeter $= {perimeter}$. Area $= {area}$.\n\n"
    swapped = work + f"The area is $\\boxed{{{perimeter}}}$."
    right = work + f"The area is $\\boxed{{{area}}}$."
    other = f"The area of the small square is ${area}$.\n\nThe area of the large square is $\\boxed{{{perimeter}}}$."
    assert accuracy_reward([swapped, right, other], [str(perimeter), str(area), str(perimeter)]) == [0.0, 1.0, 1.0]


def test_tables_of_readings_json_results_and_scale_notes_are_second_answers() -> None:
    table = "| reading | value |\n|---|---|\n| strict | 3 |\n| loose | 4 |\n\nFinal: $\\boxed{4}$"
    json_block = '```json\n{"final": 26}\n```\n\nThe perimeter is $\\boxed{24}$.'
    scale = (
        "All lengths below are in decimetres, while the question uses centimetres.\n\nThe perimeter is $\\boxed{24}$."
    )
    russian = ["Если я не ошибаюсь, ответ $\\boxed{16}$.", "На глазок ответ $\\boxed{16}$."]
    assert accuracy_reward([table, json_block, scale, *russian], ["4", "24", "24", "16", "16"]) == [0.0] * 5


@pytest.mark.parametrize(
    ("completion", "gold"),
    [
        ("The area is \\(9 \\times 6 = 54\\).\n\nThe area is \\(\\boxed{54}\\) square units.", "54"),
        ("As \\(x \\to 0\\), \\(\\frac{\\sin 3x}{3x} \\to 1\\).\n\n**Answer:** \\(\\boxed{3}\\)", "3"),
        (
            "There are \\(\\binom{3}{2} = 3\\) favorable outcomes out of \\(2^3 = 8\\).\n\n\\[\n\\boxed{\\frac{3}{8}}\n\\]",
            "\\frac{3}{8}",
        ),
    ],
)
def test_inline_math_in_parentheses_reads_as_dollars(completion: str, gold: str) -> None:
    assert accuracy_reward([completion, completion.replace("\\(", "$").replace("\\)", "$")], [gold] * 2) == [1.0, 1.0]


def test_a_long_tail_after_the_box_is_read_in_linear_time() -> None:
    # the tail's words were matched by a pattern that could split one word many ways: 2^n steps when the tail did
    # not end the line (found while measuring its cost, not by the round). A regular expression cannot be interrupted,
    # so the check runs in a child with a wall-clock limit
    import subprocess
    import sys

    code = (
        "from archer_trl.rewards.reading.prompt_words import without_restated_tail as w\n"
        "q = 'How many clips did Natalia sell altogether in April and May?'\n"
        "for tail in ('a' * 20000 + ' b' * 5000 + '!x', ' clips' * 3000 + ' 7'):\n"
        "    assert w('So $\\\\boxed{72}$ ' + tail, q).endswith(tail)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], timeout=120, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
