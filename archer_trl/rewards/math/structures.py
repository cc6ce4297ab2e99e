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
