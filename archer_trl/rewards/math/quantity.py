"""Quantities with units: ``5 \\text{ cm}``, ``3\\text{ m } 20\\text{ cm}``, ``5'6"``, ``30^\\circ 30'``, ``\\$18.90``,
``25\\%``, ``3 h 45 min``, ``8 \\text{ ways}`` (a count). The units themselves are read by pint (`units.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from . import symbolic
from . import units as units_
from .numbers import Number, numbers_match, parse_number, stated_figures
from .values import Counted, Quantity, Scalar, Unknown, Value

QUANTITY_PART = re.compile(
    r"\s*(?P<dollar>\\\$\s*)?(?P<number>[+-]?\s*(?:\d+(?:\.\d*)?|\.\d+)(?:\s*(?:\\times|\\cdot)\s*10\s*\^\s*\{?[+-]?\d+\}?)?"
    r"|[+-]?\\frac\{[^{}]*\}\{[^{}]*\}(?:\\pi)?|[+-]?\d*\\pi(?:/\d+)?)"
    r"\s*(?P<unit>(?:\\%|\^\s*\{?\s*\\circ\s*\}?|'{1,2}|\"|\\text\s*\{[^{}]*\}(?:\s*\^\s*\{?\s*\d\s*\}?)?"
    r"|\\mathrm\s*\{[^{}]*\}(?:\s*\^\s*\{?\s*\d\s*\}?)?|[A-Za-z]{2,}(?:\s*\^\s*\{?\d\}?)?(?:\s*/\s*[A-Za-z]+(?:\^\{?\d\}?)?)?"
    r"|[A-Za-z](?=\s+\d)))?\s*(?:,|\\text\s*\{\s*and\s*\}|\band\b)?"  # "3 h 45 min": one letter before a number
)


# "5k", "2.5 M", "4G": a lone letter after a number is a magnitude (thousand, million, ...) to a reader, though pint
# reads k, K, M, G, T as the Boltzmann constant, kelvin, molar, gauss and tesla
SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
MAGNITUDE_SUFFIXES = {"k": 3, "K": 3, "M": 6, "G": 9, "T": 12}
# A unit however it is written after an exact number: \text{m}/\text{s}^2, \frac{\text{km}}{\text{h}}, \mathrm{m s^{-2}}
UNIT_START = re.compile(
    r"\\(?:text|mathrm)\s*\{|\\frac\s*\{\s*\\(?:text|mathrm)"
    r"|\\(?:Omega|AA)(?![A-Za-z])|\\mu\s*(?=\\(?:text|mathrm)\s*\{|[A-Za-z])"  # 3\,\Omega, 5 \mu F, 2\text{ k}\Omega
)
UNIT_FRACTION = re.compile(r"\\frac\s*(\{(?:[^{}]|\{[^{}]*\})*\})\s*(\{(?:[^{}]|\{[^{}]*\})*\})")


def _trailing_unit(tex: str, scalar: Callable[[str], Value]) -> list | None:
    """``5\\sqrt{2} \\text{ cm}``, ``(3+\\sqrt{5})\\text{ m}``, ``1\\frac{1}{2} \\text{ cups}``, ``9.8 \\text{m}/\\text{s}^2``:
    an exact number (an expression without a variable) and one unit after it, the unit written in any TeX pint
    can read once its wrappers are gone (a digit in it may only be an exponent: "1 \\text{ in } 4" is no unit)."""
    for match in UNIT_START.finditer(tex):
        head, unit = tex[: match.start()].strip(), UNIT_FRACTION.sub(r"(\1)/(\2)", tex[match.start() :])
        head = re.sub(r"(?:\\[ ,;:!]|~|\s)+\Z", "", head)  # "2000\ \Omega": the space before the unit
        plain = units_.tex_unit_to_text(unit)
        if not head or re.search(r"\d", re.sub(r"\^\s*\(?-?\d+\)?", "", plain)) or "\\" in plain:
            continue
        magnitude = scalar(head)
        if isinstance(magnitude, Scalar) and (magnitude.number is not None or symbolic.numeric(magnitude.tex)):
            return [(head, unit)]
    return None


def parse_quantity(tex: str, scalar: Callable[[str], Value]) -> Value | None:
    """``scalar`` reads the number part. ``5 \\text{ cm}``, ``3\\text{ m } 20\\text{ cm}``, ``5'6"``, ``\\$18.90``, ``60^\\circ``, ``25\\%``,
    ``8 \\text{ ways}``; None when ``tex`` has no unit at all (a plain scalar), `Unknown` for a unit pint cannot
    read."""
    position, parts = 0, []
    while position < len(tex):
        match = QUANTITY_PART.match(tex, position)
        if match is None or match.end() == position:
            parts = _trailing_unit(tex, scalar)
            if parts is None:
                return None
            break
        unit_tex = re.sub(r"(?:\s+and|\s*,)\s*\}", "}", (match.group("unit") or "").strip())
        number_text = match.group("number").replace(" ", "")
        scale = SCALE_WORDS.get(units_.tex_unit_to_text(unit_tex).strip().lower()) if unit_tex else None
        if scale and not match.group("dollar") and not parts and len(tex) == match.end() and parse_number(number_text):
            return scalar(str(parse_number(number_text).value * scale))  # 1.5\\text{ million}: a number, said in words
        if match.group("dollar"):
            scale = SCALE_WORDS.get(units_.tex_unit_to_text(unit_tex).lower())
            if unit_tex and not (scale and len(tex) == match.end() and parse_number(number_text)):
                return Unknown("a dollar amount with a unit")
            number_text = str(parse_number(number_text).value * scale) if unit_tex else number_text  # \\$1.5 million
            unit_tex = "\\$"
        parts.append((number_text, unit_tex))
        position = match.end()
    if not parts or any(not unit for _, unit in parts):  # 10\\pi cm^2, 1\\frac{1}{2} cups: one number, one unit
        parts = _trailing_unit(tex, scalar)
        if parts is None:
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
        if len(parts) == 1 and plain in MAGNITUDE_SUFFIXES:  # "5k": 5000 to a bare gold, 5 kelvin to "300 K"
            unit = units_.read_unit(unit_tex)
            return Quantity(((magnitude, unit),), suffix=plain) if unit is not None else Unknown("a lone letter")
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


# ------------------------------------------------------------------------------------------ comparing quantities


def _magnitude(scalar: Scalar) -> Fraction | None:
    if scalar.number is not None:
        return scalar.number.value
    value = symbolic.numeric(scalar.tex)
    return value if isinstance(value, Fraction) else None


def _total(quantity: Quantity, target: Any) -> Fraction | None:
    total = Fraction(0)
    for magnitude, unit in quantity.parts:
        value = _magnitude(magnitude)
        converted = None if value is None else units_.to_unit(value, unit, target)
        if converted is None:
            return None
        total += converted
    return total


def quantity_matches(gold: Value, answer: Value, scalars_match: Callable[[Scalar, Scalar], bool]) -> bool:
    """``scalars_match`` compares a bare gold with the answer's number. Equal amounts in any unit match; a bare answer is read in a unit the gold names; a bare gold accepts an
    answer in an everyday unit whose number matches (the gold did not say; `units.is_everyday`)."""
    if isinstance(gold, Quantity) and isinstance(answer, Quantity):
        target = gold.parts[0][1]
        return _amounts_match(gold, _total(gold, target), _total(answer, target), answer)
    if isinstance(gold, Quantity):
        if not isinstance(answer, Scalar):
            return False
        if len(gold.parts) == 1 and units_.is_angle(gold.parts[0][1]) and "\\pi" in answer.tex:
            radians = _total(gold, units_.read_unit("radian"))  # a bare angle in multiples of pi is in radians
            return radians is not None and number_near_tex(answer, radians)
        return any(_amounts_match(gold, _total(gold, unit), _magnitude(answer), answer) for _, unit in gold.parts)
    if isinstance(answer, Quantity) and len(answer.parts) == 1 and isinstance(gold, Scalar):
        magnitude, unit = answer.parts[0]
        if answer.suffix:  # "5k" is 5000 where the gold names no unit (never 5 kelvin, nor 5)
            if magnitude.number is None or magnitude.number.percent:
                return False
            value = magnitude.number.value * 10 ** MAGNITUDE_SUFFIXES[answer.suffix]
            return scalars_match(gold, Scalar(str(value), Number(value)))
        if units_.is_angle(unit) and plausible_angle(gold):  # a rational multiple of pi: an angle in radians
            radians = _total(answer, units_.read_unit("radian"))
            return radians is not None and number_near_tex(gold, radians)
        return units_.is_everyday(unit) and scalars_match(gold, magnitude)
    return False


def plausible_angle(gold: Scalar) -> bool:
    """Whether a bare gold may be an angle in radians, so that an answer in degrees may state it: a rational multiple
    of pi (pi/3, 2pi; not pi^2, pi + 1 or 4pi r^2). That pi or 4pi was an area is not in the gold: the property
    tests pin 180 degrees for pi, so a degree answer to an area of pi is a known false positive."""
    import sympy

    if "\\pi" not in gold.tex:
        return False
    value = symbolic.to_sympy(gold.tex)
    ratio = sympy.simplify(value / sympy.pi) if value is not None else None
    return isinstance(ratio, sympy.Rational)


def number_near_tex(gold: Scalar, value: Fraction) -> bool:
    expected = symbolic.numeric(gold.tex)
    return isinstance(expected, Fraction) and abs(expected - value) <= abs(expected) * Fraction(1, 10**9)


def _amounts_match(gold: Quantity, expected: Fraction | None, got: Fraction | None, answer: Value) -> bool:
    if expected is None or got is None:
        return False
    figures = gold.parts[0][0].number.figures if len(gold.parts) == 1 and gold.parts[0][0].number else None
    if figures is not None:  # the answer keeps the precision its own digits state in its own unit (88 min: 2 figures)
        single = isinstance(answer, Quantity) and len(answer.parts) == 1 and answer.parts[0][0].number is not None
        stated = stated_figures(answer.parts[0][0].number) if single else None
        return numbers_match(Number(expected, figures), Number(got, stated))
    return abs(expected - got) <= abs(expected) * Fraction(1, 10**12)  # relative: pint converts in floats
