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
# options are refused, not dropped: round-mode and round-precision change the number printed (round 30 paid
# \num[round-mode=places,round-precision=0]{2.6}, which prints 3, for 2.6)
SIUNITX_NUMBER = re.compile(r"\\num\s*" + GROUP)
SIUNITX_QUANTITY = re.compile(r"\\(?:SI|qty)\s*" + GROUP + r"\s*" + GROUP)
SIUNITX_ANGLE = re.compile(r"\\ang\s*\{\s*([\d.]+)\s*\}")
# siunitx's unit macros, as the symbols pint reads: \metre\per\second\squared is m/s^2, \kilo\gram kg
SI_PREFIXES = {"yocto": "y", "zepto": "z", "atto": "a", "femto": "f", "pico": "p", "nano": "n", "micro": "µ",
               "milli": "m", "centi": "c", "deci": "d", "deca": "da", "deka": "da", "hecto": "h", "kilo": "k",
               "mega": "M", "giga": "G", "tera": "T", "peta": "P"}  # fmt: skip
SI_UNITS = {"metre": "m", "meter": "m", "gram": "g", "kilogram": "kg", "second": "s", "ampere": "A", "kelvin": "K",
            "mole": "mol", "candela": "cd", "hertz": "Hz", "newton": "N", "pascal": "Pa", "joule": "J", "watt": "W",
            "coulomb": "C", "volt": "V", "farad": "F", "ohm": "Ω", "siemens": "S", "weber": "Wb", "tesla": "T",
            "henry": "H", "litre": "L", "liter": "L", "minute": "min", "hour": "h", "day": "d", "electronvolt": "eV",
            "tonne": "t", "bar": "bar", "angstrom": "Å", "degreeCelsius": "degC", "becquerel": "Bq", "gray": "Gy",
            "lumen": "lm", "lux": "lx", "percent": "%"}  # fmt: skip
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


# round 30: more spellings of one value, each rewritten to the form the parser reads
SPELLINGS = [
    # matrix environments of other packages and sizes: smallmatrix, pmatrix* with its column alignment
    (re.compile(r"\\left\s*\(\s*\\begin\{smallmatrix\}(.*?)\\end\{smallmatrix\}\s*\\right\s*\)", re.S),
     r"\\begin{pmatrix}\1\\end{pmatrix}"),
    (re.compile(r"\\begin\{([pbBvV]?)(?:small)?matrix\*?\}(?:\s*\[[lcr]\])?"), r"\\begin{\1matrix}"),
    (re.compile(r"\\end\{([pbBvV]?)(?:small)?matrix\*?\}"), r"\\end{\1matrix}"),
    (re.compile(r"\^\s*\{?\s*(?:\\(?:mathsf|mathrm|textsf|text)\s*\{\s*T\s*\}|\\intercal|\\top)\s*\}?"), "^T"),  # transpose
    (re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|hat)\s*(?:\{\s*([ijk])\s*\}|\s([ijk])(?![A-Za-z]))"),
     lambda m: f"\\hat{{{m.group(1) or m.group(2)}}}"),  # a unit vector: \mathbf{i}, \vec{j}, \hat k
    (re.compile(r"^\s*(\d+)\s*\\(?:text|mathrm)\s*\{\s*to\s*\}\s*(\d+)\s*$"), r"\1:\2"),  # a ratio in words: 5 \text{ to } 3
    (re.compile(r"\\colon(?![A-Za-z])"), ":"),  # 3 \\colon 4
    (re.compile(r"\\lg(?![A-Za-z])"), r"\\log_{10}"),  # the common logarithm (Chinese texts)
    (re.compile(r"\{\s*\}\s*\^"), "^"),  # 45{}^\\circ: an empty base for the degree sign
    (re.compile(r"\+\s*\\infty"), r"\\infty"),  # [3, +\\infty)
    # British repeating dots: 0.\\dot{1}\\dot{8} is 0.(18), 0.\\dot{1}4285\\dot{7} 0.(142857), 0.\\dot{3} 0.(3)
    (re.compile(r"\\dot\s*\{?(\d)\}?(\d*)\\dot\s*\{?(\d)\}?"), r"\\overline{\1\2\3}"),
    (re.compile(r"(?<=\.)(\d*)\\dot\s*\{?(\d)\}?"), r"\1\\overline{\2}"),
    # calculator E notation: 6.63\\text{E-}34, 6.63\\mathrm{E}{-34}
    (re.compile(r"(\d(?:\.\d+)?)\s*\\(?:text|mathrm)\s*\{\s*[Ee]\s*([+-]?)\s*\}\s*\{?\s*([+-]?\d+)\s*\}?"),
     r"\1 \\times 10^{\2\3}"),
    # digit groups of other countries, for a number standing alone (round 31: "1,10,100" is a list): Indian lakhs
    # (2,50,000, after a currency sign or before a unit too) and dots between thousands (1.000.000, two or more)
    (re.compile(r"^(\s*(?:₹|\\text\s*\{\s*Rs\.?\s*\}|Rs\.?)?\s*\\?,?\s*)(\d{1,2}(?:,\d{2})+,\d{3})(?=\s*(?:\\text\s*\{[^{}]*\})?\s*$)"),
     lambda m: m.group(1) + m.group(2).replace(",", "") if _lakh(m) else m.group()),
    # ISO digit groups with thin spaces, either side of the point: 2.718\\,282, 1\\,000\\,000
    (re.compile(r"(?<=\d)\\,(?=\d{3}(?!\d))"), ""),
    (re.compile(r"^\s*\d{1,3}(?:\.\d{3}){2,}\s*$"), lambda m: m.group().replace(".", "")),
    # money written with a code or a macro: \\text{USD } 1{,}250, \\pounds 12.50
    (re.compile(r"\\(?:text|mathrm)\s*\{\s*(?:USD|US\\?\$)\s*\}\s*(?=[\d.])"), r"\\$"),
    (re.compile(r"\\(?:pounds|textsterling)(?![A-Za-z])\s*"), "£"),
    # an integer parameter's domain after a general solution: ", n \\in \\mathbb{Z}", "(k \\in \\mathbb{Z})"
    (re.compile(r"\s*,?\s*(?:\\[,;: ]|~|\s)*\(?\s*[knm]\s*\\in\s*\\mathbb\s*\{?\s*Z\s*\}?\s*\)?\s*$"), ""),
]  # fmt: skip


