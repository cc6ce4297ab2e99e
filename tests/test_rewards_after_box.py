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
LEADS = [
    "The answer is",
    "So the total is",
    "Hence the value of $k$ is",
    "Therefore $n =",
    "最终答案是",
    "**Answer:**",
]
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
]  # fmt: skip
# said after the box, each withdraws it, doubts it, changes its value or offers another one
TAILS = [
    ". Though it might be 13.", ". Or is it 13?", ", but only for even $n$.", ". With repetition allowed: 13.",
    ". Then the perimeter is 48.", ". The count is 13.", ", so the answer is its square.", " — twice that is asked for.",
    ". That is, a baker's dozen minus one, so 11 in the other reading.", "-ish.", ". Das ist falsch.", ". C'est faux.",
    ". Was this verified.", ". $\\bbox{13}$", "<sup>?</sup>", "的两倍。", " 万。", ". Scrap that, 13.",
    ". I miscounted: 13.", ". Erratum: 13.", ". $x = 13$ also works.", " (approximately).", ". Roughly so.",
    ". 13 is another valid answer.", ". Not entirely certain.", ". Assuming the corners count, 13.",
]  # fmt: skip
# the box's own sentence, or the heading over it, credits it to something other than the answer
CREDITED = [
    "A common slip leads to", "The tempting but wrong value is", "For reference, the unconstrained optimum was",
    "In the variant with side 4:", "Bonus: for a side of 4 the answer becomes", "The naive count was",
    "If instead the side were 4, the area would be", "Ignoring the constraint we would get",
    "In the easier version of the problem,", "Compared with the original problem, the modified one gives",
    "A careless reader would get", "Misreading the question gives",
]  # fmt: skip
# a hedge or a relation in words right before the box
HEDGES = ["Odds are the count is", "Chances are it is", "The count is shy of", "The answer falls short of",
          "The total is north of", "It is on the order of", "It comes to 12, give or take:", "In all likelihood,"]  # fmt: skip
# the last sentence before a box on its own line states another number, said as an idiom
IDIOMS = ["works out to a baker's dozen", "comes to half a dozen", "we need a gross of tiles", "it took a score of steps"]  # fmt: skip


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


# the writer speaks of how sure they are, in any words: no committed answer
ASIDES = ["I remain unconvinced, but:", "I'm on the fence.", "I reckon it's", "I have my reservations.",
          "My gut tells me", "I'd lean toward", "Honestly I could not say.", "我心里没底，先写", "Ich zweifle daran:",
          "Je ne suis pas convaincu :", "I wouldn't bet on it:", "My hunch:"]  # fmt: skip
# the writer speaks of the work: a step, a check, a closing
WORK = ["I get $n = 12$ after simplifying.", "Let me summarize.", "I hope this helps.", "I counted each case once.",
        "I used the formula for combinations.", "I double-checked the arithmetic."]  # fmt: skip
HIDDEN_MARKUP = ["\\color{white!100}", "\\color{black!0}", "\\textcolor{GhostWhite}{", "<span style=\"opacity:.01\">",
                 "<span style=\"transform:translateX(-9999px)\">", "\\def\\x{13}", "\\renewcommand{\\boxed}[1]{13}",
                 "<font color=\"#fefefe\">", "\\let\\boxed\\relax"]  # fmt: skip


@SETTINGS
@given(aside=st.sampled_from(ASIDES))
def test_the_writer_saying_how_sure_they_are_voids_the_box(aside: str) -> None:
    text = f"<think>\nwork\n</think>\n\nWe have $n = 36/3 = 12$.\n\n{aside} $\\boxed{{12}}$."
    assert extract_final_answer(text) is None, text


@SETTINGS
@given(work=st.sampled_from(WORK))
def test_the_writer_speaking_of_the_work_keeps_the_box(work: str) -> None:
    text = f"<think>\nwork\n</think>\n\n{work}\n\nThe answer is $\\boxed{{12}}$."
    assert extract_final_answer(text) == "12", text


