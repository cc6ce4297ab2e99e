"""Batched sampling with Hugging Face ``generate``: the one place where a model writes completions outside training.

Evaluation's transformers backend, the token-type inspector, the arithmetic task and the training scripts' held-out
accuracy all sample through :func:`generate_transformers`, so they share one set of rules:

- prompts are token ids, left-padded in batches (longest first, so batches pad little), with an attention mask;
- a completion ends at, and includes, its first end-of-sequence token, where the EOS set is
  :func:`eos_token_ids` (the generation config's and the tokenizer's), as TRL's completion mask does;
- sampling runs under its own seed in a forked RNG, so calling it never moves the caller's random stream;
- ``max_tokens`` is capped so that prompt + completion fits ``max_position_embeddings``; a prompt that fills the
  context alone gets an empty completion flagged ``prompt_too_long`` instead of failing the whole call.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SamplingSettings:
    """How to sample: ``n`` completions per prompt (K), temperature (0: greedy), top-p, top-k (0: off), and the
    new-token budget ``max_tokens`` (at least ``min_tokens``), under ``seed`` (None: the caller's RNG state)."""

    n: int = 1
    temperature: float = 1.0
    top_p: float = 1.0
    max_tokens: int = 512
    seed: int | None = 0
    top_k: int = 0
    min_tokens: int = 0

    def __post_init__(self) -> None:
        if self.n < 1:
            raise ValueError(f"k (samples per problem) must be >= 1, got {self.n}")
        if self.temperature < 0:
            raise ValueError(f"temperature must be >= 0, got {self.temperature}")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        if self.max_tokens < 1:
            raise ValueError(f"max_tokens must be >= 1, got {self.max_tokens}")
        if self.top_k < 0 or self.min_tokens < 0:
            raise ValueError(
                f"top_k and min_tokens must be >= 0, got top_k={self.top_k}, min_tokens={self.min_tokens}"
            )
        if self.temperature == 0 and self.n > 1:
            logger.warning("temperature 0 is greedy decoding: the %d samples per problem will be identical", self.n)

    @property
    def greedy(self) -> bool:
        return self.temperature == 0

    def generate_kwargs(self) -> dict[str, Any]:
        """The sampling arguments of ``model.generate``; ``top_k=0`` keeps HF from applying its default top-k 50."""
        if self.greedy:
            return {"do_sample": False}
        return {"do_sample": True, "temperature": self.temperature, "top_p": self.top_p, "top_k": self.top_k}


@dataclass
class Completion:
    """One generated completion: its text (special tokens removed) and the exact token ids it was sampled as."""

    text: str
    num_tokens: int
    truncated: bool  # stopped by the token budget rather than an end-of-sequence token
    prompt_too_long: bool = False  # the prompt alone fills the context: nothing was generated (the sample scores 0)
    token_ids: list[int] = field(default_factory=list)


def to_conversation(prompt: str | list[dict[str, str]], system_prompt: str | None = None) -> list[dict[str, str]]:
    """A prompt as chat messages (TRL's conversational format): text becomes one user message, and
    ``system_prompt`` goes first unless the messages already hold a system message."""
    messages = [{"role": "user", "content": prompt}] if isinstance(prompt, str) else [dict(m) for m in prompt]
    if system_prompt and not any(m["role"] == "system" for m in messages):
        messages = [{"role": "system", "content": system_prompt}, *messages]
    return messages


def render_prompt(tokenizer: Any, messages: list[dict[str, str]], *, chat_template: bool = True) -> str:
    """The text the model is conditioned on: the chat template with ``add_generation_prompt=True`` (as in training),
    or, with ``chat_template=False``, the messages' contents joined by blank lines (for base models)."""
    if not chat_template:
        return "\n\n".join(m["content"] for m in messages)
    if not getattr(tokenizer, "chat_template", None):
        raise ValueError(
            "the tokenizer has no chat template; pass --no_chat_template to feed the raw problem text instead"
        )
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)


def encode_prompts(tokenizer: Any, texts: Sequence[str]) -> list[list[int]]:
    # The chat template already holds any BOS token; adding special tokens again would double it.
    return [tokenizer(text, add_special_tokens=False)["input_ids"] for text in texts]


def eos_token_ids(model: Any, tokenizer: Any) -> set[int]:
    """Every token that ends a completion: the model's ``generation_config.eos_token_id`` (one id or several) and
    the tokenizer's ``eos_token_id``. ``generate`` stops at any of them, so trimming uses the same set."""
    ids: set[int] = set()
    config_eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    for value in (config_eos, tokenizer.eos_token_id):
        if value is None:
            continue
        ids.update(int(v) for v in (value if isinstance(value, list | tuple) else [value]))
    return ids


def pad_token_id(tokenizer: Any) -> int:
    """The id left padding uses: the tokenizer's pad token, else its EOS token (masked out either way)."""
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    if pad is None:
        raise ValueError("the tokenizer has neither a pad nor an eos token; set one before generating")
    return int(pad)


