"""Archer vs ASPO vs GRPO vs 80/20 masking from the same checkpoint, task, budget and seeds; writes docs/results/learning/.

    python benchmarks/learning/compare.py                      # 4 methods x 3 seeds, 2 runs at a time
    python benchmarks/learning/compare.py --methods archer grpo dapo mask_80_20 --seeds 0 1 2 3 4
    python benchmarks/learning/compare.py --set learning_rate=1e-4 --output_dir docs/results/learning-lr1e-4

Every run starts from the shipped tiny-math checkpoint and the offline default recipe
(archer_trl/recipes/tiny_cpu_math.yaml); the methods differ only in their token constraints (harness.METHODS).
Finished runs are cached in --work_dir, so rerunning the command after an interruption resumes it.
"""

from __future__ import annotations

import argparse
import json
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import report  # noqa: E402

DEFAULT_OUTPUT = harness.REPO / "docs" / "results" / "learning"


def command_line(argv: list[str]) -> str:
    script = Path(sys.argv[0]).resolve().relative_to(harness.REPO)
    shown = [arg for arg in argv if arg != "--force"]  # how the results were computed, not whether they were cached
    return " ".join(["python", str(script), *map(shlex.quote, shown)])


def provenance() -> dict[str, str]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=harness.REPO, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    import torch
    import transformers
    import trl

    return {
        "commit": commit,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} CPU cores",
        "versions": f"torch {torch.__version__}, transformers {transformers.__version__}, trl {trl.__version__}",
    }


def setup_section(specs: list[harness.RunSpec], common_overrides: dict) -> str:
    config = harness.recipe_settings() | common_overrides
    shared = ", ".join(f"`{k}={v}`" for k, v in sorted(config.items()) if k not in ("token_constraints",))
    settings = specs[0].eval
    return "\n".join(
        [
            "## Setup",
            "",
            "- **Start:** the shipped `tiny-math` checkpoint (204k-parameter Llama, character tokenizer; "
            "`docs/offline_model.md`).",
            f"- **Task:** `archer_trl.tasks` arithmetic chains, {specs[0].n_train} training problems drawn with the "
            f"run's seed; held-out: the fixed {settings.n_eval} problems no training split contains. Reward: "
            "`accuracy` (math-verify on the last `\\boxed{}`), for training and evaluation.",
            f"- **Shared settings** (the offline default recipe plus `--set`): {shared}.",
            "- **Methods** (only the token constraints differ): "
            + "; ".join(
                f"`{m}` = {harness.METHOD_LABELS[m]}: `{harness.METHODS[m]}`"
                for m in dict.fromkeys(s.method for s in specs)
            )
            + ".",
            f"- **Evaluation** every {specs[0].eval_every} steps, identical for every method: greedy accuracy; "
            f"{settings.k} samples per problem at T = {settings.temperature} for avg@{settings.k} and "
            f"pass@{settings.k}; on those samples, each token's entropy under the policy, typed with Archer's "
            f"per-response split at rho = {settings.typing_quantile} (tokens above the response's quantile are "
            "'reasoning'), and the repetition rate (share of a response's token "
            f"{settings.repetition_ngram}-grams that repeat an earlier one; the paper uses 20-grams of words, "
            "which these ~40-character answers do not have). Per training step, every method logs the same "
            "`archer/*` metrics (entropy and clip fraction per type, computed on the training batch).",
            "- **Seeds** change the training problems, the sampling and the data order; the held-out set and "
            "the starting checkpoint are the same for all runs. One torch thread per run.",
        ]
    )


def paired_section(groups, order, start, reference: str) -> str:
    if reference not in groups:
        return ""
    lines = [
        "## Paired by seed",
        "",
        f"Held-out greedy accuracy of `{reference}` minus each other method, same seed "
        "(same training problems and data order), in points:",
        "",
    ]
    ref = {r["spec"]["seed"]: r["evaluations"][-1]["accuracy_greedy"] for r in groups[reference]}
    for g in order:
        if g == reference:
            continue
        other = {r["spec"]["seed"]: r["evaluations"][-1]["accuracy_greedy"] for r in groups[g]}
        seeds = sorted(set(ref) & set(other))
        diffs = [100 * (ref[s] - other[s]) for s in seeds]
        wins = sum(d > 0 for d in diffs)
        lines.append(
            f"- vs `{g}`: "
            + ", ".join(f"seed {s}: {d:+.1f}" for s, d in zip(seeds, diffs))
            + f" (median {report.median(diffs):+.1f}; {reference} ahead on {wins} of {len(diffs)} seeds)"
        )
    return "\n".join(lines)


