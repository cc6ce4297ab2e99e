"""The sentence just before the answer line: when it ends by stating a result, that result must be the box's
("So the answer comes out to 7." then "$\\boxed{8}$" is two answers; red-team rounds 13, 21 and 23)."""

from __future__ import annotations

import re

from .remarks import idioms_as_numbers, stated_number, words_of
from .second_values import numbers_as_digits
from .wording import CONCLUSION_RE
from .wording_section import LEAD_VALUE_RE

TOTAL_RE = re.compile(r"共|总|合计|\bin\s+(?:total|all)\b|\baltogether\b|\boverall\b", re.IGNORECASE)
# What may stand before the box on its line for the line to be just the answer: a conclusion word, an answer label
# ("Final answer →", "Thus,", "The answer is", "Our final result:", "**最终答案**：", "Volume =")
ANSWER_LEAD_RE = re.compile(
    r"\W*(?:(?:thus|hence|so|therefore|finally|consequently|in\s+conclusion|所以|因此|故|综上)\W*)?"
    r"(?:(?:(?:the|our|my)\s+)?(?:(?:final|最终)\s*)?(?:answer|result|value|答案|结果)|[A-Za-z]{1,20})?"
    r"\s*(?:is|are|[:：→=]|->|=>|为|是)?\W*",
    re.IGNORECASE,
)


def lead_conflicts(text: str, box_start: int, final: list[str]) -> bool:
    """A box on its own line after a sentence that ends by stating another number ("So the answer comes out to 7.",
    "Hence $n$ equals 7.", "there are 7 ways in total.", "共有 7 种。") then "$\\boxed{8}$": two answers."""
    number = stated_number(final[0]) if len(final) == 1 else None
    before = words_of(text[max(0, box_start - 300) : box_start])
    # the box's line, less an answer label or markup ("**Final Answer:**", "答案：", "<b>")
    line = re.sub(r"<[^<>]{0,40}>|\*\*", "", before.rsplit("\n", 1)[-1].replace("$", ""))
    if number is None or not ANSWER_LEAD_RE.fullmatch(line):
        return False
    labelled_line = bool(
        re.search(r"\w", line)
    )  # "So the answer is $\boxed{12}$." rather than a bare box  # a box in a sentence is read by the clause rules; a symbolic box is not compared here
    lines = [line for line in before.split("\n")[:-1] if re.search(r"\w", line)]  # the lines above the box's
    lines = [line for line in lines if not re.fullmatch(r"\W*(?:final\s+)?answer\W*|\W*答案\W*", line, re.I)]
    if not lines:
        return False
    sentence = idioms_as_numbers(re.split(r"(?<=[.!?。！？])\s+", lines[-1].strip())[-1])
    sentence = numbers_as_digits(sentence)
    ending = re.search(r"\b(?:is|are|was|were|equals?|be|giving|gives?)\s+([a-z]+)\s*[.!]?\s*\Z", sentence, re.I)
    if ending:  # "Hence the total is eight.": a small number word that ends a result
        sentence = sentence[: ending.start(1)] + numbers_as_digits(ending.group(1), single_words=True)
    match = LEAD_VALUE_RE.search(sentence)
    if match and re.search(
        r"\b(?:for|when|if|at|with|where)\s+\$?\s*[A-Za-z]\s*=\s*\$?\s*\Z", sentence[: match.start() + 1]
    ):
        return False  # "... checks out for n = 2.": a case of a check, not a stated answer
    head = sentence[: match.start(1) if match and match.group(1) else match.start() if match else 0]
    if labelled_line and match and re.search(r"(?<![\w\\])[^\W\d_]\w{0,3}\s*=\s*\$?\s*\Z", head):
        return False  # "By Vieta, ... and Δx = 2." then "So the answer is": a named quantity, not a result
    if match and re.search(
        r"(?:[A-Za-z]\s*[-+*/^]|[-+*/^]\s*\d*[A-Za-z])[^=]{0,20}=\s*\Z", sentence[: match.start() + 1]
    ):
        return False  # "Solve 2x + 14 = 0.": an equation in the unknown, not a stated answer
    stated = (match.group(1) or match.group(2)) if match else ""
    value = stated_number(stated) if match else None
    after = sentence[match.end(1) if match and match.group(1) else match.end(2) if match else 0 :]
    if (
        labelled_line
        and re.search(r"[^\W\d_]", after)
        and not CONCLUSION_RE.search(sentence)
        and not TOTAL_RE.search(sentence)
    ):
        return False  # "The ladder is 13 ft long." then "So the answer is": a fact of the problem, not a result
    percent = "%" in stated or re.match(r"\s*(?:\\?%|percent\b|per\s+cent\b)", after, re.I)  # "37.5%" for 3/8
    return value is not None and value != number and not (percent and value / 100 == number)
