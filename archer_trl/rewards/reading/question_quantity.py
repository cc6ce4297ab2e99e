"""What the final box is said to be, against what the question asks: a right number under another quantity's name
("The perimeter is $\\boxed{24}$" for an area), dimension ("cm^2" for a length), unit ("$\\boxed{180}$ seconds" for
minutes, "460 cents" where the amounts are in dollars), count ("12 vertices" for edges) or part of the question ("apples
in the basket" for "in the basket and the bag"). Only with the prompt; the question is read as `prompt_words` reads it.
"""

from __future__ import annotations

import re

from .after_box import CJK_UNITS
from .answer_line import prompt_text
from .prompt_words import COMPARISON_ASKED, CONJUNCTIONS, GLUE, TAIL, WORD, last_box, phrases_of, question_of

# What the box's sentence says it is, against what the question asks (round 39: "The least common multiple ... is
# $\boxed{42}$" for a gcd question, "The perimeter is $\boxed{24}$" for an area, "$\boxed{180}$ seconds" for minutes,
# "$\boxed{21}$ apples in the basket" for "in the basket and the bag"; round 40: units written as symbols, "cm^2"
# for a perimeter, "12 vertices" for edges): a right number under another name. The name is the subject the box is
# said to be ("The perimeter is", "the area of the rectangle comes to"), never a quantity the work goes through on
# the way ("Dividing the sum by 5 gives").
QUANTITIES = {
    "area": r"area", "surface": r"surface(?:\s+area)?(?:\s+of\s+the\s+\w+)?",
    "perimeter": r"perimeter|distance\s+around(?:\s+the\s+\w+)?", "semiperimeter": r"semi-?perimeter",
    "volume": r"volume", "circumference": r"circumference",
    "radius": r"radius", "diameter": r"diameter", "lcm": r"(?:least|smallest|lowest)\s+common\s+multiple|lcm",
    "gcd": r"greatest\s+common\s+(?:divisor|factor)|gcd|gcf|hcf", "mean": r"mean|average", "median": r"median",
    "mode": r"mode", "range": r"range", "sum": r"sum", "product": r"product", "difference": r"difference",
    "length": r"length", "width": r"width", "height": r"height", "hypotenuse": r"hypotenuse", "depth": r"depth",
}  # fmt: skip
SUBJECT = re.compile(
    r"\b(?:(?:the|its|their|a|an)\s+)?(?:total\s+)?("
    + "|".join(QUANTITIES.values())
    + r")(?:(?:\s+of\s+[^.,$\n]{1,40}?)?"
    r"\s+(?:is|equals|=|was|measures|comes\s+(?:out\s+)?to|works\s+out\s+(?:to|as)|totals?|amounts\s+to)|\s+of|\s*:|,\s*"
    r"(?:therefore|thus|hence|so),?)(?:\s+(?:therefore|thus|hence|just|exactly|simply|then|clearly|indeed|precisely"
    r"|now|so|equal\s+to))*\s*[$\\(]*(?:[^$.\n=]{1,60}=\s*)*\s*\Z",  # "is therefore", "is $4 \\times 4 =" (rounds 45-46)
    re.IGNORECASE,
)
DIMENSION_OF = {"area": "area", "surface": "area", "semiperimeter": "length", "perimeter": "length", "circumference": "length", "radius": "length",
                "diameter": "length", "volume": "volume", "length": "length", "width": "length", "height": "length",
                "hypotenuse": "length", "depth": "length"}  # fmt: skip
