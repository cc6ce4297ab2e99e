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
from typing import Any, NamedTuple

from .reading.after_box import (
    CJK_UNIT_RE,
    CJK_UNITS,
    benign_remark,
    plain_cjk_ending,
    plain_remark,
    restatement_end,
    unit_phrase_core,
    verified_remark,
)
from .reading.answer_line import strict_answer_line, unlicensed_lead
from .reading.channels import common_format
from .reading.copula import clause_before, denies_box, negated_box, qualified_value
from .reading.formulas import inside_formula, math_suffix, suffix_end
from .reading.lead import lead_conflicts
from .reading.remarks import (
    LABEL_RE,
    answer_line_conflict,
    hedged_before,
    relation_symbol_before,
    section_doubted,
    strip_tex,
    words_of,
)
from .reading.structure import (
    GENERIC_ANSWER_RE,
    NAMED_STEP_RE,
    glued_to_digits,
    heading_before,
    other_labelled_answer,
    repeated_labels,
    sentence_before,
    struck,
    without_end_tokens,
)
from .reading.wording import (
    ANSWER_MARK_RE,
    ASKED_RE,
    CANDIDATE_BEFORE_RE,
    CLOSING_RE,
    COLOR_RE,
    CONCLUSION_RE,
    DISJUNCTION_RE,
    DISOWNED_RE,
    DOUBT_AFTER_RE,
    HEDGE_RE,
    HIDDEN_RE,
    HYPOTHETICAL_RE,
    MODIFIER_BEFORE_RE,
    NEAR_HEDGE_RE,
    NEAR_RE,
    NEGATION_AFTER_RE,
    PART_RE,
    RELATION_BEFORE_RE,
    RELATION_WORDS_RE,
    RETRACTION_RE,
    STRONG_HEDGE_RE,
    STRUCK_BEFORE_RE,
    SUPPOSITION_START_RE,
    TRIVIAL_AFTER_RE,
    UNSETTLING_RE,
    VISIBLE_COLORS,
)
from .reading.wording_section import (
    ALTERNATIVE_BEFORE_RE,
    CONDITIONAL_RE,
    CREDITED_RE,
    SOURCE_CREDIT_RE,
)

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
# Think tags as models write them (<think>, <Think>, <thinking>); a tag quoted in backticks is text, not a tag
THINK_OPEN_RE = re.compile(r"(?<!`)<think(?:ing)?>|<think(?:ing)?>(?!`)", re.IGNORECASE)
THINK_CLOSE_RE = re.compile(r"(?<!`)</think(?:ing)?>|</think(?:ing)?>(?!`)", re.IGNORECASE)
CODE_SPAN_RE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`", re.DOTALL)
# "\boxed{" (content to the matching brace) or brace-less "\boxed 12" / "\boxed\pi" (one token, digits as a run)
BOX_RE = re.compile(r"\\(?:boxed|fbox)(?:\s*\{|\s+(\d+(?:\.\d+)?|[A-Za-z])(?![A-Za-z])|\s*(\\[A-Za-z]+))")
NESTED_BOX_RE = re.compile(r"\\(?:boxed|fbox)\s*\{")
JOIN_GAP_CHARS = 100
# One to three plain words after the final box ("$\boxed{5}$ cm.", "$\boxed{8}$ ways"): a unit or a count written
# outside the box. They are appended to the answer, so that the grader reads them as a unit, or fails the answer.
TRAILING_WORDS_RE = re.compile(
    r"\s*\$?\s*([A-Za-z]+(?:[ /-][A-Za-z]+){0,2}(?:\^\{?[23]\}?)?)\s*\$?\s*[.!]?\s*(?:\*\*)?\s*"
)
# A unit named in words around the box: "(in minutes)" after it, "in metres per second is" before it
IN_UNIT_AFTER_RE = re.compile(r"\s*\$?\s*\(\s*in\s+([A-Za-z]+(?:\s+(?:per\s+)?[A-Za-z]+){0,3})\s*\)\s*[.!]?\s*")
IN_UNIT_BEFORE_RE = re.compile(
    r"\bin\s+(?:units\s+of\s+)?((?:square\s+|cubic\s+)?[a-z]+(?:\s+per\s+[a-z]+)?)\s+(?:is|are|was|equals|comes\s+to)\s*\$*\s*\Z"
)
# possessive blanks: "```" and a long run of spaces must not backtrack quadratically (one completion, seconds of CPU)
CODE_BLOCK_RE = re.compile(r"```[ \t]*+(?:python3?|py)?[ \t]*+\r?\n(.*?)```", re.DOTALL | re.IGNORECASE)


