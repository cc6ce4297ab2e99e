"""Other spellings of the same TeX, rewritten exactly before canonicalisation (`tex.canonical` calls `respell`).

Each rewrite is a notation that states one value unambiguously: TeX primitives (``a \\over b``, ``\\surd 2``,
``n \\choose k``), package macros (``\\sfrac``, ``\\nicefrac``, siunitx ``\\num``, ``\\SI``, ``\\qty``, ``\\ang``),
regional function names (``\\tg``, ``\\ctg``, ``\\arctg``, ``\\sen``), combination counts written ``C_n^k``,
``{}_nC_k``, arrangements ``A_n^k``, a repeating decimal written with an ellipsis after a repeated block
(``0.333\\ldots``), and a system's solution written one equation a line (``\\begin{cases} x = 1 \\\\ y = 2
\\end{cases}``). Nothing here guesses: a form with another reading is left for the parser to reject.
"""

from __future__ import annotations

import re

GROUP = r"\{((?:[^{}]|\{[^{}]*\})*)\}"
SIMPLE_ARGUMENT = r"(?:\{\s*([^{}]*?)\s*\}|(\d))"
FRACTION_MACRO = re.compile(r"\\(?:sfrac|nicefrac|flatfrac|xfrac)(?![A-Za-z])")
OVER = re.compile(r"\\(over|choose)(?![A-Za-z])")
SIUNITX_NUMBER = re.compile(r"\\num\s*(?:\[[^\]]*\])?\s*" + GROUP)
SIUNITX_QUANTITY = re.compile(r"\\(?:SI|qty)\s*(?:\[[^\]]*\])?\s*" + GROUP + r"\s*" + GROUP)
SIUNITX_ANGLE = re.compile(r"\\ang\s*(?:\[[^\]]*\])?\s*\{\s*([\d.]+)\s*\}")
REGIONAL = {
    "tg": "\\tan ",
    "ctg": "\\cot ",
    "cotg": "\\cot ",
    "arctg": "\\arctan ",
    "sen": "\\sin ",
    "cosec": "\\csc ",
}
REGIONAL_NAME = re.compile(
    r"\\(?:operatorname|text|mathrm)\s*\{\s*(tg|ctg|cotg|arctg|sen|cosec)\s*\}|\\(tg|ctg|cotg|arctg|sen|cosec)(?![A-Za-z])"
)
COMBINATION = re.compile(
    rf"(?<![A-Za-z\\])([CA])\s*(?:_\s*{SIMPLE_ARGUMENT}\s*\^\s*{SIMPLE_ARGUMENT}|\^\s*{SIMPLE_ARGUMENT}\s*_\s*{SIMPLE_ARGUMENT})"
)
PRESCRIPT = re.compile(r"\{\s*\}\s*_\s*(?:\{\s*(\d+)\s*\}|(\d))\s*([CP])\s*_\s*(?:\{\s*(\d+)\s*\}|(\d))")
ELLIPSIS = re.compile(r"(?<![\d.])(\d+)\.(\d+)\s*(?:\\(?:ldots|dots|cdots)(?![A-Za-z])|\.\.\.|…)\s*$")
SYSTEM = re.compile(
    r"^\s*\\begin\{(cases|aligned|array|matrix|gathered|split)\}(?:\{[^{}]*\})?(.*)\\end\{\1\}\s*$", re.S
)
ASSIGNMENT_LINE = re.compile(r"^\s*([A-Za-z](?:_\{?\d+\}?)?)\s*&?\s*=\s*&?\s*([^=&]+?)\s*$")


