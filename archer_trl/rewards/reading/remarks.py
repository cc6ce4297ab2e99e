"""Reading the words around a box as a reader sees them (`words_of`), the numbers a text states (`stated_number`,
number idioms), and the answer section's own doubts and competing values (`section_doubted`, `lead_conflicts`).
Also how a value stated outside a box is compared with the box's (`plain_value`, `same_number`). What may follow the
box: ``after_box.py``."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from typing import Protocol

from .choices import choice_conflict
from .languages import unread_sentence
from .second_values import (
    code_result_conflict,
    competing_total,
    doubt_sentence,
    named_quantity_conflict,
    numbers_as_digits,
    second_value,
)
from .wording import (
    ANSWER_BEFORE_RE,
    ANSWER_LINE_RE,
    ASKED_RE,
    CLOSING_RE,
    HEDGE_RE,
    MODAL_HEDGE_RE,
    MODAL_SUBJECT_RE,
    RETRACTION_RE,
    STRONG_HEDGE_RE,
    TASK_RE,
)
from .wording_section import (
    ADDRESSED_RE,
    CHOICE_STATED_RE,
    ELIMINATION_RE,
    FOREIGN_NUMBER_WORDS,
    META_DOUBT_RE,
    OPEN_CHOICE_RE,
    PROBLEM_EVALUATION_RE,
    SELF_REFERENCE_RE,
    STATED_ANSWER_RE,
    STATED_BEFORE_RE,
    VALUE_TEXT,
    WORK_UNCHECKED_RE,
)


class BoxLike(Protocol):
    start: int
    content: str | None


LABEL_RE = re.compile(r"(?<![A-Za-z\\])([A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)\s*=\s*\$?\s*\Z")
TEX_EDGE_SPACE = re.compile(r"^(?:\s|(?<!\\)\\ )+|(?:\s|(?<!\\)\\ )+$")


def strip_tex(text: str) -> str:
    """``text`` without surrounding whitespace, TeX's control space (``\\ 5\\ ``) included: a plain strip would
    keep the backslash of a trailing ``\\ `` and leave a stray ``\\``."""
    return TEX_EDGE_SPACE.sub("", text)


# Cyrillic and Greek letters that look Latin, read as Latin inside a word that also has Latin letters
LATIN_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһАВЕКМНОРСТХІЈЅοαεικνρτυχΑΒΕΗΙΚΜΝΟΡΤΥΧօոսհաɑɡɩɪʏʀʙɴʜᴀᴇᴏᴜᴠᴡᴢ",
    "aeopcyxijsdhABEKMHOPCTXIJSoaeiknptuxABEHIKMNOPTYXonuhwagiiyrbnhaeouvwz",
)
MODAL_DOUBT_RE = re.compile(r"\s*(?:be\s+)?(?:wrong|off|mistaken|incorrect|an?\s+(?:error|mistake|typo))\b", re.I)
# a word of Latin letters with look-alikes from Greek, Cyrillic, Armenian or IPA and small capitals in it
LOOKALIKE_WORD_RE = re.compile(r"\b(?=\w*[A-Za-z])(?=\w*[\u0370-\u04ff\u0530-\u058f\u0250-\u02af\u1d00-\u1d2b])\w+\b")
BOX_MARKUP_RE = re.compile(r"\\(?:boxed|fbox|text|mathrm|textbf)\s*\{([^{}]*)\}")


def hedged_before(before: str) -> bool:
    """Whether the text before a box (as `words_of` reads it) doubts it: any hedge but a modal one (`MODAL_HEDGE_RE`),
    and a modal one in the box's own clause with no other value between it and the box, or said of the answer."""
    boundaries = [m.end() for m in re.finditer(r"[.!?。！？;；,，:：\n](?!\d)", before)]
    while (
        boundaries and not re.search(r"\w", before[boundaries[-1] :]) and before[boundaries[-1] - 1] not in ".!?。！？"
    ):
        boundaries.pop()  # "It could be: $\boxed{5}$": an empty last clause reads the one before it, unless it ended
    clause_start = boundaries[-1] if boundaries else 0
    for match in HEDGE_RE.finditer(before):
        if not MODAL_HEDGE_RE.fullmatch(match.group()):
            return True
        if MODAL_SUBJECT_RE.search(before, 0, match.start()) or MODAL_DOUBT_RE.match(before, match.end()):
            return True
        if match.start() >= clause_start and not re.search(r"\d", before[match.end() :]):
            return True
    return False


