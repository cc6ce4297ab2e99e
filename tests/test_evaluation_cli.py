"""examples/evaluate.py end to end: tiny offline checkpoints, real generation and real rewards, JSON/JSONL/table and
the accuracy-over-steps curve."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archer_trl.tiny import save_tiny_model

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A fake training output directory: two checkpoints (different random weights) and a log folder."""
    run = tmp_path_factory.mktemp("run")
    save_tiny_model(run / "checkpoint-5", seed=1)
    save_tiny_model(run / "checkpoint-10", seed=2)
    (run / "runs").mkdir()
    return run


def test_cli_evaluates_checkpoints_and_writes_results_table_and_curve(run_dir, tmp_path):
    out = tmp_path / "eval"
    cmd = [
        sys.executable,
        str(ROOT / "examples" / "evaluate.py"),
        "--model",
        str(run_dir),
        "--benchmarks",
        "arith,humaneval",
        "--limit",
        "2",
        "--k",
        "2",
        "--max_tokens",
        "8",
        "--backend",
        "transformers",
        "--torch_threads",
        "1",
        "--output_dir",
        str(out),
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    for step in (5, 10):
        folder = out / f"checkpoint-{step}"
        results = json.loads((folder / "results.json").read_text())
        assert results["step"] == step and results["backend"] == "transformers"
        assert set(results["benchmarks"]) == {"arith", "humaneval"}
        for name, metrics in results["benchmarks"].items():
            assert metrics["num_problems"] == 2 and metrics["k"] == 2 and metrics["num_samples"] == 4
            assert set(metrics["pass@k"]) == {"1", "2"}
            assert 0.0 <= metrics["avg@2"] <= 1.0 and metrics["num_unscored"] == 0
            assert metrics["sampling"] == {"n": 2, "temperature": 0.8, "top_p": 1.0, "max_tokens": 8, "seed": 0}
            samples = [json.loads(line) for line in (folder / f"samples_{name}.jsonl").read_text().splitlines()]
            assert len(samples) == 4
            assert {(s["index"], s["sample"]) for s in samples} == {(0, 0), (0, 1), (1, 0), (1, 1)}
            for s in samples:
                assert s["benchmark"] == name and s["score"] in (0.0, 1.0)
                assert s["prompt"].startswith("<|im_start|>user\n") and s["prompt"].endswith("<|im_start|>assistant\n")
                assert isinstance(s["completion"], str) and s["num_tokens"] <= 8

    summary = json.loads((out / "summary.json").read_text())
    assert [r["step"] for r in summary] == [5, 10]
    # the printed table: one line per (checkpoint, benchmark) in the final summary
    table = proc.stdout[proc.stdout.rindex("model ") :]
    assert "avg@K" in table and "pass@k (%)" in table
    assert proc.stdout.count("pass@k (%)") == 1, "the table is printed once"
    assert sum(line.startswith("checkpoint-") for line in table.splitlines()) == 4

    with (out / "curve.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [(r["step"], r["benchmark"]) for r in rows] == [
        ("5", "arith"),
        ("5", "humaneval"),
        ("10", "arith"),
        ("10", "humaneval"),
    ]
    assert (out / "curve.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((out / "curve.json").read_text())[0]["step"] == 5


def test_cli_rejects_unknown_benchmarks(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "evaluate.py"), "--model", "x", "--benchmarks", "aime2024"],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode != 0
    assert "unknown benchmark 'aime2024'" in proc.stderr and "aime24" in proc.stderr


def test_list_arguments_accept_commas_and_spaces():
    from archer_trl.cli.evaluate import split_list_arg

    assert split_list_arg(["humaneval,gym-math", "arith"]) == ["humaneval", "gym-math", "arith"]


EVALUATE_MISTAKES = [
    (["--model", "{tmp}/emptydir"], "--model '{tmp}/emptydir' has no model weights"),
    (["--model", "./no/such/model"], "--model './no/such/model': no such folder"),
    (["--model", "{model}", "--k", "0"], "--k 0 is invalid: it must be a whole number of at least 1"),
    (["--model", "{model}", "--limit", "0"], "--limit 0 is invalid"),
]


@pytest.mark.parametrize(("argv", "message"), EVALUATE_MISTAKES, ids=[" ".join(a) for a, _ in EVALUATE_MISTAKES])
def test_cli_argument_errors_are_plain_and_leave_no_output_folder(tmp_path, argv, message):
    from archer_trl.cli.evaluate import evaluate

    (tmp_path / "emptydir").mkdir()
    model = str(ROOT / "archer_trl" / "assets" / "tiny-math")
    out = tmp_path / "eval"

    def fill(text: str) -> str:
        return text.replace("{tmp}", str(tmp_path)).replace("{model}", model)

    with pytest.raises(SystemExit) as stop:
        evaluate([*map(fill, argv), "--benchmarks", "arith", "--output_dir", str(out)])
    assert fill(message) in str(stop.value.code)
    assert not out.exists()
