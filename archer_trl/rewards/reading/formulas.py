"""Formulas around a box: whether a box sits inside a ``$...$`` / ``\\(...\\)`` / ``\\[...\\]`` formula, and whether
what stands around it there (a lead ending in "=", a unit after it) leaves the box the answer."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import NamedTuple

from .arithmetic import approximate, chain_holds


class Span(NamedTuple):
    start: int
    end: int


# A formula around the final box: only a lead ending in "=" may stand before it and only a unit after it
MATH_ENVIRONMENTS = r"(?:align|equation|gather|multline|displaymath|eqnarray|math|flalign|alignat)\*?"
MATH_DELIMITER_RE = re.compile(r"\\\$|\$\$|\$|\\\(|\\\)|\\\[|\\\]|\\(?:begin|end)\s*\{" + MATH_ENVIRONMENTS + r"\}")
MATH_CLOSE_RE = re.compile(r"(?<!\\)\$|\\\)|\\\]|\\\\|\\end\s*\{" + MATH_ENVIRONMENTS + r"\}")
MATH_LEAD_RE = re.compile(
    r"\s*(?:(?:[A-Za-z]|\\[A-Za-z]+)(?:_\{?\w+\}?)?(?:\([\w, ]*\))?\s*=\s*|\\text\{(?=[^{}]*[A-Za-z])[^{}\-\u2010-\u2015\u2212]*\}?\s*)?"
)
# The sign or unit a box's formula may go on with, which joins the answer: "\\boxed{5}\\%", "\\boxed{5}^{\\circ}\\text{C}",
# "\\boxed{5}\\,\\text{cm}"
UNIT_TEX = r"\\(?:text|mathrm|textrm|mbox|operatorname)\s*\{[^{}$]{1,30}\}(?:\s*\^\s*\{?\s*-?\d\s*\}?)?"  # cm^2
SUFFIX = (
    r"(?:\\[,;: ]|~)?\s*(?:\\%|\^\s*\{?\s*\\circ\s*\}?(?:\s*(?:"
    + UNIT_TEX
    + r"|[CFK](?![A-Za-z])))?|"
    + UNIT_TEX
    + r")"
)
MATH_TAIL_RE = re.compile(
    r"\s*(?:" + SUFFIX + r"|\\quad|\\,)?\s*[.,;]?\s*\}?\s*(?:\\(?:tag|label)\*?\{[^{}]*\}\s*|\\no(?:number|tag)\s*)*"
)


def formula_start(text: str, position: int) -> int | None:
    """Where the formula that ``position`` sits in starts (just after its ``$``, ``$$``, ``\\(`` or ``\\[``), None
    outside any formula: delimiters are paired from the start of the text, so the closing ``$`` of an earlier
    formula is never taken for an opening one."""
    state, start = None, None
    for match in MATH_DELIMITER_RE.finditer(text, 0, position):
        token = match.group()
        if token.startswith("\\$"):
            continue
        if token.startswith("\\begin"):  # \\begin{align} ... \\end{align}: a display formula
            token, closer = "\\begin", "\\end"
        else:
            closer = {"\\(": "\\)", "\\[": "\\]", "$": "$", "$$": "$$"}.get(token)
        if state is None and closer is not None:
            state, start = closer, match.end()
        elif token.startswith(state or "\x00"):
            state, start = None, None
    return start


def inside_formula(text: str, box: Span) -> bool:
    """Whether the box sits inside a formula with more than a lead ending in "=" before it or a unit after it: in
    "$x = -\\boxed{5}$", "$\\sqrt{\\boxed{25}}$", "$(6, \\boxed{5})$", "$6 = \\boxed{5}$" or "$\\boxed{5}!$" the box
    is not the answer; in "$x + y = \\boxed{5}$" or "$\\angle ABC = \\boxed{30^\\circ}$" it is."""
    start = formula_start(text, box.start)
    if start is None:  # "48 + 48 = \\boxed{72}" in words (round 48): its arithmetic is checked all the same
        plain = re.search(
            r"(?:[\d.,+\-*/×÷() ]|\\times|\\div|\\cdot)+=\s*\Z", text[max(0, box.start - 200) : box.start]
        )
        return plain is not None and false_arithmetic(plain.group(), _box_content(text, box))
    inner_before = text[start : box.start]
    # "$48 + 48$ = $\\boxed{72}$", "$17 + 15 =$ $\\boxed{42}$"
    earlier = re.search(r"\$([^$]{1,200}?)\s*(?:=\s*\$|\$\s*=)\s*\$\s*\Z", text[:start])
    if earlier and not inner_before.strip() and false_arithmetic(earlier.group(1) + "=", _box_content(text, box)):
        return True
    closer = MATH_CLOSE_RE.search(text, box.end)
    inner_after = text[box.end : closer.start()] if closer else ""
    content = _box_content(text, box) + ("%" if re.match(r"\s*\\%", inner_after) else "")  # "= \\boxed{25}\\%"
    # a currency sign before the box ("$\\$\\boxed{1157.63}$") and a formula that opens with "=" after a word ("Speed
    # $= 120/2 = \\boxed{60}$") lead the box as plain leads do (round 47)
    inner_before = re.sub(r"^\s*=|\\\$\s*$", " ", inner_before)
    if formula_lead(inner_before, content) and false_arithmetic(inner_before, content):
        return True  # "$48 + 48 = \\boxed{72}$" (round 47)
    return not (formula_lead(inner_before, content) and MATH_TAIL_RE.fullmatch(inner_after))


def false_arithmetic(lead: str, content: str) -> bool:
    """Whether an expression of the box's chain that is plain arithmetic takes another value than the box, beyond
    the box's own precision (a chain that rounds, "$4\\pi = \\boxed{12.6}$", holds)."""
    box = _exact_value(content)
    if box is None:  # a fraction or a radical in the box ("\\frac{3}{4}", "2\\sqrt{5}": round 48) to its own value
        approximation = approximate(content)
        if approximation is None:
            return False
        box, slack = Fraction(approximation), Fraction(abs(approximation)) / 10**9
    else:
        decimals = re.search(r"\.(\d+)", content)
        slack = Fraction(1, 2 * 10 ** len(decimals.group(1) if decimals else "")) / (100 if "%" in content else 1)
    # the chain's links hold among themselves (a run-on calculation goes on from its value), and the last equals the box
    links = re.split(r"=", lead)[:-1]
    if not chain_holds(links):
        return True
    value = approximate(links[-1]) if links else None
    return value is not None and abs(Fraction(value) - box) > slack + Fraction(1, 10**9)


def _box_content(text: str, box: Span) -> str:
    opening = text.find("{", box.start, box.end)
    return text[opening + 1 : box.end - 1] if opening >= 0 else ""


def _exact_value(written: str) -> Fraction | None:
    """A plain decimal or a percent (``0.25``, ``25\\%``) as an exact number, else None."""
    match = re.fullmatch(r"\s*([+-]?\d+(?:\.\d+)?)\s*(\\?%)?\s*", written)
    if match is None:
        return None
    return Fraction(match.group(1)) / (100 if match.group(2) else 1)


def formula_lead(lead: str, content: str = "") -> bool:
    """What may stand before a box in its formula: nothing, a ``\\text{...}`` lead-in, or a chain of expressions
    joined by "=" whose last one is not a bare number (``A = 3 \\times 4 = \\boxed{12}``; not ``x = 6 =
    \\boxed{5}``) unless that number is the box's own value written another way (``0.25 = \\boxed{25\\%}``,
    round 43), with no other relation."""
    if MATH_LEAD_RE.fullmatch(lead):
        return True
    # a relation inside a subscript or an event names the quantity: \\lim_{x \\to 0}, \\min_{x>0}, P(X \\ge 1)
    lead = re.sub(r"_\s*\{[^{}]*\}|\b(?:P|Pr)\s*\([^()]*\)|\\(?:Pr|mathbb\s*\{?\s*P\s*\}?)\s*\([^()]*\)", " Q ", lead)
    match = re.fullmatch(r"\s*(?:\\therefore\s*)?((?:[^=<>]+?=)*)\s*([^=<>]+?)\s*&?=\s*", lead)
    if match is None:
        return False
    if re.fullmatch(r"\s*[+-]?\d+(?:\.\d+)?\s*&?\s*", match.group(2)):
        value = _exact_value(match.group(2).replace("&", ""))
        if value is None or value != _exact_value(content):
            return False
    return not re.search(
        r"\\(?:[lg]eq?|neq?|approx|sim|to|in|subset\w*|boxed|pm|mp)(?![A-Za-z])|[≤≥≠≈]", match.group(0)
    )


def math_suffix(text: str, box: Span) -> str:
    """A percent or degree sign or a unit right after the box in its formula, or a Unicode degree or percent sign
    right after a box outside any ("" when there is none)."""
    closer = MATH_CLOSE_RE.search(text, box.end)
    if formula_start(text, box.start) is None:
        match = re.match(r"[°%]", text[box.end : box.end + 1])
        return match.group() if match else ""
    if closer is None:
        return ""
    match = re.match(r"\s*(" + SUFFIX + r")", text[box.end : closer.start()])
    return match.group(1) if match else ""


def suffix_end(text: str, box: Span) -> int:
    """Where the box's percent or degree sign ends (the box's end when it has none)."""
    suffix = math_suffix(text, box)
    return text.index(suffix, box.end) + len(suffix) if suffix else box.end
