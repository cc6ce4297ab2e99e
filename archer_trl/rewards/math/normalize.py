"""Pre-normalisation of gold and predicted math answers before math-verify parses them.

Pure string functions, no imports beyond the standard library: the math-verify worker loads this file by path (it
must not import ``archer_trl``), and the tests import it directly. Every function is linear in its input (a
pathological answer is bounded by the worker's deadlines, not here) and leaves text it does not recognise as it is.

What math-verify cannot read and these functions rewrite:

- TeX macro arguments without braces (``\\frac12``, ``\\dfrac34``, ``\\sqrt2``, ``\\frac{\\sqrt3}2``): braced the way
  TeX reads them, one token per argument, so ``\\frac123`` stays ``\\frac{1}{2}3`` and plain-text ``sqrt(2)`` stays
  unparsed (math-verify's own ``malformed_operators`` reads ``\\frac123`` as 1/23 and rewards ``sqrt(2)``);
- E-notation (``7.5e-5``, read as Euler's e), thin-space digit groups (``1\\,000``, read as 0), ``°``, spaced
  complex units (``3 - 4 i``), repeating decimals (``0.\\overline{3}``), mixed numbers, number words, ``√``, angle-bracket vectors;
- multiple-choice answers (``\\textbf{(B) }12``) against a choice-letter gold;
- compound quantities (``5 \\text{ feet } 6 \\text{ inches}``), which math-verify's unit stripping reads as their
  first number; they, and simple quantities in units of one dimension, are compared here in exact arithmetic.
"""

from __future__ import annotations

import re
from fractions import Fraction

MAX_BRACE_DEPTH = 100  # deeper nesting is left as it is (and then bounded by the worker's deadlines)
MAX_NORMALIZED_CHARS = 20_000  # longer answers skip pre-normalisation (no real answer is this long)

# ------------------------------------------------------------------------------------------ TeX argument bracing

ARGUMENT_COUNT = {"frac": 2, "dfrac": 2, "tfrac": 2, "cfrac": 2, "binom": 2, "dbinom": 2, "tbinom": 2, "sqrt": 1}
CONTROL_SEQUENCE = re.compile(r"\\(?:[a-zA-Z]+|.)", re.DOTALL)
HAS_ARGUMENT_MACRO = re.compile(r"\\(?:[dtc]?frac|[dt]?binom|sqrt)(?![a-zA-Z])")


class _Unbalanced(Exception):
    pass


def brace_tex_arguments(text: str) -> str:
    """Give every ``\\frac``/``\\dfrac``/``\\tfrac``/``\\cfrac``/``\\binom``/``\\sqrt`` argument its braces, reading an
    unbraced argument as TeX does: one token (a character or a control word). Unbalanced or too deeply nested text
    is returned unchanged."""
    if not HAS_ARGUMENT_MACRO.search(text):
        return text
    try:
        rewritten, end = _scan(text, 0, 0)
    except (_Unbalanced, RecursionError):
        return text
    return rewritten if end == len(text) else text


def _scan(text: str, position: int, depth: int) -> tuple[str, int]:
    """Rewrite from ``position`` to the end (depth 0) or to just after the ``}`` closing the current group."""
    if depth > MAX_BRACE_DEPTH:
        raise _Unbalanced
    out: list[str] = []
    while position < len(text):
        char = text[position]
        if char == "\\":
            token = CONTROL_SEQUENCE.match(text, position).group(0)
            out.append(token)
            position += len(token)
            count = ARGUMENT_COUNT.get(token[1:])
            if count:
                if token == "\\sqrt":
                    position = _copy_optional_index(text, position, out)
                for _ in range(count):
                    argument, position = _argument(text, position, depth)
                    if argument is None:
                        break
                    out.append("{" + argument + "}")
        elif char == "{":
            inner, position = _scan(text, position + 1, depth + 1)
            out.append("{" + inner + "}")
        elif char == "}":
            if depth == 0:
                raise _Unbalanced
            return "".join(out), position + 1
        else:
            out.append(char)
            position += 1
    if depth:
        raise _Unbalanced
    return "".join(out), position


def _copy_optional_index(text: str, position: int, out: list[str]) -> int:
    start = position
    while start < len(text) and text[start].isspace():
        start += 1
    if start < len(text) and text[start] == "[":
        end = text.find("]", start)
        if end < 0:
            raise _Unbalanced
        out.append(brace_tex_arguments(text[start : end + 1]))
        return end + 1
    return position


def _argument(text: str, position: int, depth: int) -> tuple[str | None, int]:
    start = position
    while start < len(text) and text[start].isspace():
        start += 1
    if start >= len(text) or text[start] == "}":
        return None, position
    if text[start] == "{":
        return _scan(text, start + 1, depth + 1)
    if text[start] == "\\":
        token = CONTROL_SEQUENCE.match(text, start).group(0)
        return token, start + len(token)
    return text[start], start + 1


