"""The paper's recipe with its own vLLM settings: colocate mode, sleep mode, `vllm_max_model_length` 34,816.

The main suite (tests/test_recipes.py) runs every recipe with `use_vllm` off; this runs the Archer math recipe with
vLLM kept on, on vLLM's CPU backend, so the settings a GPU user meets first (colocate + sleep mode) have trained.
One process: the ZeRO-3 path is the main suite's; a CPU process holds one colocated engine.
"""

from __future__ import annotations

import math

import pytest

pytest.importorskip("vllm", reason="vllm is not installed: the vLLM suite runs in .venv-vllm (`bash .ci/vllm.sh`)")

from test_recipes import (  # noqa: E402  (tests/ is on sys.path through its conftest)
    GEOMETRY,
    OVERRIDES,
    TINY_QWEN2,
    recipe_settings,
    run_recipe,
)

pytestmark = [pytest.mark.vllm, pytest.mark.slow]

RECIPE = "archer_math_r1_distill_1.5b.yaml"
# The main suite's overrides, except that vLLM stays on: every vllm_* setting of the recipe is kept.
VLLM_OVERRIDES = {key: value for key, value in OVERRIDES[RECIPE].items() if key != "use_vllm"}
VLLM_OVERRIDES["model_name_or_path"] = (
    TINY_QWEN2,
    "a random Qwen2 with R1-Distill's <think> template; head size 64 (vLLM's CPU attention needs >= 64) and 34,816 "
    "positions, so the recipe's vllm_max_model_length is kept",
)


@pytest.fixture(scope="module")
def vllm_model_dir(tmp_path_factory) -> str:
    from archer_trl.tiny import save_tiny_qwen2

    path = tmp_path_factory.mktemp("tiny-qwen2-vllm")
    return str(save_tiny_qwen2(path, hidden_size=128, num_attention_heads=2, max_position_embeddings=34816))


def test_archer_math_recipe_trains_with_vllm_colocate_and_sleep_mode(vllm_model_dir, tmp_path):
    settings = recipe_settings(RECIPE)
    assert (settings["use_vllm"], settings["vllm_mode"], settings["vllm_enable_sleep_mode"]) == (
        True,
        "colocate",
        True,
    )
    (rank,) = run_recipe(RECIPE, vllm_model_dir, tmp_path, overrides=VLLM_OVERRIDES, zero3=False)
    trainer = rank["trainer"]
    assert trainer["use_vllm"] and trainer["vllm_mode"] == "colocate" and trainer["vllm_enable_sleep_mode"]
    assert trainer["vllm_max_model_length"] == settings["vllm_max_model_length"]
    assert trainer["bf16"] and trainer["gradient_checkpointing"]

    max_steps = int(VLLM_OVERRIDES["max_steps"][0])
    steps = [e for e in rank["log_history"] if "loss" in e]
    assert [e["step"] for e in steps] == list(range(1, max_steps + 1))
    assert all(math.isfinite(e["loss"]) and math.isfinite(e["archer/reasoning_token_fraction"]) for e in steps)
    geometry = GEOMETRY[RECIPE]
    assert [r["rows"] for r in rank["rollouts"]] == [geometry.generation_batch // geometry.gpus]

    # Sleep mode: the engine sleeps from start-up, wakes to generate and goes back to sleep for the update.
    calls = rank["vllm_calls"]
    assert calls and calls[0] == "sleep" and calls[-1] == "sleep", calls
    assert calls.count("wake_up") >= len(rank["rollouts"]), calls
