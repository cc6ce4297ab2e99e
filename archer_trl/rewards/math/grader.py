"""The fail-closed math grader: parse gold and answer into typed values, accept only a full match.

``grade(gold, answer)`` returns ``"correct"``, ``"wrong"`` or ``"bad_gold"`` (the gold itself is not understood:
the reward is then None, never 0). It runs in the worker process (`worker.py`), bounded there by deadlines.
"""

from __future__ import annotations

from functools import lru_cache

from .choices import option_set
from .compare import matches, understood
from .notation import DECIMAL_COMMA
from .parse import parse_answer
from .symbolic import Timeout, deadline
from .values import Quantity, Scalar, Unknown, Value

GOLD_CACHE_SIZE = 8192


@lru_cache(maxsize=GOLD_CACHE_SIZE)
def parse_gold(gold: str) -> Value:
    """The gold's typed value, `Unknown` when any part of it is not understood (cached: each gold repeats once per
    completion of its group)."""
    value = parse_answer(gold, gold=True)
    return value if understood(value) else Unknown("gold not understood")


def grade(gold: str, answer: str | None, timeout: float = 0) -> str:
    """``correct`` if ``answer`` (the extracted final answer's text) states ``gold``, else ``wrong``; ``bad_gold``
    if the gold is not understood. ``timeout`` (seconds, 0 for none) bounds the whole check."""
    try:
        with deadline(timeout):
            letters = option_set(gold)
            if letters is not None:  # a multi-select gold ("ACD", "A, C", "C、D"): the same letters in any writing
                return "correct" if option_set(answer) == letters else "wrong"
            gold_value = parse_gold(gold)
            if isinstance(gold_value, Unknown):
                return "bad_gold"
            if answer is None:
                return "wrong"
            answer = decimal_comma(gold_value, answer)
            return "correct" if matches(gold_value, parse_answer(answer)) else "wrong"
    except Timeout:
        return "wrong"
    except RecursionError:
        return "wrong"


def grade_any(golds: list[str], answer: str | None, timeout: float = 0) -> str:
    """``correct`` if the answer states any gold; ``bad_gold`` only when no gold is understood."""
    verdicts = set()
    for gold in golds:
        verdict = grade(gold, answer, timeout)
        if verdict == "correct":
            return verdict
        verdicts.add(verdict)
    return "wrong" if "wrong" in verdicts else "bad_gold"


def decimal_comma(gold: Value, answer: str) -> str:
    """``answer`` with a decimal comma read as a point, when the gold is one decimal number that is not an integer
    (a bare "3,5" is otherwise the list 3, 5; with a decimal gold, no list reading could be right)."""
    number = gold.number if isinstance(gold, Scalar) else None
    if isinstance(gold, Quantity) and len(gold.parts) == 1:
        number = gold.parts[0][0].number
    if number is None or number.percent or number.value.denominator == 1:
        return answer
    match = DECIMAL_COMMA.fullmatch(answer)
    return f"{match.group(1)}.{match.group(2)}{match.group(3)}" if match else answer
