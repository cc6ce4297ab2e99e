"""A math grader worker process: reads JSON-lines jobs on stdin and answers each on its original stdout.

The parent (`archer_trl.rewards.math.pool.VerifierPool`) starts it as ``python -m archer_trl.rewards.math.worker``: a
fresh interpreter (like multiprocessing's spawn, without re-importing the training script), which imports the
grader (sympy, latex2sympy, pint), never torch. The grader's SIGALRM timer works here because every job runs in
this process's main thread. The parent still enforces a hard deadline and kills a worker that overruns it, because
CPython can hold the GIL through a huge integer power before the alarm is delivered.

A job is ``{"id", "gold": [str, ...], "answer": str | None, "parse_timeout": int, "verify_timeout": int}``; the reply
``{"id", "result"}`` carries ``"correct"``, ``"wrong"`` or ``"bad_gold"`` (no gold parses). Only these words
cross the process boundary: sympy objects are never printed (``str()`` of one can hang for minutes).
"""

from __future__ import annotations

import json
import os
import resource
import sys

from archer_trl.rewards.math.grader import grade_any

# Representative answers: the first parse of each construct warms latex2sympy's ANTLR cache and sympy's, and
# pint builds its registry (about a second); doing it at start-up keeps that out of a fresh worker's first batch.
WARM_UP = [
    ("1", "1"), ("\\frac{1}{2}", "\\dfrac{2}{4}"), ("2\\sqrt{2}", "\\sqrt{8}"), ("\\frac{3\\pi}{4}", "\\pi"),
    ("[1, 3)", "(-\\infty, 2]"), ("10\\%", "0.1"), ("\\{1, 2\\}", "\\{2, 1\\}"), ("x^2+2x+1", "(x+1)^{2}"),
    ("\\text{Monday}", "\\text{(A)}"), ("-3.5", "-\\frac{7}{2}"), ("(1, 2)", "(2,1)"), ("2^{10}", "1024"),
    ("\\sqrt[3]{2}", "2^{1/3}"), ("\\log_2 8", "3"), ("\\sin x", "\\cos(x)"), ("a+b", "b+a"), ("\\$5", "5 \\text{ cm}"),
    ("2 \\text{ L}", "2000 \\text{ mL}"), ("3-4i", "3 - 4 i"), ("x<3", "(-\\infty, 3)"),
]  # fmt: skip


def check(golds: list[str], answer: str | None, parse_timeout: int, verify_timeout: int) -> str:
    """``correct`` if ``answer`` (the final answer's text) states any gold, ``wrong``, or ``bad_gold`` (no gold is
    understood). ``answer`` None (no final answer) only checks the golds: with a bad gold nothing can be judged."""
    return grade_any(list(golds), answer, timeout=parse_timeout + verify_timeout)


def _set_memory_limit(argv: list[str]) -> None:
    if "--memory-bytes" in argv:
        limit = int(argv[argv.index("--memory-bytes") + 1])
        if limit > 0:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main() -> None:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the reply stream
    _set_memory_limit(sys.argv)
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
