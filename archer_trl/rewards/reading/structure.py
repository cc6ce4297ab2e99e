"""Where a box stands in the text's structure, read without vocabularies (red-team round 26).

Each rule here reads markup or layout, not words, so no new phrasing slips past it:

- a box inside a strike-out macro at any depth (``\\sout{The answer is $\\boxed{12}$.}``) is struck, not given;
- a box glued to a digit outside it (``1$\\boxed{2}$ ways``) holds only part of the number the sentence states;
- an answer the text labels as such in a form the value rules cannot read (``Answer: XIII``, a display
  ``N = 13 \\quad (\\text{answer})``) is a second answer unless it is the box's value;
- an end-of-sequence token left in decoded text (``</s>``, ``<｜end▁of▁sentence｜>``) is not text after the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Protocol

from .remarks import words_of

STRIKE_RE = re.compile(
    r"\\(?:sout|xout|st|cancel|bcancel|xcancel|cancelto|soutthick|hout|strikeout)\s*(?:\{[^{}]*\}\s*)?\{"
)
ROMAN_RE = re.compile(r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# a label that names what follows the answer, then a Roman numeral alone ("Answer: XIII", "(Final tally: X.)")
ROMAN_ANSWER_RE = re.compile(
    r"\b(?:(?:final\s+)?answer|result|tally|total|count)\s*+(?:is|:|=|：)\s*+(?:\*++\s*+)?([MDCLXVI]{1,15})\b(?![\w$\\])",
    re.IGNORECASE,
)
# "N = 13 \quad (\text{answer})", "13 \qquad \text{(answer)}": a value tagged as the answer inside a formula
TAGGED_ANSWER_RE = re.compile(
    r"(?<![\d.,])(-?\d[\d.,]*+|\\[dt]?frac\s*\{\s*-?\d+\s*\}\s*\{\s*\d+\s*\})\s*(?:\\[,;!]|\\q?quad|\\[ ]|~|\s)*"
    r"\(?\s*\\(?:text|mathrm|textbf)\s*\{\s*\(?\s*(?:final\s+)?answer\s*\)?\s*\}\s*\)?",
    re.IGNORECASE,
)
# a final sentence that names no quantity ("So the answer is"), and a step's that does ("the side is $s =")
NAMED_STEP_RE = re.compile(
    r"\bthe\s+[a-z]+(?:\s+[a-z]+){0,3}\s+(?:is|are|equals|was)\s*\$\s*[A-Za-z](?:_\{?\w+\}?)?\s*=\s*\Z"
)
GENERIC_ANSWER_RE = re.compile(
    r"^[\s,]*(?:\w+[\s,]+){0,3}?(?:the\s+)?(?:final\s+|correct\s+)?answer\s*(?:is|:|=)?\s*\$*\s*\Z", re.I
)
END_TOKEN_RE = re.compile(r"(?:\s*(?:</s>|<eos>|<pad>|<\|[A-Za-z_]+\|>|<｜[^｜<>\s]{1,40}｜>))+\s*\Z", re.IGNORECASE)


class BoxLike(Protocol):
    start: int
    end: int
    content: str | None


def without_end_tokens(text: str) -> str:
    """``text`` without the special tokens a decoder left at its end. ``</s>`` is also HTML's strike-out end tag:
    with an ``<s>`` opened anywhere in the text, it stays (and strikes what it closes)."""
    if re.search(r"<s[\s>]", text, re.IGNORECASE):
        return text
    head, tail = text[:-400], text[-400:]  # read from the end only: a long run of blanks costs nothing
    return head + END_TOKEN_RE.sub("", tail) if END_TOKEN_RE.search(tail) else text


def struck(text: str, box: BoxLike) -> bool:
    """Whether ``box`` lies inside the braced argument of a strike-out macro (``\\sout``, ``\\cancel``, ...)."""
    for match in STRIKE_RE.finditer(text, 0, box.start):
        depth, index = 1, match.end()
        while index < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[index], 0) if text[index - 1] != "\\" else 0
            index += 1
        if index >= box.end:
            return True
    return False


def glued_to_digits(text: str, box: BoxLike) -> bool:
    """Whether a digit (or a decimal point before one) touches the box's formula from outside: ``1$\\boxed{2}$``,
    ``$\\boxed{2}$5``, ``1\\(\\boxed{2}\\)``. A formula's own signs and spaces are not outside it."""
    start = box.start
    opener = re.search(r"(?:\$\$?|\\[(\[])\s*\Z", text[max(0, start - 4) : start])
    if opener is not None:
        start -= len(opener.group())
        if re.search(r"[\d.]\Z", text[max(0, start - 1) : start]) and re.search(
            r"\d", text[max(0, start - 2) : start]
        ):
            return True
    closer = re.match(r"\s*(?:\$\$?|\\[)\]])", text[box.end : box.end + 4])
    return (
        closer is not None
        and re.match(r"[.,]?\d", text[box.end + closer.end() : box.end + closer.end() + 2]) is not None
    )


def _roman(numeral: str) -> int | None:
    values = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
    numeral = numeral.upper()
    if not ROMAN_RE.fullmatch(numeral):
        return None
    total = 0
    for char, following in zip(numeral, [*numeral[1:], ""]):
        value = values[char]
        total += -value if following and values[following] > value else value
    return total


def _number(tex: str) -> Fraction | None:
    tex = re.sub(r"\s+|\{,\}", "", tex or "")
    if len(tex) > 60:  # a plain answer is short; a 100,000-digit box is compared by the grader, under its deadline
        return None
    fraction = re.fullmatch(r"\\[dt]?frac\{(-?\d+)\}\{(\d+)\}", tex)
    if fraction:
        return Fraction(int(fraction.group(1)), int(fraction.group(2)) or 1)
    tex = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", tex).rstrip(".")
    return Fraction(tex) if re.fullmatch(r"-?\d+(?:\.\d+)?", tex) else None


def other_labelled_answer(text: str, chosen: Sequence[BoxLike]) -> bool:
    """An answer the text labels as such, in a form the value rules do not read (a Roman numeral after "Answer:",
    a number tagged ``(\\text{answer})`` in a formula), that is not the value of the final box. A box whose value is
    not a plain number cannot be compared with it, so any such label fails it closed."""
    final = {_number(box.content or "") for box in chosen}
    blanked = text
    for box in chosen:  # the boxes themselves are not a second answer
        blanked = blanked[: box.start] + " " * (box.end - box.start) + blanked[box.end :]
    for match in ROMAN_ANSWER_RE.finditer(blanked):
        value = _roman(match.group(1))
        if value is not None and Fraction(value) not in final:
            return True
    return any(_number(match.group(1)) not in final for match in TAGGED_ANSWER_RE.finditer(blanked))


def repeated_labels(labels: Sequence[str]) -> bool:
    """Two values given for one variable (``x = 1``, ``x = 2``): roots of one unknown, never a point's coordinates."""
    return len(labels) > 1 and len(set(labels)) < len(labels)


def heading_before(text: str, start: int) -> str:
    """The line just above a box's line when that line holds nothing else ("**Final Answer**" over "$$\\boxed{25}$$")."""
    lines = text[max(0, start - 120) : start].split("\n")
    if len(lines) < 2 or re.search(r"\w", lines[-1].replace("$", "")):
        return ""
    return next((words_of(line) for line in reversed(lines[:-1]) if line.strip()), "")


def sentence_before(text: str, start: int) -> str:
    before = words_of(text[max(0, start - 200) : start])
    return re.split(r"[.!?。！？\n](?!\d)", before)[-1]
