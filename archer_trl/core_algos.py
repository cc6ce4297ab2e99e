"""Archer's loss, as small pure functions that read beside the paper.

Notation follows "Stabilizing Knowledge, Promoting Reasoning: Dual-Token Constraints for RLVR" (arXiv 2507.15778,
v2, Eqs. 2-5) and the semantics of the authors' released code, which is what actually produced their results:

    tau_i   = Quantile({H_t : t valid in response i}, rho)                 per-response entropy threshold (Eq. 2)
    R_i     = {t : H_t > tau_i},  K_i = {t : H_t <= tau_i}                reasoning / knowledge tokens (ties -> K)
    l_t     = max(-A r_t, -A clip(r_t, 1 - eps_t, 1 + eps_t)), capped at -c A when A < 0      (dual-clip PPO)
    L_i     = 1/|o_i| sum_t l_t + beta_k sum_{K_i} k3_t / |K_i| + beta_r sum_{R_i} k3_t / |R_i|

All functions take ``(B, T)`` tensors (B responses, T completion positions) and a ``mask`` that is 1 on the tokens
that count towards the loss. None of them touches trainer state, so each can be tested in isolation. Besides
Archer's loss: TRL's other per-token policy terms that compose with token typing (CISPO's truncated weight, SAPO's
soft gate), the 80/20 baseline (`mask_80_20_loss`), the loss-type tables, and `TokenTypeSums`, the named sums every
logged token mean is divided from.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

import torch

TieRule = Literal["knowledge", "reasoning"]
KLNormalization = Literal["group", "sequence"]
# TRL 1.16's loss types, by what their policy term is and how they aggregate (the one table for the whole package).
CLIPPED_LOSS_TYPES = ("grpo", "bnpo", "dr_grpo", "dapo", "luspo")  # PPO clip: -min(r A, clip(r) A)
TRUNCATED_WEIGHT_LOSS_TYPES = ("cispo",)  # detached, truncated IS weight times log-prob (MiniMax-M1)
SOFT_GATE_LOSS_TYPES = ("sapo",)  # sigmoid gate on the ratio instead of a clip
SEQUENCE_WEIGHT_LOSS_TYPES = ("vespo",)  # one gamma weight per response
# Aggregations that average over a fixed number of responses (not tokens): dropping groups must rescale them.
PER_RESPONSE_LOSS_TYPES = ("grpo", "dr_grpo", "luspo", "sapo")
# Aggregations whose normaliser is the generation batch's token count (already GA-scaled, like TRL's).
TOKEN_COUNT_LOSS_TYPES = ("dapo", "cispo", "vespo")
# What each token-constraint mode accepts; the reasons for the others are in docs/parity.md.
ARCHER_LOSS_TYPES = CLIPPED_LOSS_TYPES + TRUNCATED_WEIGHT_LOSS_TYPES
MASK_80_20_LOSS_TYPES = CLIPPED_LOSS_TYPES + TRUNCATED_WEIGHT_LOSS_TYPES + SOFT_GATE_LOSS_TYPES

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
    entropies: torch.Tensor, mask: torch.Tensor, quantile: float, ties: TieRule = "knowledge"
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
    entropies: torch.Tensor, mask: torch.Tensor, quantile: float, ties: TieRule = "reasoning"
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


def clipped_policy_loss(
    log_ratio: torch.Tensor,
    advantages: torch.Tensor,
    epsilon_low: torch.Tensor | float,
    epsilon_high: torch.Tensor | float,
    delta: float | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per-token PPO clipped surrogate loss with per-token clip ranges and the dual clip.

    ``l_t = -min(min(r_t, delta) A, clip(r_t, 1 - eps_low_t, 1 + eps_high_t) A)``. Capping the ratio at ``delta``
    is the dual clip for A < 0 (the loss is bounded by ``-delta A``); for A > 0 it changes nothing while
    ``delta > 1 + eps_high``. This is TRL's formula, so equal clip ranges reproduce TRL's loss bit for bit.

    Returns the per-token loss and two boolean masks: ratios clipped at the low bound (A < 0) and at the high
    bound (A > 0), which are the tokens whose gradient the clip removed.
    """
    ratio = torch.exp(log_ratio)
    lower = 1 - epsilon_low
    upper = 1 + epsilon_high
    clipped_ratio = torch.clamp(ratio, lower, upper)
    capped_ratio = ratio if delta is None else torch.clamp(ratio, max=delta)
    loss = -torch.min(capped_ratio * advantages, clipped_ratio * advantages)
    is_low_clipped = (ratio < lower) & (advantages < 0)
    is_high_clipped = (ratio > upper) & (advantages > 0)
    return loss, is_low_clipped, is_high_clipped


