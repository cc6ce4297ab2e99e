"""Sentences of the answer section that offer a second value or doubt the work, read with what settles them (red-team
rounds 19 and 20): another value offered as a solution too, two results side by side, split odds; and the doubt
sentences whose conflict a rejection of another value settles."""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from ..math.numbers import SCALE_WORDS, WORD_VALUES, chinese_number, number_word
from .wording_section import (
    ADDITIVE_RE,
    DOUBT_SENTENCE_RE,
    ODDS_RE,
    REJECTING_RE,
    SETTLED_DOUBT_RE,
    VALUE_TEXT,
)

SECOND_SOLUTION_RE = re.compile(
    r"(" + VALUE_TEXT + r")[^.;\n]{0,60}?\b(?:satisf\w*|works?|fits?|qualif\w*|holds?|solves?|valid|possible|correct"
    r"|acceptable)\b|\bso\s+(?:does|do|is)\s+("
    + VALUE_TEXT
    + r")|\b(?:gives?|yields?|gets?|produces?|makes?)\s+("
    + VALUE_TEXT
    + r")[^.;\n]{0,40}?\binstead\b",
    re.IGNORECASE,
)
PARALLEL_RESULT_RE = re.compile(
    r"\b(gave|gives|give|yields?|yielded|points?\s+to|pointed\s+to|says|said|suggests?|suggested|favou?rs?)\s+("
    + VALUE_TEXT
    + r")[^.;\n]{0,50}?\b\1\s+("
    + VALUE_TEXT
    + r")",
    re.IGNORECASE,
)


def second_value(
    words: str,
    box_value: Fraction | None,
    _number: Callable[[str], Fraction | None],
    box_text: str = "",
    _plain: Callable[[str], str] = str.strip,
) -> bool:
    """Whether a sentence without the box offers another value as a solution too ("x = 3 also satisfies the
    equation.", "So does n = 9.", "gives 24 colorings instead"), sets two results side by side of which the box is one
    ("The first attempt gave 9 and the second gave 7."), or splits the odds between values ("60% on 7, 40% on 9").
    A box that is no plain number (``2\\sqrt{3}``, ``box_text``) is compared as written with a formula offered as a
    solution too ("The value $\\sqrt{3}$ also satisfies the equation."), both read by ``_plain``."""

    for sentence in re.split(r"(?<=[.!?。！？])\s+|\n+", words):
        if "boxed" in sentence or re.search(r"[\d)}]\s*(?:[-+*/×÷^·]|\\(?:times|cdot|div))|\\frac", sentence):
            continue  # the box's own sentence, or a computation whose operands are not candidates
        strong = re.search(
            r"\bsatisf\w*\s+(?:every|all|both|each)\b|\bis\s+(?:also\s+)?a\s+valid\s+(?:answer|solution|count|value)",
            sentence,
            re.I,
        )
        if ADDITIVE_RE.search(sentence) or strong:
            for match in SECOND_SOLUTION_RE.finditer(sentence):
                stated = next(group for group in match.groups() if group)
                other = _number(stated)
                if other is not None and box_value is not None and other != box_value:
                    return True
                if box_value is None and box_text and stated.startswith("$") and _plain(stated) != box_text:
                    return True
        if box_value is None:
            continue
        for match in PARALLEL_RESULT_RE.finditer(sentence):
            pair = {_number(match.group(2)), _number(match.group(3))}
            if None not in pair and len(pair) == 2 and box_value in pair:
                return True
        found = [v for pair in ODDS_RE.findall(sentence) for v in (pair if isinstance(pair, tuple) else (pair,)) if v]
        odds = {_number(value.strip(".,;")) for value in found} - {None}
        if len(odds) > 1 and box_value in odds:
            return True
    return False


