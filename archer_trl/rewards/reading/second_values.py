"""Sentences of the answer section that offer a second value or doubt the work, read with what settles them (red-team
rounds 19 and 20): another value offered as a solution too, two results side by side, split odds; and the doubt
sentences whose conflict a rejection of another value settles."""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from .wording_section import (
    ADDITIVE_RE,
    DOUBT_SENTENCE_RE,
    ODDS_RE,
    REJECTING_RE,
    SETTLED_DOUBT_RE,
    VALUE_TEXT,
)

SECOND_SOLUTION_RE = re.compile(
    r"(" + VALUE_TEXT + r")[^.;\n]{0,60}?\b(?:satisf\w*|works?|fits?|qualif\w*|holds?|solves?|valid|possible|correct"
    r"|acceptable)\b|\bso\s+(?:does|do|is)\s+("
    + VALUE_TEXT
    + r")|\b(?:gives?|yields?|gets?|produces?|makes?)\s+("
    + VALUE_TEXT
    + r")[^.;\n]{0,40}?\binstead\b",
    re.IGNORECASE,
)
PARALLEL_RESULT_RE = re.compile(
    r"\b(gave|gives|give|yields?|yielded|points?\s+to|pointed\s+to|says|said|suggests?|suggested|favou?rs?)\s+("
    + VALUE_TEXT
    + r")[^.;\n]{0,50}?\b\1\s+("
    + VALUE_TEXT
    + r")",
    re.IGNORECASE,
)


def second_value(words: str, box_value: Fraction, _number: Callable[[str], Fraction | None]) -> bool:
    """Whether a sentence without the box offers another value as a solution too ("x = 3 also satisfies the
    equation.", "So does n = 9.", "gives 24 colorings instead"), sets two results side by side of which the box is one
    ("The first attempt gave 9 and the second gave 7."), or splits the odds between values ("60% on 7, 40% on 9")."""
    for sentence in re.split(r"(?<=[.!?。！？])\s+|\n+", words):
        if "boxed" in sentence or re.search(r"[\d)}]\s*(?:[-+*/×÷^·]|\\(?:times|cdot|div))|\\frac", sentence):
            continue  # the box's own sentence, or a computation whose operands are not candidates
        strong = re.search(
            r"\bsatisf\w*\s+(?:every|all|both|each)\b|\bis\s+(?:also\s+)?a\s+valid\s+(?:answer|solution|count|value)",
            sentence,
            re.I,
        )
        if ADDITIVE_RE.search(sentence) or strong:
            for match in SECOND_SOLUTION_RE.finditer(sentence):
                other = _number(next(group for group in match.groups() if group))
                if other is not None and other != box_value:
                    return True
        for match in PARALLEL_RESULT_RE.finditer(sentence):
            pair = {_number(match.group(2)), _number(match.group(3))}
            if None not in pair and len(pair) == 2 and box_value in pair:
                return True
        odds = {_number(value.strip(".,;")) for value in ODDS_RE.findall(sentence)} - {None}
        if len(odds) > 1 and box_value in odds:
            return True
    return False


def doubt_sentence(words: str) -> bool:
    """`DOUBT_SENTENCE_RE` anywhere, unless what it says is settled in its paragraph: words of conflict or of
    candidates next to the rejection of another value ("inconsistent with $x > 0$, we reject it")."""
    for match in DOUBT_SENTENCE_RE.finditer(words):
        start = max(words.rfind("\n\n", 0, match.start()), 0)
        end = words.find("\n\n", match.end())
        paragraph = words[start : end if end >= 0 else len(words)]
        if SETTLED_DOUBT_RE.search(match.group()) and REJECTING_RE.search(paragraph):
            continue
        return True
    return False


TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_NUMBER_RE = re.compile(r"[零一二两三四五六七八九十百千]{1,12}")
COMPOUND_RE = re.compile(r"\b(" + "|".join(TENS) + r")(?:[\s-]+(" + "|".join(UNITS) + r"))?\b", re.I)


def _chinese(numeral: str) -> int | None:
    """十三 -> 13, 五十一 -> 51, 一百二十 -> 120; None for a run that is not a numeral."""
    total, digit = 0, None
    for char in numeral:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
            continue
        scale = {"十": 10, "百": 100, "千": 1000}[char]
        total += (1 if digit is None else digit) * scale
        digit = None
    return total + (digit or 0) if len(numeral) > 1 or numeral in "十" or numeral in CHINESE_DIGITS else None


def numbers_as_digits(words: str) -> str:
    """Compound English number words and Chinese numerals written as digits ("twenty-one" -> 21, "十三" -> 13), so that
    a value named the answer in words is compared with the box (red-team round 21)."""
    words = COMPOUND_RE.sub(lambda m: str(TENS[m.group(1).lower()] + UNITS.get((m.group(2) or "").lower(), 0)), words)
    return CHINESE_NUMBER_RE.sub(
        lambda m: str(_chinese(m.group())) if _chinese(m.group()) is not None else m.group(), words
    )