@SETTINGS
@given(markup=st.sampled_from(HIDDEN_MARKUP), inside=st.booleans())
def test_colours_styles_and_macro_definitions_fail_closed(markup: str, inside: bool) -> None:
    box = f"$\\boxed{{{markup}12}}$" if inside and markup.startswith("\\color") else f"{markup}$\\boxed{{12}}$"
    text = f"<think>\nwork\n</think>\n\nThe answer is {box}."
    assert extract_final_answer(text) is None, text
    visible = "<think>\nwork\n</think>\n\nThe answer is $\\boxed{\\color{red}12}$."
    assert extract_final_answer(visible) is not None


def test_a_box_named_a_function_of_the_answer_or_credited_to_a_source_is_no_answer() -> None:
    for text in [
        "$\\boxed{12}$ is a divisor of the answer.",
        "$\\boxed{12}$ is the product of the two roots.",
        "My own count gave 13, though the answer key says $\\boxed{12}$.",
        "According to the textbook, $\\boxed{12}$.",
        "Two candidates remain: 12 and 13. I'll box $\\boxed{12}$.",
        "Each of 12 and 13 fits the constraints, so: $\\boxed{12}$.",
        "Es bleibt offen, ich schwanke zwischen 12 und 13: $\\boxed{12}$.",
        "In the ordered case the count is 20; in the unordered reading, $\\boxed{12}$.",
    ]:
        assert extract_final_answer(text) is None, text
    for text in [
        "$\\boxed{12}$ is the minimum possible value.",
        "因此，共有 $\\boxed{12}$ 种不同的排法。",
        "So the remainder is $\\boxed{7}$.\n\n(Using $2^6 \\equiv 1 \\pmod 9$, so $2^{100} \\equiv 2^4 \\equiv 7$.)",
        "**Answer:** $\\boxed{12}$\n\n**Verification:** $3 \\times 12 = 36$ ✓",
        "In the worst case, we need $\\boxed{12}$ weighings.",
    ]:
        assert extract_final_answer(text) is not None, text


def test_round15_a_second_result_of_the_work_or_a_tentative_label_is_no_answer() -> None:
    for text in [
        "The formula gives 12. An exhaustive enumeration gave 13.\n\n$\\boxed{12}$",
        "Method 1 gives 12; the second method yields 13.\n\n$\\boxed{12}$",
        "The two counts disagree.\n\n$\\boxed{12}$",
        "Counting by hand: 13. So $\\boxed{12}$.",
        "With order: 20. Without order: 12.\n\n$\\boxed{12}$",
        "We get 13 if rotations count, otherwise 12.\n\n$\\boxed{12}$",
        "The answer is not unique.\n\n$\\boxed{12}$",
        "12 和 13 都可以。\n\n$\\boxed{12}$",
        "Provisional answer (to be checked): $\\boxed{12}$",
        "Draft: $\\boxed{12}$",
        "A rough estimate: $\\boxed{12}$",
        "Subtotal: $\\boxed{12}$",
        "🤔 $\\boxed{12}$",
        "答案八成是 $\\boxed{12}$。",
        "<details><summary>Note</summary>Really 13.</details>\n\n$\\boxed{12}$",
        "[//]: # (it is 13)\n\n$\\boxed{12}$",
        "$\\boxed{12}$\n\n(Provided the ends are excluded; otherwise add one.)",
        "$\\boxed{\\frac{3}{8}}$ (that is, $0.4$).",
        "$\\boxed{\\frac{1}{6}} \\approx 0.2$",
    ]:
        assert extract_final_answer(f"<think>\nwork\n</think>\n\n{text}") is None, text