# a unit as written (word, abbreviation, symbol) -> (kind, unit)
UNIT_WORDS = {
    **dict.fromkeys(["s", "sec", "secs", "second", "seconds"], ("time", "second")),
    **dict.fromkeys(["ms", "millisecond", "milliseconds"], ("time", "millisecond")),
    **dict.fromkeys(["min", "mins", "minute", "minutes"], ("time", "minute")),
    **dict.fromkeys(["h", "hr", "hrs", "hour", "hours"], ("time", "hour")),
    **dict.fromkeys(["day", "days"], ("time", "day")), **dict.fromkeys(["wk", "wks", "week", "weeks"], ("time", "week")),
    **dict.fromkeys(["month", "months"], ("time", "month")), **dict.fromkeys(["yr", "yrs", "year", "years"], ("time", "year")),
    **dict.fromkeys(["decade", "decades"], ("time", "decade")), **dict.fromkeys(["century", "centuries"], ("time", "century")),
    **dict.fromkeys(["mm", "millimeter", "millimeters", "millimetre", "millimetres"], ("length", "mm")),
    **dict.fromkeys(["cm", "centimeter", "centimeters", "centimetre", "centimetres"], ("length", "cm")),
    **dict.fromkeys(["m", "meter", "meters", "metre", "metres"], ("length", "m")),
    **dict.fromkeys(["km", "kilometer", "kilometers", "kilometre", "kilometres"], ("length", "km")),
    **dict.fromkeys(["inch", "inches"], ("length", "inch")), **dict.fromkeys(["ft", "foot", "feet"], ("length", "foot")),
    **dict.fromkeys(["yd", "yds", "yard", "yards"], ("length", "yard")), **dict.fromkeys(["mi", "mile", "miles"], ("length", "mile")),
    **dict.fromkeys(["\\$", "dollar", "dollars", "usd"], ("money", "dollar")),
    **dict.fromkeys(["¢", "cent", "cents"], ("money", "cent")), **dict.fromkeys(["€", "euro", "euros"], ("money", "euro")),
    **dict.fromkeys(["£"], ("money", "pound")), **dict.fromkeys(["¥", "yen"], ("money", "yen")),
    **dict.fromkeys(["peso", "pesos"], ("money", "peso")), **dict.fromkeys(["rupee", "rupees"], ("money", "rupee")),
    **dict.fromkeys(["sekunde", "sekunden"], ("time", "second")), **dict.fromkeys(["minute", "minuten"], ("time", "minute")),
    **dict.fromkeys(["stunde", "stunden", "hora", "horas", "heure", "heures"], ("time", "hour")),
    **dict.fromkeys(["segundo", "segundos", "seconde", "secondes"], ("time", "second")),
    **dict.fromkeys(["minuto", "minutos", "minutes"], ("time", "minute")),
    **dict.fromkeys(["mg", "milligram", "milligrams"], ("mass", "mg")),
    **dict.fromkeys(["g", "gram", "grams"], ("mass", "g")), **dict.fromkeys(["kg", "kilogram", "kilograms"], ("mass", "kg")),
    **dict.fromkeys(["oz", "ounce", "ounces"], ("mass", "oz")),
    **dict.fromkeys(["lb", "lbs", "pound", "pounds"], ("mass", "lb")),
    **dict.fromkeys(["ton", "tons", "tonne", "tonnes"], ("mass", "ton")),
    **dict.fromkeys(["l", "liter", "liters", "litre", "litres"], ("volume", "l")),
    **dict.fromkeys(["ml", "milliliter", "milliliters", "millilitre", "millilitres"], ("volume", "ml")),
    **dict.fromkeys(["gallon", "gallons", "gal"], ("volume", "gallon")),
    **dict.fromkeys(["acre", "acres"], ("area", "acre")), **dict.fromkeys(["hectare", "hectares", "ha"], ("area", "ha")),
    **dict.fromkeys(["°", "\\circ", "degree", "degrees", "deg"], ("angle", "degree")),
    **dict.fromkeys(["''", '"', "″"], ("length", "inch")), **dict.fromkeys(["'", "′"], ("length", "foot")),
    **dict.fromkeys(["rad", "radian", "radians"], ("angle", "radian")),
}  # fmt: skip
# things counted on a figure or a number, one of which a question asks for ("How many edges", "how many divisors")
FACETS = {"vertices", "vertex", "edges", "edge", "faces", "face", "sides", "side", "diagonals", "diagonal", "corners",
          "angles", "divisors", "factors", "digits", "roots", "solutions"}  # fmt: skip


def _facet(word: str, before: str) -> str:
    """One name per facet counted: "divisors", "factors" and "divisor" are one; "prime factors" another (round 45)."""
    word = {"vertices": "vertex", "factor": "divisor", "factors": "divisor", "divisors": "divisor"}.get(word, word)
    return ("prime " if before == "prime" else "") + word.removesuffix("s")


def _asked_units(question: str) -> dict:
    """kind -> the units the question asks its answer in ("How many minutes", "in cm", "in hours and minutes")."""
    asked: dict = {}
    pattern = r"\b(?=(?:how\s+many(?:\s+total)?|in|in\s+terms\s+of|number\s+of|cu[aá]nt[oa]s|combien\s+de|wie\s+viele|quant[oa]s)\s+([a-z]+)(?:\s*(?:and|,)\s*([a-z]+))?)"
    for match in re.finditer(pattern, question):  # overlapping: "in how many days"
        for word in filter(None, match.groups()):
            if word in UNIT_WORDS and len(word) > 1:
                kind, unit = UNIT_WORDS[word]
                asked.setdefault(kind, set()).add(unit)
    return asked


UNIT_TOKEN = re.compile(r"""(\\\$|[€£¥¢°″′"]|''|'|\\circ|[^\W\d_]+)\s*(\$?\^\s*\{?\s*([23])\s*\}?|[²³])?""")


