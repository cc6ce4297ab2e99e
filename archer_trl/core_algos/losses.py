"""Each mode's complete loss for one micro-batch, as a pure function of tensors and numbers.

`modes.py` reads a config into these arguments; tests call them directly against float64 references.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from .aggregation import TOKEN_COUNT_LOSS_TYPES, TRUNCATED_WEIGHT_LOSS_TYPES, aggregate_loss, aggregation_of
from .kl import KLNormalization, kl_token_weights, per_token_kl
from .policy import aspo_policy_loss, clipped_policy_loss, truncated_weight_policy_loss
from .tokens import (
    DEFAULT_TOKEN_ENTROPY_QUANTILE,
    TieRule,
    batch_high_entropy_mask,
    classify_reasoning_tokens,
    per_token_type_value,
)


@dataclass
class ModeOutput:
    """What a token-constraint mode returns for one micro-batch (every field but ``loss`` is for logging or for
    TRL's extra terms).

    ``reasoning_mask``: Archer's per-response token types, whatever the mode (so per-type metrics compare modes).
    ``clip_masks``: (low, high) tokens whose gradient a clip removed, or None where the loss type has no clip.
    ``per_token_kl``: the KL the loss used (None without a reference model). ``bonus_mask``: the tokens TRL's
    entropy bonus averages over (None: every loss token). ``token_counts``: the mode's own metrics, as token
    counts that the trainer divides by the global number of loss tokens.
    """

    loss: torch.Tensor
    reasoning_mask: torch.Tensor
    clip_masks: tuple[torch.Tensor, torch.Tensor] | None
    per_token_kl: torch.Tensor | None
    bonus_mask: torch.Tensor | None = None
    token_counts: dict[str, torch.Tensor] = field(default_factory=dict)

    @property
    def is_low_clipped(self) -> torch.Tensor:
        return self.clip_masks[0] if self.clip_masks else torch.zeros_like(self.reasoning_mask)

    @property
    def is_high_clipped(self) -> torch.Tensor:
        return self.clip_masks[1] if self.clip_masks else torch.zeros_like(self.reasoning_mask)


def _weighted(per_token_loss: torch.Tensor, policy_weights: torch.Tensor | None) -> torch.Tensor:
    """TRL's multiplicative factors on the policy term only (vLLM IS ratio, off-policy mask, entropy mask)."""
    return per_token_loss if policy_weights is None else per_token_loss * policy_weights


def archer_loss(
    per_token_logps: torch.Tensor,
    old_per_token_logps: torch.Tensor,
    entropies: torch.Tensor,
    mask: torch.Tensor,
    advantages: torch.Tensor,
    *,
    quantile: float = DEFAULT_TOKEN_ENTROPY_QUANTILE,
    epsilon_knowledge: tuple[float, float] = (0.2, 0.2),
    epsilon_reasoning: tuple[float, float] = (0.5, 0.5),
    delta: float | None = 10.0,
    ties: TieRule = "knowledge",
    ref_per_token_logps: torch.Tensor | None = None,
    beta_knowledge: float = 0.001,
    beta_reasoning: float = 0.0,
    kl_normalization: KLNormalization = "group",
    kl_importance_correction: bool = False,
    policy_weights: torch.Tensor | None = None,
    loss_type: str = "grpo",
    **aggregation,
) -> ModeOutput:
    """Archer's complete loss (arXiv 2507.15778; docs/method.md, "Equations and functions").

    Tokens are typed per response from the detached ``entropies``; each type gets its own (low, high) clip range and
    KL weight; the dual clip ``delta`` applies to all. With ``loss_type="cispo"`` the per-type range is CISPO's
    weight cap ``1 + epsilon_high`` of the type (MiniMax-M1's ``eps_high^IS``; CISPO has no lower bound and no dual
    clip). ``ref_per_token_logps=None`` disables the KL. ``aggregation`` is forwarded to `aggregate_loss`.
    """
    reasoning_mask = classify_reasoning_tokens(entropies, mask, quantile, ties)
    epsilon_high = per_token_type_value(reasoning_mask, epsilon_reasoning[1], epsilon_knowledge[1])
    if advantages.dim() == 1:
        advantages = advantages.unsqueeze(1)
    log_ratio = per_token_logps - old_per_token_logps
    if loss_type in TRUNCATED_WEIGHT_LOSS_TYPES:  # per-type CISPO: the weight cap is 1 + the type's upper epsilon
        per_token_loss, is_high_clipped = truncated_weight_policy_loss(
            per_token_logps, log_ratio, advantages, 1 + epsilon_high
        )
        is_low_clipped = torch.zeros_like(is_high_clipped)
    else:
        epsilon_low = per_token_type_value(reasoning_mask, epsilon_reasoning[0], epsilon_knowledge[0])
        per_token_loss, is_low_clipped, is_high_clipped = clipped_policy_loss(
            log_ratio, advantages, epsilon_low, epsilon_high, delta
        )
    loss = aggregate_loss(_weighted(per_token_loss, policy_weights), mask, loss_type, **aggregation)

    kl = None
    if ref_per_token_logps is not None:
        kl = per_token_kl(
            per_token_logps, ref_per_token_logps, log_ratio=log_ratio, bias_correction=kl_importance_correction
        )
        weights = kl_token_weights(reasoning_mask, mask, beta_knowledge, beta_reasoning, kl_normalization)
        loss = loss + aggregate_loss(weights * kl, mask, loss_type, **aggregation)
    return ModeOutput(loss, reasoning_mask, (is_low_clipped, is_high_clipped), kl)


def mask_80_20_loss(
    per_token_loss: torch.Tensor,
    entropies: torch.Tensor,
    mask: torch.Tensor,
    *,
    quantile: float,
    loss_type: str,
    per_token_kl: torch.Tensor | None = None,
    beta: float = 0.0,
    **aggregation,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The 80/20 baseline (arXiv 2506.01939) on any per-token policy loss: policy gradient only through the tokens
    at or above the micro-batch's ``quantile`` of entropy, averaged over those tokens; the uniform KL
    ``beta * per_token_kl`` (if given) still covers every token, as in TRL.

    Token-count aggregations (dapo, cispo) divide by the generation batch's token count, so that count is scaled
    to the selected share. Returns the scalar loss and the boolean selection.
    """
    selected = batch_high_entropy_mask(entropies, mask, quantile)
    aggregation_type = aggregation_of(loss_type)
    policy_aggregation = dict(aggregation)
    if aggregation_type in TOKEN_COUNT_LOSS_TYPES and aggregation.get("num_items_in_batch") is not None:
        policy_aggregation["num_items_in_batch"] = aggregation["num_items_in_batch"] * (1.0 - quantile)
    loss = aggregate_loss(per_token_loss, mask * selected, aggregation_type, **policy_aggregation)
    if per_token_kl is not None:
        loss = loss + aggregate_loss(beta * per_token_kl, mask, aggregation_type, **aggregation)
    return loss, selected


def aspo_loss(
    per_token_logps: torch.Tensor,
    old_per_token_logps: torch.Tensor,
    entropies: torch.Tensor,
    mask: torch.Tensor,
    advantages: torch.Tensor,
    *,
    quantile: float = DEFAULT_TOKEN_ENTROPY_QUANTILE,
    epsilon_knowledge: tuple[float, float] = (0.2, 0.2),
    epsilon_reasoning: tuple[float, float] = (0.4, 0.4),
    dual_clip: float = 3.0,
    ties: TieRule = "knowledge",
    ref_per_token_logps: torch.Tensor | None = None,
    beta: float = 0.001,
    kl_importance_correction: bool = False,
    policy_weights: torch.Tensor | None = None,
    loss_type: str = "bnpo",
    **aggregation,
) -> ModeOutput:
    """ASPO's complete loss (arXiv 2510.06062; the released Archer2.0 code): Archer's per-response typing and
    per-type clips, `aspo_policy_loss` (flipped IS weight for A >= 0, soft dual clip ``c = dual_clip`` for both
    signs), plus a uniform ``beta`` k3 KL with verl's clamps on every token, aggregated by ``loss_type``
    (released: ``bnpo``, verl's token-mean). Logs the shares in each soft dual clip as ``aspo/dual_clip/*``.
    """
    reasoning_mask = classify_reasoning_tokens(entropies, mask, quantile, ties)
    epsilon_low = per_token_type_value(reasoning_mask, epsilon_reasoning[0], epsilon_knowledge[0])
    epsilon_high = per_token_type_value(reasoning_mask, epsilon_reasoning[1], epsilon_knowledge[1])
    if advantages.dim() == 1:
        advantages = advantages.unsqueeze(1)
    log_ratio = per_token_logps - old_per_token_logps
    term = aspo_policy_loss(per_token_logps, log_ratio, advantages, epsilon_low, epsilon_high, dual_clip)
    per_token_loss = _weighted(term.loss, policy_weights)
    kl = None
    if ref_per_token_logps is not None:
        kl = per_token_kl(
            per_token_logps,
            ref_per_token_logps,
            log_ratio=log_ratio,
            bias_correction=kl_importance_correction,
            clamped=True,
        )
        per_token_loss = per_token_loss + beta * kl
    valid = mask.bool()
    counts = {
        "aspo/dual_clip/negative": (term.dual_clip_negative & valid).sum(),
        "aspo/dual_clip/positive": (term.dual_clip_positive & valid).sum(),
    }
    loss = aggregate_loss(per_token_loss, mask, loss_type, **aggregation)
    return ModeOutput(loss, reasoning_mask, (term.is_low_clipped, term.is_high_clipped), kl, token_counts=counts)
