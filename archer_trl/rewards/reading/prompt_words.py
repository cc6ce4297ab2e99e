"""The question's own words around the final box: "Natalia sold $\\boxed{72}$ clips in April and May." answers "How
many clips did Natalia sell altogether in April and May?", and "hay $\\boxed{8}$ números primos" answers "¿Cuántos
números primos hay entre 1 y 20?". Such an ending restates what was asked; it states no other value and no doubt of
the writer's, so it is read as if it were not there (red-team round 37: these endings, the most common in
GSM8K-style answers, were refused whenever a word of theirs was outside the vocabularies).

Only with the prompt (TRL passes it), and only against its *question* (the sentence that asks): every phrase of the
tail must stand in it word for word ("in April and May", never "in May" when the question says "in April and May";
"than Ben", never "than Carl"), never a digit, a formula or markup, never a word of doubt, negation, retraction,
alternative, bound or scale (red-team round 38: a bag of the prompt's words licensed "or twenty-four", "at most" and
"than Carl"). A bound or an approximation before the box only where the question asks for that very thing, in that
direction; a hedge word only where the question uses it of something other than the answer. What is licensed is
blanked, not judged: the rest of the answer is read as before.
"""

from __future__ import annotations

import re

from .answer_line import prompt_text
from .wording import DOUBT_AFTER_RE, HEDGE_RE, NEGATION_RE, RETRACTION_RE, STRONG_HEDGE_RE


def _last_box(text: str) -> tuple[int, int] | None:
    """(start, end) of the last closed box, by the extractor's own reading of boxes."""
    from ..extract import boxes  # the extractor imports this package's other modules, not this one

    found = boxes(text)
    return (found[-1].start, found[-1].end) if found and found[-1].content is not None else None


