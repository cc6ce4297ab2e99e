"""Multiple-choice letters (A-J): ``C``, ``(C)``, ``C)``, ``(\\text{C})``, ``\\text{Option C}``, ``\\textbf{(C)}\\ 12``.

A choice is one letter A-E, written alone, in parentheses, or after "option"/"choice"/"answer", optionally followed
by the option's value. Two letters (``(C) \\text{ or } D``, ``(C)/D``, ``(C), D``) are two candidates: no choice
at all, so the answer fails closed.
"""

from __future__ import annotations

import re
from typing import NamedTuple

TEXT_WRAPPER = re.compile(
    r"\\(?:text|mbox|hbox|textrm|mathrm|textnormal|textup|textit|textsf|operatorname|textbf|mathbf|bf|boldsymbol)(?![A-Za-z])\s*"
)
WRAPPED = re.compile(TEXT_WRAPPER.pattern + r"\{([^{}]*)\}")
LEAD = re.compile(r"^\s*(?:(?:option|choice|answer)\s*:?\s*)?", re.IGNORECASE)
PARENTHESISED = re.compile(r"^\(\s*([A-Ja-j])\s*\)\s*(.*)$", re.DOTALL)  # "(b)" in a box is option B
HALF_PARENTHESISED = re.compile(r"^([A-J])\s*[).:]\s*(.*)$", re.DOTALL)
ALONE = re.compile(r"^([A-J])$")
NAMED = re.compile(r"^(?:option|choice)\s*:?\s*([A-J])\s*[).:]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
SECOND_LETTER = re.compile(r"(?<![A-Za-z\\])[A-J](?![A-Za-z])|\(\s*[A-Za-z]\s*\)")  # "D", "(F)", "(d)"


class Choice(NamedTuple):
    letter: str
    rest: str  # the option's value as written after the letter ("" when none), still TeX


def flatten(text: str) -> str:
    """Text wrappers and the braces around a letter removed, spacing collapsed: ``{(C)} 12`` -> ``(C) 12``,
    ``\\textbf{(C)}\\ \\frac{12}{5}`` -> ``(C) \\frac{12}{5}`` (the option's value keeps its own braces)."""
    for _ in range(3):  # \\textbf{\\text{(C)}}
        text = WRAPPED.sub(r" \1 ", text)
    text = re.sub(
        r"\{\s*(?:\\(?:bf|rm|it|sf)(?![A-Za-z]))?\s*(\(?\s*[A-J]\s*\)?[.:]?)\s*\}", r" \1 ", text
    )  # {(C)}, {\\bf C}
    text = re.sub(r"\\[,;:! ]|~|\\q?quad(?![A-Za-z])", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_choice(text: str, gold: bool = False) -> Choice | None:
    """The choice ``text`` states (see the module docstring), or None. A bare letter followed by more text
    (``A = 5``, ``B^2``) is no choice; a parenthesised letter is, whatever follows it, unless that holds another
    letter (a second candidate). A ``gold`` may write its option as "B. 12" (an answer may not: a sentence)."""
    flat = flatten(text)
    named = NAMED.match(flat)
    if named:
        letter, rest = named.group(1).upper(), named.group(2)
    else:
        flat = LEAD.sub("", flat) if re.match(r"^\s*answer\s*:", flat, re.IGNORECASE) else flat
        match = PARENTHESISED.match(flat) or HALF_PARENTHESISED.match(flat) or ALONE.match(flat)
        if match is None:
            return None
        letter, rest = match.group(1).upper(), (match.group(2) if match.re is not ALONE else "")
        if match.re is HALF_PARENTHESISED and (match.group(0)[1:2] == "." and rest) and not gold:
            return None  # "A. 5" reads as a sentence too often; "A)" and "A: 5" do not
    if SECOND_LETTER.search(rest):
        return None  # another option letter after the first: two candidates ("(C)/D", "(A) B C D E")
    return Choice(letter, rest.strip())


# a multi-select answer: two or more distinct option letters, written together or separated ("ACD", "A, C, D",
# "A and C", "A、C"); compared as a set of letters against a gold of the same shape
OPTION_SET = re.compile(r"\(?[A-J]\)?(?:\s*(?:,|，|、|;|\band\b|&|\s)?\s*\(?[A-J]\)?)+")


def option_set(text: str | None) -> frozenset[str] | None:
    """The letters of a multi-select answer (see `OPTION_SET`), or None for anything else (one letter is a choice)."""
    if text is None:
        return None
    flat = (
        LEAD.sub("", flatten(text))
        if re.match(r"^\s*(?:option|choice|answer)s?\s*:", flatten(text), re.I)
        else flatten(text)
    )
    flat = flat.strip().rstrip(".")
    if not OPTION_SET.fullmatch(flat):
        return None
    letters = re.findall(r"[A-J]", flat)
    return frozenset(letters) if len(letters) == len(set(letters)) > 1 else None
