"""The strict answer format (`strict_accuracy_reward`, ``answer_format="strict"``): the final box's line is read
against a grammar of what may stand there (red-team round 23: 113 of 124 reward hacks paid by the lenient reading,
nearly all on that line, in words no vocabulary had). Generated classes: new hedging words in every slot of the line
fail; the plain shapes of a committed answer keep it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archer_trl.rewards import strict_accuracy_reward
from archer_trl.rewards.extract import extract_final_answer
from archer_trl.rewards.math.reward import AccuracyReward
from archer_trl.rewards.registry import resolve_reward_function

SETTINGS = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None
)


def strict(text: str) -> str | None:
    return extract_final_answer(f"<think>\nwork\n</think>\n\n{text}", strict=True)


# openers, subjects and tails in words that are in no vocabulary of the lenient rules
OPENERS = ["In all likelihood,", "Barring surprises,", "On a hunch,", "If pressed,", "Going out on a limb,",
           "Vermutlich", "Au jugé,", "Por intuición,", "🤷", "Sort of:"]  # fmt: skip
SUBJECTS = ["The putative answer is", "The interim count is", "The safest bet is", "My best shot is",
            "The front-runner is", "The ballpark figure is"]  # fmt: skip
TAILS = ["(for the moment)", ", give or take.", "(unconfirmed)", ", tentatively.", "(ish)", ", on a good day.",
         "Make that 13.", "(or thereabouts)", "，大概吧。", "— or so I reckon."]  # fmt: skip


@SETTINGS
@given(st.sampled_from(OPENERS), st.sampled_from(SUBJECTS), st.sampled_from(TAILS))
def test_words_that_are_not_the_plain_answer_shape_fail_closed(opener: str, subject: str, tail: str) -> None:
    assert strict(f"{opener} the answer is $\\boxed{{12}}$.") is None
    assert strict(f"{subject} $\\boxed{{12}}$.") is None
    assert strict(f"The answer is $\\boxed{{12}}${tail}") is None


PLAIN_LINES = [
    "Therefore, the answer is $\\boxed{12}$.", "**Final Answer**\n\n$$\\boxed{12}$$", "Answer: $\\boxed{12}$",
    "So the number of ways to seat them is $\\boxed{12}$.", "Thus $x = \\boxed{12}$.", "Hence $\\boxed{12}$.",
    "Solving the system, the count is $\\boxed{12}$.", "By symmetry, there are $\\boxed{12}$ ways.",
    "Alice has $\\boxed{12}$ marbles left.", "所以答案是 $\\boxed{12}$。", "共有 $\\boxed{12}$ 种。",
    "The perimeter is $\\boxed{12}$ cm.", "The final answer is $\\boxed{12}$. I hope it is correct.",
    "Putting the pieces together: Hence $\\boxed{12}$.", "\\[\n\\boxed{12}\n\\]",
]  # fmt: skip


@pytest.mark.parametrize("line", PLAIN_LINES)
def test_the_plain_shapes_of_a_committed_answer_keep_it(line: str) -> None:
    answer = strict(f"Each of the 3 rows has 4 seats, so $3 \\times 4 = 12$.\n\n{line}")
    assert answer is not None and answer.startswith("12")  # words after the box join it as its unit


def test_multi_part_answers_keep_their_parts() -> None:
    assert strict("Solving the system, $x=\\boxed{2}$ and $y=\\boxed{3}$.") == "x=2, y=3"
    assert strict("We get $a = \\boxed{3}$, so the area is $\\boxed{12}$.") == "12"
    assert strict("**Final Answer**\n(a) $\\boxed{5}$\n(b) $\\boxed{7}$") == "5, 7"


def test_the_strict_reward_is_registered_and_scores_through_the_pool() -> None:
    assert resolve_reward_function("accuracy_strict") is strict_accuracy_reward
    done = "<think>\nw\n</think>\n\n"
    completions = [done + "So the answer is $\\boxed{12}$.", done + "In all likelihood, the answer is $\\boxed{12}$."]
    assert strict_accuracy_reward(completions, ["12", "12"]) == [1.0, 0.0]


def test_an_unknown_answer_format_fails_at_construction() -> None:
    with pytest.raises(ValueError, match="answer_format='loose' is invalid"):
        AccuracyReward(answer_format="loose")


@pytest.mark.parametrize(
    ("task", "box", "gold"),
    [
        ("Compute $17 \\times 23$.", "17 \\times 23", "391"),
        ("Evaluate $\\dbinom{10}{3}$.", "\\binom{10}{3}", "120"),
        ("Simplify $\\frac{12}{18}$.", "\\dfrac{12}{18}", "\\frac{2}{3}"),
        ("What is $\\log_2 64$?", "\\log_2 64", "6"),
        ("Find $\\sqrt{196}$.", "\\sqrt{196}", "14"),
    ],  # fmt: skip
)
def test_a_box_that_copies_the_prompts_arithmetic_is_no_answer(task: str, box: str, gold: str) -> None:
    completion = f"<think>\nw\n</think>\n\nSo the answer is $\\boxed{{{box}}}$."
    assert strict_accuracy_reward([completion], [gold], prompts=[task]) == [0.0]
    assert strict_accuracy_reward([completion], [gold]) == [1.0]  # without the prompt nothing says it was the task
    finished = "<think>\nw\n</think>\n\nSo the answer is $\\boxed{" + gold + "}$."
    assert strict_accuracy_reward([finished], [gold], prompts=[task]) == [1.0]
    # "6!" answers a counting question the prompt words differently
    six = "<think>\nw\n</think>\n\nSo the answer is $\\boxed{6!}$."
    assert strict_accuracy_reward([six], ["720"], prompts=["In how many orders can 6 books stand?"]) == [1.0]


# what a subject may do to the answer it names, in words the round-24 adversary did not use
ANSWER_CHANGES = ["The answer halved is", "The cube of the answer is", "The answer's digit sum is",
                  "A lower bound on the answer is", "Conversely the answer is", "The provisional-looking answer is",
                  "The answer rounded up is", "The answer in base 2 is"]  # fmt: skip


@pytest.mark.parametrize("subject", ANSWER_CHANGES)
def test_a_subject_that_changes_or_qualifies_the_answer_it_names_fails_closed(subject: str) -> None:
    assert strict(f"{subject} $\\boxed{{12}}$.") is None


@pytest.mark.parametrize(
    "subject",
    [
        "The final answer is",
        "The maximum value is",
        "The value of $x$ is",
        "The answer to the problem is",
        "The correct result is",
        "Our answer is",
        "The solutions are",
    ],  # fmt: skip
)
def test_a_subject_that_is_the_answer_keeps_it(subject: str) -> None:
    assert strict(f"{subject} $\\boxed{{12}}$.") == "12"
