"""What may stand between the verb that equates a subject with the answer and the final box.

"The answer is $\\boxed{7}$", "the number of ways is therefore exactly $\\boxed{7}$": between the verb and the box,
only words that point at the value itself. Anything else there qualifies the value: a relation ("is inferior to",
"is smaller or equal to"), an approximation ("is practically", "is bordering on"), an operation on it ("is one-third
of", "is the floor of"), an exception ("can be any real number aside from"). No list of such words is ever complete
(each red-team round found new ones), so this gap is read against the words allowed there, and anything else fails
closed. Only plain words are judged here: a gap holding numbers, TeX or other scripts is left to the rules that read
formulas and other languages.
"""

from __future__ import annotations

import re

from .remarks import words_of
from .wording import COUNTED_BEFORE_RE, NEGATED_VERB_RE, NEGATION_RE, SENTENCE_DENY_RE

# verbs that say "the subject is the value"; a sentence with none of them is not judged here ("Alice has $\\boxed{5}$
# marbles", "she gives the chickens $\\boxed{20}$ cups")
EQUATING_RE = re.compile(
    r"(?:\b(?:is|are|was|were|be|been|equals?|equalled|equaled|becomes?|remains?|totals|totall?ed"
    r"|(?:works?|comes?|turns?)\s+out(?:\s+to(?:\s+be)?|\s+as)?"
    r"|(?:reduces?|simplifies|evaluates?|amounts?|comes?|boils\s+down|sums?)\s+to)\b|=|:)",
    re.IGNORECASE,
)
ALLOWED_GAP_WORDS = frozenset(
    # determiners
    "the a an our my its their this that"  # noqa: SIM905 - one word list, read as prose
    # how sure or how final, pointing at the value
    " therefore thus hence so then now finally clearly indeed obviously simply just exactly precisely certainly"
    " definitely again still also"
    # the value itself
    " answer value result number total sum count solution quantity amount final following same correct required"
    " desired requested resulting unique only exact"
    " equal to given by found be shown as follows written expressed in lowest terms simplest form"
    " option choice letter"
    # the conclusion words of the read languages after their copula ("is dus", "ist also", "est donc")
    " dus also daher somit donc ainsi entonces quindi dunque portanto logo".split()
)
# "is <participle> to be \\boxed{..}": a report of the value; only a participle of finding it out commits to it
REPORTED_RE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?([a-z]+)\s+to\s+", re.IGNORECASE)
ESTABLISHED = frozenset(
    "shown proven proved found known computed calculated determined seen verified confirmed checked derived obtained"  # noqa: SIM905
    " guaranteed forced required going bound certain sure".split()
)
BOUNDARY_RE = re.compile(r"(?:[.?;,\n]|!(?!=))(?!\d)")
PLAIN_GAP_RE = re.compile(r"[A-Za-z' -]*")


def qualified_value(before: str) -> bool:
    """Whether words other than the allowed ones stand between the last equating verb of the box's own clause and
    the box (``before``: the text read up to the box, as `remarks.words_of` gives it)."""
    clause = BOUNDARY_RE.split(before)[-1]
    verbs = list(EQUATING_RE.finditer(clause))
    if not verbs:
        return False
    gap = re.sub(r"\$|\\\(|\\\[", " ", clause[verbs[-1].end() :]).strip()
    reported = REPORTED_RE.search(clause, 0, verbs[-1].start())
    if not gap and reported and reported.end() == verbs[-1].start():
        return reported.group(1).lower() not in ESTABLISHED  # "is conjectured to be", "is thought to equal"
    if not gap or not PLAIN_GAP_RE.fullmatch(gap):
        return False
    return any(word not in ALLOWED_GAP_WORDS for word in re.findall(r"[a-z']+", gap.lower()))


def clause_before(before: str) -> str:
    """The clause that ends at the box: text after the last sentence or clause boundary (and HTML tags, blockquote
    marks, emphasis removed, which are presentation)."""
    before = re.sub(r"<[^<>]{0,80}>|(?m:^[ \t]*>+)|\*\*", " ", before)
    clauses = re.split(r"(?:[.?。！？;；,，:：\n]|!(?!=))(?!\d)", before)
    last = len(clauses) - 1  # "a lower bound: \\boxed{5}": an empty last clause reads the one before it
    while last > 0 and not re.search(r"\w", clauses[last]):
        last -= 1
    return clauses[last]