def _answer_units(box: str, after: str) -> list[tuple[str, str, int]]:
    """(kind, unit, power) of the units written in the box after its number and just after the box."""
    found = []
    text = box + " " + after[:40]
    text = (
        re.sub(r"\\(?:text|mathrm|mbox|textrm)\s*\{([^{}]*)\}", r" \1 ", text).replace("\\,", " ").replace("\\ ", " ")
    )
    text = re.sub(r"\^\s*\{?\s*\\prime\s*\\prime\s*\}?|\\dprime", "''", text)  # inches: 4'' and 4^{\prime\prime}
    text = re.sub(r"\^\s*\{?\s*\\prime\s*\}?", "'", text)
    for match in UNIT_TOKEN.finditer(text):
        word = match.group(1).lower()
        if word in UNIT_WORDS:
            power = (
                2
                if match.group(3) == "2" or match.group(2) == "²"
                else 3
                if match.group(3) == "3" or match.group(2) == "³"
                else 1
            )
            found.append((*UNIT_WORDS[word], power))
        elif word not in ("square", "sq", "cubic", "cu", "boxed", "frac", "dfrac", "tfrac", "sqrt"):
            break  # words past the unit are read by the tail rules, not here
    return found


# Chinese quantities and units as the rules below read them ("周长是 $\\boxed{20}$ 平方厘米" for "周长是多少厘米": round 44)
CJK_WORDS = {**CJK_UNITS, "周长": "perimeter", "面积": "area", "体积": "volume", "半径": "radius", "直径": "diameter",
             "多少": "how many", "是": "is"}  # fmt: skip
CJK_WORD_RE = re.compile("|".join(sorted(map(re.escape, CJK_WORDS), key=len, reverse=True)))


def _in_english(text: str) -> str:
    return CJK_WORD_RE.sub(lambda match: f" {CJK_WORDS[match.group()]} ", text) if CJK_WORD_RE.search(text) else text


