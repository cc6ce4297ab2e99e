"""The tiny-checkpoint builders (scripts/) run end to end on a few steps and share one SFT loop."""

from __future__ import annotations

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _import(name: str):
    sys.path.insert(0, str(SCRIPTS))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(SCRIPTS))


def test_math_builder_trains_and_lowers_the_loss():
    builder = _import("build_tiny_math_model")
    args = ["--steps", "8", "--n_train", "64", "--n_eval", "8", "--batch_size", "8", "--eval_every", "4", "--no_save"]
    result = builder.main(args)
    assert result["history"][0]["step"] == 4 and result["history"][-1]["step"] == 8
    assert result["final_loss"] < 4.6  # ln(vocab) of an untrained model is about 4.6; 8 steps at lr 3e-3 must move


def test_knowledge_builder_continues_tiny_math(tmp_path):
    builder = _import("build_tiny_knowledge_model")
    model, _, result = builder.train(builder.parse_args(["--steps", "2", "--n_problems", "16", "--batch_size", "4"]))
    assert result["history"][-1]["step"] == 2 and 0.0 <= result["recall_seen"] <= 1.0
    assert sum(p.numel() for p in model.parameters()) == result["parameters"]
