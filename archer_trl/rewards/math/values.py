"""The typed values a final answer parses into (see `parse`), in a module of their own so that the parsers of
words (`words`) and quantities (`quantity`) can build them without importing the parser that calls them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .choices import Choice  # noqa: F401 - a `Value` may be a `Choice`
from .numbers import Number

CONNECTOR = re.compile(r"\\text\s*\{\s*(and|or|,)\s*\}|(?<![A-Za-z\\])(and|or)(?![A-Za-z])")
TEXT_GROUP = re.compile(r"\\(?:text|mbox|hbox|textrm|mathrm|textnormal|textup|textit|textsf)\s*\{([^{}]*)\}")


@dataclass(frozen=True)
class Unknown:
    reason: str


@dataclass(frozen=True)
class Scalar:
    tex: str
    number: Number | None  # the exact literal, when the scalar is one


@dataclass(frozen=True)
class Quantity:
    parts: tuple  # ((Scalar, pint unit), ...): "1 year 6 months" has two parts
    suffix: str = ""  # "5k", "2.5 M": a lone magnitude letter (k, K, M, G, T) as written, which pint reads as a unit


@dataclass(frozen=True)
class Sequence:
    kind: str  # "tuple", "set", "list", "interval", "matrix"
    items: tuple
    left: str = ""
    right: str = ""


@dataclass(frozen=True)
class Union:
    parts: tuple
    difference: bool = False  # the first part without the second (\\setminus)


@dataclass(frozen=True)
class Relation:
    sides: tuple  # (tex, tex, ...): the expressions, in order
    ops: tuple  # the relation symbols between them


@dataclass(frozen=True)
class Assignment:
    label: str
    value: Any


@dataclass(frozen=True)
class Approximation:
    """``\\sqrt{2} \\approx 1.41``: one value in two forms, which must agree (else the answer is two values)."""

    exact: Any
    decimal: Any


@dataclass(frozen=True)
class BaseNumber:
    digits: str
    base: int


@dataclass(frozen=True)
class Congruence:
    """``x \\equiv 3 \\pmod{7}``: a residue class; it answers the same class (10 mod 7), or its residue as a value."""

    label: str
    residue: int
    modulus: int


@dataclass(frozen=True)
class Counted:
    """``8 \\text{ ways}``: a count; it answers a bare number, never a quantity with a unit."""

    value: Scalar


@dataclass(frozen=True)
class Text:
    words: str


Value = Any  # one of the dataclasses above, or a `Choice`
REALS = Sequence("interval", (Scalar("-\\infty", None), Scalar("\\infty", None)), "(", ")")