def respell(text: str) -> str:
    """``text`` with each notation of the module docstring rewritten as the TeX the parser reads."""
    text = FRACTION_MACRO.sub(r"\\frac", text)
    text = re.sub(r"\\surd(?![A-Za-z])", r"\\sqrt ", text)
    text = re.sub(r"\\(?:left|right)\s*\.", " ", text)  # \left. \right.: an invisible delimiter
    text = SIUNITX_NUMBER.sub(lambda m: m.group(1), text)
    text = SIUNITX_QUANTITY.sub(lambda m: f"{m.group(1)} \\text{{ {m.group(2)}}}", text)
    text = SIUNITX_ANGLE.sub(lambda m: f"{m.group(1)}^\\circ ", text)
    text = REGIONAL_NAME.sub(lambda m: REGIONAL[m.group(1) or m.group(2)], text)
    text = PRESCRIPT.sub(_prescript, text)
    text = COMBINATION.sub(_combination, text)
    text = _over(text)
    text = ELLIPSIS.sub(_repeating, text)
    return _system(text)


def _over(text: str) -> str:
    """``{a \\over b}`` -> ``{\\frac{a}{b}}``, ``{n \\choose k}`` -> ``{\\binom{n}{k}}``: one primitive in a brace group
    (or in the whole text), its two sides free of braces."""

    def group(match: re.Match) -> str:
        inner = match.group(1)
        parts = OVER.split(inner)
        if len(parts) != 3 or "{" in inner:
            return match.group(0)
        macro = "\\frac" if parts[1] == "over" else "\\binom"
        return f"{{{macro}{{{parts[0].strip()}}}{{{parts[2].strip()}}}}}"

    if not OVER.search(text):
        return text
    if "{" not in text:
        return group(re.match(r"(.*)", text, re.S))[1:-1]
    return re.sub(r"\{([^{}]*)\}", group, text)


def _prescript(match: re.Match) -> str:
    n, k = match.group(1) or match.group(2), match.group(4) or match.group(5)
    return _count("C" if match.group(3) == "C" else "A", n, k) or match.group(0)


def _combination(match: re.Match) -> str:
    """``C_5^2`` and ``C^2_5`` (n below, k above) -> ``\\binom{5}{2}``; ``A_5^2`` -> 5!/3!; only integers k <= n."""
    groups = match.groups()
    n, k = (
        (groups[1] or groups[2], groups[3] or groups[4])
        if groups[1] or groups[2]
        else (groups[7] or groups[8], groups[5] or groups[6])
    )
    return _count(match.group(1), n, k) or match.group(0)


def _count(kind: str, n: str | None, k: str | None) -> str | None:
    if not (n and k and n.isdigit() and k.isdigit()) or int(k) > int(n) or int(n) > 1000:
        return None
    return f"\\binom{{{n}}}{{{k}}}" if kind == "C" else f"\\frac{{{n}!}}{{{int(n) - int(k)}!}}"


def _repeating(match: re.Match) -> str:
    """``0.333\\ldots`` -> ``0.\\overline{3}``, ``0.1666...`` -> ``0.1\\overline{6}``, ``0.2727\\ldots`` ->
    ``0.\\overline{27}``: the digits end in a block written out again (a one-digit block three times, a longer one
    twice); ``0.5\\ldots`` or ``3.14\\ldots`` shows no block and is left alone (an ellipsis is then rejected)."""
    whole, digits = match.group(1), match.group(2)
    for size in range(1, 7):
        block = digits[-size:]
        times = 0
        while digits.endswith(block * (times + 1)) and len(block) == size:
            times += 1
        if times >= (3 if size == 1 else 2):
            fixed = digits[: len(digits) - times * size]
            return f"{whole}.{fixed}\\overline{{{block}}}"
    return match.group(0)


def _system(text: str) -> str:
    """A system's solution one equation a line (``cases``, ``aligned``, ``array``, or lines split by ``\\\\``), each
    line ``variable = value``: the same as those equations separated by commas."""
    match = SYSTEM.match(text)
    body = match.group(2) if match else text
    if "\\\\" not in body:
        return text
    lines = [line for line in body.split("\\\\") if line.strip()]
    pairs = [ASSIGNMENT_LINE.match(line) for line in lines]
    if len(lines) < 2 or not all(pairs) or len({p.group(1) for p in pairs}) != len(pairs):
        return text
    return ", ".join(f"{p.group(1)} = {p.group(2)}" for p in pairs)
