"""Units by dimensional analysis with `pint`: a unit is what pint can read, converted by pint, never from a table.

`read_unit` turns the unit text of an answer (``km/h``, ``m^{2}``, ``square feet``, ``^\\circ``, ``\\$``) into a
pint unit or None (then the whole answer fails closed). Quantities compare by converting the answer into the gold's
unit: equal amounts in any unit match (2000 mL for 2 L, 18 months for 1 year 6 months), a different dimension or
amount does not. Counting nouns (``8 ways``, ``12 students``) are not units: they label a bare number.

pint is imported lazily, once per worker process (the registry takes about a second to build).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from functools import lru_cache
from typing import Any

# SI prefixes people write; pint also reads rarer ones, so that "units" parses as micro-nit: such readings fail.
PREFIXES = {"", "k", "c", "m", "M", "G", "T", "n", "µ", "μ", "d", "kilo", "centi", "milli", "mega", "giga", "tera",
            "nano", "micro", "deci"}  # fmt: skip
COUNT_NOUNS = {"way", "ways", "people", "person", "persons", "student", "students", "unit", "units", "item", "items",
               "time", "times", "handshake", "handshakes", "game", "games", "child", "children", "book", "books",
               "apple", "apples", "marble", "marbles", "coin", "coins", "point", "points", "number", "numbers",
               "integer", "integers", "solution", "solutions", "triangle", "triangles", "square", "squares",
               "cookie", "cookies", "ball", "balls", "card", "cards", "term", "terms", "digit", "digits",
               "pair", "pairs", "team", "teams", "page", "pages", "box", "boxes", "car", "cars", "tree", "trees",
               "seat", "seats", "step", "steps", "path", "paths", "candies", "candy", "pencils", "pencil",
               "friends", "friend", "men", "women", "boys", "girls", "boy", "girl", "dogs", "cats", "sides", "side",
               "edges", "edge", "vertices", "vertex", "faces", "face", "rows", "row", "tiles", "tile"}  # fmt: skip
COUNT_MODIFIERS = {"square", "sq", "cubic", "distinct", "different", "possible", "valid", "total", "unique", "such",
                   "ordered", "unordered", "favorable", "favourable", "good", "acceptable", "allowed", "legal",
                   "admissible", "positive", "integer", "real", "lattice", "rectangular", "special", "nice"}  # fmt: skip
PLURAL_NOUN = re.compile(r"[a-z]+[^su]s")  # committees, outcomes (not less, plus, thus, this, does, analysis)
SCALING_NOUN = re.compile(  # a word that scales the number or says how many of what
    r"(?:ten|hundred|thousand|million|billion|trillion|dozen|score|gross|lakh|crore|myriad|half|halve|third|fourth|"
    r"quarter|fifth|sixth|seventh|eighth|ninth|tenth|hundredth|thousandth|millionth|percent|per|time|unit|does|"
    r"goes|more|less|tries|guesse"
    # round 31: nouns of groups ("20 couples" of dancers is 40 dancers): the count asked for may be of either
    # ("pairs" stays a count noun, as earlier rounds labelled it: "How many pairs?" is as common)
    r"|couple|trio|quartet|quintet|sextet|octet|duo|twin|triplet|brace)e?s"
    # as a class: every ordinal fraction ("twelfths", "sixtieths") and every "-illion" ("quadrillions", "zillions")
    r"|[a-z]*(?:th|[^aeiou]ieth)s|[a-z]*illions"
)
EXTRA_DEFINITIONS = ["dollar = [currency] = usd = USD", "cent = 0.01 dollar", "@alias month = mo", "@alias week = wk",
                     "dozen = 12", "gross = 144", "@alias turn = rev",
                     # other currencies: never converted into one another (no exchange rate is a fact)
                     "euro = [currency_eur] = EUR", "pound_sterling = [currency_gbp] = GBP",
                     "rupee = [currency_inr] = INR", "yen = [currency_jpy] = JPY", "won = [currency_krw] = KRW"]  # fmt: skip
# Units a bare gold accepts after its number ("30 km" for 30): everyday units, SI prefixes only on metric ones. pint
# reads far more ("5 ca." as centiyears, "5 c." as the speed of light), and such words are more likely a trick
# than a unit; with a gold that names a unit, any unit pint reads is converted instead.
EVERYDAY_UNITS = {"meter", "gram", "second", "liter", "joule", "watt", "newton", "volt", "ampere", "pascal", "hertz",
                  "ohm", "mole", "byte", "bit", "calorie", "tonne", "minute", "hour", "day", "week", "month", "year",
                  "inch", "foot", "yard", "mile", "pound", "ounce", "ton", "acre", "hectare", "gallon", "quart",
                  "pint", "cup", "fluid_ounce", "teaspoon", "tablespoon", "degree", "radian", "kelvin",
                  "degree_Celsius", "degree_Fahrenheit", "dollar", "cent", "euro", "pound_sterling", "rupee", "yen",
                  "won", "knot", "nautical_mile", "decade",
                  "century", "millennium", "fortnight", "kilometer_per_hour", "mile_per_hour", "arcminute",
                  "arcsecond", "percent", "revolution", "turn", "light_year", "astronomical_unit",
                  "electron_volt", "atmosphere", "bar", "kilowatt_hour", "watt_hour", "square_foot", "coulomb",
                  "farad", "henry", "tesla", "weber", "siemens", "lumen", "lux", "candela", "becquerel", "gray",
                  "sievert", "erg", "dyne", "gauss", "parsec", "angstrom", "micron", "torr", "millimeter_Hg",
                  "pound_force_per_square_inch", "british_thermal_unit", "horsepower"}  # fmt: skip
METRIC_UNITS = {"meter", "gram", "second", "liter", "joule", "watt", "newton", "volt", "ampere", "pascal", "hertz",
                "ohm", "mole", "byte", "bit", "calorie", "tonne", "electron_volt", "bar", "watt_hour", "coulomb",
                "farad", "henry", "tesla", "weber", "siemens", "lumen", "lux", "candela", "becquerel", "gray",
                "sievert", "erg", "dyne", "gauss", "parsec"}  # fmt: skip
LARGE_PREFIXES = {"kilo", "mega", "giga"}  # kyr, Myr, Gyr: thousands to billions of years, never centiyears
UNIT_TEXT = re.compile(r"^[A-Za-zµμΩÅ°$/*^()\s\d.\-]*$")
RELATIVE_TOLERANCE = 1e-9  # pint converts in floating point: a conversion factor is exact only to about 1e-15


@lru_cache(maxsize=1)
def registry() -> Any:
    import pint

    units = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    for definition in EXTRA_DEFINITIONS:
        units.define(definition)
    return units


def tex_unit_to_text(tex: str) -> str:
    """``\\text{ m}^{2}`` -> ``m^2``, ``\\mathrm{km/h}`` -> ``km/h``, ``^\\circ`` -> ``degree``, ``\\$`` -> ``dollar``:
    the unit spelled for pint (TeX grouping and wrappers removed)."""
    text = re.sub(r"\^\s*\{?\s*\\circ\s*\}?", " degree ", tex)
    text = re.sub(r"\\(?:text|mbox|hbox|mathrm|textrm|operatorname|textnormal|textup|textit)\s*", " ", text)
    text = text.replace("\\$", " dollar ").replace("\\cdot", "*").replace("\\times", "*").replace("\\,", " ")
    text = text.replace("{", " ").replace("}", " ").replace("~", " ").replace("\\ ", " ")
    text = re.sub(r"\s*\^\s*", "^", text)
    # Greek and Scandinavian letters that name units or prefixes: "\\mu F" is µF, "k\\Omega" kΩ, "\\AA" Å
    text = re.sub(r"\\(?:mu|micro)(?![A-Za-z])\s*", "µ", text)
    text = re.sub(r"\\(?:Omega|ohm)(?![A-Za-z])", "Ω", text)
    text = re.sub(r"\\(?:AA|angstrom)(?![A-Za-z])|\\mathring\s*A", "Å", text)
    text = re.sub(r"(?<![A-Za-z])([kMGmnpµ])\s+Ω", r"\1Ω", text)  # "\\text{k}\\Omega": a prefix split from its unit
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=4096)
def read_unit(text: str) -> Any | None:
    """The pint unit ``text`` names, or None if pint cannot read it (or reads it only through an odd prefix)."""
    text = tex_unit_to_text(text)
    if not text or not UNIT_TEXT.match(text) or "\\" in text:
        return None
    words = re.findall(r"[A-Za-zµμΩÅ]+", text)
    units = registry()
    for word in words:
        if word.lower() in ("per", "square", "sq", "cubic", "squared", "cubed"):
            continue
        candidates = units.parse_unit_name(word)
        if not candidates or not any(prefix in PREFIXES for prefix, _, _ in candidates):
            return None
    try:
        unit = units.parse_units(text.replace("^", "**"))
    except Exception:  # noqa: BLE001 - pint raises many kinds of errors on text that is not a unit
        return None
    if units.Quantity(1, unit).dimensionless and not is_angle(unit) and str(unit) not in ("dozen", "gross"):
        return None  # "pi", "ppm", "percent" as units: a number in disguise, not a unit a bare gold may drop
    return unit


def is_everyday(unit: Any) -> bool:
    """Whether every unit in ``unit`` (a pint unit) is an everyday one (`EVERYDAY_UNITS`), prefixed only if metric."""
    units = registry()
    for name in unit._units:
        readings = units.parse_unit_name(name)
        if not any(
            base in EVERYDAY_UNITS
            and (not prefix or base in METRIC_UNITS or (base == "year" and prefix in LARGE_PREFIXES))
            for prefix, base, _ in readings
        ):
            return False
    return True


# Words that change or qualify the number they follow ("squared", "tenfold", "ish", "tops", "give or take"), whatever
# noun comes with them: never a plain word after a box (reading/after_box.py) nor a count noun's plain modifier
VALUE_WORDS_RE = re.compile(
    r"(?:squared|cubed|square|cube|plus|minus|times|over|under|half|halves|double|doubled|twice|triple|tripled|\w*fold"
    r"|\w*ish|tops|max|min|maximum|minimum|odd|each|per|cent|percent|percentage|dozens?|extra|less|more|approx\w*"
    r"|roughly|about|around|nearly|almost|near|give|take|shy|short|upwards|downwards|above|below|within|least|most"
    r"|give|or|nor|either|else|instead|otherwise|maybe|perhaps|probably|possibly|likely|guess\w*|estimate\w*"
    r"|hundred\w*|thousand\w*|\w*illions?|lakhs?|crores?|myriads?|scores?|gross|th|ths|ieth|ieths|off|away|total\w+"
    r"|inverse|reciprocal|negative|opposite|root|roots|power|powers|log|logs|exponent|digits?|then|again|later"
    r"|first|initially|previously|earlier|revised|corrected|updated|new|old|before|after|except|but|yet|still|only"
    r"|another|other|others|alternative|variant|similar|related|separate|unrelated|modified|some)",
    re.IGNORECASE,
)


def _plain_modifier(word: str) -> bool:
    """A lowercase word before a count's noun ("seating", "valid"): no unit, no word that scales the number."""
    return (
        len(word) >= 3
        and VALUE_WORDS_RE.fullmatch(word) is None
        and SCALING_NOUN.fullmatch(word) is None
        and not read_unit(word)
    )


