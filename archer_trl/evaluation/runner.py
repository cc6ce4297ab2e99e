"""Running a model over benchmarks: generate K completions per problem, score them with the training rewards,
aggregate, and write ``results.json`` and per-sample records."""

from __future__ import annotations

import json
import logging
import math
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..generation import SamplingSettings, encode_prompts, render_prompt
from ..tasks.loading import ANSWER_COLUMN
from .backends import Generator
from .benchmarks import Benchmark
from .metrics import aggregate_scores, is_correct
from .report import write_json, write_jsonl
from .rows import Task
from .sources import BenchmarkSpec, load_problems

logger = logging.getLogger(__name__)


def resolve_settings(
    benchmark: Benchmark,
    *,
    k: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    max_tokens: int | None = None,
    seed: int = 0,
) -> SamplingSettings:
    """The preset's paper settings with any command-line overrides applied."""
    return SamplingSettings(
        n=benchmark.k if k is None else k,
        temperature=benchmark.temperature if temperature is None else temperature,
        top_p=benchmark.top_p if top_p is None else top_p,
        max_tokens=benchmark.max_tokens if max_tokens is None else max_tokens,
        seed=seed,
    )


def reward_function(task: Task, **kwargs: Any) -> Callable[..., list[float | None]]:
    """The training reward for ``task``, configured for evaluation.

    Math: ``accuracy_reward`` (math-verify), or ``make_accuracy_reward(**kwargs)`` when options are given. Code:
    ``make_code_reward(max_tests=None, **kwargs)``: the same sandbox and judging as the training ``code_reward``, but
    every test runs (training samples at most 16 per program, while LiveCodeBench scores on all of them).
    """
    from .. import rewards

    if task == "math":
        return rewards.make_accuracy_reward(**kwargs) if kwargs else rewards.accuracy_reward
    from ..rewards.code.reward import make_code_reward

    return make_code_reward(**{"max_tests": None, **kwargs})


def score_completions(
    task: Task,
    completions: Sequence[str],
    answers: Sequence[Any],
    *,
    columns: dict[str, Sequence[Any]] | None = None,
    chunk_size: int = 256,
    desc: str = "score",
    reward_fn: Callable[..., list[float | None]] | None = None,
) -> list[float | None]:
    """Scores of ``completions`` against their golds through the training reward, in chunks with a progress bar.

    ``answers[i]`` is completion i's gold (``solution`` for math, ``tests`` for code); ``columns`` holds any other
    per-completion dataset column the reward reads (``fn_name``). A ``None`` from the reward (the sample could not
    be scored) is kept as ``None``. ``reward_fn`` defaults to :func:`reward_function` of ``task``.
    """
    from tqdm.auto import tqdm

    if len(completions) != len(answers):
        raise ValueError(f"{len(completions)} completions but {len(answers)} answers")
    columns = dict(columns or {})
    for name, values in columns.items():
        if len(values) != len(completions):
            raise ValueError(f"column {name!r} has {len(values)} values for {len(completions)} completions")
    fn = reward_fn or reward_function(task)
    column = ANSWER_COLUMN[task]
    scores: list[float | None] = []
    for start in tqdm(range(0, len(completions), chunk_size), desc=desc, unit="chunk"):
        chunk = list(completions[start : start + chunk_size])
        batch = {name: list(values[start : start + chunk_size]) for name, values in columns.items()}
        out = fn(completions=chunk, **{column: list(answers[start : start + chunk_size])}, **batch)
        if len(out) != len(chunk):
            raise RuntimeError(f"the {task} reward returned {len(out)} scores for {len(chunk)} completions")
        scores.extend(None if s is None or (isinstance(s, float) and math.isnan(s)) else float(s) for s in out)
    return scores


@dataclass
class EvalOptions:
    """Everything besides the model and the benchmarks; ``None`` sampling fields keep each preset's paper value."""

    k: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    seed: int = 0
    limit: int | None = None
    prompt_template: str | None = None
    system_prompt: str | None = None
    chat_template: bool = True
    score_chunk_size: int = 256
    # options of `make_accuracy_reward` / `make_code_reward` (e.g. {"test_timeout": 6.0, "num_workers": 8})
    math_reward_kwargs: dict[str, Any] = field(default_factory=dict)
    code_reward_kwargs: dict[str, Any] = field(default_factory=dict)


