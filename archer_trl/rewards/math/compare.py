"""Typed values compared: type and value must both match the gold's.

The rules a user looks up are in docs/rewards.md ("Grading rules"); each function here implements one of them.
Relations, intervals and unions of intervals are compared as sets of reals (sympy); finite sets and lists as
multisets of scalars; tuples, vectors and matrices in order.
"""

from __future__ import annotations

import re
from fractions import Fraction

from . import symbolic
from .choices import Choice
from .labels import conventional_order, letters_of, same_label
from .numbers import MIN_APPROXIMATE_FIGURES, Number, approximates, numbers_match, round_to_figures
from .parse import parse_tex
from .quantity import quantity_matches
from .real_sets import FLIPPED, is_real_set, is_set_claim, sets_match
from .values import (
    Approximation,
    Assignment,
    BaseNumber,
    Congruence,
    Counted,
    Quantity,
    Relation,
    Scalar,
    Sequence,
    Text,
    Union,
    Unknown,
    Value,
)


def understood(value: Value) -> bool:
    """Whether every part of a (gold) value can be judged: its expressions parse whole."""
    if isinstance(value, Unknown):
        return False
    if isinstance(value, Scalar):
        return value.number is not None or symbolic.to_sympy(value.tex) is not None
    if isinstance(value, Choice):
        return not value.rest or understood(value.rest)
    if isinstance(value, Assignment):
        return understood(value.value)
    if isinstance(value, Quantity):
        return all(understood(magnitude) for magnitude, _ in value.parts)
    if isinstance(value, Sequence):
        return all(understood(item) for item in _flat(value))
    if isinstance(value, Union):
        return all(understood(part) for part in value.parts)
    if isinstance(value, Relation):
        if value.sides == ("\\land",):
            return all(understood(part) for part in value.ops)
        return all(
            symbolic.to_sympy(side) is not None or side.strip() in ("\\infty", "-\\infty") for side in value.sides
        )
    return True


def matches(gold: Value, answer: Value) -> bool:
    """Whether ``answer`` states ``gold`` (both already parsed; an `Unknown` answer never matches)."""
    if isinstance(answer, Unknown):
        return False
    if isinstance(gold, Congruence) or isinstance(answer, Congruence):
        return _congruence_matches(gold, answer)
    if isinstance(answer, Counted):  # "5 students" answers 5, never 5 cm
        return not isinstance(gold, Quantity) and matches(
            gold.value if isinstance(gold, Counted) else gold, answer.value
        )
    if isinstance(gold, Counted):  # "12 students" is answered by 12, never by 12 kg
        return not isinstance(answer, Quantity) and matches(gold.value, answer)
    if (
        isinstance(answer, Union)
        and not answer.difference
        and all(isinstance(p, Sequence) and p.kind == "set" for p in answer.parts)
    ):
        answer = Sequence("set", tuple(item for part in answer.parts for item in part.items))  # {1} \\cup {2}
    if (isinstance(gold, Assignment) and is_set_claim(gold)) or (
        is_real_set(gold) and isinstance(answer, Assignment) and is_set_claim(answer)
    ):
        return sets_match(gold, answer)  # y \\in [3, \\infty), {x | x > 2}: the variable must agree
    if _restates(gold, answer):
        return True
    if isinstance(answer, Approximation):
        # the exact form is the claim: "\\sqrt{399} \\approx 20.0" does not state 20; its decimal may state a decimal gold
        decimal_gold = isinstance(gold, Scalar) and gold.number is not None and gold.number.figures is not None
        return _consistent(answer) and (
            matches(gold, answer.exact) or (decimal_gold and matches(gold, answer.decimal))
        )
    if isinstance(gold, Choice):
        if isinstance(answer, Choice):  # the letter decides; a stated value must not contradict the gold's
            return answer.letter == gold.letter and not (
                gold.rest and answer.rest and not matches(gold.rest, answer.rest)
            )
        return bool(gold.rest) and matches(gold.rest, answer)
    if isinstance(answer, Choice):
        return bool(answer.rest) and matches(gold, answer.rest)
    if isinstance(gold, Assignment):
        if isinstance(answer, Assignment) and same_label(gold.label, answer.label):
            return matches(gold.value, answer.value)
        if isinstance(answer, Assignment) and gold.label != answer.label and _same_function(gold, answer):
            return True
        if isinstance(answer, Assignment | Relation) and _is_curve(gold):  # y = 2x + 1 as y - 2x = 1
            return _relations_match(_as_relation(gold), _as_relation(answer))
        if isinstance(answer, Assignment) and _is_curve(answer) and len(letters_of(gold.label)) > 1:
            return _relations_match(_as_relation(gold), _as_relation(answer))  # x + y = 3 as y = -x + 3
        return not isinstance(answer, Assignment) and matches(gold.value, answer)
    if isinstance(answer, Assignment) and isinstance(gold, Relation) and set(gold.ops) == {"="}:
        return _relations_match(gold, _as_relation(answer))  # y = -x + 3 for x + y = 3: one equation, rearranged
    if isinstance(answer, Assignment):
        return matches(gold, answer.value)
    if isinstance(gold, Text):
        return _texts_match(gold, answer)
    if isinstance(gold, BaseNumber):
        return _base_matches(gold, answer)
    if isinstance(answer, BaseNumber):  # 1011_2 states its value: eleven
        value = int(answer.digits, answer.base)
        return isinstance(gold, Scalar) and scalars_match(gold, Scalar(str(value), Number(Fraction(value))))
    if isinstance(gold, Quantity) or isinstance(answer, Quantity):
        return quantity_matches(gold, answer, scalars_match)
    if isinstance(gold, Sequence) and gold.kind == "matrix":
        answer = _nested_rows(answer)  # [[1, 2], [3, 4]]
    if is_real_set(gold):
        return sets_match(gold, answer)
    if is_real_set(answer):
        return False  # a set of reals where the gold is a value or a point: restating the question never pays
    if isinstance(gold, Relation) or isinstance(answer, Relation):
        return isinstance(gold, Relation) and isinstance(answer, Relation) and _relations_match(gold, answer)
    if isinstance(gold, Sequence) or isinstance(answer, Sequence):
        return _sequences_match(gold, answer)
    if isinstance(gold, Scalar) and isinstance(answer, Scalar):
        return scalars_match(gold, answer)
    return False


