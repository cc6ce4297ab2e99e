"""A whole answer in words: ``\\text{Monday}``, ``\\text{two}``, ``\\text{二十一}``, ``\\text{all real numbers}``,
``\\text{3 hours}`` (TeX in text mode, parsed as TeX)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .numbers import Number, chinese_number, number_word, parse_number
from .values import CONNECTOR, REALS, TEXT_GROUP, Scalar, Text, Unknown, Value


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