def test_round15_explanations_restatements_and_chinese_units_read() -> None:
    for text, answer in [
        ("The minimum is $\\boxed{2}$, attained at $x = 1$.", "2"),
        ("So $x = \\boxed{4}$. The root $x = -4$ is extraneous.", "4"),
        ("Thus $\\boxed{5}$ is the smallest such $n$, because $n = 4$ fails.", "5"),
        ("The probability is $\\boxed{\\frac{3}{8}} = 0.375$.", "\\frac{3}{8}"),
        ("The probability is $\\boxed{\\frac{1}{6}}$, about 16.7%.", "\\frac{1}{6}"),
        ("函数的最小值为 $\\boxed{2}$，此时 $x=1$。", "2"),
        ("面积为 $\\boxed{48}$ 平方厘米。", "48 \\text{ square centimeters}"),
        ("共需 $\\boxed{12}$ 分钟。", "12 \\text{ minutes}"),
        ("共有 $\\boxed{12}$ 种不同的涂色方法。", "12"),
    ]:
        assert extract_final_answer(f"<think>\nwork\n</think>\n\n{text}") == answer, text


def test_round16_unread_languages_approximations_and_second_methods_are_no_answer() -> None:
    for text in [
        "Saya tidak yakin dengan langkah ini.\n\nThe answer is $\\boxed{12}$.",
        "Jeg er ikke sikker.\n\nThe answer is $\\boxed{12}$.",
        "La probabilité est presque $\\boxed{12}$.",
        "Ответ: почти $\\boxed{12}$.",
        "所以结果将近 $\\boxed{12}$。",
        "The total is a bit over $\\boxed{12}$.",
        "Provided the officers are distinguishable, the count is $\\boxed{12}$.",
        "Counting the complement instead gives 15.\n\nSo the answer is $\\boxed{12}$.",
        "This result is questionable.\n\nThe answer is $\\boxed{12}$.",
        "Half of the final quantity is $\\boxed{12}$.",
        "The answer is $\\boxed{12}$.\n\n*Retracted.*",
        "The answer is $\\boxed{12}$ (fifteen with repetition allowed).",
        "Unordered: fifteen. Ordered: $\\boxed{12}$.",
    ]:
        assert extract_final_answer(f"<think>\nwork\n</think>\n\n{text}") is None, text


def test_round16_units_named_in_words_and_plain_explanations() -> None:
    from archer_trl.rewards import accuracy_reward

    section = "<think>\nwork\n</think>\n\n"
    texts = ["The time is $\\boxed{12}$ (in minutes).", "The length in inches is $\\boxed{5}$.",
             "She pays $\\boxed{\\$15}$ in total.", "So $P = \\boxed{0.5}$. I double-checked by listing all outcomes.",
             "答：小明今年 $\\boxed{12}$ 岁。", "The probability is $\\boxed{\\frac{1}{2}}$, which is $50\\%$."]  # fmt: skip
    golds = ["12 \\text{ hours}", "5 \\text{ cm}", "\\$15", "0.5", "12", "\\frac{1}{2}"]
    assert accuracy_reward([section + t for t in texts], golds) == [0.0, 0.0, 1.0, 1.0, 1.0, 1.0]


def test_round17_impersonal_hedges_bounds_and_readings_are_no_answer_and_checks_after_read() -> None:
    for text in [
        "As a first approximation, the count is $\\boxed{12}$.",
        "The answer is arguably $\\boxed{12}$.",
        "目测答案是 $\\boxed{12}$。",
        "The answer tops out at $\\boxed{12}$.",
        "The value rounds to $\\boxed{12}$.",
        "Twelve and thirteen both survive the parity check.\n\n$\\boxed{12}$",
        "The count is 24 if order matters and 12 if it does not.\n\n$\\boxed{12}$",
        "Counting directly gives 12; using the formula gives 13.\n\nFinal: $\\boxed{12}$",
        "The warm-up case $n=2$ yields $\\boxed{12}$.",
    ]:
        assert extract_final_answer(f"<think>\nwork\n</think>\n\n{text}") is None, text
    for text in [
        "The answer is $\\boxed{12}$.\n\nLet me verify once more: $3 \\times 4 = 12$. ✓",
        "The answer is $\\boxed{12}$.\n\nI'm fairly confident in this answer since both methods agree.",
        "The area is $\\boxed{12}$ cm².",
        "最小值为 $\\boxed{2}$，当且仅当 $x=1$ 时取到。",
    ]:
        assert extract_final_answer(f"<think>\nwork\n</think>\n\n{text}") is not None, text


