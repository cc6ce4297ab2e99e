"""The loss math of the Archer family, as small pure functions that read beside the papers, and the mode registry.

Notation follows Archer ("Stabilizing Knowledge, Promoting Reasoning: Dual-Token Constraints for RLVR", arXiv
2507.15778, v2, Eqs. 2-5), ASPO (arXiv 2510.06062) and the semantics of the authors' released code, which is what
actually produced their results:

    tau_i   = Quantile({H_t : t valid in response i}, rho)                 per-response entropy threshold (Eq. 2)
    R_i     = {t : H_t > tau_i},  K_i = {t : H_t <= tau_i}                reasoning / knowledge tokens (ties -> K)
    Archer  l_t = max(-A r_t, -A clip(r_t, 1 - eps_t, 1 + eps_t)), capped at -c A when A < 0       (dual-clip PPO)
            L_i = 1/|o_i| sum_t l_t + beta_k sum_{K_i} k3_t / |K_i| + beta_r sum_{R_i} k3_t / |R_i|
    ASPO    A < 0:  p = max(r, 1 - eps_t);  l_t = -A p if p <= c else -A c log pi
            A >= 0: p = min(r, 1 + eps_t);  l_t = -A (p / sg(p)) / sg(p) if 1/p <= c else -A c log pi
            L = token mean of l_t + beta k3_t                                                   (verl token-mean)

All loss functions take ``(B, T)`` tensors (B responses, T completion positions) and a ``mask`` that is 1 on the
tokens that count towards the loss; none touches trainer state. Modules:

- `tokens`: entropy typing (`classify_reasoning_tokens`, the 80/20 `batch_high_entropy_mask`), and the one
  default rho, `DEFAULT_TOKEN_ENTROPY_QUANTILE`.
- `policy`: per-token policy terms (TRL's clip with per-token ranges, CISPO, SAPO, `aspo_policy_loss`, and TRL's
  uniform term `uniform_policy_term`).
- `kl`: `per_token_kl`, the one KL of the package, and Archer's per-type weights.
- `aggregation`: TRL 1.16's loss-type tables and `aggregate_loss`.
- `losses`: each mode's whole loss (`archer_loss`, `mask_80_20_loss`, `aspo_loss`) and their named `ModeOutput`.
- `modes`: the registry (`MODES`, `register_mode`, `ModeInputs`), each mode's declaration and config adapter.
- `metrics`: `TokenTypeSums`, the named sums behind every logged token mean.
"""

from __future__ import annotations

from .aggregation import (
    CLIPPED_LOSS_TYPES,
    PER_RESPONSE_LOSS_TYPES,
    SEQUENCE_WEIGHT_LOSS_TYPES,
    SOFT_GATE_LOSS_TYPES,
    TOKEN_COUNT_LOSS_TYPES,
    TRL_LOSS_TYPES,
    TRUNCATED_WEIGHT_LOSS_TYPES,
    aggregate_loss,
    aggregation_of,
    policy_loss_metric,
    responses_in_varied_groups,
)
from .kl import KLNormalization, k3_kl, kl_token_weights, per_token_kl
from .losses import ModeOutput, archer_loss, aspo_loss, mask_80_20_loss
from .metrics import TokenTypeSums, per_response_mean, token_means
from .modes import (
    ARCHER_PAPER,
    ASPO_PAPER,
    DEFAULT_BETA_KNOWLEDGE,
    MODES,
    TOKEN_CONSTRAINT_MODES,
    ModeInputs,
    Refusal,
    TokenConstraintMode,
    get_mode,
    register_mode,
)
from .policy import (
    AspoTerm,
    aspo_policy_loss,
    clipped_policy_loss,
    soft_gate_policy_loss,
    trl_clip_range,
    truncated_weight_policy_loss,
    uniform_policy_term,
)
from .tokens import (
    DEFAULT_TOKEN_ENTROPY_QUANTILE,
    TieRule,
    batch_high_entropy_mask,
    classify_reasoning_tokens,
    per_token_type_value,
    response_entropy_threshold,
)

# The loss types each token-constraint mode accepts, from its declaration (the reasons for the others: parity.md).
ARCHER_LOSS_TYPES = MODES["archer"].loss_types
MASK_80_20_LOSS_TYPES = MODES["mask_80_20"].loss_types
ASPO_LOSS_TYPES = MODES["aspo"].loss_types

__all__ = [
    "ARCHER_LOSS_TYPES",
    "ARCHER_PAPER",
    "ASPO_LOSS_TYPES",
    "ASPO_PAPER",
    "AspoTerm",
    "CLIPPED_LOSS_TYPES",
    "DEFAULT_BETA_KNOWLEDGE",
    "DEFAULT_TOKEN_ENTROPY_QUANTILE",
    "KLNormalization",
    "MASK_80_20_LOSS_TYPES",
    "MODES",
    "ModeInputs",
    "ModeOutput",
    "PER_RESPONSE_LOSS_TYPES",
    "Refusal",
    "SEQUENCE_WEIGHT_LOSS_TYPES",
    "SOFT_GATE_LOSS_TYPES",
    "TOKEN_CONSTRAINT_MODES",
    "TOKEN_COUNT_LOSS_TYPES",
    "TRL_LOSS_TYPES",
    "TRUNCATED_WEIGHT_LOSS_TYPES",
    "TieRule",
    "TokenConstraintMode",
    "TokenTypeSums",
    "aggregate_loss",
    "aggregation_of",
    "archer_loss",
    "aspo_loss",
    "aspo_policy_loss",
    "batch_high_entropy_mask",
    "classify_reasoning_tokens",
    "clipped_policy_loss",
    "get_mode",
    "k3_kl",
    "kl_token_weights",
    "mask_80_20_loss",
    "per_response_mean",
    "per_token_kl",
    "per_token_type_value",
    "policy_loss_metric",
    "register_mode",
    "response_entropy_threshold",
    "responses_in_varied_groups",
    "soft_gate_policy_loss",
    "token_means",
    "trl_clip_range",
    "truncated_weight_policy_loss",
    "uniform_policy_term",
]
