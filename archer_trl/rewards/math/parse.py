"""A final answer parsed into a typed value, or `Unknown` when any part of it is not understood.

Types: `Scalar` (a number or expression), `Quantity` (an amount with pint units, possibly compound), `Sequence`
(tuple, set, list, interval, matrix), `Union` of intervals or sets, `Relation` (an equation or inequality, chains
included), `Assignment` (``x = 5``: a label and its value), `Choice`, `BaseNumber` (``1011_2``) and `Text`.
Nothing is dropped: text that is not a unit, a count noun, a choice or a whole text answer, any ``\\approx``, any
unknown macro, and any second candidate (``5 \\text{ or } 6``) make the value `Unknown`, which scores 0.
"""

from __future__ import annotations

import re

from . import symbolic
from .choices import Choice, parse_choice
from .labels import names_quantity, strip_lead_in
from .numbers import parse_number
from .quantity import parse_quantity
from .split import TRANSPOSE, close_index, outer_brackets, split_top, top_matches
from .structures import MATRIX, SCALED_TUPLE, first_unknown, matrix_value, named_point, times_each, unit_vector_sum
from .tex import canonical, unwrap_groups
from .values import (
    CONNECTOR,
    REALS,
    Approximation,
    Assignment,
    BaseNumber,
    Congruence,
    Relation,
    Scalar,
    Sequence,
    Text,
    Union,
    Unknown,
    Value,
)
from .words import clock_time, named_set, whole_text

RELATIONS = re.compile(r"\\le |\\ge |\\ne |<|>|=|\\in(?![A-Za-z])|\\subseteq|\\subset|\\equiv")
# An unevaluated sum, product, integral, limit or derivative restates the question: no answer, though a gold may be one
RESTATED = re.compile(
    r"\\(?:sum|prod|int|iint|iiint|oint|lim|partial|nabla)(?![A-Za-z])|\\frac\s*\{\s*d\s*[A-Za-z]?\s*\}\s*\{\s*d"
)
# \gcd(12, 18), \max(3, 7), |-7|, \lfloor \pi \rfloor: a function of constants left unevaluated (an answer
# with a variable, |x - 1| or f_{\max} = 5, is not affected; see `_unevaluated`)
UNEVALUATED = re.compile(
    r"\\(?:gcd|lcm|max|min|lfloor|lceil|vert|lvert|abs)(?![A-Za-z])|\\operatorname\s*\{\s*(?:gcd|lcm|hcf|max|min)\s*\}|\|"
)
VARIABLE = re.compile(r"(?<![A-Za-z])(?![ei](?![A-Za-z]))[A-Za-z]")
ROOTS_LABEL = re.compile(r"^[A-Za-z]_\{\s*1\s*,\s*2\s*\}\s*=(?!=)(.*)$")
DERIVATIVE_LABEL = re.compile(r"^\s*\\frac\s*\{\s*d\s*[A-Za-z]\s*\}\s*\{\s*d\s*[A-Za-z]\s*\}\s*=(?!=)")
FORBIDDEN = re.compile(r"\\approx.*\\approx|\\sim(?![A-Za-z])|\\simeq|\\cong|\\ldots|\\pm.*\\pm|\\ne |\?|\\Rightarrow|\\implies"
                       r"|\\to(?![A-Za-z])|\\iff|\\therefore|\\because|\\vee|\\wedge|\\lor|\\land"
                       r"|^\s*[+-]?\d+(?:\.\d+)?\s*\(\s*\d+\s*\)\s*$")  # fmt: skip  # 12(1): 12 with an uncertainty