def truncated_weight_policy_loss(
    per_token_logps: torch.Tensor,
    log_ratio: torch.Tensor,
    advantages: torch.Tensor,
    weight_cap: torch.Tensor | float,
) -> tuple[torch.Tensor, torch.Tensor]:
    """CISPO's per-token loss (MiniMax-M1, TRL's ``loss_type="cispo"``): ``-sg(min(r_t, cap_t)) A log pi(o_t)``.

    The importance weight is truncated and detached, so every token keeps a gradient (none is clipped away); only
    its size is bounded. ``weight_cap`` may be per token. Returns the loss and the tokens whose weight was truncated
    with A > 0 (TRL's ``cispo_clip_ratio``).
    """
    ratio = torch.exp(log_ratio)
    truncated = torch.clamp(ratio, max=weight_cap).detach()
    return -truncated * advantages * per_token_logps, (ratio > weight_cap) & (advantages > 0)


def soft_gate_policy_loss(
    log_ratio: torch.Tensor, advantages: torch.Tensor, temperature_pos: float, temperature_neg: float
) -> torch.Tensor:
    """SAPO's per-token loss (TRL's ``loss_type="sapo"``): ``-A 4/tau sigmoid(tau (r_t - 1))``, tau by sign of A."""
    temperatures = torch.where(advantages > 0, temperature_pos, temperature_neg)
    return -torch.sigmoid(temperatures * (torch.exp(log_ratio) - 1)) * 4 / temperatures * advantages


def k3_kl(per_token_logps: torch.Tensor, ref_per_token_logps: torch.Tensor) -> torch.Tensor:
    """Schulman's k3 estimator of KL(pi_theta || pi_ref) on the sampled tokens: ``e^d - d - 1``, d = ref - logp."""
    delta = ref_per_token_logps - per_token_logps
    return torch.exp(delta) - delta - 1


def kl_token_weights(
    reasoning_mask: torch.Tensor,
    mask: torch.Tensor,
    beta_knowledge: float,
    beta_reasoning: float,
    normalization: KLNormalization = "group",
) -> torch.Tensor:
    """Per-token KL coefficients ``w_t`` such that the loss type's usual aggregation of ``w_t * k3_t`` gives Archer's KL.

    ``"sequence"``: ``w_t = beta(type_t)``, so under ``loss_type="grpo"`` the KL is averaged over the whole response
    (paper Eq. 5). ``"group"`` (released code): ``w_t = beta_k |o_i| / |K_i|`` on knowledge tokens and
    ``beta_r |o_i| / |R_i|`` on reasoning tokens, so the per-response mean becomes
    ``beta_k mean_{K_i} k3 + beta_r mean_{R_i} k3``: each token group's KL is averaged over its own tokens.
    Counts are clamped at 1, so an empty group contributes nothing and never divides by zero.
    """
    valid = mask.to(torch.float32)
    is_reasoning = reasoning_mask.to(torch.float32) * valid
    is_knowledge = valid - is_reasoning
    if normalization == "sequence":
        return beta_reasoning * is_reasoning + beta_knowledge * is_knowledge
    length = valid.sum(-1, keepdim=True)
    knowledge_scale = length / is_knowledge.sum(-1, keepdim=True).clamp(min=1.0)
    reasoning_scale = length / is_reasoning.sum(-1, keepdim=True).clamp(min=1.0)
    return beta_knowledge * knowledge_scale * is_knowledge + beta_reasoning * reasoning_scale * is_reasoning