def evaluate_benchmark(
    generator: Any,
    spec: BenchmarkSpec,
    options: EvalOptions,
    *,
    reward_fn: Callable[..., list[float | None]] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Generate K completions per problem, score them and aggregate; returns (metrics, per-sample records)."""
    benchmark = spec.benchmark
    template = options.prompt_template if benchmark.task == "math" else None
    problems = load_problems(spec, limit=options.limit, template=template, system_prompt=options.system_prompt)
    settings = resolve_settings(
        benchmark,
        k=options.k,
        temperature=options.temperature,
        top_p=options.top_p,
        max_tokens=options.max_tokens,
        seed=options.seed,
    )
    texts = [render_prompt(generator.tokenizer, p.prompt, chat_template=options.chat_template) for p in problems]
    prompt_ids = encode_prompts(generator.tokenizer, texts)
    t0 = time.perf_counter()
    completions = generator.generate(prompt_ids, settings, desc=f"{benchmark.name}: generate")
    generation_s = time.perf_counter() - t0
    flat = [(i, j, c) for i, row in enumerate(completions) for j, c in enumerate(row)]
    if reward_fn is None:
        kwargs = options.math_reward_kwargs if benchmark.task == "math" else options.code_reward_kwargs
        reward_fn = reward_function(benchmark.task, **kwargs)
    column_names = sorted({name for p in problems for name in p.columns})
    t0 = time.perf_counter()
    flat_scores = score_completions(
        benchmark.task,
        [c.text for _, _, c in flat],
        [problems[i].answer for i, _, _ in flat],
        columns={name: [problems[i].columns.get(name) for i, _, _ in flat] for name in column_names},
        chunk_size=options.score_chunk_size,
        desc=f"{benchmark.name}: score",
        reward_fn=reward_fn,
    )
    scoring_s = time.perf_counter() - t0
    by_problem: list[list[float | None]] = [[None] * settings.n for _ in problems]
    records = []
    for (i, j, completion), score in zip(flat, flat_scores):
        by_problem[i][j] = score
        records.append(
            {
                "benchmark": benchmark.name,
                "index": i,
                "id": problems[i].id,
                "sample": j,
                "prompt": texts[i],
                "completion": completion.text,
                "score": score,
                "num_tokens": completion.num_tokens,
                "truncated": completion.truncated,
                **({"prompt_too_long": True} if completion.prompt_too_long else {}),
                **({"solution": problems[i].answer} if benchmark.task == "math" else {}),
            }
        )
    metrics = aggregate_scores(by_problem, k_max=settings.n)
    lengths = [c.num_tokens for _, _, c in flat]
    metrics.update(
        {
            "benchmark": benchmark.name,
            "task": benchmark.task,
            "source": spec.path or benchmark.hub_id or benchmark.source,
            # the paper's protocol; evaluation leaves top_k and min_tokens off
            "sampling": {
                name: getattr(settings, name) for name in ("n", "temperature", "top_p", "max_tokens", "seed")
            },
            "mean_completion_tokens": sum(lengths) / len(lengths),
            "truncated_fraction": sum(c.truncated for _, _, c in flat) / len(flat),
            "prompts_too_long": sum(row[0].prompt_too_long for row in completions),
            "generation_s": generation_s,
            "scoring_s": scoring_s,
            "per_problem_correct": [sum(is_correct(s) for s in row if s is not None) for row in by_problem],
        }
    )
    if metrics["num_unscored"]:
        logger.warning(
            "%s: %d of %d samples could not be scored (reward returned None); they are excluded from the metrics",
            benchmark.name,
            metrics["num_unscored"],
            metrics["num_samples"],
        )
    return metrics, records


CHECKPOINT_RE = re.compile(r"^checkpoint-(\d+)$")


def expand_models(models: Sequence[str]) -> list[str]:
    """Each ``--model`` entry, with a training output directory replaced by its ``checkpoint-*`` folders in step
    order (a directory that holds a model itself and no checkpoints is kept as is)."""
    expanded: list[str] = []
    for model in models:
        path = Path(model)
        checkpoints = (
            sorted(
                (p for p in path.iterdir() if p.is_dir() and CHECKPOINT_RE.match(p.name)),
                key=lambda p: int(CHECKPOINT_RE.match(p.name).group(1)),
            )
            if path.is_dir()
            else []
        )
        if checkpoints:
            expanded.extend(str(p) for p in checkpoints)
        else:
            expanded.append(model)
    return expanded


def checkpoint_step(model: str) -> int | None:
    """The training step of a checkpoint: from a ``checkpoint-N`` name, else ``trainer_state.json``; None if unknown."""
    path = Path(model)
    match = CHECKPOINT_RE.match(path.name)
    if match:
        return int(match.group(1))
    state = path / "trainer_state.json"
    if state.is_file():
        try:
            return int(json.loads(state.read_text())["global_step"])
        except (KeyError, ValueError, TypeError):
            return None
    return None


def evaluate_model(
    model: str,
    specs: Sequence[BenchmarkSpec],
    options: EvalOptions,
    *,
    output_dir: str | os.PathLike | None = None,
    generator_kwargs: dict[str, Any] | None = None,
    save_samples: bool = True,
) -> dict[str, Any]:
    """Evaluate one model on several benchmarks; writes ``results.json`` and ``samples_<benchmark>.jsonl`` to
    ``output_dir`` when given, and returns the results."""
    t0 = time.perf_counter()
    generator = Generator(model, seed=options.seed, **(generator_kwargs or {}))
    load_s = time.perf_counter() - t0
    results: dict[str, Any] = {
        "model": model,
        "step": checkpoint_step(model),
        "backend": generator.backend,
        "options": {k: v for k, v in asdict(options).items()},
        "model_load_s": load_s,
        "benchmarks": {},
    }
    out = Path(output_dir) if output_dir is not None else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    try:
        for spec in specs:
            metrics, records = evaluate_benchmark(generator, spec, options)
            results["benchmarks"][spec.name] = metrics
            if out is not None and save_samples:
                write_jsonl(out / f"samples_{spec.name}.jsonl", records)
            if out is not None:  # written after every benchmark, so a crash keeps what was finished
                write_json(out / "results.json", results)
    finally:
        generator.close()
    return results
