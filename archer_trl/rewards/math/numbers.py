"""Number literals read exactly, and compared relative to their magnitude.

A literal is an integer, a decimal, scientific notation (``1.6\\times 10^{-19}``, ``1.6e-19``), a fraction of
integers (``\\frac{3}{4}``, ``3/4``), a mixed number (``2\\frac{1}{3}``), a repeating decimal
(``0.\\overline{3}``) or a number word (``twenty-one``), with an optional sign and percent. Its value is an exact
`Fraction`; a decimal also records the significant figures it states, because that is its precision.

Rules (`numbers_match`): equal values always match (``1.50`` for ``1.5``, ``0.5`` for ``\\frac{1}{2}``). A decimal
gold states its precision: an answer that states more significant figures and rounds to it (half away from zero) at
the gold's matches (``3.1416`` for ``3.14``, ``1.49`` for ``1.5``; not ``0.56`` for ``0.5``), unless it lies exactly
halfway (``7.45`` is as close to 7.4 as to ``7.5``); an answer no more precise than the gold must equal it (``0.25`` is not ``0.3``, 88 min is
not 1.5 h); an exact answer with no finite decimal
(``\\frac{1}{3}``, pi) must equal it or round to it at a gold of at least `MIN_APPROXIMATE_FIGURES` figures
(pi for ``3.14``, 1/3 for ``0.333``; never 1/3 for ``0.33``, 2\\sqrt{3} for ``3.5``). An exact gold (an integer, a fraction, a radical, pi) is matched only
by an exactly equal answer: ``0.333333`` is not 1/3, ``3.14159265`` is not pi, ``2.0000001`` is not 2. Nothing is
compared by absolute rounding.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

MIN_APPROXIMATE_FIGURES = 3  # a decimal gold an exact answer with no finite decimal may round to states at least this
MIN_APPROXIMATION_FIGURES = 2  # a decimal that claims to round an exact value (after \\approx) states at least this
MAX_EXPONENT = 400  # a literal with a larger decimal exponent is not read exactly (10^{10^9} is not a literal)


@dataclass(frozen=True)
class Number:
    """An exact value; ``figures`` is the significant figures a decimal states (None for an exact form)."""

    value: Fraction
    figures: int | None = None
    percent: bool = False


SIGN = r"(?P<sign>[+-]?)\s*"
DECIMAL = r"(?P<int>\d+)?(?:\.(?P<frac>\d*))?"
EXPONENT = r"(?:\s*(?:\\times|\\cdot|\*|x)\s*10\s*\^\s*(?:\{\s*(?P<exp1>[+-]?\s*\d+)\s*\}|(?P<exp2>[+-]?\d))|[eE](?P<exp3>[+-]?\d+))?"
PERCENT = r"(?:(?P<percent>\s*\\%)|(?P<permille>\s*\\permille))?"
DECIMAL_LITERAL = re.compile(rf"^{SIGN}{DECIMAL}{EXPONENT}{PERCENT}$")
FRACTION_LITERAL = re.compile(
    rf"^{SIGN}(?:(?P<whole>\d+)(?:\s+|(?=\\frac)))?(?:\\frac\s*\{{\s*(?P<n1>\d+)\s*\}}\s*\{{\s*(?P<d1>\d+)\s*\}}|(?P<n2>\d+)\s*/\s*(?P<d2>\d+)){PERCENT}$"
)
REPEATING = re.compile(
    rf"^{SIGN}(?P<int>\d*)\.(?P<fixed>\d*)(?:\\(?:overline|bar|dot)\s*(?:\{{(?P<r1>\d+)\}}|(?P<r2>\d))"
    rf"|\((?P<r3>\d+)\)){PERCENT}$"
)

UNITS_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
               "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]  # fmt: skip
TENS_WORDS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
WORD_VALUES = {**{w: i for i, w in enumerate(UNITS_WORDS)}, **{w: 10 * i for i, w in enumerate(TENS_WORDS) if w}}
WORD_SPLIT = re.compile(r"[\s-]+")


def parse_number(text: str) -> Number | None:
    """The exact `Number` a literal states (see the module docstring), or None if ``text`` is anything else."""
    text = text.strip()
    if not text or len(text) > 200:
        return None
    match = DECIMAL_LITERAL.match(text)
    if match and (match.group("int") or match.group("frac")):
        return _decimal(match)
    match = FRACTION_LITERAL.match(text)
    if match:
        numerator = int(match.group("n1") or match.group("n2"))
        denominator = int(match.group("d1") or match.group("d2"))
        if denominator == 0:
            return None
        value = Fraction(numerator, denominator)
        if match.group("whole"):
            if not numerator < denominator:  # "2 3/4" is a mixed number; "2 5/4" is no literal at all
                return None
            value += int(match.group("whole"))
        return _finish(value, None, match)
    match = REPEATING.match(text)
    if match:
        return _finish(_repeating(match), None, match)
    value = number_word(text)
    return None if value is None else Number(Fraction(value))


def _decimal(match: re.Match) -> Number | None:
    whole, fraction = match.group("int") or "0", match.group("frac")
    exponent_text = match.group("exp1") or match.group("exp2") or match.group("exp3") or "0"
    exponent = int(exponent_text.replace(" ", ""))
    if abs(exponent) > MAX_EXPONENT:
        return None
    digits = whole + (fraction or "")
    value = Fraction(int(digits), 10 ** len(fraction or "")) * Fraction(10) ** exponent
    stated = bool(fraction)  # "2.50" and "1.6e-19" state a precision; "120", "5." and "1 \\times 10^{6}" are exact
    figures = len(digits.lstrip("0")) or 1 if stated else None
    if stated and fraction and int(digits) == 0:
        figures = max(1, len(fraction))  # "0.00": the zeros are the precision
    return _finish(value, figures, match)


def _repeating(match: re.Match) -> Fraction:
    whole, fixed = match.group("int") or "0", match.group("fixed")
    repeat = match.group("r1") or match.group("r2") or match.group("r3")
    shift = 10 ** len(fixed)
    value = Fraction(int(whole)) + Fraction(int(fixed or "0"), shift)
    return value + Fraction(int(repeat), shift * (10 ** len(repeat) - 1))


def _finish(value: Fraction, figures: int | None, match: re.Match) -> Number:
    if match.group("sign") == "-":
        value = -value
    if match.group("percent"):
        return Number(value / 100, figures, percent=True)
    if match.group("permille"):
        return Number(value / 1000, figures)
    return Number(value, figures)


def number_word(text: str) -> int | None:
    """``twenty-one`` -> 21, ``one hundred five`` -> 105, ``three thousand`` -> 3000, ``minus five`` -> -5; None
    for anything that is not a well-formed number name (``twenty zero``, ``five hundred hundred``)."""
    words = [w for w in WORD_SPLIT.split(text.strip().lower().replace(" and ", " ")) if w]
    if len(words) == 2 and words[1] == "dozen" and words[0] in ("a", "one", "two", "three", "four", "five", "six"):
        return 12 * max(1, WORD_VALUES.get(words[0], 1))
    sign = -1 if words and words[0] in ("minus", "negative") else 1
    words = words[1:] if sign < 0 else words
    if not words or any(w not in WORD_VALUES and w not in SCALE_WORDS for w in words):
        return None
    if words == ["zero"]:
        return 0
    total, group = 0, _below_thousand(words, SCALE_WORDS)
    if group is None:
        return None
    for value, scale in group:
        total += value * scale
    return sign * total if total else None


def _below_thousand(words: list[str], scales: dict[str, int]) -> list[tuple[int, int]] | None:
    """``[("five", "hundred", "two", "thousand", ...)]`` split into (value below 1000, scale) pairs, scales strictly
    decreasing; None when a group is malformed."""
    groups, current, last_scale = [], [], None
    for word in [*words, "<end>"]:
        if word in scales and scales[word] >= 1000 or word == "<end>":
            value = _group_value(current)
            scale = 1 if word == "<end>" else scales[word]
            if value is None or (last_scale is not None and scale >= last_scale):
                return None if current or word != "<end>" else groups
            groups.append((value, scale))
            current, last_scale = [], scale
        else:
            current.append(word)
    return groups


def _group_value(words: list[str]) -> int | None:
    """One to three words below a thousand: [ones] hundred [tens][-ones] | tens[-ones] | teen/ones."""
    value = 0
    if len(words) >= 2 and words[1] == "hundred":
        if WORD_VALUES.get(words[0], 0) not in range(1, 20):  # "fifteen hundred" is 1500
            return None
        value, words = WORD_VALUES[words[0]] * 100, words[2:]
    if not words:
        return value or None
    if words[0] in TENS_WORDS:
        if len(words) == 2 and WORD_VALUES.get(words[1], 0) in range(1, 10):
            return value + WORD_VALUES[words[0]] + WORD_VALUES[words[1]]
        return value + WORD_VALUES[words[0]] if len(words) == 1 else None
    if len(words) == 1 and words[0] in WORD_VALUES and WORD_VALUES[words[0]] > 0:
        return value + WORD_VALUES[words[0]]
    return None


CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> Fraction | None:
    """``五`` -> 5, ``二十一`` -> 21, ``一百零五`` -> 105, ``一百一`` -> 110 and ``三万五`` -> 35000 (the colloquial
    trailing digit), ``一亿`` -> 10^8, ``三分之一`` -> 1/3; None for anything malformed (``十十``, ``五十百``)."""
    if "分之" in text:
        denominator, _, numerator = text.partition("分之")
        d, n = chinese_number(denominator), chinese_number(numerator)
        return None if not d or n is None else Fraction(n) / d
    negative = text.startswith("负")
    text = text[1:] if negative else text
    if not text:
        return None
    total = 0
    for big, size in (("亿", 10**8), ("万", 10**4)):
        if big in text:
            head, _, text = text.partition(big)
            value = _chinese_section(head)
            if value is None or total and size * value >= total:
                return None
            total += value * size
            if text and text[0] in CHINESE_DIGITS and len(text) == 1 and text != "零":  # 三万五: 35000
                return Fraction(
                    -(total + CHINESE_DIGITS[text] * size // 10)
                    if negative
                    else total + CHINESE_DIGITS[text] * size // 10
                )
    rest = _chinese_section(text) if text else 0
    if rest is None:
        return None
    return Fraction(-(total + rest) if negative else total + rest)


def _chinese_section(text: str) -> int | None:
    """A number below 10000: digits each followed by a strictly smaller unit (千, 百, 十), 零 for a gap."""
    total, digit, last_unit, after_unit = 0, None, 10**4, None
    for char in text:
        if char in "零〇" and digit is None:
            after_unit = None  # a gap: 一百零一 is 101, its last digit is ones
            continue
        if char in CHINESE_DIGITS:
            if digit is not None:
                return None  # "二三" is no number
            digit = CHINESE_DIGITS[char]
        elif char in CHINESE_UNITS:
            unit = CHINESE_UNITS[char]
            if unit >= last_unit or (digit is None and not (unit == 10 and total == 0)):
                return None  # "十十", "五十百"
            total += (1 if digit is None else digit) * unit
            digit, last_unit, after_unit = None, unit, unit
        else:
            return None
    if digit is not None and digit != 0 and after_unit and after_unit >= 100:
        return total + digit * after_unit // 10  # 一百一 is 110, 一百零一 is 101
    return total + (digit or 0)


def round_to_figures(value: Fraction, figures: int) -> Fraction:
    """``value`` rounded (half away from zero, as a stated rounding is read: 1.25 is 1.3, never 1.2) to ``figures``
    significant figures, exactly."""
    if value == 0:
        return value
    exponent = math.floor(math.log10(abs(value)))
    while Fraction(10) ** exponent > abs(value):  # log10 of a Fraction can be off by one near powers of ten
        exponent -= 1
    while Fraction(10) ** (exponent + 1) <= abs(value):
        exponent += 1
    quantum = Fraction(10) ** (exponent - figures + 1)
    steps = math.floor(abs(value) / quantum + Fraction(1, 2))
    return (steps if value > 0 else -steps) * quantum


def numbers_match(gold: Number, answer: Number) -> bool:
    """Whether ``answer`` states ``gold`` (the rules are in the module docstring)."""
    if gold.value == answer.value:
        return True
    if gold.figures is None:
        return False
    figures = stated_figures(answer)
    if figures is None:  # pi, 1/3, sqrt 2: no finite decimal, so it may round to the gold
        if gold.figures < MIN_APPROXIMATE_FIGURES:
            return False  # 1/3 for 0.3, 2/3 for 0.7: one figure is too coarse to say an exact value was meant
        return round_to_figures(answer.value, gold.figures) == gold.value
    if figures <= gold.figures:
        return False  # as precise as the gold, and another value: 88 min is not 1.5 h, 0.25 is not 0.3
    return round_to_figures(answer.value, gold.figures) == gold.value and not _halfway(gold, answer.value)


def stated_figures(number: Number) -> int | None:
    """The significant figures a number states: a decimal's own, or those of an exact value's finite decimal
    expansion (``88`` states 2, ``\\frac{3}{8}`` 3); None for a value with no finite expansion (1/3, a radical)."""
    if number.figures is not None:
        return number.figures
    denominator, twos, fives = number.value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1 or max(twos, fives) > MAX_EXPONENT:
        return None
    digits = abs(number.value * 10 ** max(twos, fives))
    return len(str(digits.numerator).strip("0")) if digits < 10**MAX_EXPONENT else None


def _halfway(gold: Number, value: Fraction) -> bool:
    """An answer exactly halfway between the gold and its neighbour at the gold's precision (7.45 for 7.5): as close
    to either, so it does not state the gold."""
    rounded = round_to_figures(gold.value, gold.figures)
    exponent = math.floor(math.log10(abs(rounded))) if rounded else 0
    while rounded and Fraction(10) ** exponent > abs(rounded):
        exponent -= 1
    quantum = Fraction(10) ** (exponent - gold.figures + 1)
    return abs(value - gold.value) * 2 == quantum


def approximates(exact: Fraction | float, answer: Number, minimum: int = MIN_APPROXIMATION_FIGURES) -> bool:
    """An exact value against a decimal answer: the answer must be the value correctly rounded at the answer's own
    precision, with at least ``minimum`` significant figures."""
    if answer.figures is None or answer.figures < minimum or exact == 0:
        return False
    return round_to_figures(Fraction(exact), answer.figures) == answer.value
