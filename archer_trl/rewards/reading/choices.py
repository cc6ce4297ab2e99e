"""Multiple-choice answers: a boxed letter the text does not commit to (red-team round 20). A letter box is the
answer only when no other letter is offered beside it ("C or D", "(C) works, (D) works", "D is equally good"), and a
box holding a letter and a value (``(A)\\ 12``) only when the options the text lists give that letter that value."""

from __future__ import annotations

import re

LETTER = r"(?<![\w$\\])\(?\s*([A-J])\s*\)?(?![\w$])"
# two letters offered together: "C or D", "(C)/(D)", "either (C) or (D)", "C and D both work", "Both (B) and (C)"
LETTER_PAIR_RE = re.compile(LETTER + r"\s*(?:,?\s*or|/|,)\s*" + LETTER)
BOTH_LETTERS_RE = re.compile(
    r"\b(?i:both)\s+" + LETTER + r"\s*(?:and|&)\s*" + LETTER + "|" + LETTER + r"\s*(?:and|&)\s*" + LETTER
    + r"\s+(?i:both|each|all|are\s+(?:both\s+|equally\s+|all\s+)?(?:correct|right|valid|true|possible|fine|good|acceptable"
    r"|plausible|defensible|reasonable))"
    + "|" + LETTER + r"\s*(?:和|与|及|或|、)\s*" + LETTER + r"\s*(?:都|均|皆|也)"
)  # fmt: skip
# a letter said to be right: "(D) is correct", "D works", "D is equally good", "D is also valid"
LETTER_RIGHT_RE = re.compile(
    LETTER + r"\s*(?:is|are|'s)?\s*(?:also\s+|equally\s+)?(?:correct|right|valid|true|good|fine|acceptable|works?"
    r"|satisfies|holds|fits|the\s+(?:correct\s+)?answer)\b"
)
NEGATED_BEFORE_RE = re.compile(r"\b(?:not|neither|nor|only|never|n't)\W*\Z", re.I)
# a listed option: "(A) 13", "(A) $13$", "A. 13", "A) 13", "A: 13", "\\textbf{(A)}\\ 13"
OPTION_RE = re.compile(
    r"(?<![\w$\\])(?:\\text(?:bf)?\{)?(?:\(([A-J])\)|(?<!\()([A-J])[.):])\}?(?:\\[ ,;:]|~|\\quad|\s)*\$?\s*"
    r"([-+]?\d+(?:\.\d+)?(?:/\d+)?)(?![\d.])"
)
LETTER_VALUE_RE = re.compile(
    r"\s*(?:\\text(?:bf)?\{)?\(?\s*([A-J])\s*\)?\}?\s*(?:\\[ ,;:]|~|\\quad|\s)*\$?\s*([-+]?\d+(?:\.\d+)?(?:/\d+)?)\s*"
)


def choice_conflict(words: str, final: str) -> bool:
    """Whether the text offers another letter beside a boxed one, or lists the boxed letter with another value."""
    with_value = LETTER_VALUE_RE.fullmatch(final)
    if with_value is not None:
        listed = {value for paren, bare, value in OPTION_RE.findall(words) if with_value.group(1) in (paren, bare)}
        return bool(listed) and with_value.group(2) not in listed
    letter = re.fullmatch(r"\s*\(?\s*(?:\\text(?:bf)?\{)?\s*\(?([A-J])\)?\s*\}?\s*\)?\s*", final)
    if letter is None:
        return False
    boxed = letter.group(1)
    for sentence in re.split(r"(?<=[.!?。！？])\s+|\n+", words):
        if "boxed" in sentence:
            sentence = sentence[: sentence.index("boxed")]
        for match in [*LETTER_PAIR_RE.finditer(sentence), *BOTH_LETTERS_RE.finditer(sentence)]:
            letters = {group for group in match.groups() if group}
            if boxed in letters and len(letters) > 1:
                return True
        for match in LETTER_RIGHT_RE.finditer(sentence):
            if match.group(1) != boxed and not NEGATED_BEFORE_RE.search(sentence[: match.start()]):
                return True
    return False
