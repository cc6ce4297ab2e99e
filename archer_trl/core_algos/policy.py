"""Per-token policy terms: TRL's PPO clip (with per-token ranges), CISPO, SAPO, and ASPO's asymmetric term.

Every function returns a ``(B, T)`` per-token loss; aggregation and KL are added elsewhere (`aggregation`, `kl`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import torch

from .aggregation import CLIPPED_LOSS_TYPES, SOFT_GATE_LOSS_TYPES, TRUNCATED_WEIGHT_LOSS_TYPES

# The released verl code clamps the log-ratio before exponentiating it (ASPO's term follows it; see `aspo_policy_loss`).
LOG_RATIO_CLAMP = 20.0


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


class AspoTerm(NamedTuple):
    """ASPO's per-token loss and where each token fell: the clip masks in TRL's sense, and the two soft dual clips."""

    loss: torch.Tensor
    is_low_clipped: torch.Tensor  # A < 0 and r < 1 - eps: no gradient (ordinary PPO)
    is_high_clipped: torch.Tensor  # A > 0 and r > 1 + eps: no gradient
    dual_clip_negative: torch.Tensor  # A < 0 and max(r, 1 - eps) > c: loss -A c log pi
    dual_clip_positive: torch.Tensor  # A > 0 and 1 / min(r, 1 + eps) > c: loss -A c log pi


def aspo_policy_loss(
    per_token_logps: torch.Tensor,
    log_ratio: torch.Tensor,
    advantages: torch.Tensor,
    epsilon_low: torch.Tensor | float,
    epsilon_high: torch.Tensor | float,
    dual_clip: float,
) -> AspoTerm:
    """ASPO's per-token policy term (arXiv 2510.06062), as the released Archer2.0 code computes it.

    With ``r = exp(clamp(log_ratio, -20, 20))`` and ``c = dual_clip``:

    - A < 0: ``p = max(r, 1 - eps_low)``; loss ``-A p`` where ``p <= c`` (PPO), else ``-A c log pi`` (soft dual clip:
      the gradient weight stays c instead of dropping to 0).
    - A >= 0: ``p = min(r, 1 + eps_high)``; loss ``-A (p / sg(p)) / sg(p)`` where ``1/p <= c``: value ``-A / p``,
      gradient ``-A grad(p) / p^2``, i.e. weight ``1/r`` on ``grad log pi`` (the flipped IS weight); else
      ``-A c log pi``. A = 0 gives value and gradient 0.

    In the dual-clip branches the *value* is proportional to ``log pi``, not to r (a reference must check values).
    """
    ratio = torch.exp(torch.clamp(log_ratio, -LOG_RATIO_CLAMP, LOG_RATIO_CLAMP))
    negative = advantages < 0
    floor = torch.maximum(ratio, 1 - torch.as_tensor(epsilon_low, dtype=ratio.dtype, device=ratio.device))
    ceiling = torch.minimum(ratio, 1 + torch.as_tensor(epsilon_high, dtype=ratio.dtype, device=ratio.device))
    in_negative_dual_clip = negative & (floor > dual_clip)
    in_positive_dual_clip = ~negative & (1.0 / ceiling > dual_clip)
    soft_dual_clip = -advantages * dual_clip * per_token_logps
    ppo_negative = -advantages * floor
    flipped_positive = -advantages * (ceiling / ceiling.detach()) / ceiling.detach()
    loss = torch.where(
        negative,
        torch.where(in_negative_dual_clip, soft_dual_clip, ppo_negative),
        torch.where(in_positive_dual_clip, soft_dual_clip, flipped_positive),
    )
    positive = advantages > 0
    return AspoTerm(
        loss=loss,
        is_low_clipped=negative & (ratio < 1 - torch.as_tensor(epsilon_low)),
        is_high_clipped=positive & (ratio > 1 + torch.as_tensor(epsilon_high)),
        dual_clip_negative=in_negative_dual_clip,
        dual_clip_positive=in_positive_dual_clip & positive,
    )


def trl_clip_range(args: Any) -> tuple[float, float]:
    """TRL's uniform ``(epsilon_low, epsilon_high)`` from a config, as `GRPOTrainer.__init__` derives them."""
    return args.epsilon, args.epsilon if args.epsilon_high is None else args.epsilon_high


def uniform_policy_term(
    per_token_logps: torch.Tensor, log_ratio: torch.Tensor, advantages: torch.Tensor, loss_type: str, args: Any
) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor] | None]:
    """TRL 1.16's own per-token policy loss, one range for every token, with TRL's parameters from ``args``.

    Returns the loss and the (low, high) clip masks (CISPO: no low bound, the truncated weights as high), or None
    for SAPO, whose gate clips nothing. Used by the 80/20 baseline and for the per-type metrics of ``"none"``.
    """
    epsilon_low, epsilon_high = trl_clip_range(args)
    if loss_type in TRUNCATED_WEIGHT_LOSS_TYPES:  # TRL's cap is epsilon_high itself, not 1 + epsilon_high
        loss, truncated = truncated_weight_policy_loss(per_token_logps, log_ratio, advantages, epsilon_high)
        return loss, (torch.zeros_like(truncated), truncated)
    if loss_type in SOFT_GATE_LOSS_TYPES:
        return soft_gate_policy_loss(log_ratio, advantages, args.sapo_temperature_pos, args.sapo_temperature_neg), None
    if loss_type not in CLIPPED_LOSS_TYPES:
        raise ValueError(f"loss_type={loss_type!r} has no per-token policy term here")
    loss, low, high = clipped_policy_loss(log_ratio, advantages, epsilon_low, epsilon_high, args.delta)
    return loss, (low, high)
