"""scripts/memory_budget.py's shape arithmetic against real Qwen2 models built by transformers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("memory_budget", ROOT / "scripts" / "memory_budget.py")
memory_budget = sys.modules["memory_budget"] = importlib.util.module_from_spec(spec)  # dataclasses look it up
spec.loader.exec_module(memory_budget)


def qwen2(model: memory_budget.Model, **extra):
    from transformers import Qwen2Config, Qwen2ForCausalLM

    config = Qwen2Config(
        vocab_size=model.vocab,
        hidden_size=model.hidden,
        num_hidden_layers=model.layers,
        num_attention_heads=model.heads,
        num_key_value_heads=model.kv_heads,
        intermediate_size=model.intermediate,
        tie_word_embeddings=False,
        **extra,
    )
    return Qwen2ForCausalLM(config)


def test_parameter_count_matches_the_real_1_5b_architecture():
    model = memory_budget.Model.r1_distill_1_5b()
    with torch.device("meta"):
        real = qwen2(model)
    assert model.params == sum(p.numel() for p in real.parameters()) == 1_777_088_000
    assert model.layer_params == sum(p.numel() for p in real.model.layers[0].parameters())


def test_kv_cache_bytes_per_token_match_a_real_cache():
    small = memory_budget.Model(vocab=128, hidden=64, layers=3, heads=4, kv_heads=2, intermediate=96)
    real = qwen2(small).to(torch.bfloat16).eval()
    tokens = 11
    with torch.no_grad():
        cache = real(torch.zeros(1, tokens, dtype=torch.long), use_cache=True).past_key_values
    cached = sum(layer.keys.numel() * 2 + layer.values.numel() * 2 for layer in cache.layers)
    setup = memory_budget.Setup("probe", gpus=1, gpu_gb=1.0, sequence=tokens, vllm_utilization=0.5)
    report = memory_budget.budget(small, setup)
    per_token = report["vLLM KV cache"] * memory_budget.GB / report["KV cache tokens"]
    assert per_token == cached / tokens


def test_the_paper_recipe_fits_80_gb_and_needs_smaller_micro_batches_on_40_gb():
    model = memory_budget.Model.r1_distill_1_5b()
    paper, forty, forty_fixed = (memory_budget.SETUPS[i] for i in (0, 2, 3))
    assert memory_budget.budget(model, paper)["fits"]
    assert not memory_budget.budget(model, forty)["fits"]
    assert memory_budget.budget(model, forty_fixed)["fits"]
