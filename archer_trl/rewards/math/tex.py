"""Canonical TeX for a final answer: Unicode spelled as TeX, formatting removed, spacing and delimiters dropped.

Everything here is meaning-preserving presentation: what is removed (``\\textbf``, ``\\displaystyle``, ``\\left``,
``\\hspace{1em}``, colours, ``$``) never carries mathematical content, and what is rewritten (``½``, ``²``, ``−``,
full-width digits) is spelled out exactly. Anything else is left in place for the typed parser (`parse.py`) to
understand or to reject; this module never guesses. Linear time except for brace matching, bounded by
`MAX_CHARS`.
"""

from __future__ import annotations

import re
import unicodedata

from ..reading.wording import DOUBT_AFTER_RE, UNSETTLING_RE, VERIFIED_RE
from .normalize import brace_tex_arguments
from .notation import respell

MAX_CHARS = 2000  # a final answer longer than this is not one the grader will try to understand

# Unicode that NFKC would mangle (``²`` -> ``2``, ``½`` -> ``1⁄2``) or does not know as math: spelled out first.
UNICODE_TEX = {
    "−": "-", "–": "-", "—": "-", "‒": "-", "﹣": "-", "－": "-", "×": "\\times ", "·": "\\cdot ", "⋅": "\\cdot ",
    "∙": "\\cdot ", "÷": "\\div ", "±": "\\pm ", "∓": "\\mp ", "∞": "\\infty ", "π": "\\pi ", "θ": "\\theta ",
    "α": "\\alpha ", "β": "\\beta ", "γ": "\\gamma ", "φ": "\\phi ", "ω": "\\omega ", "≤": "\\le ", "≥": "\\ge ",
    "≠": "\\ne ", "≈": "\\approx ", "∈": "\\in ", "∪": "\\cup ", "∩": "\\cap ", "∅": "\\emptyset ", "√": "\\sqrt ",
    "°": "^\\circ ", "∘": "^\\circ ", "′": "'", "″": "''", "⟨": "(", "⟩": ")", "⁄": "/", "∕": "/", "，": ",", "：": ":",
    "（": "(", "）": ")", "【": "[", "】": "]", "。": ".", "％": "\\%", "ℝ": "\\mathbb{R}", "→": "\\to ",
    "⇒": "\\Rightarrow ", "∴": "\\therefore ", "…": "\\ldots ", "ⅈ": "i", "ⅇ": "e", "\u00a0": " ", "\u2009": " ",
    "\u202f": " ", "\u2002": " ", "\u2003": " ", "\u200b": "", "∛": "\\sqrt[3]", "∜": "\\sqrt[4]",
    "‰": "\\permille ", "‐": "-", "‑": "-", "⩽": "\\le ", "⩾": "\\ge ", "≦": "\\le ", "≧": "\\ge ", "℃": "^\\circ C",
    "℉": "^\\circ F", "º": "^\\circ ", "Ø": "\\emptyset ",
}  # fmt: skip
CURRENCIES = {"€": "EUR", "£": "GBP", "₹": "INR", "¥": "JPY", "₩": "KRW"}  # each a dimension of its own (units.py)
VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅖": (2, 5), "⅗": (3, 5),
          "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8)}  # fmt: skip
SUPERSCRIPT = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿ", "0123456789-+n"))
SUBSCRIPT = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
SUPERSCRIPT_RUN = re.compile("[" + "".join(SUPERSCRIPT) + "]+")
SUBSCRIPT_RUN = re.compile("[" + "".join(SUBSCRIPT) + "]+")
MATH_ALPHANUMERIC = re.compile("[\U0001d400-\U0001d7ff]")
VULGAR_RUN = re.compile(r"(\d*)\s*([" + "".join(VULGAR) + "])")

