"""Generated classes of answer forms the fifth round of fixes taught the grader, each with its near misses:
a bare gold's units, counting functions (``n!!``, ``C(n, k)``), ``\\bmod``, complex conjugates, functions with a
renamed argument, ``x \\ne a`` as a set, accented and segment labels, percent answers to a bare gold, temperatures
on other scales, and text answers that differ by an inflection. In-process (`grade`), deterministic."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from math_helpers import check

SETTINGS = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None
)
EVERYDAY = ["\\text{ km}", "\\text{ cm}", "\\text{ kg}", "\\text{ mL}", "\\text{ hours}", "\\text{ mph}",
            "\\text{ km/h}", "\\text{ m}^2", "\\text{ sq ft}", "^\\circ", "\\text{ years}", "\\text{ Gyr}",
            "\\mathrm{~erg/s}", "\\text{ kWh}"]  # fmt: skip
# pint reads each of these, but as a unit no one writes after a bare answer: centiyears, the speed of light, ...
TRICKS = ["\\text{ ca.}", "\\text{ c.}", "\\text{ ca}", "\\text{ cyr}"]


@SETTINGS
@given(n=st.integers(2, 999), unit=st.sampled_from(EVERYDAY))
def test_a_bare_gold_accepts_its_number_in_an_everyday_unit_only(n: int, unit: str) -> None:
    # "5 dozen" is 60 and "5 percent" is 0.05 to a gold of at most 1: neither is the number 5 with a unit
    check(str(n), [f"{n} {unit}"], [f"{n + 1} {unit}", *(f"{n} {trick}" for trick in TRICKS)])


@SETTINGS
@given(n=st.integers(1, 30), k=st.integers(0, 30))
def test_counting_functions_on_integer_literals(n: int, k: int) -> None:
    double = math.prod(range(n, 0, -2))
    check(str(double), [f"{n}!!"], [f"{n}!!!"] + ([f"{n + 1}!!"] if n > 1 else []))
    if k <= n:
        value = math.comb(n, k)
        check(str(value), [f"C({n},{k})", f"\\binom{{{n}}}{{{k}}}"], [f"C({n},{k}) + 1"])


@SETTINGS
@given(a=st.integers(-50, 200), m=st.integers(2, 40))
def test_remainders(a: int, m: int) -> None:
    check(str(a % m), [f"{a} \\bmod {m}"], [f"{a}.5 \\bmod {m}", f"{a} \\bmod {m} = {a % m + 1}"])


@SETTINGS
@given(re_=st.integers(-9, 9), im=st.integers(1, 9), sign=st.sampled_from(["+", "-"]))
def test_complex_conjugates(re_: int, im: int, sign: str) -> None:
    flipped = "-" if sign == "+" else "+"
    check(f"{re_}{flipped}{im}i", [f"\\overline{{{re_}{sign}{im}i}}"], [f"\\overline{{{re_}{flipped}{im}i}}"])
    check(str(re_), [str(re_)], [f"\\overline{{{re_}}}"])  # a bar over a real number is no conjugate here


@SETTINGS
@given(a=st.integers(1, 9), b=st.integers(-9, 9), old=st.sampled_from("tuvy"))
def test_functions_with_a_renamed_argument(a: int, b: int, old: str) -> None:
    gold = f"f(x) = {a}x^2 + {b}"
    right = [f"f({old}) = {a}{old}^2 + {b}"]
    wrong = [f"f({old}) = {a}{old}^2 + {b + 1}", f"g({old}) = {a}{old}^2 + {b}", f"f({old}) = {a}x^2 + {b}"]
    check(gold, right, wrong)
    check(f"f(x) = {a}x + x", [], [f"f({old}) = {a}{old} + x"])  # renaming must not capture the answer's own x


@SETTINGS
@given(a=st.integers(-20, 20))
def test_all_reals_but_one_point(a: int) -> None:
    gold = f"(-\\infty, {a}) \\cup ({a}, \\infty)"
    check(gold, [f"x \\ne {a}", f"x \\neq {a}", f"\\mathbb{{R}} \\setminus \\{{{a}\\}}"], [f"x \\ne {a + 1}"])
    check(str(a), [f"x = {a}", f"\\hat{{x}} = {a}", f"\\overline{{AB}} = {a}"], [f"x \\ne {a}", f"x \\neq {a}"])


@SETTINGS
@given(n=st.integers(2, 500), tenths=st.integers(1, 9))
def test_percent_answers_to_a_bare_gold(n: int, tenths: int) -> None:
    # above 1 a bare gold was a number of percent; at most 1 it is a value, and a percent answer is its value
    check(str(n), [f"{n}\\%", f"{n} \\text{{ percent}}"], [f"{n + 1}\\%"])
    check(f"0.{tenths}", [f"{10 * tenths}\\%"], [f"0.{tenths}\\%", f"{tenths}\\%"])


@SETTINGS
@given(celsius=st.integers(-40, 300))
def test_temperatures_never_convert_between_scales(celsius: int) -> None:
    # a temperature and a change of temperature read alike: 20 degC is 293.15 K, a rise of 20 degC one of 20 K;
    # round 30 paid the absolute conversion for a rise, so only the gold's own scale answers it
    kelvin = f"{celsius + 273.15:.2f}"
    fahrenheit = f"{celsius * 9 / 5 + 32:g}"
    check(
        f"{celsius}^\\circ C",
        [f"{celsius}^\\circ\\text{{C}}", f"{celsius}^{{\\circ}} C"],
        [
            f"{kelvin} \\text{{ K}}",
            f"{celsius} \\text{{ K}}",
            f"{fahrenheit}^\\circ\\text{{F}}",
            f"{celsius * 9 / 5:g}^\\circ F",
        ],
    )


def test_text_answers_differ_by_an_inflection_but_names_do_not() -> None:
    check("\\text{converges}", ["\\text{converge}", "\\text{Converges}"], ["\\text{diverges}"])
    check("\\text{no solution}", ["\\text{no solutions}"], ["\\text{one solution}"])
    check("\\text{Thomas}", ["\\text{thomas}"], ["\\text{Thoma}"])


COUNTED = ["arrangements", "committees", "outcomes", "permutations", "subsets", "possible arrangements",
           "distinct necklaces", "handshakes", "valid colorings", "lattice paths"]  # fmt: skip
SCALED = ["thousands", "hundreds", "halves", "thirds", "tens", "more", "less", "percents", "dozens", "plus"]


@SETTINGS
@given(n=st.integers(2, 9999), noun=st.sampled_from(COUNTED), scaled=st.sampled_from(SCALED))
def test_a_count_labelled_by_any_plain_noun_answers_a_bare_gold(n: int, noun: str, scaled: str) -> None:
    # "120 arrangements" is the count 120; a word that scales or bounds the number is never a label
    check(str(n), [f"{n} \\text{{ {noun}}}"], [f"{n + 1} \\text{{ {noun}}}", f"{n} \\text{{ {scaled}}}"])


@SETTINGS
@given(a=st.integers(1, 9), b=st.integers(-9, 9).filter(bool), c=st.integers(-20, 20))
def test_a_gold_equation_rearranged_for_one_variable(a: int, b: int, c: int) -> None:
    # gold ax + by = c; the answer solves it for y (or x): the same line
    gold = f"{a}x + {b}y = {c}".replace("+ -", "- ")
    right = [f"y = \\frac{{{c} - {a}x}}{{{b}}}", f"x = \\frac{{{c} - {b}y}}{{{a}}}"]
    wrong = [f"y = \\frac{{{c + 1} - {a}x}}{{{b}}}", f"y = \\frac{{{c} + {a}x}}{{{b}}}"]
    check(gold, right, wrong)


NAMED = ["|AB|", "\\measuredangle A", "S_{\\triangle ABC}", "\\max f", "f(x)_{\\max}", "y_{\\min}", "\\mathbb{P}(A)",
         "\\operatorname{E}[X]", "\\mathbb{E}X", "\\sigma^2", "\\hat\\theta", "\\text{area}"]  # fmt: skip
ARITHMETIC = ["2x", "x^2", "x - 1", "\\text{wrong}", "\\frac{x}{2}"]
LEAD_INS = [
    "\\text{The value is } ",
    "\\text{The area is } ",
    "\\text{Ans: } ",
    "\\text{Result: } ",
    "\\text{exactly } ",
]
NOT_LEAD_INS = ["\\text{at least } ", "\\text{not } ", "\\text{about } ", "\\text{The value is not } "]


@SETTINGS
@given(n=st.integers(-99, 999), name=st.sampled_from(NAMED), other=st.sampled_from(ARITHMETIC))
def test_a_named_quantity_states_its_value_an_expression_does_not(n: int, name: str, other: str) -> None:
    check(str(n), [f"{name} = {n}"], [f"{name} = {n + 1}", f"{other} = {n}"])


@SETTINGS
@given(n=st.integers(0, 999), lead=st.sampled_from(LEAD_INS), bad=st.sampled_from(NOT_LEAD_INS))
def test_a_lead_in_or_a_note_on_the_form_inside_the_box(n: int, lead: str, bad: str) -> None:
    check(
        str(n), [f"{lead}{n}", f"{n}\\text{{ (exact)}}"], [f"{lead}{n + 1}", f"{bad}{n}", f"{n}\\text{{ (approx.)}}"]
    )


@SETTINGS
@given(whole=st.integers(0, 99), fraction=st.integers(1, 99))
def test_tex_decimal_comma(whole: int, fraction: int) -> None:
    check(f"{whole}.{fraction:02d}", [f"{whole}{{,}}{fraction:02d}"], [f"{whole}{{,}}{fraction + 1:02d}"])


@SETTINGS
@given(tenths=st.integers(1, 99), hundredths=st.integers(1, 9))
def test_a_decimal_gold_is_not_matched_from_halfway_nor_at_its_own_precision(tenths: int, hundredths: int) -> None:
    gold = f"{tenths / 10:.1f}"
    near = f"{(tenths * 10 + hundredths) / 100:.2f}"  # more precise: rounds to the gold unless exactly halfway
    halfway = f"{(tenths * 10 - 5) / 100:.2f}"
    right = [near] if hundredths < 5 else []
    check(gold, right, [halfway, f"{(tenths + 1) / 10:.1f}", f"{tenths / 10 - 0.05:.2f}"])


@SETTINGS
@given(n=st.integers(1, 9), exponent=st.integers(10, 30), unit=st.sampled_from(["J", "kg", "m", "C"]))
def test_tiny_exact_amounts_with_units_compare_relative_to_their_size(n: int, exponent: int, unit: str) -> None:
    gold = f"{n} \\times 10^{{-{exponent}}} \\text{{ {unit}}}"
    check(
        gold,
        [gold],
        [
            f"{n} \\times 10^{{-{exponent + 1}}} \\text{{ {unit}}}",
            "0",
            f"{n + 1} \\times 10^{{-{exponent}}} \\text{{ {unit}}}",
        ],
    )


@SETTINGS
@given(n=st.integers(1, 99))
def test_an_angle_is_a_dimension_and_a_turn_is_a_cycle(n: int) -> None:
    check(f"{n} \\text{{ Hz}}", [f"{60 * n} \\text{{ rpm}}", f"{n} \\text{{ rev/s}}", f"{n} \\text{{ s}}^{{-1}}"],
          [f"{n} \\text{{ rad/s}}", f"{60 * n} \\text{{ rad/min}}"])  # fmt: skip


@SETTINGS
@given(p=st.integers(2, 40), q=st.integers(2, 9), letter=st.sampled_from("ABCDE"))
def test_an_options_value_keeps_its_braces(p: int, q: int, letter: str) -> None:
    if math.gcd(p, q) != 1:
        return
    gold = f"\\textbf{{({letter}) }}\\frac{{{p}}}{{{q}}}"
    check(gold, [letter, f"\\frac{{{p}}}{{{q}}}", f"({letter})"], [f"\\frac{{{p + 1}}}{{{q}}}", f"{p / q + 0.5:.3f}"])


@SETTINGS
@given(n=st.integers(2, 999).filter(lambda n: math.isqrt(n) ** 2 != n))
def test_an_approximation_claims_its_exact_form(n: int) -> None:
    decimal = f"{math.sqrt(n):.1f}"
    check(f"\\sqrt{{{n}}}", [f"\\sqrt{{{n}}} \\approx {decimal}"], [])
    check(str(round(math.sqrt(n))), [], [f"\\sqrt{{{n}}} \\approx {round(math.sqrt(n))}.0"])


def test_round15_scale_words_in_the_box() -> None:
    from archer_trl.rewards import accuracy_reward

    boxed = [f"$\\boxed{{{a}}}$" for a in ("1.5\\text{ million}", "2\\text{ thousand}", "1.5\\text{ million}", "4.4")]
    golds = ["1500000", "2000", "15000000", "4"]
    assert accuracy_reward(boxed, golds) == [1.0, 1.0, 0.0, 0.0]


def test_round19_ordinal_fractions_and_illions_are_never_count_labels() -> None:
    from archer_trl.rewards import accuracy_reward

    texts = [
        "$\\boxed{5\\text{ twelfths}}$",
        "$\\boxed{6}$ zillions.",
        "$\\boxed{7}$ sextillions.",
        "$\\boxed{12}$ committees.",
    ]
    assert accuracy_reward(texts, ["5", "6", "7", "12"]) == [0.0, 0.0, 0.0, 1.0]


@SETTINGS
@given(n=st.integers(1, 999), prefix=st.sampled_from(["", "k", "M"]), spacing=st.sampled_from(["\\,", "\\ ", " ", ""]))
def test_units_written_with_greek_letters(n: int, prefix: str, spacing: str) -> None:
    # round 26: "\\Omega", "\\mu F" and "\\AA" were no units, so such golds could not be read at all
    scale = {"": 1, "k": 10**3, "M": 10**6}[prefix]
    ohms = f"{n}{spacing}\\text{{{prefix}}}\\Omega" if prefix else f"{n}{spacing}\\Omega"
    check(ohms, [ohms, f"{n * scale}\\ \\Omega", f"{n} \\text{{ {prefix}ohm}}"],
          [f"{n + 1}{spacing}\\Omega" if not prefix else f"{n}\\ \\Omega", f"{n} \\text{{ {prefix}V}}"])  # fmt: skip
    farads = f"{n}{spacing}\\mu\\mathrm{{F}}"
    check(
        farads, [f"{n} \\mu F", f"{n * 1000} \\text{{ nF}}"], [f"{n} \\text{{ nF}}", f"{n} \\text{{ mF}}"]
    )  # a bare n: read in the gold's unit
    check(f"{n}\\text{{ \\AA}}", [f"{n / 10:g} \\text{{ nm}}"], [f"{n} \\text{{ nm}}"])


@SETTINGS
@given(hour=st.integers(1, 12), minute=st.integers(0, 59), half=st.sampled_from(["AM", "PM"]))
def test_a_time_of_day_keeps_its_half_of_the_day(hour: int, minute: int, half: str) -> None:
    gold, other = f"{hour}:{minute:02d} \\text{{ {half}}}", "PM" if half == "AM" else "AM"
    spelled = f"{half[0].lower()}.m."
    check(gold, [f"{hour}:{minute:02d}\\text{{ {half}}}", f"{hour}:{minute:02d} {spelled}"],
          [f"{hour}:{minute:02d} \\text{{ {other}}}", f"{hour}:{(minute + 1) % 60:02d} \\text{{ {half}}}",
           f"{hour}:{minute:02d}"])  # fmt: skip


def test_a_gold_may_write_its_option_with_a_full_stop() -> None:
    check("B. 12", ["B", "(B)", "\\text{(B) } 12"], ["C", "(C) 12"])
