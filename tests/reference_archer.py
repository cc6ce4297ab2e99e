"""An independent float64 re-implementation of the released Archer loss, written response by response.

It follows the authors' released code path literally (see docs/method.md): a per-response linear-interpolation
quantile, strict `>` typing, `min(max(-A r, -A clip(r)), -c A)` dual clip, and k3 KL means over each token group.
It deliberately shares no code with `archer_trl.core_algos`.
"""

from __future__ import annotations

import math

import torch


def _quantile_linear(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (position - lower) * (ordered[upper] - ordered[lower])


def reference_loss(
    logps: torch.Tensor,
    old_logps: torch.Tensor,
    ref_logps: torch.Tensor,
    entropies: torch.Tensor,
    mask: torch.Tensor,
    advantages: torch.Tensor,
    *,
    rho: float = 0.8,
    eps_knowledge: tuple[float, float] = (0.2, 0.2),
    eps_reasoning: tuple[float, float] = (0.5, 0.5),
    beta_knowledge: float = 0.001,
    beta_reasoning: float = 0.0,
    delta: float | None = 10.0,
    ties: str = "knowledge",
    kl_normalization: str = "group",
    loss_type: str = "grpo",
) -> torch.Tensor:
    """Scalar loss in float64. `logps` may require grad; everything else is data.

    ``loss_type="cispo"`` is the per-type CISPO variant: each token's detached importance weight is truncated at
    1 + its type's upper epsilon and multiplies ``-A log pi``; aggregated as a global token mean (like dapo)."""
    batch, length = logps.shape
    response_terms, token_sums, token_counts = [], [], []
    for i in range(batch):
        valid = [t for t in range(length) if mask[i, t] > 0]
        if not valid:
            response_terms.append(logps[i, 0] * 0.0)
            token_sums.append(logps[i, 0] * 0.0)
            token_counts.append(0)
            continue
        tau = _quantile_linear([float(entropies[i, t]) for t in valid], rho)
        is_reasoning = {
            t: (float(entropies[i, t]) > tau) if ties == "knowledge" else (float(entropies[i, t]) >= tau)
            for t in valid
        }
        advantage = float(advantages[i])
        policy_sum = logps[i, 0] * 0.0
        kl_sum = {True: logps[i, 0] * 0.0, False: logps[i, 0] * 0.0}
        count = {True: 0, False: 0}
        for t in valid:
            low, high = eps_reasoning if is_reasoning[t] else eps_knowledge
            ratio = torch.exp(logps[i, t] - float(old_logps[i, t]))
            if loss_type == "cispo":
                weight = min(float(ratio.detach()), 1 + high)  # a number: the truncated weight carries no gradient
                token_loss = -weight * advantage * logps[i, t]
            else:
                clipped = torch.clamp(ratio, 1 - low, 1 + high)
                token_loss = torch.maximum(-advantage * ratio, -advantage * clipped)
                if delta is not None and advantage < 0:
                    token_loss = torch.minimum(token_loss, torch.tensor(-delta * advantage, dtype=torch.float64))
            policy_sum = policy_sum + token_loss
            d = float(ref_logps[i, t]) - logps[i, t]
            kl_sum[is_reasoning[t]] = kl_sum[is_reasoning[t]] + (torch.exp(d) - d - 1)
            count[is_reasoning[t]] += 1
        n = len(valid)
        if kl_normalization == "group":
            kl_term = beta_knowledge * kl_sum[False] / max(count[False], 1) + beta_reasoning * kl_sum[True] / max(
                count[True], 1
            )
            kl_token_mass = kl_term * n
        else:
            kl_token_mass = beta_knowledge * kl_sum[False] + beta_reasoning * kl_sum[True]
        response_terms.append((policy_sum + kl_token_mass) / n)
        token_sums.append(policy_sum + kl_token_mass)
        token_counts.append(n)
    if loss_type == "grpo":
        return torch.stack(response_terms).mean()
    if loss_type in ("dapo", "cispo"):
        return torch.stack(token_sums).sum() / max(sum(token_counts), 1)
    raise ValueError(loss_type)


def reference_80_20_loss(
    logps: torch.Tensor,
    old_logps: torch.Tensor,
    entropies: torch.Tensor,
    mask: torch.Tensor,
    advantages: torch.Tensor,
    *,
    rho: float = 0.8,
    policy: str = "clip",
    eps: tuple[float, float] = (0.2, 0.2),
    delta: float | None = 10.0,
    weight_cap: float = 5.0,
    temperatures: tuple[float, float] = (1.0, 1.05),
    loss_type: str = "grpo",
) -> torch.Tensor:
    """The 80/20 baseline in float64, token by token: one linear quantile over every valid token of the batch, tokens
    ``>=`` it selected; the uniform policy term ``policy`` ("clip", "cispo" or "sapo", with TRL's parameters) on the
    selected tokens only. ``grpo``: mean over responses of the mean over each one's selected tokens; ``dapo``: selected
    token sum over the batch's token count times ``1 - rho``."""
    batch, length = logps.shape
    valid = [(i, t) for i in range(batch) for t in range(length) if mask[i, t] > 0]
    tau = _quantile_linear([float(entropies[i, t]) for i, t in valid], rho)
    per_response = {i: [] for i in range(batch)}
    for i, t in valid:
        if float(entropies[i, t]) < tau:
            continue
        advantage = float(advantages[i])
        ratio = torch.exp(logps[i, t] - float(old_logps[i, t]))
        if policy == "cispo":
            token_loss = -min(float(ratio.detach()), weight_cap) * advantage * logps[i, t]
        elif policy == "sapo":
            tau_gate = temperatures[0] if advantage > 0 else temperatures[1]
            token_loss = -advantage * 4.0 / tau_gate * torch.sigmoid(tau_gate * (ratio - 1.0))
        else:
            token_loss = torch.maximum(-advantage * ratio, -advantage * torch.clamp(ratio, 1 - eps[0], 1 + eps[1]))
            if delta is not None and advantage < 0:
                token_loss = torch.minimum(token_loss, torch.tensor(-delta * advantage, dtype=torch.float64))
        per_response[i].append(token_loss)
    zero = logps[0, 0] * 0.0
    if loss_type == "grpo":
        means = [torch.stack(terms).mean() if terms else zero for terms in per_response.values()]
        return torch.stack(means).mean()
    if loss_type == "dapo":
        total = sum((torch.stack(terms).sum() for terms in per_response.values() if terms), zero)
        return total / (len(valid) * (1.0 - rho))
    raise ValueError(loss_type)