UNCERTAINTY = re.compile(
    r"\^\s*\{\s*[+-][^{}]*\}\s*_\s*\{\s*[+-]|_\s*\{\s*[+-][^{}]*\}\s*\^\s*\{\s*[+-]"
)  # 12^{+1}_{-0}
# "The answer is 5", "\\text{Final answer: } 5": a lead-in is formatting, not content
FRENCH_INTERVAL = re.compile(r"([\[\]])([^\[\]]*,[^\[\]]*)([\[\]])")
MODULUS = re.compile(r"\\[pb]?mod\s*\{?\s*\d+\s*\}?\s*\)?\s*$|\(\s*\\bmod\s*\d+\s*\)\s*$")
DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
TRIG = re.compile(r"\\(?:sin|cos|tan|cot|sec|csc)(?![A-Za-z])")
DEGREES_IN = re.compile(r"(\d+(?:\.\d+)?)\s*\^\s*\{?\s*\\circ\s*\}?")
SUBSCRIPT = re.compile(r"_\{[^{}]*\}")
CONSTANTS = {"\\pi", "\\infty", "e", "i", "\\emptyset"}  # letters and macros that name values, not variables
WORD = re.compile(r"[A-Za-z]{2,}")
GREEK_LETTERS = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
                 "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi",
                 "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega"}  # fmt: skip
KNOWN_WORDS = {"sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
               "log", "ln", "exp", "lg", "max", "min", "gcd", "lcm", "det", "mod", "pmod", "bmod"}  # fmt: skip
ALLOWED_MACROS = KNOWN_WORDS | {
    "frac", "sqrt", "pi", "infty", "cdot", "times", "div", "pm", "mp", "binom", "circ", "emptyset", "cup", "cap",
    "setminus", "lfloor", "rfloor", "lceil", "rceil", "prime", "alpha", "beta", "gamma", "delta", "theta", "phi",
    "varphi", "omega", "to", "lambda", "mu", "sigma", "tau", "rho", "epsilon", "varepsilon", "eta", "xi", "zeta", "psi",
    "chi", "nu", "kappa", "Delta", "Gamma", "Omega", "Sigma", "Phi", "Theta", "Lambda", "Pi",
    "mathbb", "le", "ge", "in", "sum", "prod", "int", "lim", "partial", "angle", "triangle", "perp",
    "parallel", "cong", "Re", "Im", "ast", "star", "arg", "deg", "ldots", "cdots", "mathcal",
    "subset", "subseteq", "equiv", "neg", "not", "land", "lor", "forall", "exists", "begin", "end", "nabla",
    "wedge", "vee", "langle", "rangle", "%", "{", "}", "|", "oplus", "otimes", "odot", "ell", "hbar",
}  # fmt: skip
MACRO = re.compile(r"\\([A-Za-z]+|.)")
PREFIXED_NUMBER = re.compile(r"0([bBoOxX])([0-9A-Fa-f]+)")
BASE_NUMBER = re.compile(r"^\(?([0-9A-Z]*[0-9][0-9A-Z]*|[A-Z]{2,})\)?\s*_\s*\{?\s*\(?(\d{1,2})\)?\s*\}?$")


ACCENT = re.compile(
    r"^\s*\\(?:hat|bar|tilde|vec|dot|ddot|check|widehat|widetilde|overrightarrow)\s*(?:\{\s*([A-Za-z]|\\[A-Za-z]+)\s*\}"
    r"|(\\[A-Za-z]+|[A-Za-z])(?![A-Za-z]))"
)
SEGMENT = re.compile(r"\s*(?:\\overline\s*\{\s*[A-Z]{2}\s*\}|[A-Z]{2})\s*")
READING_GOLD = [False]  # set while a gold is parsed (the worker is single-threaded): golds may be sums or limits


def parse_answer(text: str, gold: bool = False) -> Value:
    """The typed value of a final answer, or of a gold (``gold=True``), canonicalised first."""
    READING_GOLD[0] = gold
    try:
        return _parse_answer(text)
    finally:
        READING_GOLD[0] = False


