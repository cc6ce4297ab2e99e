"""What the left side of ``= value`` may name besides a lone variable (`parse.is_label`): a derivative, a
probability, an expectation, an angle, a length, a norm, an area, a vector, a sum of variables. ``P(X = 3) =
\\frac{1}{8}`` then states 1/8, as ``x = 5`` states 5. Only such names: ``2x = 7`` (a digit) or ``\\sin x = 1``
remain relations, which never state a bare value.
"""

from __future__ import annotations

import re

QUANTITY_WORDS = {"area", "perimeter", "volume", "length", "answer", "value", "result", "total", "sum", "product",
                  "mean", "median", "mode", "range", "distance", "speed", "time", "cost", "price", "probability",
                  "width", "height", "radius", "diameter", "max", "min", "maximum", "minimum", "remainder", "count",
                  "average", "variance", "age", "Area", "Perimeter", "Volume", "Answer", "Total", "Sum"}  # fmt: skip
LETTER = r"(?:[A-Za-z]|\\(?:alpha|beta|gamma|delta|theta|phi|varphi|rho|sigma|mu|lambda|omega|psi|tau))"
NAMED_QUANTITY = re.compile(
    r"\s*(?:"
    rf"{LETTER}'{{1,3}}(?:\s*\(\s*[A-Za-z]\s*\))?"  # f'(x), y', f''(x): a derivative
    rf"|[A-Za-z]\s*\^\s*\{{\s*-\s*1\s*\}}\s*\(\s*[A-Za-z]\s*\)"  # f^{-1}(x): an inverse function
    r"|\\frac\s*\{\s*d\s*[A-Za-z]?\s*\}\s*\{\s*d\s*[A-Za-z]\s*\}"  # \frac{dy}{dx}
    r"|(?:P|\\Pr|E|\\(?:mathbb|mathrm|operatorname|text)\s*\{?\s*(?:E|P|Var)\s*\}?|Var)"
    r"\s*(?:\([^()]*\)|\[[^\[\]]*\])"  # P(X = 3), P(A \cap B), E[X], Var(X), \mathbb{P}(A), \operatorname{E}[X]
    r"|(?:E|\\(?:mathbb|mathrm|operatorname)\s*\{\s*E\s*\})\s*[A-Z]"  # \mathbb{E}X
    r"|(?:m\s*)?\\(?:measured)?angle\s*[A-Z]{1,3}"  # \angle ABC, m\angle A, \measuredangle A
    r"|\|\s*(?:\\overline\s*\{\s*[A-Z]{2}\s*\}|[A-Z]{2})\s*\|"  # |AB|: a length
    r"|S\s*_\s*\{\s*(?:\\triangle\s*)?[A-Z]{3,}\s*\}|\[\s*\\triangle\s*[A-Z]{3}\s*\]"  # S_{\triangle ABC}: an area
    rf"|\\(?:max|min)\s*(?:_\s*\{{[^{{}}]*\}}\s*)?{LETTER}(?:\s*\(\s*[a-z]\s*\))?"  # \max f, \min_{x} f(x)
    rf"|{LETTER}(?:\s*\(\s*[a-z]\s*\))?\s*_\s*\{{?\s*\\?(?:max|min|\\text\s*\{{\s*(?:max|min)\s*\}})\s*\}}?"  # y_{\min}
    r"|\\(?:sigma|text\s*\{\s*s\s*\}|s)\s*\^\s*\{?\s*2\s*\}?|s\s*\^\s*\{?\s*2\s*\}?"  # \sigma^2: a variance
    r"|\\(?:text|mathrm|textrm)\s*\{\s*(?:" + "|".join(sorted(QUANTITY_WORDS)) + r")\s*\}"  # \text{area}
    r"|\[\s*[A-Z]{3,}\s*\]"  # [ABC]: an area
    rf"|\|\s*(?:\\vec\s*\{{\s*[A-Za-z]{{1,2}}\s*\}}|{LETTER})\s*\|"  # |z|, |\vec{v}|: a modulus or norm
    rf"|\\\|\s*(?:\\vec\s*\{{\s*[A-Za-z]{{1,2}}\s*\}}|\{{\s*[A-Za-z]\s*\}}|{LETTER})\s*\\\|"  # \|v\|
    r"|\\(?:vec|overrightarrow)\s*\{\s*[A-Z]{2}\s*\}"  # \vec{AB}: a displacement
    r"|\{\s*[A-Za-z]\s*\}"  # {v}: \mathbf{v} once its formatting is gone
    rf"|{LETTER}(?:\s*[+-]\s*{LETTER}){{1,2}}"  # x + y, a - b: a sum of variables asked for
    r")\s*"
)


