"""The question's own words around the final box: "Natalia sold $\\boxed{72}$ clips in April and May." answers "How
many clips did Natalia sell altogether in April and May?", and "hay $\\boxed{8}$ números primos" answers "¿Cuántos
números primos hay ...?". A tail of words the prompt already holds restates what was asked; it states no other value
and no doubt of the writer's, so it is read as if it were not there (red-team round 37: such endings, the most common
in GSM8K-style answers, were refused whenever a word of the tail was outside the vocabularies).

Only with the prompt (TRL passes it); only words, never a digit, a formula or markup; never a word of doubt, negation,
retraction or alternative (the vocabularies read those whatever the prompt says: a prompt that says "might" does not
license "$\\boxed{5}$, I might be wrong"). The tail is blanked, not judged: the rest of the answer is read as before.
"""

from __future__ import annotations

import re

from .wording import DOUBT_AFTER_RE, HEDGE_RE, NEGATION_RE, RETRACTION_RE, STRONG_HEDGE_RE

TAIL_WORDS = 16  # a restated question is short; a longer tail is an explanation, read by the after-box rules
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# the end of the box's sentence: words, spaces, commas and apostrophes only, up to a full stop or the end
TAIL = re.compile(
    r"[^\S\n]*((?:[^\W\d_]+(?:['’-][^\W\d_]+)*[^\S\n]*,?[^\S\n]*){1,"
    + str(TAIL_WORDS)
    + r"})(?=[.!。]?[^\S\n]*(?:\n|\Z))"
)
# glue words a restatement adds to the question's nouns ("clips *in* April", "*than* Ben", "as old *as*")
GLUE = {"a", "an", "the", "in", "on", "at", "of", "for", "to", "than", "as", "and", "that", "this", "these", "those",
        "were", "was", "is", "are", "has", "have", "had", "there", "all", "total", "altogether", "de", "la", "el",
        "los", "las", "en", "y", "le", "les", "des", "et", "der", "die", "das", "und", "im"}  # fmt: skip
BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")
# A bound or an approximation just before the box that the question asks for: "You must draw at least $\boxed{4}$
# socks." for "the least number ... to be sure", "approximately $\boxed{1103}$" for "to the nearest whole number"
LICENSED_LEADS = (
    (re.compile(r"\b(?:minimum|minimal|least|fewest|smallest|guarantee\w*|be\s+sure|ensure)\b", re.I),
     re.compile(r"\b(?:at\s+least|a\s+minimum\s+of|no\s+fewer\s+than|no\s+less\s+than)[\s$]*\Z", re.I)),
    (re.compile(r"\b(?:maximum|maximal|most|greatest|largest)\b", re.I),
     re.compile(r"\b(?:at\s+most|a\s+maximum\s+of|no\s+more\s+than|up\s+to)[\s$]*\Z", re.I)),
    (ROUNDING_ASKED := re.compile(r"\b(?:nearest|approximat\w*|estimate\w*|round\w*|decimal\s+places?|significant\s+figures?)\b", re.I),
     re.compile(r"\b(?:approximately|about|roughly|around|nearly)[\s$]*\Z", re.I)),
)  # fmt: skip
ROUNDED = re.compile(r"\b(?:which\s+)?rounds?\s+(?:off\s+|up\s+|down\s+)?to\b|\brounding\s+(?:gives|yields)\b", re.I)
# what a comparison question asks ("How many more stickers", "How many times as old"): a tail opened by it restates it
COMPARISON_ASKED = re.compile(
    r"\bhow\s+(?:many|much)\s+(more|fewer|less|times|older|younger|longer|shorter|taller|farther)\b", re.I
)
UNSETTLING = re.compile(
    r"or|either|neither|nor|otherwise|alternatively|else|vs|versus|whether|unless|except|but|if|instead|rather"
    r"|twice|half|double|triple|times|more|less|fewer|percent|thousand|hundred|million|dozen|per|each|plus|minus"
    r"|over|under|least|most|about|around|approximately|nearly|almost|roughly|only|also|too",
    re.I,
)
# a hedge word of the question's own wording ("it might rain", "the coin probably lands heads"), then a verb or noun
NOT_CONTENT = {"be", "been", "being", "is", "are", "was", "were", "have", "has", "had", "i", "we", "it", "this", "that",
               "the", "a", "an", "not", "also", "well", "just", "go", "work", "say", "think", "right", "wrong",
               "correct", "true", "false", "off", "answer", "result", "value"}  # fmt: skip