def _parse_answer(text: str) -> Value:
    tex = canonical(text)
    if len(tex) > 1000:
        return Unknown("too long")
    tex = strip_lead_in(tex)
    tex = re.sub(r"\s*[.,;]\s*$", "", tex).strip()  # a sentence's full stop inside the box
    return parse_tex(unwrap_groups(tex))


def _unevaluated(tex: str) -> bool:
    """``\\gcd(12, 18)``, ``|-7|``, ``\\lceil 2.5 \\rceil``: such a function with no variable anywhere in the answer
    (the modulus of a complex number, ``|3+4i|``, is still read as its value: an earlier round labels it so)."""
    if not UNEVALUATED.search(tex):
        return False
    bare = re.sub(r"\\text\s*\{[^{}]*\}|\\[A-Za-z]+", " ", tex)
    if VARIABLE.search(bare):
        return False
    only_bars = not UNEVALUATED.search(tex.replace("|", " "))
    return not (only_bars and re.search(r"(?<![A-Za-z])i(?![A-Za-z])", bare))  # |3+4i|: a modulus, read as a value


def parse_tex(tex: str) -> Value:
    tex = tex.strip()
    if not tex:
        return Unknown("empty")
    if RESTATED.search(DERIVATIVE_LABEL.sub("", tex)) and not READING_GOLD[0]:  # \\frac{dy}{dx} = 3x^2 names
        return Unknown("an unevaluated operator: the question restated")
    if not READING_GOLD[0] and _unevaluated(tex):
        return Unknown("a function of constants left unevaluated: the question restated")
    excluded = _excluded_point(tex)
    if excluded is not None:
        return excluded
    if FORBIDDEN.search(SUBSCRIPT.sub("", tex)) or UNCERTAINTY.search(
        tex
    ):  # \\lim_{x \\to 5} is fine; an arrow elsewhere is not
        return Unknown("an approximation, an ellipsis, an implication or a second candidate")
    choice = parse_choice(tex, gold=READING_GOLD[0])
    if choice is not None:
        if not choice.rest:
            return choice
        rest = parse_tex(canonical(choice.rest))
        if isinstance(rest, Text) and READING_GOLD[0]:  # a gold "(B) Parabola": the option and its text
            return Choice(choice.letter, rest)
        if isinstance(rest, Unknown | Text) or (isinstance(rest, Scalar) and not _readable(rest)):
            return Unknown("choice followed by words or a mark")  # "(C) is incorrect", "(C) \\times", "(C) \\neg"
        if isinstance(rest, Relation | Approximation):  # "(C) 12 = 13", "(C) 12 \\approx 13": a claim, not a value
            return Unknown("choice followed by a relation")
        return Choice(choice.letter, rest)
    text = whole_text(tex, parse_tex)
    if text is not None:
        return text
    if DATE.fullmatch(tex):  # 2024-03-15 is a date, not arithmetic (2024-3-15 the same one)
        year, month, day = tex.split("-")
        return Text(f"{year}-{int(month):02d}-{int(day):02d}")
    clock = clock_time(tex)
    if clock is not None:
        return clock
    parts = split_top(tex, re.compile(r"(?<!\\):"))
    if len(parts) > 1:  # 3:4, 3:45: compared part by part, never as a quotient
        values = tuple(parse_tex(p) for p in parts)
        return first_unknown(values) or Sequence("ratio", values)
    parts = split_top(tex, re.compile(r"\\approx"))
    if len(parts) == 2:
        exact, decimal = parse_tex(parts[0]), parse_tex(parts[1])
        if isinstance(exact, Scalar) and is_label(exact.tex):
            return Unknown("an approximate value: x \\approx 5 does not claim 5")
        return first_unknown((exact, decimal)) or Approximation(exact, decimal)
    parts = split_top(tex, CONNECTOR)
    if len(parts) > 1:
        return _joined(tex, parts)
    parts = split_top(tex, re.compile(r"\\setminus|\\backslash"))
    if len(parts) == 2:  # \\mathbb{R} \\setminus \\{0\\}
        values = (parse_tex(parts[0]), parse_tex(parts[1]))
        return first_unknown(values) or Union(values, difference=True)
    parts = split_top(tex, re.compile(r"\\cup"))
    if len(parts) > 1:
        values = tuple(parse_tex(p) for p in parts)
        bad = [v for v in values if not isinstance(v, Sequence | Relation)]
        return Unknown("a union of non-sets") if bad else Union(values)
    roots = ROOTS_LABEL.match(tex)
    if roots:  # x_{1,2} = 2, 3: the roots of one unknown, in any order
        value = parse_tex(roots.group(1))
        if isinstance(value, Sequence) and value.kind == "list" and len(value.items) == 2:
            return Sequence("list", value.items, "or")
        return Unknown("x_{1,2} naming other than two values")
    items = split_top(tex, re.compile(r",|;"))
    if len(items) > 1:
        values = tuple(parse_tex(item) for item in items)
        return first_unknown(values) or Sequence("list", values)
    if RELATIONS.search(tex) and len(split_top(tex, RELATIONS)) > 1:
        return _relation(tex)
    parts = split_top(tex, re.compile(r"\\(?:pm|mp)(?![A-Za-z])"))  # not \\pmod
    if len(parts) == 2:  # "a \pm b" is the two values a + b and a - b
        head = parts[0].strip()
        plus, minus = (f"{head}+{parts[1]}", f"{head}-{parts[1]}") if head else (parts[1], f"-{parts[1]}")
        values = (parse_tex(plus), parse_tex(minus))
        return first_unknown(values) or Sequence("list", values, "\\pm")  # two values in no order
    parts = split_top(tex, re.compile(r"\\bmod(?![A-Za-z])"))
    if len(parts) == 2:  # 10 \\bmod 7: the remainder 3, for integer operands only
        return _remainder(parse_tex(parts[0]), parse_tex(parts[1]))
    return _single(tex)


