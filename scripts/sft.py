"""The supervised fine-tuning loop both tiny-checkpoint builders share: encode chat examples, batch them in a seeded
shuffled order, and train the completion tokens only with AdamW, warm-up and gradient clipping."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import torch
from tqdm.auto import tqdm


def encode_examples(tokenizer, prompts, references) -> list[tuple[list[int], int]]:
    """(token ids of prompt + completion + eos, prompt length) for each example; only the completion is trained."""
    examples = []
    for prompt, reference in zip(prompts, references):
        prompt_text = tokenizer.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True)
        prompt_ids = tokenizer(prompt_text, add_special_tokens=False)["input_ids"]
        completion_ids = tokenizer(reference, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
        examples.append((prompt_ids + completion_ids, len(prompt_ids)))
    return examples


def collate(batch: list[tuple[list[int], int]], pad_id: int) -> dict[str, torch.Tensor]:
    """Right-padded input ids, attention mask and labels (-100 on prompt and padding)."""
    width = max(len(ids) for ids, _ in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    for row, (ids, prompt_len) in enumerate(batch):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        attention[row, : len(ids)] = 1
        labels[row, prompt_len : len(ids)] = torch.tensor(ids[prompt_len:])
    return {"input_ids": input_ids, "attention_mask": attention, "labels": labels}


def lr_at(step: int, *, base: float, warmup: int, total: int, schedule: str) -> float:
    """Linear warm-up, then constant or cosine decay to 10% of ``base``."""
    if step < warmup:
        return base * (step + 1) / warmup
    if schedule == "constant":
        return base
    progress = (step - warmup) / max(total - warmup, 1)
    return base * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def train_sft(
    model,
    pad_id: int,
    examples: list[tuple[list[int], int]],
    *,
    steps: int,
    batch_size: int,
    lr: float,
    warmup_steps: int,
    weight_decay: float,
    seed: int,
    schedule: str = "constant",
    after_step: Callable[[int, float], None] | None = None,
) -> float:
    """``steps`` AdamW steps over ``examples`` (each epoch in a fresh seeded order); calls ``after_step(step, loss)``
    after each (1-based step) and returns the last loss."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay, betas=(0.9, 0.98))
    order_rng, order = random.Random(seed), []
    model.train()
    bar = tqdm(range(steps), desc="SFT")
    for step in bar:
        if len(order) < batch_size:
            refill = list(range(len(examples)))
            order_rng.shuffle(refill)
            order += refill
        batch, order = [examples[i] for i in order[:batch_size]], order[batch_size:]
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, base=lr, warmup=warmup_steps, total=steps, schedule=schedule)
        loss = model(**collate(batch, pad_id)).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        bar.set_postfix(loss=f"{loss.item():.3f}")
        if after_step is not None:
            after_step(step + 1, loss.item())
    return loss.item()
