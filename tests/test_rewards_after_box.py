"""Generated classes of what follows a final box, and of the sentence that holds it (the thirteenth adversary
round's classes): explanations after the box that must not void it, and the tails, credits and idioms that must
(`extract_final_answer`; deterministic hypothesis draws)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archer_trl.rewards.extract import extract_final_answer

SETTINGS = settings(
    max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None
)
LEADS = ["The answer is", "So the total is", "Hence the value of $k$ is", "Therefore $n =", "最终答案是", "**Answer:**"]
# how an explanation may begin after the box: a new sentence or paragraph, a reason, an aside
STARTS = [".\n\n", ". ", ", since", ", because", " — ", ".\n\n(", "。"]
EXPLANATIONS = [
    "each of the 4 corners is counted once",
    "every pair of the 9 points gives one segment",
    "we used the formula $\\frac{n(n-1)}{2}$ with $n$ equal to the number of points",
    "Plugging in: $3 \\cdot 4 = 12$ ✓",
    "This matches the symmetry of the figure",
    "The key step was to fix one vertex and count the rest",
    "Intuitively this makes sense because the die is fair",
    "Both 24 and 36 are divisible by it",
    "the triangle inequality is used in step 2",
    "因为每条边都被计算了一次",
]
# said after the box, each withdraws it, doubts it, changes its value or offers another one
TAILS = [
    ". Though it might be 13.", ". Or is it 13?", ", but only for even $n$.", ". With repetition allowed: 13.",
    ". Then the perimeter is 48.", ". The count is 13.", ", so the answer is its square.", " — twice that is asked for.",
    ". That is, a baker's dozen minus one, so 11 in the other reading.", "-ish.", ". Das ist falsch.", ". C'est faux.",
    ". Was this verified.", ". $\\bbox{13}$", "<sup>?</sup>", "的两倍。", " 万。", ". Scrap that, 13.",
    ". I miscounted: 13.", ". Erratum: 13.", ". $x = 13$ also works.", " (approximately).", ". Roughly so.",
    ". 13 is another valid answer.", ". Not entirely certain.", ". Assuming the corners count, 13.",
]
# the box's own sentence, or the heading over it, credits it to something other than the answer
CREDITED = [
    "A common slip leads to", "The tempting but wrong value is", "For reference, the unconstrained optimum was",
    "In the variant with side 4:", "Bonus: for a side of 4 the answer becomes", "The naive count was",
    "If instead the side were 4, the area would be", "Ignoring the constraint we would get",
    "In the easier version of the problem,", "Compared with the original problem, the modified one gives",
    "A careless reader would get", "Misreading the question gives",
]
# a hedge or a relation in words right before the box
HEDGES = ["Odds are the count is", "Chances are it is", "The count is shy of", "The answer falls short of",
          "The total is north of", "It is on the order of", "It comes to 12, give or take:", "In all likelihood,"]  # fmt: skip
# the last sentence before a box on its own line states another number, said as an idiom
IDIOMS = ["works out to a baker's dozen", "comes to half a dozen", "we need a gross of tiles", "it took a score of steps"]


@SETTINGS
@given(lead=st.sampled_from(LEADS), start=st.sampled_from(STARTS), explanation=st.sampled_from(EXPLANATIONS))
def test_an_explanation_after_the_box_keeps_it(lead: str, start: str, explanation: str) -> None:
    text = f"<think>\nwork\n</think>\n\n{lead} $\\boxed{{12}}${start} {explanation}."
    if start.endswith("("):
        text = text[:-1] + ")."
    assert extract_final_answer(text) == "12", text


@SETTINGS
@given(lead=st.sampled_from(LEADS), tail=st.sampled_from(TAILS))
def test_a_tail_that_doubts_changes_or_competes_voids_the_box(lead: str, tail: str) -> None:
    text = f"<think>\nwork\n</think>\n\n{lead} $\\boxed{{12}}${tail}"
    assert extract_final_answer(text) is None, text


@SETTINGS
@given(credit=st.sampled_from(CREDITED), own_line=st.booleans())
def test_a_box_credited_to_a_mistake_a_reference_or_a_variant_is_no_answer(credit: str, own_line: bool) -> None:
    gap = "\n\n" if own_line and credit.endswith(":") else " "
    text = f"<think>\nwork\n</think>\n\nThe count is 15.\n\n{credit}{gap}$\\boxed{{12}}$."
    assert extract_final_answer(text) is None, text


@SETTINGS
@given(hedge=st.sampled_from(HEDGES))
def test_a_hedge_or_a_relation_in_words_before_the_box_is_no_answer(hedge: str) -> None:
    text = f"<think>\nwork\n</think>\n\n{hedge} $\\boxed{{12}}$."
    assert extract_final_answer(text) is None, text


@SETTINGS
@given(idiom=st.sampled_from(IDIOMS))
def test_a_number_said_as_an_idiom_competes_with_the_box(idiom: str) -> None:
    text = f"<think>\nwork\n</think>\n\nSo {idiom}.\n\n$\\boxed{{100}}$"
    assert extract_final_answer(text) is None, text
    agreeing = {"baker's dozen": "13", "half a dozen": "6", "gross": "144", "score": "20"}
    value = next(v for k, v in agreeing.items() if k in idiom)
    assert extract_final_answer(text.replace("100", value)) == value


def test_honest_words_near_the_new_rules_still_read() -> None:
    for text in [
        "The odds are 3 to 1 against, so the probability is $\\boxed{\\frac{1}{4}}$.",
        "So there are $\\boxed{12}$ ways.\n\nThe key insight was to fix the first seat.",
        "The sum is $\\boxed{10}$.\n\nFeel free to ask if any step is unclear!",
        "$$\\boxed{5}$$\n\n**Verification:** $2(5) + 3 = 13$ ✓",
        "The greatest common divisor is $\\boxed{6}$, since 6 divides both 12 and 18.",
    ]:
        assert extract_final_answer(text) is not None, text