# ------------------------------------------------------------------------------------------ numbers and symbols

SCIENTIFIC = re.compile(r"(?<![\w.\\}])(\d+(?:\.\d+)?|\.\d+)[eE]([+-]?\d+)(?![\w.])")
PLAIN_NUMBER = re.compile(
    r"^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:\s*(?:\\times|\\cdot)\s*10\s*\^\s*\{?\s*[+-]?\d+\s*\}?)?\s*$"
)
DIGIT_GROUP_SPACE = re.compile(r"(?<=\d)(?:\\,|\\;|\\:|\\ |~|\{\\,\}|\\thinspace\s*)(?=\d{3}(?!\d))")
DEGREE = re.compile(r"\s*(?:°|\\degree(?![a-zA-Z])|\\textdegree(?![a-zA-Z]))")
UPRIGHT_I = re.compile(r"\\(?:mathrm|text|mathit|operatorname)\s*\{\s*i\s*\}")
SPACED_I = re.compile(r"(?<=[\d}])(?:\s|\\[,;: !])+(?=i(?![a-zA-Z]))")
REPEATING = re.compile(r"(\d*)\.(\d*)\\(?:overline|bar|dot)\s*(?:\{(\d+)\}|(\d))")
PERCENT_NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?:\\%|%|\\text\{\s*\\?%\s*\})\s*$")


def scientific_to_tex(text: str) -> str:
    """``7.5e-5`` -> ``7.5\\times 10^{-5}`` (math-verify reads the ``e`` as Euler's number)."""
    return SCIENTIFIC.sub(r"\1\\times 10^{\2}", text)


def is_plain_number(text: str) -> bool:
    """A decimal number, optionally in scientific notation (``3``, ``-0.25``, ``4.5\\times 10^{33}``)."""
    return bool(PLAIN_NUMBER.match(text))


def _repeating_to_fraction(match: re.Match) -> str:
    whole, fixed, repeat = match.group(1) or "0", match.group(2), match.group(3) or match.group(4)
    shift = 10 ** len(fixed)
    value = Fraction(int(whole)) + Fraction(int(fixed or "0"), shift)
    value += Fraction(int(repeat), shift * (10 ** len(repeat) - 1))
    return f"\\frac{{{value.numerator}}}{{{value.denominator}}}"


TRAILING_PERIOD = re.compile(r"(?<=\d)\s*[.,]\s*$")
BASE_NUMBER = re.compile(r"^\s*([0-9A-Za-z]+)\s*_\s*\{?\s*\(?(\d{1,2})\)?\s*\}?\s*$")
COLUMN_VECTOR = re.compile(r"^\s*\\begin\{[pb]matrix\}([^&]*?)\\end\{[pb]matrix\}\s*$", re.DOTALL)
TUPLE = re.compile(r"^\s*(?:\\left\s*)?\(([^()]*?)(?:\\right\s*)?\)\s*$", re.DOTALL)


def normalize_answer_end(text: str) -> str:
    """``17.`` -> ``17``: a sentence's full stop inside the box is not a decimal point."""
    return TRAILING_PERIOD.sub("", text)


def compare_bases(gold: str, answer: str) -> bool | None:
    """False when gold and answer are numbers written in different bases (``1011_2`` against ``1011_{10}``, which
    math-verify reads as equal); None otherwise (math-verify then compares the digits)."""
    gold_match, answer_match = BASE_NUMBER.match(gold), BASE_NUMBER.match(answer)
    if gold_match is None or answer_match is None:
        return None
    return None if int(gold_match.group(2)) == int(answer_match.group(2)) else False


def tuple_as_column_vector(gold: str, answer: str) -> str:
    """``(-1, 2)`` -> ``\\begin{pmatrix} -1 \\\\ 2 \\end{pmatrix}`` when the gold is a column vector of that
    length (vector answers are written both ways); the answer unchanged otherwise."""
    vector, pair = COLUMN_VECTOR.match(gold), TUPLE.match(answer)
    if vector is None or pair is None:
        return answer
    entries = [entry.strip() for entry in pair.group(1).split(",")]
    if len(entries) < 2 or len(entries) != len(vector.group(1).split("\\\\")):
        return answer
    return "\\begin{pmatrix} " + " \\\\ ".join(entries) + " \\end{pmatrix}"


NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
WORD_ANSWER = re.compile(r"^\s*(?:\\(?:text|textbf|mathrm)\s*\{\s*)?([A-Za-z]+)\s*\}?\s*$")


