"""The named token sums behind every logged token mean, so one all-reduce serves them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import torch


def per_response_mean(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """``(B,)`` mean of ``values`` over each response's loss tokens; NaN for a response without any (as TRL)."""
    mask = mask.to(values.dtype)
    return (values * mask).sum(-1) / mask.sum(-1)


@dataclass
class TokenTypeSums:
    """Per-type sums and counts of one micro-batch: the numerators and denominators of every logged token mean.

    Sums add across processes, so :meth:`stacked` / :meth:`from_stacked` let the trainer all-reduce all of them in
    one collective before :meth:`means` divides.
    """

    tokens: torch.Tensor
    reasoning_tokens: torch.Tensor
    knowledge_tokens: torch.Tensor
    entropy: torch.Tensor
    entropy_reasoning: torch.Tensor
    entropy_knowledge: torch.Tensor
    low_clipped: torch.Tensor
    high_clipped: torch.Tensor
    low_clipped_reasoning: torch.Tensor
    high_clipped_reasoning: torch.Tensor
    low_clipped_knowledge: torch.Tensor
    high_clipped_knowledge: torch.Tensor
    kl: torch.Tensor
    kl_reasoning: torch.Tensor
    kl_knowledge: torch.Tensor

    @classmethod
    def of(
        cls,
        mask: torch.Tensor,
        reasoning_mask: torch.Tensor,
        entropies: torch.Tensor,
        is_low_clipped: torch.Tensor,
        is_high_clipped: torch.Tensor,
        per_token_kl: torch.Tensor | None,
    ) -> TokenTypeSums:
        valid = mask.bool()
        groups = {"": valid, "_reasoning": reasoning_mask & valid, "_knowledge": valid & ~reasoning_mask}
        kl = torch.zeros_like(entropies) if per_token_kl is None else per_token_kl
        values = {"entropy": entropies, "low_clipped": is_low_clipped, "high_clipped": is_high_clipped, "kl": kl}
        sums = {
            f"{name}{suffix}": (value.detach().float() * where).sum()
            for name, value in values.items()
            for suffix, where in groups.items()
        }
        counts = {
            "tokens": valid.sum(),
            "reasoning_tokens": groups["_reasoning"].sum(),
            "knowledge_tokens": groups["_knowledge"].sum(),
        }
        return cls(**{name: value.float() for name, value in (counts | sums).items()})

    def stacked(self) -> torch.Tensor:
        return torch.stack([getattr(self, f.name) for f in fields(self)])

    @classmethod
    def from_stacked(cls, stacked: torch.Tensor) -> TokenTypeSums:
        return cls(*stacked.unbind(0))

    def means(self) -> dict[str, float]:
        """Token means under TRL's keys (``entropy``, ``clip_ratio/*_mean``, ``kl``) and Archer's ``archer/*``."""
        every, reasoning, knowledge = (
            n.clamp(min=1.0) for n in (self.tokens, self.reasoning_tokens, self.knowledge_tokens)
        )
        means = {
            "entropy": self.entropy / every,
            "clip_ratio/low_mean": self.low_clipped / every,
            "clip_ratio/high_mean": self.high_clipped / every,
            "clip_ratio/region_mean": (self.low_clipped + self.high_clipped) / every,
            "kl": self.kl / every,
            "archer/reasoning_token_fraction": self.reasoning_tokens / every,
            "archer/entropy/reasoning": self.entropy_reasoning / reasoning,
            "archer/entropy/knowledge": self.entropy_knowledge / knowledge,
            "archer/clip_ratio/reasoning_low": self.low_clipped_reasoning / reasoning,
            "archer/clip_ratio/reasoning_high": self.high_clipped_reasoning / reasoning,
            "archer/clip_ratio/knowledge_low": self.low_clipped_knowledge / knowledge,
            "archer/clip_ratio/knowledge_high": self.high_clipped_knowledge / knowledge,
            "archer/kl/reasoning": self.kl_reasoning / reasoning,
            "archer/kl/knowledge": self.kl_knowledge / knowledge,
        }
        return {key: value.item() for key, value in means.items()}


def token_means(
    sums: TokenTypeSums, extra_counts: dict[str, torch.Tensor], all_reduce: Callable[[torch.Tensor], torch.Tensor]
) -> dict[str, float]:
    """`TokenTypeSums.means` plus each mode's own token counts as shares of all loss tokens, all reduced across
    processes in one collective (``all_reduce`` sums a 1-D tensor; every rank passes the same keys)."""
    keys = sorted(extra_counts)
    stacked = sums.stacked()
    if keys:
        extras = torch.stack([extra_counts[key].detach().float().to(stacked.device) for key in keys])
        stacked = torch.cat([stacked, extras])
    total = all_reduce(stacked)
    size = len(fields(TokenTypeSums))
    reduced = TokenTypeSums.from_stacked(total[:size])
    means = reduced.means()
    every = reduced.tokens.clamp(min=1.0)
    means.update({key: (total[size + i] / every).item() for i, key in enumerate(keys)})
    return means