def test_round18_struck_sentences_first_impressions_shorthand_and_foreign_number_words_are_no_answer() -> None:
    for text in [
        "~~The probability is $\\boxed{\\frac12}$.~~",
        "At first glance, the answer is $\\boxed{12}$.",
        "FWIW the answer is $\\boxed{12}$.",
        "Fallback answer: $\\boxed{12}$",
        "Die Antwort ist acht.\n\n$\\boxed{7}$",
        "Ответ: восемь.\n\n$\\boxed{7}$",
        "Most students would answer $\\boxed{12}$.",
        "The answer is $\\boxed{12}$ (coin flip).",
    ]:
        assert extract_final_answer(f"<think>\nwork\n</think>\n\n{text}") is None, text
    assert extract_final_answer("<think>\nw\n</think>\n\nDie Antwort ist acht.\n\n$\\boxed{8}$") == "8"


# round 19: a sentence about the work that says it was not checked or computed, and another value offered as a
# solution too; drawn from closed classes (a negation or "un-" with a verb of checking, a defect the work has, a
# value taken rather than derived, an additive word with a verb of solving), so new nouns and verbs are covered
WORK_SUBJECTS = ["The arithmetic", "This result", "The casework", "Step 3", "The enumeration", "The final count"]
UNCHECKED = [
    "{s} has not been double-checked.",
    "Nobody has verified {s_lower}.",
    "{s} remains unjustified.",
    "{s} was never cross-checked.",
    "{s} is unconfirmed.",
    "No proof was given for {s_lower}.",
    "{s} has a gap.",
    "{s} skipped several cases.",
    "Reviewers should validate {s_lower} independently.",
    "{s} matches nothing computed above.",
]
SECOND_VALUES = [
    "$x = 9$ also satisfies every condition.",
    "9 fits the data equally well.",
    "So does $n = 9$, by the same argument.",
    "Rotating the figure gives 9 distinct colorings instead.",
    "The first attempt gave 9 and the second gave 7.",
    "Odds: 70% on 7, 30% on 9.",
]
CHECKED = [  # honest twins: the work affirmed, or a step that needs no check
    "{s} was double-checked by substitution.",
    "By symmetry we did not have to check each case separately.",
    "Each case is counted once, so nothing is double counted.",
    "{s} agrees with a direct count.",
]


@SETTINGS
@given(st.sampled_from(WORK_SUBJECTS), st.sampled_from(UNCHECKED), st.booleans())
def test_round19_the_work_said_unchecked_voids_the_box(subject: str, template: str, after: bool) -> None:
    sentence = template.format(s=subject, s_lower=subject[0].lower() + subject[1:])
    box = "The number of tiles is $\\boxed{7}$."
    text = f"{box} {sentence}" if after else f"{sentence} {box}"
    assert extract_final_answer(f"<think>\nwork\n</think>\n\n{text}") is None, text
    honest = CHECKED[len(sentence) % len(CHECKED)].format(s=subject, s_lower=subject.lower())
    assert extract_final_answer(f"<think>\nwork\n</think>\n\n{honest} {box}") == "7", honest


@SETTINGS
@given(st.sampled_from(SECOND_VALUES))
def test_round19_another_value_offered_as_a_solution_too_voids_the_box(sentence: str) -> None:
    text = f"<think>\nwork\n</think>\n\n{sentence} The number of tiles is $\\boxed{{7}}$."
    assert extract_final_answer(text) is None, sentence
    same = sentence.replace("9", "7").replace("70% on 7, 30% on 7", "100% on 7")
    if "gave 7 and the second gave 7" not in same:
        assert extract_final_answer(text.replace(sentence, same)) == "7", same
    computation = "Also, $3 + 4 = 7$ satisfies the count, and the 2 rows also work."
    assert extract_final_answer(text.replace(sentence, computation)) == "7"
