"""Generated classes of math answers, not examples: numbers (integers, fractions, decimals, percent, radicals,
multiples of pi, complex numbers).

Each test draws a value, renders it as the gold and in many equivalent forms (TeX variants, wrappers, Unicode,
words, scientific notation, ...), which must all score correct, and as near misses (last digit, exponent, sign,
order, a second candidate, a hedge), which must all score wrong. The grader runs in-process (`grade`), as it does in
a worker. ``derandomize=True`` keeps CI deterministic.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archer_trl.rewards.math.grader import grade

SETTINGS = settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None
)
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]  # fmt: skip
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WRAPPERS = ["{}", "\\textbf{{{}}}", "\\mathbf{{{}}}", "{{\\bf {}}}", "\\displaystyle {}", "\\textstyle{{{}}}",
            "\\Large {}", "\\textcolor{{red}}{{{}}}", "\\underline{{{}}}", "\\hspace{{1em}}{}", "${}$", "\\({}\\)",
            "\\boxed{{{}}}", "{{{{{}}}}}", "\\color{{blue}} {}", "\\; {} \\;"]  # fmt: skip
PAIRS = {"count": 0}
VULGAR = {
    (1, 2): "½",
    (1, 3): "⅓",
    (2, 3): "⅔",
    (1, 4): "¼",
    (3, 4): "¾",
    (1, 8): "⅛",
    (3, 8): "⅜",
    (5, 6): "⅚",
}  # how many (gold, answer) pairs ran, for the report in the docs


def check(gold: str, right: list[str], wrong: list[str]) -> None:
    """Every ``right`` answer scores correct and every ``wrong`` one wrong, against ``gold``."""
    bad = [(a, "should be correct") for a in right if grade(gold, a, 10) != "correct"]
    bad += [(a, "should be wrong") for a in wrong if grade(gold, a, 10) != "wrong"]
    PAIRS["count"] += len(right) + len(wrong)
    assert not bad, (gold, bad)


def words(n: int) -> str:
    """English words for 0 <= n < 1000000 (the grader reads them back)."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        return ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + words(n % 100))
    return words(n // 1000) + " thousand" + ("" if n % 1000 == 0 else " " + words(n % 1000))


def grouped(n: int, separator: str) -> str:
    text = f"{abs(n):,}".replace(",", separator)
    return ("-" if n < 0 else "") + text


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def other_digit(text: str, index: int) -> str:
    """``text`` with the digit at ``index`` (counted among digits, from the end) changed."""
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    i = positions[-1 - (index % len(positions))]
    return text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1 :]


@SETTINGS
@given(n=st.integers(-(10**6), 10**6), wrapper=st.sampled_from(WRAPPERS), digit=st.integers(0, 6))
def test_integers(n: int, wrapper: str, digit: int) -> None:
    gold = str(n)
    right = [gold, f"{n}.0", f"{n}.00", wrapper.format(gold), f"x = {n}", f"\\text{{{n}}}", f"{n}."]
    right += [grouped(n, sep) for sep in (",", "{,}", "\\,", " ", "~", "\\ ")] if abs(n) >= 1000 else []
    right += [fullwidth(gold), gold.replace("-", "\u2212"), gold.replace("-", "\u2013")]
    right += [words(n)] if 0 <= n < 10**6 else []
    right += [f"{n // 1000} \\times 10^{{3}}", f"{n // 1000}e3"] if n % 1000 == 0 and n else []
    right += [f"+{n}"] if n > 0 else []
    wrong = [str(n + 1), str(n - 1), other_digit(gold, digit), f"{n} \\text{{ or }} {n + 1}"]
    wrong += [
        f"{n}, {n + 1}",
        f"{n} \\approx {n + 1}",
        f"{n + 1} = {n}",
        f"x = {n + 1} = {n}",
        f"\\text{{{n} or more}}",
    ]
    wrong += [f"{n} \\text{{ (or possibly {n + 1})}}", f"{n}.0000001", f"{n} \\text{{ hello}}", f"{n}^\\circ {n}"]
    wrong += [str(-n), str(n * 10)] if n else []
    check(gold, right, wrong)


def fractions() -> st.SearchStrategy[Fraction]:
    return st.builds(Fraction, st.integers(-99, 99), st.integers(2, 60)).filter(lambda f: f.denominator > 1)


def terminating(value: Fraction) -> bool:
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


