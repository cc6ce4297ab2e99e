"""Shared fixtures: offline environment and tiny models built on the fly (nothing comes from the Hub)."""

from __future__ import annotations

import os

# Set before transformers/trl are imported anywhere in the test session.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
os.environ.setdefault("CI", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import torch  # noqa: E402


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory):
    """A saved random tiny Llama model with the character-level chat tokenizer (TRL reloads the ref model by path)."""
    from archer_trl.tiny import save_tiny_model

    return str(save_tiny_model(tmp_path_factory.mktemp("tiny-model")))


@pytest.fixture(scope="session")
def tiny_moe_model_dir(tmp_path_factory):
    """A saved random tiny Mixtral (2 experts) with the same tokenizer: TRL's MoE aux-loss path needs one."""
    from transformers import MixtralConfig, MixtralForCausalLM

    from archer_trl.tiny import build_char_tokenizer

    tokenizer = build_char_tokenizer()
    config = MixtralConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=1,
        num_key_value_heads=1,
        num_local_experts=2,
        num_experts_per_tok=1,
        tie_word_embeddings=True,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(0)
    model = MixtralForCausalLM(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    output_dir = tmp_path_factory.mktemp("tiny-moe")
    model.save_pretrained(output_dir)
    tokenizer.save_pretrained(output_dir)
    return str(output_dir)


# ---------------------------------------------------------------- shared trainer builders (real TRL loops)


def length_parity_reward(completions, **kwargs):
    return [float(len(c) % 2) for c in completions]


def character_sum_reward(completions, **kwargs):
    """Varies with the completion's content, so groups of even a few sampled completions have non-zero std."""
    return [float(sum(map(ord, c)) % 7) for c in completions]


def make_trainer(
    model_dir: str,
    output_dir: Path,
    *,
    reward_funcs=length_parity_reward,
    trainer_cls=None,
    config_cls=None,
    peft_config=None,
    num_prompts: int = 12,
    **overrides,
):
    """An ArcherGRPOTrainer (or ``trainer_cls`` with ``config_cls``, e.g. TRL's own) on the tiny model, CPU, fp32."""
    from datasets import Dataset

    from archer_trl import ArcherConfig, ArcherGRPOTrainer

    config = {
        "output_dir": str(output_dir),
        "per_device_train_batch_size": 6,
        "num_generations": 3,
        "max_completion_length": 10,
        "max_steps": 2,
        "learning_rate": 0.05,
        "logging_steps": 1,
        "report_to": "none",
        "save_strategy": "no",
        "bf16": False,
        "use_cpu": True,
        "seed": 0,
    } | overrides
    dataset = Dataset.from_dict({"prompt": [f"{i} plus {i} is" for i in range(num_prompts)]})
    return (trainer_cls or ArcherGRPOTrainer)(
        model=model_dir,
        reward_funcs=reward_funcs,
        args=(config_cls or ArcherConfig)(**config),
        train_dataset=dataset,
        peft_config=peft_config,
    )


def training_inputs(trainer, seed: int = 0, ratio_spread: float = 3.0, ref_noise: float = 0.5):
    """One micro-batch of TRL's real inputs, made off-policy so that every clip region is reached."""
    trainer.model.train()
    trainer.current_gradient_accumulation_steps = trainer.args.gradient_accumulation_steps
    inputs = trainer._prepare_inputs(next(iter(trainer.get_train_dataloader())))
    g = torch.Generator().manual_seed(seed)
    shape = inputs["completion_ids"].shape
    logps = policy_logps_and_entropies(trainer, inputs)[0].detach().float()
    inputs["old_per_token_logps"] = logps + (torch.rand(shape, generator=g) - 0.5) * ratio_spread
    inputs["advantages"] = torch.randn(shape[0], generator=g)
    if "ref_per_token_logps" in inputs:
        inputs["ref_per_token_logps"] = logps + torch.randn(shape, generator=g) * ref_noise
    return inputs


def policy_logps_and_entropies(trainer, inputs):
    """float64 log-probs and entropies of the completion tokens, from a plain forward pass at the sampling temperature."""
    prompt_len = inputs["prompt_ids"].size(1)
    input_ids = torch.cat([inputs["prompt_ids"], inputs["completion_ids"]], dim=1)
    attention_mask = torch.cat([inputs["prompt_mask"], inputs["completion_mask"]], dim=1)
    logits = trainer.model(input_ids=input_ids, attention_mask=attention_mask).logits
    logits = logits[:, prompt_len - 1 : -1].double() / trainer.args.temperature
    log_probs = torch.log_softmax(logits, dim=-1)
    token_logps = log_probs.gather(-1, inputs["completion_ids"].unsqueeze(-1)).squeeze(-1)
    entropies = -(log_probs.exp() * log_probs).sum(-1)
    return token_logps, entropies.detach()


def gradients(model, loss):
    params = [p for p in model.parameters() if p.requires_grad]
    return torch.autograd.grad(loss, params, allow_unused=True)