def doubt_sentence(words: str) -> bool:
    """`DOUBT_SENTENCE_RE` anywhere, unless what it says is settled in its paragraph: words of conflict or of
    candidates next to the rejection of another value ("inconsistent with $x > 0$, we reject it")."""
    for match in DOUBT_SENTENCE_RE.finditer(words):
        start = max(words.rfind("\n\n", 0, match.start()), 0)
        end = words.find("\n\n", match.end())
        paragraph = words[start : end if end >= 0 else len(words)]
        if SETTLED_DOUBT_RE.search(match.group()) and REJECTING_RE.search(paragraph):
            continue
        return True
    return False


# a run of English number words ("twenty-one", "one hundred and one") or a Chinese numeral ("十三")
SPOKEN_NUMBER_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted({*WORD_VALUES, *SCALE_WORDS}, key=len, reverse=True))
    + r")(?:(?:[\s-]+|\s+and\s+)(?:"
    + "|".join(sorted({*WORD_VALUES, *SCALE_WORDS}, key=len, reverse=True))
    + r"))*\b",
    re.IGNORECASE,
)
CHINESE_NUMBER_RE = re.compile(r"[零一二两三四五六七八九十百千万亿]{1,12}")


def numbers_as_digits(words: str, single_words: bool = False) -> str:
    """Compound English number words and Chinese numerals written as digits ("twenty-one" -> 21, "one hundred and
    one" -> 101, "十三" -> 13), so that a value named the answer in words is compared with the box (red-team rounds 21
    and 23); the grader's own number parsers read them. A single word below twenty ("one of them") is kept unless
    ``single_words``."""

    def spoken(match: re.Match) -> str:
        value = number_word(match.group())
        single = " " not in match.group() and "-" not in match.group()
        if value is None or (single and value < 20 and not single_words):
            return match.group()  # a single small word ("one of them") keeps its wording; the vocabularies read it
        return str(value)

    def chinese(match: re.Match) -> str:
        value = chinese_number(match.group())
        return str(value) if value is not None and value.denominator == 1 else match.group()

    return CHINESE_NUMBER_RE.sub(chinese, SPOKEN_NUMBER_RE.sub(spoken, words))


# In code the answer section shows (code is never read as an answer): a result it prints or records
# ("```json {"answer": 13}```", `{"final_answer": "13"}`, a REPL's last output line "13")
CODE_RESULT_RE = re.compile(
    r"""["']?(?:final_?answer|answer|result|solution|output|final(?:_?(?:value|result))?)["']?\s*[:=]\s*["']?"""
    r"""([-+]?\d+(?:\.\d+)?)["']?\s*[,}\n]""",
    re.IGNORECASE,
)
CODE_BLOCK_RE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`", re.DOTALL)


def code_result_conflict(text: str, box_value: Fraction, _number: Callable[[str], Fraction | None]) -> bool:
    """Whether code in the text records or prints, as its result, a number other than the box's."""
    for block in CODE_BLOCK_RE.findall(text):
        values = [match.group(1) for match in CODE_RESULT_RE.finditer(block)]
        lines = [line.strip() for line in block.strip("`").splitlines() if line.strip()]
        prompts = [index for index, line in enumerate(lines) if line.startswith(">>>")]
        if prompts and prompts[-1] + 1 < len(lines):  # the output of the REPL's last command
            output = lines[prompts[-1] + 1 :]
            if len(output) == 1 and re.fullmatch(r"[-+]?\d+(?:\.\d+)?", output[0]):
                values.append(output[0])
        if any(_number(value) is not None and _number(value) != box_value for value in values):
            return True
    return False


