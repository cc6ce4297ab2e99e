"""An independent float64 re-implementation of ASPO's released loss (Archer2.0), written token by token.

It follows docs/notes' description of the released code literally, with Python branching on each token's numbers
instead of tensor masks: per-response linear quantile typing (strict `>`), r = exp(clamp(log r, -20, 20)), the
A < 0 / A >= 0 branches with the soft dual clip c, verl's clamped k3 KL with a uniform weight, and verl's
token-mean over every valid token. It shares no code with `archer_trl.core_algos`.
"""

from __future__ import annotations

import math

import torch

BRANCHES = ("neg_below", "neg_inside", "neg_dual", "pos_dual", "pos_inside", "pos_above", "zero")


def _quantile_linear(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (position - lower) * (ordered[upper] - ordered[lower])


def reference_token(logp: torch.Tensor, old_logp: float, advantage: float, eps: float, c: float):
    """(loss of one token, its branch name). ``logp`` is a 0-dim float64 tensor that may require grad."""
    log_ratio = torch.clamp(logp - old_logp, -20.0, 20.0)
    r = torch.exp(log_ratio)
    ratio = float(r.detach())
    constant = logp * 0.0  # a clipped ratio is a constant: value, and a zero gradient
    if advantage < 0:
        p = r if ratio > 1 - eps else constant + (1 - eps)
        if float(p.detach()) > c:
            return -advantage * c * logp, "neg_dual"
        return -advantage * p, "neg_below" if ratio < 1 - eps else "neg_inside"
    p = r if ratio < 1 + eps else constant + (1 + eps)
    stopped = float(p.detach())
    if 1.0 / stopped > c:
        return -advantage * c * logp, "zero" if advantage == 0 else "pos_dual"
    value = -advantage * (p / stopped) / stopped  # p / sg(p) / sg(p): value -A/p, gradient -A grad(p) / p^2
    if advantage == 0:
        return value, "zero"
    return value, "pos_above" if ratio > 1 + eps else "pos_inside"


def reference_kl(logp: torch.Tensor, ref_logp: float) -> torch.Tensor:
    d = torch.clamp(ref_logp - logp, -20.0, 20.0)
    return torch.clamp(torch.exp(d) - d - 1, -10.0, 10.0)


def reference_aspo_loss(
    logps: torch.Tensor,
    old_logps: torch.Tensor,
    ref_logps: torch.Tensor | None,
    entropies: torch.Tensor,
    mask: torch.Tensor,
    advantages: torch.Tensor,
    *,
    rho: float = 0.8,
    eps_knowledge: float = 0.2,
    eps_reasoning: float = 0.4,
    c: float = 3.0,
    beta: float = 0.001,
) -> tuple[torch.Tensor, dict[tuple[int, int], str]]:
    """(scalar loss in float64, {(i, t): branch}). Aggregation: verl's token-mean (TRL's ``bnpo``)."""
    batch, length = logps.shape
    total = logps[0, 0] * 0.0
    count = 0
    branches = {}
    for i in range(batch):
        valid = [t for t in range(length) if mask[i, t] > 0]
        if not valid:
            continue
        tau = _quantile_linear([float(entropies[i, t]) for t in valid], rho)
        advantage = float(advantages[i])
        for t in valid:
            eps = eps_reasoning if float(entropies[i, t]) > tau else eps_knowledge
            token_loss, branch = reference_token(logps[i, t], float(old_logps[i, t]), advantage, eps, c)
            branches[(i, t)] = branch
            if ref_logps is not None:
                token_loss = token_loss + beta * reference_kl(logps[i, t], float(ref_logps[i, t]))
            total = total + token_loss
            count += 1
    return total / max(count, 1), branches