@SETTINGS
@given(value=fractions(), k=st.integers(2, 9), wrapper=st.sampled_from(WRAPPERS))
def test_fractions(value: Fraction, k: int, wrapper: str) -> None:
    p, q = abs(value.numerator), value.denominator
    sign = "-" if value < 0 else ""
    gold = f"{sign}\\frac{{{p}}}{{{q}}}"
    right = [gold, f"{sign}\\dfrac{{{p}}}{{{q}}}", f"{sign}\\tfrac{{{p}}}{{{q}}}", f"{sign}{p}/{q}"]
    right += [f"{sign}\\frac{{{k * p}}}{{{k * q}}}", f"\\frac{{{sign}{p}}}{{{q}}}", wrapper.format(gold)]
    right += [f"{sign}\\frac{p}{q}"] if p < 10 and q < 10 else []
    right += [f"{sign}{p // q}\\frac{{{p % q}}}{{{q}}}"] if p > q and p % q else []
    right += [str(float(value))] if terminating(value) else []
    right += [sign + VULGAR[(p, q)]] if (p, q) in VULGAR else []  # ½, ¾, ...
    right += [
        f"{sign}{p}\u2044{q}",
        f"{sign}\\frac{{{p}}}{{{q}}}".replace("-", "\u2212"),
    ]  # fraction slash, minus sign
    wrong = [f"{sign}\\frac{{{q}}}{{{p}}}", f"{sign}\\frac{{{p + 1}}}{{{q}}}", f"{sign}\\frac{{{p}}}{{{q + 1}}}"]
    wrong += [f"{'' if sign else '-'}\\frac{{{p}}}{{{q}}}", f"{gold} \\text{{ or }} {gold}+1"]
    wrong += [f"{float(value):.6f}", f"{float(value):.3f}"] if not terminating(value) else []
    wrong = [w for w in wrong if w not in right and Fraction(q, p) != value]
    check(gold, right, wrong)


@SETTINGS
@given(mantissa=st.integers(100, 9999).filter(lambda m: m % 10), exponent=st.integers(-30, 30), negative=st.booleans())
def test_decimals_match_to_the_precision_the_gold_states(mantissa: int, exponent: int, negative: bool) -> None:
    digits = str(mantissa)
    sign = "-" if negative else ""
    lead = f"{digits[0]}.{digits[1:]}"  # d.ddd x 10^exponent, all digits significant
    value = Fraction(mantissa, 10 ** (len(digits) - 1)) * Fraction(10) ** exponent
    gold = f"{sign}{lead} \\times 10^{{{exponent}}}"
    more = f"{lead}4"  # one more digit that rounds back to the gold
    right = [gold, f"{sign}{lead}e{exponent}", f"{sign}{lead}E{exponent}", f"{sign}{lead} \\cdot 10^{{{exponent}}}"]
    right += [f"{sign}{lead}0 \\times 10^{{{exponent}}}", f"{sign}{more} \\times 10^{{{exponent}}}"]
    right += [f"{sign}{digits} \\times 10^{{{exponent - len(digits) + 1}}}"]
    if -6 <= exponent <= 6:
        right += [sign + _plain(abs(value))]
    wrong = [f"{sign}{lead} \\times 10^{{{exponent + 1}}}", f"{sign}{lead} \\times 10^{{{exponent - 1}}}"]
    wrong += [f"{sign}{other_digit(lead, 0)} \\times 10^{{{exponent}}}", f"{'' if negative else '-'}{lead}e{exponent}"]
    wrong += [f"{sign}{lead}6 \\times 10^{{{exponent}}}".replace(f"{lead}6", _bump(lead))]
    check(gold, right, wrong)


