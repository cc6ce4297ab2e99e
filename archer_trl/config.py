"""`ArcherConfig`: TRL's `GRPOConfig` plus the Archer family's token constraints."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from trl import GRPOConfig

from .core_algos import DEFAULT_BETA_KNOWLEDGE, DEFAULT_TOKEN_ENTROPY_QUANTILE, MODES, TOKEN_CONSTRAINT_MODES
from .defaults import fill_machine_defaults

PARITY_DOC = "docs/parity.md"
TIE_RULES = ("knowledge", "reasoning")
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
    the token constraints of Archer ("Stabilizing Knowledge, Promoting Reasoning: Dual-Token Constraints for RLVR",
    arXiv 2507.15778) and of its follow-up ASPO ("ASPO: Asymmetric Importance Sampling Policy Optimization", arXiv
    2510.06062, released as Archer2.0).

    Within every sampled response, tokens whose entropy (under the policy being updated, at the sampling
    temperature) is above the response's `token_entropy_quantile` are *reasoning* tokens and get a loose clip and
    no KL; the others are *knowledge* tokens and get a tight clip and a KL penalty towards the reference model. Both
    types are updated together in one pass. What every GRPOConfig loss option does in each mode, and which ones a
    mode refuses (at construction, naming the field): docs/parity.md. Each mode's declaration (loss types, refused
    options, defaults) is in `archer_trl.core_algos.modes`.

    Three defaults differ from `GRPOConfig` so that the defaults reproduce Archer's released recipe:
    `loss_type="grpo"` (per-response averaging), `delta=10.0` (the dual clip, c = 10) and
    `use_bias_correction_kl=False` (the released KL has no importance-ratio factor). With
    `token_constraints="aspo"`, the fields left at these archer defaults take ASPO's released values instead:
    `epsilon_reasoning=0.4`, `delta=3.0` and `beta=0.001` (a value spelled out equal to the archer default is
    indistinguishable from one left unset, so it is replaced too). The aggregation stays `loss_type`'s, as in every
    mode; ASPO's released one is `loss_type="bnpo"` (verl's token-mean), which its recipes set.

    Parameters:
        > Token constraints

        token_constraints (`str`, *optional*, defaults to `"archer"`):
            Mode: `"archer"` (per-type clip ranges and KL weights), `"none"` (exactly TRL's GRPO loss),
            `"mask_80_20"` (the 80/20 baseline, arXiv 2506.01939: policy gradient only through the micro-batch's
            top `1 - token_entropy_quantile` tokens by entropy) or `"aspo"` (ASPO: Archer's typing and per-type
            clips, the flipped importance weight `1/r` for positive advantages and a soft dual clip `delta`).
        token_entropy_quantile (`float`, *optional*, defaults to `0.8`):
            rho: tokens above this entropy quantile of their response (archer, aspo; of the micro-batch in
            mask_80_20) are reasoning tokens. In (0, 1). The value is `core_algos.DEFAULT_TOKEN_ENTROPY_QUANTILE`.
        entropy_tie_rule (`str`, *optional*, defaults to `"knowledge"`):
            Type of a token whose entropy equals the threshold: `"knowledge"` (released code, `H > tau` is
            reasoning) or `"reasoning"` (paper, `H >= tau`).
        epsilon_knowledge (`float`, *optional*, defaults to `0.2`):
            Lower clip epsilon of knowledge tokens (ratio >= 1 - epsilon). In [0, 1).
        epsilon_high_knowledge (`float` or `None`, *optional*, defaults to `None`):
            Upper clip epsilon of knowledge tokens (ratio <= 1 + epsilon); None mirrors `epsilon_knowledge`.
        epsilon_reasoning (`float`, *optional*, defaults to `0.5`):
            Lower clip epsilon of reasoning tokens. In [0, 1). ASPO's released value, 0.4, in aspo mode.
        epsilon_high_reasoning (`float` or `None`, *optional*, defaults to `None`):
            Upper clip epsilon of reasoning tokens; None mirrors `epsilon_reasoning`.

        > KL to the reference model

        beta (`float` or `None`, *optional*, defaults to `None`):
            TRL's KL coefficient. None: the mode's own (archer: `max(beta_knowledge, beta_reasoning)`; aspo: 0.001,
            uniform; none and mask_80_20: TRL's 0.0). An explicit `0.0` turns every KL off, Archer's knowledge KL
            included (no reference model is loaded). In archer mode a non-zero `beta` sets `beta_knowledge` when
            that is left at its default; in the other modes it weighs every token, as in TRL.
        beta_knowledge (`float`, *optional*, defaults to `0.001`):
            archer mode: k3 KL weight on knowledge tokens. >= 0. Refused in aspo mode (use `beta`).
        beta_reasoning (`float`, *optional*, defaults to `0.0`):
            archer mode: k3 KL weight on reasoning tokens. >= 0. Refused in aspo mode.
        kl_normalization (`str`, *optional*, defaults to `"group"`):
            archer mode: `"group"` averages each type's KL over its own tokens (released code; about 1.25x the
            paper's per-token strength at rho = 0.8); `"sequence"` normalises it like the policy loss (Eq. 5).
        use_bias_correction_kl (`bool`, *optional*, defaults to `False`):
            Multiply the KL by the importance ratio (TRL's default is True; the released code does not).

        > Policy term and batches

        loss_type (`str`, *optional*, defaults to `"grpo"`):
            TRL's aggregation. Each mode accepts the loss types its declaration lists (`core_algos.MODES`). ASPO's
            released aggregation is `"bnpo"` (verl's token-mean).
        delta (`float` or `None`, *optional*, defaults to `10.0`):
            archer, mask_80_20: the dual clip c for negative advantages (TRL's ratio cap), > 1 + the largest upper
            epsilon, or None. aspo: the soft dual-clip bound c for both signs, > 1 (3.0 when left at 10.0).
        filter_zero_variance_groups (`bool`, *optional*, defaults to `False`):
            Drop prompt groups whose rewards are all equal (the released recipes' rejection sampling) and
            renormalise the loss by the kept share.
    """

    token_constraints: str = field(
        default="archer",
        metadata={
            "help": "Token-constraint mode (a registered `core_algos.MODES` entry). 'archer': dual-token constraints "
            "(per-type clip ranges and KL weights). 'none': exactly TRL's GRPO loss. 'mask_80_20': the 80/20 baseline "
            "(arXiv 2506.01939), where only tokens above the micro-batch's `token_entropy_quantile` of entropy get "
            "policy gradient, averaged over those tokens. 'aspo': ASPO / Archer2.0 (arXiv 2510.06062), Archer's "
            "per-type clips with the flipped IS weight for positive advantages and a soft dual clip `delta`.",
            "choices": list(TOKEN_CONSTRAINT_MODES),
        },
    )
    token_entropy_quantile: float = field(
        default=DEFAULT_TOKEN_ENTROPY_QUANTILE,
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
        metadata={
            "help": "Lower clip epsilon for reasoning (high-entropy) tokens: ratio >= 1 - epsilon. In [0, 1). "
            "Left at 0.5 in aspo mode, it becomes ASPO's released 0.4."
        },
    )
    epsilon_high_reasoning: float | None = field(
        default=None,
        metadata={"help": "Upper clip epsilon for reasoning tokens: ratio <= 1 + epsilon. None: epsilon_reasoning."},
    )
    beta: float | None = field(
        default=None,
        metadata={
            "help": "TRL's KL coefficient. None (default): the mode's own (archer: max(beta_knowledge, "
            "beta_reasoning); aspo: 0.001 uniform; none, mask_80_20: 0.0, TRL's default). 0.0 turns every KL off, "
            "the knowledge KL included. In archer mode a non-zero beta sets beta_knowledge when that is left at "
            "its default; in the other modes it is the uniform weight on every token, as in TRL. >= 0."
        },
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
            "then averages responses (Archer's released code; ASPO's released code uses 'bnpo'). "
            + "; ".join(f"{m.name}: {', '.join(m.loss_types)}" for m in MODES.values())
            + " (archer's cispo has per-type weight caps)."
        },
    )
    delta: float | None = field(
        default=10.0,
        metadata={
            "help": "Cap on the importance ratio (TRL's two-sided clipping); for negative advantages this is the "
            "dual clip with c = delta (released recipe: 10). Must exceed 1 + the largest upper epsilon, or None. "
            "In aspo mode it is the soft dual-clip bound c for both signs (left at 10.0, ASPO's released 3.0; > 1)."
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
        mode = MODES[self.token_constraints]
        for name, value in mode.defaults.items():  # the mode's own values for the fields left at ours
            if getattr(self, name) == _FIELD_DEFAULTS[name]:
                setattr(self, name, value)
        self.beta = self._archer_reference_beta() if self.token_constraints == "archer" else (self.beta or 0.0)
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
        if self.beta == 0.0:  # an explicit 0: no KL at all, so no reference model
            if self.beta_knowledge not in (0.0, DEFAULT_BETA_KNOWLEDGE) or self.beta_reasoning != 0.0:
                raise _invalid(
                    "beta",
                    self.beta,
                    "beta=0.0 turns the KL off, but beta_knowledge="
                    f"{self.beta_knowledge} / beta_reasoning={self.beta_reasoning} ask for one; set only the "
                    "per-type weights (beta_knowledge=0.0 also turns the knowledge KL off)",
                )
            self.beta_knowledge = 0.0
            return 0.0
        derived = max(self.beta_knowledge, self.beta_reasoning)
        if self.beta not in (None, derived) and self.beta_knowledge == DEFAULT_BETA_KNOWLEDGE:
            self.beta_knowledge = self.beta  # a TRL recipe's beta: the knowledge tokens are the anchored ones
            derived = max(self.beta_knowledge, self.beta_reasoning)
        if self.beta not in (None, self.beta_knowledge, derived):
            raise _invalid(
                "beta",
                self.beta,
                "in token_constraints='archer' mode a non-zero beta sets beta_knowledge, and beta_knowledge="
                f"{self.beta_knowledge} is also set; set only one of them (beta_reasoning for reasoning tokens), or "
                f"use token_constraints='none' for TRL's uniform KL ({PARITY_DOC})",
            )
        return derived

    def _validate_archer_fields(self) -> None:
        if self.token_constraints not in MODES:  # the registry, so a mode registered later is accepted too
            raise _invalid("token_constraints", self.token_constraints, f"allowed: {', '.join(MODES)}")
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
            value = getattr(self, name)
            if value is not None and value < 0.0:
                raise _invalid(name, value, "a KL weight must be >= 0")

    def _validate_mode_support(self) -> None:
        """Refuse what the mode's declaration refuses (`core_algos.MODES`; reasons also in docs/parity.md)."""
        mode = MODES[self.token_constraints]
        if self.loss_type not in mode.loss_types:
            why = mode.refused_loss_types.get(self.loss_type, "unknown loss type")
            raise _refused(
                "loss_type", self.loss_type, mode.name, f"{why} (allowed here: {', '.join(mode.loss_types)})"
            )
        for refusal in mode.refusals:
            if refusal.applies(self):
                raise _refused(refusal.field, getattr(self, refusal.field), mode.name, refusal.explain(self))


_FIELD_DEFAULTS = {f.name: f.default for f in fields(ArcherConfig)}