SUM_OF_VARIABLES = re.compile(rf"\s*{LETTER}(?:\s*[+-]\s*{LETTER}){{1,2}}\s*")


def names_quantity(tex: str, gold: bool = False) -> bool:
    """Whether ``tex`` (the left side of ``=``) names a quantity whose value the right side states. In a gold, a sum
    of variables does not: ``x + y = 3`` is the equation of a line, and 3 alone answers it no more than a point does
    (round 30); an answer ``x + y = 3`` to a gold of 3 still states the sum asked for."""
    return bool(NAMED_QUANTITY.fullmatch(tex)) and not (gold and SUM_OF_VARIABLES.fullmatch(tex))


# Label sets whose order is a convention, so that an unlabelled gold tuple is read in it: (x, y, z), (a, b, c),
# polar, cylindrical and spherical coordinates, a centre (h, k). Any other label set ((m, b), (w, l), (n, k)) gives
# an unlabelled gold no order, so labelled answers are taken in the order written.
CONVENTIONAL_ORDERS = (
    ("x", "y", "z", "w"), ("a", "b", "c", "d"), ("p", "q"), ("u", "v", "w"), ("r", "\\theta"), ("r", "\\theta", "z"),
    ("\\rho", "\\theta", "\\phi"), ("r", "\\theta", "\\phi"), ("h", "k"),
)  # fmt: skip
INDEXED = re.compile(r"([A-Za-z])_\{?(\d+)\}?")


def conventional_order(labels: list[str]) -> dict[str, int] | None:
    """The position of each label in a conventional order of exactly these labels (``x_2, x_1`` by index)."""
    for order in CONVENTIONAL_ORDERS:
        if sorted(labels) == sorted(order[: len(labels)]):
            return {label: n for n, label in enumerate(order)}
    indexed = [INDEXED.fullmatch(label) for label in labels]
    if all(indexed) and len({m.group(1) for m in indexed}) == 1:
        return {m.group(0): int(m.group(2)) for m in indexed}
    return None


VALUES_OF = re.compile(r"[A-Za-z](?:\^\{-1\})?\(x\)")


def same_label(gold: str, answer: str) -> bool:
    """The same name in any case; ``y`` also names the values of a function of x (``f(x)``, ``f^{-1}(x)``)."""
    pair = {gold, answer}
    return gold.lower() == answer.lower() or ("y" in pair and any(VALUES_OF.fullmatch(p) for p in pair - {"y"}))


LEAD_IN = re.compile(
    r"^\s*(?:\\text\s*\{\s*)?(?:the\s+)?(?:final\s+)?answer\s*(?:is)?\s*:?\s*(?:\}\s*)?(?=\S)"
    r"|^\s*\\text\s*\{\s*(?:(?:the\s+)?(?:final\s+)?(?:ans|result|value|area|perimeter|volume|length|total|sum|product"
    r"|probability|distance|number|count|minimum|maximum)\s*(?:is|=|:|equals)|exactly)\s*\}\s*(?=\S)",
    re.IGNORECASE,
)  # "\text{The area is } 12", "\text{Ans: } 5": a lead-in the box repeats
PLAIN_NOTE = re.compile(
    r"\s*\\text\s*\{\s*\(\s*(?:exact(?:ly)?|exact\s+value|in\s+lowest\s+terms|simplified|reduced|in\s+simplest\s+form"
    r"|fully\s+simplified)\s*\)\s*\}\s*$",
    re.IGNORECASE,
)  # "\frac{3}{4}\text{ (in lowest terms)}": a note on the form, not a second value


def strip_lead_in(tex: str) -> str:
    """The box's content without a lead-in it repeats or a note on the form (`LEAD_IN`, `PLAIN_NOTE`)."""
    return PLAIN_NOTE.sub("", LEAD_IN.sub("", tex))


def letters_of(tex: str) -> set[str]:
    """The one-letter variables of ``tex`` (not the letters of a macro)."""
    return set(re.findall(r"(?<![A-Za-z\\])[A-Za-z](?![A-Za-z])", tex))