def plain_value(value: str) -> str:
    """A stated value without spacing, delimiters or a label, fractions as ``a/b`` (``$x = \\dfrac{1}{2}$`` is
    ``1/2``)."""
    value = re.sub(r"\\[dt]?frac\s*\{\s*([-+]?\d+)\s*\}\s*\{\s*(\d+)\s*\}|\\[dt]?frac\s*(\d)(\d)", as_ratio, value)
    value = re.sub(r"^\\[\[(]|\\[\])]$", "", value.strip())  # "\\[\\sqrt{3}\\]": display delimiters
    return re.sub(r"^\$?\s*[A-Za-z]\s*=|[\s${}*()]", "", value).rstrip(".,;")


def as_ratio(match: re.Match) -> str:
    groups = [g for g in match.groups() if g is not None]
    return f"{groups[0]}/{groups[1]}"


def same_number(value: str, final: set[str]) -> bool:
    """``0.5`` and ``1/2``: one number written two ways (`stated_number` reads both)."""
    value_number = stated_number(value)
    return value_number is not None and any(stated_number(f) == value_number for f in final)


def relation_symbol_before(before: str) -> bool:
    """A Unicode relation right before the box ("x ⩽ $\\boxed{5}$", "x ≃ $\\boxed{5}$"): any math symbol but "="."""
    stripped = before.rstrip(" $\\([")
    last = stripped[-1:] or "="
    return (
        not last.isascii() and unicodedata.category(last) == "Sm" and last not in "⇒→⟹⟶∴⇔↦"
    )  # ASCII <, > are RELATION_BEFORE_RE's (and tags')


def words_of(text: str) -> str:
    """Text as a reader sees it: Unicode format and combining marks removed (zero-width spaces, soft hyphens,
    U+034F, variation selectors), compatibility forms folded (full-width letters), Latin look-alikes in a word of
    Latin letters read as Latin ("nоt" with a Cyrillic о), curly apostrophes straight, emphasis marks and hyphenated
    line breaks undone, box and text markup unwrapped, so that "not $\\boxed{\\text{certain}}$" reads as "not
    $certain$" (markup nests: three rounds)."""
    text = unicodedata.normalize("NFKC", html.unescape(text))  # "&gt;", "&ne;" read as the signs they show
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Mn"))
    text = LOOKALIKE_WORD_RE.sub(lambda m: m.group().translate(LATIN_LOOKALIKES), text)
    text = re.sub(r"[’‘ʼ`´]", "'", text)
    # a dash or minus look-alike that is not a spaced separator (" – ", " — ") is a minus sign: "–$\boxed{3}$"
    text = re.sub(r"(?<!\s)[\u2010-\u2015\u2212\ufe58\ufe63]|[\u2010-\u2015\u2212\ufe58\ufe63](?!\s)", "-", text)
    text = re.sub(r"(?<=\w)-\s*\n\s*(?=\w)|(?<![\\\w])[_*~]+(?=\w)|(?<=\w)[_*~]+(?![\w{])", "", text)
    for _ in range(3):
        text = BOX_MARKUP_RE.sub(r"\1", text)
    return text


NUMBER_WORDS = (
    {
        w: n
        for n, w in enumerate(
            [
                "zero",
                "one",
                "two",
                "three",
                "four",
                "five",
                "six",
                "seven",
                "eight",
                "nine",
                "ten",
                "eleven",
                "twelve",
                "thirteen",
                "fourteen",
                "fifteen",
                "sixteen",
                "seventeen",
                "eighteen",
                "nineteen",
                "twenty",
            ]
        )
    }
    | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}
    | FOREIGN_NUMBER_WORDS
)


