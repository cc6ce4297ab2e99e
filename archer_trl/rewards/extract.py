"""Reading model completions: their text, the final ``\\boxed{}`` answer, the last fenced Python block.

Pure string functions, shared by the math and code rewards (and meant for evaluation too). They run in the trainer
process on every completion, so they are linear-time and never evaluate anything.

The canonical math-answer extractor is `extract_final_answer` (the `answer_section` after ``</think>``, then
`final_answer`: the last box joined with the close boxes of a multi-part answer, None for a hedge). `last_boxed` is
the raw "content of the last box" primitive; `boxes` lists every box. Graders should call `extract_final_answer`
so that training rewards and evaluation read answers the same way.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, NamedTuple

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
# "\boxed{" (content to the matching brace) or brace-less "\boxed 12" / "\boxed\pi" (one token, digits as a run)
BOX_RE = re.compile(r"\\(?:boxed|fbox)(?:\s*\{|\s+(\d+(?:\.\d+)?|[A-Za-z])(?![A-Za-z])|\s*(\\[A-Za-z]+))")
NESTED_BOX_RE = re.compile(r"\\(?:boxed|fbox)\s*\{")
JOIN_GAP_CHARS = 100
# The words that make a box a step, a withdrawn value or a guess, in English and in Chinese (DeepSeek-R1 models
# answer Chinese prompts in Chinese). CJK has no word boundaries, so those words are matched as they are.
RETRACTION_RE = re.compile(
    r"\b(?:wait|actually|mistake|mistaken|wrong|incorrect|error|oops|sorry|no|not|correct\w*|instead|hmm|however|but"
    r"|recheck|re-?check|reconsider|re-?examine|scratch|disregard|ignore|revis\w*)\b"
    r"|等等|不对|错了|有误|其实|实际上|重新|更正|应该是",
    re.IGNORECASE,
)
CONCLUSION_RE = re.compile(
    r"\b(?:so|hence|thus|therefore|then|gives?|giving|yields?|implies|means|becomes|conclude\w*|final|answer\s+is"
    r"|result\w*|substitut\w*|plug\w*|simplif\w*)\b|\\(?:implies|therefore|Rightarrow|to)\b|=>|\\Longrightarrow"
    r"|所以|因此|故|于是|答案是|最终答案|代入|化简",
    re.IGNORECASE,
)
PART_RE = re.compile(r"\((?:[a-h]|i{1,3}|iv|vi?)\)|\bpart\b|\b(?:first|second|third|fourth)\b", re.IGNORECASE)
LABEL_RE = re.compile(r"(?<![A-Za-z\\])([A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)\s*=\s*\$?\s*\Z")
NEGATION_RE = re.compile(r"(?:\b(?:not|rather\s+than|instead\s+of|isn't)|而不是|不是)\s*\$?\s*\Z", re.IGNORECASE)
HEDGE_RE = re.compile(
    r"\b(?:possibly|perhaps|maybe|might|probably|likely|unsure|uncertain|alternatively|guess\w*|either|plausible"
    r"|depending|presumably|tentative\w*|conceivabl\w*|suspect|estimate\w*|guessing|believe"
    r"|seems?|apparently|bet|hopefully|doubt\w*|confiden\w*|hunch|gut|unclear|skeptic\w*|unconfirmed|odds"
    r"|shot\s+in\s+the\s+dark|forced\s+to)\b|not\s+(?:\d+\s*%\s*)?(?:sure|certain|confident)|could\s+(?:also\s+)?be"
    r"|may\s+(?:also\s+)?be|could\s+also|might\s+be|\bor\s+if\b|\bif\s+I'?\s*a?m\s+wrong|can'?not\s+decide"
    r"|can'?t\s+decide|\bor\s+is\s+it\b|then\s+again|\bI\s+think\b"
    r"|可能|也许|或许|大概|大约|约为|估计|好像|似乎|不确定|不一定|没有把握|或者|猜|我觉得|差不多|大致"
    r"|quizás|quizas|tal\s+vez|probablemente|peut-être|peut-etre|probablement|vielleicht|wahrscheinlich"
    r"|возможно|наверное|вероятно|たぶん|多分|かもしれ|おそらく|아마|talvez|forse|misschien|magari"
    r"|creo\s+que|puede\s+ser|supongo|je\s+pense|il\s+semble|sans\s+doute|ich\s+glaube|vermutlich|eventuell"
    r"|möglicherweise|と思う|恐らく|кажется|может\s+быть|думаю|것\s*같|provavelmente|acho\s+que|probabilmente"
    r"|credo\s+che|waarschijnlijk|ik\s+denk|quizá|posiblemente|może|prawdopodobnie|kanske|mungkin|belki|शायद|ربما"
    r"|có\s+lẽ|možná|ίσως|不太确定|скорее\s+всего|todennäköisesti|vermoedelijk|womöglich|possivelmente",
    re.IGNORECASE,
)
# After the final box: any doubt, withdrawal or second candidate means the box is not a committed answer.
DOUBT_AFTER_RE = re.compile(
    HEDGE_RE.pattern + r"|\b(?:wait|actually|wrong|incorrect|mistake\w*|oops|hmm|reconsider|on\s+reflection"
    r"|should\s+be|isn't|cannot|can't|is\s+not|not\s+the\s+answer|not\s+correct)\b|\bor\s+\$?\s*[-+]?\\?\d"
    r"|\bor\s+\$?\s*\(?[A-E]\b|<think>|等等|不对|错了|有误|其实|应该是|\balso\s+possible\b|\bis\s+possible\b",
    re.IGNORECASE,
)
DISJUNCTION_RE = re.compile(r"\bor\b|或", re.IGNORECASE)  # between boxes: alternatives, unless roots of one variable
# After the final box only trivial text may stand (closing markup and punctuation), or a plain remark that the
# answer was checked; anything else (a second candidate, doubt, a retraction in any language, a question mark,
# hidden markup, another box macro) means the box is not a committed answer: a whitelist, so unknown words fail.
TRIVIAL_AFTER_RE = re.compile(
    r"(?:\s|-{3,}|={3,}|\\end\{[A-Za-z]+\*?\}|\\(?:quad|qquad|[,;])|\$|\\\]|\\\)|\*|</?(?:b|strong|em|i|p|br|div|span|answer|think|final)>|[✅✔✓🎉]|[.,;:!。！，、)\]}])*"
)
VERIFIED_RE = re.compile(
    r"\b(?:check(?:ed|s)?|verif(?:y|ied|ies)|works|satisf(?:y|ies)|confirm(?:s|ed)?|consistent"
    r"|as\s+(?:required|claimed|desired|expected|computed|shown|stated))\b|验证|无误|符合",
    re.IGNORECASE,
)
UNSETTLING_RE = re.compile(
    r"\d|\?|\b(?:not?|never|but|though|although|however|wrong|incorrect|fail\w*|doubt\w*|or|unless|if|except"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten)\b|n't|不|错|没|但|吗|？",
    re.IGNORECASE,
)
# One to three plain words after the final box ("$\boxed{5}$ cm.", "$\boxed{8}$ ways"): a unit or a count written
# outside the box. They are appended to the answer, so that the grader reads them as a unit, or fails the answer.
TRAILING_WORDS_RE = re.compile(
    r"\s*\$?\s*([A-Za-z]+(?:[ /-][A-Za-z]+){0,2}(?:\^\{?[23]\}?)?)\s*\$?\s*[.!]?\s*(?:\*\*)?\s*"
)
# A formula around the final box: only a label may stand before it ("$x = \boxed{5}$") and only a unit after it
MATH_OPEN_RE = re.compile(r"(?:(?<!\\)\$\$?|\\\(|\\\[)((?:(?!\$|\\\)|\\\]).)*)\Z", re.DOTALL)
MATH_CLOSE_RE = re.compile(r"(?<!\\)\$|\\\)|\\\]")
MATH_LEAD_RE = re.compile(
    r"\s*(?:(?:[A-Za-z]|\\[A-Za-z]+)(?:_\{?\w+\}?)?(?:\([\w, ]*\))?\s*=\s*|\\text\{[^{}]*\}?\s*)?"
)
MATH_TAIL_RE = re.compile(r"\s*(?:\\%|\^\s*\{?\s*\\circ\s*\}?|\\quad|\\,)?\s*[.,;]?\s*\}?\s*")
STRUCK_BEFORE_RE = re.compile(r"(?:<s>|<del>|<strike>|~~)\s*\$*\s*\Z")
REMARK_WORDS = {"i", "it", "this", "that", "the", "answer", "result", "value", "by", "substituting", "substitution",
                "back", "plugging", "in", "into", "and", "works", "holds", "all", "conditions", "condition", "equation",
                "equations", "original", "is", "was", "have", "has", "been", "double", "twice", "directly", "indeed",
                "problem", "constraints", "✅", "✓", "✔", "🎉"}  # fmt: skip
# An approximation right before the box ("about $\boxed{5}$", "约 5"): prose elsewhere may say "think about"
NEAR_RE = re.compile(
    r"\b(?:approximately|approx\.?|roughly|around|about|nearly|almost|circa|ca\.)\b[^.!?。]*\Z|~\s*\$?\s*\Z"
    r"|(?:约|大约|左右|aproximadamente|environ|etwa|ungefähr|примерно|около|대략|약|circa|ongeveer|およそ|約)[^.!?。]*\Z",
    re.IGNORECASE,
)
# A relation other than "=" right before the box: "x \neq \boxed{5}", "x > \boxed{5}", "not equal to \boxed{5}"
RELATION_BEFORE_RE = re.compile(
    r"(?:\\ne(?:q)?|\\[lg]e(?:q|qslant)?|\\approx|\\sim|<(?![A-Za-z/])|(?<![A-Za-z])>|≠|≤|≥|≈|\bnot\s+equal\s+to|\bat\s+(?:least|most))"
    r"\s*\$?\s*\Z",
    re.IGNORECASE,
)
BOX_MARKUP_RE = re.compile(r"\\(?:boxed|fbox|text|mathrm|textbf)\s*\{([^{}]*)\}")
CODE_BLOCK_RE = re.compile(r"```[ \t]*(?:python3?|py)?[ \t]*\r?\n(.*?)```", re.DOTALL | re.IGNORECASE)


class Box(NamedTuple):
    """One box in a text: where it starts and ends, and its content (None when it is never closed)."""

    start: int
    end: int
    content: str | None


TEX_EDGE_SPACE = re.compile(r"^(?:\s|(?<!\\)\\ )+|(?:\s|(?<!\\)\\ )+$")


def strip_tex(text: str) -> str:
    """``text`` without surrounding whitespace, TeX's control space (``\\ 5\\ ``) included: a plain strip would
    keep the backslash of a trailing ``\\ `` and leave a stray ``\\``."""
    return TEX_EDGE_SPACE.sub("", text)


def completion_text(completion: Any) -> str:
    """The text of a TRL completion: a plain string, or the assistant content of chat messages.

    TRL passes conversational completions as ``[{"role": "assistant", "content": ...}]``; ``content`` may itself be a
    list of ``{"type": "text", "text": ...}`` parts.
    """
    if completion is None:
        return ""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return _content_text(completion.get("content", ""))
    messages = list(completion)
    assistant = [m for m in messages if isinstance(m, dict) and m.get("role", "assistant") == "assistant"]
    return "".join(_content_text(m.get("content", "")) for m in (assistant or messages) if isinstance(m, dict))


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return "" if content is None else str(content)


def text_after_think(text: str) -> str:
    """The response after the last ``</think>`` (all of it when there is none)."""
    return text.rsplit(THINK_CLOSE, 1)[1] if THINK_CLOSE in text else text


def answer_section(text: str, after_think: bool = True, *, think_open: bool = False) -> str | None:
    """Where a response's final answer may stand: after the last ``</think>``; None when the response opened a
    ``<think>`` (or its prompt did: ``think_open``) and never closed it, since the model never answered. Without
    ``after_think``, the whole text."""
    if not after_think:
        return text
    if THINK_CLOSE in text:
        return text.rsplit(THINK_CLOSE, 1)[1]
    return None if think_open or THINK_OPEN in text else text


def boxes(text: str) -> list[Box]:
    """Every top-level ``\\boxed{...}`` / ``\\fbox{...}`` (braces matched; a box inside a box is part of it) and
    brace-less ``\\boxed 5``, in order. An unclosed box, which runs to the end of the text, has content None."""
    found: list[Box] = []
    position = 0
    while (match := BOX_RE.search(text, position)) is not None:
        token = match.group(1) or match.group(2)
        if token is not None:  # \boxed 5, \boxed \pi: TeX's one-token argument (a run of digits here)
            found.append(Box(match.start(), match.end(), token))
            position = match.end()
            continue
        index = _after_group(text, match.end())
        if index is None:
            found.append(Box(match.start(), len(text), None))
            break
        content = text[match.end() : index - 1]
        for _ in range(3):  # \boxed{\boxed{3}} (a bounded unwrap: nesting is a pathological input's game)
            inner = NESTED_BOX_RE.match(content)
            if inner is None or _after_group(content, inner.end()) != len(content):
                break
            content = content[inner.end() : -1]
        found.append(Box(match.start(), index, content))
        position = index
    return found


def _after_group(text: str, start: int) -> int | None:
    """The index just after the ``}`` that closes the group whose content starts at ``start``; None if unclosed."""
    depth = 1
    for index in range(start, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def last_boxed(text: str) -> str | None:
    """The content of the last ``\\boxed{...}`` / ``\\fbox{...}`` in ``text``, braces matched; None if none.

    An unclosed final box yields None rather than a truncated answer (the model ran out of tokens mid-answer). This
    is the one raw "last box" primitive; graders should call `final_answer`, which also joins the boxes of a
    multi-part answer and refuses hedged ones.
    """
    found = boxes(text)
    return found[-1].content if found else None


def final_answer(text: str) -> str | None:
    """The final answer in ``text`` (already cut to the answer section): the last box, joined with the boxes that
    stand close before it in the same final answer (``\\boxed{3}`` and ``\\boxed{5}`` -> ``3, 5``; labelled boxes keep
    their labels: ``x=\\boxed{2}`` and ``y=\\boxed{3}`` -> ``x=2, y=3``).

    Walking back from the last box, an earlier box joins while the text between is short (`JOIN_GAP_CHARS`):
    a hedge there ("or possibly", "maybe") means no committed answer (None); a retraction ("wait", "actually",
    "mistake", ...) withdrew the boxes before it; a part label ("(b)", "second") joins; a conclusion ("so",
    "therefore", "final answer", ...) makes the earlier box a step, unless both boxes value the same variable
    (two roots). Repeated boxes count once; a box right after "not" / "rather than" / "不是" is a rejected value,
    and the answer is None when that leaves no box. A hedge in the sentence of the final box, or any doubt, retraction
    or second candidate after it (``DOUBT_AFTER_RE``, English and Chinese), also means None; so does an empty box.
    """
    found = boxes(text)
    if not found or found[-1].content is None or not found[-1].content.strip():
        return None  # never closed, or an empty box: no answer
    tail = found[-1].end
    while len(found) > 1 and NEGATION_RE.search(text, max(0, found[-1].start - 30), found[-1].start):
        found.pop()  # "... is $\boxed{5}$ (not $\boxed{4}$)": a rejected value, boxed to show it
    if NEGATION_RE.search(text, max(0, found[-1].start - 30), found[-1].start):
        return None  # "The answer is not $\boxed{6}$": the only box is rejected
    if tail == found[-1].end:
        tail = _suffix_end(text, found[-1])
    unit = TRAILING_WORDS_RE.fullmatch(_words_of(text[tail:])) if tail == _suffix_end(text, found[-1]) else None
    if unit is not None and (DOUBT_AFTER_RE.search(unit.group(1)) or UNSETTLING_RE.search(unit.group(1))):
        return None  # "$\\boxed{5}$ maybe", "$\\boxed{5}$ or six"
    if unit is None and _doubted(text, found[-1], tail):
        return None
    if unit is not None and _doubted(text[: found[-1].end], found[-1], found[-1].end):
        return None
    chosen = [found[-1]]
    for earlier in reversed(found[:-1]):
        gap = text[earlier.end : chosen[0].start]
        if len(gap) > JOIN_GAP_CHARS:
            if strip_tex(earlier.content) != strip_tex(chosen[0].content) and not (
                RETRACTION_RE.search(gap) or CONCLUSION_RE.search(gap)
            ):
                return None  # two different final answers far apart, neither withdrawn nor a step to the other
            break
        if HEDGE_RE.search(gap):
            return None
        if RETRACTION_RE.search(gap):
            break
        if CONCLUSION_RE.search(gap) and not PART_RE.search(gap) and not _same_label(text, earlier, chosen[0]):
            break
        chosen.insert(0, earlier)
    labels = [LABEL_RE.search(text, max(0, box.start - 40), box.start) for box in chosen]
    if len(chosen) > 1 and all(labels) and len({label.group(1) for label in labels}) == len(chosen):
        return ", ".join(
            f"{label.group(1)}={strip_tex(box.content)}" for label, box in zip(labels, chosen)
        )  # x=2, y=3
    contents = list(dict.fromkeys(strip_tex(box.content) for box in chosen))
    gaps = [text[a.end : b.start] for a, b in zip(chosen, chosen[1:])]
    if any(DISJUNCTION_RE.search(gap) for gap in gaps) and not all(labels):
        return " \\text{ or } ".join(contents)  # "$\\boxed{5}$ or $\\boxed{6}$": two candidates for the grader
    suffix = _math_suffix(text, chosen[-1])
    if suffix:  # "$\\boxed{5}\\%$", "$\\boxed{5}^\\circ$": the sign just outside the box belongs to the answer
        return ", ".join(contents) + suffix
    if unit is not None:  # "$\\boxed{5}$ cm.": the words join the answer, and the grader must understand them
        return ", ".join(contents) + " \\text{ " + unit.group(1) + "}"
    return ", ".join(contents)


def _doubted(text: str, box: Box, tail: int) -> bool:
    """Whether the final box is not a committed answer: a hedge or a relation stands before it ("Probably",
    "This is only a guess.", "Quizás", "x > \\boxed{5}"), the box is part of a larger formula ("$x = -\\boxed{5}$",
    "$\\boxed{5}!$"), or anything but trivial text or a plain remark that the answer was checked stands after it
    (from ``tail``, past any rejected boxes, whose justification may follow)."""
    before = _words_of(text[max(0, box.start - 300) : box.start])
    if HEDGE_RE.search(before) or RELATION_BEFORE_RE.search(before) or NEAR_RE.search(before[-40:]):
        return True
    if STRUCK_BEFORE_RE.search(before) or _inside_formula(text, box) or _relation_symbol_before(before):
        return True
    rejected = _words_of(text[box.end : tail]).replace("$", "")  # ", not $\boxed{4}$" or ", but not $\boxed{sure}$"
    if HEDGE_RE.search(rejected) or DOUBT_AFTER_RE.search(rejected) or re.search(r"\brevis", rejected):
        return True
    after = _words_of(text[tail:])
    if TRIVIAL_AFTER_RE.fullmatch(after):
        return False
    if tail > box.end:  # "(not $\boxed{4}$, which double counts)": a reason for the rejection, without numbers
        return bool(re.search(r"\d|\?", after) or DOUBT_AFTER_RE.search(after) or not after.isascii())
    return not _verified_remark(after)


def _verified_remark(after: str) -> bool:
    """A plain remark that the answer was checked, in a small vocabulary ("I checked it by substituting back, and
    it works.", "Verified.", "验证无误。"): any other word, number or sign is not known to be harmless."""
    if re.fullmatch(r"[\s$。.!]*(?:验证无误|经检验(?:无误|正确)|已验证)[\s。.!]*", after):
        return True
    if re.fullmatch(r"[\s$,.!]*as\s+(?:required|claimed|desired|expected|computed|shown|stated)[\s.!]*", after, re.I):
        return True
    words = re.findall(r"[^\W\d_]+|\d|[^\w\s$.,;:!()—–-]", after)
    return (
        bool(words)
        and any(VERIFIED_RE.fullmatch(w) for w in words)
        and all(w.lower() in REMARK_WORDS or VERIFIED_RE.fullmatch(w) for w in words)
    )


def _inside_formula(text: str, box: Box) -> bool:
    """Whether the box sits inside a formula with more than a label before it or a unit after it: in
    "$x = -\\boxed{5}$", "$\\sqrt{\\boxed{25}}$", "$(6, \\boxed{5})$" or "$\\boxed{5}!$" the box is not the answer."""
    opener = MATH_OPEN_RE.search(text, max(0, box.start - 200), box.start)
    if opener is None:
        return False
    inner_before = opener.group(1)
    closer = MATH_CLOSE_RE.search(text, box.end)
    inner_after = text[box.end : closer.start()] if closer else ""
    return not (MATH_LEAD_RE.fullmatch(inner_before) and MATH_TAIL_RE.fullmatch(inner_after))


def _math_suffix(text: str, box: Box) -> str:
    """A percent or degree sign right after the box in its formula ("" when there is none)."""
    closer = MATH_CLOSE_RE.search(text, box.end)
    if closer is None or MATH_OPEN_RE.search(text, max(0, box.start - 200), box.start) is None:
        return ""
    match = re.match(r"\s*(\\%|\^\s*\{?\s*\\circ\s*\}?)", text[box.end : closer.start()])
    return match.group(1) if match else ""


def _suffix_end(text: str, box: Box) -> int:
    """Where the box's percent or degree sign ends (the box's end when it has none)."""
    suffix = _math_suffix(text, box)
    return text.index(suffix, box.end) + len(suffix) if suffix else box.end


def _relation_symbol_before(before: str) -> bool:
    """A Unicode relation right before the box ("x ⩽ $\\boxed{5}$", "x ≃ $\\boxed{5}$"): any math symbol but "="."""
    stripped = before.rstrip(" $\\([")
    last = stripped[-1:] or "="
    return not last.isascii() and unicodedata.category(last) == "Sm"  # ASCII <, > are RELATION_BEFORE_RE's (and tags')


def _words_of(text: str) -> str:
    """Text as a reader sees it: Unicode format characters (zero-width spaces, soft hyphens, word joiners) removed,
    compatibility forms folded (full-width letters), box and text markup unwrapped, so that
    "not $\\boxed{\\text{certain}}$" reads as "not $certain$" (markup nests: three rounds)."""
    text = unicodedata.normalize("NFKC", "".join(c for c in text if unicodedata.category(c) != "Cf"))
    for _ in range(3):
        text = BOX_MARKUP_RE.sub(r"\1", text)
    return text


def _same_label(text: str, earlier: Box, later: Box) -> bool:
    """``x = \\boxed{2}`` ... ``x = \\boxed{3}``: two values of one variable (roots), whatever words stand between."""
    labels = [LABEL_RE.search(text, max(0, box.start - 40), box.start) for box in (earlier, later)]
    return all(labels) and labels[0].group(1) == labels[1].group(1)


def extract_final_answer(text: str, after_think: bool = True, *, think_open: bool = False) -> str | None:
    """The canonical final-answer extractor for math grading: `final_answer` of the `answer_section` (after the
    last ``</think>`` when asked; None for a response whose ``<think>`` never closed)."""
    section = answer_section(text, after_think, think_open=think_open)
    return None if section is None else final_answer(section)


def prompt_opens_think(prompt: Any) -> bool:
    """Whether a (plain-text, already templated) prompt ends with an open ``<think>``, as R1-style chat templates
    leave it: the completion then starts mid-thought. A prompt that merely mentions the tag does not count."""
    return isinstance(prompt, str) and prompt.rstrip().endswith(THINK_OPEN)


def extract_code(text: str, after_think: bool = True) -> str | None:
    """The last fenced Python block (```python, ```py or a bare ```), after the last ``</think>``; None if none."""
    blocks = CODE_BLOCK_RE.findall(text_after_think(text) if after_think else text)
    return blocks[-1] if blocks else None
