"""archer_trl.evaluation.metrics: the unbiased pass@k estimator against brute-force enumeration, and avg@K
aggregation with unscored samples."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from archer_trl import evaluation as ev

# ------------------------------------------------------------------------------------------------ pass@k and avg@K


def enumerated_pass_at_k(n: int, c: int, k: int) -> Fraction:
    """pass@k by brute force: the fraction of all size-k subsets of the n samples holding a correct one."""
    samples = [True] * c + [False] * (n - c)
    subsets = list(itertools.combinations(range(n), k))
    return Fraction(sum(any(samples[i] for i in subset) for subset in subsets), len(subsets))


def test_pass_at_k_matches_enumeration_of_all_subsets():
    checked = 0
    for n in range(1, 9):
        for c in range(n + 1):
            for k in range(1, n + 1):
                assert ev.pass_at_k(n, c, k) == pytest.approx(float(enumerated_pass_at_k(n, c, k)), abs=1e-15), (
                    n,
                    c,
                    k,
                )
                checked += 1
    assert checked == sum(n * (n + 1) for n in range(1, 9))


def test_pass_at_k_special_values_and_large_n():
    assert ev.pass_at_k(64, 0, 64) == 0.0
    assert ev.pass_at_k(64, 1, 64) == 1.0
    assert ev.pass_at_k(64, 16, 1) == pytest.approx(16 / 64)  # pass@1 is the fraction correct
    # 1 - prod_{i=n-c+1}^{n} (1 - k/i), the numerically stable form, agrees with the exact binomials
    n, c, k = 1000, 3, 100
    stable = 1.0
    for i in range(n - c + 1, n + 1):
        stable *= 1 - k / i
    assert ev.pass_at_k(n, c, k) == pytest.approx(1 - stable, rel=1e-12)


@pytest.mark.parametrize(
    ("n", "c", "k", "message"),
    [
        (4, 5, 1, "c \\(correct"),
        (4, 1, 5, "k must be"),
        (4, 1, 0, "k must be"),
        (0, 0, 1, "n \\(samples"),
        (4, -1, 1, "c"),
    ],
)
def test_pass_at_k_rejects_bad_arguments(n, c, k, message):
    with pytest.raises(ValueError, match=message):
        ev.pass_at_k(n, c, k)
    with pytest.raises(TypeError):
        ev.pass_at_k(4.0, 1, 1)


def test_aggregate_matches_enumeration_on_random_scores():
    rng = random.Random(0)
    scores = [[float(rng.random() < p) for _ in range(6)] for p in (0.0, 0.1, 0.5, 0.9, 1.0, 0.3, 0.7)]
    result = ev.aggregate_scores(scores)
    assert result["k"] == 6 and result["num_problems"] == 7 and result["num_samples"] == 42
    for k in range(1, 7):
        expected = sum(float(enumerated_pass_at_k(6, int(sum(row)), k)) for row in scores) / len(scores)
        assert result["pass@k"][str(k)] == pytest.approx(expected)
    mean = sum(sum(row) / 6 for row in scores) / 7
    assert result["avg@6"] == pytest.approx(mean)
    assert result["pass@k"]["1"] == pytest.approx(result["avg@6"])  # binary scores: avg@K == pass@1
    assert result["pass@6"] == result["pass@k"]["6"]
    assert "pass@k_problems" not in result


def test_aggregate_excludes_and_counts_unscored_samples():
    scores = [[1.0, None, 0.0, 1.0], [None, None, None, None], [0.0, 0.0, 0.0, 1.0]]
    result = ev.aggregate_scores(scores)
    assert result["num_unscored"] == 5
    assert result["problems_without_scores"] == 1
    # avg over the two problems with scores: (2/3 + 1/4) / 2, never counting None as 0
    assert result["avg@4"] == pytest.approx((2 / 3 + 1 / 4) / 2)
    # pass@4 needs 4 scored samples: only the third problem qualifies
    assert result["pass@k_problems"] == {"1": 2, "2": 2, "3": 2, "4": 1}
    assert result["pass@k"]["4"] == 1.0
    assert result["pass@k"]["3"] == pytest.approx((ev.pass_at_k(3, 2, 3) + ev.pass_at_k(4, 1, 3)) / 2)


def test_aggregate_partial_credit_counts_only_full_marks_for_pass_at_k():
    result = ev.aggregate_scores([[0.5, 0.5], [1.0, 0.0]])
    assert result["avg@2"] == pytest.approx(0.5)
    assert result["pass@k"]["2"] == pytest.approx(0.5)  # the 0.5-scored problem is never solved
    with pytest.raises(ValueError, match="NaN"):
        ev.aggregate_scores([[float("nan"), 1.0]])


def test_table_ks():
    assert ev.table_ks(64) == [1, 2, 4, 8, 16, 32, 64]
    assert ev.table_ks(6) == [1, 2, 4, 6]
    assert ev.table_ks(1) == [1]