# Numbers said as idioms, read as the number they state ("works out to a baker's dozen." then \\boxed{12})
NUMBER_IDIOMS = (
    (re.compile(r"\b(?:a\s+)?baker'?s\s+dozen\b", re.I), "13"),
    (re.compile(r"\bhalf\s+a\s+dozen\b", re.I), "6"),
    (re.compile(r"\ba\s+dozen\b(?!\s+(?:or|and)\b)", re.I), "12"),
    (
        re.compile(r"\ba\s+(?:great\s+)?gross\b(?!\s+(?:income|profit|margin|weight|domestic|error|revenue))", re.I),
        "144",
    ),
    (re.compile(r"\ba\s+score\b(?=\s+(?:of|more|or)\b|\s*[.,;!]|\s*\Z)", re.I), "20"),
    (re.compile(r"\ba\s+(?:single|lone)\b", re.I), "1"),
    (re.compile(r"\ba\s+(?:couple|pair|brace)\b(?=\s+of\b|\s*[.,;!]|\s*\Z)", re.I), "2"),
    (re.compile(r"\ba\s+century\b(?=\s+of\b|\s*[.,;!]|\s*\Z)", re.I), "100"),
    (re.compile(r"\bhalf\s+a\s+hundred\b", re.I), "50"),
)


def idioms_as_numbers(text: str) -> str:
    for idiom, number in NUMBER_IDIOMS:
        text = idiom.sub(number, text)
    return text


# Number words read as numbers where values are compared in a sentence ("twelve or thirteen"); "zero" and "one" are
# too often plain words ("one of them")
SPELLED_NUMBER_RE = re.compile(r"\b(?:" + "|".join(w for w in NUMBER_WORDS if w not in ("zero", "one")) + r")\b", re.I)