def _lakh(match: re.Match) -> bool:
    """Indian digit groups are ambiguous with a list written without spaces ("1,10,100"): read only with a rupee
    sign or word, or a group of zeros no list has ("1,00,000")."""
    whole = match.string
    return bool(re.search(r"₹|Rs|rupee|lakh|crore|INR", whole) or re.search(r",00(?=,|$)", match.group(2)))


def _si_unit(unit: str) -> str:
    """A siunitx unit as text: written out (``m/s^2``) it stays; macros become symbols (``\\metre\\per\\second\\squared``
    is ``m/s^2``); a macro not known here stays a macro, which the unit reader refuses."""
    if "\\" not in unit:
        return unit
    parts: list[str] = []
    prefix, denominator = "", False
    for name in re.findall(r"\\([A-Za-z]+)|(\S)", unit):
        word = name[0]
        if word in SI_PREFIXES:
            prefix += SI_PREFIXES[word]
        elif word in SI_UNITS:
            parts.append(("/" if denominator else "*") + prefix + SI_UNITS[word])
            prefix, denominator = "", False
        elif word in ("per",):
            denominator = True
        elif word in ("squared", "cubed") and parts:
            parts[-1] += "^2" if word == "squared" else "^3"
        else:
            return unit
    return "".join(parts).lstrip("*")


def respell(text: str) -> str:
    """``text`` with each notation of the module docstring rewritten as the TeX the parser reads."""
    text = FRACTION_MACRO.sub(r"\\frac", text)
    text = re.sub(r"\\surd(?![A-Za-z])", r"\\sqrt ", text)
    text = re.sub(r"\\(?:left|right)\s*\.", " ", text)  # \left. \right.: an invisible delimiter
    text = SIUNITX_NUMBER.sub(lambda m: m.group(1), text)
    text = SIUNITX_QUANTITY.sub(lambda m: f"{m.group(1)} \\text{{ {_si_unit(m.group(2))}}}", text)
    text = SIUNITX_ANGLE.sub(lambda m: f"{m.group(1)}^\\circ ", text)
    text = REGIONAL_NAME.sub(lambda m: REGIONAL[m.group(1) or m.group(2)], text)
    text = PRESCRIPT.sub(_prescript, text)
    text = COMBINATION.sub(_combination, text)
    text = _over(text)
    text = ELLIPSIS.sub(_repeating, text)
    for pattern, replacement in SPELLINGS:
        text = pattern.sub(replacement, text)
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


# "3,5" and "0,75 cm": a decimal comma (German, French, ...); never three digits after it ("1,500" groups thousands)
DECIMAL_COMMA = re.compile(r"(\s*[-−]?\d+),(\d{1,2}|\d{4,})((?:\s*\\(?:text|mathrm)\s*\{[^{}]*\}|\s*[A-Za-z]+)?\s*)")


# a word of a language that writes decimals with a comma (German, French, Spanish, Italian, Portuguese, Dutch,
# Russian, Polish), or a letter only such languages use
DECIMAL_COMMA_LANGUAGE = re.compile(  # words no English text writes (round 39: "die" and "son" were English too)
    r"\b(?:beträgt|ergibt|also\s+ist|antwort|ergebnis|lösung|vaut|réponse|résultat|donc|respuesta|resultado|entonces"
    r"|por\s+lo\s+tanto|quindi|risposta|risultato|então|resposta|portanto|antwoord|dus|wynosi|odpowiedź|ответ|равн\w+"
    r"|итак|länge|breite|fläche|wahrscheinlichkeit|probabilité|probabilidad|probabilità|probabilidade)\b",
    re.IGNORECASE,
)


