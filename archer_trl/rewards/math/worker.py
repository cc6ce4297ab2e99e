"""A math-verify worker process: reads JSON-lines jobs on stdin and answers each on its original stdout.

The parent (`archer_trl.rewards.math.pool.VerifierPool`) starts it as ``python -m archer_trl.rewards.math.worker``: a
fresh interpreter (like multiprocessing's spawn, without re-importing the training script), which imports math-verify
and the rewards package, never torch. math-verify's SIGALRM timeouts work here because every job runs in
this process's main thread. The parent still enforces a hard deadline and kills a worker that overruns it, because
CPython can hold the GIL through a huge integer power before the alarm is delivered.

A job is ``{"id", "gold": [str, ...], "answer": str | None, "parse_timeout": int, "verify_timeout": int}``; the reply
``{"id", "result"}`` carries ``"correct"``, ``"wrong"`` or ``"bad_gold"`` (no gold parses). Only these words
cross the process boundary: sympy objects are never printed (``str()`` of one can hang for minutes).
"""

from __future__ import annotations

import json
import os
import re
import resource
import sys
from functools import lru_cache

from archer_trl.rewards.math import normalize

GOLD_CACHE_SIZE = 8192
MATH_DELIMITER = re.compile(r"(?<!\\)\$")  # a "$" that is not an escaped dollar sign ("\$5")


def _configs():
    from math_verify import ExprExtractionConfig, LatexExtractionConfig
    from math_verify.parser import NormalizationConfig

    # math-verify's recommended reward config for predictions: only valid LaTeX is rewarded, \boxed beats anchors.
    prediction = NormalizationConfig(
        basic_latex=True, units=True, malformed_operators=False, nits=False, boxed="all", equations=False
    )
    return {
        "prediction": [
            LatexExtractionConfig(
                normalization_config=prediction, boxed_match_priority=0, try_extract_without_anchor=False
            )
        ],
        "gold": [LatexExtractionConfig(), ExprExtractionConfig()],
        "gold_plain": [ExprExtractionConfig()],
    }


CONFIGS: dict = {}
# Representative answers: ANTLR builds its prediction (DFA) cache lazily, so the first parse of each construct costs
# 50-150 ms; parsing these once at start-up makes a fresh worker's first batch nearly as fast as later ones.
WARM_UP = [
    ("1", "1"), ("\\frac{1}{2}", "\\dfrac{2}{4}"), ("2\\sqrt{2}", "\\sqrt{8}"), ("\\frac{3\\pi}{4}", "\\pi"),
    ("[1, 3)", "(-\\infty, 2]"), ("10\\%", "0.1"), ("\\{1, 2\\}", "\\{2, 1\\}"), ("x^2+2x+1", "(x+1)^{2}"),
    ("\\text{Monday}", "\\text{(A)}"), ("-3.5", "-\\frac{7}{2}"), ("(1, 2)", "(2,1)"), ("2^{10}", "1024"),
    ("\\sqrt[3]{2}", "2^{1/3}"), ("\\log_2 8", "3"), ("\\sin x", "\\cos(x)"), ("a+b", "b+a"), ("\\$5", "5 \\text{ cm}"),
]  # fmt: skip


@lru_cache(maxsize=GOLD_CACHE_SIZE)
def parse_gold(gold: str, timeout: int) -> tuple:
    """The parsed gold. A bare LaTeX gold parses to a stray number or nothing (``2\\sqrt{2}`` -> 2), so it is wrapped
    in ``\\boxed{}`` first (as verl does); a gold that already has ``\\boxed`` or ``$`` is parsed as it is."""
    from math_verify import parse

    wrapped = gold if ("\\boxed" in gold or MATH_DELIMITER.search(gold)) else "\\boxed{" + gold + "}"
    parsed = parse(wrapped, extraction_config=CONFIGS["gold"], parsing_timeout=timeout)
    if not parsed:
        parsed = parse(gold, extraction_config=CONFIGS["gold_plain"], parsing_timeout=timeout)
    return tuple(parsed)


def gold_forms(gold: str) -> list[str]:
    """The gold as math-verify should read it: pre-normalised, E-notation rewritten, and ``12.5`` next to
    ``12.5\\%`` (math-verify accepts the bare number only for whole percentages)."""
    normal = normalize.scientific_to_tex(normalize.normalize_common(gold.strip()))
    bare = normalize.percent_free_number(normal)
    return [normal] if bare is None else [normal, bare]