def prompt_text(prompt: object) -> str:
    """The text of a TRL prompt: a string, or the messages of a conversation."""
    if isinstance(prompt, list):
        return " ".join(str(m.get("content", "")) if isinstance(m, dict) else str(m) for m in prompt)
    return prompt if isinstance(prompt, str) else ""


def without_restated_tail(text: str, prompt: object) -> str:
    """``text`` with the words after its last box blanked when they restate the question (see the module)."""
    question = {word.lower() for word in WORD.findall(prompt_text(prompt))}
    starts = [m.start() for m in BOX.finditer(text)]
    if not question or not starts:
        return text
    end = _close(text, starts[-1])
    if end is None:
        return text
    text = _without_licensed_lead(text, starts[-1], prompt_text(prompt))
    text = _without_question_hedges(text, prompt_text(prompt))
    after = re.match(r"(?:\$|\\\)|\\\]|\*\*)*", text[end:])
    tail = TAIL.match(text, end + after.end())
    if tail is None:
        return text
    words = [m for m in WORD.finditer(tail.group(1))]
    if not all(w.group().lower() in question or w.group().lower() in GLUE for w in words):
        return text
    if any(r.search(tail.group(1)) for r in (DOUBT_AFTER_RE, HEDGE_RE, NEGATION_RE, RETRACTION_RE, STRONG_HEDGE_RE)):
        return text
    asked = COMPARISON_ASKED.search(prompt_text(prompt))
    licensed = asked.group(1).lower() if asked and words[0].group().lower() == asked.group(1).lower() else None
    # an alternative or a word that changes the value, even one the question holds ("red or blue", "twice as many")
    if any(UNSETTLING.fullmatch(w.group()) and w.group().lower() != licensed for w in words):
        return text
    start = tail.start(1)
    first = words[0].group()
    if licensed:
        pass  # "$\boxed{7}$ more stickers than Ben" for "How many more stickers ... than Ben?": all of it restated
    elif first.lower() not in GLUE and first.isascii():
        # a noun or unit of the answer's own ("$\boxed{72}$ clips", "$\boxed{5}$ cm"): kept for the unit rules, and
        # only a phrase joined to it by a glue word is the question's ("clips in April and May", not "cm squared")
        if len(words) < 2 or words[1].group().lower() not in GLUE:
            return text
        start = tail.start(1) + words[1].start()
    return text[:start] + " " * (tail.end(1) - start) + text[tail.end(1) :]


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


def _without_licensed_lead(text: str, box: int, question: str) -> str:
    lead = text[max(0, box - 40) : box]
    for asked, phrase in LICENSED_LEADS:
        match = phrase.search(lead)
        if match and asked.search(question):
            start = box - len(lead) + match.start()
            return text[:start] + " " * (box - start) + text[box:]
    return text


def _without_question_hedges(text: str, question: str) -> str:
    """A hedge word followed by the same content word as in the question, blanked ("it might rain"); and "rounds to"
    where the question asks for a rounded value."""
    if ROUNDING_ASKED.search(question):
        text = ROUNDED.sub(lambda m: " " * len(m.group()), text)
    pairs = set(re.findall(r"\b(?=([^\W\d_]+)\s+([^\W\d_]+))", question.lower()))  # every pair, overlapping

    def blank(match: re.Match) -> str:
        following = re.match(r"\s+([^\W\d_]+)", text[match.end() :])
        word = following.group(1).lower() if following else ""
        if word and word not in NOT_CONTENT and (match.group().lower(), word) in pairs:
            return " " * len(match.group())
        return match.group()

    return QUESTION_HEDGE.sub(blank, text)


QUESTION_HEDGE = re.compile(r"\b(?:might|may|could|probably|possibly|likely|perhaps|maybe|uncertain|guess\w*)\b", re.I)