def timing_sentence(elapsed: float, results: list[dict], jobs: int) -> str:
    distinct = list({r["key"]: r for r in results}.values())
    trained_now = sum(not r.get("from_cache", False) for r in distinct)
    train = sum(r["train_seconds"] for r in distinct) / 60
    evaluation = sum(r["eval_seconds"] for r in distinct) / 60
    if trained_now:
        wall = (
            f"Wall time of this invocation: {elapsed / 60:.1f} min, training {trained_now} of the {len(distinct)} runs"
        )
    else:
        wall = f"All {len(distinct)} runs came from the cache in `--work_dir` (`--force` retrains them)"
    earlier = {
        json.dumps(r["trained_by"], sort_keys=True) for r in distinct if r.get("from_cache") and "trained_by" in r
    }
    for invocation in map(json.loads, sorted(earlier)):
        wall += (
            f"; an invocation on {invocation['date']} trained {invocation['runs']} runs (with the start evaluation) "
            f"in {invocation['wall_seconds'] / 60:.1f} min wall, {invocation['jobs']} at a time"
        )
    return (
        f"{wall}. Summed over the runs on this page: {train:.1f} min of training and {evaluation:.1f} min of "
        "held-out evaluation, one torch thread per run."
    )


def write_page(
    output_dir: Path,
    command: str,
    meta: dict,
    specs,
    overrides,
    outputs,
    start,
    elapsed: float,
    jobs: int,
    reference: str = "archer",
) -> Path:
    groups, order = outputs["groups"], list(dict.fromkeys(s.group for s in specs))
    labels = {g: f"`{g}`" for g in order}
    table = report.markdown_table(groups, order, labels, start)
    plots = "\n\n".join(f"![{name}]({name})" for family in outputs["plots"].values() for name in family)
    text = "\n\n".join(
        [
            "# Learning comparison on the offline arithmetic task",
            f"Regenerate everything on this page (plots, `results.json`, this file):\n\n```bash\n{command}\n```",
            f"Generated {meta['date']} from commit `{meta['commit']}` on {meta['machine']} ({meta['versions']}). "
            + timing_sentence(elapsed, outputs["results"], jobs),
            setup_section(specs, overrides),
            f"## Results\n\n{report.TABLE_NOTES}\n\n{table}",
            report.dual_clip_sentence(groups, order, start),
            paired_section(groups, order, start, reference),
            paired_section(groups, order, start, "aspo").replace("## Paired by seed\n\n", "")
            if reference != "aspo"
            else "",
            "## Plots\n\n" + plots,
        ]
    )
    path = output_dir / "README.md"
    path.write_text(text.replace("\n\n\n", "\n\n") + "\n")
    return path


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--methods",
        nargs="+",
        default=["archer", "grpo", "mask_80_20", "aspo"],
        choices=list(harness.METHODS),
        help="methods to train (default: archer grpo mask_80_20 aspo)",
    )
    harness.add_common_arguments(parser, DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    overrides = harness.parse_overrides(args.overrides)
    specs = [harness.make_spec(args, m, s, m, overrides) for m in args.methods for s in args.seeds]
    start, results, elapsed = harness.run_specs(specs, args)
    meta = provenance() | {
        "command": command_line(argv),
        "wall_seconds": elapsed,
        "titles": {"methods": "Archer, ASPO and baselines"},
    }
    outputs = report.write_results(
        args.output_dir, {"methods": args.methods}, {m: m for m in args.methods}, start, results, meta
    )
    page = write_page(args.output_dir, meta["command"], meta, specs, overrides, outputs, start, elapsed, args.jobs)
    print(report.markdown_table(outputs["groups"], args.methods, {m: m for m in args.methods}, start))
    print(f"\nwrote {page} and {args.output_dir / 'results.json'} ({elapsed / 60:.1f} min)")


if __name__ == "__main__":
    main()