# Formatting: a macro whose argument is kept as it is, one dropped with its argument(s), one dropped alone.
KEEP_ARGUMENT = ("textbf", "mathbf", "boldsymbol", "bm", "mathit", "textit", "emph", "underline", "mathrm", "textrm",
                 "mathsf", "textsf", "mathtt", "texttt", "textup", "mathnormal", "displaystyle", "boxed", "fbox",
                 "framebox", "mbox", "hbox", "text", "textnormal", "ensuremath", "mathbin", "mathrel", "mathord",
                 "mathop", "operatorname", "overbrace", "underbrace", "smash", "pmb")  # fmt: skip
# \text and \mbox are kept as markers: parse.py reads their words (units, choices, prose) and rejects the rest.
TEXT_MACROS = ("text", "mbox", "hbox", "textrm", "textnormal", "textup", "mathrm", "operatorname", "textit", "textsf")
DROP_WITH_ARGUMENT = {"hspace": 1, "vspace": 1, "hspace*": 1, "vspace*": 1, "color": 1, "phantom": 1, "hphantom": 1,
                      "vphantom": 1, "kern": 0, "mspace": 1, "hskip": 0}  # fmt: skip
DROP_ALONE = ("displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", "Large", "LARGE", "large", "huge",
              "Huge", "small", "normalsize", "footnotesize", "tiny", "bf", "it", "rm", "sf", "tt", "boldmath",
              "limits", "nolimits", "left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl",
              "Biggr", "big", "Big", "bigg", "Bigg", "middle", "quad", "qquad", "enspace", "thinspace", "medspace",
              "thickspace", "negthinspace", "nonumber", "notag", "relax", "noindent", "strut", "cdotp", "mathstrut")  # fmt: skip
SPACING = re.compile(r"(?<!\\)\\[,;:! ]|~|\\(?:quad|qquad|enspace|thinspace)(?![A-Za-z])")
# a whole run of thousands groups: "10,100" inside "1,10,100" is two items of a list written without spaces
COMMA_GROUP = re.compile(r"(?<![\d.])(?<!\d,)\d{1,3}(?:,\d{3})+(?!\d|,\d)")
DIGIT_GROUP = re.compile(r"(?<![\d.])(\d{1,3})((?:(?:\{,\}|\\,|\\;|\\:|\\ |~| |\\thinspace ?)\d{3})+)(?![\d])")
GROUP_SEPARATOR = re.compile(r"\{,\}|,|\\,|\\;|\\:|\\ |~| |\\thinspace ?")
DOLLAR = re.compile(r"(?<!\\)\$")
WRAPPER = re.compile(r"\\([A-Za-z]+\*?)\s*")
TEMPERATURE = re.compile(r"\^\s*\{?\s*\\circ\s*\}?\s*(?:\\(?:text|mathrm)\s*\{\s*)?([CFK])(?![A-Za-z])\s*\}?")
UPRIGHT_CONSTANT = re.compile(r"\\(?:mathrm|text|textrm|operatorname|mathit)\s*\{\s*([ie])\s*\}")
OPERATOR_NAME = re.compile(r"\\operatorname\s*\{\s*(sin|cos|tan|cot|sec|csc|log|ln|exp|arcsin|arccos|arctan)\s*\}")
ROOT_OF = re.compile(r"\\root\s*\{?\s*(\d+)\s*\}?\s*\\of\s*")
COMMENT = re.compile(r"(?<!\\)%(?=[^\n]*[A-Za-z])[^\n]*")


def _benign(comment: str) -> bool:
    """A comment that only says the answer was checked (``% checked twice``); any other is read as doubt."""
    return (
        bool(VERIFIED_RE.search(comment)) and not UNSETTLING_RE.search(comment) and not DOUBT_AFTER_RE.search(comment)
    )


def _percent_or_comment(text: str) -> str:
    """An unescaped ``%``: a TeX comment when words follow it (``5 % checked twice``), else a percent sign. A
    comment that doubts the answer (``6 % or maybe 7``) becomes ``\\doubt``, a macro no parser knows, so the answer
    fails closed."""
    text = COMMENT.sub(lambda m: " " if _benign(m.group(0)[1:]) else " \\doubt ", text)
    return re.sub(r"(?<!\\)%", r"\\%", text)


