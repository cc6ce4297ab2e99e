"""Reasoning/knowledge typing of scored completion tokens, exactly as the trainer types them.

Each response is split at its own ``token_entropy_quantile`` with
:func:`archer_trl.core_algos.classify_reasoning_tokens`, the function the loss uses; this module holds the records,
the typed views, their summaries and comparisons, and the data the report renderers read. The entropies come from
:mod:`archer_trl.inspect.scoring`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

import torch

from ..core_algos import (
    DEFAULT_TOKEN_ENTROPY_QUANTILE,
    TieRule,
    classify_reasoning_tokens,
    response_entropy_threshold,
)

Prompt = str | list[dict[str, Any]]

# Quantiles precomputed for the report's rho slider (the requested values are always added).
DEFAULT_QUANTILE_GRID = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
TIE_RULES = get_args(TieRule)


@dataclass
class CompletionRecord:
    """One prompt/completion pair, optionally scored (token ids, display pieces, entropies and log-probs).

    ``meta`` carries whatever the source logged beside it (reward columns, advantage, step, ...) for display.
    """

    prompt: Prompt
    completion: str
    completion_ids: list[int] | None = None
    tokens: list[str] | None = None
    special: list[bool] | None = None
    entropies: list[float] | None = None
    logprobs: list[float] | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def is_scored(self) -> bool:
        return self.entropies is not None and self.tokens is not None and len(self.tokens) == len(self.entropies)


@dataclass
class TypedView:
    """A set of scored completions typed under one ``(quantile, ties)``: per-response thresholds and masks."""

    label: str
    quantile: float
    ties: str
    records: list[CompletionRecord]
    thresholds: list[float]
    reasoning: list[list[bool]]


@dataclass
class Summary:
    """Aggregate numbers of a :class:`TypedView` for the report header and the terminal."""

    n_responses: int
    n_tokens: int
    n_reasoning: int
    reasoning_fraction: float
    mean_entropy: float
    mean_entropy_reasoning: float
    mean_entropy_knowledge: float
    mean_threshold: float
    median_threshold: float
    top_reasoning: list[tuple[str, int, int]]  # (piece, count typed reasoning, all occurrences)
    top_knowledge: list[tuple[str, int, int]]  # (piece, count typed knowledge, all occurrences)


@dataclass
class Comparison:
    """Token-type changes between two typings of the same tokens (two rho values, or two models)."""

    kind: str  # "quantile" or "model"
    label_a: str
    label_b: str
    n_tokens: int
    knowledge_to_reasoning: int
    reasoning_to_knowledge: int
    changed: list[list[bool]]
    top_changed: list[tuple[str, int, int]]  # (piece, knowledge->reasoning, reasoning->knowledge)
    mean_abs_entropy_delta: float | None  # only meaningful for two models


# ---------------------------------------------------------------------------------------------- text helpers


def is_conversational(prompt: Any) -> bool:
    return isinstance(prompt, list) and all(isinstance(m, dict) and "role" in m for m in prompt)


def validate_prompt(prompt: Any, where: str) -> Prompt:
    """Return ``prompt`` if it is a string or a list of chat messages; otherwise raise naming ``where``."""
    if isinstance(prompt, str) or is_conversational(prompt):
        return prompt
    raise ValueError(
        f"{where}: prompt must be a string or a list of chat messages with 'role' and 'content', got "
        f"{type(prompt).__name__}: {str(prompt)[:80]!r}"
    )


# ---------------------------------------------------------------------------------------------- typing


def _padded(entropies: Sequence[Sequence[float]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max((len(e) for e in entropies), default=0)
    values = torch.zeros((len(entropies), max(width, 1)), dtype=torch.float32)
    mask = torch.zeros_like(values, dtype=torch.bool)
    for i, row in enumerate(entropies):
        if row:
            values[i, : len(row)] = torch.tensor(row, dtype=torch.float32)
            mask[i, : len(row)] = True
    return values, mask


def check_quantile(quantile: float, name: str = "quantile") -> float:
    if not (isinstance(quantile, int | float) and 0.0 < float(quantile) < 1.0):
        raise ValueError(f"{name}={quantile!r} is invalid: the entropy quantile rho must be in (0, 1)")
    return float(quantile)


def type_records(
    records: Sequence[CompletionRecord], quantile: float, ties: str = "knowledge", label: str | None = None
) -> TypedView:
    """Type every token of scored ``records`` with Archer's per-response split (``core_algos``).

    The threshold is each response's ``quantile`` of its own token entropies; tokens above it (or at it, with
    ``ties="reasoning"``) are reasoning tokens, the rest knowledge tokens.
    """
    quantile = check_quantile(quantile)
    if ties not in TIE_RULES:
        raise ValueError(f"ties={ties!r} is invalid: allowed values are {', '.join(TIE_RULES)}")
    unscored = [i for i, r in enumerate(records) if not r.is_scored]
    if unscored:
        raise ValueError(f"records {unscored[:5]} have no entropies yet: score them with a model first")
    values, mask = _padded([r.entropies for r in records])
    thresholds = response_entropy_threshold(values, mask, quantile).tolist()
    reasoning = classify_reasoning_tokens(values, mask, quantile, ties=ties)  # type: ignore[arg-type]
    masks = [reasoning[i, : len(r.entropies)].tolist() for i, r in enumerate(records)]
    return TypedView(
        label=label or f"\u03c1={quantile:g}",
        quantile=quantile,
        ties=ties,
        records=list(records),
        thresholds=thresholds,
        reasoning=masks,
    )


def display_piece(piece: str) -> str:
    """A token piece with its whitespace made visible, for token tables."""
    return piece.replace(" ", "\u2423").replace("\n", "\u21b5").replace("\t", "\u21e5") or "\u2205"


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def summarize(view: TypedView, top_k: int = 15) -> Summary:
    """Reasoning share, mean entropy per type, threshold statistics and the most frequent tokens of each type."""
    reasoning_h: list[float] = []
    knowledge_h: list[float] = []
    reasoning_count: Counter[str] = Counter()
    knowledge_count: Counter[str] = Counter()
    for record, mask in zip(view.records, view.reasoning):
        for piece, h, is_r in zip(record.tokens or [], record.entropies or [], mask):
            (reasoning_h if is_r else knowledge_h).append(h)
            (reasoning_count if is_r else knowledge_count)[piece] += 1
    total = reasoning_count + knowledge_count
    n_tokens = len(reasoning_h) + len(knowledge_h)
    finite_tau = sorted(t for t in view.thresholds if not math.isnan(t))
    median = finite_tau[len(finite_tau) // 2] if finite_tau else float("nan")
    if finite_tau and len(finite_tau) % 2 == 0:
        median = (finite_tau[len(finite_tau) // 2 - 1] + finite_tau[len(finite_tau) // 2]) / 2

    def top(counter: Counter[str]) -> list[tuple[str, int, int]]:
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top_k]
        return [(piece, count, total[piece]) for piece, count in ranked]

    return Summary(
        n_responses=len(view.records),
        n_tokens=n_tokens,
        n_reasoning=len(reasoning_h),
        reasoning_fraction=len(reasoning_h) / n_tokens if n_tokens else float("nan"),
        mean_entropy=_mean(reasoning_h + knowledge_h),
        mean_entropy_reasoning=_mean(reasoning_h),
        mean_entropy_knowledge=_mean(knowledge_h),
        mean_threshold=_mean(finite_tau),
        median_threshold=median,
        top_reasoning=top(reasoning_count),
        top_knowledge=top(knowledge_count),
    )


def compare_views(a: TypedView, b: TypedView, kind: str, top_k: int = 15) -> Comparison:
    """Which tokens change type from view ``a`` to view ``b`` (same completions, same tokens)."""
    if len(a.records) != len(b.records):
        raise ValueError(f"cannot compare {len(a.records)} responses with {len(b.records)}")
    changed: list[list[bool]] = []
    k2r = r2k = n = 0
    pieces: dict[str, list[int]] = {}
    deltas: list[float] = []
    for i, (ra, rb, ma, mb) in enumerate(zip(a.records, b.records, a.reasoning, b.reasoning)):
        if ra.completion_ids != rb.completion_ids:
            raise ValueError(f"response {i} was tokenized differently in the two views: use the same tokenizer")
        row = []
        for j, (x, y) in enumerate(zip(ma, mb)):
            n += 1
            row.append(x != y)
            if x != y:
                entry = pieces.setdefault(ra.tokens[j], [0, 0])
                if y:
                    k2r += 1
                    entry[0] += 1
                else:
                    r2k += 1
                    entry[1] += 1
        changed.append(row)
        if kind == "model":
            deltas.extend(abs(hb - ha) for ha, hb in zip(ra.entropies, rb.entropies))
    ranked = sorted(pieces.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), kv[0]))[:top_k]
    return Comparison(
        kind=kind,
        label_a=a.label,
        label_b=b.label,
        n_tokens=n,
        knowledge_to_reasoning=k2r,
        reasoning_to_knowledge=r2k,
        changed=changed,
        top_changed=[(piece, c[0], c[1]) for piece, c in ranked],
        mean_abs_entropy_delta=_mean(deltas) if kind == "model" else None,
    )


# ---------------------------------------------------------------------------------------------- report data


@dataclass
class ReportData:
    """Everything the HTML and terminal renderers need; built once by :func:`build_report_data`."""

    primary: TypedView
    summary: Summary
    grid: list[float]
    grid_views: list[TypedView]
    compare: TypedView | None = None
    compare_summary: Summary | None = None
    comparison: Comparison | None = None
    compare_grid_views: list[TypedView] | None = None  # model comparison: the other model at every grid rho
    grid_summaries: list[Summary] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


def build_report_data(
    records: Sequence[CompletionRecord],
    quantile: float = DEFAULT_TOKEN_ENTROPY_QUANTILE,
    ties: str = "knowledge",
    *,
    compare_quantile: float | None = None,
    compare_records: Sequence[CompletionRecord] | None = None,
    label: str | None = None,
    compare_label: str | None = None,
    grid: Sequence[float] = DEFAULT_QUANTILE_GRID,
    meta: dict[str, str] | None = None,
) -> ReportData:
    """Type scored records at ``quantile`` (and at every grid value, for the report's rho slider).

    ``compare_quantile``: the same entropies typed at a second rho. ``compare_records``: the same completions
    scored by a second model (before/after training), typed at the same rho. At most one of the two.
    """
    if compare_quantile is not None and compare_records is not None:
        raise ValueError("compare either two quantiles (compare_quantile) or two models (compare_records), not both")
    quantile = check_quantile(quantile)
    full_grid = sorted({round(check_quantile(q, "grid value"), 4) for q in grid} | {round(quantile, 4)})
    primary = type_records(records, quantile, ties, label=label)
    grid_views = [primary if q == round(quantile, 4) else type_records(records, q, ties) for q in full_grid]
    summary = summarize(primary)
    data = ReportData(
        primary=primary,
        summary=summary,
        grid=full_grid,
        grid_views=grid_views,
        grid_summaries=[summary if view is primary else summarize(view) for view in grid_views],
        meta=dict(meta or {}),
    )
    if compare_quantile is not None:
        compare_quantile = check_quantile(compare_quantile, "compare_quantile")
        data.compare = type_records(records, compare_quantile, ties, label=compare_label)
        data.comparison = compare_views(primary, data.compare, "quantile")
    elif compare_records is not None:
        data.compare = type_records(compare_records, quantile, ties, label=compare_label or "B")
        data.comparison = compare_views(primary, data.compare, "model")
        data.compare_grid_views = [
            data.compare if q == round(quantile, 4) else type_records(compare_records, q, ties) for q in full_grid
        ]
    if data.compare is not None:
        data.compare_summary = summarize(data.compare)
    return data
