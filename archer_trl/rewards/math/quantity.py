"""Quantities with units: ``5 \\text{ cm}``, ``3\\text{ m } 20\\text{ cm}``, ``5'6"``, ``30^\\circ 30'``, ``\\$18.90``,
``25\\%``, ``3 h 45 min``, ``8 \\text{ ways}`` (a count). The units themselves are read by pint (`units.py`).
"""

from __future__ import annotations

import re
from fractions import Fraction

from . import units as units_
from .numbers import Number, parse_number
from .parse import Counted, Quantity, Scalar, Unknown, Value, scalar

QUANTITY_PART = re.compile(
    r"\s*(?P<dollar>\\\$\s*)?(?P<number>[+-]?\s*(?:\d+(?:\.\d*)?|\.\d+)(?:\s*(?:\\times|\\cdot)\s*10\s*\^\s*\{?[+-]?\d+\}?)?"
    r"|[+-]?\\frac\{[^{}]*\}\{[^{}]*\}(?:\\pi)?|[+-]?\d*\\pi(?:/\d+)?)"
    r"\s*(?P<unit>(?:\\%|\^\s*\{?\s*\\circ\s*\}?|'{1,2}|\"|\\text\s*\{[^{}]*\}(?:\s*\^\s*\{?\s*\d\s*\}?)?"
    r"|\\mathrm\s*\{[^{}]*\}(?:\s*\^\s*\{?\s*\d\s*\}?)?|[A-Za-z]{2,}(?:\s*\^\s*\{?\d\}?)?(?:\s*/\s*[A-Za-z]+(?:\^\{?\d\}?)?)?"
    r"|[A-Za-z](?=\s+\d)))?\s*(?:,|\\text\s*\{\s*and\s*\}|\band\b)?"  # "3 h 45 min": one letter before a number
)


def parse_quantity(tex: str) -> Value | None:
    """``5 \\text{ cm}``, ``3\\text{ m } 20\\text{ cm}``, ``5'6"``, ``\\$18.90``, ``60^\\circ``, ``25\\%``,
    ``8 \\text{ ways}``; None when ``tex`` has no unit at all (a plain scalar), `Unknown` for a unit pint cannot
    read."""
    position, parts = 0, []
    while position < len(tex):
        match = QUANTITY_PART.match(tex, position)
        if match is None or match.end() == position:
            return None
        unit_tex = re.sub(r"(?:\s+and|\s*,)\s*\}", "}", (match.group("unit") or "").strip())
        if match.group("dollar"):
            if unit_tex:
                return Unknown("a dollar amount with a unit")
            unit_tex = "\\$"
        number_text = match.group("number").replace(" ", "")
        parts.append((number_text, unit_tex))
        position = match.end()
    if not parts or any(not unit for _, unit in parts):
        return None  # a part without a unit: not a quantity (an expression such as 3-4i, or prose)
    values = []
    for number_text, unit_tex in parts:
        magnitude = scalar(number_text)
        if isinstance(magnitude, Unknown):
            return magnitude
        if unit_tex == "\\%":
            if len(parts) > 1 or magnitude.number is None:
                return Unknown("a percent in a compound")
            number = parse_number(number_text + "\\%")
            return Scalar(tex, number)
        if unit_tex in ("'", "''", '"'):  # 5'6" is feet and inches, 30^\\circ 30' degrees and arcminutes
            angle = any("circ" in unit for _, unit in parts)
            unit_tex = ("arcminute" if angle else "ft") if unit_tex == "'" else ("arcsecond" if angle else "in")
        plain = units_.tex_unit_to_text(unit_tex)
        if plain.lower() in ("percent", "per cent") and len(parts) == 1 and magnitude.number is not None:
            return Scalar(tex, parse_number(number_text + "\\%"))
        if units_.is_count_noun(unit_tex):
            if len(parts) > 1:
                return Unknown("counted nouns in a compound")
            return Counted(magnitude)
        unit = units_.read_unit(unit_tex)
        if unit is None and not unit_tex.startswith("\\") and len(parts) == 1:
            return None  # "4xy": letters after a number are an expression unless pint reads them
        if unit is None:
            return Unknown(f"not a unit: {plain!r}")
        if len(parts) == 1 and magnitude.number is not None and str(unit) in ("dozen", "gross"):
            value = magnitude.number.value * (12 if str(unit) == "dozen" else 144)  # 5 dozen is the number 60
            return Scalar(str(value), Number(value))
        values.append((magnitude, unit))
    if len(values) > 1 and not _descending(values):
        return Unknown("several amounts that are not one compound quantity")  # "5 cm and 6 cm" is a list
    return Quantity(tuple(values))


def _descending(parts: list) -> bool:
    """``5 ft 6 in``, ``1 year 6 months``: a compound quantity names units of one dimension, largest first."""
    sizes = [units_.to_unit(Fraction(1), unit, parts[-1][1]) for _, unit in parts]
    return all(s is not None for s in sizes) and all(a > b for a, b in zip(sizes, sizes[1:]))
