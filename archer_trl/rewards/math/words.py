"""A whole answer in words: ``\\text{Monday}``, ``\\text{two}``, ``\\text{二十一}``, ``\\text{all real numbers}``,
``\\text{3 hours}`` (TeX in text mode, parsed as TeX)."""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from .numbers import Number, chinese_number, number_word, parse_number
from .values import CONNECTOR, REALS, TEXT_GROUP, Scalar, Sequence, Text, Unknown, Value

INFINITY = Scalar("\\infty", None)
# Sets of reals in words: "all positive real numbers" is (0, \infty), "\mathbb{R}^+" too
SET_WORDS = re.compile(
    r"(?:all |any |the )?(?:(positive|negative|nonnegative|non-negative|nonpositive|non-positive) )?"
    r"real(?: numbers?| values?|s)?(?: x)?"
)
HALF_LINES = {
    "positive": ("(", Scalar("0", Number(Fraction(0))), INFINITY, ")"),
    "nonnegative": ("[", Scalar("0", Number(Fraction(0))), INFINITY, ")"),
    "negative": ("(", Scalar("-\\infty", None), Scalar("0", Number(Fraction(0))), ")"),
    "nonpositive": ("(", Scalar("-\\infty", None), Scalar("0", Number(Fraction(0))), "]"),
}
REAL_HALF_LINE = re.compile(
    r"\\mathbb\s*\{?\s*R\s*\}?\s*(?:\^\s*\{?\s*([+-])\s*\}?|_\s*\{\s*(>|<|\\ge|\\le)\s*0\s*\})"
)
EMPTY_WORDS = {"no solution", "no solutions", "no real solution", "no real solutions", "none", "no real roots",
               "no roots", "no real numbers", "the empty set", "empty set"}  # fmt: skip
# a time of day with its half of the day: "10:30 \text{ AM}", "3:45 p.m." (without one, 3:45 stays a ratio)
CLOCK = re.compile(
    r"(\d{1,2})(?::|\{:\})([0-5]\d)(?::([0-5]\d))?(?:\s|\\[ ,;]|~)*(?:\\(?:text|mathrm|mbox|textrm)\s*\{\s*)?"
    r"([AaPp])\.?\s*[Mm]\.?\s*\}?"
)
DOES_NOT_EXIST = {"dne", "does not exist", "doesn't exist", "it does not exist"}
FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                  "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8,
                  "tenth": 10, "tenths": 10}  # fmt: skip


# a 24-hour time of day that no ratio writes: a leading zero or an hour from 13 ("09:30", "15:45")
CLOCK_24 = re.compile(r"\s*(0\d|1[3-9]|2[0-3]):([0-5]\d)\s*")


def clock_time(tex: str) -> Text | None:
    """ "10:30 \\text{ AM}" and "10:30 a.m." as the text "10:30", "3:45 PM" as "15:45" (12 AM is midnight)."""
    day = CLOCK_24.fullmatch(tex)
    if day:
        return Text(f"{day.group(1)}:{day.group(2)}")
    clock = CLOCK.fullmatch(tex.strip())
    if clock is None or not 1 <= int(clock.group(1)) <= 12:
        return None
    hour = int(clock.group(1)) % 12 + (12 if clock.group(4) in "Pp" else 0)
    return Text(f"{hour:02d}:{clock.group(2)}" + (f":{clock.group(3)}" if clock.group(3) else ""))


def named_set(tex: str) -> Value | None:
    """``\\mathbb{R}^+``, ``\\mathbb{R}_{>0}`` (0, \\infty); ``\\mathbb{R}_{\\ge 0}`` [0, \\infty); ``\\mathbb{R}^-`` (-\\infty, 0)."""
    match = REAL_HALF_LINE.fullmatch(tex.strip())
    if match is None:
        return None
    kind = {"+": "positive", "-": "negative", ">": "positive", "<": "negative", "\\ge": "nonnegative",
            "\\le": "nonpositive"}[match.group(1) or match.group(2)]  # fmt: skip
    left, low, high, right = HALF_LINES[kind]
    return Sequence("interval", (low, high), left, right)


def _phrase(words: str) -> Value | None:
    """A set, a value or a fixed phrase in words: the empty set, a half-line, infinity, a fraction, "does not exist"."""
    lower = re.sub(r"\s+", " ", words.lower())
    if lower in EMPTY_WORDS:
        return Sequence("set", ())
    if lower in DOES_NOT_EXIST:
        return Text("does not exist")
    if lower in ("infinitely many", "infinitely many solutions"):
        return INFINITY
    half_line = SET_WORDS.fullmatch(lower)
    if half_line and half_line.group(1):
        left, low, high, right = HALF_LINES[half_line.group(1).replace("-", "")]
        return Sequence("interval", (low, high), left, right)
    if half_line and lower.startswith(("all ", "any ")):
        return REALS
    fraction = re.fullmatch(r"([a-z]+)[ -]([a-z]+)", lower)
    if fraction and fraction.group(2) in FRACTION_WORDS:  # "one half", "three quarters", "two-thirds"
        numerator = 1 if fraction.group(1) == "a" else number_word(fraction.group(1))
        plural = fraction.group(2).endswith("s")
        if numerator is not None and numerator > 0 and (numerator == 1) != plural:
            value = Fraction(numerator, FRACTION_WORDS[fraction.group(2)])
            return Scalar(str(value), Number(value))
    return None


def whole_text(tex: str, parse_tex: Callable[[str], Value]) -> Value | None:
    """``parse_tex`` reads TeX found in text mode. ``\\text{Monday}`` / ``Monday`` / ``\\text{two}``: a whole answer in words (a number word is a number)."""
    match = TEXT_GROUP.fullmatch(tex)
    if match and not match.group(1).isascii():
        value = chinese_number(match.group(1).strip())  # \\text{二十一}
        if value is not None:
            return Scalar(str(value), Number(value))
    if match and re.search(r"[^A-Za-z \-']", match.group(1).strip().rstrip(".")):
        return parse_tex(match.group(1))  # \text{336}, \text{3 hours}: TeX in text mode is still the answer
    words = match.group(1).strip() if match else (tex if re.fullmatch(r"[A-Za-z][A-Za-z \-']*[A-Za-z]", tex) else None)
    if words is None:
        return None
    words = words.rstrip(".").strip()
    if words.lower() in ("infinity", "infinite"):
        return Scalar("\\infty", None)
    if words.lower() in ("negative infinity", "minus infinity"):
        return Scalar("-\\infty", None)
    if words.lower() in ("all real numbers", "all reals", "the real numbers", "real numbers"):
        return REALS
    phrase = _phrase(words)
    if phrase is not None:
        return phrase
    value = number_word(words)
    if value is not None:
        return Scalar(str(value), parse_number(str(value)))
    if not re.fullmatch(r"[A-Za-z][A-Za-z \-']*", words):
        return None
    if match is None and len(words) <= 3 and " " not in words:
        return None  # "xy", "abc", "sin" without a backslash: an expression, judged as one
    if CONNECTOR.search(" " + words + " ") and " " in words.strip():
        return Unknown("two candidates in words")
    return Text(re.sub(r"\s+", " ", words).strip())  # case kept: compare.py lowers it, and stems only lower case
