"""The math reward against a hand-labelled corpus of R1-style completions (tests/data/math_fidelity.jsonl, built by
tests/data/build_math_fidelity.py): no false positive at all, and at most 1% false negatives."""

from __future__ import annotations

import collections
import json
from pathlib import Path

from archer_trl.rewards import accuracy_reward

CORPUS = Path(__file__).with_name("data") / "math_fidelity.jsonl"


def load_corpus() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]


def test_corpus_is_large_balanced_and_broad():
    rows = load_corpus()
    assert len(rows) >= 300
    correct = sum(row["label"] for row in rows)
    assert 0.4 <= correct / len(rows) <= 0.6, correct
    categories = collections.Counter(row["category"] for row in rows)
    assert len(categories) >= 25 and min(categories.values()) >= 7, categories
    kinds = collections.Counter(row["kind"] for row in rows)
    assert kinds["near"] >= 60 and kinds["guard"] >= 25, kinds
    assert all(row["completion"].startswith("<think>") for row in rows)


def test_no_false_positives_and_at_most_one_percent_false_negatives():
    rows = load_corpus()
    scores = accuracy_reward([row["completion"] for row in rows], [row["gold"] for row in rows])
    assert None not in scores, [row["gold"] for row, s in zip(rows, scores) if s is None]
    false_positives = [
        (r["id"], r["gold"], r["answer"] or r["note"]) for r, s in zip(rows, scores) if s and not r["label"]
    ]
    false_negatives = [
        (r["id"], r["gold"], r["answer"] or r["note"]) for r, s in zip(rows, scores) if r["label"] and not s
    ]
    assert false_positives == []
    assert len(false_negatives) <= 0.01 * len(rows), false_negatives
