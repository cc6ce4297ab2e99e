"""Round 7's grader classes, generated: stated rounding half away from zero, exact answers against one-figure
decimal golds, unevaluated functions of constants, a point gold never a union of intervals, multi-part lists in
order, and the notations read exactly (\\over, \\sfrac, \\surd, \\choose, siunitx, ellipsis decimals, Unicode
look-alikes, regional function names, C_n^k / A_n^k, systems one equation a line). Each with near misses."""

from __future__ import annotations

from fractions import Fraction
from math import comb, perm

from hypothesis import given, settings
from hypothesis import strategies as st
from math_helpers import check

SETTINGS = settings(max_examples=40, deadline=None)


def decimal(value: Fraction, places: int) -> str:
    sign = "-" if value < 0 else ""
    scaled = abs(value) * 10**places
    assert scaled.denominator == 1
    text = str(scaled.numerator).rjust(places + 1, "0")
    return f"{sign}{text[:-places]}.{text[-places:]}" if places else f"{sign}{text}"


@SETTINGS
@given(tenths=st.integers(1, 998).filter(lambda t: t not in (9, 99)), negative=st.booleans())
def test_an_answer_exactly_halfway_states_neither_neighbour(tenths: int, negative: bool) -> None:
    # x.x5 is as close to x.x as to x.x+0.1 (round 9 labels 7.45 wrong for 7.5); just past halfway rounds, away from
    # zero where it is written with more figures
    sign = -1 if negative else 1
    half = Fraction(sign * (2 * tenths + 1), 20)  # x.x5 exactly
    up = Fraction(sign * (tenths + 1), 10)
    down = Fraction(sign * tenths, 10)
    past = Fraction(sign * (20 * tenths + 11), 200)  # x.x55
    check(decimal(up, 1), [decimal(past, 3)], [decimal(half, 2)])
    check(decimal(down, 1), [], [decimal(half, 2), f"\\frac{{{half.numerator}}}{{{half.denominator}}}"])


@SETTINGS
@given(n=st.integers(1, 9), d=st.integers(3, 30))
def test_exact_answer_needs_a_gold_of_two_figures(n: int, d: int) -> None:
    value = Fraction(n, d)
    if value >= 1 or (value * 10**6).denominator == 1:
        return  # only non-terminating fractions below 1
    fraction = f"\\frac{{{value.numerator}}}{{{value.denominator}}}"
    one = decimal(Fraction(round(value * 10)), 0)
    one_figure = f"0.{one}" if len(one) == 1 else None
    three = Fraction(int(value * 1000 + Fraction(1, 2)), 1000)
    if three * 10 >= 1:  # 0.xyz: three significant figures
        check(decimal(three, 3), [fraction], [f"\\frac{{{value.numerator + 1}}}{{{value.denominator}}}"])
    if one_figure and one_figure != "0.0":
        check(one_figure, [], [fraction])  # 1/3 for 0.3, 2/3 for 0.7