def _congruence_matches(gold: Value, answer: Value) -> bool:
    """The same residue class (the modulus must agree); a bare value gold accepts a class whose residue it is."""
    if isinstance(gold, Congruence):
        return (
            isinstance(answer, Congruence)
            and answer.modulus == gold.modulus
            and (answer.residue - gold.residue) % gold.modulus == 0
        )
    value = Fraction(answer.residue % answer.modulus)
    return isinstance(gold, Scalar) and scalars_match(gold, Scalar(str(value), Number(value)))


def _restates(gold: Value, answer: Value) -> bool:
    """``3! = 6``, ``\\frac{1}{2} = 0.5`` against a value: a chain of equal forms, every one of them the gold."""
    if not (isinstance(answer, Relation) and answer.ops and set(answer.ops) == {"="}) or isinstance(gold, Relation):
        return False
    sides = [parse_tex(side) for side in answer.sides]
    return all(not isinstance(side, Unknown | Relation) and matches(gold, side) for side in sides)


def _consistent(approximation: Approximation) -> bool:
    """``a \\approx b`` names one value only when b is a decimal that is a correctly rounded."""
    exact, decimal = approximation.exact, approximation.decimal
    if not (isinstance(exact, Scalar) and isinstance(decimal, Scalar) and decimal.number is not None):
        return False
    value = exact.number.value if exact.number is not None else symbolic.numeric(exact.tex)
    return isinstance(value, Fraction) and approximates(value, decimal.number)


def scalars_match(gold: Scalar, answer: Scalar) -> bool:
    """Numbers by `numbers.numbers_match` (relative to magnitude, decimals to the gold's stated figures; a
    percentage gold also accepts its number of percent); expressions by symbolic equality."""
    g, a = gold.number, answer.number
    if (
        g is None
        and a is not None
        and "e" in answer.tex.lower()
        and re.search(r"(?<![A-Za-z\\])e(?![A-Za-z])", gold.tex)
    ):
        return False  # "1e5" against a gold in Euler's e: E-notation or 1*e*5? ambiguous, so not shown equal
    if g is not None and a is not None:
        if numbers_match(g, a):
            return True
        if g.percent and not a.percent:  # 25 for 25%: the number of percent
            return numbers_match(Number(g.value * 100, g.figures), a)
        if a.percent and not g.percent and abs(g.value) > 1:  # 5% for a bare 5: a percent question stored bare
            return numbers_match(g, Number(a.value * 100, a.figures))
        return False  # 0.25% is 0.0025: for a bare gold of at most 1, a percent answer is its value, not its number
    if g is not None:
        value = symbolic.numeric(answer.tex)
        if value is None and g.figures is None and not g.percent:  # \sin^2 x + \cos^2 x for 1: an identity
            return symbolic.equal(gold.tex, answer.tex)
        return isinstance(value, Fraction) and _number_near(g, value, answer.tex)
    if a is not None:
        value = symbolic.numeric(gold.tex)  # an exact gold: only an exactly equal literal (1 for \\sqrt{1})
        return isinstance(value, Fraction) and symbolic.equals_number(gold.tex, a.value)
    return symbolic.equal(gold.tex, answer.tex) or symbolic.equal_but_for_names(gold.tex, answer.tex)


