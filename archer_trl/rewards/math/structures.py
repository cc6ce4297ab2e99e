"""Structured values built from their parts: matrices, a number times a vector or matrix, and the first part not
understood (`parse.parse_tex` parses the parts)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .values import Scalar, Sequence, Unknown, Value

MATRIX = re.compile(r"^\\begin\{([pbB]?matrix|array)\}(?:\{[^{}]*\})?(.*)\\end\{\1\}(\^\s*\{?\s*(?:T|\\top)\s*\}?)?$",
                    re.DOTALL)  # fmt: skip
# a number times a vector or matrix: \\frac{1}{3}(1, 2, 2), -\\frac{1}{2}\\begin{pmatrix}..\\end{pmatrix}, \\frac{1}{\\sqrt3}(1,1,1)
SCALED_TUPLE = re.compile(r"([^()]+?)\s*(?:\\cdot\s*)?(\(.*,.*\)|\\begin\{([pbB]?matrix)\}.*\\end\{\3\})", re.DOTALL)


def times_each(value: Value, factor: str) -> Value | None:
    """Every entry of a tuple or matrix times ``factor`` (None for anything else)."""
    if isinstance(value, Scalar):
        return Scalar(f"({factor}) \\cdot ({value.tex})", None)
    if isinstance(value, tuple):  # a matrix row
        row = tuple(times_each(item, factor) for item in value)
        return None if any(item is None for item in row) else row
    if not (isinstance(value, Sequence) and value.kind in ("tuple", "matrix")):
        return None
    items = times_each(value.items, factor)
    return None if items is None else Sequence(value.kind, items, value.left, value.right)


def matrix_value(body: str, transposed: bool, parse_tex: Callable[[str], Value]) -> Value:
    """The rows of a matrix environment's body, each cell parsed; `Unknown` for a ragged table or a cell not understood."""
    rows = [r for r in re.split(r"\\\\", body) if r.strip()]
    table = tuple(tuple(parse_tex(cell) for cell in row.split("&")) for row in rows)
    if not table or len({len(row) for row in table}) != 1:
        return Unknown("a ragged matrix")
    if any(isinstance(cell, Unknown) for row in table for cell in row):
        return Unknown("a matrix entry not understood")
    if transposed:
        table = tuple(zip(*table))
    return Sequence("matrix", table)


def first_unknown(values: tuple) -> Unknown | None:
    """The first part not understood, if any."""
    return next((v for v in values if isinstance(v, Unknown)), None)


# a point with its name: P(2, 3), M_1(3, -1, 2), A'(0, 1); C(5, 2) and P(5, 2) also count (binomial, permutations)
NAMED_POINT = re.compile(r"([A-Z])(?:'|_\{?\w{1,3}\}?)?\s*(\(.+\))", re.DOTALL)
# a vector in unit vectors: 3\\mathbf{i} + 4\\mathbf{j} - \\hat{k}, each vector marked (a bare i is the imaginary unit)
UNIT_VECTOR = re.compile(r"\\hat\{([ijk])\}")  # notation.py writes \\mathbf{i}, \\vec{i}, \\hat i as \\hat{i}
UNIT_VECTOR_TERM = re.compile(r"\s*([-+]?)\s*([^-+]*?)\s*(?:\\cdot\s*)?(@[ijk])\s*")


def named_point(tex: str, bracketed: Callable[[str], Value | None]) -> Value | None:
    """The tuple of a named point (None when ``tex`` is no such point, or reads as a counting function)."""
    match = NAMED_POINT.fullmatch(tex.strip())
    if match is None:
        return None
    point = bracketed(match.group(2))
    if not (isinstance(point, Sequence) and point.kind == "tuple" and len(point.items) >= 2):
        return None
    numbers = [i.tex.strip() for i in point.items if isinstance(i, Scalar) and re.fullmatch(r"\d+", i.tex.strip())]
    if match.group(1) in "CP" and len(numbers) == len(point.items) == 2 and int(numbers[0]) >= int(numbers[1]):
        return None  # C(5, 2) is the count 10 (`parse._counting_function`) before it is a point
    return point


def unit_vector_sum(tex: str, parse_tex: Callable[[str], Value]) -> Value | None:
    """``3\\mathbf{i} + 4\\mathbf{j}`` as the tuple (3, 4) (with a k term, a triple); None for anything else."""
    if not UNIT_VECTOR.search(tex):
        return None
    marked = UNIT_VECTOR.sub(lambda m: "@" + m.group(1), tex)
    terms = list(UNIT_VECTOR_TERM.finditer(marked))
    if "".join(t.group() for t in terms) != marked or len({t.group(3) for t in terms}) != len(terms):
        return Unknown("a sum of unit vectors not understood")
    if any(not t.group(1) for t in terms[1:]) or any("@" in t.group(2) or "\\" in t.group(2) for t in terms):
        return Unknown("unit vectors not added")  # "\\mathbf{i} \\cdot \\mathbf{j}" is 0, "\\hat{i}\\hat{j}" no sum
    components = {t.group(3)[1]: (t.group(1), t.group(2)) for t in terms}
    values = []
    for axis in "ijk"[: 3 if "k" in components else 2]:
        sign, coefficient = components.get(axis, ("", "0"))
        value = parse_tex(f"{sign}{coefficient}" if coefficient.strip() else f"{sign}1")
        if not isinstance(value, Scalar):
            return Unknown("a unit vector's coefficient not understood")
        values.append(value)
    return Sequence("tuple", tuple(values), "(", ")")