# the numbers below ten as words in the languages that write decimal commas, and English (round 41: "zwei und fünf",
# "uno y cinco" beside a box of 2,5)
SMALL_NUMBER_WORDS = {
    0: r"\b(?:zero|null|zéro|cero|ноль|zero)\b", 1: r"\b(?:one|eins|un|une|uno|una|um|uma|één|один|одна|jeden)\b",
    2: r"\b(?:two|zwei|deux|dos|due|dois|duas|twee|два|две|dwa)\b", 3: r"\b(?:three|drei|trois|tres|tre|três|drie|три|trzy)\b",
    4: r"\b(?:four|vier|quatre|cuatro|quattro|quatro|четыре|cztery)\b", 5: r"\b(?:five|fünf|cinq|cinco|cinque|vijf|пять|pięć)\b",
    6: r"\b(?:six|sechs|seis|sei|zes|шесть|sześć)\b", 7: r"\b(?:seven|sieben|sept|siete|sette|sete|zeven|семь|siedem)\b",
    8: r"\b(?:eight|acht|huit|ocho|otto|oito|восемь|osiem)\b", 9: r"\b(?:nine|neun|neuf|nueve|nove|negen|девять|dziewięć)\b",
}  # fmt: skip


POINT_WORDS = r"(?:coordinates?|point|pair|koordinaten|punkt|coordonnées|coordenadas|coordinate|punto|ponto|точк\w*)"


def decimal_comma_written(answer: str | None, text: str) -> str | None:
    """``answer`` as extracted, when a decimal comma in it ("2,5") is the writer's way of writing decimals: the same
    number, or another decimal comma, stands elsewhere in ``text`` (the completion). Otherwise the comma is read as
    the list it also is ("2, 5"): "The roots are 2 and 5." then "$\\boxed{2,5}$" never answers 2.5 (round 38)."""
    match = DECIMAL_COMMA.fullmatch(answer or "")
    if match is None:
        return answer
    text = text.rpartition("</think>")[2]  # what the reader sees: a thought may hold the decimal it never wrote
    same = rf"(?<![\d.,(\[]){match.group(1).strip()}(?:[.,]|\{{,\}}){match.group(2)}(?![\d,)\]])"
    # another decimal comma, never a pair of coordinates ("(2,5)", "(1,3)") or a list
    decimals = r"\d\{,\}\d|(?<![\d,(\[])\d+,\d{1,2}(?![\d,)\]])"
    plain = re.sub(r"\\boxed\s*\{[^{}]*\}", " ", text)
    whole, part = match.group(1).strip(), match.group(2)
    if re.search(rf"(?<![\d.,]){whole}\$?\s+(?:or|and|y|et|und|o|ou|oder|e|и|или)\s+\$?{part}(?![\d.,])", plain):
        return f"{match.group(1)}, {match.group(2)}{match.group(3)}"  # "either 1 or 5 works": two values
    # the two numbers written apart as decimals ("x_1 = 2{,}0 und x_2 = 5{,}0"): two values (round 43)
    written = {float(m.group(1) + "." + m.group(2)) for m in re.finditer(r"(?<![\d.,])(\d+)(?:\{,\}|,)(\d+)", plain)}
    if float(whole) in written and float(part) in written:
        return f"{match.group(1)}, {match.group(2)}{match.group(3)}"
    # the same two numbers as a point ("(0,75) and (1,25)", "the point with coordinates 2,5"): a pair (round 44)
    point = rf"[(\[]\s*{whole}\s*,\s*{part}\s*[)\]]|\b{POINT_WORDS}\s+(?:\$\s*)?{whole}\s*,\s*{part}(?!\d)"
    if re.search(point, plain, re.IGNORECASE):
        return f"{match.group(1)}, {match.group(2)}{match.group(3)}"
    if re.search(same, plain):
        return answer  # the same decimal written out elsewhere ("7 : 4 = 1{,}75")
    alone = (
        r"(?<![\d.{{}}])(?<!\d,){}(?![\d{{}}]|[.,]\d)"  # a number of its own ("x = 5."), not a part of "2,5" or "2.5"
    )
    named = {int(whole), int(part)} if part.isdigit() and whole.isdigit() else set()
    spelled = [re.search(SMALL_NUMBER_WORDS[n], plain, re.I) for n in named if n in SMALL_NUMBER_WORDS]
    if len(named) == 2 and len(spelled) == 2 and all(spelled):
        return f"{match.group(1)}, {match.group(2)}{match.group(3)}"  # "zwei und fünf", "two and five": two values
    if re.search(alone.format(whole), plain) and re.search(alone.format(part), plain):
        return f"{match.group(1)}, {match.group(2)}{match.group(3)}"  # "x = 2 ... x = 5" stated apart: two values
    if re.search(decimals, plain):
        return answer
    if DECIMAL_COMMA_LANGUAGE.search(re.sub(r"\$[^$]*\$|\\\(.*?\\\)", " ", text)):
        return answer  # "Die Länge beträgt $\\boxed{3,5}$ cm.": a language that writes decimals so
    return f"{match.group(1)}, {match.group(2)}{match.group(3)}"