def stated_number(text: str) -> Fraction | None:
    """A value written in text as a plain number (``$x = 1{,}000$``, ``\\(\\dfrac{1}{2}\\)``, ``−3``, ``eight``); None for
    anything else (an expression is not compared)."""
    text = re.sub(r"\\(?:mathbf|textbf|boldsymbol|bm)\s*\{([^{}]*)\}", r"\1", text)  # \mathbf{8} is 8
    # a unit (with its power: "cm}^2" squares the unit, not the number) or a percent sign both sides carry
    text = re.sub(r"\\(?:text|mathrm|mbox)\s*\{[^{}]*\}(?:\s*\^\s*\{?\d\}?)?|\\?%", "", text)
    text = re.sub(r"\\[()\[\]]|\$|\\[,;! ]|\{,\}|\s+|\*", "", text).replace("−", "-").rstrip(".,;:")
    power = re.fullmatch(r"(\d{1,3})\^\{?(\d)\}?", text)
    if power:
        return Fraction(int(power.group(1)) ** int(power.group(2)))
    text = re.sub(r"^[A-Za-z]=", "", text)
    mixed = re.fullmatch(r"([-+]?)(\d+)\\[dt]?frac(?:\{(\d+)\}\{([1-9]\d*)\}|(\d)([1-9]))", text)
    if mixed:  # "2\tfrac{1}{2}" is the mixed number 5/2 (not 21/2); an improper part makes it no plain number
        numerator, denominator = (int(g) for g in mixed.groups()[2:] if g is not None)
        whole = int(mixed.group(2)) + Fraction(numerator, denominator)
        return None if numerator >= denominator else -whole if mixed.group(1) == "-" else whole
    text = re.sub(r"\\[dt]?frac\{([-+]?\d+)\}\{(\d+)\}|\\[dt]?frac(\d)(\d)", as_ratio, text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    if text.lower() in NUMBER_WORDS:
        return Fraction(NUMBER_WORDS[text.lower()])
    if len(text) > 40 or not re.fullmatch(r"[-+]?\d+(?:\.\d+)?(?:/[1-9]\d*)?", text):
        return None
    return Fraction(text)


def section_doubted(text: str, final: list[str]) -> bool:
    """Whether the answer section (``text``, code included) withdraws its committed box anywhere: the writer's own
    doubt or an open choice between readings (`DOUBT_SENTENCE_RE`), words addressed to a grader or a chat template's
    markup (`ADDRESSED_RE`), two values offered as alternatives in a sentence that leaves the choice open, or a value
    named the answer outside the box that is another number than the box's (``final``, its contents)."""
    words = idioms_as_numbers(words_of(text))
    # other ways to name a value the answer: an <answer> tag, an arrow line, a printed output block of one number
    words = re.sub(
        r"<answer>\s*|(?m:^\s*(?:=>|⇒)\s*)|(?:```|''')(?:output|text|console)?\s*\n(?=\s*-?\d[\d.]*\s*\n(?:```|'''))",
        "Answer: ",
        words,
    )
    if doubt_sentence(words) or ADDRESSED_RE.search(words) or _personal_aside(words):
        return True
    if len(final) == 1 and choice_conflict(words, final[0]):
        return True  # "Either (C) or (D) is correct.", "(A) 12" boxed where the options list (A) 13
    if unread_sentence(words):
        return True  # "Saya tidak yakin.": a sentence in a language whose hedges no vocabulary lists
    code = " ".join(re.findall(r"```.*?(?:```|\Z)", text, re.DOTALL))
    if STRONG_HEDGE_RE.search(code) or re.search(
        r"#[^\n]*\b(?:probably|maybe|perhaps|not\s+sure|could\s+be)\b", code, re.I
    ):
        return True  # a doubt in a code comment ("# probably wrong, could be 7")
    for sentence in re.split(r"(?<=[.!?。！？])\s+|\n+", words):
        doubt = META_DOUBT_RE.search(sentence) if not re.search(r"[\d$\\=]", sentence) else None
        # the plain English evaluations describe a problem's options too ("A and D are incorrect."): said of the work
        plain = doubt and re.fullmatch(r"wrong|incorrect|mistaken|unreliable|doubtful", doubt.group(), re.I)
        doubt = None if plain and PROBLEM_EVALUATION_RE.search(sentence) else doubt
        if doubt and (not plain or SELF_REFERENCE_RE.search(sentence)):
            return True  # a sentence about the work itself that doubts it, however far from the box
        labelled = re.sub(r"\b(?:step|case|part|line)\s+\(?\d+\)?", "step", sentence, flags=re.I)
        if not re.search(r"[\d$\\=]", labelled) and WORK_UNCHECKED_RE.search(labelled):
            return True  # "Step 3 is unjustified.", "Nobody has double-checked the arithmetic."
    numbers = [stated_number(value) for value in final]
    box_value = numbers[0] if len(numbers) == 1 else None
    spelled_values = SPELLED_NUMBER_RE.sub(lambda m: str(NUMBER_WORDS[m.group().lower()]), words)  # "thirteen"
    if box_value is not None and (
        second_value(spelled_values, box_value, stated_number)
        or code_result_conflict(text, box_value, stated_number)
        or competing_total(words_of(text[: max(0, text.rfind("\\boxed"))]), box_value, stated_number)
        or named_quantity_conflict(text[: max(0, text.rfind("\\boxed"))], box_value, stated_number)
    ):
        return True
    if (
        len(final) == 1
        and box_value is None
        and second_value(words, None, stated_number, plain_value(final[0]), plain_value)
    ):
        return True  # "The value $\sqrt{3}$ also satisfies the equation." beside a box of 2\sqrt{3}
    # a table of one value per label ("| strict | 3 |", "| loose | 4 |") read as "strict: 3." lines (round 38)
    words = re.sub(
        r"(?m)^\|\s*([A-Za-z][a-z]+(?:\s+[a-z]+)?)\s*\|\s*\$?\\?\$?([-\d./]+)\$?\s*\|\s*$", r"\1: \2.", words
    )
    words = re.sub(
        r"<td[^>]*>\s*([A-Za-z][a-z]+(?:\s+[A-Za-z0-9]+)?)\s*</td>\s*<td[^>]*>\s*\\?\$?([-\d./]+)\s*</td>",
        r"\n\1: \2.\n",
        words,
    )
    for match in LABELLED_VALUES_RE.finditer(words):  # "Unordered: fifteen. Ordered: 12": one value per reading
        first, second = stated_number(match.group(2)), stated_number(match.group(4))
        labels_differ = match.group(1).lower() != match.group(3).lower()
        if (
            labels_differ
            and None not in (first, second, box_value)
            and first != second
            and box_value in (first, second)
        ):
            return True
    for match in CHECK_RESULT_RE.finditer(words):  # "Brute force says 13.", "A quick simulation suggested 13."
        checked = stated_number(match.group(1))
        if checked is not None and box_value is not None and checked != box_value:
            return True
    spelled = SPELLED_NUMBER_RE.sub(lambda m: str(NUMBER_WORDS[m.group().lower()]), words)  # "twelve or thirteen"
    paragraphs = spelled.split("\n")
    eliminated_after = [False] * (len(paragraphs) + 1)  # a reason in a later paragraph: linear, not a join per choice
    for index in range(len(paragraphs) - 1, -1, -1):
        eliminated_after[index] = eliminated_after[index + 1] or bool(ELIMINATION_RE.search(paragraphs[index]))
    for index, paragraph in enumerate(paragraphs):
        for choice in OPEN_CHOICE_RE.finditer(paragraph):
            offered = {stated_number(v) for v in re.findall(VALUE_TEXT, choice.group())} - {None}
            reason = ELIMINATION_RE.search(paragraph, choice.end()) or eliminated_after[index + 1]
            if len(offered) > 1 and box_value in offered and not reason:
                return True  # "It comes down to 12 or 13. Going with 12": no reason removes the other value
    letter = (
        re.fullmatch(r"\s*\(?\s*(?:\\text(?:bf)?\{)?\s*\(?([A-J])\)?\s*\}?\s*\)?\s*", final[0])
        if len(final) == 1
        else None
    )
    if (len(numbers) != 1 or numbers[0] is None) and letter is None:
        return False  # a multi-part or symbolic answer: stated values are compared elsewhere (ANSWER_LINE_RE)
    if letter is not None:
        for match in CHOICE_STATED_RE.finditer(words):
            if (match.group(1) or match.group(2)) != letter.group(1):
                return True  # "故选B。", "Option B is correct." then \boxed{C}
    stated_words = numbers_as_digits(SPELLED_NUMBER_RE.sub(lambda m: str(NUMBER_WORDS[m.group().lower()]), words))
    for match in [*STATED_ANSWER_RE.finditer(stated_words), *STATED_BEFORE_RE.finditer(stated_words)]:
        stated = match.group(1).strip()
        if letter is not None and re.fullmatch(r"\(?[A-J]\)?", stated):
            if stated.strip("()") != letter.group(1):
                return True  # "The answer should be B." then \boxed{C}
            continue
        value = stated_number(stated)
        if value is not None and numbers[0] is not None and value != numbers[0]:
            return True
    return False


# Two values, each after a label of its own, one after the other ("Unordered: fifteen. Ordered: $12$")
LABELLED_VALUES_RE = re.compile(
    r"(?:^|[\n.;])\s*([A-Za-z][a-z]+(?:\s+[a-z]+)?)\s*:\s*\$?\s*([-\w./]+?)\s*\$?\s*[.;,]\s*([A-Za-z][a-z]+(?:\s+[a-z]+)?)\s*:"
    r"\s*\$?\s*([-\w./]+)",
)
# Another way of getting the result than the one the box reports, with the number it gave: a second answer of the
# work unless it is the box's ("Brute force says 13.", "listing them out I found 13", "Method B: 13")
CHECK_RESULT_RE = re.compile(
    r"(?:instead|whereas|directly|(?:using|with|by)\s+the\s+formula|the\s+formula|(?:the\s+)?closed\s+form|the\s+recursion|a\s+second\s+count|by\s+columns|by\s+rows|complement\w*|inclusion[\s-]+exclusion|casework|tree\s+diagram|substitution|elimination|补集|另一种方法|换一种方法|直接数|枚举|列举"
    r"|brute[\s-]force|simulat\w*|enumerat\w*|listing|list(?:ed)?\s+(?:them|all|every)|direct(?:ly)?\s+count\w*|by\s+hand"
    r"|cross-?check\w*|sanity\s+check|the\s+(?:code|program|computer|script)|numerical\w*|(?:method|approach)\s+(?:[A-Z0-9]|two"
    r"|2|B)\b|another\s+(?:method|approach|way)|(?:second|other|alternative)\s+(?:method|approach|way))[^.;\n]{0,40}?"
    r"(?:\b(?:says?|said|suggest\w*|gives?|gave|yields?|yielded|found|finds|shows?|showed|returns?|returned|outputs?"
    r"|produces?|produced|got|gets|comes?\s+(?:out\s+)?to|is|was|=)|:|算得|得到?|为|是)\s*(" + VALUE_TEXT + r")",
    re.IGNORECASE,
)
# The writer speaking of themselves, in the languages of the vocabularies
FIRST_PERSON_RE = re.compile(
    r"(?<![\w.])(?-i:I|I'm|I'd|I've|I'll)(?![\w.])|\b(?:me|my|myself|mine|moi|ich|mich|mir|мне|меня|jag)\b"
    r"|\b(?-i:Je|je|J'|j'|Yo|Eu|Io|Ik|ik|Я|я)\b|我(?!们)|私|僕|俺|나는|내가|저는|제가",
    re.IGNORECASE,
)
# What a writer says of their own work that is not a doubt: derivation verbs, customary closings, announcements
FIRST_PERSON_WORK_RE = re.compile(
    r"\b(?:I|we)(?:\s+|(?=')|(?<=I)(?=\s*'))(?:hope\s+(?:this|it|that)\s+(?:helps|is\s+(?:correct|clear|right|helpful))|(?:will|'ll|shall)\s+"
    r"(?:now\s+|then\s+|first\s+)?(?:summari[sz]e|present|verify|check|explain|write|state|show|compute|solve|start"
    r"|begin|use|denote|call|go\s+through|walk\s+through|break|consider|look|analy[sz]e|split|divide|handle|treat|work"
    r"|count|list|proceed|tackle|approach|set|define|find|apply|prove)|noted?|(?:get|got|obtain(?:ed)?|find|found"
    r"|conclude[d]?|compute[d]?|calculated?|verified|checked|confirmed|used?|need(?:ed)?|counted|count|set"
    r"|let|define[d]?|denote[d]?|write|wrote|apply|applied|add(?:ed)?|multipl\w+|divide[d]?|subtract(?:ed)?|sum(?:med)?"
    r"|solve[d]?|substitut\w+|plug\w*|simplif\w+|expand(?:ed)?|factor(?:ed)?|list(?:ed)?|considered?|notice[d]?"
    r"|observe[d]?|recall(?:ed)?|double-checked|re-?checked|started|began|took|take|treated?|dropped|forgot|missed|miscalculated|mis\w+|messed\s+up|made\s+an?\s+(?:error|mistake|slip)|assumed?\s+that\s+the"
    r"\s+problem))\b|\blet\s+me\b|\blet\s+me\s+know\b|\bmy\s+(?:final\s+)?(?:answer|solution|result|work|steps"
    r"|reasoning|approach|calculation|computation)\s+(?:is|are|was|follows|below|above)\b|\bhope\s+(?:this|it)\s+helps\b"
    r"|\b(?:I'?m|I\s+am)\s+(?:quite\s+|very\s+|fully\s+|completely\s+|absolutely\s+|entirely\s+|fairly\s+|pretty\s+|highly\s+)?(?:sure|certain|confident"
    r"|convinced|positive)\b(?!\s+(?:that\s+)?(?:it|this)\s+is\s+not)|\bmy\s+final\s+\w+\b"
    r"|我(?:是)?(?:已经?|先|再|又|们)?(?:选|验证|检验|检查|计算|算出|求出|求得|得到|发现|用了?|使用|设|列出|代入|化简|注意到)"
    r"|\bhope\s+(?:my|the|this)\s+explanation\b|我也|\bexcuse\s+me\b|\bgive\s+me\b|\bto\s+me\b|\b(?:didn't|did\s+not|don't|do\s+not)\s+(?:have|need)\s+to\b",
    re.IGNORECASE,
)


def _personal_aside(words: str) -> bool:
    """A clause in which the writer speaks of themselves and not of the work's steps ("I remain unconvinced",
    "I'm on the fence", "I reckon", "我心里没底", "Ich zweifle daran"): how sure the writer is, however it is worded,
    so the answer is not committed. A clause with a formula is a step (``$x = 5$``); one with a derivation verb
    ("I get", "we found", "Let me check") or a customary closing ("I hope this helps") is work, not an aside."""
    for clause in re.split(r"[.!?。！？;；,，:：\n]+", words):
        formula = re.sub(r"\$\s*[-+]?\d[\d.,/]*\s*\$", " ", clause)  # a bare value ("I reckon it's $12$") is no step
        if not FIRST_PERSON_RE.search(clause) or re.search(r"[$=\\]", formula) or FIRST_PERSON_WORK_RE.search(clause):
            continue
        if CLOSING_RE.fullmatch(clause):  # "Would you like me to sketch the graph": an offer, not how sure I am
            continue
        if not RETRACTION_RE.search(clause):  # "Wait, I dropped a term": a retraction, which the boxes' rules read
            return True
    return False


# an answer line whose value is words (round 30: "twelve plus one", "the number of months in a year plus one")
WORDED_ANSWER_RE = re.compile(r"\b(?:answer|result)\s*(?:is|:|：|=)\s*([^.\n$]{3,100})", re.IGNORECASE)
ARITHMETIC_WORDS_RE = re.compile(  # a value computed in words ("twelve plus one", "one more than a dozen")
    r"\b(?:plus|minus|(?:one|two|three|four|five|a\s+few|\d+)\s+(?:more|less|fewer)\s+than)\b", re.IGNORECASE
)


def answer_line_conflict(text: str, chosen: Sequence[BoxLike]) -> bool:
    """An answer stated outside the boxes with another value ("**Answer: 6**", "My answer is 7.", "Answer B: 7",
    "the area asked for is $36$", "$m = 8$ is the answer"), a box labelled with another variable than the one the
    text says is asked for, or a box that only repeats the task ("Compute $2^{10}$: $\\boxed{2^{10}}$")."""
    final = {plain_value(box.content or "") for box in chosen}
    # markup between a label and its value, as blanks of the same length: "<b>Answer:</b> 13", "Answer: ||13||"
    text = re.sub(r"<[^<>\n]{1,40}>|\|\||>!|!<", lambda markup: " " * len(markup.group()), text)
    for match in [*ANSWER_LINE_RE.finditer(text), *ANSWER_BEFORE_RE.finditer(text)]:
        value = match.group(1)
        if "\\boxed" in value or "\\fbox" in value:
            continue
        value = plain_value(value)
        if value and (
            value not in final
            and not same_number(value, final)
            or re.match(r"\s*,?\s*(?:or\b|/|或)", text[match.end() : match.end() + 20])
        ):
            return True  # another value, or the same one with an alternative ("the answer is 4 or 5")
    for match in WORDED_ANSWER_RE.finditer(text, 0, chosen[0].start):
        anaphoric = re.search(
            r"\b(?:that|this|it|those|these|above|previous\w*|earlier|below)\b", match.group(1), re.I
        )
        if "\\boxed" not in match.group() and ARITHMETIC_WORDS_RE.search(match.group(1)) and not anaphoric:
            return True  # "Answer: twelve plus one.", "The answer is one more than a dozen." ("than that": a step)
    asked = {m.group(1) for m in ASKED_RE.finditer(text)}
    label = LABEL_RE.search(text, max(0, chosen[-1].start - 40), chosen[-1].start)
    if asked and label and len(chosen) == 1 and label.group(1) not in asked:
        return True
    content = re.sub(r"\s+", "", strip_tex(chosen[-1].content or ""))
    if re.fullmatch(r"[-+]?\d+(?:\.\d+)?", content) or len(content) > 200:
        return False
    return any(
        re.sub(r"\s+", "", text[m.end() : m.end() + 2 * len(content) + 40]).startswith(content)
        for m in TASK_RE.finditer(text, 0, chosen[0].start)
    )
