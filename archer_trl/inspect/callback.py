"""Training-time token-type logging: every N optimizer steps, write typed completions as an HTML artifact.

Which completions. By default the callback takes a sample of the newest generation batch that TRL's GRPOTrainer
keeps in ``trainer._logs`` (prompts, decoded completions, rewards, advantages). TRL fills that buffer on every
generation whether or not ``log_completions`` is on, so the callback needs no extra generation and shows exactly
what the policy is being trained on, rewards included. Those completions are decoded text with special tokens
removed, so they are re-tokenized (``append_eos=True`` restores the EOS the trainer types for a completion that
stopped; a truncated one gains an EOS it did not have) and scored with the current policy: a teacher-forced forward
at the trainer's temperature, the computation the loss uses. If ``prompts`` are given instead, the callback samples
fresh completions from those fixed prompts each time, which makes steps comparable (same prompts) at the cost of a
generation. Without a trainer (or before the first generation), it falls back to ``prompts``.

Outputs, under ``<output_dir>/<subdir>/``: ``step_<step>.html`` (the report) and ``step_<step>.jsonl`` (the typed
tokens, re-loadable with ``archer-inspect --completions``). If Weights & Biases or trackio is an active
``report_to`` logger, a table with one row per response is logged too (plus the HTML page on W&B).

Distributed training: every process runs the same scoring forward (a ZeRO-3/FSDP-sharded model needs all ranks
in the forward), on the same samples (TRL gathers the logs to every process); only the main process writes.
"""

from __future__ import annotations

import logging
import math
import random
from pathlib import Path
from typing import Any

import torch
from transformers import TrainerCallback

from ..core_algos import DEFAULT_TOKEN_ENTROPY_QUANTILE
from ..rewards.extract import completion_text
from .compute import (
    CompletionRecord,
    build_report_data,
    check_quantile,
    validate_prompt,
)
from .html import render_html
from .io import save_jsonl
from .scoring import generate_records, score_records

logger = logging.getLogger(__name__)


