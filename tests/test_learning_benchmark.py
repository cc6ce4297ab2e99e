"""The learning-comparison harness (benchmarks/learning): real training runs end to end, caching and validation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks" / "learning"))

import harness  # noqa: E402


def test_spelling_out_a_default_names_the_same_run():
    implicit = harness.RunSpec(method="archer", seed=0, group="archer")
    explicit = harness.RunSpec(method="archer", seed=0, group="rho=0.8", overrides={"token_entropy_quantile": 0.8})
    other = harness.RunSpec(method="archer", seed=0, group="rho=0.7", overrides={"token_entropy_quantile": 0.7})
    assert implicit.key() == explicit.key() != other.key()
    assert implicit.key() != harness.RunSpec(method="archer", seed=1, group="archer").key()
    assert implicit.key() != harness.RunSpec(method="grpo", seed=0, group="grpo").key()


def test_methods_differ_only_in_token_constraints():
    configs = {m: harness.RunSpec(method=m, seed=0, group=m).config() for m in harness.METHODS}
    recipe = harness.recipe_settings()
    for method, config in configs.items():
        shared = {k: v for k, v in config.items() if k not in harness.METHODS[method] and k != "seed"}
        assert shared == {k: v for k, v in recipe.items() if k not in harness.METHODS[method]}, method
        assert set(harness.METHODS[method]) <= {"token_constraints", "epsilon", "epsilon_high", "beta", "loss_type"}
    assert recipe["num_iterations"] >= 2, "on-policy updates never reach any clip range: the methods would coincide"


def test_bad_override_fails_before_any_run_names_the_field():
    with pytest.raises(SystemExit, match="token_entropy_quantile"):
        harness.validate(
            harness.RunSpec(method="archer", seed=0, group="x", overrides={"token_entropy_quantile": 1.5})
        )
    with pytest.raises(SystemExit, match="not_a_field"):
        harness.validate(harness.RunSpec(method="archer", seed=0, group="x", overrides={"not_a_field": 1}))
    with pytest.raises(SystemExit, match="learning_rate='fast' is invalid"):
        harness.validate(harness.RunSpec(method="archer", seed=0, group="x", overrides={"learning_rate": "fast"}))
    with pytest.raises(ValueError, match="method='ppo' is invalid"):
        harness.RunSpec(method="ppo", seed=0, group="x").config()


def run_compare(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        str(REPO / "benchmarks" / "learning" / "compare.py"),
        "--methods", "archer", "grpo",
        "--seeds", "0",
        "--set", "max_steps=2",
        "--eval_every", "1",
        "--n_eval", "16",
        "--work_dir", str(tmp_path / "work"),
        "--output_dir", str(tmp_path / "results"),
        *extra,
    ]  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900)


@pytest.mark.slow  # trains two methods twice in subprocesses: minutes on 2 cores
def test_compare_trains_evaluates_plots_and_resumes_from_cache(tmp_path):
    first = run_compare(tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert {r["spec"]["method"] for r in results["runs"]} == {"archer", "grpo"}
    for run in results["runs"]:
        assert [e["step"] for e in run["evaluations"]] == [1, 2]
        evaluation = run["evaluations"][-1]
        for key in ("accuracy_greedy", "avg@4", "pass@4", "entropy_reasoning", "entropy_knowledge", "repetition"):
            assert evaluation[key] is not None and 0 <= evaluation[key] <= (1 if key != "entropy_reasoning" else 10)
        assert evaluation["entropy_reasoning"] > evaluation["entropy_knowledge"]
        assert 0.1 < evaluation["reasoning_fraction"] < 0.3
        assert evaluation["avg@4"] <= evaluation["pass@4"]
        # every method logs the per-type training metrics, TRL's own loss included
        assert [s["step"] for s in run["steps"]] == [1, 2]
        assert all("archer/clip_ratio/reasoning_high" in s for s in run["steps"])
    assert results["start"]["step"] == 0 and results["start"]["accuracy_greedy"] > 0
    page = (tmp_path / "results" / "README.md").read_text()
    assert "```bash\npython benchmarks/learning/compare.py --methods archer grpo --seeds 0" in page
    for name in results["plots"]["methods"]:
        assert (tmp_path / "results" / name).stat().st_size > 10_000
        assert f"]({name})" in page

    second = run_compare(tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "2 runs + start evaluation: 3 cached" in second.stdout


def test_command_line_values_keep_their_types():
    parsed = harness.parse_overrides(["learning_rate=1e-4", "max_steps=120", "bf16=true", "delta=null", "x=cosine"])
    assert parsed == {"learning_rate": 1e-4, "max_steps": 120, "bf16": True, "delta": None, "x": "cosine"}
    assert isinstance(parsed["max_steps"], int)
    with pytest.raises(SystemExit, match="expected key=value"):
        harness.parse_overrides(["learning_rate"])
