"""Generated classes of structured math answers and of completions: intervals, inequalities, tuples, sets, vectors,
quantities with units, choices, and the hedges, retractions and labels around boxes (English and Chinese).

Like test_rewards_math_properties.py: equivalent renderings must score correct, near misses wrong; in-process
(`grade`, `extract_final_answer`), deterministic (``derandomize=True``).
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archer_trl.rewards.extract import extract_final_answer
from archer_trl.rewards.math.choices import parse_choice
from archer_trl.rewards.math.grader import grade

SETTINGS = settings(
    max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None
)
PAIRS = {"count": 0}


def check(gold: str, right: list[str], wrong: list[str]) -> None:
    bad = [(a, "should be correct") for a in right if grade(gold, a, 10) != "correct"]
    bad += [(a, "should be wrong") for a in wrong if grade(gold, a, 10) != "wrong"]
    PAIRS["count"] += len(right) + len(wrong)
    assert not bad, (gold, bad)


def ordered_pair() -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(st.integers(-20, 20), st.integers(-20, 20)).filter(lambda p: p[0] < p[1])


BRACKETS = [("[", "]", "\\le", "\\le"), ("[", ")", "\\le", "<"), ("(", "]", "<", "\\le")]


@SETTINGS
@given(ends=ordered_pair(), brackets=st.sampled_from(BRACKETS))
def test_intervals_and_inequalities(ends: tuple[int, int], brackets: tuple[str, str, str, str]) -> None:
    a, b = ends
    left, right_, low, high = brackets
    gold = f"{left}{a}, {b}{right_}"
    right = [gold, f"{left}{a},{b}{right_}", f"\\left{left}{a}, {b}\\right{right_}", f"x \\in {left}{a}, {b}{right_}"]
    above = ">" if low == "<" else "\\ge"
    right += [f"{a} {low} x {high} {b}", f"x {above} {a} \\text{{ and }} x {high} {b}"]
    right += [f"\\{{x \\mid {a} {low} x {high} {b}\\}}"]
    flipped = ("(" if left == "[" else "[") + f"{a}, {b}" + ("]" if right_ == ")" else ")")
    wrong = [flipped, f"{left}{b}, {a}{right_}", f"{left}{a}, {b + 1}{right_}", str(b), f"{a} {low} x"]
    wrong += [f"{left}{a}, \\infty)", f"x {low} {b}"]
    check(gold, right, wrong)


@SETTINGS
@given(a=st.integers(-20, 20), closed=st.booleans())
def test_rays_and_unions(a: int, closed: bool) -> None:
    gold = f"{'[' if closed else '('}{a}, \\infty)"
    relation, mirrored, other = ("\\ge", "\\le", ">") if closed else (">", "<", "\\ge")
    right = [gold, f"x {relation} {a}", f"{a} {mirrored} x", f"x \\in {gold}", f"\\{{x \\mid x {relation} {a}\\}}"]
    right += [gold.replace("\\infty", "+\\infty"), gold.replace("\\infty", "∞")]
    wrong = [f"{'(' if closed else '['}{a}, \\infty)", f"x {other} {a}", f"(-\\infty, {a}]", str(a)]
    check(gold, right, wrong)
    union = f"(-\\infty, {a}) \\cup ({a + 2}, \\infty)"
    check(
        union,
        [f"x < {a} \\text{{ or }} x > {a + 2}", union.replace(" ", "")],
        [f"({a}, {a + 2})", union.replace(")", "]", 1)],
    )


@SETTINGS
@given(values=st.lists(st.integers(-50, 50), min_size=2, max_size=4, unique=True), labels=st.booleans())
def test_tuples_keep_their_order(values: list[int], labels: bool) -> None:
    gold = "(" + ", ".join(map(str, values)) + ")"
    names = "xyz"[: len(values)] if len(values) < 4 else "abcd"  # labels in their conventional (alphabetical) order
    right = [gold, gold.replace(" ", ""), "\\left" + gold[:-1] + "\\right)", "\\langle " + gold[1:-1] + " \\rangle"]
    right += [", ".join(f"{n} = {v}" for n, v in reversed(list(zip(names, values))))]  # labelled, any order
    right += ["(" + ", ".join(names) + ") = " + gold]
    if labels:
        right += ["\\begin{pmatrix} " + " \\\\ ".join(map(str, values)) + " \\end{pmatrix}", gold + "^T"]
    swapped = [values[1], values[0], *values[2:]]
    wrong = ["(" + ", ".join(map(str, swapped)) + ")", "(" + ", ".join(map(str, values[:-1])) + ")"]
    wrong += [
        "(" + ", ".join(map(str, [*values, 0])) + ")",
        "(" + ", ".join(map(str, values[:-1] + [values[-1] + 1])) + ")",
    ]
    wrong += [", ".join(f"{n} = {v}" for n, v in zip(names, swapped)), "\\{" + gold[1:-1] + "\\}"]
    check(gold, right, wrong)


@SETTINGS
@given(values=st.lists(st.integers(-50, 50), min_size=2, max_size=4, unique=True), order=st.randoms())
def test_sets_ignore_order(values: list[int], order) -> None:
    gold = "\\{" + ", ".join(map(str, values)) + "\\}"
    shuffled = list(values)
    order.shuffle(shuffled)
    right = [gold, "\\{" + ", ".join(map(str, shuffled)) + "\\}", ", ".join(map(str, shuffled))]
    right += ["\\left\\{" + ",".join(map(str, shuffled)) + "\\right\\}"]
    wrong = ["\\{" + ", ".join(map(str, values[:-1])) + "\\}", "\\{" + ", ".join(map(str, [*values, 99])) + "\\}"]
    wrong += ["\\{" + ", ".join(map(str, [*values[:-1], values[-1] + 100])) + "\\}", str(values[0])]
    check(gold, right, wrong)


# (unit as written, pint's reading, its size in the first unit of its family, exactly)
FAMILIES = [
    [("\\text{ m}", 1), ("\\text{ cm}", Fraction(1, 100)), ("\\text{ mm}", Fraction(1, 1000)), ("\\text{ km}", 1000)],
    [("\\text{ L}", 1), ("\\text{ mL}", Fraction(1, 1000))],
    [("\\text{ hours}", 3600), ("\\text{ minutes}", 60), ("\\text{ seconds}", 1)],
    [("\\text{ kg}", 1000), ("\\text{ g}", 1), ("\\text{ mg}", Fraction(1, 1000))],
    [("\\text{ m}^2", 1), ("\\text{ cm}^2", Fraction(1, 10000))],
]


@SETTINGS
@given(family=st.sampled_from(FAMILIES), amount=st.integers(1, 500), data=st.data())
def test_quantities_by_dimensional_analysis(family, amount: int, data) -> None:
    (unit, size), (other, other_size) = data.draw(st.permutations(family))[:2] if len(family) > 1 else (family[0],) * 2
    gold = f"{amount}{unit}"
    converted = Fraction(amount) * Fraction(size) / Fraction(other_size)
    text = str(converted.numerator) if converted.denominator == 1 else None
    upright = unit.replace("\\text{ ", "\\mathrm{")
    right = [gold, str(amount), f"{amount}\\,{unit.strip()}", f"{amount} {upright}"]
    right += [f"{text}{other}"] if text else []
    wrong = [f"{amount}{other}" if other_size != size else f"{amount + 1}{unit}", f"{amount + 1}{unit}"]
    wrong += [
        f"{amount}\\text{{ kg}}" if "g}" not in unit else f"{amount}\\text{{ m}}",
        f"{amount}{unit} \\text{{ or more}}",
    ]
    wrong += [f"{amount}\\text{{ blargs}}", f"{amount}{unit} \\text{{ and }} {amount}{unit}"]
    check(gold, right, wrong)


@SETTINGS
@given(letter=st.sampled_from("ABCDE"), other=st.sampled_from("ABCDE"))
def test_choices(letter: str, other: str) -> None:
    right = [letter, f"({letter})", f"\\text{{({letter})}}", f"\\textbf{{({letter})}}", f"(\\text{{{letter}}})"]
    right += [f"\\text{{Option {letter}}}", f"{letter})", f"\\textbf{{({letter})}}\\ 12", f"\\mathrm{{({letter})}}"]
    wrong = [
        f"({letter}) \\text{{ or }} {other}",
        f"({letter})/{other}",
        f"({letter}), {other}",
        f"({letter}) \\text{{ maybe}}",
    ]
    wrong = wrong if other != letter else []
    wrong += [f"({'B' if letter == 'A' else 'A'})", f"({letter})\\text{{ is incorrect}}"]
    check(letter, right, wrong)
    check("12", [f"\\textbf{{({letter})}}\\ 12", "12"], [f"\\textbf{{({letter})}}\\ 13", f"({letter})"])


HEDGES = ["Or maybe $\\boxed{{{b}}}$.", "It could also be {b}.", "Wait, that's wrong; it should be {b}.",
          "I'm not sure, though.", "Actually no, the answer is {b}.", "不对，应该是 {b}。", "（也可能是 {b}）",
          "Hmm, or is it $\\boxed{{{b}}}$? I'm not sure.", "$\\boxed{{{b}}}$ is also possible.", "Espera, es {b}.",
          "<!-- answer: {b} -->", "\\framebox{{{b}}}", "(unverified)", "if $n$ is even", "ｏｒ {b}", "?"]  # fmt: skip
LEADS = ["Probably $\\boxed{{{a}}}$.", "I'm not sure, but $\\boxed{{{a}}}$.", "我不确定，可能是 $\\boxed{{{a}}}$。",
         "If I had to guess: $\\boxed{{{a}}}$.", "The answer is not $\\boxed{{{a}}}$.", "Approximately $\\boxed{{{a}}}$.",
         "Quizás $\\boxed{{{a}}}$.", "Vielleicht $\\boxed{{{a}}}$.", "たぶん$\\boxed{{{a}}}$です。", "Возможно, $\\boxed{{{a}}}$.",
         "This is only a guess.\n\n$\\boxed{{{a}}}$", "$x > \\boxed{{{a}}}$", "Pro\u200bbably $\\boxed{{{a}}}$."]  # fmt: skip
FIRM = ["The answer is $\\boxed{{{a}}}$.", "答案是 $\\boxed{{{a}}}$。", "所以答案是 $\\boxed{{{a}}}$，不是 $\\boxed{{{b}}}$。",
        "Wait, $\\boxed{{{b}}}$ was a mistake: the answer is $\\boxed{{{a}}}$.", "$\\boxed{{{a}}}$, not $\\boxed{{{b}}}$.",
        "**Final Answer**\n\\[\n\\boxed{{{a}}}\n\\]", "The answer is $\\boxed{{{a}}}$, as required."]  # fmt: skip


@SETTINGS
@given(a=st.integers(0, 999), b=st.integers(0, 999), hedge=st.sampled_from(HEDGES), lead=st.sampled_from(LEADS))
def test_hedges_and_retractions_wherever_they_stand(a: int, b: int, hedge: str, lead: str) -> None:
    think = "<think>\nLet me work it out. Maybe it is $\\boxed{" + str(b) + "}$? No.\n</think>\n\n"
    for firm in FIRM:
        assert extract_final_answer(think + firm.format(a=a, b=b)) == str(a), firm
    hedged = think + f"The answer is $\\boxed{{{a}}}$. " + hedge.format(b=b)
    assert extract_final_answer(hedged) is None, hedged
    assert extract_final_answer(think + lead.format(a=a)) is None, lead
    PAIRS["count"] += len(FIRM) + 2


@SETTINGS
@given(x=st.integers(-9, 9), y=st.integers(-9, 9))
def test_labelled_boxes_follow_the_gold_order(x: int, y: int) -> None:
    text = f"So $y = \\boxed{{{y}}}$ and $x = \\boxed{{{x}}}$."
    answer = extract_final_answer(text)
    assert grade(f"({x}, {y})", answer, 10) == "correct", answer
    assert grade(f"x = {x}, y = {y}", answer, 10) == "correct", answer
    if x != y:
        assert grade(f"({y}, {x})", answer, 10) == "wrong", answer
    roots = f"The roots are $x = \\boxed{{{x}}}$, so also $x = \\boxed{{{x + 1}}}$."
    assert grade(f"{x}, {x + 1}", extract_final_answer(roots), 10) == "correct"
    PAIRS["count"] += 4


NOUNS = ["students", "ways", "apples", "times", "boxes", "people"]


@SETTINGS
@given(family=st.sampled_from(FAMILIES), amount=st.integers(1, 500), noun=st.sampled_from(NOUNS))
def test_counts_answer_numbers_never_quantities(family, amount: int, noun: str) -> None:
    unit = family[0][0]
    check(
        str(amount), [f"{amount} \\text{{ {noun}}}", f"\\text{{{amount} {noun}}}"], [f"{amount + 1} \\text{{ {noun}}}"]
    )
    check(f"{amount}{unit}", [], [f"{amount} \\text{{ {noun}}}"])


@SETTINGS
@given(a=st.integers(1, 12), b=st.integers(1, 59), k=st.integers(2, 5))
def test_ratios_and_times_compare_part_by_part(a: int, b: int, k: int) -> None:
    gold = f"{a}:{b:02d}"
    wrong = [f"{a * k}:{b * k:02d}", f"\\frac{{{a}}}{{{b}}}", f"{b:02d}:{a}" if a != b else f"{a + 1}:{b:02d}"]
    check(gold, [gold, f"{a} : {b:02d}"], wrong)


def test_choices_and_quantities():
    assert parse_choice("\\textbf{(B) }12") == ("B", "12")
    assert parse_choice("(C)") == ("C", "") and parse_choice("D") == ("D", "")
    assert parse_choice("A = 5") is None and parse_choice("B^2") is None
    assert grade("5 \\text{ feet } 6 \\text{ inches}", "66 \\text{ inches}") == "correct"
    assert grade("5 \\text{ feet } 6 \\text{ inches}", "5") == "wrong"
    assert grade("6 \\text{ hours and } 30 \\text{ minutes}", "6.5") == "correct"  # a bare number in a gold unit
    assert grade("6", "6 \\text{ hours and } 30 \\text{ minutes}") == "wrong"
    assert grade("5\\text{ cm}", "5\\text{ m}") == "wrong"
    assert grade("5\\text{ cm}", "5") == "correct"
    assert grade("24\\text{ m}^{2}", "24") == "correct"


DATASET_GOLDS = [
    "\\frac{\\sqrt{3}}{2}", "\\dfrac{1}{2}", "x \\in [-2,7]", "\\text{(A)}", "10\\sqrt{2}", "\\$32", "6 \\text{ hours}",
    "\\left( 3, \\frac{\\pi}{2} \\right)", "\\begin{pmatrix} 1 \\\\ -2 \\end{pmatrix}", "y = -\\frac{1}{2}x + 3", "\\{-1, 3\\}",
    "(-\\infty, -3) \\cup (3, \\infty)", "2^{10}", "\\binom{10}{3}", "\\sqrt[3]{4}", "\\log_2 3", "\\frac{a+b}{2}", "\\text{Evelyn}",
    "x^2+y^2=25", "a = 3, b = 4", "\\frac{9}{4}\\pi", "0.\\overline{142857}", "1.5 \\times 10^{3}", "30^\\circ", "11_{3}", "16\\%",
    "f(x) = 2x", "\\mathbb{R}", "\\emptyset", "5 \\text{ cm}^2", "\\frac{5}{3} \\text{ m/s}", "(1, -1), (2, 3)", "\\$1.25",
    "1,000,000", "3 \\frac{1}{4}", "\\infty", "\\text{no solution}", "k \\ge 3", "\\frac{1}{4} < x < \\frac{3}{4}", "\\tan^{-1}(2)",
    "\\arcsin\\left(\\frac{1}{3}\\right)", "\\cos 36^\\circ", "|x-1|", "n!", "2+3i", "\\frac{\\sqrt{6}-\\sqrt{2}}{4}", "A, C",
    "x=2 \\text{ or } x=3", "0.5 \\text{ L}", "\\sum_{k=1}^{n} k",
]  # fmt: skip


def test_dataset_golds_are_understood() -> None:
    # a gold the grader cannot read scores None for its whole group: the usual dataset forms must all be read
    assert [g for g in DATASET_GOLDS if grade(g, "0", 10) == "bad_gold"] == []


def test_generated_classes_ran_thousands_of_pairs() -> None:
    if PAIRS["count"]:
        print(f"\n{PAIRS['count']} generated pairs")
        assert PAIRS["count"] >= 2000