# A total the text arrives at in words ("we are left with 13 marbles", "That makes 13 committees in all", "a tally
# came to 13 rows", "lands on 13", "13 students remain"): a result, not a step, when its sentence states no other
# number and no arithmetic (round 30: such a sentence before a box of 12 offered 13 as well)
NUMBER_TEXT = r"\$?\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*\$?"
TOTAL_BEFORE_RE = re.compile(
    r"\b(?:(?:are|is|were|was)\s+left\s+with|left\s+with|end(?:s|ed)?\s+up\s+(?:with|at)|lands?\s+on|landed\s+on"
    r"|arrives?\s+at|arrived\s+at|c[ao]mes?\s+(?:out\s+)?to|ends?\s+(?:up\s+)?at|ended\s+at|makes|made|totals?"
    r"|totall?ed|in\s+(?:all|total)\s*,?\s*(?:there\s+(?:are|were)|we\s+(?:have|get))|all\s+told)\s+"
    r"(?:a\s+total\s+of\s+|exactly\s+|only\s+|just\s+)?"
    + NUMBER_TEXT
    + r"(?![\d.,]*\s*(?:[-+*/×÷^=]|\\(?:times|cdot|div|frac)))",
    re.IGNORECASE,
)
TOTAL_AFTER_RE = re.compile(
    NUMBER_TEXT
    + r"\s+(?:[A-Za-z-]+\s+){0,3}?(?:in\s+all|altogether|in\s+total|all\s+told|remain(?:s|ed)?\b|are\s+left"
    r"|were\s+left|left\s+over)",
    re.IGNORECASE,
)


# words by which a sentence goes from one number to the next (a step, not a second result)
RESOLVING_RE = re.compile(
    r"\b(?:so|thus|hence|therefore|then|leaving|leaves|minus|plus|less|subtract\w*|remov\w*|add\w*|giving|gives"
    r"|after|each|per|times|twice|half|of\s+which|out\s+of|from)\b",
    re.IGNORECASE,
)


# a later sentence that works on the total: then it was a step (round 31: "left with 40 dollars. On Tuesday he
# spends a quarter of what he has.")
FURTHER_STEP_RE = re.compile(
    r"\b(?:spen[dt]s?|spending|eat(?:s|en)?|ate|sold|sells?|los[te]s?|leak\w*|gives?|gave|given|takes?|took|taken"
    r"|removes?|removed|adds?|added|half|halves|quarters?|thirds?|fifths?|fractions?|percent|doubles?(?!-?\s*check)"
    r"|triples?|twice|of\s+(?:them|these|those|it)|more|fewer|less|minus|plus|times|divided|shared"
    r"|split|back|returns?|returned|broke|broken|used|uses?)\b|%",
    re.IGNORECASE,
)


def competing_total(before: str, box_value: Fraction, _number: Callable[[str], Fraction | None]) -> bool:
    """Whether the words before the final box (``before``) arrive at a total other than the box's, in a sentence with
    one number and no arithmetic, and nothing after that sentence states the box's value again."""
    for sentence in re.finditer(r"[^.!?。！？\n]+", before):
        text = sentence.group()
        numbers = [_number(number) for number in re.findall(r"[-+]?\d[\d,]*(?:\.\d+)?", text)]
        if len(numbers) not in (1, 2) or re.search(r"[=×÷*/^]|\\(?:times|cdot|frac|div)", text):
            continue
        if len(numbers) == 2 and RESOLVING_RE.search(text):
            continue
        found = TOTAL_BEFORE_RE.search(text) or TOTAL_AFTER_RE.search(text)
        value = _number(found.group(1)) if found else None
        if value is None or value == box_value or (len(numbers) == 2 and box_value not in numbers):
            continue
        if len(numbers) == 2:
            return True  # "the hand count ends at 13, while the formula says 12": two results side by side
        rest = before[sentence.end() :]
        later = [_number(number) for number in re.findall(r"[-+]?\d[\d,]*(?:\.\d+)?", rest)]
        if box_value not in later and not FURTHER_STEP_RE.search(rest):  # "Half of them wear glasses." goes on
            return True
    return False