def canonical(text: str) -> str:
    """The answer in canonical TeX (see the module docstring); the input unchanged if it is too long."""
    if len(text) > MAX_CHARS:
        return text
    text = unicode_to_tex(text)
    text = _percent_or_comment(text)
    text = respell(text)
    text = DOLLAR.sub(" ", text).replace("\\(", " ").replace("\\)", " ").replace("\\[", " ").replace("\\]", " ")
    text = re.sub(r"\\(?:d|t|c)frac(?![A-Za-z])", r"\\frac", text)
    text = re.sub(r"\\(?:d|t)binom(?![A-Za-z])", r"\\binom", text)
    text = re.sub(r"\\(?:le|leq|leqslant)(?![A-Za-z])", r"\\le ", text)
    text = re.sub(r"\\(?:ge|geq|geqslant)(?![A-Za-z])", r"\\ge ", text)
    text = re.sub(r"\\(?:ne|neq)(?![A-Za-z])", r"\\ne ", text)
    text = re.sub(r"\\(?:lt)(?![A-Za-z])", "<", text)
    text = re.sub(r"\\(?:gt)(?![A-Za-z])", ">", text)
    text = text.replace("\\{", "\\lbrace ").replace("\\}", "\\rbrace ")
    text = strip_formatting(text)
    text = text.replace("\\lbrace ", "\\{").replace("\\rbrace ", "\\}")
    text = re.sub(r"\\lbrace(?![A-Za-z])", r"\\{", re.sub(r"\\rbrace(?![A-Za-z])", r"\\}", text))
    text = re.sub(r"\\(?:dots|ldots|cdots)(?![A-Za-z])", r"\\ldots ", text)
    text = re.sub(r"\\(?:varnothing)(?![A-Za-z])", r"\\emptyset ", text)
    text = re.sub(r"\\(?:mid|vert)(?![A-Za-z])", "|", text)
    text = re.sub(r"\\langle(?![A-Za-z])", "(", re.sub(r"\\rangle(?![A-Za-z])", ")", text))
    text = re.sub(r"\\(?:degree|textdegree)(?![A-Za-z])", "^\\\\circ ", text)
    text = re.sub(r"(\d)\s*\^\s*(?:\{\s*o\s*\}|o(?![A-Za-z]))", r"\1^\\circ ", text)  # 45^{o}: a degree sign
    text = TEMPERATURE.sub(lambda m: "\\text{ deg" + m.group(1) + "}", text)
    text = UPRIGHT_CONSTANT.sub(r"\1", text)
    text = OPERATOR_NAME.sub(r"\\\1 ", text)  # \operatorname{sin} is \sin
    text = re.sub(r"\\log\s*_\s*\{?\s*e\s*\}?(?![A-Za-z])", r"\\ln ", text)  # \log_e is \ln
    text = ROOT_OF.sub(r"\\sqrt[\1]", text)
    text = re.sub(r"(\d)\{,\}(\d{1,2}|\d{4,})(?!\d)", r"\1.\2", text)  # 3{,}14: TeX's decimal comma
    text = DIGIT_GROUP.sub(lambda m: m.group(1) + GROUP_SEPARATOR.sub("", m.group(2)), text)
    if not re.search(r"[(\[]|\\\{", text):  # "1,000" groups digits; in "[1,100]" the comma separates
        text = COMMA_GROUP.sub(lambda m: m.group(0).replace(",", ""), text)
    text = re.sub(r"(?<!\\)\\!", "", text)  # a negative thin space joins ("5\\!0" is 50)
    text = SPACING.sub(" ", text)
    text = brace_tex_arguments(text)
    return re.sub(r"\s+", " ", text).strip()


