"""`ArcherGRPOTrainer`: TRL's `GRPOTrainer` with Archer's dual-token constraints in the loss."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Any

import torch
from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR
from trl import GRPOConfig, GRPOTrainer
from trl.trainer.utils import nanstd

from . import core_algos, vllm_compat
from .config import ArcherConfig

# Loss types whose aggregation averages over a fixed number of responses; dropping groups must rescale them.
_PER_RESPONSE_LOSS_TYPES = ("grpo", "dr_grpo", "luspo", "sapo")


class ArcherGRPOTrainer(GRPOTrainer):
    """GRPO with Archer's dual-token constraints (arXiv 2507.15778).

    Construct it exactly like `trl.GRPOTrainer`, with an [`ArcherConfig`]. Generation, rewards, advantages, vLLM,
    DeepSpeed, PEFT and logging are TRL's; only the loss (`_compute_loss`) changes, plus optional zero-variance
    group filtering after scoring. In `token_constraints="none"` mode the loss is TRL's own.
    """

    _capture_loss_forward = False  # set while TRL's loss runs, so its forward pass is reused for metrics
    _captured_loss_forward = None
    _tag_names = ["trl", "grpo", "archer"]
    _name = "Archer"
    _paper = {
        "title": "Stabilizing Knowledge, Promoting Reasoning: Dual-Token Constraints for RLVR",
        "id": "2507.15778",
        # docstyle-ignore
        "citation": textwrap.dedent("""\
            @article{wang2025archer,
                title        = {{Stabilizing Knowledge, Promoting Reasoning: Dual-Token Constraints for RLVR}},
                author       = {Jiakang Wang and Runze Liu and Fuzheng Zhang and Xiu Li and Guorui Zhou and Ling Pan},
                year         = 2025,
                eprint       = {arXiv:2507.15778},
            }"""),
    }

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
        with vllm_compat.vllm_cpu_support(self, args):  # no-op unless use_vllm; repairs weight sync on CPU only
            super().__init__(model, reward_funcs, args, *pos_args, **kwargs)
        self._last_rewards_per_func: torch.Tensor | None = None
        if args.inspect_tokens_steps > 0:
            from .inspect import InspectTokensCallback

            self.add_callback(
                InspectTokensCallback(
                    self, every_n_steps=args.inspect_tokens_steps, num_samples=args.inspect_tokens_samples
                )
            )

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
        rewards_per_func = self._last_rewards_per_func
        rewards = (rewards_per_func * self.reward_weights.to(rewards_per_func.device)).nansum(dim=1)
        rewards[torch.isnan(rewards_per_func).all(dim=1)] = torch.nan
        group_std = nanstd(rewards.view(-1, self.num_generations), dim=1)
        keep_global = ~(torch.isclose(group_std, torch.zeros_like(group_std)) | torch.isnan(group_std))
        keep_global = keep_global.repeat_interleave(self.num_generations)
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
        if kept_fraction is None or self.loss_type not in _PER_RESPONSE_LOSS_TYPES:
            return loss  # token-count normalisers (dapo, bnpo, ...) already count only kept tokens
        return loss / kept_fraction

    # ------------------------------------------------------------------ loss

    def _get_per_token_logps_and_entropies(self, *args, **kwargs):
        result = super()._get_per_token_logps_and_entropies(*args, **kwargs)
        if self._capture_loss_forward:
            self._captured_loss_forward = result
        return result

    def _compute_loss(self, model, inputs):
        if self.args.token_constraints == "none":
            return self._renormalize_for_dropped_groups(self._trl_loss_with_token_type_metrics(model, inputs), inputs)

        args = self.args
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
        typing_entropies = entropies.detach()  # entropy selects tokens; it is never a gradient path here

        old_per_token_logps = inputs.get("old_per_token_logps")
        if old_per_token_logps is None:
            old_per_token_logps = per_token_logps.detach()
        advantages = _per_token_advantages(inputs)
        policy_weights = self._policy_weights(inputs, advantages, per_token_logps, old_per_token_logps, mask)
        aggregation = self._aggregation_kwargs(inputs)
        ref_per_token_logps = inputs.get("ref_per_token_logps") if self.beta != 0.0 else None

        if args.token_constraints == "archer":
            out = core_algos.archer_loss(
                per_token_logps,
                old_per_token_logps,
                typing_entropies,
                mask,
                advantages,
                quantile=args.token_entropy_quantile,
                epsilon_knowledge=(args.epsilon_knowledge, args.effective_epsilon_high_knowledge),
                epsilon_reasoning=(args.epsilon_reasoning, args.effective_epsilon_high_reasoning),
                delta=args.delta,
                ties=args.entropy_tie_rule,
                ref_per_token_logps=ref_per_token_logps,
                beta_knowledge=args.beta_knowledge,
                beta_reasoning=args.beta_reasoning,
                kl_normalization=args.kl_normalization,
                kl_importance_correction=args.use_bias_correction_kl,
                policy_weights=policy_weights,
                loss_type=self.loss_type,
                **aggregation,
            )
            policy_mask = mask
        else:
            out, policy_mask = self._masked_80_20_loss(
                per_token_logps,
                old_per_token_logps,
                typing_entropies,
                mask,
                advantages,
                ref_per_token_logps,
                policy_weights,
                aggregation,
            )
        loss = out.loss

        mode = "train" if self.model.training else "eval"
        accumulation = self.current_gradient_accumulation_steps if mode == "train" else 1
        if self._entropy_bonus_enabled:
            bonus_mask = policy_mask.to(entropies.dtype)
            mean_entropy = (entropies * bonus_mask).sum() / bonus_mask.sum().clamp(min=1.0)
            loss = loss - self.entropy_coef * mean_entropy / accumulation
        if self.aux_loss_enabled:
            loss = loss + self.router_aux_loss_coef * aux_loss / accumulation
            self._metrics[mode]["aux_loss"].append(self.accelerator.gather_for_metrics(aux_loss).mean().item())

        if args.token_constraints == "mask_80_20":
            # The masking selection is batch-wide; the per-type metrics keep Archer's per-response typing so that
            # every mode's "reasoning"/"knowledge" statistics describe the same tokens.
            counts = self.accelerator.reduce(torch.stack([policy_mask.sum(), mask.sum()]).float(), reduction="sum")
            self._metrics[mode]["archer/selected_token_fraction"].append((counts[0] / counts[1].clamp(min=1)).item())
            typed = core_algos.classify_reasoning_tokens(
                typing_entropies, mask, args.token_entropy_quantile, args.entropy_tie_rule
            )
        else:
            typed = out.reasoning_mask
        self._log_token_type_metrics(
            mode, mask, typed, typing_entropies, out.is_low_clipped, out.is_high_clipped, out.per_token_kl
        )
        return self._renormalize_for_dropped_groups(loss, inputs)

    def _trl_loss_with_token_type_metrics(self, model, inputs):
        """TRL's own loss, plus the same per-type diagnostics Archer mode logs (entropy, clip fractions, KL by type).

        The log-probs and entropies come from the forward pass TRL's loss already makes, so baselines are measured
        exactly like Archer at no extra cost. The clip fractions use TRL's uniform range (`epsilon`, `epsilon_high`).
        """
        self._capture_loss_forward, self._captured_loss_forward = True, None
        try:
            loss = super()._compute_loss(model, inputs)
        finally:
            self._capture_loss_forward = False
        captured, self._captured_loss_forward = self._captured_loss_forward, None
        if captured is None or captured[1] is None:
            return loss
        per_token_logps, entropies = captured[0].detach(), captured[1].detach()
        mask = _loss_mask(inputs)
        reasoning = core_algos.classify_reasoning_tokens(
            entropies, mask, self.args.token_entropy_quantile, self.args.entropy_tie_rule
        )
        old_per_token_logps = inputs.get("old_per_token_logps")
        if old_per_token_logps is None or self.loss_type not in core_algos.CLIPPED_LOSS_TYPES:
            is_low_clipped = is_high_clipped = torch.zeros_like(reasoning)
        else:
            _, is_low_clipped, is_high_clipped = core_algos.clipped_policy_loss(
                per_token_logps - old_per_token_logps,
                _per_token_advantages(inputs),
                self.epsilon_low,
                self.epsilon_high,
            )
        ref_per_token_logps = inputs.get("ref_per_token_logps") if self.beta != 0.0 else None
        kl = None if ref_per_token_logps is None else core_algos.k3_kl(per_token_logps, ref_per_token_logps)
        mode = "train" if self.model.training else "eval"
        self._log_token_type_metrics(
            mode, mask, reasoning, entropies, is_low_clipped, is_high_clipped, kl, only_token_type_metrics=True
        )
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

    def _masked_80_20_loss(
        self,
        per_token_logps,
        old_per_token_logps,
        entropies,
        mask,
        advantages,
        ref_per_token_logps,
        policy_weights,
        aggregation,
    ):
        """The 80/20 baseline: TRL's uniform clip, gradient only through the micro-batch's high-entropy tokens,
        averaged over those tokens; TRL's uniform KL (if `beta` > 0) still covers every token."""
        quantile = self.args.token_entropy_quantile
        selected = core_algos.batch_high_entropy_mask(entropies, mask, quantile)
        per_token_loss, is_low_clipped, is_high_clipped = core_algos.clipped_policy_loss(
            per_token_logps - old_per_token_logps, advantages, self.epsilon_low, self.epsilon_high, self.args.delta
        )
        if policy_weights is not None:
            per_token_loss = per_token_loss * policy_weights
        policy_aggregation = dict(aggregation)
        if self.loss_type == "dapo":  # DAPO divides by the generation batch's token count: count selected ones only
            policy_aggregation["num_items_in_batch"] = aggregation["num_items_in_batch"] * (1.0 - quantile)
        loss = core_algos.aggregate_loss(per_token_loss, mask * selected, self.loss_type, **policy_aggregation)
        per_token_kl = None
        if ref_per_token_logps is not None:
            per_token_kl = core_algos.k3_kl(per_token_logps, ref_per_token_logps)
            if self.args.use_bias_correction_kl:
                per_token_kl = per_token_kl * torch.exp(per_token_logps - old_per_token_logps)
            loss = loss + core_algos.aggregate_loss(self.beta * per_token_kl, mask, self.loss_type, **aggregation)
        out = core_algos.ArcherLossOutput(loss, selected, is_low_clipped, is_high_clipped, per_token_kl)
        return out, mask * selected

    @torch.no_grad()
    def _log_token_type_metrics(
        self, mode, mask, high_entropy, entropies, is_low_clipped, is_high_clipped, kl, only_token_type_metrics=False
    ):
        """Log per-type statistics as global token means: one all-reduce of sums and counts, on every rank.

        `only_token_type_metrics` skips the keys TRL's own loss already logs (`entropy`, `clip_ratio/*`, `kl`).
        """
        valid = mask.bool()
        reasoning = high_entropy & valid
        knowledge = valid & ~high_entropy
        kl = torch.zeros_like(entropies) if kl is None else kl.detach().float()
        entropies = entropies.float()

        def total(values, where):
            return (values * where).sum()

        stats = torch.stack(
            [
                valid.sum(),
                reasoning.sum(),
                knowledge.sum(),
                total(entropies, valid),
                total(entropies, reasoning),
                total(entropies, knowledge),
                total(is_low_clipped, valid),
                total(is_high_clipped, valid),
                total(is_low_clipped, reasoning),
                total(is_high_clipped, reasoning),
                total(is_low_clipped, knowledge),
                total(is_high_clipped, knowledge),
                total(kl, valid),
                total(kl, reasoning),
                total(kl, knowledge),
            ]
        ).float()
        stats = self.accelerator.reduce(stats, reduction="sum")
        n_valid, n_reasoning, n_knowledge = (stats[i].clamp(min=1.0) for i in range(3))
        metrics = self._metrics[mode]
        if not only_token_type_metrics:
            metrics["entropy"].append((stats[3] / n_valid).item())
            metrics["clip_ratio/low_mean"].append((stats[6] / n_valid).item())
            metrics["clip_ratio/high_mean"].append((stats[7] / n_valid).item())
            metrics["clip_ratio/region_mean"].append(((stats[6] + stats[7]) / n_valid).item())
        metrics["archer/reasoning_token_fraction"].append((stats[1] / n_valid).item())
        metrics["archer/entropy/reasoning"].append((stats[4] / n_reasoning).item())
        metrics["archer/entropy/knowledge"].append((stats[5] / n_knowledge).item())
        metrics["archer/clip_ratio/reasoning_low"].append((stats[8] / n_reasoning).item())
        metrics["archer/clip_ratio/reasoning_high"].append((stats[9] / n_reasoning).item())
        metrics["archer/clip_ratio/knowledge_low"].append((stats[10] / n_knowledge).item())
        metrics["archer/clip_ratio/knowledge_high"].append((stats[11] / n_knowledge).item())
        if self.beta != 0.0:
            if not only_token_type_metrics:
                metrics["kl"].append((stats[12] / n_valid).item())
            metrics["archer/kl/reasoning"].append((stats[13] / n_reasoning).item())
            metrics["archer/kl/knowledge"].append((stats[14] / n_knowledge).item())


def _loss_mask(inputs: dict[str, Any]) -> torch.Tensor:
    """The tokens that count towards the loss: the completion mask, times TRL's tool mask when tools were used."""
    mask = inputs["completion_mask"]
    return mask if "tool_mask" not in inputs else mask * inputs["tool_mask"]


def _per_token_advantages(inputs: dict[str, Any]) -> torch.Tensor:
    """TRL's advantages as ``(B, 1)`` (one per response) or ``(B, T)`` (per token), ready to broadcast."""
    advantages = inputs["advantages"]
    return advantages.unsqueeze(1) if advantages.dim() == 1 else advantages


_MULTIMODAL_KEYS = (
    "pixel_values",
    "image_grid_thw",
    "num_images",
    "pixel_attention_mask",
    "spatial_shapes",
    "num_tiles",
    "image_sizes",
    "token_type_ids",
    "mm_token_type_ids",
    "image_position_ids",
)