def number_word(text: str) -> str:
    """``\\text{two}`` -> ``2`` when the whole answer is one number word (zero to twenty)."""
    match = WORD_ANSWER.match(text)
    return NUMBER_WORDS.get(match.group(1).lower(), text) if match else text


SYMBOL_SPELLINGS = [
    (re.compile(r"√\s*\(([^()]*)\)"), r"\\sqrt{\1}"),
    (re.compile(r"√"), r"\\sqrt "),
    (re.compile(r"\\langle(?![a-zA-Z])|⟨"), "("),
    (re.compile(r"\\rangle(?![a-zA-Z])|⟩"), ")"),
    (re.compile(r"\\text\s*\{\s*infinity\s*\}"), r"\\infty"),
    (re.compile(r"\\text\s*\{\s*(\d+(?:\.\d+)?)\s+([A-Za-z][A-Za-z ]*)\}"), r"\1\\text{ \2}"),  # \text{3 hours}
]


def normalize_common(text: str) -> str:
    """Rewrites that hold for golds and answers alike: braced TeX arguments, digit groups, degrees, complex ``i``,
    repeating decimals."""
    if len(text) > MAX_NORMALIZED_CHARS:
        return text
    text = number_word(text)
    for spelling, replacement in SYMBOL_SPELLINGS:
        text = spelling.sub(replacement, text)
    text = brace_tex_arguments(text)
    text = DIGIT_GROUP_SPACE.sub("", text)
    text = DEGREE.sub("^{\\\\circ}", text)
    text = UPRIGHT_I.sub("i", text).replace("\\varnothing", "\\emptyset")
    text = SPACED_I.sub("", text)
    text = REPEATING.sub(_repeating_to_fraction, text)
    return MIXED_NUMBER.sub(_mixed_to_fraction, text)


def _mixed_to_fraction(match: re.Match) -> str:
    """``4\\frac{2}{3}`` (a whole number and a proper fraction, alone: a mixed number) -> ``\\frac{14}{3}``."""
    sign, whole, numerator, denominator = match.group(1), int(match.group(2)), int(match.group(3)), int(match.group(4))
    if not 0 < numerator < denominator:
        return match.group(0)
    return f"{sign}\\frac{{{whole * denominator + numerator}}}{{{denominator}}}"


def percent_free_number(text: str) -> str | None:
    """``12.5\\%`` -> ``12.5`` (math-verify already accepts ``25`` for ``25\\%``, but not ``12.5`` for ``12.5\\%``)."""
    match = PERCENT_NUMBER.match(text)
    return match.group(1) if match else None


# ------------------------------------------------------------------------------------------ multiple choice

CHOICE = re.compile(
    r"^(?:\s|\\q?quad|\\[ ,;:!]|~)*(?:\\(?:textbf|text|mathbf|mathrm|textrm)\s*\{\s*)?"
    r"(?:\(\s*([A-E])\s*\)|([A-E])\s*\)|([A-E]))"
    r"\s*\}?(?:\s|\\[ ,;:!]|~|\\quad|\\qquad)*(.*?)\s*$",
    re.DOTALL,
)


OTHER_CHOICE = re.compile(r"\(\s*[A-E]\s*\)|(?<![A-Za-z\\])[A-E]\s*\)")


def split_choice(text: str) -> tuple[str, str] | None:
    """``\\textbf{(B) }12`` -> ("B", "12"), ``(C)`` -> ("C", ""), ``D`` -> ("D", ""); None for anything else.

    A bare letter followed by more text (``A = 5``, ``B^2``) is not a choice; a letter in parentheses or with a
    closing parenthesis is, whatever follows it, unless another choice follows (``(B) or (C)``).
    """
    match = CHOICE.match(text)
    if not match:
        return None
    bare, rest = match.group(3), match.group(4)
    if (bare and rest) or OTHER_CHOICE.search(rest):
        return None  # "A = 5" is no choice; "(B) or (C)" is two
    return match.group(1) or match.group(2) or bare, rest


# ------------------------------------------------------------------------------------------ quantities with units

UNITS: dict[str, tuple[str, Fraction]] = {}  # spelling -> (dimension, size in the dimension's base unit)
for _dimension, _spellings, _size in [
    ("length", "mm millimeter millimeters millimetre millimetres", Fraction(1, 1000)),
    ("length", "cm centimeter centimeters centimetre centimetres", Fraction(1, 100)),
    ("length", "m meter meters metre metres", Fraction(1)),
    ("length", "km kilometer kilometers kilometre kilometres", Fraction(1000)),
    ("length", "in inch inches", Fraction(254, 10000)),
    ("length", "ft foot feet", Fraction(3048, 10000)),
    ("length", "yd yard yards", Fraction(9144, 10000)),
    ("length", "mi mile miles", Fraction(1609344, 1000)),
    ("time", "s sec secs second seconds", Fraction(1)),
    ("time", "min mins minute minutes", Fraction(60)),
    ("time", "h hr hrs hour hours", Fraction(3600)),
    ("time", "day days", Fraction(86400)),
    ("time", "week weeks", Fraction(604800)),
    ("mass", "mg milligram milligrams", Fraction(1, 1000)),
    ("mass", "g gram grams", Fraction(1)),
    ("mass", "kg kilogram kilograms", Fraction(1000)),
    ("mass", "oz ounce ounces", Fraction(45359237, 1600000)),
    ("mass", "lb lbs pound pounds", Fraction(45359237, 100000)),
    ("money", "cent cents", Fraction(1)),
    ("money", "dollar dollars", Fraction(100)),
]:
    for _spelling in _spellings.split():
        UNITS[_spelling] = (_dimension, _size)

