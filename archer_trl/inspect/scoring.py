"""Entropy scoring of completion tokens, exactly as the trainer does it, and sampling of fresh completions.

The trainer computes each completion token's entropy from the policy's logits divided by the sampling temperature,
``H = logsumexp(z) - sum_j softmax(z)_j z_j`` with ``z = logits / T``, in a teacher-forced forward over
prompt + completion. This module does the same forward, so what the inspector types (:mod:`.compute`) is what the
loss would see for these completions. Sampling goes through :func:`archer_trl.generation.generate_transformers`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import torch

from ..generation import SamplingSettings, generate_transformers, left_pad, model_device, pad_token_id
from .compute import CompletionRecord, Prompt, is_conversational


def prompt_text(tokenizer, prompt: Prompt, chat_template_kwargs: dict[str, Any] | None = None) -> str:
    """The prompt as the model sees it: chat messages go through the tokenizer's chat template."""
    if is_conversational(prompt):
        return tokenizer.apply_chat_template(
            prompt, add_generation_prompt=True, tokenize=False, **(chat_template_kwargs or {})
        )
    return prompt


def encode_prompt(tokenizer, prompt: Prompt, chat_template_kwargs: dict[str, Any] | None = None) -> list[int]:
    """Prompt token ids as TRL builds them: chat template with a generation prompt, or ``tokenizer(text)``."""
    if is_conversational(prompt):
        if getattr(tokenizer, "chat_template", None) is None:
            raise ValueError("prompt is a list of chat messages but the tokenizer has no chat_template")
        encoded = tokenizer.apply_chat_template(
            prompt, add_generation_prompt=True, tokenize=True, return_dict=True, **(chat_template_kwargs or {})
        )
        ids = encoded["input_ids"]
        return list(ids[0] if ids and isinstance(ids[0], list) else ids)
    return list(tokenizer(text=prompt)["input_ids"])


def token_pieces(tokenizer, ids: Sequence[int]) -> list[str]:
    """The text each token adds to the decoded string, so that ``"".join(pieces)`` reads like the completion.

    Decoding ids one by one breaks on byte-level BPE (a multi-byte character spans tokens) and on SentencePiece
    (leading-space handling), so each piece is the difference between decoding a short window with and without
    the token. A token that ends inside a UTF-8 character gets an empty piece; the next one carries the character.
    """
    pieces: list[str] = []
    for i in range(len(ids)):
        lo = max(0, i - 6)
        before = tokenizer.decode(list(ids[lo:i]), skip_special_tokens=False).rstrip("\ufffd") if i > lo else ""
        after = tokenizer.decode(list(ids[lo : i + 1]), skip_special_tokens=False)
        if after.endswith("\ufffd") and i + 1 < len(ids):
            pieces.append("")
        elif after.startswith(before):
            pieces.append(after[len(before) :])
        else:
            pieces.append(str(tokenizer.convert_ids_to_tokens(int(ids[i]))))
    return pieces


# ---------------------------------------------------------------------------------------------- model work


def _progress(iterable: Iterable, total: int, desc: str, enabled: bool):
    if not enabled:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="batch", leave=False)


def generate_records(
    model,
    tokenizer,
    prompts: Sequence[Prompt],
    *,
    num_generations: int = 1,
    max_new_tokens: int = 512,
    min_new_tokens: int = 0,
    temperature: float = 1.0,
    top_p: float = 1.0,
    top_k: int = 0,
    do_sample: bool = True,
    batch_size: int = 8,
    seed: int | None = 0,
    chat_template_kwargs: dict[str, Any] | None = None,
    progress: bool = True,
) -> list[CompletionRecord]:
    """Sample ``num_generations`` completions per prompt (:func:`archer_trl.generation.generate_transformers`),
    keeping the exact token ids.

    A completion ends at (and includes) the first EOS, like TRL's completion mask, so the EOS token is typed too.
    """
    if num_generations < 1 or batch_size < 1 or max_new_tokens < 1:
        raise ValueError(
            f"num_generations={num_generations}, batch_size={batch_size}, max_new_tokens={max_new_tokens}: "
            "all must be >= 1"
        )
    if do_sample and temperature <= 0:
        raise ValueError(f"temperature={temperature} must be > 0 when sampling (use do_sample=False for greedy)")
    settings = SamplingSettings(
        n=num_generations,
        temperature=temperature if do_sample else 0.0,
        top_p=top_p,
        top_k=top_k,
        max_tokens=max_new_tokens,
        min_tokens=min_new_tokens,
        seed=seed,
    )
    encoded = [encode_prompt(tokenizer, p, chat_template_kwargs) for p in prompts]
    completions = generate_transformers(
        model, tokenizer, encoded, settings, batch_size=batch_size, desc="generating", progress=progress
    )
    return [
        CompletionRecord(prompt=prompt, completion=c.text, completion_ids=c.token_ids, meta={"sample": g})
        for prompt, row in zip(prompts, completions)
        for g, c in enumerate(row)
    ]