def _remainder(dividend: Value, divisor: Value) -> Value:
    integers = [
        v.number.value for v in (dividend, divisor) if isinstance(v, Scalar) and v.number is not None and not
        v.number.percent and v.number.figures is None and v.number.value.denominator == 1
    ]  # fmt: skip
    if len(integers) != 2 or integers[1] <= 0:
        return Unknown("\\bmod of values that are not integers")
    value = integers[0] % integers[1]
    return Scalar(str(value), parse_number(str(value)))


def _excluded_point(tex: str) -> Value | None:
    """``x \\ne 0``: every real but one, a set of reals (it never states a value)."""
    parts = split_top(tex, re.compile(r"\\ne "))
    if len(parts) != 2 or not is_label(parts[0]):
        return None
    point = parse_tex(parts[1])
    if not (isinstance(point, Scalar) and _readable(point)) or "\\infty" in point.tex:
        return Unknown("\\ne with a side not understood")
    return Union((REALS, Sequence("set", (point,))), difference=True)


def _single(tex: str) -> Value:
    matrix = MATRIX.match(tex)
    if matrix:
        return matrix_value(matrix.group(2), bool(matrix.group(3)), parse_tex)
    bracketed = _bracketed(tex) or named_point(tex, _bracketed) or unit_vector_sum(tex, parse_tex)
    if bracketed is not None:
        return bracketed
    prefixed = PREFIXED_NUMBER.fullmatch(tex)
    if prefixed:  # 0b1011, 0o17, 0x1F: a programmer's base prefix
        base = {"b": 2, "o": 8, "x": 16}[prefixed.group(1).lower()]
        if all(int(d, 16) < base for d in prefixed.group(2)):
            return BaseNumber(prefixed.group(2).upper(), base)
    base = BASE_NUMBER.match(tex)
    if base and 2 <= int(base.group(2)) <= 36 and all(int(d, 36) < int(base.group(2)) for d in base.group(1)):
        return BaseNumber(base.group(1).upper(), int(base.group(2)))
    if tex in ("\\emptyset", "\\{\\}", "\\{ \\}"):
        return Sequence("set", ())
    if re.fullmatch(r"\\mathbb\s*\{?\s*R\s*\}?", tex):  # the real line
        return REALS
    if named_set(tex) is not None:  # \\mathbb{R}^+, \\mathbb{R}_{>0}: a half-line
        return named_set(tex)
    french = FRENCH_INTERVAL.fullmatch(tex)
    if french:  # ]1, 3[ and [1, 3[: a bracket turned outwards is open
        return _single(
            ("(" if french.group(1) == "]" else "[") + french.group(2) + (")" if french.group(3) == "[" else "]")
        )
    scaled = SCALED_TUPLE.fullmatch(tex)
    sign = scaled and {"-": "-1", "+": "1"}.get(scaled.group(1).strip())  # -(1, -2, 3): the tuple negated
    factor = scalar(sign or scaled.group(1)) if scaled else None
    if isinstance(factor, Scalar) and (factor.number is not None or symbolic.numeric(factor.tex) is not None):
        product = times_each(
            parse_tex(scaled.group(2)), sign or scaled.group(1)
        )  # a number times a vector, entry by entry
        if product is not None:
            return product
    quantity = parse_quantity(tex, scalar)
    if quantity is not None:
        return quantity
    return scalar(tex)


