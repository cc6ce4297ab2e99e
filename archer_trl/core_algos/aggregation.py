"""TRL 1.16's loss types, by what their policy term is and how they aggregate: the one table for the package."""

from __future__ import annotations

import torch
from trl.trainer.utils import nanstd

CLIPPED_LOSS_TYPES = ("grpo", "bnpo", "dr_grpo", "dapo", "luspo")  # PPO clip: -min(r A, clip(r) A)
TRUNCATED_WEIGHT_LOSS_TYPES = ("cispo",)  # detached, truncated IS weight times log-prob (MiniMax-M1)
SOFT_GATE_LOSS_TYPES = ("sapo",)  # sigmoid gate on the ratio instead of a clip
SEQUENCE_WEIGHT_LOSS_TYPES = ("vespo",)  # one gamma weight per response
TRL_LOSS_TYPES = CLIPPED_LOSS_TYPES + TRUNCATED_WEIGHT_LOSS_TYPES + SOFT_GATE_LOSS_TYPES + SEQUENCE_WEIGHT_LOSS_TYPES
# Aggregations that average over a fixed number of responses (not tokens): dropping groups must rescale them.
PER_RESPONSE_LOSS_TYPES = ("grpo", "dr_grpo", "luspo", "sapo")
# Aggregations whose normaliser is the generation batch's token count (already GA-scaled, like TRL's).
TOKEN_COUNT_LOSS_TYPES = ("dapo", "cispo", "vespo")


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
        f"loss_type={loss_type!r} is not aggregated here ({', '.join(CLIPPED_LOSS_TYPES + TRUNCATED_WEIGHT_LOSS_TYPES)}); a soft-gate loss such as "
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


def responses_in_varied_groups(
    rewards_per_func: torch.Tensor, reward_weights: torch.Tensor, num_generations: int
) -> torch.Tensor:
    """``(B,)`` bool: the responses whose prompt group's weighted rewards are not all equal (the released recipes'
    rejection sampling keeps only those). Rewards that are NaN for every function count as missing, as in TRL."""
    rewards = (rewards_per_func * reward_weights.to(rewards_per_func.device)).nansum(dim=1)
    rewards[torch.isnan(rewards_per_func).all(dim=1)] = torch.nan
    group_std = nanstd(rewards.view(-1, num_generations), dim=1)
    keep = ~(torch.isclose(group_std, torch.zeros_like(group_std)) | torch.isnan(group_std))
    return keep.repeat_interleave(num_generations)