def contradicts_question(text: str, prompt: object) -> bool:
    """Whether the final box is said to be another quantity, dimension, unit or count than the question asks for,
    or restates a phrase of the question cut before its conjunction. Only with the prompt."""
    question = _in_english(question_of(prompt)).lower()
    text = _in_english(text)
    box_span = last_box(text) if question.strip() else None
    if box_span is None:
        return False
    box_start, end = box_span
    stop = re.search(r"[.!?\n]", text[end:])
    finish = end + (stop.start() if stop else len(text) - end)
    before_box = text[max(0, box_start - 120) : box_start]
    # a name in a formula reads as one in words ("$\\text{LCM} = \\boxed{6}$" for a gcd, round 44)
    named_in_formula = re.search(  # also "$\\operatorname{lcm}(12, 18) =$", "$\\gcd(12, 18) =$" (round 45)
        r"\$\s*(?:\\(?:text|mathrm|operatorname|mbox|textbf)\s*\{([^{}$]*)\}|\\(gcd|lcm))\s*(?:\([^()$]*\))?\s*=\s*\Z",
        before_box,
    )
    if named_in_formula:
        name = named_in_formula.group(1) or named_in_formula.group(2)
        before_box = before_box[: named_in_formula.start()] + " " + name + " = "
    subject = SUBJECT.search(before_box)
    if subject and re.search(
        r"\bof\s+(?:the\s+)?\Z|\b(?:half|twice|double|triple|third|quarter|fraction)\s+(?:of\s+)?(?:the\s+)?\Z",
        before_box[: subject.start()],
        re.IGNORECASE,
    ):
        subject = None  # "Half of the diameter: $\\boxed{5}$": the subject is the half, not the diameter
    named = [
        name for name, pattern in QUANTITIES.items() if subject and re.fullmatch(pattern, subject.group(1).lower())
    ]
    asked = [name for name, pattern in QUANTITIES.items() if re.search(rf"\b(?:{pattern})\b", question)]
    # a quantity the question gives a value ("a cube whose surface area is 216") is data, not what is asked (round 46)
    given = {name for name in asked if re.search(rf"\b(?:{QUANTITIES[name]})\s+(?:is|=|of|equals)\s+\$?\d", question)}
    if named == ["mean"] and "median" in asked:
        named = []  # an even count's median is the average of its middle two (round 46)
    if named and asked and not set(named) & (set(asked) - given or set(asked)):
        return True
    box = text[text.index("{", box_start) + 1 : end - 1]
    after = text[end:finish]
    dimensions = {DIMENSION_OF[name] for name in asked if name in DIMENSION_OF}
    units = _answer_units(re.sub(r"^\s*(?:\\\$|[€£¥])?\s*[-+]?[\d.,]+", "", box), after)
    units += [UNIT_WORDS[sign] + (1,) for sign in re.findall(r"^\s*(\\\$|[€£¥])", box)]  # "€12" in the box
    words = after.lower()
    power = max([u[2] for u in units if u[0] == "length"] + [2 if re.search(r"\b(?:square|sq\.?|squared)\b", words) else 1]
                + [3 if re.search(r"\b(?:cubic|cu\.?|cubed)\b", words) else 1])  # fmt: skip
    # several named: the one the question word asks for ("If a square has an area of 49, what is the length of one
    # side?": round 46), else the first ("the volume of a cube with edge length 3": round 44)
    interrogative = re.search(
        r"\b(?:what\s+(?:is|are|was|will\s+be)|what's|find|determine|compute|calculate|how\s+(?:long|far|wide|tall|"
        r"high|deep))\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:[a-z]+\s+){0,2}?("
        + "|".join(QUANTITIES.values())
        + ")\\b",
        question,
    )
    primary = next(
        (name for name in asked if interrogative and re.fullmatch(QUANTITIES[name], interrogative.group(1))), None
    )
    first_asked = primary or min(
        asked, key=lambda name: re.search(rf"\b(?:{QUANTITIES[name]})\b", question).start(), default=None
    )
    dimension = DIMENSION_OF.get(primary or "") or (
        next(iter(dimensions)) if len(dimensions) == 1 else DIMENSION_OF.get(first_asked or "")
    )
    if dimension and {"length": 1, "area": 2, "volume": 3}[dimension] != power and (units or power > 1):
        return True
    wanted = _asked_units(question)
    if "money" not in wanted and re.search(r"\\?\$\s*\d|\bdollars?\b", prompt_text(prompt), re.I):
        wanted["money"] = {"dollar"}  # amounts given in dollars, none asked in cents: "$\\boxed{460}$ cents" is not it
    if any(kind in wanted and unit not in wanted[kind] for kind, unit, _ in units):
        return True
    # a unit of another kind than the one asked for, or any unit for a count of things (round 41: "180 m" for how
    # many seconds, "12 kg" for how many apples, "45°" for minutes, "460 cm" for money, "24 acres" for a perimeter)
    kinds = {kind for kind, _, _ in units}
    if wanted and kinds and not kinds & set(wanted):
        return True
    count = re.search(r"\bhow\s+many\s+((?:[a-z]+\s+){0,2}[a-z]+)", question)
    asked_words = count.group(1).split() if count else []
    if count and not any(w in UNIT_WORDS or w in ("more", "fewer", "times") for w in asked_words) and kinds:
        return True  # "how many total meters" asks for a unit; "how many apples" for a count
    allowed = {"length": {"length"}, "area": {"area", "length"}, "volume": {"volume", "length"}}
    if dimension and kinds and not kinds <= allowed[dimension]:
        return True
    negated = re.compile(r"\bnot\b|n't\b|\bnever\b|\bno\s+longer\b")
    if negated.search(question) and not negated.search(text[max(0, box_start - 200) : finish].lower().split("\n")[-1]):
        tail_words = [w.lower() for w in WORD.findall(after)]
        if any(w in GLUE for w in tail_words) and phrases_of(list(WORD.finditer(after))[1:], question):
            return True  # "$\\boxed{18}$ students in the band." for "How many students are not in the band?"
    comparison = COMPARISON_ASKED.search(question)
    tail_words = [w.lower() for w in WORD.findall(after) if not w[:1].isdigit()]
    if (
        comparison
        and comparison.group(1).lower() not in tail_words
        and set(tail_words) - GLUE & set(WORD.findall(question))
    ):
        return True  # "$\\boxed{5}$ red marbles in the bag" for "How many more red marbles than blue": another count
    asked_facet = next(
        (_facet(w, asked_words[i - 1] if i else "") for i, w in enumerate(asked_words) if w in FACETS), None
    )
    said = re.findall(r"[a-z]+", after.lower())[:3]
    said_facet = next((_facet(w, said[i - 1] if i else "") for i, w in enumerate(said) if w in FACETS), None)
    if asked_facet and said_facet and said_facet != asked_facet:
        return True  # "A cube has $\boxed{12}$ vertices." for "How many edges"
    tail = TAIL.match(text, end + re.match(r"(?:\$|\\\)|\\\]|\*\*)*", text[end:]).end())
    if tail is not None:
        said = [w.lower() for w in WORD.findall(question)]
        words_after = [w.lower() for w in WORD.findall(tail.group(1))]
        for start in (i for i, w in enumerate(words_after) if w in GLUE and w not in CONJUNCTIONS):
            phrase = words_after[start:]
            size = len(phrase)
            cut = [i for i in range(len(said) - size + 1) if said[i : i + size] == phrase]
            if cut and all(i + size < len(said) and said[i + size] in CONJUNCTIONS for i in cut):
                return True  # "apples in the basket" for "in the basket and the bag": a part for the whole
    return False