def _number_near(gold: Number, value: Fraction, tex: str) -> bool:
    """A literal gold against an answer expression (``value`` its 40-digit value): a decimal gold by rounding, an
    exact one by exact equality (``\\frac{1}{3} + 10^{-28}`` is not 1/3)."""
    if gold.figures is not None:  # an exact form (2\\sqrt{3}): rounds to a gold of enough figures, never to 3.5
        if value == gold.value:
            return True
        return gold.figures >= MIN_APPROXIMATE_FIGURES and round_to_figures(value, gold.figures) == gold.value
    return symbolic.equals_number(tex, gold.value) or (gold.percent and symbolic.equals_number(tex, gold.value * 100))


def _is_curve(assignment: Assignment) -> bool:
    """``y = 2x + 1``: an equation in several variables, which may be rearranged (``k = 5`` may not)."""
    value = assignment.value
    return (
        isinstance(value, Scalar)
        and value.number is None
        and bool(getattr(symbolic.to_sympy(value.tex), "free_symbols", None))
    )


def _as_relation(value: Assignment | Relation) -> Relation:
    if isinstance(value, Relation):
        return value
    return Relation((value.label, value.value.tex), ("=",)) if isinstance(value.value, Scalar) else Relation((), ())


FUNCTION_LABEL = re.compile(r"([A-Za-z])\(([A-Za-z](?:,[A-Za-z])*)\)")


def _same_function(gold: Assignment, answer: Assignment) -> bool:
    """``f(y) = y^2`` for ``f(x) = x^2``: one function, its argument named differently (renamed, then compared)."""
    g, a = FUNCTION_LABEL.fullmatch(gold.label), FUNCTION_LABEL.fullmatch(answer.label)
    if not (g and a and g.group(1) == a.group(1) and isinstance(answer.value, Scalar)):
        return False
    old, new = a.group(2).split(","), g.group(2).split(",")
    tex = answer.value.tex
    free = set(re.findall(r"(?<![A-Za-z\\])[A-Za-z](?![A-Za-z])", tex)) - set(old)
    if len(old) != len(new) or len(set(old)) != len(old) or len(set(new)) != len(new) or free & set(new):
        return False  # f(y) = y^2 + x for f(x) = x^2 + x: renaming y would capture the answer's own x
    placeholders = {name: f"\x00{n}\x00" for n, name in enumerate(old)}
    for name, placeholder in placeholders.items():
        tex = re.sub(rf"(?<![A-Za-z\\]){name}(?![A-Za-z])", lambda _m, p=placeholder: p, tex)
    for name, placeholder in zip(new, placeholders.values()):
        tex = tex.replace(placeholder, name)
    return matches(gold.value, Scalar(tex, None))


def _words(value: Value) -> list[str] | None:
    if isinstance(value, Text):  # "a circle" for "circle": a leading article is no content
        words = value.words.split()
        return words[1:] if len(words) > 1 and words[0].lower() in ("a", "an", "the") else words
    if isinstance(value, Scalar) and value.tex.isalpha():
        return [value.tex]
    return None


def _texts_match(gold: Value, answer: Value) -> bool:
    """Text compared without case, final full stop or a final -s on lower-case words ("no solutions." for "no
    solution", "converge" for "converges": an inflection; "Thoma" is never the name "Thomas")."""
    g, a = _words(gold), _words(answer)
    return (
        g is not None
        and a is not None
        and len(g) == len(a)
        and all(x.lower() == y.lower() or (x.islower() and y.islower() and _stem(x) == _stem(y)) for x, y in zip(g, a))
    )


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