def model_device(model: Any) -> Any:
    import torch

    try:
        return next(model.parameters()).device
    except StopIteration:
        return torch.device("cpu")


def left_pad(rows: Sequence[Sequence[int]], pad_id: int, device: Any) -> tuple[Any, Any]:
    """``(input_ids, attention_mask)`` of token-id rows padded on the left to the longest one."""
    import torch

    width = max(len(row) for row in rows)
    input_ids = torch.tensor([[pad_id] * (width - len(row)) + list(row) for row in rows], dtype=torch.long)
    attention = torch.tensor([[0] * (width - len(row)) + [1] * len(row) for row in rows], dtype=torch.long)
    return input_ids.to(device), attention.to(device)


def trim_at_eos(tokens: Sequence[int], eos_ids: set[int]) -> tuple[list[int], bool]:
    """The tokens up to and including the first EOS, and whether one was found."""
    for position, token in enumerate(tokens):
        if token in eos_ids:
            return list(tokens[: position + 1]), True
    return list(tokens), False


def _max_positions(model: Any) -> int | None:
    return getattr(getattr(model, "config", None), "max_position_embeddings", None)


def warn_prompts_too_long(count: int, total: int, limit_name: str, limit: int | None) -> None:
    if count:
        logger.warning(
            "%d of %d prompts do not fit %s=%s: they get an empty completion (scored as a failure); "
            "use a model with a longer context to evaluate them",
            count,
            total,
            limit_name,
            limit,
        )


def prompt_too_long_completion() -> Completion:
    return Completion("", 0, truncated=True, prompt_too_long=True)


def generate_transformers(
    model: Any,
    tokenizer: Any,
    prompt_ids: Sequence[list[int]],
    settings: SamplingSettings,
    *,
    batch_size: int = 64,
    desc: str = "generate",
    progress: bool = True,
) -> list[list[Completion]]:
    """``settings.n`` completions per prompt with ``model.generate``: ``result[i][j]`` is prompt i's sample j.

    Batches hold ``batch_size`` sequences (the K copies of one prompt share batches), longest prompts first; the
    model is put in eval mode for the call and restored after it.
    """
    import torch
    from tqdm.auto import tqdm

    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    pad_id = pad_token_id(tokenizer)
    eos_ids = eos_token_ids(model, tokenizer)
    max_positions = _max_positions(model)
    results: list[list[Completion | None]] = [[None] * settings.n for _ in prompt_ids]
    too_long = {i for i, ids in enumerate(prompt_ids) if max_positions is not None and len(ids) >= max_positions}
    for i in too_long:
        results[i] = [prompt_too_long_completion() for _ in range(settings.n)]
    warn_prompts_too_long(len(too_long), len(prompt_ids), "max_position_embeddings", max_positions)
    jobs = [(i, j) for i in range(len(prompt_ids)) if i not in too_long for j in range(settings.n)]
    jobs.sort(key=lambda job: -len(prompt_ids[job[0]]))  # stable: one prompt's samples stay together
    device = model_device(model)
    was_training = model.training
    model.eval()
    capped_warned = False
    try:
        with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
            if settings.seed is not None:
                torch.manual_seed(settings.seed)
            batches = range(0, len(jobs), batch_size)
            for start in tqdm(batches, desc=desc, unit="batch", disable=not progress):
                batch = jobs[start : start + batch_size]
                input_ids, attention = left_pad([prompt_ids[i] for i, _ in batch], pad_id, device)
                width = input_ids.shape[1]
                max_new = settings.max_tokens
                if max_positions is not None and width + max_new > max_positions:
                    max_new = max_positions - width  # >= 1: prompts that fill the context were set aside above
                    if not capped_warned:
                        logger.warning(
                            "max_tokens %d capped to %d so that prompt + completion fits max_position_embeddings=%d",
                            settings.max_tokens,
                            max_new,
                            max_positions,
                        )
                        capped_warned = True
                with torch.no_grad():
                    out = model.generate(
                        input_ids=input_ids,
                        attention_mask=attention,
                        max_new_tokens=max_new,
                        min_new_tokens=min(settings.min_tokens, max_new) or None,
                        pad_token_id=pad_id,
                        eos_token_id=sorted(eos_ids) or None,
                        **settings.generate_kwargs(),
                    )
                for (i, j), tokens in zip(batch, out[:, width:].tolist()):
                    kept, ended = trim_at_eos(tokens, eos_ids)
                    text = tokenizer.decode(kept, skip_special_tokens=True)
                    truncated = not ended and len(tokens) >= max_new
                    results[i][j] = Completion(text, len(kept), truncated=truncated, token_ids=kept)
    finally:
        model.train(was_training)
    return results  # type: ignore[return-value]
