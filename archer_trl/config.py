"""`ArcherConfig`: TRL's `GRPOConfig` plus Archer's dual-token constraints."""

from __future__ import annotations

from dataclasses import dataclass, field

from trl import GRPOConfig

from .core_algos import ARCHER_LOSS_TYPES, CLIPPED_LOSS_TYPES, MASK_80_20_LOSS_TYPES
from .defaults import fill_machine_defaults

TOKEN_CONSTRAINT_MODES = ("archer", "none", "mask_80_20")
LOSS_TYPES_BY_MODE = {"archer": ARCHER_LOSS_TYPES, "mask_80_20": MASK_80_20_LOSS_TYPES}
PARITY_DOC = "docs/parity.md"
TIE_RULES = ("knowledge", "reasoning")
DEFAULT_BETA_KNOWLEDGE = 0.001  # the paper's and the released recipe's knowledge-token KL weight
KL_NORMALIZATIONS = ("group", "sequence")


def _invalid(field_name: str, value: object, allowed: str) -> ValueError:
    return ValueError(f"ArcherConfig.{field_name}={value!r} is invalid: {allowed}.")


def _refused(field_name: str, value: object, mode: str, reason: str) -> ValueError:
    """A GRPOConfig option that this token-constraint mode does not support, with why and what to use instead."""
    return ValueError(
        f"ArcherConfig.{field_name}={value!r} is refused with token_constraints={mode!r}: {reason}. "
        f"Every GRPOConfig loss option, mode by mode: {PARITY_DOC}."
    )


