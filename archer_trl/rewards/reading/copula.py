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
    " option choice letter".split()
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
