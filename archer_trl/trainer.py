"""`ArcherGRPOTrainer`: TRL's `GRPOTrainer` with Archer's dual-token constraints in the loss."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch
from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR
from trl import GRPOConfig, GRPOTrainer
from trl.trainer.utils import nanmax, nanmin

from . import core_algos, vllm_compat
from .config import ArcherConfig


class ArcherGRPOTrainer(GRPOTrainer):
    """GRPO with the Archer family's token constraints: Archer (arXiv 2507.15778), ASPO (arXiv 2510.06062), and the
    80/20 baseline, each a registered mode of `core_algos.MODES` (`ArcherConfig.token_constraints`).

    Construct it exactly like `trl.GRPOTrainer`, with an [`ArcherConfig`]. Generation, rewards, advantages, vLLM,
    DeepSpeed, PEFT and logging stay TRL's; the loss math lives in [`archer_trl.core_algos`]; this class is the
    TRL plumbing. What each GRPOConfig option does in each mode: docs/parity.md.

    TRL hooks overridden, and why:

    - `__init__`: requires an `ArcherConfig` (a plain `GRPOConfig` would silently train GRPO), names the mode's
      paper on the model card and, only with `use_vllm` on a CPU vLLM build, repairs TRL's weight sync.
    - `_compute_loss`: gathers TRL's inputs into `core_algos.ModeInputs`, calls the mode's registered function, adds
      TRL's entropy bonus, adaptive entropy control and MoE aux loss (the block mirrored from TRL 1.16) and logs
      every metric TRL's loss logs, under TRL's keys, plus the per-type and per-mode ones. In `"none"` mode, TRL's
      own `_compute_loss`, plus the per-type metrics.
    - `_calculate_rewards` and `_generate_and_score_completions`: keep the per-function rewards so that
      `filter_zero_variance_groups` can mask groups whose rewards are all equal after TRL has scored them.
    - `_save_checkpoint`: also copies the model card into each checkpoint folder, so a checkpoint is a Hub repo.
    """

    _tag_names = ["trl", "grpo", "archer"]
    _name = "Archer"
    _paper = core_algos.ARCHER_PAPER

    def __init__(self, model, reward_funcs=None, args: ArcherConfig | None = None, *pos_args, **kwargs):
        if args is None:
            name = model if isinstance(model, str) else getattr(model.config, "_name_or_path", "model")
            args = ArcherConfig(f"{str(name).rstrip('/').split('/')[-1]}-Archer")
        elif not isinstance(args, ArcherConfig):
            kind = "a GRPOConfig" if isinstance(args, GRPOConfig) else type(args).__name__
            raise TypeError(
                f"ArcherGRPOTrainer needs args=ArcherConfig(...), got {kind}. ArcherConfig accepts every GRPOConfig "
                "option; token_constraints='none' reproduces GRPOTrainer's loss."
            )
        mode = core_algos.get_mode(args.token_constraints)
        if mode.method_name:  # the model card names and cites the paper that was trained, and tags the mode
            self._name, self._tag_names = mode.method_name, [*self._tag_names, mode.name]
        self._paper = mode.paper or core_algos.ARCHER_PAPER
        with vllm_compat.vllm_cpu_support(self, args):  # no-op unless use_vllm; repairs weight sync on CPU only
            super().__init__(model, reward_funcs, args, *pos_args, **kwargs)
        self._last_rewards_per_func: torch.Tensor | None = None

    def _save_checkpoint(self, model, trial):
        super()._save_checkpoint(model, trial)  # TRL writes the model card to output_dir/README.md first
        card = Path(self.args.output_dir) / "README.md"
        checkpoint = Path(self._get_output_dir(trial=trial)) / f"{PREFIX_CHECKPOINT_DIR}-{self.state.global_step}"
        if self.args.should_save and card.exists() and checkpoint.is_dir():
            shutil.copyfile(card, checkpoint / "README.md")  # so that a checkpoint folder is a complete Hub repo

    # ------------------------------------------------------------------ zero-variance group filtering

    def _calculate_rewards(self, inputs, prompts, completions, completion_ids_list):
        rewards_per_func = super()._calculate_rewards(inputs, prompts, completions, completion_ids_list)
        self._last_rewards_per_func = rewards_per_func  # gathered over processes: (B_global, n_funcs)
        return rewards_per_func

    def _generate_and_score_completions(self, inputs):
        output = super()._generate_and_score_completions(inputs)
        if self.args.filter_zero_variance_groups and self.model.training:
            self._drop_zero_variance_groups(output)
        return output

    def _drop_zero_variance_groups(self, output: dict[str, Any]) -> None:
        """Mask out every response of a prompt group whose rewards are all equal, as the released recipe does.

        TRL's batches have fixed shapes, so instead of removing rows (and refilling, which the released code does
        not do either), their loss mask is zeroed and the loss renormalised by the kept share.
        """
        keep_global = core_algos.responses_in_varied_groups(
            self._last_rewards_per_func, self.reward_weights, self.num_generations
        )
        local = output["completion_mask"].size(0)
        start = self.accelerator.process_index * local
        keep = keep_global[start : start + local].to(output["completion_mask"].dtype)

        output["completion_mask"] = output["completion_mask"] * keep.unsqueeze(1)
        if "tool_mask" in output:
            output["tool_mask"] = output["tool_mask"] * keep.unsqueeze(1)
        loss_mask = output["completion_mask"] * output.get("tool_mask", 1)
        output["num_items_in_batch"] = self.accelerator.gather(loss_mask.sum()).sum()
        kept_fraction = keep_global.float().mean()
        # 0-dim, so TRL's shuffle/split pass it to every micro-batch unchanged.
        output["archer_kept_fraction"] = kept_fraction.clamp(min=1.0 / keep_global.numel())
        self._metrics["train"]["archer/dropped_group_fraction"].append(1.0 - kept_fraction.item())

    def _renormalize_for_dropped_groups(self, loss: torch.Tensor, inputs: dict[str, Any]) -> torch.Tensor:
        kept_fraction = inputs.get("archer_kept_fraction")
        if kept_fraction is None or self.loss_type not in core_algos.PER_RESPONSE_LOSS_TYPES:
            return loss  # token-count normalisers (dapo, bnpo, ...) already count only kept tokens
        return loss / kept_fraction

    # ------------------------------------------------------------------ loss

    def _compute_loss(self, model, inputs):
        mode = core_algos.get_mode(self.args.token_constraints)
        if mode.compute is None:  # "none": TRL's own loss
            return self._renormalize_for_dropped_groups(self._trl_loss_with_token_type_metrics(model, inputs), inputs)

        completion_ids, completion_mask = inputs["completion_ids"], inputs["completion_mask"]
        mask = _loss_mask(inputs)
        per_token_logps, entropies, aux_loss = self._get_per_token_logps_and_entropies(
            model,
            torch.cat([inputs["prompt_ids"], completion_ids], dim=1),
            torch.cat([inputs["prompt_mask"], completion_mask], dim=1),
            completion_ids.size(1),
            compute_entropy=True,
            compute_aux_loss=self.aux_loss_enabled,
            **{key: inputs.get(key) for key in _MULTIMODAL_KEYS},
        )
        typed = entropies.detach()  # entropy selects tokens; its gradient path is only the entropy bonus
        old_per_token_logps = inputs.get("old_per_token_logps")
        if old_per_token_logps is None:
            old_per_token_logps = per_token_logps.detach()
        advantages = _per_token_advantages(inputs)
        entropy_mask = None
        if self.top_entropy_quantile < 1.0:  # TRL's own mask, a collective: every rank calls it
            entropy_mask = self.get_high_entropy_mask(typed, mask, 1 - self.top_entropy_quantile)
        out = mode.compute(
            core_algos.ModeInputs(
                per_token_logps=per_token_logps,
                old_per_token_logps=old_per_token_logps,
                entropies=typed,
                mask=mask,
                advantages=advantages,
                ref_per_token_logps=inputs.get("ref_per_token_logps") if self.beta != 0.0 else None,
                policy_weights=self._policy_weights(inputs, advantages, per_token_logps, old_per_token_logps, mask),
                entropy_mask=entropy_mask,
                loss_type=self.loss_type,
                aggregation=self._aggregation_kwargs(inputs),
            ),
            self.args,
        )
        loss = self._renormalize_for_dropped_groups(out.loss, inputs)
        loss = self._add_trl_extra_terms(loss, entropies, mask if out.bonus_mask is None else out.bonus_mask, aux_loss)
        self._log_loss_metrics(mask, out.reasoning_mask, typed, out.clip_masks, out.per_token_kl, out.token_counts)
        return loss

    # ------------------------------------------------------------------ mirrored from TRL 1.16's loss tail
    # GRPOTrainer._compute_loss (trl 1.16.0, grpo_trainer.py) adds these after its policy and KL terms; a mode's
    # loss replaces only those, so the entropy bonus, its adaptive controller and the MoE aux loss are mirrored here,
    # with TRL's semantics. Re-check this block against TRL's when upgrading.

    def _add_trl_extra_terms(self, loss, entropies, bonus_mask, aux_loss):
        """TRL 1.16's terms on top of its policy loss, applied on top of ours with TRL's semantics: the entropy bonus
        (static or Skywork-OR1's adaptive controller, state carried in `entropy_coef` / `_last_world_entropy` so
        TRL's checkpointing saves it) over the tokens the policy term acts on, and the MoE router aux loss."""
        mode = "train" if self.model.training else "eval"
        accumulation = self.current_gradient_accumulation_steps if mode == "train" else 1
        if self._entropy_bonus_enabled:
            policy_loss = core_algos.policy_loss_metric(loss, self.loss_type, accumulation)
            self._metrics[mode]["policy_loss"].append(self.accelerator.gather(policy_loss).nanmean().item())
            bonus_mask = bonus_mask.to(entropies.dtype)
            mean_entropy = (entropies * bonus_mask).sum() / bonus_mask.sum().clamp(min=1.0)
            coef = self.entropy_coef
            if self.use_adaptive_entropy and self._last_world_entropy > self.args.entropy_target:
                coef = 0.0  # the coefficient of the previous optimizer step applies to the whole window
            loss = loss - coef * mean_entropy / accumulation
            if self.use_adaptive_entropy and mode == "train":
                self._update_adaptive_entropy(entropies, bonus_mask)
            if mode == "train" and self.accelerator.sync_gradients:
                self._metrics[mode]["entropy_coef"].append(self.entropy_coef)
        if self.aux_loss_enabled:
            loss = loss + self.router_aux_loss_coef * aux_loss / accumulation
            self._metrics[mode]["aux_loss"].append(self.accelerator.gather_for_metrics(aux_loss).mean().item())
        return loss

    def _update_adaptive_entropy(self, entropies, bonus_mask):
        """TRL's controller: window-global token-mean entropy at each optimizer step moves `entropy_coef` one step."""
        stats = torch.stack([(entropies * bonus_mask).sum(), bonus_mask.sum()]).detach()
        window = self._entropy_window_stats
        self._entropy_window_stats = stats if window is None else window + stats
        if not self.accelerator.sync_gradients:
            return
        totals = self.accelerator.reduce(self._entropy_window_stats, reduction="sum")
        world_entropy = (totals[0] / totals[1].clamp(min=1.0)).item()
        if world_entropy <= self.args.entropy_target:
            self.entropy_coef = min(self.entropy_coef + self.args.entropy_coef_delta, self.args.entropy_coef_max)
        else:
            self.entropy_coef = max(self.entropy_coef - self.args.entropy_coef_delta, self.args.entropy_coef_min)
        self._last_world_entropy = world_entropy
        self._entropy_window_stats = None

    def _trl_loss_with_token_type_metrics(self, model, inputs):
        """TRL's own loss (it logs its own metrics), plus the per-type metrics Archer mode logs.

        The log-probs and entropies come from the forward pass TRL's loss already makes, so baselines are measured
        exactly like Archer at no extra cost. The clip fractions use TRL's uniform range (`epsilon`, `epsilon_high`).
        """
        with _recorded_forward(self) as forwards:
            loss = super()._compute_loss(model, inputs)
        if not forwards or forwards[-1][1] is None:
            return loss
        per_token_logps, entropies = forwards[-1][0].detach(), forwards[-1][1].detach()
        mask = _loss_mask(inputs)
        reasoning = core_algos.classify_reasoning_tokens(
            entropies, mask, self.args.token_entropy_quantile, self.args.entropy_tie_rule
        )
        old_per_token_logps = inputs.get("old_per_token_logps")
        if old_per_token_logps is None:
            old_per_token_logps = per_token_logps
        log_ratio, clip_masks = per_token_logps - old_per_token_logps, None
        if self.importance_sampling_level == "token" and self.loss_type not in core_algos.SEQUENCE_WEIGHT_LOSS_TYPES:
            advantages = _per_token_advantages(inputs)
            _, clip_masks = core_algos.uniform_policy_term(
                per_token_logps, log_ratio, advantages, self.loss_type, self.args
            )
        if self.importance_sampling_level == "sequence":  # TRL's KL bias correction then uses the sequence ratio
            log_ratio = ((log_ratio * mask).sum(-1) / mask.sum(-1).clamp(min=1.0)).unsqueeze(-1)
        correct, ref = self.args.use_bias_correction_kl, inputs.get("ref_per_token_logps")
        kl = None if self.beta == 0.0 else core_algos.per_token_kl(per_token_logps, ref, log_ratio, correct)
        self._log_loss_metrics(mask, reasoning, entropies, clip_masks, kl, trl_logged=True)
        return loss

    def _policy_weights(self, inputs, advantages, per_token_logps, old_per_token_logps, mask):
        """TRL's multiplicative factors on the policy term: the off-policy mask and vLLM's IS correction."""
        weights = None
        if self.off_policy_mask_threshold is not None:
            weights = self.get_off_policy_mask(
                advantages=advantages,
                per_token_logps=per_token_logps,
                sampling_per_token_logps=inputs.get("sampling_per_token_logps", old_per_token_logps),
                mask=mask,
                off_policy_threshold=self.off_policy_mask_threshold,
            )
        if self.use_vllm and self.vllm_importance_sampling_correction:
            ratio = inputs["importance_sampling_ratio"]
            weights = ratio if weights is None else weights * ratio
        return weights

    def _aggregation_kwargs(self, inputs: dict[str, Any]) -> dict[str, Any]:
        training = self.model.training
        return {
            "gradient_accumulation_steps": self.current_gradient_accumulation_steps if training else 1,
            "num_items_in_batch": inputs["num_items_in_batch"],
            "num_processes": self.accelerator.num_processes,
            "steps_per_generation": self.args.steps_per_generation,
            "max_completion_length": self.max_completion_length,
            "training": training,
        }

    @torch.no_grad()
    def _log_loss_metrics(self, mask, reasoning, entropies, clip_masks, kl, counts=None, trl_logged=False):
        """Log the metrics TRL's loss logs, under its keys, and Archer's per-type ones beside them.

        Token means are global: one all-reduce of the named sums of `core_algos.TokenTypeSums` and of the mode's own
        token `counts` (logged as shares of the loss tokens, e.g. `aspo/dual_clip/*`), on every rank.
        `clip_masks` is (low, high) for loss types with a clip or truncation, else None (TRL logs no clip ratio
        then). `trl_logged`: TRL's loss already logged its keys ("none" mode), so only `archer/*` is added.
        """
        mode = "train" if self.model.training else "eval"
        low, high = clip_masks if clip_masks is not None else (torch.zeros_like(reasoning),) * 2
        sums = core_algos.TokenTypeSums.of(mask, reasoning, entropies, low, high, kl)
        counts = counts or {}
        means = core_algos.token_means(sums, counts, lambda t: self.accelerator.reduce(t, reduction="sum"))
        keys = ["archer/reasoning_token_fraction", "archer/entropy/reasoning", "archer/entropy/knowledge"]
        keys += sorted(counts)
        if clip_masks is not None:
            keys += [f"archer/clip_ratio/{k}_{b}" for k in ("reasoning", "knowledge") for b in ("low", "high")]
        if self.beta != 0.0:
            keys += ["archer/kl/reasoning", "archer/kl/knowledge"]
        if not trl_logged:
            keys.append("entropy")
            if self.beta != 0.0:
                keys.append("kl")
            if clip_masks is not None and self.loss_type in core_algos.CLIPPED_LOSS_TYPES:
                keys += ["clip_ratio/low_mean", "clip_ratio/high_mean", "clip_ratio/region_mean"]
                low_per_response = self.accelerator.gather(core_algos.per_response_mean(low.float(), mask))
                high_per_response = self.accelerator.gather(core_algos.per_response_mean(high.float(), mask))
                self._metrics[mode]["clip_ratio/low_min"].append(nanmin(low_per_response).item())
                self._metrics[mode]["clip_ratio/high_max"].append(nanmax(high_per_response).item())
            elif clip_masks is not None:  # cispo: the share of truncated weights
                means["cispo_clip_ratio"] = means["clip_ratio/high_mean"]
                keys.append("cispo_clip_ratio")
        for key in keys:
            self._metrics[mode][key].append(means[key])


@contextmanager
def _recorded_forward(trainer: GRPOTrainer) -> Iterator[list[tuple]]:
    """Record what `_get_per_token_logps_and_entropies` returns while TRL's loss runs, on this instance only."""
    forwards: list[tuple] = []
    forward = trainer._get_per_token_logps_and_entropies

    def recording(*args, **kwargs):
        result = forward(*args, **kwargs)
        forwards.append(result)
        return result

    trainer._get_per_token_logps_and_entropies = recording
    try:
        yield forwards
    finally:
        del trainer._get_per_token_logps_and_entropies  # the class's method is visible again


def _loss_mask(inputs: dict[str, Any]) -> torch.Tensor:
    """The tokens that count towards the loss: the completion mask, times TRL's tool mask when tools were used."""
    mask = inputs["completion_mask"]
    return mask if "tool_mask" not in inputs else mask * inputs["tool_mask"]


def _per_token_advantages(inputs: dict[str, Any]) -> torch.Tensor:
    """TRL's advantages as ``(B, 1)`` (one per response) or ``(B, T)`` (per token), ready to broadcast."""
    advantages = inputs["advantages"]
    return advantages.unsqueeze(1) if advantages.dim() == 1 else advantages


# The multimodal keyword arguments TRL 1.16's `_compute_loss` forwards to `_get_per_token_logps_and_entropies`.
_MULTIMODAL_KEYS = ("pixel_values", "image_grid_thw", "num_images", "pixel_attention_mask", "spatial_shapes",
                    "num_tiles", "image_sizes", "token_type_ids", "mm_token_type_ids", "image_position_ids")  # fmt: skip