# A quantity the box's sentence names ("The area is $\boxed{24}$") that the work stated with another value first
# ("Area $= 32$."): the box gives one quantity's value under another's name (round 38: the perimeter, boxed as the area)
QUANTITY_NOUN = (
    r"(?:surface\s+area|area|perimeter|volume|circumference|length|width|height|radius|diameter|distance|speed"
    r"|cost|price|sum|product|mean|average|median|probability|total)"
)
VERB = (
    r"(?:=|\\approx|≈|\bis\b|\bwas\b|\bequals\b|\bcomes\s+(?:out\s+)?(?:to|as)\b|\bworks\s+out\s+(?:to|as)\b|\btotals?\b"
    r"|:)"
)
NAMED_LEAD_RE = re.compile(
    r"\b(?:the\s+)?(" + QUANTITY_NOUN + r")(?:\s+of\s+([^.$\n]{1,40}?))?\s+(?:is|equals|=|comes\s+(?:out\s+)?to"
    r"|works\s+out\s+to|totals?|amounts\s+to)\s*[\$\\(]*\s*\Z",
    re.IGNORECASE,
)
# the letters a quantity goes by in a formula ("$A = 8 \cdot 4 = 32$", "$[ABCD] = 42$", "$V_{box} = 60$", "$\Pr = 1/3$")
SYMBOLS = {"area": r"A|S|\[[A-Z]{3,5}\]", "volume": "V", "probability": r"P|p|\\Pr", "perimeter": "P", "radius": "r",
           "diameter": "d"}  # fmt: skip
RETRACTED_RE = re.compile(
    r"\b(?<!no\s)(?<!not\s)(?<!not\sa\s)(?:wait|actually|mistake|wrong|incorrect|oops|correct(?:ion|ed|ing))\b",
    re.IGNORECASE,
)


def named_quantity_conflict(before: str, box_value: Fraction, number: Callable[[str], Fraction | None]) -> bool:
    """Whether the quantity named just before the box (``before``: the text up to it) was stated earlier, plainly
    (``Area $= 32$.``, ``The area comes out as 32.``, ``$A = 32$``; the last value of its chain of equalities in its
    own clause), as another number, with no retraction since. "The radius of the small circle" is not the radius of
    the large one (round 40)."""
    lead = NAMED_LEAD_RE.search(before[-80:])
    if lead is None:
        return False
    work = before[: len(before) - len(lead.group())]
    noun = lead.group(1).lower()
    qualifier = (lead.group(2) or "").strip().lower()
    symbol = SYMBOLS.get(noun)
    stated = re.compile(
        r"(?:(?:^|[.;\n]\s*|\b(?i:the|an?|its|their)\s+|\b\w+'s\s+|\\text\{\s*)(?i:(?:total\s+)?"
        + re.escape(noun)
        + r")\}?(?:\s+of\s+([^.:=\n$]{1,40}?))?"
        + (r"|(?:^|[\s$(:])(?:" + symbol + r")(?:_\{(?:[^{}]|\{[^{}]*\}){0,30}\}|_\w)?(?![\w(])" if symbol else "")
        + r")\s*[\$\\(]*\s*"
        + VERB
        + r"((?:[^.;\n]|\.(?=\d)){0,80})",
        re.MULTILINE,
    )
    # "we get an area of $32$": the article's form, a value right after "of"
    article = re.compile(r"\ban?\s+(?i:" + re.escape(noun) + r")\s+of\s+()\$?\s*([-+]?\d[\d,]*(?:\.\d+)?)")
    for match in [*stated.finditer(work), *article.finditer(work)]:
        if qualifier and match.group(1) and match.group(1).strip().lower() != qualifier:
            continue  # another object's quantity
        clause = re.split(r",\s|\s(?:and|so|then|but|while|where|with)\s", match.group(2))[0]  # its own clause only
        last = (
            clause.split("=")[-1].strip().lstrip("$").split("$")[0].split("\\approx")[-1]
        )  # "= 72$ cubic units": the value, not its unit
        leading = re.match(
            r"\s*([-+]?\d[\d,]*(?:\.\d+)?(?:/\d+)?|\\[dt]?frac\{\d+\}\{\d+\})(?:\s+[A-Za-z/]+\b\W*)*\s*$", last
        )
        value = number(leading.group(1) if leading else last)
        if value is None or value in (box_value, box_value / 100, box_value * 100):  # 37.5% for 3/8
            continue
        if any(round(value, places) == box_value for places in range(7)):
            continue  # "the area is 16\pi \approx 50.27" then "to the nearest whole number, $\boxed{50}$"
        if not RETRACTED_RE.search(work[match.end() :]):
            return True
    return False