def unicode_to_tex(text: str) -> str:
    """Math Unicode as TeX: ``½`` -> ``\\frac{1}{2}`` (``2½`` a mixed number), ``x²`` -> ``x^{2}``, ``H₂`` -> ``H_{2}``,
    minus signs and dashes -> ``-``, full-width forms by NFKC."""
    if text.isascii():
        return text
    # a currency sign before or after the amount, as the unit pint reads ("€45", "45 €", "₹250")
    text = re.sub(r"([€£₹¥₩])\s*(\d[\d.,]*)", lambda m: f"{m.group(2)}\\text{{ {CURRENCIES[m.group(1)]}}}", text)
    text = re.sub(r"(\d[\d.,]*)\s*([€£₹¥₩])", lambda m: f"{m.group(1)}\\text{{ {CURRENCIES[m.group(2)]}}}", text)
    text = re.sub(r"√\s*\(([^()]*)\)", r"\\sqrt{\1}", text)
    text = re.sub(r"√\s*(\d+|[A-Za-z])", r"\\sqrt{\1}", text)
    text = VULGAR_RUN.sub(_vulgar, text)
    text = SUPERSCRIPT_RUN.sub(lambda m: "^{" + "".join(SUPERSCRIPT[c] for c in m.group(0)) + "}", text)
    text = SUBSCRIPT_RUN.sub(lambda m: "_{" + "".join(SUBSCRIPT[c] for c in m.group(0)) + "}", text)
    text = MATH_ALPHANUMERIC.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)  # 𝜋 is π, 𝑥 is x
    text = "".join(UNICODE_TEX.get(char, char) for char in text)
    return unicodedata.normalize("NFKC", text)


def _vulgar(match: re.Match) -> str:
    numerator, denominator = VULGAR[match.group(2)]
    if match.group(1):  # 2½: a mixed number
        numerator += int(match.group(1)) * denominator
    return f"\\frac{{{numerator}}}{{{denominator}}}"


def strip_formatting(text: str) -> str:
    """Remove presentation macros (see the tables above) and brace-only groups around them, keeping contents;
    ``{\\bf 5}`` -> ``5``, ``\\textcolor{red}{5}`` -> ``5``, ``\\hspace{1em}`` -> nothing. ``\\text``-like macros
    are kept, with their content, for the parser."""
    out: list[str] = []
    position = 0
    while position < len(text):
        match = WRAPPER.match(text, position) if text[position] == "\\" else None
        if match is None:
            out.append(text[position])
            position += 1
            continue
        name = match.group(1)
        end = match.end()
        if name in ("textcolor", "colorbox"):  # \textcolor{red}{5}: drop the colour, keep the content
            end = _skip_group(text, end)
            out.append(" ")
        elif name in DROP_WITH_ARGUMENT:
            for _ in range(DROP_WITH_ARGUMENT[name] or 1):
                end = _skip_group(text, end) if DROP_WITH_ARGUMENT[name] else _skip_dimension(text, end)
            out.append(" ")
        elif name in DROP_ALONE:
            out.append(" ")
        elif name in KEEP_ARGUMENT and name not in TEXT_MACROS:
            out.append(" ")  # the argument's braces stay: a group is harmless to the parser
        else:
            out.append(text[position : match.end(1)])  # another macro: kept, with what follows it
            end = match.end(1)
        position = end
    return "".join(out)


def _skip_group(text: str, position: int) -> int:
    """The index after the brace group (or single token) starting at ``position`` (spaces skipped)."""
    while position < len(text) and text[position].isspace():
        position += 1
    if position >= len(text):
        return position
    if text[position] != "{":
        return position + 1
    depth = 0
    for index in range(position, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return index + 1
    return len(text)


def _skip_dimension(text: str, position: int) -> int:
    match = re.compile(r"\s*-?[\d.]+\s*(?:em|ex|pt|mu|cm|mm|in)").match(text, position)
    return match.end() if match else position


def unwrap_groups(text: str) -> str:
    """Drop braces that group nothing: ``{{5}}`` -> ``5``, ``{x+1}`` alone -> ``x+1`` (only around the whole)."""
    text = text.strip()
    while text.startswith("{") and _skip_group(text, 0) == len(text):
        text = text[1:-1].strip()
    return text
