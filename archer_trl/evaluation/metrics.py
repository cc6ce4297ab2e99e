"""avg@K and the unbiased pass@k of Chen et al. (2021), from per-problem sample scores.

``None`` scores (the reward's infrastructure could not score a sample) are excluded and counted, never scored 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased estimate of pass@k from ``n`` samples of which ``c`` are correct: ``1 - C(n-c, k) / C(n, k)``.

    This is the probability that a random size-``k`` subset of the ``n`` samples contains at least one correct one,
    so it averages over every subset instead of using only the first ``k`` samples. Exact integer binomials are used
    (Python's int/int division rounds correctly), so there is no cancellation for large ``n``.
    """
    for name, value in (("n", n), ("c", c), ("k", k)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"pass_at_k: {name} must be an int, got {value!r}")
    if n < 1:
        raise ValueError(f"pass_at_k: n (samples) must be >= 1, got {n}")
    if not 0 <= c <= n:
        raise ValueError(f"pass_at_k: c (correct samples) must be in [0, n={n}], got {c}")
    if not 1 <= k <= n:
        raise ValueError(f"pass_at_k: k must be in [1, n={n}], got {k}")
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def is_correct(score: float, threshold: float = 1.0) -> bool:
    """A sample counts as solved for pass@k when its score reaches ``threshold`` (1.0: full marks).

    Archer's rewards are binary, so this only matters for partial-credit rewards, where a half-passing program must
    not count as a solution.
    """
    return score >= threshold


def aggregate_scores(
    scores: Sequence[Sequence[float | None]], *, k_max: int | None = None, threshold: float = 1.0
) -> dict[str, Any]:
    """avg@K and pass@k for k = 1..K from per-problem sample scores (``scores[i]`` holds problem i's K scores).

    - ``None`` scores (a reward infrastructure failure) are excluded and counted in ``num_unscored``.
    - avg@K is the mean over problems of the per-problem mean score (the mean pass@1 over the K samples; with binary
      scores it equals pass@1). Problems with no scored sample are left out and counted.
    - pass@k averages :func:`pass_at_k` over the problems with at least k scored samples; when some problems have
      fewer (because of ``None``), ``pass@k_problems`` says how many entered each value.
    """
    if k_max is None:
        k_max = max((len(row) for row in scores), default=0)
    if k_max < 1:
        raise ValueError(f"aggregate_scores needs at least one sample per problem, got k_max={k_max}")
    per_problem = []
    for index, row in enumerate(scores):
        valid = [float(s) for s in row if s is not None]
        for s in valid:
            if math.isnan(s):
                raise ValueError(f"problem {index} has a NaN score; use None for samples that could not be scored")
        per_problem.append(
            {
                "n": len(valid),
                "correct": sum(is_correct(s, threshold) for s in valid),
                "mean": sum(valid) / len(valid) if valid else None,
                "unscored": len(row) - len(valid),
            }
        )
    scored = [p for p in per_problem if p["n"] > 0]
    pass_k: dict[str, float | None] = {}
    pass_k_problems: dict[str, int] = {}
    for k in range(1, k_max + 1):
        eligible = [p for p in scored if p["n"] >= k]
        pass_k[str(k)] = (
            sum(pass_at_k(p["n"], p["correct"], k) for p in eligible) / len(eligible) if eligible else None
        )
        pass_k_problems[str(k)] = len(eligible)
    means = [p["mean"] for p in scored]
    avg = sum(means) / len(means) if means else None
    stderr = None
    if len(means) > 1 and avg is not None:
        variance = sum((m - avg) ** 2 for m in means) / (len(means) - 1)
        stderr = math.sqrt(variance / len(means))
    result: dict[str, Any] = {
        "num_problems": len(scores),
        "k": k_max,
        f"avg@{k_max}": avg,
        f"avg@{k_max}_stderr": stderr,
        f"pass@{k_max}": pass_k[str(k_max)],
        "pass@k": pass_k,
        "num_samples": sum(len(row) for row in scores),
        "num_unscored": sum(p["unscored"] for p in per_problem),
        "problems_without_scores": len(per_problem) - len(scored),
        "correct_threshold": threshold,
    }
    if any(count != len(scored) for count in pass_k_problems.values()):
        result["pass@k_problems"] = pass_k_problems
    return result
