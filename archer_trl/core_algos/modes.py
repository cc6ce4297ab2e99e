"""The registry of token-constraint modes (modelled on verl's registered policy losses).

A mode is one function ``(ModeInputs, config) -> ModeOutput`` registered with what it supports: the loss types it
accepts (with a reason for each one it refuses), the other options it refuses, the defaults it gives to fields left
at ArcherConfig's own, and the paper its model card cites. `ArcherConfig` validates against the declaration,
`ArcherGRPOTrainer` dispatches through it, and docs/parity.md has one column per registered mode (its test reads
the registry). Adding a mode is one registered function here plus one column there.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from .aggregation import CLIPPED_LOSS_TYPES, SOFT_GATE_LOSS_TYPES, TRL_LOSS_TYPES, TRUNCATED_WEIGHT_LOSS_TYPES
from .kl import per_token_kl
from .losses import ModeOutput, archer_loss, aspo_loss, mask_80_20_loss
from .policy import uniform_policy_term
from .tokens import classify_reasoning_tokens

DEFAULT_BETA_KNOWLEDGE = 0.001  # Archer's paper and released recipe: the knowledge-token KL weight


@dataclass
class ModeInputs:
    """One micro-batch, as the trainer hands it to a mode (``(B, T)`` tensors unless noted).

    ``entropies`` are detached (they only select tokens). ``ref_per_token_logps`` is None without a reference model.
    ``policy_weights``: TRL's factors on the policy term (off-policy mask times vLLM's IS ratio), or None.
    ``entropy_mask``: TRL's ``top_entropy_quantile`` mask, or None. ``aggregation``: `aggregate_loss`'s keywords.
    """

    per_token_logps: torch.Tensor
    old_per_token_logps: torch.Tensor
    entropies: torch.Tensor
    mask: torch.Tensor
    advantages: torch.Tensor  # (B, 1) or (B, T)
    ref_per_token_logps: torch.Tensor | None
    policy_weights: torch.Tensor | None
    entropy_mask: torch.Tensor | None
    loss_type: str
    aggregation: dict[str, Any]


ModeFunction = Callable[[ModeInputs, Any], ModeOutput]


@dataclass(frozen=True)
class Refusal:
    """An option a mode cannot give a meaning to: ArcherConfig raises at construction when ``applies(config)``."""

    field: str
    applies: Callable[[Any], bool]
    reason: str | Callable[[Any], str]

    def explain(self, config: Any) -> str:
        return self.reason(config) if callable(self.reason) else self.reason


@dataclass(frozen=True)
class TokenConstraintMode:
    """A registered mode: its function (None: TRL's own loss) and everything it declares about itself."""

    name: str
    compute: ModeFunction | None
    loss_types: tuple[str, ...]
    refused_loss_types: dict[str, str] = field(default_factory=dict)
    refusals: tuple[Refusal, ...] = ()
    defaults: dict[str, Any] = field(default_factory=dict)
    paper: dict[str, str] | None = None  # the model card's citation (None: Archer's)
    method_name: str | None = None  # the model card's "trained with ..." when it is not Archer (also tags the card)


MODES: dict[str, TokenConstraintMode] = {}


def register_mode(name: str, **declaration: Any) -> Callable[[ModeFunction], ModeFunction]:
    """Register the decorated function as token-constraint mode ``name`` with its `TokenConstraintMode` fields."""

    def decorator(compute: ModeFunction) -> ModeFunction:
        MODES[name] = TokenConstraintMode(name, compute, **declaration)
        return compute

    return decorator


def get_mode(name: str) -> TokenConstraintMode:
    if name not in MODES:
        raise ValueError(f"token_constraints={name!r} is not a registered mode: {', '.join(MODES)}")
    return MODES[name]


# ----------------------------------------------------------------------------------- declarations shared by modes

_SEQUENCE_LEVEL = Refusal(
    "importance_sampling_level",
    lambda c: c.importance_sampling_level != "token",
    "token types need token-level ratios; a sequence-level ratio (GSPO, LUSPO) is one number per response, with no "
    "token to type or mask, so it is only available with token_constraints='none'",
)
_SAPO = (
    "SAPO's soft gate has no PPO clip range to set per token type (a per-type variant would need per-type gate "
    "temperatures, which neither paper defines); use token_constraints='mask_80_20' or 'none'"
)
_VESPO = (
    "VESPO has no PPO clip: it weights whole responses by one gamma weight of the sequence ratio, so there is no "
    "per-token range to type or mask; use token_constraints='none'"
)


def _largest_upper_epsilon(config: Any) -> float:
    if config.token_constraints == "archer":
        return max(config.effective_epsilon_high_knowledge, config.effective_epsilon_high_reasoning)
    return config.epsilon if config.epsilon_high is None else config.epsilon_high


_DUAL_CLIP_ABOVE_UPPER_EPSILON = Refusal(
    "delta",
    lambda c: c.delta is not None and c.loss_type in CLIPPED_LOSS_TYPES and c.delta <= 1.0 + _largest_upper_epsilon(c),
    lambda c: (
        f"the dual clip must exceed 1 + the largest upper epsilon ({1.0 + _largest_upper_epsilon(c)}), "
        "otherwise it also clips positive advantages; use None to disable it"
    ),
)


def _citation(key: str, title: str, authors: str, arxiv_id: str) -> str:
    return textwrap.dedent(f"""\
        @article{{{key},
            title        = {{{{{title}}}}},
            author       = {{{authors}}},
            year         = 2025,
            eprint       = {{arXiv:{arxiv_id}}},
        }}""")


_ARCHER_TITLE = "Stabilizing Knowledge, Promoting Reasoning: Dual-Token Constraints for RLVR"
ARCHER_PAPER = {
    "title": _ARCHER_TITLE,
    "id": "2507.15778",
    "citation": _citation(
        "wang2025archer",
        _ARCHER_TITLE,
        "Jiakang Wang and Runze Liu and Fuzheng Zhang and Xiu Li and Guorui Zhou and Ling Pan",
        "2507.15778",
    ),
}
_ASPO_TITLE = "ASPO: Asymmetric Importance Sampling Policy Optimization"
ASPO_PAPER = {
    "title": _ASPO_TITLE,
    "id": "2510.06062",
    "citation": _citation(
        "wang2025aspo",
        _ASPO_TITLE,
        "Jiakang Wang and Runze Liu and Lei Lin and Wenping Hu and Xiu Li and Fuzheng Zhang and Guorui Zhou and Kun Gai",
        "2510.06062",
    ),
}


def _with_trl_entropy_mask(inputs: ModeInputs) -> tuple[torch.Tensor | None, torch.Tensor]:
    """TRL's ``top_entropy_quantile`` mask multiplies the policy term, and the entropy bonus uses the same tokens."""
    if inputs.entropy_mask is None:
        return inputs.policy_weights, inputs.mask
    weights = inputs.entropy_mask if inputs.policy_weights is None else inputs.policy_weights * inputs.entropy_mask
    return weights, inputs.mask * inputs.entropy_mask


def _typed_loss_arguments(inputs: ModeInputs, config: Any) -> tuple[dict[str, Any], torch.Tensor]:
    """What every entropy-typed loss (`archer_loss`, `aspo_loss`) takes alike, and the entropy bonus's tokens."""
    policy_weights, bonus_mask = _with_trl_entropy_mask(inputs)
    arguments = {
        "per_token_logps": inputs.per_token_logps,
        "old_per_token_logps": inputs.old_per_token_logps,
        "entropies": inputs.entropies,
        "mask": inputs.mask,
        "advantages": inputs.advantages,
        "quantile": config.token_entropy_quantile,
        "epsilon_knowledge": (config.epsilon_knowledge, config.effective_epsilon_high_knowledge),
        "epsilon_reasoning": (config.epsilon_reasoning, config.effective_epsilon_high_reasoning),
        "ties": config.entropy_tie_rule,
        "ref_per_token_logps": inputs.ref_per_token_logps,
        "kl_importance_correction": config.use_bias_correction_kl,
        "policy_weights": policy_weights,
        "loss_type": inputs.loss_type,
        **inputs.aggregation,
    }
    return arguments, bonus_mask


# ----------------------------------------------------------------------------------- the modes


@register_mode(
    "archer",
    loss_types=CLIPPED_LOSS_TYPES + TRUNCATED_WEIGHT_LOSS_TYPES,
    refused_loss_types={"sapo": _SAPO, "vespo": _VESPO},
    refusals=(_SEQUENCE_LEVEL, _DUAL_CLIP_ABOVE_UPPER_EPSILON),
    paper=ARCHER_PAPER,
)
def archer_mode(inputs: ModeInputs, config: Any) -> ModeOutput:
    """Archer (arXiv 2507.15778): per-type clip ranges and per-type KL weights, `archer_loss`."""
    arguments, bonus_mask = _typed_loss_arguments(inputs, config)
    out = archer_loss(
        **arguments,
        delta=config.delta,
        beta_knowledge=config.beta_knowledge,
        beta_reasoning=config.beta_reasoning,
        kl_normalization=config.kl_normalization,
    )
    out.bonus_mask = bonus_mask
    return out


MODES["none"] = TokenConstraintMode("none", None, TRL_LOSS_TYPES, paper=ARCHER_PAPER)  # TRL's own _compute_loss


@register_mode(
    "mask_80_20",
    loss_types=CLIPPED_LOSS_TYPES + TRUNCATED_WEIGHT_LOSS_TYPES + SOFT_GATE_LOSS_TYPES,
    refused_loss_types={"vespo": _VESPO},
    refusals=(
        _SEQUENCE_LEVEL,
        Refusal(
            "top_entropy_quantile",
            lambda c: c.top_entropy_quantile != 1.0,
            "mask_80_20 already is the entropy mask (its share is 1 - token_entropy_quantile); a second mask would "
            "stack on it. Leave it at 1.0, or use it with token_constraints='archer' or 'none'",
        ),
        _DUAL_CLIP_ABOVE_UPPER_EPSILON,
    ),
    paper=ARCHER_PAPER,
)
def mask_80_20_mode(inputs: ModeInputs, config: Any) -> ModeOutput:
    """The 80/20 baseline (arXiv 2506.01939) on TRL's uniform policy term and TRL's uniform ``beta`` KL."""
    log_ratio = inputs.per_token_logps - inputs.old_per_token_logps
    per_token_loss, clip_masks = uniform_policy_term(
        inputs.per_token_logps, log_ratio, inputs.advantages, inputs.loss_type, config
    )
    if inputs.policy_weights is not None:
        per_token_loss = per_token_loss * inputs.policy_weights
    kl = None
    if inputs.ref_per_token_logps is not None:
        kl = per_token_kl(
            inputs.per_token_logps,
            inputs.ref_per_token_logps,
            log_ratio=log_ratio,
            bias_correction=config.use_bias_correction_kl,
        )
    loss, selected = mask_80_20_loss(
        per_token_loss,
        inputs.entropies,
        inputs.mask,
        quantile=config.token_entropy_quantile,
        loss_type=inputs.loss_type,
        per_token_kl=kl,
        beta=config.beta,
        **inputs.aggregation,
    )
    selected_mask = inputs.mask * selected
    # The selection is batch-wide; the logged types stay Archer's per-response split, as in every mode.
    typed = classify_reasoning_tokens(
        inputs.entropies, inputs.mask, config.token_entropy_quantile, config.entropy_tie_rule
    )
    counts = {"archer/selected_token_fraction": selected_mask.sum()}
    return ModeOutput(loss, typed, clip_masks, kl, bonus_mask=selected_mask, token_counts=counts)


_ASPO_FIELDS_WITHOUT_MEANING = (
    Refusal(
        "beta_knowledge",
        lambda c: c.beta_knowledge != DEFAULT_BETA_KNOWLEDGE,
        "ASPO's KL is TRL's uniform `beta` on every token (released: 0.001); there is no per-type KL. Set beta",
    ),
    Refusal(
        "beta_reasoning",
        lambda c: c.beta_reasoning != 0.0,
        "ASPO's KL is TRL's uniform `beta` on every token; there is no per-type KL. Set beta",
    ),
    Refusal(
        "kl_normalization",
        lambda c: c.kl_normalization != "group",
        "ASPO's uniform KL is aggregated like the policy term (loss_type); there is no per-type KL to normalise",
    ),
)


@register_mode(
    "aspo",
    loss_types=CLIPPED_LOSS_TYPES,
    refused_loss_types={
        "cispo": "ASPO is its own per-token policy term; CISPO's truncated weight would replace it. ASPO's released "
        "aggregation is loss_type='bnpo' (verl's token-mean)",
        "sapo": "ASPO is its own per-token policy term; SAPO's soft gate would replace it",
        "vespo": _VESPO,
    },
    refusals=(
        _SEQUENCE_LEVEL,
        Refusal(
            "delta",
            lambda c: c.delta is None or c.delta <= 1.0,
            "in aspo mode delta is the soft dual-clip bound c for both signs (released: 3.0); it must exceed 1, since "
            "1/c bounds positive-advantage ratios from below and c negative ones from above",
        ),
        *_ASPO_FIELDS_WITHOUT_MEANING,
    ),
    # Left at ArcherConfig's archer values, these take ASPO's released ones. The aggregation stays the user's
    # (ArcherConfig's "grpo"): it is shared by every mode; the released "bnpo" is set by the aspo recipes.
    defaults={"epsilon_reasoning": 0.4, "delta": 3.0, "beta": 0.001},
    paper=ASPO_PAPER,
    method_name="ASPO",
)
def aspo_mode(inputs: ModeInputs, config: Any) -> ModeOutput:
    """ASPO / Archer2.0 (arXiv 2510.06062): `aspo_loss` with ``c = delta`` and TRL's uniform ``beta`` KL."""
    arguments, bonus_mask = _typed_loss_arguments(inputs, config)
    out = aspo_loss(**arguments, dual_clip=config.delta, beta=config.beta)
    out.bonus_mask = bonus_mask
    return out


TOKEN_CONSTRAINT_MODES = tuple(MODES)