def scalar(tex: str) -> Value:
    """A number or an expression whose every token is understood; `Unknown` otherwise."""
    tex = unwrap_groups(tex)
    number = parse_number(tex)
    if number is not None:
        return Scalar(tex, number)
    counted = _counting_function(tex)
    if counted is not None:
        return counted
    conjugate = re.fullmatch(r"\\overline\s*\{(.*)\}", tex)
    if conjugate and close_index(tex[tex.index("{") :]) == len(tex) - 1 - tex.index("{"):
        return _conjugate(scalar(conjugate.group(1)))
    if re.fullmatch(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+", tex):
        return Unknown("E-notation beyond any exact reading")  # 1e401: never 1*e*401
    for macro in MACRO.findall(tex):
        if macro not in ALLOWED_MACROS and not macro.isspace():
            return Unknown(f"\\{macro} is not understood")
    if "\\circ" in tex and TRIG.search(tex):  # \\cos 36^\\circ: degrees inside a trigonometric function
        tex = DEGREES_IN.sub(r"(\1 \\cdot \\frac{\\pi}{180})", tex)
    if "\\begin" in tex or "\\end" in tex or "\\%" in tex or "\\circ" in tex:
        return Unknown("an environment, a percent or a degree inside an expression")
    if re.search(r"(?<![_^\d])\d+\s+\d", tex) or "!!" in tex:  # "5 0" is 50 or 5*0; "3!!" a double factorial
        return Unknown("digits apart, or a double factorial")
    plain = re.sub(r"\\[A-Za-z]+", " ", tex)
    if any(w.lower() not in KNOWN_WORDS and len(w) > 3 for w in WORD.findall(plain)):
        return Unknown("prose")
    if re.search(r"[^\sA-Za-z0-9+\-*/^_(){}\[\].,!|'<>=:\\]", tex):
        return Unknown("a character not understood")
    return Scalar(tex, None)


DOUBLE_FACTORIAL = re.compile(r"(\d{1,3})\s*!!")


def _counting_function(tex: str) -> Value | None:
    """``5!!`` (the double factorial 15) and ``C(5, 2)`` (the binomial coefficient 10), on integer literals."""
    import math

    double = DOUBLE_FACTORIAL.fullmatch(tex)
    if double:
        n = int(double.group(1))
        value = math.prod(range(n, 0, -2)) if n > 0 else 1
    else:
        choose = re.fullmatch(r"C\s*\(\s*(\d{1,4})\s*,\s*(\d{1,4})\s*\)", tex)
        if choose is None:
            return None
        value = math.comb(int(choose.group(1)), int(choose.group(2)))
    return Scalar(str(value), parse_number(str(value)))


def _conjugate(value: Value) -> Value:
    """``\\overline{3-4i}``: the complex conjugate of a constant (anything else under a bar is not understood)."""
    import sympy

    from .symbolic import to_sympy

    expression = to_sympy(value.tex) if isinstance(value, Scalar) else None
    if expression is None or expression.free_symbols or not expression.has(sympy.I):
        return Unknown("\\overline of something other than a complex number")
    real, imaginary = sympy.nsimplify(sympy.conjugate(expression)).as_real_imag()
    return Scalar(f"({sympy.latex(real)}) + ({sympy.latex(imaginary)}) i", None)


def _readable(value: Scalar) -> bool:
    from .symbolic import to_sympy

    return value.number is not None or to_sympy(value.tex) is not None


def _joined(tex: str, parts: list[str]) -> Value:
    """Parts joined by "and"/"or": relations become one set (intersection or union); values are two candidates."""
    connectors = [m.group(1) or m.group(2) for m in top_matches(tex, CONNECTOR)]
    values = tuple(parse_tex(p) for p in parts)
    if all(isinstance(v, Relation) for v in values) and len(set(connectors)) == 1:
        return Union(values) if connectors[0] == "or" else Relation(("\\land",), tuple(values))
    if all(isinstance(v, Assignment | Scalar) for v in values) and set(connectors) == {"and"}:
        return Sequence("list", values)  # "x = 1 and y = 2", "3 and 5"
    if all(isinstance(v, Assignment) for v in values) and len({v.label for v in values}) == 1:
        return Sequence("list", tuple(v.value for v in values), "or")  # "x = 2 or x = 3": roots, in any order
    return Unknown("two candidates joined by 'or'")


def _relation(tex: str) -> Value:
    pieces = split_top(tex, RELATIONS, keep=True)
    sides, ops = tuple(p.strip() for p in pieces[0::2]), tuple(p.strip() for p in pieces[1::2])
    if any(not s for s in sides):
        return Unknown("a relation with an empty side")
    if ops == ("=",) and is_label(sides[1]) and not is_label(sides[0]):
        sides = (sides[1], sides[0])  # "5 = x" names x as well
    if ops == ("=",) and (
        is_label(sides[0]) or names_quantity(sides[0], READING_GOLD[0])
    ):  # x = 5, P(X = 3) = 1/8, f'(x) = 2x
        value = parse_tex(sides[1])
        return value if isinstance(value, Unknown) else Assignment(sides[0].replace(" ", ""), value)
    if ops == ("=",) and _label_tuple(sides[0]):  # (x, y) = (1, 2): the tuple, in the order its labels name
        value = parse_tex(sides[1])
        if isinstance(value, Sequence) and value.kind == "tuple" and len(value.items) == _label_tuple(sides[0]):
            labels = split_top(outer_brackets(sides[0])[2], re.compile(","))
            return Sequence("list", tuple(Assignment(lb.strip(), v) for lb, v in zip(labels, value.items)))
    if ops == ("\\equiv",) and MODULUS.search(sides[1]):  # x \\equiv 3 \\pmod{7}; 2^{100} \\equiv 2 \\pmod{7}, if true
        residue, modulus = parse_tex(MODULUS.sub("", sides[1])), re.search(r"\d+", MODULUS.search(sides[1]).group(0))
        whole = (
            residue.number is not None and residue.number.value.denominator == 1 if isinstance(residue, Scalar) else 0
        )
        if whole and (
            is_label(sides[0]) or symbolic.holds_modulo(sides[0], int(residue.number.value), int(modulus[0]))
        ):
            return Congruence(sides[0].replace(" ", ""), int(residue.number.value), int(modulus.group(0)))
        return Unknown("a congruence not understood")
    if set(ops) == {"="} and all(not isinstance(parse_tex(side), Unknown) for side in sides):
        return Relation(sides, ops)  # "5 cm = 0.05 m": equal forms, each judged as a value
    if ops == ("\\in",) and is_label(sides[0]):
        value = parse_tex(sides[1])
        if isinstance(value, Sequence) and value.kind == "tuple" and len(value.items) == 2:
            value = Sequence("interval", value.items, value.left, value.right)  # x \\in (1, 2): never a point
        return value if isinstance(value, Unknown) else Assignment(sides[0].replace(" ", ""), value)
    for side in sides:
        if isinstance(scalar(side), Unknown):
            return Unknown("a relation side not understood")
    return Relation(sides, ops)


def _label_tuple(tex: str) -> int:
    """The number of labels in ``(x, y)`` (0 when ``tex`` is not a tuple of labels)."""
    left, right, inner = outer_brackets(tex)
    labels = split_top(inner, re.compile(",")) if left == "(" else []
    return len(labels) if len(labels) > 1 and all(is_label(label) for label in labels) else 0


def is_label(tex: str) -> bool:
    """A lone variable, possibly subscripted or applied (``x``, ``x_1``, ``f(x)``, ``\\theta``): what ``= value``
    names rather than states."""
    tex = ACCENT.sub(
        lambda m: m.group(1) or m.group(2), tex
    )  # \\hat{x}, \\bar{x}, \\vec{v}: an accented variable is still a variable
    if SEGMENT.fullmatch(tex):  # AB, \\overline{AB}: a segment's length
        return True
    match = re.fullmatch(r"\s*([A-Za-z]|\\[A-Za-z]+)(?:_\{?[A-Za-z0-9]+\}?)?(?:\s*\([A-Za-z0-9, ]*\))?\s*", tex)
    # a command names a variable only if it is a Greek letter: `\lesssim = 5`, `\neg = 5`, `\wrong = 5` state
    # something else about 5
    name = match.group(1) if match else ""
    return bool(match) and name not in CONSTANTS and (len(name) == 1 or name[1:] in GREEK_LETTERS)


def _bracketed(tex: str) -> Value | None:
    left, right, inner = outer_brackets(tex)
    if left is None:
        return None
    transposed = False
    if left == "(" and right == ")" and TRANSPOSE.search(tex[close_index(tex) + 1 :] or ""):
        transposed = True
    items = split_top(inner, re.compile(r",|;")) if inner.strip() else []
    if len(items) == 1 and MATRIX.match(inner.strip()):  # \\left[\\begin{array}...\\end{array}\\right]
        return parse_tex(inner)
    if left == "\\{":
        bar = "|" if "|" in inner else ":"  # set-builder: {x | x > 2} or {x : x > 2}, x must be what it constrains
        if len(items) == 1 and bar in inner:
            bound, _, rest = inner.partition(bar)
            bound = re.sub(r"\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*$", "", bound.strip())
            condition = parse_tex(rest) if inner.count(bar) == 1 and is_label(bound) else Unknown("set-builder")
            if isinstance(condition, Relation | Union):
                return Assignment(bound.replace(" ", ""), condition)
            return Unknown("set-builder not understood")
        values = tuple(parse_tex(item) for item in items)
        return first_unknown(values) or Sequence("set", values)
    values = tuple(parse_tex(item) for item in items)
    if len(values) < 2:
        return None if left + right in ("()", "[]") and len(values) == 1 else Unknown("one-item bracket")
    if first_unknown(values):
        return first_unknown(values)
    if transposed:
        return Sequence("matrix", tuple((v,) for v in values))
    infinite = any(isinstance(v, Scalar) and "\\infty" in v.tex for v in values)
    kind = (
        "interval"
        if len(values) == 2 and left in "([" and right in ")]" and (left + right != "()" or infinite)
        else "tuple"
    )
    return Sequence("tuple" if kind == "tuple" else "interval", values, left, right)
