"""Intervals, one-variable inequalities (chains, joined by "and"/"or"), unions and differences of them, as sets
of reals (sympy), so that ``[2, \\infty)``, ``x \\ge 2`` and ``\\{x \\mid x \\ge 2\\}`` are one value.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from . import symbolic
from .parse import is_label
from .values import Assignment, Relation, Scalar, Sequence, Union, Value

FLIPPED = {"<": ">", ">": "<", "\\le": "\\ge", "\\ge": "\\le", "=": "=", "\\ne": "\\ne"}
INEQUALITIES = {"<", ">", "\\le", "\\ge"}


def is_real_set(value: Value) -> bool:
    if isinstance(value, Sequence):
        return value.kind == "interval"
    if isinstance(value, Union):
        return True
    return isinstance(value, Relation) and (value.sides == ("\\land",) or _one_variable_inequality(value))


def is_set_claim(value: Value) -> bool:
    """A set of reals, or a variable said to lie in one (``y \\in [3, \\infty)``, ``\\{x \\mid x > 2\\}``)."""
    return is_real_set(value) or (isinstance(value, Assignment) and is_real_set(value.value))


def variables(value: Value) -> set[str]:
    """The variables a set of reals constrains: ``y \\ge 3`` {y}, ``x < 1 \\text{ or } y > 2`` {x, y}, an interval
    none. ``f(x)`` (any function applied) is named ``y``: both name a function's values."""
    if isinstance(value, Assignment):
        return {_name(value.label)} | variables(value.value)
    if isinstance(value, Union):
        return set().union(*(variables(part) for part in value.parts))
    if isinstance(value, Relation) and value.sides == ("\\land",):
        return set().union(*(variables(part) for part in value.ops))
    if isinstance(value, Relation) and _distance_inequality(value):
        return {_distance_inequality(value)[0]}
    if isinstance(value, Relation):
        return {_name(side) for side in value.sides if is_label(side) and not side.strip().startswith("\\infty")}
    return set()


DISTANCE = re.compile(r"\s*\|\s*([A-Za-z])\s*(?:([+-])\s*([^|]+?))?\s*\|\s*")


def _distance_inequality(relation: Relation) -> tuple[str, str, str, str] | None:
    """``|x| < 3``, ``|x - 3| \\le 2``, ``2 < |x + 1|``: (variable, centre, op with the distance on the left, radius)."""
    if len(relation.ops) != 1 or relation.ops[0] not in INEQUALITIES:
        return None
    (left, right), op = relation.sides, relation.ops[0]
    match = DISTANCE.fullmatch(left)
    if match is None:
        match, right, op = DISTANCE.fullmatch(right), left, FLIPPED[op]
    if match is None or not is_label(match.group(1)):
        return None
    centre = "0" if match.group(2) is None else ("-" if match.group(2) == "+" else "") + f"({match.group(3)})"
    return match.group(1), centre, op, right


def _name(label: str) -> str:
    label = label.replace(" ", "")
    return "y" if re.fullmatch(r"[A-Za-z]\([A-Za-z]\)", label) else label


def _one_variable_inequality(relation: Relation) -> bool:
    if _distance_inequality(relation):
        return True
    if not relation.ops or any(op not in INEQUALITIES for op in relation.ops):
        return False
    labels = [side for side in relation.sides if is_label(side) and not side.strip().startswith("\\infty")]
    return len(labels) == 1 and len(relation.sides) in (2, 3)


def as_real_set(value: Value) -> Any | None:
    """An interval, a one-variable inequality (chain), or a union/intersection of them as a sympy set."""
    import sympy

    if isinstance(value, Assignment):
        return as_real_set(value.value)
    if isinstance(value, Sequence) and (value.kind == "interval" or _open_pair(value)):
        low, high = (_bound(item) for item in value.items)
        if low is None or high is None:
            return None
        return sympy.Interval(low, high, value.left == "(", value.right == ")")
    if isinstance(value, Union):
        parts = [as_real_set(part) for part in value.parts]
        if any(p is None for p in parts):
            return None
        return sympy.Complement(*parts) if value.difference else sympy.Union(*parts)
    if isinstance(value, Relation) and value.sides == ("\\land",):
        parts = [as_real_set(part) for part in value.ops]
        return None if any(p is None for p in parts) else sympy.Intersection(*parts)
    if isinstance(value, Relation) and _one_variable_inequality(value):
        return _inequality_set(value)
    if isinstance(value, Sequence) and value.kind in ("set", "list"):
        items = [_bound(item) for item in value.items]
        return None if any(i is None for i in items) else sympy.FiniteSet(*items)
    return None


def _open_pair(value: Sequence) -> bool:
    """``(1, 2)`` is an open interval where the gold is a set of reals (and a point elsewhere)."""
    return value.kind == "tuple" and len(value.items) == 2 and (value.left, value.right) == ("(", ")")


def _bound(item: Value) -> Any | None:
    if not isinstance(item, Scalar):
        return None
    return symbolic.to_sympy(item.tex) if item.number is None else _rational(item.number.value)


def _rational(value: Fraction) -> Any:
    import sympy

    return sympy.Rational(value.numerator, value.denominator)


def _inequality_set(relation: Relation) -> Any | None:
    import sympy

    distance = _distance_inequality(relation)
    if distance is not None:  # |x - c| < r: the points within r of c
        _, centre, op, radius = distance
        c, r = symbolic.to_sympy(centre), symbolic.to_sympy(radius)
        if c is None or r is None or c.free_symbols or r.free_symbols or not (c.is_real and r.is_real):
            return None
        t = sympy.Symbol("t", real=True)
        relations = {"<": sympy.Lt, "\\le": sympy.Le, ">": sympy.Gt, "\\ge": sympy.Ge}
        return sympy.solveset(relations[op](sympy.Abs(t - c), r), t, sympy.S.Reals)
    result = sympy.S.Reals
    sides = relation.sides
    for index, op in enumerate(relation.ops):
        left, right = sides[index], sides[index + 1]
        if is_label(left):
            bound, op = right, op
        elif is_label(right):
            bound, op = left, FLIPPED[op]
        else:
            return None
        value = symbolic.to_sympy(bound)
        if value is None or value.free_symbols:
            return None
        pieces = {"<": sympy.Interval.open(-sympy.oo, value), "\\le": sympy.Interval(-sympy.oo, value),
                  ">": sympy.Interval.open(value, sympy.oo), "\\ge": sympy.Interval(value, sympy.oo)}  # fmt: skip
        result = sympy.Intersection(result, pieces[op])
    return result


def sets_match(gold: Value, answer: Value) -> bool:
    """Equal sets of reals, constraining the same variable where both name one (``x \\ge 3`` is not ``y \\ge 3``;
    an interval names none); a set that constrains two variables at once matches nothing."""
    gold_variables, answer_variables = variables(gold), variables(answer)
    if len(gold_variables) > 1 or len(answer_variables) > 1:
        return False
    if gold_variables and answer_variables and gold_variables != answer_variables:
        return False
    g, a = as_real_set(gold), as_real_set(answer)
    if g is None or a is None:
        return False
    try:
        return bool(g == a) or bool(g.symmetric_difference(a).is_empty)
    except Exception:  # noqa: BLE001
        return False
