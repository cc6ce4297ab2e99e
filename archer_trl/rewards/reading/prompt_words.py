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
# A bound or an approximation just before the box, where the question asks for exactly that: "You must draw at least
# $\boxed{4}$ socks." for "What is the least number ... to be sure", "approximately" for "to the nearest whole number".
# The sentence of the box must not name the other direction ("The largest number is at least").
LICENSED_LEADS = (
    (re.compile(r"\b(?:least|minimum|minimal|smallest|fewest)\s+(?:possible\s+)?(?:number|value|amount|count|integer|"
                r"possible)|\bhow\s+many\b[^?.]*\b(?:to\s+(?:be\s+)?(?:sure|certain|guarantee|ensure))", re.I),
     re.compile(r"\b(?:at\s+least|a\s+minimum\s+of|no\s+fewer\s+than|no\s+less\s+than)[\s$*]*\Z", re.I),
     re.compile(r"\b(?:largest|greatest|maximum|most|biggest|highest)\b", re.I)),
    (re.compile(r"\b(?:greatest|maximum|maximal|largest|most)\s+(?:possible\s+)?(?:number|value|amount|count|integer)",
                re.I),
     re.compile(r"\b(?:at\s+most|a\s+maximum\s+of|no\s+more\s+than)[\s$*]*\Z", re.I),
     re.compile(r"\b(?:least|smallest|minimum|fewest|lowest)\b", re.I)),
    (ROUNDING_ASKED := re.compile(
        r"\bto\s+the\s+nearest\b|\bround(?:ed)?\s+(?:your\s+answer|the\s+answer|it|off|up|down|to)\b|\bcorrect\s+to\s+"
        r"\w+\s+(?:decimal|significant)|\b(?:decimal\s+places?|significant\s+figures?)\b|\bapproximate\s+(?:value|answer)"
        r"|\bestimate\s+(?:the|how)\b", re.I),
     re.compile(r"\b(?:approximately|about|roughly|nearly|(?:which\s+)?rounds?\s+(?:off\s+)?to)[\s$*]*\Z", re.I),
     re.compile(r"\bexact", re.I)),
)  # fmt: skip
ROUNDED = re.compile(r"\b(?:which\s+)?rounds?\s+(?:off\s+|up\s+|down\s+)?to\b|\brounding\s+(?:gives|yields)\b", re.I)
# a hedge word of the question's own wording ("it might rain", "the coin probably lands heads"), then a verb or noun,
# and not said of the answer or the work ("The answer might happen to be", "this guesses randomly")
QUESTION_HEDGE = re.compile(r"\b(?:might|may|could|probably|possibly|likely|perhaps|maybe|uncertain|guess\w*)\b", re.I)
NOT_CONTENT = {"be", "been", "being", "is", "are", "was", "were", "have", "has", "had", "i", "we", "it", "this", "that",
               "the", "a", "an", "not", "also", "well", "just", "go", "work", "say", "think", "right", "wrong",
               "correct", "true", "false", "off", "answer", "result", "value", "happen", "turn", "end"}  # fmt: skip
SELF_SUBJECT = re.compile(
    r"\b(?:answer|result|value|solution|estimate|this|I|I'm|we|my|our|me|us)\b[^.;:!?\n]*\Z", re.I
)


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
    if len(words) < 2 or not _phrases_of(words, question):  # a lone word is the unit rules' ("cm", "clips")
        first = words[0].group().lower()
        rest = words[1:]
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


def _phrases_of(words: list[re.Match], question: str) -> bool:
    """Whether each phrase of ``words`` (a glue word and the words up to the next one) stands in ``question`` word
    for word."""
    said = " " + " ".join(w.lower() for w in WORD.findall(question)) + " "
    phrases: list[list[str]] = []
    for word in (w.group().lower() for w in words):
        if word in GLUE or not phrases:
            phrases.append([word])
        else:
            phrases[-1].append(word)
    return bool(phrases) and all(f" {' '.join(phrase)} " in said for phrase in phrases)


def _without_licensed_lead(text: str, box: int, question: str) -> str:
    lead = text[max(0, box - 40) : box]
    sentence = re.split(r"[.!?\n]\s", text[max(0, box - 300) : box])[-1]
    for asked, phrase, contrary in LICENSED_LEADS:
        match = phrase.search(lead)
        if match and asked.search(question) and not contrary.search(sentence) and not contrary.search(question):
            start = box - len(lead) + match.start()
            words = re.match(r".*[^\s$*]", match.group(), re.S)  # the words only: a "$" opening the box stays
            return text[:start] + " " * len(words.group()) + text[start + len(words.group()) :]
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