class InspectTokensCallback(TrainerCallback):
    """Write a sample of typed completions every ``every_n_steps`` optimizer steps (0 = never, the default).

    Typical use::

        trainer = ArcherGRPOTrainer(model, reward_funcs, args=config, train_dataset=dataset)
        trainer.add_callback(InspectTokensCallback(trainer, every_n_steps=50, num_samples=8))

    Args:
        trainer: the (Archer)GRPOTrainer; gives the completions TRL logged, the model, tokenizer, temperature and
            rho. Optional if ``prompts`` and a ``tokenizer`` are given (the model then comes from the callback's
            ``model`` argument, which transformers passes to every event).
        every_n_steps: optimizer steps between reports; 0 disables the callback.
        num_samples: responses per report.
        quantile, ties, temperature: typing settings; default to the trainer's ``token_entropy_quantile``,
            ``entropy_tie_rule`` and ``temperature`` (0.8, "knowledge", 1.0 without an ArcherConfig).
        prompts: fixed prompts (strings or chat messages) to sample from instead of the logged completions.
        max_new_tokens: generation length for ``prompts`` (default: the trainer's ``max_completion_length``).
        subdir: folder under ``output_dir`` for the artifacts.
        log_table: also log a table to W&B / trackio when they are active ``report_to`` loggers.
        seed: seeds the sample choice and the generation, identically on every process.
    """

    def __init__(
        self,
        trainer: Any = None,
        every_n_steps: int = 0,
        num_samples: int = 8,
        quantile: float | None = None,
        ties: str | None = None,
        temperature: float | None = None,
        prompts: list[Any] | None = None,
        tokenizer: Any = None,
        max_new_tokens: int | None = None,
        subdir: str = "token_types",
        log_table: bool = True,
        batch_size: int = 8,
        seed: int = 0,
    ) -> None:
        if every_n_steps < 0:
            raise ValueError(f"every_n_steps={every_n_steps} must be >= 0 (0 disables the callback)")
        if num_samples < 1:
            raise ValueError(f"num_samples={num_samples} must be >= 1")
        if trainer is None and (prompts is None or tokenizer is None):
            raise ValueError("InspectTokensCallback needs a trainer, or fixed prompts and a tokenizer")
        self.trainer = trainer
        self.every_n_steps = every_n_steps
        self.num_samples = num_samples
        args = getattr(trainer, "args", None)
        self.quantile = check_quantile(
            quantile
            if quantile is not None
            else getattr(args, "token_entropy_quantile", DEFAULT_TOKEN_ENTROPY_QUANTILE)
        )
        self.ties = ties or getattr(args, "entropy_tie_rule", "knowledge")
        self.temperature = float(temperature if temperature is not None else getattr(args, "temperature", 1.0))
        self.prompts = [validate_prompt(p, f"prompts[{i}]") for i, p in enumerate(prompts)] if prompts else None
        self.tokenizer = tokenizer
        self.max_new_tokens = max_new_tokens
        self.subdir = subdir
        self.log_table = log_table
        self.batch_size = batch_size
        self.seed = seed
        self.written: list[Path] = []

    # ------------------------------------------------------------------ events

    def on_step_end(self, args, state, control, **kwargs):
        if self.every_n_steps <= 0 or state.global_step <= 0 or state.global_step % self.every_n_steps:
            return control
        try:
            self.inspect(args, state, model=kwargs.get("model"), tokenizer=kwargs.get("processing_class"))
        except Exception:  # never let an inspection artifact stop a training run
            logger.exception(
                "InspectTokensCallback: writing the token-type report at step %d failed", state.global_step
            )
        return control

    # ------------------------------------------------------------------ work

    def _tokenizer(self, fallback: Any) -> Any:
        tokenizer = self.tokenizer or getattr(self.trainer, "processing_class", None) or fallback
        return getattr(tokenizer, "tokenizer", tokenizer)  # processors wrap a tokenizer

    def _model(self, model: Any) -> Any:
        trainer = self.trainer
        if trainer is not None:
            return trainer.accelerator.unwrap_model(trainer.model)
        return model

    def logged_records(self, step: int) -> list[CompletionRecord]:
        """A seeded, evenly spread sample of the newest generation batch TRL logged (empty if none yet)."""
        logs = getattr(self.trainer, "_logs", None)
        if not logs or not logs.get("prompt"):
            return []
        prompts, completions = list(logs["prompt"]), list(logs["completion"])
        n = min(len(prompts), len(completions))
        rng = random.Random(self.seed * 1_000_003 + step)
        chosen = sorted(rng.sample(range(n), min(self.num_samples, n)))
        rewards = {name: list(values) for name, values in logs.get("rewards", {}).items()}
        advantages = list(logs.get("advantages", []))
        records = []
        for i in chosen:
            meta: dict[str, Any] = {"step": step}
            for name, values in rewards.items():
                if i < len(values):
                    meta[name] = _number(values[i])
            if i < len(advantages):
                meta["advantage"] = _number(advantages[i])
            records.append(CompletionRecord(prompt=prompts[i], completion=completion_text(completions[i]), meta=meta))
        return records

    def fixed_prompt_records(self, model: Any, tokenizer: Any, step: int) -> list[CompletionRecord]:
        """Fresh completions from the fixed prompts, sampled with the trainer's settings and a per-step seed."""
        args = getattr(self.trainer, "args", None)
        prompts = self.prompts[: self.num_samples]
        records = generate_records(
            model,
            tokenizer,
            prompts,
            max_new_tokens=self.max_new_tokens or getattr(args, "max_completion_length", None) or 256,
            temperature=self.temperature,
            top_p=getattr(args, "top_p", 1.0) or 1.0,
            top_k=getattr(args, "top_k", 0) or 0,
            batch_size=self.batch_size,
            seed=self.seed * 1_000_003 + step,
            chat_template_kwargs=getattr(args, "chat_template_kwargs", None) or None,
            progress=False,
        )
        for record in records:
            record.meta["step"] = step
        return records

    def inspect(self, args, state, model: Any = None, tokenizer: Any = None) -> Path | None:
        """Score, type and write one report now; returns the HTML path on the main process."""
        step = int(state.global_step)
        model = self._model(model)
        tokenizer = self._tokenizer(tokenizer)
        if model is None or tokenizer is None:
            raise ValueError("no model/tokenizer available to score completions")
        from_logs = self.prompts is None
        if from_logs:
            records = self.logged_records(step)
            if not records:
                logger.warning("InspectTokensCallback: no logged completions at step %d and no fixed prompts", step)
                return None
        else:
            records = self.fixed_prompt_records(model, tokenizer, step)
        template_kwargs = getattr(getattr(self.trainer, "args", None), "chat_template_kwargs", None) or None
        records = score_records(
            model,
            tokenizer,
            records,
            temperature=self.temperature,
            batch_size=self.batch_size,
            chat_template_kwargs=template_kwargs,
            append_eos=from_logs,
            progress=False,
        )
        if not state.is_world_process_zero:
            return None
        data = build_report_data(
            records,
            self.quantile,
            self.ties,
            meta={
                "step": str(step),
                "source": "logged generation batch" if from_logs else "fixed prompts",
                "temperature": f"{self.temperature:g}",
                "ties": self.ties,
            },
        )
        folder = Path(args.output_dir) / self.subdir
        folder.mkdir(parents=True, exist_ok=True)
        html_path = folder / f"step_{step:06d}.html"
        page = render_html(data, title=f"Archer token types, step {step}")
        html_path.write_text(page, encoding="utf-8")
        save_jsonl(data.primary, folder / f"step_{step:06d}.jsonl", {"temperature": self.temperature})
        self.written.append(html_path)
        if self.log_table:
            self._log_table(args, data, page, step)
        return html_path

    def _log_table(self, args, data, page: str, step: int) -> None:
        report_to = args.report_to or []
        if isinstance(report_to, str):
            report_to = [report_to]
        backends = []
        if "wandb" in report_to:
            try:
                import wandb

                if wandb.run is not None:
                    backends.append(("wandb", wandb))
            except ImportError:
                pass
        if "trackio" in report_to:
            try:
                import trackio

                backends.append(("trackio", trackio))
            except ImportError:
                pass
        if not backends:
            return
        import pandas as pd

        frame = pd.DataFrame(table_rows(data))
        for name, backend in backends:
            payload = {"archer/token_types": backend.Table(dataframe=frame)}
            if name == "wandb":
                payload["archer/token_types_html"] = backend.Html(page)
            backend.log(payload)