TEXT_WRAPPER = re.compile(r"\\(?:text|mbox|mathrm|textrm|operatorname)\s*\{([^{}]*)\}")
NUMBER = r"[+-]?(?:\d+(?:\.\d+)?|\.\d+|\\frac\{\d+\}\{\d+\})"
QUANTITY_PART = re.compile(rf"\s*({NUMBER})\s*([a-zA-Z]+)\.?\s*(?:,|;|\band\b|\\[,;: ]|\\quad|~)*")
NUMBER_ONLY = re.compile(rf"^\s*({NUMBER})\s*$")


def _number(text: str) -> Fraction:
    if text.lstrip("+-").startswith("\\frac"):
        numerator, denominator = re.findall(r"\d+", text)
        value = Fraction(int(numerator), int(denominator))
        return -value if text.startswith("-") else value
    return Fraction(text)


DOLLARS = re.compile(r"\\\$\s*(\d+(?:\.\d+)?)")
MIXED_NUMBER = re.compile(r"^\s*(-?)\s*(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}\s*$")
FEET_INCH_MARKS = [
    (re.compile(r"(?<=\d)\s*(?:\"|''|\^\s*\{?\s*\\prime\s*\\prime\s*\}?|\^\s*\{?\s*\\dprime\s*\}?)"), " in "),
    (re.compile(r"(?<=\d)\s*(?:'|\^\s*\{?\s*\\prime\s*\}?)"), " ft "),
]


def parse_quantity(text: str) -> tuple[str, Fraction, list[Fraction]] | None:
    """(dimension, value in base units, size of each part's unit) of ``3 \\text{ m } 20 \\text{ cm}``-style
    quantities whose units are all known and of one dimension (``5'6"`` too); None for anything else (units with
    exponents, unknown words, bare numbers)."""
    if len(text) > 200:
        return None
    for marks, unit in FEET_INCH_MARKS:
        text = marks.sub(unit, text)
    if "^" in text:
        return None
    text = DOLLARS.sub(r"\1 dollars", text)
    plain = TEXT_WRAPPER.sub(r" \1 ", text).replace("\\ ", " ").replace("\\,", " ").strip()
    position, sizes, dimensions, total = 0, [], set(), Fraction(0)
    while position < len(plain):
        match = QUANTITY_PART.match(plain, position)
        if not match or match.end() == position or match.group(2) not in UNITS:
            return None
        dimension, size = UNITS[match.group(2)]
        dimensions.add(dimension)
        total += _number(match.group(1)) * size
        sizes.append(size)
        position = match.end()
    if not sizes or len(dimensions) != 1:
        return None
    return dimensions.pop(), total, sizes


def compare_quantities(gold: str, answer: str) -> bool | None:
    """Judge what math-verify cannot: True/False when the gold or the answer is a compound quantity, or when both
    are quantities in different known units; None to leave the pair to math-verify.

    A bare number against a compound quantity counts as that quantity in its smallest or its largest unit (gold
    ``6 \\text{ hours } 30 \\text{ minutes}`` accepts 390 and 6.5, not 6; gold 6 does not accept that answer).
    """
    gold_quantity, answer_quantity = parse_quantity(gold), parse_quantity(answer)
    if gold_quantity is not None and answer_quantity is not None:
        if len(gold_quantity[2]) == len(answer_quantity[2]) == 1 and gold_quantity[2] == answer_quantity[2]:
            return None  # the same unit: math-verify strips it and compares the numbers (expressions included)
        return gold_quantity[:2] == answer_quantity[:2]
    quantity, other = (gold_quantity, answer) if gold_quantity is not None else (answer_quantity, gold)
    if quantity is None or len(quantity[2]) == 1:
        return None
    number = NUMBER_ONLY.match(other)
    if number is None:
        return False  # e.g. the first part of the compound on its own, or prose
    value = _number(number.group(1))
    return any(value * size == quantity[1] for size in (min(quantity[2]), max(quantity[2])))