def negated_box(text: str, start: int) -> bool:
    """A box its clause rejects ("not \\boxed{4}", "is definitely not \\boxed{4}", "other than \\boxed{4}", "不是
    \\boxed{4}"): a negation at most two words before the box. Further back it describes what is counted ("the number of
    integers not divisible by 3 is \\boxed{6}")."""
    before = words_of(text[max(0, start - 120) : start])
    # "Only 29 has no divisor other than 1 and itself.\n\n$\boxed{C}$": an exclusion that ends its sentence
    # describes what came before it, not the box that stands alone (round 44)
    alone = re.search(r"(?<!\d)[.!?。！？]\s*(?:\$\s*)*\Z", before) is not None
    clause = clause_before(before)
    negated = NEGATED_VERB_RE.search(
        clause
    )  # "the pair that does not satisfy the system is": the box answers otherwise
    if negated and not COUNTED_BEFORE_RE.search(clause, 0, negated.start()):  # "the number of integers that are not"
        return True
    return any(  # "the outcomes other than doubles is \boxed{30}": the negation is the subject's, the box is not
        re.fullmatch(r"\s*(?:\S+\s+){0,2}\S*\s*\$?\s*", clause[match.end() :]) is not None
        and not re.search(r"\w\s+(?:is|are|was|were|equals)\s*\$?\s*\Z", clause[match.end() :])
        for match in NEGATION_RE.finditer(clause)
        if not (alone and re.fullmatch(r"other\s+than|except|besides|apart\s+from|aside\s+from", match.group(), re.I))
    )


def denies_another_value(before: str, box_value: str) -> bool:
    """Whether ``before`` (the words before a box that stands alone, its sentence ended) denies a value stated in
    that sentence that is not the box's: "Since $x$ is a length, $x = -7$ is rejected.\n\n$\\boxed{4}$" (round 44)."""
    if not re.search(r"(?<!\d)[.!?。！？]\s*(?:\$\s*)*\Z", before):
        return False
    sentence = re.split(r"(?<!\d)[.!?。！？](?=\s)|\n", before.rstrip(" \n\t$.!?。！？"))[-1]
    values = re.findall(r"(?<![\w.])[-−]?\s*\d+(?:\.\d+)?(?![\w.])", sentence)
    plain = box_value.replace(" ", "").replace("−", "-")
    return bool(values) and all(value.replace(" ", "").replace("−", "-") != plain for value in values)


def denies_box(clause: str, before: str, box_value: str | None) -> bool:
    """Whether the box's clause denies it ("That cannot be right."), and not another value of its own sentence; or the
    sentence just before a box of its own rejects the box's own value ("$x = 2$ is extraneous.": round 48)."""
    value = (box_value or "").strip()
    return bool(SENTENCE_DENY_RE.search(clause)) and not denies_another_value(before, value) or _rejects(before, value)


REJECTED_RE = re.compile(
    r"\b(?:reject\w*|extraneous|discard\w*|invalid|not\s+valid|(?:does\s+not|doesn't)\s+work|ruled?\s+out|"
    r"exclud\w*|impossible|not\s+allowed)\b",
    re.IGNORECASE,
)


def _rejects(before: str, box_value: str) -> bool:
    before = re.sub(r"(?:final\s+answer|answer|so|thus|therefore|hence)\s*[:,]?\s*\$?\s*\Z", "", before, flags=re.I)
    if not re.search(r"(?<!\d)[.!?。！？]\s*(?:\$\s*)*\Z", before):
        return False
    sentence = re.split(r"(?<!\d)[.!?。！？](?=\s)|\n", before.rstrip(" \n\t$.!?。！？"))[-1]
    values = [v.replace(" ", "") for v in re.findall(r"(?<![\w.])[-−]?\s*\d+(?:\.\d+)?(?![\w.])", sentence)]
    return bool(REJECTED_RE.search(sentence)) and box_value.replace(" ", "") in values
