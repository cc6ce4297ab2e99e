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