def _base_matches(gold: BaseNumber, answer: Value) -> bool:
    """``1011_2`` accepts ``1011_{2}``, ``(1011)_2`` and the bare digits ``1011``; not the decimal value 11 nor
    another base."""
    if isinstance(answer, BaseNumber):
        return answer.base == gold.base and int(answer.digits, gold.base) == int(gold.digits, gold.base)
    return isinstance(answer, Scalar) and answer.tex.strip().upper().lstrip("0") == gold.digits.lstrip("0")


def _relations_match(gold: Relation, answer: Relation) -> bool:
    """Equations (and inequalities in several variables): equal up to a constant factor, which must be positive
    for an inequality unless the relation is flipped."""
    if len(gold.ops) != 1 or len(answer.ops) != 1 or gold.sides == ("\\land",) or answer.sides == ("\\land",):
        return gold == answer and bool(gold.ops)
    g_op, a_op = gold.ops[0], answer.ops[0]
    if a_op not in (g_op, FLIPPED.get(g_op)):
        return False
    ratio = symbolic.proportional(gold.sides, answer.sides)
    if ratio is None:
        return False
    if g_op in ("=", "\\ne"):
        return True
    return (ratio > 0) == (a_op == g_op)


# ------------------------------------------------------------------------------------------ sequences


def _flat(sequence: Sequence) -> list:
    if sequence.kind == "matrix":
        return [cell for row in sequence.items for cell in row]
    return list(sequence.items)


def _as_column(value: Value) -> tuple | None:
    """A tuple, list or n x 1 / 1 x n matrix as a flat tuple of entries (vectors are written all these ways)."""
    if not isinstance(value, Sequence):
        return None
    if value.kind == "matrix":
        rows = value.items
        if all(len(row) == 1 for row in rows):
            return tuple(row[0] for row in rows)
        return rows[0] if len(rows) == 1 else None  # a 1 x n row vector
    if value.kind in ("tuple", "list"):
        return value.items
    return None


def _ordered(items: tuple, gold: tuple) -> tuple:
    """Labelled answers (``y = 2, x = 1``) in the gold's order of labels; against an unlabelled gold in a
    conventional order of their labels (`CONVENTIONAL_ORDERS`), else as written (``m = 3, b = 2`` is (3, 2))."""
    if not all(isinstance(i, Assignment) for i in items) or len({i.label for i in items}) != len(items):
        return items
    if all(isinstance(g, Assignment) for g in gold):
        order = {g.label.lower(): n for n, g in enumerate(gold)}
        if set(order) == {i.label.lower() for i in items}:
            return tuple(sorted(items, key=lambda i: order[i.label.lower()]))
        return items
    labels = [i.label.lower() if len(i.label) == 1 else i.label for i in items]
    order = conventional_order(labels) if len(set(labels)) == len(labels) else None
    if order is None:
        return items
    return tuple(item for _, item in sorted(zip(labels, items), key=lambda pair: order[pair[0]]))