def is_count_noun(text: str) -> bool:
    """``ways``, ``students``, ``square units``, ``possible arrangements``: a noun that labels a count, not a unit of
    measure. Besides the known nouns, any plain English plural pint cannot read as a unit (``committees``,
    ``outcomes``), after at most one plain modifier; never a word that scales or qualifies the number (``thousands``,
    ``halves``, ``less``, ``plus``)."""
    words = tex_unit_to_text(text)
    # an area or volume in "units" of no named length: "units^2", "units squared", "sq. units", "cu. units"
    words = re.sub(r"^(?:sq|cu)\.\s*(?=units?$)", "square ", words)
    words = re.sub(r"^(units?)\s*(?:\^\s*\(?[23]\)?|squared|cubed)$", r"square \1", words).split()
    if not 1 <= len(words) <= 3 or not all(re.fullmatch(r"[a-z]+", w) for w in words):
        return False
    *modifiers, noun = words
    if not all(m in COUNT_MODIFIERS or m in COUNT_NOUNS or _plain_modifier(m) for m in modifiers):
        return False
    return noun in COUNT_NOUNS or (
        (len(noun) >= 5 or len(noun) == 4 and not VALUE_WORDS_RE.fullmatch(noun))  # "cans", "runs"; not "tops"
        and PLURAL_NOUN.fullmatch(noun) is not None and not SCALING_NOUN.fullmatch(noun) and not _measures(noun) and not _measures(noun[:-1])
    )  # fmt: skip