def entropies_from_logits(logits: torch.Tensor, targets: torch.Tensor, temperature: float) -> tuple[torch.Tensor, ...]:
    """Per-position entropy of ``softmax(logits / T)`` and the target token's log-prob, both in float32.

    ``H = logsumexp(z) - sum_j softmax(z)_j z_j``: the trainer's formula (no separate log_softmax tensor).
    """
    z = logits.float() / temperature
    lse = torch.logsumexp(z, dim=-1)
    entropy = lse - (torch.softmax(z, dim=-1) * z).sum(-1)
    logp = z.gather(-1, targets.unsqueeze(-1)).squeeze(-1) - lse
    return entropy, logp


def _forward_logits(model, input_ids, attention_mask, position_ids, keep: int) -> torch.Tensor:
    kwargs = {"input_ids": input_ids, "attention_mask": attention_mask, "position_ids": position_ids}
    try:
        return model(**kwargs, logits_to_keep=keep, use_cache=False).logits[:, -keep:]
    except TypeError:  # architectures without logits_to_keep
        return model(**kwargs, use_cache=False).logits[:, -keep:]


@torch.no_grad()
def score_records(
    model,
    tokenizer,
    records: Sequence[CompletionRecord],
    *,
    temperature: float = 1.0,
    batch_size: int = 8,
    chat_template_kwargs: dict[str, Any] | None = None,
    append_eos: bool = False,
    progress: bool = True,
) -> list[CompletionRecord]:
    """Teacher-forced entropies and log-probs of every completion token under ``model`` at ``temperature``.

    Completions with known ``completion_ids`` (generated here, or stored by the callback) are scored on exactly
    those ids; text completions are tokenized without special tokens, and ``append_eos`` adds the EOS the trainer
    would have typed for a completion that stopped (TRL's logged text has it stripped). Rows are left-padded with
    explicit position ids, so a completion's entropies do not depend on what it is batched with.
    """
    if temperature <= 0 or not math.isfinite(temperature):
        raise ValueError(f"temperature={temperature} must be a positive number (the sampling temperature)")
    if batch_size < 1:
        raise ValueError(f"batch_size={batch_size} must be >= 1")
    device = model_device(model)
    pad_id = pad_token_id(tokenizer)
    eos_id = tokenizer.eos_token_id
    special_ids = set(getattr(tokenizer, "all_special_ids", []) or [])
    jobs = []
    shown_prompts = []
    for record in records:
        prompt_ids = encode_prompt(tokenizer, record.prompt, chat_template_kwargs)
        shown_prompts.append(prompt_text(tokenizer, record.prompt, chat_template_kwargs))
        if record.completion_ids is not None:
            ids = list(record.completion_ids)
        else:
            ids = list(tokenizer(record.completion, add_special_tokens=False)["input_ids"])
            if append_eos and eos_id is not None and (not ids or ids[-1] != eos_id):
                ids.append(int(eos_id))
        jobs.append((prompt_ids, ids))
    vocab = getattr(getattr(model, "config", None), "vocab_size", None)
    if vocab is not None:
        too_big = max((max(p + c, default=-1) for p, c in jobs), default=-1)
        if too_big >= vocab:
            raise ValueError(f"token id {too_big} is outside the model's vocabulary ({vocab}): wrong tokenizer?")

    order = sorted(range(len(jobs)), key=lambda i: -(len(jobs[i][0]) + len(jobs[i][1])))
    entropies: dict[int, list[float]] = {}
    logprobs: dict[int, list[float]] = {}
    batches = [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
    was_training = model.training
    model.eval()
    try:
        for batch in _progress(batches, len(batches), "scoring", progress):
            live = [i for i in batch if jobs[i][1]]
            for i in batch:
                if not jobs[i][1]:
                    entropies[i], logprobs[i] = [], []
            if not live:
                continue
            rows = [jobs[i][0] + jobs[i][1] for i in live]
            keep = max(len(jobs[i][1]) for i in live) + 1
            input_ids, attention = left_pad(rows, pad_id, device)
            positions = (attention.cumsum(-1) - 1).clamp(min=0)
            logits = _forward_logits(model, input_ids, attention, positions, keep)
            for row, i in enumerate(live):
                n = len(jobs[i][1])
                # logits at position t predict token t + 1: the last n + 1 kept positions minus the final one.
                row_logits = logits[row, keep - 1 - n : keep - 1]
                targets = torch.tensor(jobs[i][1], device=row_logits.device)
                h, lp = entropies_from_logits(row_logits, targets, temperature)
                entropies[i], logprobs[i] = h.tolist(), lp.tolist()
    finally:
        model.train(was_training)

    scored = []
    for i, record in enumerate(records):
        ids = jobs[i][1]
        scored.append(
            replace(
                record,
                completion_ids=ids,
                tokens=token_pieces(tokenizer, ids),
                special=[t in special_ids for t in ids],
                entropies=entropies[i],
                logprobs=logprobs[i],
                meta={**record.meta, "prompt_text": shown_prompts[i]},
            )
        )
    return scored