def _sequences_match(gold: Value, answer: Value) -> bool:
    if isinstance(gold, Sequence) and gold.kind == "set" and len(gold.items) == 1 and isinstance(answer, Scalar):
        return matches(gold.items[0], answer)  # {3} for 3: a one-element solution set
    if isinstance(answer, Sequence) and answer.kind == "set" and len(answer.items) == 1 and isinstance(gold, Scalar):
        return matches(gold, answer.items[0])  # x \\in \\{5\\} for 5
    if _singleton_of_point(answer) and isinstance(gold, Sequence) and gold.kind == "tuple":
        return matches(gold, answer.items[0])  # \\{(1, 2)\\}: the one solution pair
    if isinstance(gold, Sequence) and gold.kind == "ratio":
        ratio = isinstance(answer, Sequence) and answer.kind == "ratio" and len(answer.items) == len(gold.items)
        return ratio and all(matches(g, a) for g, a in zip(gold.items, answer.items))
    if isinstance(answer, Sequence) and answer.kind == "ratio":
        return False
    if isinstance(gold, Sequence) and gold.kind == "set" and isinstance(answer, Sequence) and answer.kind == "set":
        return _multiset_match(_distinct(gold.items), _distinct(answer.items))  # {1, 2, 2} is {1, 2}
    if isinstance(gold, Sequence) and gold.kind == "list" and all(isinstance(i, Assignment) for i in gold.items):
        gold = Sequence("tuple", gold.items, "(", ")")  # "x = 2, y = 3": ordered by its labels, not a set
        answer = (
            Sequence("tuple", answer.items, "(", ")")
            if isinstance(answer, Sequence) and answer.kind == "list"
            else answer
        )
    if isinstance(gold, Sequence) and gold.kind in ("set", "list"):
        items = answer.items if isinstance(answer, Sequence) and answer.kind in ("set", "list") else None
        if gold.kind == "list" and isinstance(answer, Sequence) and answer.kind == "tuple":
            items = answer.items
        if items is None:
            return False
        if gold.kind == "list" and not (_unordered(gold) or _unordered(answer) or _ascending(gold.items)):
            return len(items) == len(gold.items) and all(matches(g, a) for g, a in zip(gold.items, items))
        return _multiset_match(gold.items, items)
    if isinstance(gold, Sequence) and gold.kind == "matrix":
        answer = _nested_rows(answer)  # [[1, 2], [3, 4]]
    both = isinstance(gold, Sequence) and isinstance(answer, Sequence)
    if both and gold.kind == "matrix" == answer.kind:
        return len(gold.items) == len(answer.items) and all(
            len(g) == len(a) and all(matches(x, y) for x, y in zip(g, a)) for g, a in zip(gold.items, answer.items)
        )
    g, a = _as_column(gold), _as_column(answer)
    if g is None or a is None or len(g) != len(a):
        return False
    if both and gold.kind == "tuple" == answer.kind and (gold.left, gold.right) != (answer.left, answer.right):
        return False
    labels = [item.label for item in a if isinstance(item, Assignment)]
    if len(labels) > 1 and len(set(labels)) < len(labels):
        return False  # "x = 1, x = 2": two values of one unknown are roots, never a point's coordinates
    return all(matches(x, y) for x, y in zip(g, _ordered(a, g)))


def _ascending(items: tuple) -> bool:
    """``-2, 1, 3``: distinct numbers in increasing order, as roots are listed, so compared in any order; a gold list
    in any other order (``12, 7``, ``3, 1, 4, 1, 5``) is a sequence or a multi-part answer, compared in order."""
    values = [symbolic.numeric(item.tex) if isinstance(item, Scalar) else None for item in items]
    if not all(isinstance(v, Fraction) for v in values):
        return not any(isinstance(v, Fraction) for v in values) and len(_distinct(items)) == len(items)
    return all(a < b for a, b in zip(values, values[1:]))


def _unordered(value: Value) -> bool:
    """A set, ``\\pm 3``, ``x = 2 or x = 3``, ``x_{1,2} = 2, 3``: values said to be in no order."""
    return isinstance(value, Sequence) and (value.kind == "set" or value.left in ("\\pm", "or"))


def _singleton_of_point(value: Value) -> bool:
    return (
        isinstance(value, Sequence)
        and value.kind == "set"
        and len(value.items) == 1
        and isinstance(value.items[0], Sequence)
        and value.items[0].kind == "tuple"
    )


def _nested_rows(value: Value) -> Value:
    """A bracketed list of equally long bracketed lists as the matrix it writes; anything else unchanged."""
    rows = value.items if isinstance(value, Sequence) and value.kind in ("tuple", "interval") else ()
    if len(rows) < 2 or not all(isinstance(r, Sequence) and r.kind in ("tuple", "interval") for r in rows):
        return value
    if len({len(r.items) for r in rows}) != 1 or any((r.left, r.right) not in (("[", "]"), ("(", ")")) for r in rows):
        return value
    return Sequence("matrix", tuple(r.items for r in rows))


def _distinct(items: tuple) -> tuple:
    """A set's elements once each (equal forms such as 2 and 2.0 count once)."""
    kept: list = []
    for item in items:
        if not any(matches(seen, item) and matches(item, seen) for seen in kept):  # 0.33 is not 0.3 here
            kept.append(item)
    return tuple(kept)


def _multiset_match(gold: tuple, answer: tuple) -> bool:
    """Each gold item matched by a distinct answer item (greedy; gold items are few), and nothing left over."""
    if len(gold) != len(answer):
        return False
    remaining = list(answer)
    for item in gold:
        hit = next((n for n, candidate in enumerate(remaining) if matches(item, candidate)), None)
        if hit is None:
            return False
        remaining.pop(hit)
    return True
