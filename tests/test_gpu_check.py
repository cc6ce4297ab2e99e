"""benchmarks/gpu_check.py works before a GPU is ever lent: the whole command at toy size on a CPU."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_gpu_check_runs_every_phase_on_cpu_at_toy_size(tmp_path):
    out = tmp_path / "gpu_check.json"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "CI": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    command = [sys.executable, "benchmarks/gpu_check.py", "--device", "cpu", "--tiny", "--out", str(out)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(out.read_text())

    assert report["device"] == "cpu" and report["tiny"] and report["gpu"] is None
    assert all(report["versions"][p] for p in ("torch", "transformers", "trl", "datasets", "deepspeed"))
    failed = {name: phase.get("log_tail") for name, phase in report["phases"].items() if not phase["ok"]}
    assert sorted(report["phases"]) == ["loss_overhead", "training", "zero3"] and not failed, failed

    loss = report["phases"]["loss_overhead"]
    assert len(loss["passes"]) == loss["setting"]["iterations"]
    assert loss["gradient_checkpointing"] and loss["parameters_with_gradients"] > 0
    assert loss["weights_dtype"] == "torch.bfloat16"
    assert loss["archer_seconds"] > 0 and loss["trl_seconds"] > 0 and math.isfinite(loss["time_ratio"])
    assert loss["peak_memory_ratio"] is None  # no per-pass peak on a CPU; CUDA reports it

    training = report["phases"]["training"]["summary"]
    assert training["global_step"] == 4 and training["model"].endswith("tiny-math")
    assert 0.0 <= training["heldout_accuracy_before"] <= 1.0 and 0.0 <= training["heldout_accuracy_after"] <= 1.0

    zero3 = report["phases"]["zero3"]
    assert zero3["zero_stage"] == 3 and zero3["summary"]["global_step"] == 6
    assert len(zero3["step_times_s"]) == 6 and zero3["seconds_per_step"] > 0
    assert report["wall_seconds"] > 0 and report["meets_goals"] is None
