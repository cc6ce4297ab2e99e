"""The KL to the reference model: one estimator for every mode, and Archer's per-type weights."""

from __future__ import annotations

from typing import Literal

import torch

KLNormalization = Literal["group", "sequence"]
# verl's `low_var_kl` clamps (ASPO's released code uses it): the log-ratio to +-20, k3 itself to [-10, 10].
K3_LOG_RATIO_CLAMP = 20.0
K3_VALUE_CLAMP = 10.0


def k3_kl(per_token_logps: torch.Tensor, ref_per_token_logps: torch.Tensor) -> torch.Tensor:
    """Schulman's k3 estimator of KL(pi_theta || pi_ref) on the sampled tokens: ``e^d - d - 1``, d = ref - logp."""
    delta = ref_per_token_logps - per_token_logps
    return torch.exp(delta) - delta - 1


def per_token_kl(
    per_token_logps: torch.Tensor,
    ref_per_token_logps: torch.Tensor,
    log_ratio: torch.Tensor | None = None,
    bias_correction: bool = False,
    *,
    clamped: bool = False,
) -> torch.Tensor:
    """The per-token KL every mode uses (and every mode's ``kl`` metric reports).

    ``bias_correction`` multiplies k3 by the differentiable importance ratio ``exp(log_ratio)`` (TRL's
    ``use_bias_correction_kl``). ``clamped`` applies verl's ``low_var_kl`` clamps (ASPO's released code).
    """
    if clamped:
        delta = torch.clamp(ref_per_token_logps - per_token_logps, -K3_LOG_RATIO_CLAMP, K3_LOG_RATIO_CLAMP)
        kl = torch.clamp(torch.exp(delta) - delta - 1, -K3_VALUE_CLAMP, K3_VALUE_CLAMP)
    else:
        kl = k3_kl(per_token_logps, ref_per_token_logps)
    if bias_correction:
        if log_ratio is None:
            raise ValueError("bias_correction needs log_ratio (log pi - log pi_old)")
        kl = kl * torch.exp(log_ratio)
    return kl


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