def answer_form(answer: str, gold: str) -> str:
    """The answer pre-normalised (a final full stop dropped, a tuple read as the gold's column vector); E-notation is
    rewritten only against a plain-number gold, so that ``2e-1`` still means 2e - 1 elsewhere."""
    normal = normalize.tuple_as_column_vector(gold, normalize.normalize_answer_end(normalize.normalize_common(answer)))
    return normalize.scientific_to_tex(normal) if normalize.is_plain_number(gold) else normal


def _parse_prediction(answer: str, parse_timeout: int) -> list:
    from math_verify import parse

    return parse(
        "\\boxed{" + answer + "}",
        extraction_config=CONFIGS["prediction"],
        fallback_mode="first_match",
        parsing_timeout=parse_timeout,
    )


def check_one(gold: str, answer: str | None, parse_timeout: int, verify_timeout: int) -> str:
    """``correct``, ``wrong`` or ``bad_gold`` for one gold."""
    from math_verify import verify

    choice = normalize.split_choice(gold)
    if choice is not None:  # a multiple-choice gold: the letter decides; a gold's value may stand in for it
        letter, value = choice
        if answer is None:
            return "wrong"
        picked = normalize.split_choice(answer)
        if picked is not None:
            return "correct" if picked[0] == letter else "wrong"
        return check_one(value, answer, parse_timeout, verify_timeout) if value else "wrong"
    forms = gold_forms(gold)
    parsed = [p for p in (parse_gold(form, parse_timeout) for form in forms) if p]
    if not parsed:
        return "bad_gold"
    if answer is None:
        return "wrong"
    prediction = answer_form(answer, forms[0])
    for judge in (normalize.compare_quantities, normalize.compare_bases):  # what math-verify misreads
        verdict = judge(forms[0], prediction)
        if verdict is not None:
            return "correct" if verdict else "wrong"
    # "\\sqrt{2} \\approx 1.41": the exact value and its rounding; either may be what the gold states
    texts = [prediction, *([prediction.rsplit("\\approx", 1)[1]] if "\\approx" in prediction else [])]
    predictions = [p for p in (_parse_prediction(text, parse_timeout) for text in texts) if p]
    # verify(gold, prediction): the check is asymmetric on purpose (restating the question must not pay).
    if any(verify(list(g), p, timeout_seconds=verify_timeout) for g in parsed for p in predictions):
        return "correct"
    return "wrong"


def check(golds: list[str], answer: str | None, parse_timeout: int, verify_timeout: int) -> str:
    """``correct`` if ``answer`` (the final answer's text) equals any gold, ``wrong``, or ``bad_gold`` (no gold
    parses).

    ``answer`` None (the response has no final answer) only checks that a gold parses: with a bad gold no response
    can be judged, whatever it contains.
    """
    verdicts = set()
    for gold in golds:
        verdict = check_one(gold, answer, parse_timeout, verify_timeout)
        if verdict == "correct":
            return verdict
        verdicts.add(verdict)
    return "wrong" if "wrong" in verdicts else "bad_gold"


def _set_memory_limit(argv: list[str]) -> None:
    if "--memory-bytes" in argv:
        limit = int(argv[argv.index("--memory-bytes") + 1])
        if limit > 0:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main() -> None:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the reply stream
    _set_memory_limit(sys.argv)
    CONFIGS.update(_configs())
    for gold, answer in WARM_UP:  # imports, and ANTLR's prediction cache for common LaTeX, before real jobs
        check([gold], answer, 5, 5)
    replies.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in sys.stdin:
        job = json.loads(line)
        try:
            result = check(job["gold"], job["answer"], job["parse_timeout"], job["verify_timeout"])
        except Exception:  # noqa: BLE001 - math-verify raising on odd input is a wrong answer, not a worker failure
            result = "wrong"
        except BaseException:  # noqa: BLE001 - e.g. a stray TimeoutException: still just a wrong answer
            result = "wrong"
        replies.write(json.dumps({"id": job["id"], "result": result}) + "\n")


if __name__ == "__main__":
    main()
