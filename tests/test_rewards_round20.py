"""Generated classes of the twentieth adversary round (`extract_final_answer`; deterministic hypothesis draws): the
fail-closed forms it found (frames and tags beside a box, text before the thought, signs outside the box, letters
offered together, second results boxed, values changed after the box) and the honest forms it found refused
(problem vocabulary that reads like a hedge, theorem headings, Greek symbols, plain words after the box)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archer_trl.rewards import accuracy_reward
from archer_trl.rewards.extract import extract_final_answer

SETTINGS = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None
)


def answer(text: str) -> str | None:
    return extract_final_answer(f"<think>\nwork\n</think>\n\n{text}")


FRAMES = ["\\bbox[border:1px solid]{13}", "\\enclose{box}{13}", "\\ovalbox{13}", "\\doublebox{13}", "\\shadowbox{13}"]
TAGS = ["\\tag*{or~13}", "\\tag*{\\pm1}", "\\tag*{(approx.)}", "\\tag*{?}", "\\tag{maybe}"]
DASHES = ["\u2013", "\u2010", "\u2011", "\u2212", "\u2012"]


@SETTINGS
@given(st.sampled_from(FRAMES), st.sampled_from(TAGS), st.sampled_from(DASHES))
def test_round20_frames_tags_and_outside_signs_fail_closed(frame: str, tag: str, dash: str) -> None:
    assert answer(f"Method 1: ${frame}$.\n\nMethod 2: $\\boxed{{12}}$") is None
    assert answer(f"$$\\boxed{{12}} {tag}$$") is None
    assert answer(f"The slope is {dash}$\\boxed{{3}}$.") is None
    assert answer(f"The slope is $\\text{{{dash}}}\\boxed{{3}}$.") is None
    assert answer("$$\\boxed{12} \\tag{1}$$") == "12"  # an equation number is a label
    assert answer("Hence $\\boxed{18}$. $\\Box$") == "18"  # the end-of-proof square is no frame


def test_round20_text_before_the_thought_is_read() -> None:
    assert extract_final_answer("**Answer:** $\\boxed{8}$\n<think>\nx = 7\n</think>\n\n$x = \\boxed{7}$.") is None
    assert extract_final_answer("(Guessed; I did not work this out.)\n<think>\n.\n</think>\n\n$\\boxed{12}$") is None
    assert extract_final_answer("<think>\nx = 7\n</think>\n\n$x = \\boxed{7}$.") == "7"


LETTER_HEDGES = [
    "Either (C) or (D) is correct.", "It's C or D.", "C and D both work.", "Both (B) and (C) satisfy the condition.",
    "Checking each option: (A) fails, (B) fails, (C) works, (D) works.", "(D) is correct.",
    "The correct choice is C, though D is equally good.",
]  # fmt: skip


@SETTINGS
@given(st.sampled_from(LETTER_HEDGES))
def test_round20_another_letter_beside_a_boxed_one_voids_it(hedge: str) -> None:
    assert answer(f"{hedge}\n\n$\\boxed{{C}}$") is None
    assert answer("Checking each option: (A) fails, (B) fails, (C) works, (D) fails.\n\n$\\boxed{C}$") == "C"


def test_round20_a_letter_and_value_box_must_match_the_listed_options() -> None:
    assert answer("The options are (A) 13, (B) 12, (C) 11. The answer is $\\boxed{(A)\\ 12}$.") is None
    assert answer("The options are (A) 13, (B) 12, (C) 11. The answer is $\\boxed{(B)\\ 12}$.") is not None


@SETTINGS
@given(
    st.sampled_from(
        ["Another count gives", "A recount gives", "Summing the columns gives", "Counting from the other end:"]
    )
)
def test_round20_an_unlabelled_earlier_box_of_another_value_is_a_second_answer(lead: str) -> None:
    assert answer(f"{lead} $\\boxed{{13}}$. The answer is $\\boxed{{12}}$.") is None
    assert answer("First, the side is $s = \\boxed{3}$. So the answer is $\\boxed{12}$.") == "12"  # a labelled step


CHANGES = ["— and the question asks for its square.", "— the total asked for is tenfold that.",
           ". This gets squared to give the requested area.", ". All amounts are in hundreds of dollars.", " (×10³)."]  # fmt: skip


@SETTINGS
@given(st.sampled_from(CHANGES))
def test_round20_a_value_changed_after_the_box_voids_it(change: str) -> None:
    assert answer(f"So the count is $\\boxed{{12}}${change}") is None


PROBLEM_WORDS = [
    "The ladder leaning against the wall is 13 ft long.", "For the truncated cone, $V = 28\\pi$.",
    "The ant walks on the surface of the box.", "A group of order 12 has 4 such subgroups.",
    "Pick an arbitrary chord through $P$.", "Each possible outcome is equally likely.",
    "Each round is a coin toss.", "There are 10 posts on the fence.", "Instead of guessing, we solve $4x = 48$.",
    "We can find the sum without solving the quadratic.", "We might as well assume $a \\le b$.",
    "### Fermat's Little Theorem", "### Partial Fraction Decomposition", "By Vieta, αβ = 6 and Δx = 2.",
    "I'll present the solution step by step.", "As I noted above, the choices are independent.",
    "Since $x = -2$ is inconsistent with $x > 0$, we reject it.", "The values differ by 2 each step.",
    "The candidates are $\\pm 1$. Testing, only $x = 1$ is a root.", "There is no discrepancy between the methods.",
]  # fmt: skip


@SETTINGS
@given(st.sampled_from(PROBLEM_WORDS), st.sampled_from(["So the answer is", "Hence the value is", "Therefore"]))
def test_round20_problem_vocabulary_is_no_hedge(sentence: str, lead: str) -> None:
    assert answer(f"{sentence}\n\n{lead} $\\boxed{{1}}$.") == "1", sentence


@SETTINGS
@given(st.sampled_from(["ways to do it", "seating arrangements", "distinct committees", "colorings in all"]))
def test_round20_plain_words_after_the_box_are_read(words: str) -> None:
    assert accuracy_reward([f"<think>\nw\n</think>\n\nThere are $\\boxed{{12}}$ {words}."], ["12"]) == [1.0], words
    for changed in ("squared", "tenfold", "hundreds", "thirteenths", "or so", "give or take"):
        text = f"<think>\nw\n</think>\n\nThere are $\\boxed{{12}}$ {words} {changed}."
        assert accuracy_reward([text], ["12"]) == [0.0], changed


# round 21: what the round-20 rules still let through, by class
@SETTINGS
@given(st.sampled_from(["!=", "=/=", "/=", "&ne;", "&gt;", "approximately equal to"]))
def test_round21_ascii_and_entity_relations_before_the_box_void_it(relation: str) -> None:
    assert answer(f"So $x$ {relation} $\\boxed{{5}}$.") is None, relation


@SETTINGS
@given(
    st.sampled_from(["thirteen", "twenty-one", "十三", "五十一"]),
    st.sampled_from(["**Final Answer:**", "答案：", "<b>Answer:</b>"]),
)
def test_round21_another_value_named_the_answer_in_words_or_before_a_labelled_box(value: str, label: str) -> None:
    assert answer(f"The answer is {value}.\n\n$\\boxed{{12}}$") is None
    assert answer(f"So there are 13 ways in total.\n\n{label} $\\boxed{{12}}$") is None
    assert answer(f"So there are 12 ways in total.\n\n{label} $\\boxed{{12}}$") == "12"


def test_round21_other_choice_letters_lookalikes_and_output_blocks() -> None:
    assert answer("Both (G) and (H) work.\n\n$\\boxed{G}$") is None
    assert answer("The answer is H.\n\n$\\boxed{G}$") is None
    assert answer("The answer is pr\u043ebably $\\boxed{5}$.") is None  # Cyrillic о
    assert answer("The answer is pr\u0585bably $\\boxed{5}$.") is None  # Armenian օ
    assert answer("Running it:\n```output\n8\n```\nSo the count is $\\boxed{7}$.") is None
    assert answer("The number of integers up to 100 that are not divisible by 3 is $\\boxed{67}$.") == "67"


ALTERNATIVES_AFTER = ["(or $-\\frac{\\pi}{2}$).", "(or Wednesday).", "— or $\\frac{2}{\\sqrt{3}}$.", ". An ellipse also works.",
                      ". Its negative works too.", "。$-3$ 也满足条件。", ". The other root also satisfies all the conditions."]  # fmt: skip


@SETTINGS
@given(st.sampled_from(ALTERNATIVES_AFTER))
def test_round21_another_value_offered_after_the_box_in_any_form_voids_it(tail: str) -> None:
    assert answer(f"So the answer is $\\boxed{{\\frac{{\\pi}}{{2}}}}$ {tail}") is None, tail
    honest = ". This also satisfies the second equation."  # said of the answer itself: a check
    assert answer(f"So the answer is $\\boxed{{24}}$ {honest}") == "24"