TAIL_WORDS = 16  # a restated question is short; a longer tail is an explanation, read by the after-box rules
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# the end of the box's sentence: words, spaces and commas only, up to a full stop or the end of the line
_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*['’]?"
TAIL = re.compile(  # words apart by spaces or a comma: one way only to split them (no backtracking blow-up)
    r"[^\S\n]*((?:"
    + _WORD
    + r"(?:[^\S\n]*,[^\S\n]*|[^\S\n]+)){0,"
    + str(TAIL_WORDS - 1)
    + r"}"
    + _WORD
    + r")[^\S\n]*(?=[.!。]?[^\S\n]*(?:\n|\Z))"
)
# words that open a phrase of a restatement ("clips *in* April *and* May", "*than* Ben", "*this* week")
GLUE = {"a", "an", "the", "in", "on", "at", "of", "for", "to", "than", "as", "and", "that", "this", "these", "those",
        "there", "all", "de", "la", "el", "los", "las", "en", "y", "le", "les", "des", "et", "der", "die", "das",
        "und", "im"}  # fmt: skip
UNSETTLING = re.compile(
    r"or|either|neither|nor|otherwise|alternatively|else|vs|versus|whether|unless|except|but|if|instead|rather"
    r"|twice|half|double|triple|times|more|less|fewer|percent|thousand|hundred|million|dozen|per|each|plus|minus"
    r"|least|most|about|around|approximately|nearly|almost|roughly|only|also|too|squared?|cubed?|cubic"
    r"|o|ou|oder|или|más"
    r"|menos|plus|moins|mehr|weniger|più|meno|mais|circa|environ|ungefähr|aproximadamente|cerca",
    re.I,
)
# what a comparison question asks ("How many more stickers", "How many times as old"): the tail may open with it
COMPARISON_ASKED = re.compile(
    r"\bhow\s+(?:many|much)\s+(more|fewer|less|times|older|younger|longer|shorter|taller|farther)\b", re.I
)
# An approximation just before the box where the question asks for a rounded value ("to the nearest whole number",
# "rounded to", "correct to 2 decimal places"): "approximately $\boxed{1103}$". A bound is no value ("The answer is
# at least 3" paid in round 39), so "at least" only where the writer says what must be done ("You must draw at least
# $\boxed{4}$ socks.") for a question about the least number that guarantees it; never "at most", never "is at least".
LICENSED_LEADS = (
    (re.compile(r"\b(?:least|minimum|smallest|fewest)\s+(?:possible\s+)?number\b[^?]*\b(?:to\s+(?:be\s+)?"
                r"(?:sure|certain|guarantee|ensure)|guarantee)", re.I),
     re.compile(r"\b(?:must|need\s+to|needs\s+to|have\s+to|has\s+to|should)\s+[a-z]+\s+(at\s+least)[\s$*]*\Z", re.I),
     re.compile(r"\b(?:largest|greatest|maximum|most|biggest|highest|answer|result|value)\b", re.I)),
    (ROUNDING_ASKED := re.compile(
        r"\bto\s+the\s+nearest\b|\bround(?:ed)?\s+(?:your\s+answer\s+|the\s+answer\s+|it\s+)?(?:off\s+)?to\b"
        r"|\bcorrect\s+to\s+\w+\s+(?:decimal|significant)|\bto\s+\w+\s+(?:decimal\s+places?|significant\s+figures?)",
        re.I),
     re.compile(r"\b(approximately|about|roughly|nearly|(?:which\s+)?rounds?\s+(?:off\s+)?to)[\s$*]*\Z", re.I),
     re.compile(r"\bexact", re.I)),
)  # fmt: skip
ROUNDED = re.compile(r"\b(?:which\s+)?rounds?\s+(?:off\s+|up\s+|down\s+)?to\b|\brounding\s+(?:gives|yields)\b", re.I)
# a hedge word of the question's own wording ("it might rain", "the coin probably lands heads"), then a verb or noun,
# and not said of the answer or the work ("The answer might happen to be", "this guesses randomly")
QUESTION_HEDGE = re.compile(r"\b(?:might|may|could|probably|possibly|likely|perhaps|maybe|uncertain|guess\w*)\b", re.I)
NOT_CONTENT = {"be", "been", "being", "is", "are", "was", "were", "have", "has", "had", "i", "we", "it", "this", "that",
               "the", "a", "an", "not", "also", "well", "just", "go", "work", "say", "think", "right", "wrong",
               "correct", "true", "false", "off", "answer", "result", "value", "happen", "turn", "end", "to", "equal",
               "equals", "around", "about", "near", "close", "in", "at", "on"}  # fmt: skip
SELF_SUBJECT = re.compile(
    r"\b(?:answer|result|value|solution|estimate|this|I|I'm|we|my|our|me|us|solver|writer|author|model|assistant"
    r"|calculation|computation|work|reasoning|derivation|count)\b[^.;:!?\n]*\Z",
    re.I,
)
COPULA = re.compile(r"\b(?:is|are|was|were|equals?|comes\s+to|gives?)\b")


def question_of(prompt: object) -> str:
    """The sentence of the prompt that asks: the last one with a question mark, else the last sentence."""
    text = prompt_text(prompt).rstrip()
    mark = max(text.rfind("?"), text.rfind("？"))
    end = mark + 1 if mark >= 0 else len(text)
    # a sentence ends at a stop followed by a space or a line break ("1.05" is no end)
    starts = [m.end() for m in re.finditer(r"[.!?。！？](?=\s)|\n", text[: max(0, end - 1)])]
    return text[(starts[-1] if starts else 0) : end]


def without_restated_tail(text: str, prompt: object) -> str:
    """``text`` with what restates the question around its last box blanked (see the module)."""
    question = question_of(prompt)
    box = _last_box(text) if question.strip() else None
    if box is None:
        return text
    start_of_box, end = box
    text = _without_licensed_lead(text, start_of_box, question, prompt_text(prompt))
    text = _without_question_hedges(text, prompt_text(prompt))
    after = re.match(r"(?:\$|\\\)|\\\]|\*\*)*", text[end:])
    tail = TAIL.match(text, end + after.end())
    if tail is None or any(
        r.search(tail.group(1)) for r in (DOUBT_AFTER_RE, HEDGE_RE, NEGATION_RE, RETRACTION_RE, STRONG_HEDGE_RE)
    ):
        return text
    words = list(WORD.finditer(tail.group(1)))
    asked = COMPARISON_ASKED.search(question)
    licensed = asked.group(1).lower() if asked and words[0].group().lower() == asked.group(1).lower() else None
    if any(UNSETTLING.fullmatch(w.group()) and w.group().lower() != licensed for w in words):
        return text
    start = tail.start(1)
    than = re.search(r"\bthan\s+[^\W\d_]+", question, re.I)
    if licensed and than and than.group().lower() not in " ".join(w.group().lower() for w in words):
        return text  # "$\\boxed{14}$ more cookies" for "How many more cookies did Anna bake than Mike?": whose?
    asked_words = {w.lower() for w in WORD.findall(question)}
    if len(words) < 2 or not _phrases_of(words, question):  # a lone word is the unit rules' ("cm", "clips")
        first = words[0].group().lower()
        rest = words[1:]
        if first not in asked_words:  # "460 cents for this week" where the question asks for earnings: a unit swap
            return text
        # "clips altogether in April and May": the answer's own noun stays for the unit rules, the rest restates
        if (
            licensed
            or first in GLUE
            or not first.isascii()
            or not rest
            or not any(w.group().lower() in GLUE for w in rest)
        ):
            return text
        if not _phrases_of(rest, question):
            return text
        start += rest[0].start()
    return text[:start] + " " * (tail.end(1) - start) + text[tail.end(1) :]


CONJUNCTIONS = {"and", "or", "plus", "nor", "y", "o", "et", "ou", "und", "oder", "e"}


def _phrases_of(words: list[re.Match], question: str) -> bool:
    """Whether each phrase of ``words`` (a glue word and the words up to the next one) stands in ``question`` word
    for word, and whole: never the first half of a conjunction there ("in April" of "in April and May", "than Ben" of
    "than Ben and Carl": a narrower claim, round 39)."""
    said = [w.lower() for w in WORD.findall(question)]
    phrases: list[list[str]] = []
    for word in (w.group().lower() for w in words):
        if word in GLUE and (word not in CONJUNCTIONS or not phrases) or not phrases:
            phrases.append([word])
        else:
            phrases[-1].append(word)
    position = -1
    for phrase in phrases:  # in the question's order: "on Tuesday than on Monday" never restates the reverse
        place = _whole_in(phrase, said, position + 1)
        if place is None:
            return False
        position = place
    return bool(phrases)


def _whole_in(phrase: list[str], said: list[str], start: int = 0) -> int | None:
    """Where ``phrase`` first stands whole in ``said`` from ``start`` on (never before a conjunction), or None."""
    size = len(phrase)
    for i in range(start, len(said) - size + 1):
        if said[i : i + size] == phrase and (i + size == len(said) or said[i + size] not in CONJUNCTIONS):
            return i
    return None


def _without_licensed_lead(text: str, box: int, question: str, prompt: str = "") -> str:
    lead = text[max(0, box - 40) : box]
    sentence = re.split(r"[.!?\n]\s", text[max(0, box - 300) : box])[-1]
    for asked, phrase, contrary in LICENSED_LEADS:
        # a rounding request often stands in a sentence of its own ("Round to the nearest tenth."): the whole prompt
        where = prompt if asked is ROUNDING_ASKED and prompt else question
        match = phrase.search(lead)
        if match and asked.search(where) and not contrary.search(sentence) and not contrary.search(where):
            start = box - len(lead) + match.start(1)  # the bound or approximation only: a "$" opening the box stays
            return text[:start] + " " * len(match.group(1)) + text[match.end(1) - len(lead) + box :]
    return text


def _without_question_hedges(text: str, prompt: str) -> str:
    """A hedge word followed by the same content word as in the question, blanked ("it might rain"), unless said of
    the answer or the work; "rounds to" where the question asks for a rounded value."""
    if ROUNDING_ASKED.search(prompt) and not re.search(r"\bexact", prompt, re.I):
        # only a single one (round 40: "with one rule it rounds to 13; with the other it rounds to 12" offers two)
        rounded = list(ROUNDED.finditer(text))
        box = text.rfind("\\boxed")
        boxed = re.match(r"\\boxed\s*\{\s*([-\d.,]+)", text[box:]) if box >= 0 else None
        after = re.match(r"[\s$]*(\\boxed\s*\{)?\s*([-\d.,]*\d)", text[rounded[0].end() :]) if rounded else None
        # and only one that leads to the box's value ("which rounds to $\\boxed{13}$", "rounds to 1103 ... \\boxed{1103}"):
        # "Method A rounds to 12." then another method's box is a second result (round 42)
        leads = after is not None and (after.group(1) or (boxed is not None and after.group(2) == boxed.group(1)))
        if len(rounded) == 1 and leads:
            text = text[: rounded[0].start()] + " " * len(rounded[0].group()) + text[rounded[0].end() :]
    pairs = set(re.findall(r"\b(?=([^\W\d_]+)\s+([^\W\d_]+))", prompt.lower()))  # every pair, overlapping

    def blank(match: re.Match) -> str:
        following = re.match(r"\s+([^\W\d_]+)", text[match.end() :])
        word = following.group(1).lower() if following else ""
        if not word or word in NOT_CONTENT or (match.group().lower(), word) not in pairs:
            return match.group()
        if SELF_SUBJECT.search(text[max(0, match.start() - 60) : match.start()]):
            return match.group()  # "The answer might happen to be", "this guesses randomly": said of the answer
        box = text.find("\\boxed", match.end())
        between = text[match.end() : box] if box >= 0 else ""
        if box >= 0 and not re.search(r"[.!?\n]", between) and not COPULA.search(between):
            return match.group()  # "abc is possibly equal to $\\boxed{36}$": it qualifies the boxed value itself
        return " " * len(match.group())

    return QUESTION_HEDGE.sub(blank, text)


# What the box's sentence says it is, against what the question asks (round 39: "The least common multiple ... is
# $\boxed{42}$" for a gcd question, "The perimeter is $\boxed{24}$" for an area, "$\boxed{180}$ seconds" for minutes,
# "$\boxed{21}$ apples in the basket" for "in the basket and the bag"; round 40: units written as symbols, "cm^2"
# for a perimeter, "12 vertices" for edges): a right number under another name. The name is the subject the box is
# said to be ("The perimeter is", "the area of the rectangle comes to"), never a quantity the work goes through on
# the way ("Dividing the sum by 5 gives").
QUANTITIES = {
    "area": r"area", "perimeter": r"perimeter", "volume": r"volume", "circumference": r"circumference",
    "radius": r"radius", "diameter": r"diameter", "lcm": r"(?:least|smallest|lowest)\s+common\s+multiple|lcm",
    "gcd": r"greatest\s+common\s+(?:divisor|factor)|gcd|gcf|hcf", "mean": r"mean|average", "median": r"median",
    "mode": r"mode", "range": r"range", "sum": r"sum", "product": r"product", "difference": r"difference",
    "length": r"length", "width": r"width", "height": r"height", "hypotenuse": r"hypotenuse", "depth": r"depth",
}  # fmt: skip
SUBJECT = re.compile(
    r"\b(?:(?:the|its|their|a|an)\s+)?(?:total\s+)?("
    + "|".join(QUANTITIES.values())
    + r")(?:(?:\s+of\s+[^.$\n]{1,40}?)?"
    r"\s+(?:is|equals|=|was|comes\s+(?:out\s+)?to|works\s+out\s+(?:to|as)|totals?|amounts\s+to)|\s+of|\s*:|,\s*"
    r"(?:therefore|thus|hence|so),?)\s*[$\\(]*\s*\Z",
    re.IGNORECASE,
)
DIMENSION_OF = {"area": "area", "perimeter": "length", "circumference": "length", "radius": "length",
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
    **dict.fromkeys(["yd", "yard", "yards"], ("length", "yard")), **dict.fromkeys(["mi", "mile", "miles"], ("length", "mile")),
    **dict.fromkeys(["\\$", "dollar", "dollars", "usd"], ("money", "dollar")),
    **dict.fromkeys(["¢", "cent", "cents"], ("money", "cent")), **dict.fromkeys(["€", "euro", "euros"], ("money", "euro")),
    **dict.fromkeys(["£"], ("money", "pound")), **dict.fromkeys(["¥", "yen"], ("money", "yen")),
    **dict.fromkeys(["mg", "milligram", "milligrams"], ("mass", "mg")),
    **dict.fromkeys(["g", "gram", "grams"], ("mass", "g")), **dict.fromkeys(["kg", "kilogram", "kilograms"], ("mass", "kg")),
    **dict.fromkeys(["oz", "ounce", "ounces"], ("mass", "oz")), **dict.fromkeys(["lb", "lbs"], ("mass", "lb")),
    **dict.fromkeys(["ton", "tons", "tonne", "tonnes"], ("mass", "ton")),
    **dict.fromkeys(["l", "liter", "liters", "litre", "litres"], ("volume", "l")),
    **dict.fromkeys(["ml", "milliliter", "milliliters", "millilitre", "millilitres"], ("volume", "ml")),
    **dict.fromkeys(["gallon", "gallons", "gal"], ("volume", "gallon")),
    **dict.fromkeys(["acre", "acres"], ("area", "acre")), **dict.fromkeys(["hectare", "hectares", "ha"], ("area", "ha")),
    **dict.fromkeys(["°", "\\circ", "degree", "degrees", "deg"], ("angle", "degree")),
    **dict.fromkeys(["rad", "radian", "radians"], ("angle", "radian")),
}  # fmt: skip
# things counted on a figure or a number, one of which a question asks for ("How many edges", "how many divisors")
FACETS = {"vertices", "vertex", "edges", "edge", "faces", "face", "sides", "side", "diagonals", "diagonal", "corners",
          "angles", "divisors", "factors", "digits", "roots", "solutions"}  # fmt: skip


def _asked_units(question: str) -> dict:
    """kind -> the units the question asks its answer in ("How many minutes", "in cm", "in hours and minutes")."""
    asked: dict = {}
    pattern = (
        r"\b(?=(?:how\s+many(?:\s+total)?|in|in\s+terms\s+of|number\s+of)\s+([a-z]+)(?:\s*(?:and|,)\s*([a-z]+))?)"
    )
    for match in re.finditer(pattern, question):  # overlapping: "in how many days"
        for word in filter(None, match.groups()):
            if word in UNIT_WORDS and len(word) > 1:
                kind, unit = UNIT_WORDS[word]
                asked.setdefault(kind, set()).add(unit)
    return asked


def _answer_units(box: str, after: str) -> list[tuple[str, str, int]]:
    """(kind, unit, power) of the units written in the box after its number and just after the box."""
    found = []
    text = box + " " + after[:40]
    text = (
        re.sub(r"\\(?:text|mathrm|mbox|textrm)\s*\{([^{}]*)\}", r" \1 ", text).replace("\\,", " ").replace("\\ ", " ")
    )
    for match in re.finditer(r"(\\\$|[€£¥¢°]|\\circ|[^\W\d_]+)\s*(\$?\^\s*\{?\s*([23])\s*\}?|[²³])?", text):
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


def contradicts_question(text: str, prompt: object) -> bool:
    """Whether the final box is said to be another quantity, dimension, unit or count than the question asks for,
    or restates a phrase of the question cut before its conjunction. Only with the prompt."""
    question = question_of(prompt).lower()
    box_span = _last_box(text) if question.strip() else None
    if box_span is None:
        return False
    box_start, end = box_span
    stop = re.search(r"[.!?\n]", text[end:])
    finish = end + (stop.start() if stop else len(text) - end)
    before_box = text[max(0, box_start - 120) : box_start]
    subject = SUBJECT.search(before_box)
    if subject and re.search(r"\bof\s+(?:the\s+)?\Z", before_box[: subject.start()]):
        subject = None  # "Half of the diameter: $\\boxed{5}$": the subject is the half, not the diameter
    named = [
        name for name, pattern in QUANTITIES.items() if subject and re.fullmatch(pattern, subject.group(1).lower())
    ]
    asked = [name for name, pattern in QUANTITIES.items() if re.search(rf"\b(?:{pattern})\b", question)]
    if named and asked and not set(named) & set(asked):
        return True
    box = text[text.index("{", box_start) + 1 : end - 1]
    after = text[end:finish]
    dimensions = {DIMENSION_OF[name] for name in asked if name in DIMENSION_OF}
    units = _answer_units(re.sub(r"^\s*(?:\\\$|[€£¥])?\s*[-+]?[\d.,]+", "", box), after)
    units += [UNIT_WORDS[sign] + (1,) for sign in re.findall(r"^\s*(\\\$|[€£¥])", box)]  # "€12" in the box
    words = after.lower()
    power = max([u[2] for u in units if u[0] == "length"] + [2 if re.search(r"\b(?:square|sq\.?|squared)\b", words) else 1]
                + [3 if re.search(r"\b(?:cubic|cu\.?|cubed)\b", words) else 1])  # fmt: skip
    dimension = next(iter(dimensions)) if len(dimensions) == 1 else None
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
        if any(w in GLUE for w in tail_words) and _phrases_of(list(WORD.finditer(after))[1:], question):
            return True  # "$\\boxed{18}$ students in the band." for "How many students are not in the band?"
    first = re.match(r"[\s$*]*([a-z]+)", after.lower())
    if (
        asked_words
        and first
        and asked_words[0] in FACETS
        and first.group(1) in FACETS
        and first.group(1) != asked_words[0]
    ):
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
