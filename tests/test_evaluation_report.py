"""archer_trl.evaluation.runner and .report: checkpoint expansion and steps, the results table and the
accuracy-over-steps curve."""

from __future__ import annotations

import json

import pytest

from archer_trl import evaluation as ev

# ------------------------------------------------------------------------------------------------ checkpoints, curve


def test_checkpoint_expansion_steps_and_curve(tmp_path):
    run = tmp_path / "run"
    for step in (10, 2, 100):
        (run / f"checkpoint-{step}").mkdir(parents=True)
    (run / "logs").mkdir()
    final = tmp_path / "final"
    final.mkdir()
    (final / "trainer_state.json").write_text(json.dumps({"global_step": 120}))
    models = ev.expand_models([str(run), str(final), "org/hub-model"])
    assert models == [
        str(run / "checkpoint-2"),
        str(run / "checkpoint-10"),
        str(run / "checkpoint-100"),
        str(final),
        "org/hub-model",
    ]
    assert [ev.checkpoint_step(m) for m in models] == [2, 10, 100, 120, None]
    assert ev.model_tag("org/hub-model") == "org__hub-model" and ev.model_tag(models[0]) == "checkpoint-2"

    def result(model, step, avg, best):
        metrics = ev.aggregate_scores([[1.0] * round(4 * avg) + [0.0] * (4 - round(4 * avg))])
        metrics["pass@k"]["4"] = metrics["pass@4"] = best
        return {"model": model, "step": step, "benchmarks": {"arith": metrics}}

    results = [result(models[i], ev.checkpoint_step(models[i]), avg, 1.0) for i, avg in enumerate((0.25, 0.5, 0.75))]
    rows = ev.curve_rows(results)
    assert [(r["step"], r["avg@k"]) for r in rows] == [(2, 0.25), (10, 0.5), (100, 0.75)]
    assert [r["step"] for r in ev.curve_rows(results, steps=[0, 5, 9])] == [0, 5, 9]
    unknown = [*results, result("org/hub-model", None, 1.0, 1.0)]
    assert [r["step"] for r in ev.curve_rows(unknown)] == [0, 1, 2, 3]  # one unknown step: use the order for all
    with pytest.raises(ValueError, match="--steps has 2 values for 3 models"):
        ev.curve_rows(results, steps=[1, 2])

    png = ev.write_curve(rows, tmp_path / "out")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    csv_lines = (tmp_path / "out" / "curve.csv").read_text().splitlines()
    assert csv_lines[0] == "model,step,benchmark,k,avg@k,pass@1,pass@k" and len(csv_lines) == 4
    assert json.loads((tmp_path / "out" / "curve.json").read_text()) == rows

    table = ev.format_table(results[:1])
    header, rule, line = table.splitlines()
    assert "avg@K" in header and "pass@k (%)" in header
    assert "checkpoint-2" in line and "arith" in line and "25.0" in line and "@4 100.0" in line
