"""archer-train as a new user meets it: plain errors for every mistake, recipes layered over the offline default,
the README's Python example, and a run whose rewards were never scored still saving its model and summary."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from archer_trl.cli.train import main, parse_arguments
from archer_trl.recipes import RECIPES_DIR, available_recipes, default_recipe, load_recipe, recipe_task

ROOT = Path(__file__).resolve().parents[1]
TINY_MATH = ROOT / "archer_trl" / "assets" / "tiny-math"
SMALL = [
    "--max_steps", "2", "--offline_train_size", "16", "--offline_eval_size", "4", "--max_eval_samples", "4",
    "--per_device_train_batch_size", "8", "--num_generations", "4", "--logging_steps", "1", "--save_steps", "2",
    "--max_completion_length", "16",
]  # fmt: skip


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """The files a user might hand the script by mistake."""
    (tmp_path / "empty.jsonl").write_text("\n")
    write_jsonl(tmp_path / "other_columns.jsonl", [{"question": "1+1", "answer": "2"}])
    (tmp_path / "emptydir").mkdir()
    (tmp_path / "weights_only").mkdir()
    (tmp_path / "weights_only" / "model.safetensors").write_bytes(b"")
    return tmp_path


# (arguments, what the message must say); {tmp} is the test's folder. Each fails before any model is loaded.
MISTAKES = [
    (["--dataset_name", "nosuch.jsonl"], "--dataset_name 'nosuch.jsonl': no such file or folder"),
    (["--dataset_name", "nosuch"], "'nosuch' is not a local file or folder here, and loading it from the Hub failed"),
    (["--dataset_name", "{tmp}/empty.jsonl"], "is empty: it has no rows"),
    (["--dataset_name", "{tmp}/other_columns.jsonl"], "has no column 'prompt' (its columns: ['question', 'answer'])"),
    (["--dataset_name", "{tmp}/emptydir"], "is a folder that `Dataset.save_to_disk` did not write"),
    (["--eval_dataset_name", "./no/test.jsonl"], "--eval_dataset_name './no/test.jsonl': no such file or folder"),
    (["--model_name_or_path", "./no/such/model"], "--model_name_or_path './no/such/model': no such folder"),
    (["--model_name_or_path", "{tmp}/emptydir"], "has no model weights (*.safetensors or *.bin) and no tokenizer"),
    (
        ["--model_name_or_path", "{tmp}/weights_only"],
        "has no tokenizer files (tokenizer.json or tokenizer_config.json)",
    ),
    (["--config", "{tmp}/partial.yaml"], "--config '{tmp}/partial.yaml': no such file"),
    (["--recipe", "archer_math"], "--recipe 'archer_math': no shipped recipe has that name. Shipped: "),
    (["--reward_funcs", "acuracy"], "unknown reward function 'acuracy'"),
]


@pytest.mark.parametrize(("argv", "message"), MISTAKES, ids=[" ".join(a) for a, _ in MISTAKES])
def test_each_mistake_fails_fast_with_a_plain_message_and_writes_nothing(inputs, argv, message):
    out = inputs / "out"
    argv = [a.replace("{tmp}", str(inputs)) for a in argv]
    with pytest.raises(SystemExit) as stop:
        main("math", default_recipe("math"), [*argv, "--output_dir", str(out)])
    assert message.replace("{tmp}", str(inputs)) in str(stop.value.code)
    assert "Traceback" not in str(stop.value.code)
    assert not out.exists(), "an argument error left an output folder behind"


def test_a_partial_recipe_layers_over_the_offline_default(tmp_path):
    partial = tmp_path / "partial.yaml"
    partial.write_text("max_steps: 3\ntoken_constraints: none\n")
    script, config, model = parse_arguments(default_recipe("math"), ["--config", str(partial), "--seed", "7"])
    offline = load_recipe(default_recipe("math"))
    assert (config.max_steps, config.token_constraints, config.seed) == (3, "none", 7)  # recipe, then command line
    assert config.bf16 is False and config.learning_rate == offline["learning_rate"]  # everything else: the default
    assert config.num_generations == offline["num_generations"] and script.offline_train_size == 2000


def test_layering_changes_no_shipped_recipe():
    """Every shipped recipe sets what the offline default sets, so layering it over the default changes nothing."""
    from trl import ModelConfig, TrlParser

    from archer_trl import ArcherConfig
    from archer_trl.cli.train import ArcherScriptArguments

    assert {"tiny_cpu_math", "tiny_cpu_code", "archer_math_r1_distill_1.5b"} <= set(available_recipes())
    extra = ["--bf16", "false", "--use_vllm", "false", "--dataloader_pin_memory", "false", "--output_dir", "x"]
    for recipe in sorted(RECIPES_DIR.glob("*.yaml")):
        layered = parse_arguments(default_recipe(recipe_task(load_recipe(recipe))), ["--config", str(recipe), *extra])
        parser = TrlParser((ArcherScriptArguments, ArcherConfig, ModelConfig))
        alone = parser.parse_args_and_config(["--config", str(recipe), *extra])
        changed = [
            f.name
            for a, b in zip(layered, alone)
            for f in dataclasses.fields(a)
            if getattr(a, f.name) != getattr(b, f.name)
        ]
        assert not changed, f"{recipe.name}: layering over the offline default changes {changed}"


def test_help_lists_the_shipped_recipes_and_recipes_name_their_job(capsys):
    from archer_trl.cli.train import cli

    with pytest.raises(SystemExit) as stop:
        cli(["--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps the help text
    for name in available_recipes():
        assert name in text
    assert recipe_task(load_recipe(RECIPES_DIR / "archer_code_r1_distill_1.5b.yaml")) == "code"
    assert recipe_task(load_recipe(RECIPES_DIR / "archer_math_r1_distill_1.5b.yaml")) == "math"


def test_a_run_whose_rewards_are_never_scored_saves_its_model_and_summary(tmp_path, capsys):
    """Every gold unparseable: TRL logs 'reward': None. The run still writes its final model and summary.json, and the
    summary says what is missing and why; a single-file dataset says why held-out accuracy is skipped."""
    data = write_jsonl(tmp_path / "bad.jsonl", [{"prompt": f"{i} + {i} =", "solution": r"\frac{{{"} for i in range(8)])
    # Stands in for the math reward on these golds (None: "could not be scored"), whatever its version returns.
    (tmp_path / "unscored.py").write_text(
        "def unscored(completions, **kwargs):\n    return [None] * len(completions)\n"
    )
    out = tmp_path / "out"
    argv = ["--dataset_name", str(data), "--reward_funcs", f"{tmp_path / 'unscored.py'}:unscored", *SMALL]
    summary = main("math", default_recipe("math"), [*argv, "--output_dir", str(out)])

    assert (out / "model.safetensors").is_file() and (out / "tokenizer.json").is_file()
    saved = json.loads((out / "summary.json").read_text())
    assert saved == summary and saved["global_step"] == 2
    assert "reward_start" not in saved and "had a scored reward" in saved["missing"]["reward_start"]
    assert "no held-out split: " in saved["missing"]["heldout_accuracy_before"]
    assert "--eval_dataset_name" in saved["missing"]["heldout_accuracy_before"]
    printed = capsys.readouterr()
    assert "held-out accuracy is skipped" in printed.err and "had a scored reward" in printed.out


def test_reward_trajectory_skips_unscored_steps_at_either_end():
    from archer_trl.cli.summary import format_summary, reward_trajectory

    history = [{"reward": None}, {"reward": 0.5}, {"loss": 1.0}, {"reward": 1.0}, {"reward": None}]
    assert reward_trajectory(history, window=1) == {"unscored_logged_steps": 2, "reward_start": 0.5, "reward_end": 1.0}
    text = format_summary({"global_step": 2, "missing": {"heldout_accuracy_after": "why"}}, "out")
    assert "n/a -> n/a" in text and "(why)" in text


def readme_python_example() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Use it from Python") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_python_example_runs_as_printed(tmp_path):
    """The block runs on this CPU with the swaps the README names: model id, data file, and max_steps=1."""
    code = readme_python_example()
    assert code.count('"Qwen/Qwen2.5-1.5B-Instruct"') == 1 and code.count('"math.jsonl"') == 1
    code = code.replace('"Qwen/Qwen2.5-1.5B-Instruct"', repr(str(TINY_MATH)))
    code = code.replace('"math.jsonl"', repr(str(tmp_path / "math.jsonl"))).replace(
        "ArcherConfig(", "ArcherConfig(max_steps=1, ", 1
    )
    code += (
        "\nassert trainer.state.global_step == 1 and args.bf16 is False\n"
        "assert trainer.train_dataset[0]['prompt'] == [{'role': 'user', 'content': '2 + 3 ='}]\n"
    )
    write_jsonl(tmp_path / "math.jsonl", [{"prompt": f"{i} + 3 =", "solution": str(i + 3)} for i in range(2, 6)])
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "archer-qwen").is_dir()


def test_machine_defaults_fill_only_what_is_unset(tmp_path):
    import torch

    from archer_trl import ArcherConfig

    config = ArcherConfig(output_dir=str(tmp_path), num_generations=16, report_to="none")
    assert (config.generation_batch_size, config.steps_per_generation) == (16, 2)  # 8 per step: 2 steps per rollout
    assert config.bf16 is (torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    kept = ArcherConfig(output_dir=str(tmp_path), num_generations=4, steps_per_generation=3, bf16=False)
    assert (kept.generation_batch_size, kept.steps_per_generation, kept.bf16) == (24, 3, False)


def test_a_held_out_file_is_named_with_eval_dataset_name(tmp_path):
    from archer_trl.tasks.loading import load_task_dataset

    train = write_jsonl(tmp_path / "train.jsonl", [{"prompt": "1 + 1 =", "solution": "2"}] * 3)
    test = write_jsonl(tmp_path / "test.jsonl", [{"prompt": "2 + 2 =", "solution": "4"}])
    alone = load_task_dataset("math", dataset_name=str(train))
    assert alone.test is None and "--eval_dataset_name" in alone.no_test_reason
    named = load_task_dataset("math", dataset_name=str(train), eval_dataset_name=str(test))
    assert named.no_test_reason is None and len(named.train) == 3
    assert named.test[0] == {"prompt": [{"role": "user", "content": "2 + 2 ="}], "solution": "4"}