@SETTINGS
@given(a=st.integers(2, 60), b=st.integers(2, 60))
def test_unevaluated_functions_of_constants_restate(a: int, b: int) -> None:
    from math import gcd

    check(str(gcd(a, b)), [str(gcd(a, b))], [f"\\gcd({a}, {b})", f"\\operatorname{{gcd}}({a},{b})"])
    check(str(max(a, b)), [], [f"\\max({a}, {b})", f"\\max\\{{{a}, {b}\\}}"])
    check(str(min(a, b)), [], [f"\\min({a}, {b})"])
    check(str(a * b // gcd(a, b)), [], [f"\\operatorname{{lcm}}({a}, {b})", f"\\text{{lcm}}({a}, {b})"])
    check(
        str(a), [str(a)], [f"|-{a}|", f"\\left|-{a}\\right|", f"\\lfloor {a}.5 \\rfloor", f"\\lceil {a - 1}.5 \\rceil"]
    )
    check(f"|x - {a}|", [f"|x - {a}|", f"|{a} - x|"], [f"|x + {a}|"])  # a variable: an answer, not a restatement
    check(f"\\gcd({a}, {b})", [str(gcd(a, b))], [str(gcd(a, b) + 1)])  # a gold may use them


@SETTINGS
@given(low=st.integers(-9, 5), width=st.integers(2, 9))
def test_point_gold_never_a_union_of_intervals(low: int, width: int) -> None:
    high, mid = low + width, low + 1
    check(
        f"({low}, {high})",
        [f"({low}, {high})", f"({low},{high})"],
        [f"({low}, {mid}) \\cup [{mid}, {high})", f"({low}, {mid}] \\cup ({mid}, {high})", f"{low} < x < {high}"],
    )
    check(
        f"x \\in ({low}, {high})", [f"({low}, {mid}) \\cup [{mid}, {high})"], [f"({low}, {mid}) \\cup ({mid}, {high})"]
    )


@SETTINGS
@given(a=st.integers(-20, 20), b=st.integers(-20, 20))
def test_multipart_lists_in_order_roots_in_any(a: int, b: int) -> None:
    if a == b:
        return
    if a > b:  # a gold out of increasing order is a multi-part answer: in order only
        check(f"{a}, {b}", [f"{a}, {b}", f"{a} \\text{{ and }} {b}"], [f"{b}, {a}", f"{b} \\text{{ and }} {a}"])
    else:  # increasing, as roots are listed: any order (an order the question asked for is not in the gold)
        check(f"{a}, {b}", [f"{a}, {b}", f"{b}, {a}"], [f"{a}, {b + 100}"])
    roots = [f"x = {b} \\text{{ or }} x = {a}", f"\\{{{b}, {a}\\}}", f"x_{{1,2}} = {b}, {a}"]
    check(f"{a}, {b}", roots, [f"x_{{1,2}} = {b}, {a + 100}", f"x = {b} \\text{{ or }} x = {a + 100}"])
    if a > 0:
        check(f"\\pm {a}", [f"{a}, -{a}", f"-{a}, {a}", f"\\mp {a}"], [f"{a}, {a}", f"{a}"])


@SETTINGS
@given(n=st.integers(2, 30), k=st.integers(0, 30))
def test_counting_notations(n: int, k: int) -> None:
    if k > n:
        return
    c, a = comb(n, k), perm(n, k)
    check(str(c), [f"C_{{{n}}}^{{{k}}}", f"C^{{{k}}}_{{{n}}}", f"{{}}_{{{n}}}C_{{{k}}}", f"{{{n} \\choose {k}}}"], [])
    if c != a:
        check(str(a), [f"A_{{{n}}}^{{{k}}}", f"{{}}_{{{n}}}P_{{{k}}}"], [f"C_{{{n}}}^{{{k}}}"])
    check(str(c + 1), [], [f"C_{{{n}}}^{{{k}}}", f"{{{n} \\choose {k}}}"])


@SETTINGS
@given(p=st.integers(1, 30), q=st.integers(2, 30))
def test_fraction_primitives_and_macros(p: int, q: int) -> None:
    value = Fraction(p, q)
    gold = f"\\frac{{{value.numerator}}}{{{value.denominator}}}"
    right = [f"{p} \\over {q}", f"{{{p} \\over {q}}}", f"\\sfrac{{{p}}}{{{q}}}", f"\\nicefrac{{{p}}}{{{q}}}"]
    check(gold, right, [f"{p + q} \\over {q}", f"\\sfrac{{{p}}}{{{q + 1}}}"])


@SETTINGS
@given(
    whole=st.integers(0, 9),
    fixed=st.text("0123456789", max_size=2),
    block=st.text("0123456789", min_size=1, max_size=3),
)
def test_repeating_decimal_with_an_ellipsis(whole: int, fixed: str, block: str) -> None:
    if len(set(block)) == 1 and len(block) > 1 or (fixed and fixed[-1] == block[-1]):
        return  # "66" is the block "6"; a fixed digit equal to the block's last shifts the block
    shift = 10 ** len(fixed)
    value = whole + Fraction(int(fixed or "0"), shift) + Fraction(int(block), shift * (10 ** len(block) - 1))
    gold = f"\\frac{{{value.numerator}}}{{{value.denominator}}}"
    times = 3 if len(block) == 1 else 2
    written = f"{whole}.{fixed}{block * times}"
    check(
        gold,
        [f"{written}\\ldots", f"{written}...", f"{written}\\dots"],
        [f"{whole}.{fixed}{block}\\ldots"] if len(block) > 1 else [],
    )
    check(str(value + 1), [], [f"{written}\\ldots"])


def test_unicode_lookalikes_and_siunitx():
    check("\\pi", ["𝜋", "𝝅"], ["𝜋^2"])
    check("25^\\circ \\text{C}", ["25℃"], ["26℃", "25℉"])
    check("30^\\circ", ["30º", "30^{o}", "30^o", "\\ang{30}"], ["31º", "\\ang{31}"])
    check("-5", ["‐5", "‑5"], ["5"])
    check("x \\le 2", ["x⩽2", "x≦2"], ["x⩾2", "x<2"])
    check("5000", ["\\num{5000}", "\\num{5 000}"], ["\\num{500}"])
    check("9.8 \\text{ m/s}^2", ["\\SI{9.8}{m/s^2}", "\\qty{9.8}{m/s^2}"], ["\\SI{9.9}{m/s^2}", "\\qty{9.8}{m/s}"])
    check("\\sqrt2", ["\\surd 2", "\\surd{2}"], ["\\surd 3"])
    check(
        "\\frac12",
        ["\\left.\\frac{1}{2}\\right.", "\\pmb{\\frac12}", "\\mathstrut\\frac12"],
        ["\\left.\\frac{1}{3}\\right."],
    )


def test_regional_function_names():
    check("\\sqrt{3}", ["\\tg\\frac{\\pi}{3}", "\\operatorname{tg}\\frac{\\pi}{3}"], ["\\ctg\\frac{\\pi}{3}"])
    check("\\frac{\\pi}{4}", ["\\operatorname{arctg} 1", "\\arctg 1"], ["\\arctg 2"])
    check("\\frac12", ["\\sen 30^\\circ"], ["\\sen 60^\\circ"])
    check("1", ["\\text{tg}\\,45^\\circ", "\\ctg 45^\\circ"], ["\\text{tg}\\,60^\\circ"])


@SETTINGS
@given(x=st.integers(-9, 9), y=st.integers(-9, 9), env=st.sampled_from(["cases", "aligned", "array", "matrix"]))
def test_systems_one_equation_a_line(x: int, y: int, env: str) -> None:
    spec = "{c}" if env == "array" else ""
    amp = "&" if env == "aligned" else ""
    body = f"x {amp}= {x} \\\\ y {amp}= {y}"
    right = [f"\\begin{{{env}}}{spec} {body} \\end{{{env}}}", f"x={x}\\\\y={y}", f"y={y}\\\\x={x}"]
    wrong = [f"\\begin{{{env}}}{spec} x = {x} \\\\ y = {y + 1} \\end{{{env}}}", f"x={x}\\\\x={y}"]
    check(f"({x}, {y})", right, wrong)
