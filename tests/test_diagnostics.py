"""The repetition measure, against a brute-force independent count on random sequences."""

from __future__ import annotations

import random

import pytest

from archer_trl.diagnostics import ngrams, repeated_ngram_counts, repetition_rate, word_units


def brute_force_repeated(units: list, n: int) -> tuple[int, int]:
    """Count n-gram positions whose n-gram already occurred at an earlier position (pairwise comparison)."""
    positions = range(len(units) - n + 1)
    repeated = sum(1 for i in positions if any(units[j : j + n] == units[i : i + n] for j in range(i)))
    return repeated, len(positions)


@pytest.mark.parametrize("seed", range(5))
def test_repeated_counts_match_brute_force(seed):
    rng = random.Random(seed)
    for _ in range(200):
        n = rng.randint(1, 6)
        units = [rng.randint(0, rng.choice([1, 3, 10])) for _ in range(rng.randint(0, 40))]
        assert repeated_ngram_counts(units, n) == brute_force_repeated(units, n)


def test_repetition_rate_is_the_mean_over_responses_with_ngrams():
    looping = list("2+1=3,") * 5  # 30 tokens, period 6: every 8-gram after the first period repeats
    fresh = list("<think>1+2=3</think>")
    short = list("abc")
    rate = repetition_rate([looping, fresh, short], 8)
    loop_repeated, loop_total = brute_force_repeated(looping, 8)
    assert loop_repeated == loop_total - 6
    assert rate == pytest.approx((loop_repeated / loop_total + 0.0) / 2)
    assert repetition_rate([short], 8) is None


def test_words_and_bad_n():
    assert word_units("The the  THE\ncat") == ["the", "the", "the", "cat"]
    assert ngrams("abcd", 2) == [("a", "b"), ("b", "c"), ("c", "d")]
    with pytest.raises(ValueError, match="n=0 is invalid"):
        ngrams("abc", 0)
