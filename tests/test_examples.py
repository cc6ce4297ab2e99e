"""The training scripts, run as users run them: real processes, real DeepSpeed ZeRO-3, real rewards."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SMALL = [
    "--max_steps", "2", "--offline_train_size", "64", "--offline_eval_size", "8", "--max_eval_samples", "8",
    "--per_device_train_batch_size", "8", "--num_generations", "4", "--logging_steps", "1", "--save_steps", "2",
]  # fmt: skip


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "CI": "1"}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=1200, **kwargs)


def test_every_recipe_parses_into_a_valid_config():
    from trl import ModelConfig, TrlParser

    from archer_trl import ArcherConfig, core_algos
    from archer_trl.cli.train import ArcherScriptArguments

    for recipe in sorted((ROOT / "archer_trl" / "recipes").glob("*.yaml")):
        parser = TrlParser((ArcherScriptArguments, ArcherConfig, ModelConfig))
        script, config, model = parser.parse_args_and_config(
            ["--config", str(recipe), "--bf16", "false", "--use_vllm", "false"]
        )
        assert config.token_constraints in core_algos.MODES, recipe.name
        if "r1_distill" in recipe.name:
            assert (config.learning_rate, config.num_generations, config.num_iterations) == (1e-6, 16, 3), recipe.name
            assert config.generation_batch_size == 1024 // 8 or config.generation_batch_size % 16 == 0


@pytest.mark.slow
def test_zero3_two_processes_train_save_sharded_and_resume(tmp_path):
    launch = [
        sys.executable, "-m", "accelerate.commands.launch", "--config_file", "accelerate_configs/zero3_cpu_2proc.yaml",
        "examples/train_math.py", *SMALL, "--output_dir", str(tmp_path),
    ]  # fmt: skip
    first = run(launch)
    assert first.returncode == 0, first.stderr[-4000:]
    shards = sorted(p.name for p in (tmp_path / "checkpoint-2" / "global_step2").iterdir())
    assert (
        "zero_pp_rank_0_mp_rank_00_optim_states.pt" in shards and "zero_pp_rank_1_mp_rank_00_optim_states.pt" in shards
    )
    assert "Archer" in (tmp_path / "checkpoint-2" / "README.md").read_text()

    resumed = run([*launch, "--max_steps", "3", "--resume_from_checkpoint", str(tmp_path / "checkpoint-2")])
    assert resumed.returncode == 0, resumed.stderr[-4000:]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["global_step"] == 3
    assert 0.0 <= summary["heldout_accuracy_after"] <= 1.0


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed (apt-get install bubblewrap)")
def test_train_code_runs_with_the_sandboxed_code_reward(tmp_path):
    done = run(
        [
            sys.executable,
            "examples/train_code.py",
            "--max_steps",
            "2",
            "--logging_steps",
            "1",
            "--max_eval_samples",
            "4",
            "--output_dir",
            str(tmp_path),
        ]
    )
    assert done.returncode == 0, done.stderr[-4000:]
    state = json.loads(next(tmp_path.glob("checkpoint-*/trainer_state.json")).read_text())
    logged = [entry for entry in state["log_history"] if "rewards/code_reward/mean" in entry]
    assert logged, "the code reward was never called"
    assert "Archer training finished" in done.stdout


@pytest.mark.slow  # a training run in a subprocess
def test_custom_reward_by_file_reference_trains(tmp_path):
    rewards = tmp_path / "my_rewards.py"
    rewards.write_text(
        "def short_answers(completions, **kwargs):\n    return [1.0 / (1 + len(c)) for c in completions]\n"
    )
    done = run(
        [sys.executable, "examples/train_math.py", *SMALL, "--output_dir", str(tmp_path / "out"),
         "--reward_funcs", "accuracy", f"{rewards}:short_answers", "--reward_weights", "1.0", "0.5"]
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    state = json.loads((tmp_path / "out" / "checkpoint-2" / "trainer_state.json").read_text())
    assert any("rewards/short_answers/mean" in entry for entry in state["log_history"])


def test_bad_reward_name_fails_at_startup_with_a_clear_message(tmp_path):
    done = run([sys.executable, "examples/train_math.py", "--output_dir", str(tmp_path), "--reward_funcs", "acuracy"])
    assert done.returncode != 0
    assert "unknown reward function 'acuracy'" in done.stderr
    assert not (tmp_path / "checkpoint-1").exists()
    missing = run(
        [sys.executable, "examples/train_math.py", "--output_dir", str(tmp_path), "--reward_funcs", "nope.py:f"]
    )
    assert missing.returncode != 0 and "does not exist" in missing.stderr
