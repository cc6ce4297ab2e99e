"""Response-level diagnostics the paper tracks beside accuracy: repetition of n-grams inside a response.

The paper logs a "repetition rate": within each response, the share of its n-grams (20-grams of lowercased
whitespace-split words in the released code) that repeat an n-gram seen earlier in the same response. Archer's claim
is that too little KL on knowledge tokens lets this rise while entropy collapses. The functions work on any sequence
of hashable units (token ids, characters, words), so short character-level responses can use token n-grams.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence


def ngrams(units: Sequence[Hashable], n: int) -> list[tuple[Hashable, ...]]:
    """The ``len(units) - n + 1`` contiguous n-grams of ``units`` (none when it is shorter than ``n``)."""
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n={n!r} is invalid: the n-gram length must be an integer >= 1")
    return [tuple(units[i : i + n]) for i in range(len(units) - n + 1)]


def repeated_ngram_counts(units: Sequence[Hashable], n: int) -> tuple[int, int]:
    """``(repeated, total)``: how many of a response's n-grams repeat an earlier one, and how many there are."""
    grams = ngrams(units, n)
    return len(grams) - len(set(grams)), len(grams)


def repetition_rate(responses: Iterable[Sequence[Hashable]], n: int) -> float | None:
    """Mean over responses of ``repeated / total`` n-grams; responses shorter than ``n`` have no n-grams and are
    left out. ``None`` when no response has an n-gram (nothing was measured, which is not the same as 0)."""
    rates = []
    for units in responses:
        repeated, total = repeated_ngram_counts(units, n)
        if total:
            rates.append(repeated / total)
    return sum(rates) / len(rates) if rates else None


def word_units(text: str) -> list[str]:
    """The released code's units for the repetition measure: lowercased, whitespace-split words."""
    return text.lower().split()
