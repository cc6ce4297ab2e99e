"""``archer-train`` / ``python -m archer_trl.cli.train``: arguments, recipes, reward selection, held-out evaluation
and the summary of one training job (math or code).

`examples/train_math.py` and `examples/train_code.py` are thin wrappers over :func:`main`. Arguments follow TRL's
script conventions: `TrlParser` over (script arguments, `ArcherConfig`, TRL's `ModelConfig`) plus `--config
recipe.yaml`, so `accelerate launch` and YAML recipes work as with TRL's own scripts. A recipe (`--config FILE` or
`--recipe NAME`) layers over the job's offline default exactly as command-line options do: a setting it leaves out
keeps the default's value, and a command-line option overrides both.
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trl import ModelConfig, ScriptArguments, TrlParser, get_peft_config

from ..config import ArcherConfig
from ..recipes import available_recipes, default_recipe, load_recipe, recipe_path, recipe_task
from ..tasks.loading import DataError, load_task_dataset
from ..tiny import TINY_MATH_MODEL
from .checks import InputError, check_model_path
from .summary import format_summary, note_missing, training_summary, write_summary

DEFAULT_REWARDS = {"math": ["accuracy"], "code": ["code"]}


@dataclass
class ArcherScriptArguments(ScriptArguments):
    """Dataset, prompt and reward options of the training scripts (TRL's `ScriptArguments` plus these)."""

    task: str | None = field(
        default=None,
        metadata={
            "help": "archer-train only: the job, 'math' or 'code' (default: code when the recipe's rewards run "
            "code, else math)."
        },
    )
    recipe: str | None = field(
        default=None,
        metadata={
            "help": "A shipped recipe by name, instead of --config FILE; it layers over the offline default. "
            f"Shipped: {', '.join(available_recipes())}."
        },
    )
    eval_dataset_name: str | None = field(
        default=None,
        metadata={
            "help": "Held-out data for the before/after accuracy when --dataset_name has no --dataset_test_split "
            "split: a local file or folder (used whole) or a Hub id."
        },
    )
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
        if self.task not in (None, "math", "code"):
            raise InputError(f"--task {self.task!r} is not a job; use --task math or --task code.")
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


def parse_arguments(default_recipe: Path, argv: list[str] | None = None, prog: str | None = None):
    """Parse (script, training, model) arguments over the CPU recipe ``default_recipe``.

    A `--config FILE` or `--recipe NAME` layers over ``default_recipe``: the default's values become the parser's
    defaults, the recipe's replace them, and command-line options replace both. So a partial recipe (say only
    `max_steps`) keeps every other offline setting, bf16 off on CPU included.
    """
    argv = _recipe_as_config(list(sys.argv[1:] if argv is None else argv))
    parser = TrlParser((ArcherScriptArguments, ArcherConfig, ModelConfig), prog=prog)
    config = _value(argv, "--config")
    if config is None:
        argv = ["--config", str(default_recipe), *argv]
    elif Path(config).resolve() != Path(default_recipe).resolve():
        load_recipe(config)  # a missing or malformed file fails here, by name
        parser.set_defaults_with_config(**load_recipe(default_recipe))
    if not _has_accelerator():
        # Said explicitly, so that DeepSpeed (imported by accelerate whenever it is installed) does not warn that its
        # accelerator detection fell back to the CPU.
        os.environ.setdefault("DS_ACCELERATOR", "cpu")
        if not _given(argv, "--dataloader_pin_memory"):
            argv += ["--dataloader_pin_memory", "false"]  # pinned memory needs an accelerator; torch warns without one
        if os.environ.get("ACCELERATE_USE_DEEPSPEED", "").lower() == "true" and not _given(argv, "--ddp_backend"):
            # accelerate picks no process-group backend without an accelerator; DeepSpeed's CPU accelerator needs gloo
            argv += ["--ddp_backend", "gloo"]
    return parser.parse_args_and_config(argv)


def _given(argv: list[str], option: str) -> bool:
    return any(a == option or a.startswith(option + "=") for a in argv)


def _value(argv: list[str], option: str) -> str | None:
    """The value of ``option`` in ``argv`` (``--option VALUE`` or ``--option=VALUE``), the last one if repeated."""
    found = None
    for i, arg in enumerate(argv):
        if arg == option and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith(option + "="):
            found = arg.split("=", 1)[1]
    return found


def _recipe_as_config(argv: list[str]) -> list[str]:
    """``--recipe NAME`` becomes ``--config <shipped file>`` (TrlParser reads only ``--config PATH``)."""
    argv = [
        part for arg in argv for part in (arg.split("=", 1) if arg.startswith(("--config=", "--recipe=")) else [arg])
    ]
    name = _value(argv, "--recipe")
    if name is None:
        return argv
    if _given(argv, "--config"):
        raise InputError("--recipe and --config both name a recipe; give one of them.")
    at = argv.index("--recipe")
    return [*argv[:at], "--config", str(recipe_path(name)), *argv[at + 2 :]]


def _has_accelerator() -> bool:
    import torch

    accelerator = getattr(torch, "accelerator", None)  # torch >= 2.6: CUDA, XPU, MPS, ...
    return accelerator.is_available() if accelerator is not None else torch.cuda.is_available()


def resolve_rewards(task: str, names: list[str]):
    """Reward callables for the names/references given; a bad one fails here, before any model is loaded."""
    from ..rewards import resolve_reward_function

    return [resolve_reward_function(name) for name in (names or DEFAULT_REWARDS[task])]


def heldout_accuracy(
    trainer, dataset, reward_func, *, max_samples: int | None, batch_size: int, desc: str
) -> float | None:
    """Greedy held-out accuracy (mean reward of ``reward_func``) under the trainer's current weights; None when the
    reward could score none of the samples (not 0, which would read as a measured accuracy).

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
    return (totals[0] / totals[1]).item() if totals[1] > 0 else None


def main(task: str, default_recipe: Path, argv: list[str] | None = None, prog: str | None = None) -> dict[str, Any]:
    """Run one training job end to end and return (and write) its summary.

    Order matters: the final model and `summary.json` are written right after training, before anything optional
    (the held-out evaluation after training, pushing to the Hub), so nothing that fails after training costs the
    trained model. A user mistake found before training (a path, an empty file, a model folder without weights)
    exits with a plain message and leaves no output folder behind.
    """
    from ..trainer import ArcherGRPOTrainer

    # TRL 1.16's unwrap_model_for_generation reads `model.is_gradient_checkpointing`, which transformers 5.23
    # deprecated; the FutureWarning is TRL's to fix, so only that one message is filtered, and only in this CLI.
    warnings.filterwarnings("ignore", message="`is_gradient_checkpointing` is deprecated", category=FutureWarning)
    try:
        script_args, training_args, model_args = parse_arguments(default_recipe, argv, prog=prog)
        if script_args.task not in (None, task):
            raise InputError(
                f"--task {script_args.task} given to the {task} job; use archer-train --task {script_args.task}."
            )
        rewards = resolve_rewards(task, script_args.reward_funcs)
        model_path = check_model_path(model_args.model_name_or_path or str(TINY_MATH_MODEL))
        data = load_task_dataset(
            task,
            dataset_name=script_args.dataset_name,
            dataset_config=script_args.dataset_config,
            train_split=script_args.dataset_train_split,
            test_split=script_args.dataset_test_split,
            eval_dataset_name=script_args.eval_dataset_name,
            prompt_column=script_args.prompt_column,
            answer_column=script_args.answer_column,
            system_prompt=script_args.system_prompt,
            offline_train_size=script_args.offline_train_size,
            offline_eval_size=script_args.offline_eval_size,
            seed=training_args.seed,
        )
    except (InputError, DataError, ValueError) as error:
        raise SystemExit(f"{prog or 'error'}: {error}") from None
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if task == "code":  # once: which sandbox protections this host gives the code reward
        from ..rewards.sandbox import describe_protections

        print(describe_protections(), file=sys.stderr)
    if model_args.dtype not in (None, "auto"):
        training_args.model_init_kwargs = {**(training_args.model_init_kwargs or {}), "dtype": model_args.dtype}

    trainer = ArcherGRPOTrainer(
        model=model_path,
        reward_funcs=rewards,
        args=training_args,
        train_dataset=data.train,
        peft_config=get_peft_config(model_args),
    )
    attach_token_type_reports(trainer, script_args)
    summary: dict[str, Any] = {"task": task, "model": model_path, "token_constraints": training_args.token_constraints}
    held_out = data.test if script_args.eval_before_after else None
    if held_out is None:
        reason = data.no_test_reason or "not measured (--eval_before_after false)"
        note_missing(summary, {"heldout_accuracy_before": reason, "heldout_accuracy_after": reason})
        if data.no_test_reason and script_args.eval_before_after and trainer.accelerator.is_main_process:
            print(f"note: held-out accuracy is skipped: {reason}", file=sys.stderr, flush=True)

    def evaluate(when: str) -> None:
        key = f"heldout_accuracy_{when}"
        summary[key] = heldout_accuracy(
            trainer,
            held_out,
            rewards[0],
            max_samples=script_args.max_eval_samples,
            batch_size=script_args.eval_batch_size,
            desc=f"held-out eval ({when})",
        )
        if summary[key] is None:
            note_missing(summary, {key: "the reward scored none of the held-out samples (every one returned None)"})

    if held_out is not None and not training_args.resume_from_checkpoint:
        evaluate("before")
    elif held_out is not None:
        note_missing(summary, {"heldout_accuracy_before": "not measured when resuming from a checkpoint"})

    trainer.train(resume_from_checkpoint=training_args.resume_from_checkpoint)

    trainer.save_model(training_args.output_dir)
    trained = training_summary(trainer.state.log_history, trainer.state.global_step)
    missing = trained.pop("missing", {})
    summary.update(trained)
    note_missing(summary, missing)
    is_main = trainer.accelerator.is_main_process
    if is_main:
        write_summary(summary, training_args.output_dir)
    if held_out is not None:
        try:
            evaluate("after")
        except Exception as error:  # the model and summary are saved; say what failed instead of losing the run
            note_missing(summary, {"heldout_accuracy_after": f"the evaluation after training failed: {error!r}"})
        if is_main:
            write_summary(summary, training_args.output_dir)
    if is_main:
        print(format_summary(summary, training_args.output_dir), flush=True)
    if training_args.push_to_hub:
        trainer.push_to_hub(dataset_name=script_args.dataset_name)
    return summary


def cli(argv: list[str] | None = None) -> int:
    """``archer-train``: the math or code job (``--task``, else the recipe's), over that job's offline default.

    With no arguments it runs the offline math default, as ``python examples/train_math.py`` does.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        config = _value(_recipe_as_config(argv), "--config")
        task = _value(argv, "--task") or (recipe_task(load_recipe(config)) if config else "math")
        recipe = default_recipe(task) if task in ("math", "code") else None
    except (InputError, ValueError) as error:
        raise SystemExit(f"archer-train: {error}") from None
    if recipe is None:
        raise SystemExit(f"archer-train: --task {task!r} is not a job; use --task math or --task code.")
    main(task, recipe, argv, prog="archer-train")
    return 0


if __name__ == "__main__":
    sys.exit(cli())