@dataclass
class ArcherConfig(GRPOConfig):
    r"""
    Configuration for [`ArcherGRPOTrainer`]: every [`~trl.GRPOConfig`] option keeps its meaning, and these fields add
    Archer's dual-token constraints ("Stabilizing Knowledge, Promoting Reasoning: Dual-Token Constraints for RLVR",
    arXiv 2507.15778).

    Within every sampled response, tokens whose entropy (under the policy being updated, at the sampling
    temperature) is above the response's `token_entropy_quantile` are *reasoning* tokens and get a loose clip and
    no KL; the others are *knowledge* tokens and get a tight clip and a KL penalty towards the reference model. Both
    types are updated together in one pass.

    Three defaults differ from `GRPOConfig` so that the defaults reproduce the authors' released recipe:
    `loss_type="grpo"` (per-response averaging), `delta=10.0` (the dual clip, c = 10) and
    `use_bias_correction_kl=False` (the released KL has no importance-ratio factor).

    In `token_constraints="archer"` mode the KL weights are `beta_knowledge` and `beta_reasoning`. A non-zero TRL
    `beta` is the knowledge-token weight when `beta_knowledge` is left at its default (so `beta=0.04` from a TRL
    recipe means `beta_knowledge=0.04, beta_reasoning=0.0`; a different explicit `beta_knowledge` is refused as
    ambiguous); afterwards `beta` holds `max(beta_knowledge, beta_reasoning)`, which is what makes TRL load the
    reference model. In the `"none"` and `"mask_80_20"` modes, TRL's `epsilon`, `epsilon_high` and `beta` apply
    uniformly and the per-type fields are ignored. What every GRPOConfig loss option does in each mode, and which
    ones a mode refuses (at construction): docs/parity.md.
    """

    token_constraints: str = field(
        default="archer",
        metadata={
            "help": "Token-constraint mode. 'archer': dual-token constraints (per-type clip ranges and KL weights). "
            "'none': exactly TRL's GRPO loss. 'mask_80_20': the 80/20 baseline (arXiv 2506.01939), where only "
            "tokens above the micro-batch's `token_entropy_quantile` of entropy get policy gradient, averaged over "
            "those tokens.",
            "choices": list(TOKEN_CONSTRAINT_MODES),
        },
    )
    token_entropy_quantile: float = field(
        default=0.8,
        metadata={
            "help": "Quantile rho of token entropy, taken per response over its valid completion tokens (Archer) or "
            "over the micro-batch (mask_80_20). Tokens above it are reasoning tokens. Must be in (0, 1)."
        },
    )
    entropy_tie_rule: str = field(
        default="knowledge",
        metadata={
            "help": "Type of a token whose entropy equals the threshold. 'knowledge' (released code: reasoning iff "
            "H > tau, so one-token or constant-entropy responses are all knowledge) or 'reasoning' (paper: H >= tau).",
            "choices": list(TIE_RULES),
        },
    )
    epsilon_knowledge: float = field(
        default=0.2,
        metadata={"help": "Lower clip epsilon for knowledge (low-entropy) tokens: ratio >= 1 - epsilon. In [0, 1)."},
    )
    epsilon_high_knowledge: float | None = field(
        default=None,
        metadata={"help": "Upper clip epsilon for knowledge tokens: ratio <= 1 + epsilon. None: epsilon_knowledge."},
    )
    epsilon_reasoning: float = field(
        default=0.5,
        metadata={"help": "Lower clip epsilon for reasoning (high-entropy) tokens: ratio >= 1 - epsilon. In [0, 1)."},
    )
    epsilon_high_reasoning: float | None = field(
        default=None,
        metadata={"help": "Upper clip epsilon for reasoning tokens: ratio <= 1 + epsilon. None: epsilon_reasoning."},
    )
    beta_knowledge: float = field(
        default=DEFAULT_BETA_KNOWLEDGE,
        metadata={
            "help": "Weight of the k3 KL penalty towards the reference model on knowledge tokens. >= 0. Left at its "
            "default, a non-zero TRL `beta` sets it (archer mode)."
        },
    )
    beta_reasoning: float = field(
        default=0.0,
        metadata={"help": "Weight of the k3 KL penalty towards the reference model on reasoning tokens. >= 0."},
    )
    kl_normalization: str = field(
        default="group",
        metadata={
            "help": "How each token type's KL is averaged. 'group' (released code): over that type's own tokens in "
            "the response, so with rho = 0.8 the knowledge KL acts about 1.25x stronger per token than written in "
            "the paper. 'sequence' (paper Eq. 5): per token, normalised like the policy loss.",
            "choices": list(KL_NORMALIZATIONS),
        },
    )
    filter_zero_variance_groups: bool = field(
        default=False,
        metadata={
            "help": "Drop prompt groups whose rewards are all equal (the released recipe's 'rejection sampling'): "
            "they carry no policy signal, so they contribute neither policy loss nor KL, and the loss is "
            "renormalised by the share of kept responses. Logged as 'archer/dropped_group_fraction'."
        },
    )
    # Defaults that reproduce the released recipe (help texts restate TRL's meaning).
    loss_type: str = field(
        default="grpo",
        metadata={
            "help": "Loss aggregation, as in GRPOConfig. Archer's default 'grpo' averages each response's tokens, "
            f"then averages responses (the released code). archer mode: {', '.join(ARCHER_LOSS_TYPES)} (cispo with "
            f"per-type weight caps); mask_80_20: {', '.join(MASK_80_20_LOSS_TYPES)}; none: all of TRL's."
        },
    )
    delta: float | None = field(
        default=10.0,
        metadata={
            "help": "Cap on the importance ratio (TRL's two-sided clipping); for negative advantages this is the "
            "dual clip with c = delta (released recipe: 10). Must exceed 1 + the largest upper epsilon, or None."
        },
    )
    use_bias_correction_kl: bool = field(
        default=False,
        metadata={
            "help": "Multiply the KL by the importance ratio (TRL's bias-corrected estimator). The released Archer "
            "code does not, hence False."
        },
    )

    def __post_init__(self):
        fill_machine_defaults(self)  # bf16 only where the hardware has it; a generation batch that holds the groups
        # GRPOConfig defaults `gradient_checkpointing=True`, which transformers >= 5.23 deprecates in favour of
        # `activation_checkpointing` with a FutureWarning on every config; carry the value over to the new name.
        if getattr(self, "activation_checkpointing", False) is None and self.gradient_checkpointing is not None:
            self.activation_checkpointing, self.gradient_checkpointing = self.gradient_checkpointing, None
        self._validate_archer_fields()
        if self.token_constraints == "archer":
            self.beta = self._archer_reference_beta()
        self._validate_mode_support()
        super().__post_init__()

    @property
    def effective_epsilon_high_knowledge(self) -> float:
        return self.epsilon_knowledge if self.epsilon_high_knowledge is None else self.epsilon_high_knowledge

    @property
    def effective_epsilon_high_reasoning(self) -> float:
        return self.epsilon_reasoning if self.epsilon_high_reasoning is None else self.epsilon_high_reasoning

    def _archer_reference_beta(self) -> float:
        """Resolve TRL's `beta` against the per-type weights (see the class docstring) and return the derived one."""
        derived = max(self.beta_knowledge, self.beta_reasoning)
        if self.beta not in (0.0, derived) and self.beta_knowledge == DEFAULT_BETA_KNOWLEDGE:
            self.beta_knowledge = self.beta  # a TRL recipe's beta: the knowledge tokens are the anchored ones
            derived = max(self.beta_knowledge, self.beta_reasoning)
        if self.beta not in (0.0, self.beta_knowledge, derived):
            raise _invalid(
                "beta",
                self.beta,
                "in token_constraints='archer' mode a non-zero beta sets beta_knowledge, and beta_knowledge="
                f"{self.beta_knowledge} is also set; set only one of them (beta_reasoning for reasoning tokens), or "
                f"use token_constraints='none' for TRL's uniform KL ({PARITY_DOC})",
            )
        return derived

    def _validate_archer_fields(self) -> None:
        if self.token_constraints not in TOKEN_CONSTRAINT_MODES:
            raise _invalid(
                "token_constraints", self.token_constraints, f"allowed: {', '.join(TOKEN_CONSTRAINT_MODES)}"
            )
        if not 0.0 < self.token_entropy_quantile < 1.0:
            raise _invalid("token_entropy_quantile", self.token_entropy_quantile, "it must lie strictly in (0, 1)")
        if self.entropy_tie_rule not in TIE_RULES:
            raise _invalid("entropy_tie_rule", self.entropy_tie_rule, f"allowed: {', '.join(TIE_RULES)}")
        if self.kl_normalization not in KL_NORMALIZATIONS:
            raise _invalid("kl_normalization", self.kl_normalization, f"allowed: {', '.join(KL_NORMALIZATIONS)}")
        for name in ("epsilon_knowledge", "epsilon_reasoning"):
            value = getattr(self, name)
            if not 0.0 <= value < 1.0:
                raise _invalid(name, value, "a lower clip epsilon must lie in [0, 1) so that 1 - epsilon > 0")
        for name in ("epsilon_high_knowledge", "epsilon_high_reasoning"):
            value = getattr(self, name)
            if value is not None and value < 0.0:
                raise _invalid(name, value, "an upper clip epsilon must be >= 0 (or None to mirror the lower one)")
        for name in ("beta_knowledge", "beta_reasoning", "beta"):
            if getattr(self, name) < 0.0:
                raise _invalid(name, getattr(self, name), "a KL weight must be >= 0")

    def _validate_mode_support(self) -> None:
        """Refuse the GRPOConfig options this mode cannot give a meaning to (reasons: docs/parity.md)."""
        mode = self.token_constraints
        if mode == "none":
            return
        if self.loss_type not in LOSS_TYPES_BY_MODE[mode]:
            why = {
                "sapo": "SAPO's soft gate has no PPO clip range to set per token type (a per-type variant would need "
                "per-type gate temperatures, which neither paper defines); use token_constraints='mask_80_20' or "
                "'none'",
                "vespo": "VESPO has no PPO clip: it weights whole responses by one gamma weight of the sequence "
                "ratio, so there is no per-token range to type or mask; use token_constraints='none'",
            }.get(self.loss_type, "unknown loss type")
            allowed = ", ".join(LOSS_TYPES_BY_MODE[mode])
            raise _refused("loss_type", self.loss_type, mode, f"{why} (allowed here: {allowed})")
        if self.importance_sampling_level != "token":
            raise _refused(
                "importance_sampling_level",
                self.importance_sampling_level,
                mode,
                "token types need token-level ratios; a sequence-level ratio (GSPO, LUSPO) is one number per "
                "response, with no token to type or mask, so it is only available with token_constraints='none'",
            )
        if mode == "mask_80_20" and self.top_entropy_quantile != 1.0:
            raise _refused(
                "top_entropy_quantile",
                self.top_entropy_quantile,
                mode,
                "mask_80_20 already is the entropy mask (its share is 1 - token_entropy_quantile); a second mask "
                "would stack on it. Leave it at 1.0, or use it with token_constraints='archer' or 'none'",
            )
        if self.delta is not None and self.loss_type in CLIPPED_LOSS_TYPES:
            if mode == "archer":
                largest_high = max(self.effective_epsilon_high_knowledge, self.effective_epsilon_high_reasoning)
            else:
                largest_high = self.epsilon if self.epsilon_high is None else self.epsilon_high
            if self.delta <= 1.0 + largest_high:
                raise _invalid(
                    "delta",
                    self.delta,
                    f"the dual clip must exceed 1 + the largest upper epsilon ({1.0 + largest_high}), otherwise it "
                    "also clips positive advantages; use None to disable it",
                )