def _measures(word: str) -> bool:
    """Whether a plain plural names an everyday unit of measure; one pint reads only as an obscure unit ("poles" are
    rods, "barns" an area, "slugs" a mass, "chains" a length) is a count of things, as a reader takes it (round 26)."""
    unit = read_unit(word)
    return unit is not None and is_everyday(unit)


def _angle_power(unit: Any) -> float:
    """The power of the angle in a unit (rad/s: 1, Hz: 0), which pint treats as dimensionless."""
    return float(registry().Quantity(1.0, unit).to_base_units().units._units.get("radian", 0))


def _turns(unit: Any) -> bool:
    return any(word in name for name in unit._units for word in ("revolution", "turn", "cycle"))


def to_unit(value: Fraction, unit: Any, target: Any) -> Fraction | None:
    """``value`` in ``unit`` expressed in ``target``; None if the dimensions differ. pint reads the radian as a pure
    number, so an angle is kept as a dimension here: 5 rad/s is not 5 Hz (nor 0.8 Hz), while a unit counting turns
    converts to a frequency turn for cycle (300 rpm is 5 Hz)."""
    units = registry()
    try:
        converted = units.Quantity(float(value), unit).to(target).magnitude
        angles = _angle_power(unit) - _angle_power(target)
    except Exception:  # noqa: BLE001 - a dimensionality error, or an offset unit pint cannot scale
        return None
    if angles and not (_turns(unit) if angles > 0 else _turns(target)):
        return None
    if angles:  # a turn counted as one cycle, not as 2 pi
        return Fraction(converted / (2 * math.pi) ** angles).limit_denominator(10**9)
    zero = units.Quantity(0.0, unit).to(target).magnitude
    if zero != 0 or units.Quantity(1.0, unit).to(target).magnitude == 0:  # an offset scale: 273.15 K is 0 degC
        # a temperature or a change of temperature? 10 degC is 50 degF, and a rise of 10 degC one of 18 degF; the
        # gold does not say which (red-team round 30 paid 50 degF for a rise), so scales never convert
        return None
    if float(value) != 0 and float(converted) == 0:
        return None  # underflow: the amount is not representable in the target unit
    factor = Fraction(converted) / Fraction(float(value)) if value else Fraction(1)
    return value * _snap(factor)


def _snap(factor: Fraction) -> Fraction:
    """A float conversion factor as the simple fraction it stands for (0.0254 for inches), when one is that close."""
    simple = factor.limit_denominator(10**7)
    return simple if abs(simple - factor) <= abs(factor) * Fraction(RELATIVE_TOLERANCE) else factor


def same_dimension(unit: Any, other: Any) -> bool:
    units = registry()
    return units.Quantity(1, unit).dimensionality == units.Quantity(1, other).dimensionality


def is_angle(unit: Any) -> bool:
    return str(unit) in ("degree", "radian", "arcminute", "arcsecond", "gradian", "grade", "turn")
