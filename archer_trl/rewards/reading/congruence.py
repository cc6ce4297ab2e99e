"""A residue stated as a congruence around the final box: "$2^{100} \\equiv \\boxed{2} \\pmod{7}$" answers "What is the
remainder when $2^{100}$ is divided by 7?" (red-team round 43). Read as the box only with the question, for its own
expression and divisor (round 44: "\\pmod{4}" for "divided by 5" and "2^{50}" for "2^{100}" paid; round 45: an
expression the prompt names elsewhere, "$x \\equiv \\boxed{2}$" for the remainder of $x^2$, and a divisor from a side
note paid), with ``0 <= r < n`` and no relation but "=" and "\\equiv" in its chain ("$2^{100} = (2^3)^{33} \\cdot 2
\\equiv \\boxed{2} \\pmod{7}$"). What is read is blanked; anything else leaves the formula as it was (refused).
"""

from __future__ import annotations

import re

from .arithmetic import residue as residue_of
from .formulas import MATH_CLOSE_RE, formula_start

_SPACING = r"(?:\\[,;: ]|~|\\quad|\s)*"
# after the box, in its formula: "\pmod{7}", "\pmod 7", "(\bmod 7)", "(\mathrm{mod}\ 7)", "\mod 8", "\bmod{8}"
MODULUS_IN_FORMULA = re.compile(
    _SPACING
    + r"(?:\\pmod\s*\{?\s*(\d+)\s*\}?|\(\s*(?:\\bmod|\\mod|(?:\\text|\\mathrm|\\operatorname)\s*\{\s*mod\s*\})"
    + _SPACING
    + r"\{?\s*(\d+)\s*\}?\s*\)|\\b?mod\s*\{?\s*(\d+)\s*\}?)\s*[.,]?\s*"
)
# after the formula, in words: "$2^{100} \equiv \boxed{2}$ (mod 7)."
MODULUS_IN_WORDS = re.compile(r"[^\S\n]*\(\s*mod(?:ulo)?\s+(\d+)\s*\)")
# what the question asks the residue of: "the remainder when $2^{100}$ is divided by 7", "Find $3^{20} \pmod{7}$",
# "$5^{30}$ modulo 7"
ASKED = (
    re.compile(r"\bremainder\s+(?:when|if|of)\s+\$([^$]{1,80})\$\s+is\s+divided\s+by\s+\$?\s*(\d+)", re.IGNORECASE),
    re.compile(r"\$([^$]{1,80}?)\s*\\(?:pmod|bmod|mod)\s*\{?\s*(\d+)\s*\}?\s*\$"),
    re.compile(r"\$([^$]{1,80})\$\s*(?:\\?mod(?:ulo)?|\(mod)\s+\$?\s*(\d+)", re.IGNORECASE),
)
RESIDUE_LEAD = "\\text{r}"
NUMBER_WORDS = {word: n for n, word in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty"])}  # fmt: skip
DIVISOR = re.compile(
    r"\b(?:(?:divided|division|dividing)(?:\s+of\s+[^.?]{1,60}?)?\s+by|modulo|mod)\s+\$?\s*(\d+|"
    + "|".join(NUMBER_WORDS)
    + r")\b",
    re.I,
)
OTHER_RELATION = re.compile(r"[<>≤≥≠≈]|\\(?:[lg]eq?|neq?|approx|sim|pm|mp|boxed)(?![A-Za-z])")


def _plain(tex: str) -> str:
    return re.sub(r"\\left|\\right|\\[,;: !]|[\s{}$]", "", tex)


def residue_asked(question: str) -> tuple[set[str], int] | None:
    """(the expressions a chain may start from, the divisor) of the residue ``question`` asks for, as plain TeX; None
    if it asks no residue. "$E$ divided by n": E; "such that $n \\equiv -1111 \\pmod 9$": either side; "Solve $11n
    \\equiv 7 \\pmod{43}$": either side or its unknown, n (round 46)."""
    for pattern in ASKED:
        match = pattern.search(question)
        if match:
            return _sides(match.group(1)), int(match.group(2))
    # in other words ("the remainder of $2^{100}$ upon division by 7", "When $3^{2022}$ is divided by 5, what is the
    # remainder?", "divided by nine", 2^100 without $: round 47): any formula of the question
    divisor = DIVISOR.search(question)
    if divisor is None or not re.search(r"remainder|residue|\bmod(?:ulo)?\b|congruen", question, re.IGNORECASE):
        return None
    n = int(divisor.group(1)) if divisor.group(1).isdigit() else NUMBER_WORDS[divisor.group(1).lower()]
    formulas = [
        *re.findall(r"\$([^$]{1,80})\$", question),
        *re.findall(r"(?<![\w^$.,])\d+(?:\^\{?\d+\}?)?(?![\w.,])", question),
    ]
    expressions = (
        set().union(*(_sides(re.sub(r"\\[pb]?mod\s*\{?\s*\d+\s*\}?", "", f)) for f in formulas)) if formulas else set()
    )
    return (expressions, n) if expressions else None


def _sides(formula: str) -> set[str]:
    """The sides of ``formula`` as plain TeX, and the unknowns of its left side when it is a congruence to solve."""
    sides = [_plain(side) for side in re.split(r"\\equiv(?![A-Za-z])|≡|=", formula)]
    unknowns = set(re.findall(r"(?<![A-Za-z\\])[A-Za-z](?![A-Za-z])", sides[0])) if len(sides) > 1 else set()
    return {*sides, *unknowns} - {""}


def _false_congruence(text: str, n: int) -> bool:
    """Whether a congruence the answer states before the box is false modulo ``n`` ("$2^{100} \\equiv 3 \\pmod 7$,
    so ..." or "$2^{100} \\equiv 4$ or $2^{100} \\equiv \\boxed{2}$": round 47), where both sides are arithmetic."""
    for formula in re.findall(r"\$([^$]*(?:\\equiv|≡)[^$]*)\$", text.rpartition("</think>")[2]):
        own = re.search(r"\\[pb]?mod\s*\{?\s*(\d+)|\(\s*mod\s+(\d+)\s*\)", formula)
        if own and int(own.group(1) or own.group(2)) != n:
            continue  # another modulus: "$2^3 \\equiv 1 \\pmod{7}$" is about 7 only if n is 7
        bare = re.sub(r"\\[pb]?mod\s*\{?\s*\d+\s*\}?|\(\s*(?:\\?mod|\\mathrm\{mod\})[^()]*\)", "", formula)
        residues = {residue_of(part, n) for part in re.split(r"\\equiv(?![A-Za-z])|≡|=", bare)} - {None}
        if len(residues) > 1:
            return True
    return False


def without_licensed_congruence(text: str, box: int, end: int, question: str, prompt: str = "") -> str:
    """``text`` with the congruence around the box at ``box``..``end`` blanked when it states the residue the question
    asks for (see the module); a prompt without a question mark ("Solve the congruence ... (Give an answer between
    0 and 42.)") is read whole."""
    asked = residue_asked(question)
    if asked is None and not question.rstrip().endswith(("?", "？")):
        asked = residue_asked(prompt)
    start = formula_start(text, box)
    closer = MATH_CLOSE_RE.search(text, end)
    content = re.fullmatch(r"\\boxed\s*\{\s*(\d+)\s*\}", text[box:end])
    if asked is None or start is None or closer is None or content is None:
        return text
    after = closer.end()
    modulus = MODULUS_IN_FORMULA.fullmatch(text, end, closer.start())
    if modulus is None and not text[end : closer.start()].strip():
        modulus = MODULUS_IN_WORDS.match(text, after)
        after = modulus.end() if modulus else after
    chain = re.split(r"\\equiv(?![A-Za-z])|≡|=", text[start:box])
    if modulus is None or not re.search(r"\\equiv(?![A-Za-z])|≡", text[start:box]) or chain[-1].strip():
        return text
    if any(not part.strip() or OTHER_RELATION.search(part) for part in chain[:-1]):
        return text
    n, residue = int(next(group for group in modulus.groups() if group)), int(content.group(1))
    start_residue = residue_of(chain[0], n)  # "$8^{33} \\cdot 2 \\equiv$" starts from $2^{100}$ rewritten (round 47)
    known = (
        _plain(chain[0]) in asked[0]
        or start_residue is not None
        and any(residue_of(expression, n) == start_residue for expression in asked[0])
    )
    if not known or n != asked[1] or residue >= n:
        return text
    # every step of the chain that is arithmetic must hold ("$2^{100} \\equiv 4 \\equiv \\boxed{2}$": round 46)
    if any(residue_of(part, n) not in (None, residue) for part in chain[:-1]) or _false_congruence(text[:start], n):
        return text
    if MODULUS_IN_WORDS.match(text, after) or MODULUS_IN_FORMULA.match(text, after):
        return text  # a second modulus after the first: "\\pmod{7}$ (mod 5)"
    # a word in its place, as "$\\text{r} \\boxed{2}$": blanks alone would leave a number before the box ("$2^3
    # \\equiv 1 \\pmod 7$, $\\boxed{2}$" reads as a list), and "$1234 = \\boxed{1}$" is a false equation
    width = box - start
    lead = (
        RESIDUE_LEAD.ljust(width) if width >= len(RESIDUE_LEAD) else chain[0] + "=" + " " * (width - len(chain[0]) - 1)
    )
    blanked = text[:start] + lead + text[box:end] + " " * (closer.start() - end)
    if after > closer.end():  # the modulus in words after the formula
        return blanked + text[closer.start() : closer.end()] + " " * (after - closer.end()) + text[after:]
    return blanked + text[closer.start() :]
