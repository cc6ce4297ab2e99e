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

from .wording import DOUBT_AFTER_RE, HEDGE_RE, NEGATION_RE, RETRACTION_RE, STRONG_HEDGE_RE

TAIL_WORDS = 16  # a restated question is short; a longer tail is an explanation, read by the after-box rules
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# the end of the box's sentence: words, spaces and commas only, up to a full stop or the end of the line
_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
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
BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")
UNSETTLING = re.compile(
    r"or|either|neither|nor|otherwise|alternatively|else|vs|versus|whether|unless|except|but|if|instead|rather"
    r"|twice|half|double|triple|times|more|less|fewer|percent|thousand|hundred|million|dozen|per|each|plus|minus"
    r"|over|under|least|most|about|around|approximately|nearly|almost|roughly|only|also|too|squared?|cubed?|cubic"
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


def prompt_text(prompt: object) -> str:
    """The text of a TRL prompt: a string, or the messages of a conversation."""
    if isinstance(prompt, list):
        return " ".join(str(m.get("content", "")) if isinstance(m, dict) else str(m) for m in prompt)
    return prompt if isinstance(prompt, str) else ""


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
    starts = [m.start() for m in BOX.finditer(text)]
    if not question.strip() or not starts:
        return text
    end = _close(text, starts[-1])
    if end is None:
        return text
    text = _without_licensed_lead(text, starts[-1], question)
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
    return bool(phrases) and all(_whole_in(phrase, said) for phrase in phrases)


def _whole_in(phrase: list[str], said: list[str]) -> bool:
    size = len(phrase)
    return any(
        said[i : i + size] == phrase and (i + size == len(said) or said[i + size] not in CONJUNCTIONS)
        for i in range(len(said) - size + 1)
    )


def _without_licensed_lead(text: str, box: int, question: str) -> str:
    lead = text[max(0, box - 40) : box]
    sentence = re.split(r"[.!?\n]\s", text[max(0, box - 300) : box])[-1]
    for asked, phrase, contrary in LICENSED_LEADS:
        match = phrase.search(lead)
        if match and asked.search(question) and not contrary.search(sentence) and not contrary.search(question):
            start = box - len(lead) + match.start(1)  # the bound or approximation only: a "$" opening the box stays
            return text[:start] + " " * len(match.group(1)) + text[match.end(1) - len(lead) + box :]
    return text


def _without_question_hedges(text: str, prompt: str) -> str:
    """A hedge word followed by the same content word as in the question, blanked ("it might rain"), unless said of
    the answer or the work; "rounds to" where the question asks for a rounded value."""
    if ROUNDING_ASKED.search(prompt) and not re.search(r"\bexact", prompt, re.I):
        text = ROUNDED.sub(lambda m: " " * len(m.group()), text)
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


def _close(text: str, start: int) -> int | None:
    depth = 0
    for index in range(text.index("{", start), len(text)):
        if text[index] == "{" and text[index - 1] != "\\":
            depth += 1
        elif text[index] == "}" and text[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


# What the box's sentence says it is, against what the question asks (round 39: "The least common multiple ... is
# $\boxed{42}$" for a gcd question, "The perimeter is $\boxed{24}$" for an area, "$\boxed{180}$ seconds" for minutes,
# "$\boxed{21}$ apples in the basket" for "in the basket and the bag"): a right number under another name
QUANTITIES = {
    "area": r"\barea\b", "perimeter": r"\bperimeter\b", "volume": r"\bvolume\b", "circumference": r"\bcircumference\b",
    "radius": r"\bradius\b", "diameter": r"\bdiameter\b", "lcm": r"\bleast\s+common\s+multiple\b|\blcm\b",
    "gcd": r"\bgreatest\s+common\s+(?:divisor|factor)\b|\bgcd\b|\bgcf\b|\bhcf\b", "mean": r"\bmean\b|\baverage\b",
    "median": r"\bmedian\b", "mode": r"\bmode\b", "sum": r"\bsum\b", "product": r"\bproduct\b",
    "difference": r"\bdifference\b",
}  # fmt: skip
DIMENSION_OF = {"area": "area", "perimeter": "length", "circumference": "length", "radius": "length",
                "diameter": "length", "volume": "volume"}  # fmt: skip
UNIT_FAMILIES = {
    "time": ["seconds", "minutes", "hours", "days", "weeks", "months", "years"],
    "length": ["millimeters", "centimeters", "meters", "kilometers", "inches", "feet", "yards", "miles"],
    "money": ["cents", "dollars", "euros", "pounds"],
    "mass": ["milligrams", "grams", "kilograms", "ounces", "tons"],
}  # fmt: skip


def contradicts_question(text: str, prompt: object) -> bool:
    """Whether the final box's sentence names another quantity, dimension or unit than the question asks for, or a
    phrase of the question cut before its conjunction (see `QUANTITIES`). Only with the prompt."""
    question = question_of(prompt).lower()
    starts = [m.start() for m in BOX.finditer(text)]
    if not question.strip() or not starts:
        return False
    line_start = max(
        text.rfind("\n", 0, starts[-1]), *(m.end() for m in re.finditer(r"[.!?](?=\s)", text[: starts[-1]])), 0
    )
    end = _close(text, starts[-1]) or len(text)
    stop = re.search(r"[.!?\n]", text[end:])
    finish = end + (stop.start() if stop else len(text) - end)
    sentence = text[line_start:finish].lower()
    named = [name for name, pattern in QUANTITIES.items() if re.search(pattern, sentence)]
    asked = [name for name, pattern in QUANTITIES.items() if re.search(pattern, question)]
    if named and asked and not set(named) & set(asked):
        return True
    dimensions = {DIMENSION_OF[name] for name in asked if name in DIMENSION_OF}
    after = text[end:finish].lower()
    if dimensions and re.search(r"\b(?:square|sq\.?|squared)\b", after) and "area" not in dimensions:
        return True
    if dimensions and re.search(r"\b(?:cubic|cu\.?|cubed)\b", after) and "volume" not in dimensions:
        return True
    for units in UNIT_FAMILIES.values():
        wanted = [u for u in units if re.search(rf"\b(?:how\s+many|in)\s+{u}\b", question)]
        given = [u for u in units if re.search(rf"\b{u[:-1]}s?\b", after)]
        if wanted and given and not set(wanted) & set(given):
            return True
    tail = TAIL.match(text, end + re.match(r"(?:\$|\\\)|\\\]|\*\*)*", text[end:]).end())
    if tail is not None:
        said = [w.lower() for w in WORD.findall(question)]
        words = [w.lower() for w in WORD.findall(tail.group(1))]
        for start in (i for i, w in enumerate(words) if w in GLUE and w not in CONJUNCTIONS):
            phrase = words[start:]
            size = len(phrase)
            cut = [i for i in range(len(said) - size + 1) if said[i : i + size] == phrase]
            if cut and all(i + size < len(said) and said[i + size] in CONJUNCTIONS for i in cut):
                return True  # "apples in the basket" for "in the basket and the bag": a part for the whole
    return False