class Box(NamedTuple):
    """One box in a text: where it starts and ends, and its content (None when it is never closed)."""

    start: int
    end: int
    content: str | None


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


def answer_section(text: str, after_think: bool = True, *, think_open: bool = False) -> str | None:
    """Where a response's final answer may stand: everything after its first ``</think>`` (so visible text between
    two close tags is read, not skipped); None when the response opened a ``<think>`` (or its prompt did:
    ``think_open``) and never closed it, since the model never answered. Tags match in any case and as
    ``<thinking>``; one quoted in backticks or written inside a fenced code block (``s = "</think>"``) is text.
    Without ``after_think``, the whole text."""
    if not after_think:
        return text
    text = common_format(text)  # gpt-oss channels as <think>, \( \) as $
    tags = re.sub(r"```.*?```", lambda m: " " * len(m.group()), text, flags=re.DOTALL)  # same offsets, no code
    close = THINK_CLOSE_RE.search(tags)
    if len(THINK_OPEN_RE.findall(tags)) + think_open > len(THINK_CLOSE_RE.findall(tags)) > 0:
        return None  # "<think> ... <think> ... </think> ...": a nested thought never closed
    if close is not None:
        rest = text[close.end() :]
        opened = THINK_OPEN_RE.search(tags)
        # visible text before the thought is read too (a box or a disclaimer there is part of the answer), never joined
        # with a box after it: the thought stands between them
        before = text[: opened.start()] if opened is not None and opened.start() < close.start() else ""
        return (before + "\n" * (JOIN_GAP_CHARS + 2) if before.strip() else "") + "".join(
            " " if THINK_CLOSE_RE.fullmatch(piece) else piece
            for piece in re.split(r"(```.*?```|</think(?:ing)?>)", rest, flags=re.DOTALL | re.IGNORECASE)
        )
    return None if think_open or THINK_OPEN_RE.search(tags) else text


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
        if index > start and text[index - 1] == "\\" and text[index - 2 : index] != "\\\\":
            continue  # \\{ and \\} are printed braces (\\left\\{ ... \\right.), not groups
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
    their labels: ``x=\\boxed{2}`` and ``y=\\boxed{3}`` -> ``x=2, y=3``). None when the text holds no committed answer.

    Fails closed: any box elsewhere in the text with another value, unless a retraction ("wait", "mistake", "等等",
    ...) withdrew it, means two answers; so does a hedge between close boxes, a candidate written just before the
    final box ("3, 7, or \\boxed{5}"), a negation, relation, approximation or hypothetical in its clause, or any
    doubt or retraction after it. Hidden markup (``\\phantom``, ``%`` comments, ``hidden``), a disowned answer or
    words aimed at a grader anywhere mean None. Boxes in code are not answers, and an answer outside any box is
    not read (the prompt asks for a box; "The answer is 6." scores 0).
    """
    text = without_end_tokens(text)  # "</s>", "<｜end▁of▁sentence｜>": the decoder's, not the writer's
    # runs of blank lines (read line by line) as one, as far apart as they were (boxes join only when close): linear
    text = re.sub(r"\n(?:[ \t]*\n)+", lambda m: "\n" + " " * min(len(m.group()), JOIN_GAP_CHARS + 1) + "\n", text)
    original, text = text, CODE_SPAN_RE.sub(_blank_code, text)  # code is no answer, nor trivial after one
    if HIDDEN_RE.search(text) or DISOWNED_RE.search(words_of(text)) or STRONG_HEDGE_RE.search(words_of(text)):
        return None
    if any((m.group(1) or m.group(2) or "").strip().lower() not in VISIBLE_COLORS for m in COLOR_RE.finditer(text)):
        return None  # "\\color{white!100}", "\\textcolor{floralwhite}": a colour a reader may not see
    found = boxes(text)
    if not found or found[-1].content is None or not found[-1].content.strip():
        return None  # never closed, or an empty box: no answer
    restated = restatement_end(text, found[-1].end, strip_tex(found[-1].content))
    if restated is not None:  # "$\\boxed{\\frac{3}{8}} = 0.375$": the same value again, read as if it were not there
        kept = re.sub(r"[^$]", " ", text[found[-1].end : restated])
        original = original[: found[-1].end] + kept + original[restated:]
        text = text[: found[-1].end] + kept + text[restated:]
        found = boxes(text)
    tail = found[-1].end
    while len(found) > 1 and negated_box(text, found[-1].start):
        if ALTERNATIVE_BEFORE_RE.search(words_of(text[max(0, found[-1].start - 40) : found[-1].start])):
            return None  # "\\boxed{13}, if not \\boxed{25}": a second candidate, not a rejected value
        found.pop()  # "... is $\\boxed{5}$ (not $\\boxed{4}$)": a rejected value, boxed to show it
    if negated_box(text, found[-1].start):
        return None  # "The answer is not $\\boxed{6}$": the only box is rejected
    if tail == found[-1].end:
        tail = suffix_end(text, found[-1])
    unit_words = None
    if tail == suffix_end(text, found[-1]):
        after = re.sub(r"\$\s*\^\s*\{?\s*([23])\s*\}?\s*\$", r"^\1", text[tail:])  # "units$^2$"
        unit = TRAILING_WORDS_RE.fullmatch(words_of(after.replace("²", "^2").replace("³", "^3")))
        cjk_unit = CJK_UNIT_RE.fullmatch(text[tail:])
        named = IN_UNIT_AFTER_RE.fullmatch(words_of(text[tail:]))
        unit_words = unit.group(1) if unit else CJK_UNITS[cjk_unit.group(1)] if cjk_unit else None
        unit_words = named.group(1) if named else unit_words  # "$\\boxed{12}$ (in minutes)."
        unit_words = unit_phrase_core(unit_words) if unit_words else None  # "dollars in total", "cups of flour"
    if unit_words is None and (
        named := IN_UNIT_BEFORE_RE.search(words_of(text[max(0, found[-1].start - 120) : found[-1].start]))
    ):
        unit_words = named.group(1)  # "The length in inches is $\\boxed{5}$": the unit the sentence names
    if unit_words is not None and unit_words.split()[0].lower() in ("is", "are", "was", "which", "satisfies"):
        unit_words = None  # "$\\boxed{5}$ is the answer.": a sentence going on, judged as a remark, not a unit
    plain_unit = re.sub(r"\^\{?[23]\}?", "", unit_words or "")  # "cm^2": the exponent is no number of the answer
    if unit_words is not None and (DOUBT_AFTER_RE.search(plain_unit) or UNSETTLING_RE.search(plain_unit)):
        return None  # "$\\boxed{5}$ maybe", "$\\boxed{5}$ or six"
    if unit_words is None and _doubted(text, found[-1], tail):
        return None
    if unit_words is not None and _doubted(text[: found[-1].end], found[-1], found[-1].end):
        return None
    chosen = [found[-1]]
    for earlier in reversed(found[:-1]):
        gap = text[earlier.end : chosen[0].start]
        if len(gap) > JOIN_GAP_CHARS or RETRACTION_RE.search(words_of(gap)):
            break
        if HEDGE_RE.search(words_of(gap)):
            return None
        if CONCLUSION_RE.search(gap) and not PART_RE.search(gap) and not _same_label(text, earlier, chosen[0]):
            break  # a step before the answer: allowed below only if it states the same value
        chosen.insert(0, earlier)
    if not _earlier_boxes_agree(text, found[: found.index(chosen[0])], chosen) or answer_line_conflict(text, chosen):
        return None
    if any(struck(text, box) or glued_to_digits(text, box) for box in chosen) or other_labelled_answer(text, chosen):
        return None
    contents = [strip_tex(box.content or "") for box in chosen]
    if section_doubted(original, contents) or lead_conflicts(text, chosen[0].start, contents):
        return None
    labels = [LABEL_RE.search(text, max(0, box.start - 40), box.start) for box in chosen]
    if len(chosen) > 1 and all(labels) and repeated_labels([label.group(1) for label in labels]):
        return ", ".join(f"{label.group(1)}={strip_tex(box.content)}" for label, box in zip(labels, chosen))
    if len(chosen) > 1 and all(labels) and len({label.group(1) for label in labels}) == len(chosen):
        return ", ".join(
            f"{label.group(1)}={strip_tex(box.content)}" for label, box in zip(labels, chosen)
        )  # x=2, y=3
    contents = list(dict.fromkeys(strip_tex(box.content) for box in chosen))
    gaps = [text[a.end : b.start] for a, b in zip(chosen, chosen[1:])]
    if any(DISJUNCTION_RE.search(gap) for gap in gaps) and not all(labels):
        return " \\text{ or } ".join(contents)  # "$\\boxed{5}$ or $\\boxed{6}$": two candidates for the grader
    suffix = math_suffix(text, chosen[-1])
    if suffix:  # "$\\boxed{5}\\%$", "$\\boxed{5}^\\circ$": the sign just outside the box belongs to the answer
        return ", ".join(contents) + suffix
    if unit_words is not None:  # "$\\boxed{5}$ cm.": the words join the answer, and the grader must understand them
        return ", ".join(contents) + " \\text{ " + unit_words + "}"
    return ", ".join(contents)


def _blank_code(match: re.Match) -> str:
    """A code block, or inline code holding a box, as blanks; other inline code as its words (`` `not` `` is "not")."""
    code = match.group()
    return " " + code[1:-1] + " " if not code.startswith("```") and "box" not in code else "\x00" * len(code)


def _earlier_boxes_agree(text: str, earlier: list[Box], chosen: list[Box]) -> bool:
    """Every box before the final answer states one of its values, was withdrawn (a retraction after it), or was a
    step: a labelled intermediate value ("$a = \\boxed{3}$, so the area is") or a box before a final one that its
    sentence names the answer ("So the answer is $\\boxed{8}$") while the step's does not. A conclusion word alone
    is not enough: "Method 1 gives \\boxed{3}. Method 2 gives \\boxed{5}" is two answers. Linear: each stretch of
    text between boxes is read once, walking back from the answer."""
    final = {strip_tex(box.content or "") for box in chosen}
    final_sentence = sentence_before(text, chosen[0].start)
    # "the answer is" names no quantity: a labelled box of another value before it is a step only when its own
    # sentence names what it is ("the side is $s = \boxed{3}$"), else another answer ("$N = \boxed{13}$")
    generic = GENERIC_ANSWER_RE.search(final_sentence)
    marked = ANSWER_MARK_RE.search(final_sentence)
    retracted = concluded = False
    following, sought = chosen[0].start, {match.group(1) for match in ASKED_RE.finditer(text)}
    for box in reversed(earlier):
        stretch = words_of(text[box.end : following])
        retracted = retracted or bool(RETRACTION_RE.search(stretch))
        concluded = concluded or bool(CONCLUSION_RE.search(stretch))
        following = box.start
        offered = ALTERNATIVE_BEFORE_RE.search(words_of(text[max(0, box.start - 40) : box.start]))
        if retracted or strip_tex(box.content or "") in final or (negated_box(text, box.start) and not offered):
            continue
        step_sentence = sentence_before(text, box.start) + " " + heading_before(text, box.start)
        labelled = LABEL_RE.search(text, max(0, box.start - 40), box.start)
        named_step = not generic or NAMED_STEP_RE.search(sentence_before(text, box.start))
        # a step names what it computed ("$a = \boxed{3}$"); an unlabelled earlier box of another value is another
        # result of the work ("Another count gives \boxed{13}. The answer is \boxed{12}."), whatever words say so
        if (
            marked
            and named_step
            and labelled
            and labelled.group(1) not in sought
            and not ANSWER_MARK_RE.search(step_sentence)
            and not CONDITIONAL_RE.search(step_sentence)
        ):
            continue
        if CREDITED_RE.search(step_sentence + " " + words_of(text[box.end : box.end + 80]).split(".")[0]):
            continue  # "$\boxed{12}$ is what the naive count gives": a value the text says is not the answer
        if (
            labelled
            and concluded
            and named_step
            and not _same_label(text, box, chosen[-1])
            and labelled.group(1) not in sought
        ):
            continue
        return False
    return True


def _doubted(text: str, box: Box, tail: int) -> bool:
    """Whether the final box is not a committed answer: a hedge in the text before it ("Probably", "This is only a
    guess.", "Quizás"); in its clause a relation ("x > \\boxed{5}", "greater than"), an approximation, a hypothetical
    ("If the answer were") or another candidate just before it ("3, 7, or"); the box is part of a larger formula
    ("$x = -\\boxed{5}$", "$\\boxed{5}!$"); or anything but trivial text, a customary closing or a plain remark that
    the answer was checked stands after it (from ``tail``, past any rejected boxes, whose justification may follow)."""
    before = words_of(text[max(0, box.start - 300) : box.start])
    clause = clause_before(before)
    if hedged_before(before) or NEAR_HEDGE_RE.search(before) or RELATION_BEFORE_RE.search(clause):
        return True
    if NEAR_RE.search(clause[-60:]) or MODIFIER_BEFORE_RE.search(before):
        return True
    if RELATION_WORDS_RE.search(clause) or HYPOTHETICAL_RE.search(clause) or denies_box(clause, before, box.content):
        return True
    if SUPPOSITION_START_RE.search(sentence_before(text, box.start)):
        return True
    if qualified_value(before):  # "is practically", "is one-third of": only words naming the value may stand there
        return True
    lead = sentence_before(text, box.start)
    if "\\boxed" not in lead and "\\fbox" not in lead and unlicensed_lead(lead):
        return True  # "Labda the answer is", "With luck,", "Working answer:": a lead no rule reads
    heading = heading_before(text, box.start)
    heading = heading if len(heading) <= 80 or heading.rstrip(" *").endswith(":") else ""  # a heading, not a paragraph
    sentence = sentence_before(text, box.start)
    if CREDITED_RE.search(sentence) or CREDITED_RE.search(heading) or SOURCE_CREDIT_RE.search(sentence):
        return True  # "A common slip leads to \\boxed{12}", "Bonus: for a side of 4 ... \\boxed{16}"
    previous = max((earlier.end for earlier in boxes(text[: box.start])), default=0)
    if CANDIDATE_BEFORE_RE.search(words_of(text[max(previous, box.start - 300) : box.start])):
        return True  # "3, 7, or \\boxed{5}" (a box just before is a part of the answer, judged when joining)
    if STRUCK_BEFORE_RE.search(before) or inside_formula(text, box) or relation_symbol_before(before):
        return True
    rejected = words_of(text[box.end : tail]).replace("$", "")  # ", not $\boxed{4}$" or ", but not $\boxed{sure}$"
    if HEDGE_RE.search(rejected) or DOUBT_AFTER_RE.search(rejected) or re.search(r"\brevis", rejected):
        return True
    after = re.sub(r"[ \t]*\n\s*", "\n", re.sub(r"[ \t]{2,}", " ", words_of(text[tail:])))  # runs of blanks: linear
    if NEGATION_AFTER_RE.search(after):
        return True
    closed = CLOSING_RE.sub(" ", after)
    if TRIVIAL_AFTER_RE.fullmatch(closed) or plain_cjk_ending(closed) or plain_remark(closed):
        return False
    if tail > box.end:  # "(not $\boxed{4}$, which double counts)": a reason for the rejection, without numbers
        return bool(re.search(r"\d|\?", after) or DOUBT_AFTER_RE.search(after) or not after.isascii())
    return not (verified_remark(after) or benign_remark(closed, [strip_tex(box.content or "")]))


def _same_label(text: str, earlier: Box, later: Box) -> bool:
    """``x = \\boxed{2}`` ... ``x = \\boxed{3}``: two values of one variable (roots), whatever words stand between."""
    labels = [LABEL_RE.search(text, max(0, box.start - 40), box.start) for box in (earlier, later)]
    return all(labels) and labels[0].group(1) == labels[1].group(1)


def extract_final_answer(
    text: str, after_think: bool = True, *, think_open: bool = False, strict: bool = False
) -> str | None:
    """The canonical final-answer extractor for math grading: `final_answer` of the `answer_section` (after the last
    ``</think>`` when asked; None for an unclosed ``<think>``); ``strict``: `reading.answer_line` reads its line too."""
    section = answer_section(text, after_think, think_open=think_open)
    answer = None if section is None else final_answer(section)
    if answer is None or not strict:
        return answer
    blanked = CODE_SPAN_RE.sub(_blank_code, section)
    return answer if strict_answer_line(blanked, [(box.start, box.end) for box in boxes(blanked)]) else None


def prompt_opens_think(prompt: Any) -> bool:
    """Whether a (plain-text, already templated) prompt ends with an open ``<think>``, as R1-style chat templates
    leave it: the completion then starts mid-thought. A prompt that merely mentions the tag does not count."""
    return isinstance(prompt, str) and prompt.rstrip().endswith(THINK_OPEN)


def extract_code(text: str, after_think: bool = True, *, think_open: bool = False) -> str | None:
    """The last fenced Python block (```python, ```py or a bare ```) of the `answer_section`; None if none, or when
    a ``<think>`` never closed (code inside an unfinished thought is no submission)."""
    section = answer_section(text, after_think, think_open=think_open)
    blocks = CODE_BLOCK_RE.findall(section) if section is not None else []
    return blocks[-1] if blocks else None