def _number(value: Any) -> float | None:
    value = value.item() if isinstance(value, torch.Tensor) else value
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def table_rows(data) -> list[dict[str, Any]]:
    """One row per response for W&B/trackio tables: reasoning tokens are wrapped in [[...]] in the text."""
    from .ansi import colour_tokens

    view = data.primary
    rows = []
    for record, tau, mask in zip(view.records, view.thresholds, view.reasoning):
        entropies = record.entropies or []
        r_h = [h for h, m in zip(entropies, mask) if m]
        k_h = [h for h, m in zip(entropies, mask) if not m]
        rows.append(
            {
                "step": record.meta.get("step"),
                "prompt": record.meta.get("prompt_text") or str(record.prompt),
                "typed_completion": colour_tokens(record.tokens or [], mask, color=False),
                "threshold": None if math.isnan(tau) else tau,
                "tokens": len(mask),
                "reasoning_fraction": sum(mask) / len(mask) if mask else None,
                "mean_entropy_reasoning": sum(r_h) / len(r_h) if r_h else None,
                "mean_entropy_knowledge": sum(k_h) / len(k_h) if k_h else None,
                **{
                    k: v
                    for k, v in record.meta.items()
                    if k not in ("step", "prompt_text") and not isinstance(v, list)
                },
            }
        )
    return rows
