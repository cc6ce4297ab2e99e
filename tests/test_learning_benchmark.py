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
        constraint_fields = {"token_constraints", "epsilon", "epsilon_high", "beta", "loss_type"}
        # the knowledge-task ablations switch off one of Archer's two constraints
        assert set(harness.METHODS[method]) <= constraint_fields | {"beta_knowledge", "epsilon_reasoning"}
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


def test_bootstrap_interval_brackets_the_mean_and_is_deterministic():
    import report

    diffs = [1.0, 3.0, -2.0, 4.0, 0.5]
    mean, low, high = report.bootstrap_ci(diffs)
    assert mean == pytest.approx(sum(diffs) / 5) and low < mean < high
    assert report.bootstrap_ci(diffs) == (mean, low, high)
    # the bootstrap means lie within the data's range, and a constant difference has a zero-width interval
    assert min(diffs) <= low and high <= max(diffs)
    assert report.bootstrap_ci([2.0] * 5) == (2.0, 2.0, 2.0)


def test_pre_registered_verdict_rules():
    import knowledge_page

    assert knowledge_page.verdict("directional", [(2, 0.5, 3), (1, 0.1, 2)]) == "supported"
    assert knowledge_page.verdict("directional", [(2, 0.5, 3), (-1, -2, 0.0)]) == "not supported"
    assert knowledge_page.verdict("directional", [(2, 0.5, 3), (0, -1, 1)]) == "inconclusive"
    assert knowledge_page.verdict("non-inferiority", [(-1, -1.9, 0)]) == "supported"
    assert knowledge_page.verdict("non-inferiority", [(-5, -7, -2.1)]) == "not supported"
    assert knowledge_page.verdict("non-inferiority", [(-1, -4, 2)]) == "inconclusive"


def test_knowledge_comparison_runs_end_to_end_at_toy_size(tmp_path):
    if not (REPO / "archer_trl" / "assets" / "tiny-knowledge" / "config.json").is_file():
        pytest.skip("tiny-knowledge checkpoint not built")
    command = [
        sys.executable,
        str(REPO / "benchmarks" / "learning" / "knowledge.py"),
        "--methods", "archer", "grpo",
        "--seeds", "0",
        "--set", "max_steps=1",
        "--set", "learning_rate=1e-4",
        "--eval_every", "1",
        "--n_eval", "8",
        "--work_dir", str(tmp_path / "work"),
        "--output_dir", str(tmp_path / "results"),
    ]  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    start = results["start"]
    # the start is the reference of the KL: exactly zero there, and non-negative after an update
    assert start["kl_start_knowledge"] == 0.0 and start["kl_start_reasoning"] == 0.0
    assert start["recall_seen"] > 0.5 and start["recall_unseen"] > 0.5
    for run in results["runs"]:
        evaluation = run["evaluations"][-1]
        for key in (
            "recall_seen",
            "recall_unseen",
            "recall_prob_seen",
            "stated_fact_accuracy",
            "fact_knowledge_share",
        ):
            assert 0 <= evaluation[key] <= 1, key
        assert evaluation["kl_start_knowledge"] >= 0 and evaluation["kl_start_reasoning"] > 0
        assert run["config"]["num_iterations"] == 3 and run["config"]["steps_per_generation"] == 2
    page = (tmp_path / "results" / "README.md").read_text()
    assert "| H1: " in page and "| H4: " in page and "H2" not in page.split("## Verdicts")[1].split("##")[0]
    for name in ("recall.png", "drift.png", "clipping.png"):
        assert (tmp_path / "results" / name).stat().st_size > 10_000


def test_reward_columns_take_the_first_and_last_tenth_of_training_by_step():
    import report

    # rewards logged once per rollout of 6 steps (replay), 60 steps: a tenth is the first / the last rollout
    steps = [{"step": s, **({"reward": s / 100} if s % 6 == 1 else {})} for s in range(1, 61)]
    assert report.reward_tenths({"steps": steps}) == (0.01, 0.55)
    assert report.reward_tenths({"steps": [{"step": 1}]}) == (None, None)


def test_published_runs_seed_the_cache_under_their_own_keys(tmp_path):
    published = REPO / "docs" / "results" / "learning" / "results.json"
    added = harness.seed_cache(published, tmp_path)
    runs = json.loads(published.read_text())["runs"]
    assert added == len(runs) and harness.seed_cache(published, tmp_path) == 0
    for run in runs:  # today's specification of each published run names the same cached file
        spec = dict(run["spec"], eval=harness.EvalSettings(**run["spec"]["eval"]))
        assert (tmp_path / "runs" / f"{harness.RunSpec(**spec).key()}.json").is_file()
    assert len(list((tmp_path / "runs").glob("start-*.json"))) == 1
