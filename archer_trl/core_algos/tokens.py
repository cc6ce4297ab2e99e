"""Entropy typing of tokens: Archer's per-response split (Eq. 2) and the 80/20 baseline's batch-wide one."""

from __future__ import annotations

from typing import Literal

import torch

TieRule = Literal["knowledge", "reasoning"]

# rho, the entropy quantile that splits tokens (Archer Eq. 2, ASPO's released code, the 80/20 paper's top 20 %).
# Written once: ArcherConfig, the loss functions, the inspector and its callback all read it from here.
DEFAULT_TOKEN_ENTROPY_QUANTILE = 0.8

# torch.quantile refuses inputs above 2**24 elements; rows are processed in chunks below that.
_QUANTILE_MAX_NUMEL = 2**24


def response_entropy_threshold(entropies: torch.Tensor, mask: torch.Tensor, quantile: float) -> torch.Tensor:
    """tau_i: the ``quantile`` of each response's valid-token entropies, with linear interpolation (Eq. 2).

    Padding is excluded by setting it to NaN before ``nanquantile``, exactly as the released code does. A response
    with no valid token gets NaN, which compares False with everything, so it has no tokens of either type.
    Returns a ``(B,)`` float32 tensor; entropies are detached because the threshold only selects tokens.
    """
    values = entropies.detach().float().masked_fill(~mask.bool(), float("nan"))
    rows_per_chunk = max(1, _QUANTILE_MAX_NUMEL // max(1, values.shape[-1]))
    chunks = [torch.nanquantile(chunk, quantile, dim=-1) for chunk in values.split(rows_per_chunk, dim=0)]
    return torch.cat(chunks) if chunks else values.new_empty((0,))


def classify_reasoning_tokens(
    entropies: torch.Tensor,
    mask: torch.Tensor,
    quantile: float = DEFAULT_TOKEN_ENTROPY_QUANTILE,
    ties: TieRule = "knowledge",
) -> torch.Tensor:
    """Boolean ``(B, T)`` mask of reasoning (high-entropy) tokens; the other valid tokens are knowledge tokens.

    ``ties="knowledge"`` uses the released code's strict ``H > tau`` (so a one-token response, or one whose entropies
    are all equal, is all knowledge); ``ties="reasoning"`` uses the paper's ``H >= tau``.
    """
    threshold = response_entropy_threshold(entropies, mask, quantile).unsqueeze(-1)
    entropies = entropies.detach().float()
    above = entropies >= threshold if ties == "reasoning" else entropies > threshold
    return above & mask.bool()


def batch_high_entropy_mask(
    entropies: torch.Tensor,
    mask: torch.Tensor,
    quantile: float = DEFAULT_TOKEN_ENTROPY_QUANTILE,
    ties: TieRule = "reasoning",
) -> torch.Tensor:
    """The "80/20" baseline's token selection (arXiv 2506.01939): one threshold over all valid tokens of the batch.

    Tokens at or above the batch's ``quantile`` of entropy are kept (the top ``1 - quantile`` share), as in the
    official reproduction's per-micro-batch top-k. Unlike Archer, the threshold is shared across responses.
    """
    flat_mask = mask.bool().reshape(1, -1)
    threshold = response_entropy_threshold(entropies.reshape(1, -1), flat_mask, quantile)
    entropies = entropies.detach().float()
    above = entropies >= threshold if ties == "reasoning" else entropies > threshold
    return above & mask.bool()


def per_token_type_value(reasoning_mask: torch.Tensor, reasoning: float, knowledge: float) -> torch.Tensor:
    """A ``(B, T)`` float tensor holding ``reasoning`` on reasoning tokens and ``knowledge`` elsewhere."""
    return torch.where(
        reasoning_mask,
        torch.tensor(reasoning, dtype=torch.float32, device=reasoning_mask.device),
        torch.tensor(knowledge, dtype=torch.float32, device=reasoning_mask.device),
    )