def _plain(value: Fraction) -> str:
    """An exact terminating fraction as a plain decimal string (``0.000123``)."""
    if value.denominator == 1:
        return str(value)
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    text = str(value.numerator * 10**places // value.denominator).rjust(places + 1, "0")
    return text[:-places] + "." + text[-places:]


def _bump(lead: str) -> str:
    """A value one unit in the gold's last place away, written with an extra digit (rounds elsewhere)."""
    bumped = other_digit(lead, 0)
    return bumped + "1"


@SETTINGS
@given(percent=st.integers(1, 400), tenth=st.integers(0, 9))
def test_percentages(percent: int, tenth: int) -> None:
    number = f"{percent}.{tenth}" if tenth else str(percent)
    value = Fraction(number) / 100
    gold = f"{number}\\%"
    right = [
        gold,
        f"{number}%",
        number,
        f"{number} \\text{{ percent}}",
        str(float(value)),
        f"\\frac{{{number}}}{{100}}",
    ]
    right += [f"\\frac{{{value.numerator}}}{{{value.denominator}}}"]
    wrong = [
        f"{Fraction(number) * 100}",
        f"{float(value) / 10}",
        f"{percent}{tenth}\\%" if tenth else f"{percent}1\\%",
    ]
    wrong += [f"{percent + 1}\\%", f"{float(value) * 10}"]
    wrong = [w for w in wrong if w not in right]
    check(gold, right, wrong)


SQUAREFREE = [2, 3, 5, 6, 7, 10, 11, 13, 14, 15]


@SETTINGS
@given(a=st.integers(2, 12), b=st.sampled_from(SQUAREFREE), c=st.integers(2, 9))
def test_radicals(a: int, b: int, c: int) -> None:
    gold = f"{a}\\sqrt{{{b}}}"
    right = [gold, f"\\sqrt{{{a * a * b}}}", f"{a} \\sqrt {b}" if b < 10 else gold, f"\\sqrt{{{b}}} \\cdot {a}"]
    right += [f"{a}√{b}", f"\\frac{{{a * c}\\sqrt{{{b}}}}}{{{c}}}", f"{a}\\sqrt{{{b}}}\\,", f"\\sqrt{{{b}}}{a}"]
    wrong = [str(a), f"{a}\\sqrt{{{b + 1}}}", f"{a + 1}\\sqrt{{{b}}}", f"{a * a * b**0.5:.4f}", f"\\sqrt{{{a * b}}}"]
    wrong += [f"{a}\\sqrt{{{b}}} \\approx {a * b**0.5 + 1:.2f}", f"{a}\\sqrt{{{b}}} \\text{{ or }} {a}"]
    check(gold, right, wrong)


@SETTINGS
@given(k=st.integers(1, 11), m=st.integers(2, 12))
def test_multiples_of_pi(k: int, m: int) -> None:
    value = Fraction(k, m)
    p, q = value.numerator, value.denominator
    coefficient = "" if p == 1 else str(p)
    gold = f"\\frac{{{coefficient}\\pi}}{{{q}}}" if q > 1 else f"{coefficient}\\pi"
    right = [gold, f"{value}\\pi".replace(f"{value}", f"\\frac{{{p}}}{{{q}}}") if q > 1 else gold]
    right += [f"{p}\\pi/{q}" if q > 1 else f"{p}\\pi", f"{p}π/{q}" if q > 1 else f"{p}π"]
    degrees = value * 180
    if degrees.denominator == 1:
        right += [f"{degrees}^\\circ", f"{degrees}°", f"{degrees} \\text{{ degrees}}"]
    wrong = [f"\\frac{{{p}}}{{{q}}}", f"\\frac{{{p + 1}\\pi}}{{{q}}}", f"{float(value) * 3.14159:.5f}"]
    wrong += [f"{gold}^\\circ", f"-{gold}", f"{gold} \\text{{ or }} \\pi"]
    check(gold, right, wrong)


@SETTINGS
@given(a=st.integers(-9, 9), b=st.integers(1, 9), negative=st.booleans())
def test_complex_numbers(a: int, b: int, negative: bool) -> None:
    b = -b if negative else b
    imaginary = ("-" if b < 0 else "+") + ("" if abs(b) == 1 else str(abs(b))) + "i"
    gold = f"{a}{imaginary}" if a else imaginary.lstrip("+")
    right = [gold, gold.replace("i", " i"), gold.replace("i", "\\mathrm{i}"), f"{imaginary.lstrip('+')}{a:+d}"]
    right += [f"\\frac{{{2 * a}{'-' if b < 0 else '+'}{2 * abs(b)}i}}{{2}}", f"{a} {imaginary[0]} {abs(b)}i"]
    wrong = [f"{a}{'+' if b < 0 else '-'}{abs(b)}i", f"{a + 1}{imaginary}", str(a) if a else "0"]
    wrong += [f"{a}{imaginary[0]}{abs(b) + 1}i", f"{gold} \\text{{ or }} {a}"]
    check(gold, right, wrong)


@SETTINGS
@given(n=st.integers(-999, 999), exponent=st.integers(13, 60), sign=st.sampled_from(["+", "-"]))
def test_values_a_hair_apart_are_different(n: int, exponent: int, sign: str) -> None:
    gold = str(n)
    right = [f"{n} {sign} 0 \\cdot 10^{{-{exponent}}}", f"\\sqrt{{{n * n}}}" if n >= 0 else f"-\\sqrt{{{n * n}}}"]
    wrong = [
        f"{n} {sign} 10^{{-{exponent}}}",
        f"{n} {sign} \\frac{{1}}{{10^{{{exponent}}}}}",
        f"{n}.{'0' * exponent}1",
    ]
    wrong += [f"\\sum_{{k=1}}^{{{abs(n) + 1}}} 1" if n > 0 else f"\\lim_{{x \\to {n}}} x", f"\\int_0^{{{n}}} 1\\,dx"]
    check(gold, right, wrong)
    check(
        f"\\sqrt{{{abs(n) + 2}}}",
        [f"({abs(n) + 2})^{{1/2}}", f"{abs(n) + 2}^{{0.5}}"],
        [f"\\sqrt{{{abs(n) + 2}}} + 10^{{-{exponent}}}"],
    )


def test_generated_classes_ran_thousands_of_pairs() -> None:
    # runs after the tests above in this file (pytest keeps file order); alone, it has nothing to count
    if PAIRS["count"]:
        print(f"\n{PAIRS['count']} generated (gold, answer) pairs")
        assert PAIRS["count"] >= 2000
