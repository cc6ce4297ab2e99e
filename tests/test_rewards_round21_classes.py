"""Generated classes of the twenty-first adversary round that stayed open, closed in round 23 (`extract_final_answer`;
deterministic hypothesis draws). Each class is drawn with words the round did not use, and each has honest twins that
must keep their answer."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archer_trl.rewards.extract import extract_final_answer

SETTINGS = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None
)


def answer(text: str) -> str | None:
    return extract_final_answer(f"<think>\nwork\n</think>\n\n{text}")


SUBJECTS = ["The answer", "So the number of ways", "Hence the value of $k$", "The total", "Thus the area"]
VERBS = ["is", "was", "equals", "comes to", "works out to", "must be"]
# words between the verb and the box that qualify the value: none of them is in any vocabulary of the grader
QUALIFIERS = [
    "kinda", "reminiscent of", "a whisker below", "the ceiling of", "adjacent to", "in the vicinity of",
    "a hair above", "the largest prime below", "not far off", "the cube of", "double-ish", "verging on",
]  # fmt: skip
PLAIN_GAPS = ["", "therefore", "exactly", "the same value,", "simply", "equal to", "given by", "therefore exactly"]


@SETTINGS
@given(st.sampled_from(SUBJECTS), st.sampled_from(VERBS), st.sampled_from(QUALIFIERS))
def test_words_that_qualify_the_value_after_its_verb_fail_closed(subject: str, verb: str, qualifier: str) -> None:
    assert answer(f"{subject} {verb} {qualifier} $\\boxed{{12}}$.") is None


@SETTINGS
@given(st.sampled_from(SUBJECTS), st.sampled_from(VERBS), st.sampled_from(PLAIN_GAPS))
def test_words_that_only_point_at_the_value_keep_it(subject: str, verb: str, gap: str) -> None:
    assert answer(f"{subject} {verb} {gap} $\\boxed{{12}}$.".replace("  ", " ")) == "12"


@SETTINGS
@given(
    st.sampled_from(["v", "r", "n", "t"]), st.sampled_from(["We need to find", "Solve for", "We want", "Determine"])
)
def test_a_boxed_value_of_the_sought_variable_is_an_answer_not_a_step(var: str, ask: str) -> None:
    text = f"{ask} ${var}$.\n\nSolving gives ${var} = \\boxed{{13}}$.\n\nSo the answer is $\\boxed{{12}}$."
    assert answer(text) is None
    # a helper variable boxed on the way is a step
    assert answer(f"{ask} the area.\n\nFirst $a=\\boxed{{3}}$, so the area is $\\boxed{{12}}$.") == "12"


RELATIONS = ["smaller or equal to", "no less or equal to", "bigger or equal to", "surpasses", "outnumbers"]
NEGATIONS = ["isnt", "wasnt", "cant be", "doesnt equal", "wont be", "arent"]
EXCEPTIONS = ["every integer works save for", "all values are fine barring", "any real number works except"]
CONDITIONS = ["Unless the beads are distinct", "In the event that order matters", "On condition that $n$ is odd",
              "So long as the coins are fair", "Only if the dice are fair"]  # fmt: skip


@SETTINGS
@given(
    st.sampled_from(RELATIONS),
    st.sampled_from(NEGATIONS),
    st.sampled_from(EXCEPTIONS),
    st.sampled_from(CONDITIONS),
)
def test_relations_negations_exceptions_and_conditions_in_new_spellings(
    relation: str, negation: str, exception: str, condition: str
) -> None:
    assert answer(f"The count {relation} $\\boxed{{7}}$.") is None
    assert answer(f"So $x$ {negation} $\\boxed{{7}}$.") is None
    assert answer(f"Clearly {exception} $\\boxed{{7}}$.") is None
    assert answer(f"{condition}, the count is $\\boxed{{7}}$.") is None
    assert answer("The number of subsets is 2 raised to $\\boxed{10}$.") is None


BOX_LINES = ["Final answer → $\\boxed{9}$", "Thus, $\\boxed{9}$.", "The answer is $\\boxed{9}$.",
             "Our final result: $\\boxed{9}$", "\\[\\text{Count} = \\boxed{9}\\]", "**最终答案**：$\\boxed{9}$"]  # fmt: skip
RESULT_SENTENCES = ["Checking each case, the smallest such $n$ is $8$.", "Pairing terms, the sum is therefore $8$.",
                    "So there are 2 cases, giving 8.", "Hence the total is eight.", "Hence the count is one hundred and one.",
                    "Hence there are 8 valid seatings."]  # fmt: skip


@SETTINGS
@given(st.sampled_from(RESULT_SENTENCES), st.sampled_from(BOX_LINES))
def test_a_result_stated_just_before_the_answer_line_must_be_the_box(sentence: str, line: str) -> None:
    assert answer(f"{sentence}\n\n{line}") is None
    same = sentence.replace("$8$", "$9$").replace("giving 8", "giving 9").replace("eight", "nine")
    same = same.replace("are 8", "are 9").replace("one hundred and one", "nine")
    assert answer(f"{same}\n\n{line}") == "9"


@SETTINGS
@given(
    st.sampled_from(["The ladder is 13 ft long.", "Each of the 5 friends brought 3 apples.", "The grid has 16 cells."])
)
def test_a_fact_of_the_problem_before_the_answer_line_is_no_second_result(fact: str) -> None:
    assert answer(f"{fact}\n\nSo the answer is $\\boxed{{9}}$.") == "9"


WORKINGS = ["Tallying row by row", "Counting by columns", "A brute-force check", "Going cell by cell"]
RESULT_VERBS = ["yields", "totals", "produces", "comes to", "adds up to", "returns"]


@SETTINGS
@given(st.sampled_from(WORKINGS), st.sampled_from(RESULT_VERBS))
def test_another_working_after_the_box_with_another_number_fails_closed(working: str, verb: str) -> None:
    assert answer(f"There are $\\boxed{{12}}$ rectangles.\n\n{working} {verb} 13.") is None
    assert answer(f"There are $\\boxed{{12}}$ rectangles.\n\n{working} {verb} 12.") == "12"
    assert answer("The side is $\\boxed{2\\sqrt{3}}$. The value $\\sqrt{3}$ also satisfies the equation.") is None


OPTION_LISTS = ["A. 10   B. 12   C. 13", "A) 10, B) 12, C) 13", "$\\textbf{(A)}\\ 10 \\qquad \\textbf{(B)}\\ 12$",
                "(A) 10, (B) 12, (C) 13", "A: 10; B: 12; C: 13"]  # fmt: skip


@SETTINGS
@given(st.sampled_from(OPTION_LISTS), st.sampled_from(["(B)\\ ", "B)\\ ", "\\textbf{(B)}\\ "]))
def test_a_letter_boxed_with_a_value_its_listed_option_lacks_fails_closed(options: str, letter: str) -> None:
    assert answer(f"The options are {options}.\n\n$\\boxed{{{letter}13}}$") is None
    assert answer(f"The options are {options}.\n\n$\\boxed{{{letter}12}}$") is not None


def test_two_letters_called_equally_good_fail_closed() -> None:
    assert answer("Options G and H are equally good.\n\n$\\boxed{H}$") is None
    assert answer("B and C are all plausible.\n\n$\\boxed{C}$") is None
    assert answer("F 和 G 都正确，取 $\\boxed{F}$。") is None
    assert answer("Only (B) fits every condition.\n\n$\\boxed{B}$") == "B"


@SETTINGS
@given(
    st.sampled_from(["should", "must", "would", "might"]),
    st.sampled_from(["$\\frac{\\pi}{3}$", "$(2, 1)$", "$x^2-1$"]),
)
def test_an_answer_line_with_a_modal_and_another_value_fails_closed(modal: str, other: str) -> None:
    assert answer(f"The answer {modal} be {other}.\n\n$\\boxed{{\\frac{{\\pi}}{{6}}}}$") is None
    assert answer("The answer is $\\frac{\\pi}{6}$.\n\n$\\boxed{\\frac{\\pi}{6}}$") == "\\frac{\\pi}{6}"


@SETTINGS
@given(
    st.sampled_from(
        [
            '```json\n{"answer": 13}\n```',
            '`{"final_answer": "13"}`',
            "```python\n>>> comb(5, 2) + 3\n13\n```",
            "```\n>>> print(result)\n13\n```",
            "```python\nresult = 13\n```",
        ]  # fmt: skip
    )
)
def test_code_that_records_another_result_fails_closed(code: str) -> None:
    assert answer(f"{code}\n\nSo the count is $\\boxed{{12}}$.") is None
    assert answer(f"{code.replace('13', '12')}\n\nSo the count is $\\boxed{{12}}$.") == "12"