def aggregate_loss(
    per_token_loss: torch.Tensor,
    mask: torch.Tensor,
    loss_type: str,
    *,
    gradient_accumulation_steps: int = 1,
    num_items_in_batch: torch.Tensor | float | None = None,
    num_processes: int = 1,
    steps_per_generation: int = 1,
    max_completion_length: int | None = None,
    training: bool = True,
) -> torch.Tensor:
    """Reduce a per-token loss to the scalar TRL back-propagates, for every PPO-clip loss type of TRL 1.16.

    ``grpo``: mean over responses of per-response token means (Eq. 5; what the released code computes).
    ``bnpo``: token mean of the micro-batch. ``dr_grpo``: token sum / (B * max_completion_length).
    ``dapo`` (and ``cispo``): token sum / the generation batch's global token count rescaled to one accumulation
    window.
    ``luspo``: mean over responses of per-response token sums. The result is already divided for gradient
    accumulation, as TRL expects (``loss_is_scaled_for_ga``); evaluation uses no accumulation.
    """
    mask = mask.to(per_token_loss.dtype)
    masked = per_token_loss * mask
    accumulation = gradient_accumulation_steps if training else 1
    if loss_type == "grpo":
        return (masked.sum(-1) / mask.sum(-1).clamp(min=1.0)).mean() / accumulation
    if loss_type == "bnpo":
        return masked.sum() / mask.sum().clamp(min=1.0) / accumulation
    if loss_type == "dr_grpo":
        if max_completion_length is None:
            raise ValueError("loss_type='dr_grpo' needs max_completion_length")
        return masked.sum() / (per_token_loss.size(0) * max_completion_length) / accumulation
    if loss_type in TOKEN_COUNT_LOSS_TYPES:
        if num_items_in_batch is None:
            raise ValueError(
                f"loss_type={loss_type!r} needs num_items_in_batch (the generation batch's global token count)"
            )
        normalizer = torch.as_tensor(num_items_in_batch, dtype=per_token_loss.dtype).clamp(min=1.0) / num_processes
        if training:
            normalizer = normalizer * gradient_accumulation_steps / steps_per_generation
        return masked.sum() / normalizer
    if loss_type == "luspo":
        return masked.sum(-1).mean() / accumulation
    raise ValueError(
        f"loss_type={loss_type!r} is not aggregated here ({', '.join(ARCHER_LOSS_TYPES)}); a soft-gate loss such as "
        "'sapo' is aggregated as aggregation_of(loss_type)"
    )


def aggregation_of(loss_type: str) -> str:
    """The aggregation TRL 1.16 applies to ``loss_type``: sapo is averaged like grpo, cispo and vespo like dapo."""
    return {"sapo": "grpo", "vespo": "dapo"}.get(loss_type, loss_type)


def policy_loss_metric(loss: torch.Tensor, loss_type: str, accumulation: int) -> torch.Tensor:
    """TRL's ``policy_loss`` metric from the scalar loss: undone gradient-accumulation scaling, except for the
    token-count loss types whose normaliser already contains it (TRL logs those as they are)."""
    loss = loss.detach()
    return loss if aggregation_of(loss_type) in TOKEN_COUNT_LOSS_TYPES else loss * accumulation


@dataclass
class ArcherLossOutput:
    """The scalar loss plus the per-token masks the trainer logs."""

    loss: torch.Tensor
    reasoning_mask: torch.Tensor
    is_low_clipped: torch.Tensor
    is_high_clipped: torch.Tensor
    per_token_kl: torch.Tensor | None

    @property
    def clip_masks(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.is_low_clipped, self.is_high_clipped


def archer_loss(
    per_token_logps: torch.Tensor,
    old_per_token_logps: torch.Tensor,
    entropies: torch.Tensor,
    mask: torch.Tensor,
    advantages: torch.Tensor,
    *,
    quantile: float = 0.8,
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
) -> ArcherLossOutput:
    """Archer's complete loss for one micro-batch (docs/method.md, "Equations and functions").

    Tokens are typed per response from the detached ``entropies``; each type gets its own (low, high) clip range and
    KL weight; the dual clip ``delta`` applies to all. With ``loss_type="cispo"`` the per-type range is CISPO's
    weight cap ``1 + epsilon_high`` of the type (MiniMax-M1's ``eps_high^IS``; CISPO has no lower bound and no dual
    clip). ``policy_weights`` multiplies the policy term only (TRL's vLLM importance-sampling ratio, off-policy mask
    and entropy mask), as TRL does. ``ref_per_token_logps=None`` disables the KL.
    ``aggregation`` is forwarded to :func:`aggregate_loss`.
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
    if policy_weights is not None:
        per_token_loss = per_token_loss * policy_weights
    loss = aggregate_loss(per_token_loss, mask, loss_type, **aggregation)

    per_token_kl = None
    if ref_per_token_logps is not None:
        per_token_kl = k3_kl(per_token_logps, ref_per_token_logps)
        if kl_importance_correction:
            per_token_kl = per_token_kl * torch.exp(log_ratio)
        weights = kl_token_weights(reasoning_mask, mask, beta_knowledge, beta_reasoning, kl_normalization)
        loss = loss + aggregate_loss(weights * per_token_kl, mask, loss_type, **aggregation)
    return ArcherLossOutput(loss, reasoning_mask, is_low_clipped, is_high_clipped, per_token_kl)


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
