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
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .answer_line import prompt_text
from .arithmetic import approximate
from .congruence import without_licensed_congruence
from .formulas import formula_start
from .wording import DOUBT_AFTER_RE, HEDGE_RE, NEGATION_RE, RETRACTION_RE, STRONG_HEDGE_RE


def last_box(text: str) -> tuple[int, int] | None:
    """(start, end) of the last closed box, by the extractor's own reading of boxes."""
    from ..extract import boxes  # the extractor imports this package's other modules, not this one

    found = boxes(text)
    return (found[-1].start, found[-1].end) if found and found[-1].content is not None else None


TAIL_WORDS = 16  # a restated question is short; a longer tail is an explanation, read by the after-box rules
# a word, or a number as the question writes it ("entre 1 y 20", "of 80": round 43), which must stand there too
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|(?<![\w.,])\d+(?:[.,]\d+)*(?![\w.,]?\d)")
# the end of the box's sentence: words, spaces and commas only, up to a full stop or the end of the line; it opens
# with a word, never a number
_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*['’]?"
_TOKEN = r"(?:" + _WORD + r"|\d+(?:[.,]\d+)*(?![.,]\d))"
TAIL = re.compile(  # words apart by spaces or a comma: one way only to split them (no backtracking blow-up)
    r"[^\S\n]*("
    + _WORD
    + r"(?:(?:[^\S\n]*,[^\S\n]*|[^\S\n]+)"
    + _TOKEN
    + r"){0,"
    + str(TAIL_WORDS - 1)
    + r"})[^\S\n]*(?=[.!。]?[^\S\n]*(?:\n|\Z))"
)
# words that open a phrase of a restatement ("clips *in* April *and* May", "*than* Ben", "*this* week")
GLUE = {"a", "an", "the", "in", "on", "at", "of", "for", "to", "than", "as", "and", "that", "this", "these", "those",
        "there", "all", "de", "la", "el", "los", "las", "en", "y", "le", "les", "des", "et", "der", "die", "das",
        "und", "im", "between", "entre", "zwischen", "from", "with", "by", "now", "today", "altogether", "together",
        "overall"}  # fmt: skip
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
     re.compile(r"\b(approximately|about|roughly|nearly|(?:which\s+)?rounds?\s+(?:off\s+)?to"
                r"|(?:rounded\s+)?to\s+the\s+nearest\s+[^\W\d_]+\s*[:,])[\s$*]*\Z", re.I),  # "To the nearest tenth:"
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


# what a dataset appends to every problem ("Please reason step by step, and put your final answer within \\boxed{}."):
# never the question (round 44: a problem without a question mark was read as that sentence)
INSTRUCTIONS = re.compile(
    r"(?:(?<=[.!?。？！\n])|(?<=[.!?。？！]\s)|\A)\s*"
    r"(?:[^.!?。？！\n]*(?:step\s+by\s+step|final\s+answer|\\boxed\s*\{\s*\})[^.!?。？！\n]*[.!?]?\s*)+\Z",  # "Can you ...?"
    re.IGNORECASE,
)


def question_of(prompt: object) -> str:
    """The sentence of the prompt that asks: the last one with a question mark, else the last sentence."""
    text = INSTRUCTIONS.sub("", prompt_text(prompt).rstrip()).rstrip()
    mark = max(text.rfind("?"), text.rfind("？"))
    end = mark + 1 if mark >= 0 else len(text)
    # a sentence ends at a stop followed by a space or a line break ("1.05" is no end)
    starts = [m.end() for m in re.finditer(r"[.!?。！？](?=\s)|\n", text[: max(0, end - 1)])]
    return text[(starts[-1] if starts else 0) : end]


def without_restated_tail(text: str, prompt: object) -> str:
    """``text`` with what restates the question around its last box blanked (see the module)."""
    question = question_of(prompt)
    box = last_box(text) if question.strip() else None
    if box is None:
        return text
    start_of_box, end = box
    text = without_licensed_congruence(text, start_of_box, end, question, prompt_text(prompt))
    text = _without_rounding_approximation(text, start_of_box, end, prompt_text(prompt))
    text = _without_rounding_aside(text, start_of_box, prompt_text(prompt))
    text = _without_licensed_lead(text, start_of_box, question, prompt_text(prompt))
    text = _without_question_hedges(text, prompt_text(prompt))
    after = re.match(r"(?:\$|\\\)|\\\]|\*\*)*", text[end:])
    tail = TAIL.match(text, end + after.end())
    if tail is not None and _rounding_restated(tail.group(1), prompt_text(prompt)):
        return _without_rounding_tail(text, tail, start_of_box, end)
    unit_first = re.match(r"([^\W\d_]+\s+)(.+)", tail.group(1)) if tail is not None else None
    if unit_first and _rounding_restated(unit_first.group(2), prompt_text(prompt)):  # "dollars to the nearest dollar"
        start = tail.start(1) + len(unit_first.group(1))
        return text[:start] + " " * (tail.end(1) - start) + text[tail.end(1) :]
    if tail is None or any(
        r.search(tail.group(1)) for r in (DOUBT_AFTER_RE, HEDGE_RE, RETRACTION_RE, STRONG_HEDGE_RE)
    ):
        return text
    # a negation only as the question words it ("$\\boxed{18}$ students are not in the band." for "How many students
    # are not in the band?", round 44): its phrase must then stand in the question whole, "not" included
    negations = [match.group().lower() for match in NEGATION_RE.finditer(tail.group(1))]
    if negations and (set(negations) != {"not"} or not re.search(r"\bnot\b", question, re.IGNORECASE)):
        return text
    words = list(WORD.finditer(_money_as_asked(tail.group(1), question, prompt_text(prompt))))
    asked = COMPARISON_ASKED.search(question)
    licensed = asked.group(1).lower() if asked and words[0].group().lower() == asked.group(1).lower() else None
    if any(UNSETTLING.fullmatch(w.group()) and w.group().lower() != licensed for w in words):
        return text
    if asked and not licensed:
        return text  # "$\\boxed{5}$ red marbles in the bag" for "How many more red marbles than blue": another count
    start = tail.start(1)
    if licensed and len(words) == 1:  # "Betty needs $\\boxed{\\$5}$ more." for "How much more money"
        return text[:start] + " " * (tail.end(1) - start) + text[tail.end(1) :]
    than = re.search(r"\bthan\s+[^\W\d_]+", question, re.I)
    if licensed and than and than.group().lower() not in " ".join(w.group().lower() for w in words):
        return text  # "$\\boxed{14}$ more cookies" for "How many more cookies did Anna bake than Mike?": whose?
    asked_words = {w.lower() for w in WORD.findall(question)}
    if len(words) < 2 or not phrases_of(words, question):  # a lone word is the unit rules' ("cm", "clips")
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
        if not phrases_of(rest, question):
            return text
        start += rest[0].start()
    return text[:start] + " " * (tail.end(1) - start) + text[tail.end(1) :]


def _money_as_asked(tail: str, question: str, prompt: str) -> str:
    """``tail`` with "dollars" read as the question's "money" where the prompt gives its amounts in dollars ("$\\boxed{5}$
    more dollars" for "How much more money", round 43); padded, so every word keeps its place."""
    if not re.search(r"\bmoney\b", question, re.I) or not re.search(r"\\?\$\s*\d|\bdollars?\b", prompt, re.I):
        return tail
    return re.sub(r"\bdollars?\b", lambda m: "money".ljust(len(m.group())), tail, flags=re.I)


CONJUNCTIONS = {"and", "or", "plus", "nor", "y", "o", "et", "ou", "und", "oder", "e"}


def phrases_of(words: list[re.Match], question: str) -> bool:
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
    """Where ``phrase`` first stands whole in ``said`` from ``start`` on (never before a conjunction), or None. Never
    where it describes a number the question gives ("180 miles *in 3 hours*", "30 pages *a day*", "ate 19 *of them*":
    the box would be said to be that quantity, round 44)."""
    size = len(phrase)
    for i in range(start, len(said) - size + 1):
        if said[i : i + size] == phrase and (i + size == len(said) or said[i + size] not in CONJUNCTIONS):
            after_noun = i > 1 and _is_number(said[i - 2]) and said[i - 1] not in GLUE
            if phrase[0] in GLUE and (_is_number(said[i - 1] if i else "") or after_noun):
                continue
            return i
    return None


def _is_number(word: str) -> bool:
    return word[:1].isdigit()


def _without_licensed_lead(text: str, box: int, question: str, prompt: str = "") -> str:
    lead = text[max(0, box - 40) : box]
    sentence = re.split(r"[.!?\n]\s", text[max(0, box - 300) : box])[-1]
    for asked, phrase, contrary in LICENSED_LEADS:
        # a rounding request often stands in a sentence of its own ("Round to the nearest tenth."): the whole prompt
        where = prompt if asked is ROUNDING_ASKED and prompt else question
        match = phrase.search(lead)
        nearest = re.search(r"nearest\s+([^\W\d_]+)", match.group(1), re.I) if match else None
        if nearest and not re.search(rf"nearest\s+{nearest.group(1)}\b", where, re.I):
            continue  # "To the nearest hundredth:" where the nearest tenth is asked (round 46)
        if match and asked.search(where) and not contrary.search(sentence) and not contrary.search(where):
            start = box - len(lead) + match.start(1)  # the bound or approximation only: a "$" opening the box stays
            text = text[:start] + " " * len(match.group(1)) + text[match.end(1) - len(lead) + box :]
            boxed = re.match(r"\\boxed\s*\{\s*([-\d.,]+)\s*\}", text[box:])
            if asked is ROUNDING_ASKED and ROUNDED.search(match.group(1)) and boxed:
                text = _without_unrounded(text, start, boxed.group(1))  # "$\\approx 3.1623$, which rounds to"
            return text
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
            if boxed is not None:  # "$\\sqrt{10} \\approx 3.1623$, which rounds to": the value it rounds (round 43)
                text = _without_unrounded(text, rounded[0].start(), boxed.group(1).rstrip(".,"))
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


UNROUNDED = re.compile(
    r"(?:(?:\\approx|≈|\b(?:approximately|about|roughly|nearly))\s*)?([-+]?\d+\.\d+|[-+]?\d+)(?:\.{3}|\\ldots|\\dots|…)?"
    r"(?=\s*\$?\s*,?\s*\Z)"
)


def _rounds_to(value: str, boxed: str) -> bool:
    """Whether ``value`` rounded half up to the decimals of ``boxed`` is ``boxed``."""
    try:
        exact, result = Decimal(value), Decimal(boxed.replace(",", ""))
    except InvalidOperation:
        return False
    places = -result.as_tuple().exponent if result.as_tuple().exponent < 0 else 0
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == result


def _without_unrounded(text: str, end: int, boxed: str) -> str:
    """``text`` with the approximation just before ``end`` blanked (its ``$`` kept) when it rounds to ``boxed`` at
    the box's own precision: one computation shown before its rounding, not a second value."""
    unrounded = UNROUNDED.search(text[:end])
    if unrounded is None:
        return text
    if not _rounds_to(unrounded.group(1), boxed):
        return text
    return text[: unrounded.start()] + re.sub(r"[^$]", " ", text[unrounded.start() : end]) + text[end:]


BOXED_DECIMAL = re.compile(r"\\boxed\s*\{\s*([-+]?\d+(?:\.\d+)?)\s*\}")  # a box of one plain decimal
ROUNDING_TAIL = re.compile(
    r"(?:(?:when\s+|once\s+)?rounded\s+)?to\s+the\s+nearest\s+[^\W\d_]+(?:\s+[^\W\d_]+)?"
    r"|(?:(?:when\s+)?rounded\s+)?to\s+[^\W\d_]+\s+(?:decimal\s+places?|significant\s+(?:figures?|digits?))",
    re.IGNORECASE,
)


def _rounding_asked(prompt: str) -> bool:
    return ROUNDING_ASKED.search(prompt) is not None and re.search(r"\bexact", prompt, re.IGNORECASE) is None


def _without_rounding_approximation(text: str, box: int, end: int, prompt: str) -> str:
    """ "$\\sqrt{10} \\approx \\boxed{3.16}$" where the question asks for a rounded value: the approximation is the
    rounding asked for, read as "="; a value just before it that rounds to the box ("$4\\pi \\approx 12.57 \\approx
    \\boxed{12.6}$") is the computation shown, blanked (round 44). Else a second value, as before."""
    start = formula_start(text, box)
    boxed = BOXED_DECIMAL.fullmatch(text, box, end)
    if start is None or boxed is None or not _rounding_asked(prompt):
        return text
    approx = re.search(r"(?:\\approx(?![A-Za-z])|≈)\s*\Z", text[start:box])
    if approx is None:
        return text
    at, sign = start + approx.start(), len(approx.group().rstrip())
    # what the chain computes must round to the box ("$\\sqrt{11} \\approx \\boxed{3.2}$" for $\\sqrt{10}$: round 46)
    values = [approximate(part) for part in re.split(r"=|\\approx(?![A-Za-z])|≈", text[start:at])]
    if any(value is not None and not _rounds_to(repr(value), boxed.group(1)) for value in values):
        return text
    text = text[:at] + "=" + " " * (sign - 1) + text[at + sign :]
    return _without_unrounded(text, at, boxed.group(1))


def _rounding_restated(tail: str, prompt: str) -> bool:
    """Whether ``tail`` is the rounding the prompt asks for, in its words ("to the nearest tenth")."""
    tail = " ".join(tail.lower().split())
    return (
        _rounding_asked(prompt)
        and ROUNDING_TAIL.fullmatch(tail) is not None
        and tail in " ".join(prompt.lower().split())
    )


def _without_rounding_tail(text: str, tail: re.Match, box: int, end: int) -> str:
    """ "..., which is $\\boxed{12.6}$ to the nearest tenth." for "Round your answer to the nearest tenth." (round 44):
    the tail blanked, and the value just before ", which is" when it rounds to the box."""
    text = text[: tail.start(1)] + " " * len(tail.group(1)) + text[tail.end(1) :]
    boxed = BOXED_DECIMAL.fullmatch(text, box, end)
    lead = re.search(r",?\s*(?:which\s+is|that\s+is|i\.e\.,?)\s*\$?\s*\Z", text[:box])
    return _without_unrounded(text, lead.start(), boxed.group(1)) if lead and boxed else text


def _without_rounding_aside(text: str, box: int, prompt: str) -> str:
    """ "So the mean score, to the nearest whole number, is $\\boxed{79}$" where the prompt asks for exactly that
    rounding: the aside blanked (round 47)."""
    aside = re.search(
        r",\s*(?:rounded\s+)?to\s+the\s+nearest\s+([^\W\d_]+(?:\s+[^\W\d_]+)?)\s*,[^,.;\n]{0,30}\Z",
        text[max(0, box - 120) : box],
    )
    if aside is None or not _rounding_asked(prompt):
        return text
    if not re.search(rf"nearest\s+{re.escape(aside.group(1))}", " ".join(prompt.split()), re.IGNORECASE):
        return text
    start = max(0, box - 120) + aside.start()
    return text[:start] + " " * (aside.end(1) - aside.start() + 1) + text[start + aside.end(1) - aside.start() + 1 :]
