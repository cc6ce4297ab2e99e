"""One run of the learning harness, in its own process: train one `RunSpec` and evaluate it on the held-out split.

`harness.run_all` starts ``python training.py train|start --spec ... --result ...`` once per run, with one torch
thread, and caches the JSON it writes. Every method, TRL's own loss included, is measured by the same code here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import TASKS, EvalSettings, RunSpec  # noqa: E402

# --------------------------------------------------------------------------------------------- evaluation


def evaluate_policy(model, tokenizer, eval_data, settings: EvalSettings, reward_func, extra=None) -> dict[str, Any]:
    """Held-out metrics of ``model``: greedy accuracy, avg@k and pass@k, and per-type entropy/repetition diagnostics.

    ``extra(model, tokenizer, greedy_records, typed_view)``, when given, adds the task's own metrics.
    """
    from archer_trl.diagnostics import repetition_rate
    from archer_trl.evaluation import aggregate_scores
    from archer_trl.inspect import generate_records, score_records, summarize, type_records

    prompts = list(eval_data["prompt"])
    solutions = list(eval_data["solution"])
    common = {"max_new_tokens": settings.max_new_tokens, "batch_size": settings.batch_size, "progress": False}
    greedy = generate_records(model, tokenizer, prompts, do_sample=False, **common)
    greedy_scores = reward_func(completions=[r.completion for r in greedy], solution=solutions)

    sampled = generate_records(
        model,
        tokenizer,
        prompts,
        num_generations=settings.k,
        temperature=settings.temperature,
        seed=settings.sample_seed,
        **common,
    )
    sampled_scores = reward_func(
        completions=[r.completion for r in sampled], solution=[s for s in solutions for _ in range(settings.k)]
    )
    k = settings.k
    sampled_metrics = aggregate_scores([sampled_scores[i * k : (i + 1) * k] for i in range(len(prompts))], k_max=k)
    scored = score_records(
        model, tokenizer, sampled, temperature=settings.temperature, batch_size=settings.batch_size, progress=False
    )
    view = type_records(scored, settings.typing_quantile)
    summary = summarize(view)
    eos = tokenizer.eos_token_id
    bodies = [[t for t in r.completion_ids if t != eos] for r in sampled]
    metrics = {
        "accuracy_greedy": _mean([float(s or 0.0) for s in greedy_scores]),
        f"avg@{k}": sampled_metrics[f"avg@{k}"],  # unscored (None) samples excluded, as in archer_trl.evaluation
        f"pass@{k}": sampled_metrics[f"pass@{k}"],
        "entropy": summary.mean_entropy,
        "entropy_reasoning": summary.mean_entropy_reasoning,
        "entropy_knowledge": summary.mean_entropy_knowledge,
        "reasoning_fraction": summary.reasoning_fraction,
        "repetition": repetition_rate(bodies, settings.repetition_ngram),
        "repetition_greedy": repetition_rate(
            [[t for t in r.completion_ids if t != eos] for r in greedy], settings.repetition_ngram
        ),
        "mean_length": _mean([len(r.completion_ids) for r in sampled]),
        "truncated_fraction": _mean([float(eos not in r.completion_ids) for r in sampled]),
    }
    return metrics | (extra(model, tokenizer, greedy, view) if extra else {})


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


# --------------------------------------------------------------------------------------------- one run


STEP_KEYS = (
    "loss",
    "reward",
    "reward_std",
    "entropy",
    "kl",
    "clip_ratio/region_mean",
    "archer/reasoning_token_fraction",
    "archer/entropy/reasoning",
    "archer/entropy/knowledge",
    "archer/clip_ratio/reasoning_low",
    "archer/clip_ratio/reasoning_high",
    "archer/clip_ratio/knowledge_low",
    "archer/clip_ratio/knowledge_high",
    "archer/kl/knowledge",
    "aspo/dual_clip/negative",
    "aspo/dual_clip/positive",
    "completions/mean_length",
    "completions/clipped_ratio",
)


def task_parts(task: str, model_path: str | None):
    """(dataset builder, reward function, checkpoint, extra-metrics hook or None) of ``task``."""
    if task == "math":
        from archer_trl.rewards import resolve_reward_function
        from archer_trl.tasks import make_math_dataset
        from archer_trl.tiny import TINY_MATH_MODEL

        return make_math_dataset, resolve_reward_function("accuracy"), model_path or str(TINY_MATH_MODEL), None
    if task == "knowledge":
        import knowledge_metrics

        from archer_trl.tasks.knowledge import exact_match_reward, make_knowledge_dataset

        model_path = model_path or str(knowledge_metrics.DEFAULT_MODEL)
        return make_knowledge_dataset, exact_match_reward, model_path, knowledge_metrics.KnowledgeMetrics(model_path)
    raise ValueError(f"task={task!r} is invalid: allowed tasks are {', '.join(TASKS)}")


def run_training(spec: RunSpec, output_dir: Path) -> dict[str, Any]:
    """Train one run in this process and return its result (per-step logs and held-out evaluations)."""
    import torch
    from transformers import TrainerCallback

    from archer_trl import ArcherConfig, ArcherGRPOTrainer

    torch.set_num_threads(1)
    make_dataset, reward, model_path, extra = task_parts(spec.task, spec.model)
    data = make_dataset(n_train=spec.n_train, n_eval=spec.eval.n_eval, seed=spec.seed)
    settings = {"use_cpu": True, "disable_tqdm": True} | spec.config()  # --set use_cpu=false runs on a GPU
    config = ArcherConfig(
        output_dir=str(output_dir), logging_steps=1, save_strategy="no", report_to="none", **settings
    )
    trainer = ArcherGRPOTrainer(model=model_path, reward_funcs=[reward], args=config, train_dataset=data["train"])
    evaluations: list[dict[str, Any]] = []
    eval_seconds = [0.0]

    class HeldOutEvaluation(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step % spec.eval_every == 0 or state.global_step == state.max_steps:
                start = time.perf_counter()
                metrics = evaluate_policy(
                    trainer.model, trainer.processing_class, data["test"], spec.eval, reward, extra
                )
                eval_seconds[0] += time.perf_counter() - start
                evaluations.append({"step": state.global_step, **metrics})
                print(f"[{spec.key()}] step {state.global_step}: {json.dumps(metrics)}", flush=True)

    trainer.add_callback(HeldOutEvaluation())
    start = time.perf_counter()
    trainer.train()
    wall = time.perf_counter() - start
    steps = [
        {"step": entry["step"], **{k: entry[k] for k in STEP_KEYS if k in entry}}
        for entry in trainer.state.log_history
        if "loss" in entry  # with num_iterations > 1, reward is logged only on the steps that generate
    ]
    return {
        "spec": asdict(spec),
        "config": spec.config(),
        "key": spec.key(),
        "steps": steps,
        "evaluations": evaluations,
        "train_seconds": wall - eval_seconds[0],
        "eval_seconds": eval_seconds[0],
        "torch_threads": torch.get_num_threads(),
    }


def evaluate_start(settings: EvalSettings, model_path: str | None = None, task: str = "math") -> dict[str, Any]:
    """Held-out metrics of the starting checkpoint (shared by every run: same model, problems and sample seed)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(1)
    make_dataset, reward, model_path, extra = task_parts(task, model_path)
    model = AutoModelForCausalLM.from_pretrained(model_path)
    tokenizer = AutoTokenizer.from_pretrained(model_path, padding_side="left")
    data = make_dataset(n_train=1, n_eval=settings.n_eval, seed=0)
    return {"step": 0, **evaluate_policy(model, tokenizer, data["test"], settings, reward, extra)}


def _worker_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="internal: one run of the learning harness")
    parser.add_argument("task", choices=["train", "start"])
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)
    payload = json.loads(args.spec.read_text())
    if args.task == "start":
        model_path, task = payload.pop("model", None), payload.pop("task", "math")
        result = evaluate_start(EvalSettings(**payload), model_path, task)
    else:
        payload["eval"] = EvalSettings(**payload["eval"])
        spec = RunSpec(**payload)
        result = run_training(spec, args.result.parent.parent / "checkpoints" / spec.key())
    tmp = args.result.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=1))
    tmp.replace(args.result)  # atomic: a killed run never leaves a half-written result in the cache


if __name__ == "__main__":
    _worker_main(sys.argv[1:])
