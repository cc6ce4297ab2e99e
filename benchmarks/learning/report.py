"""Aggregate learning-harness runs over seeds and write JSON, PNG plots and a Markdown table."""

from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

EVAL_PANELS = (
    ("accuracy_greedy", "held-out accuracy, greedy"),
    ("avg@4", "held-out avg@4 (T = 1.0)"),
    ("pass@4", "held-out pass@4 (T = 1.0)"),
)
ENTROPY_PANELS = (
    ("entropy_reasoning", "reasoning tokens (top 20% per response)"),
    ("entropy_knowledge", "knowledge tokens (other 80%)"),
)
BEHAVIOUR_PANELS = (
    ("repetition", "repetition rate (repeated 8-grams, sampled)"),
    ("mean_length", "mean response length (tokens)"),
    ("truncated_fraction", "share cut at the length limit"),
)


def median(values: list[float]) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def group_runs(results: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        groups[result["spec"]["group"]].append(result)
    for runs in groups.values():
        runs.sort(key=lambda r: r["spec"]["seed"])
    return groups


def eval_series(runs: list[dict[str, Any]], start: dict[str, Any], key: str) -> tuple[list[int], list[list[float]]]:
    """Steps and, per step, the values of every seed (the shared start evaluation is step 0)."""
    steps = [0] + [e["step"] for e in runs[0]["evaluations"]]
    values = [[start[key]] * len(runs)]
    for i in range(1, len(steps)):
        values.append([run["evaluations"][i - 1][key] for run in runs])
    return steps, values


def step_series(runs: list[dict[str, Any]], key: str, window: int = 1) -> tuple[list[int], list[list[float]]]:
    """Per-step training metric for every seed, each smoothed by a trailing mean over ``window`` logged values."""
    per_seed = []
    for run in runs:
        points = [(s["step"], s[key]) for s in run["steps"] if key in s]
        smoothed = []
        for i in range(len(points)):
            chunk = [v for _, v in points[max(0, i - window + 1) : i + 1]]
            smoothed.append((points[i][0], sum(chunk) / len(chunk)))
        per_seed.append(dict(smoothed))
    steps = sorted(set.intersection(*(set(d) for d in per_seed))) if per_seed else []
    return steps, [[d[s] for d in per_seed] for s in steps]


def reward_tenths(run: dict[str, Any]) -> tuple[float | None, float | None]:
    """Mean training reward over the first and over the last tenth of the run's optimizer steps (at least one step
    each). By step, not by logged value: with replay, rewards are logged once per rollout, not once per step."""
    logged = [(s["step"], s["reward"]) for s in run["steps"] if "reward" in s]
    if not logged:
        return None, None
    last_step = max(s["step"] for s in run["steps"])
    tenth = max(1, math.ceil(last_step / 10))
    first = [r for step, r in logged if step <= tenth]
    last = [r for step, r in logged if step > last_step - tenth]
    return (sum(first) / len(first) if first else None), (sum(last) / len(last) if last else None)


def summarize_group(runs: list[dict[str, Any]], start: dict[str, Any]) -> dict[str, Any]:
    final = [run["evaluations"][-1] for run in runs]
    tenths = [reward_tenths(run) for run in runs]

    def clip(run, kind):
        values = [
            s.get(f"archer/clip_ratio/{kind}_low", 0.0) + s.get(f"archer/clip_ratio/{kind}_high", 0.0)
            for s in run["steps"]
            if f"archer/clip_ratio/{kind}_low" in s
        ]
        return sum(values) / len(values) if values else None

    summary = {
        "seeds": [run["spec"]["seed"] for run in runs],
        "accuracy_greedy_final": [f["accuracy_greedy"] for f in final],
        "gain_points": [100 * (f["accuracy_greedy"] - start["accuracy_greedy"]) for f in final],
        "train_seconds": [run["train_seconds"] for run in runs],
        "reward_first_tenth": [first for first, _ in tenths],
        "reward_last_tenth": [last for _, last in tenths],
        "clip_reasoning_mean": [clip(run, "reasoning") for run in runs],
        "clip_knowledge_mean": [clip(run, "knowledge") for run in runs],
    }
    for sign in ("negative", "positive"):  # ASPO's soft dual clips: mean share of training tokens over steps
        shares = [[s[f"aspo/dual_clip/{sign}"] for s in run["steps"] if f"aspo/dual_clip/{sign}" in s] for run in runs]
        summary[f"dual_clip_{sign}_mean"] = [sum(v) / len(v) if v else None for v in shares]
    own_typing = [[s["archer/reasoning_token_fraction"] for s in run["steps"]] for run in runs]
    summary["reasoning_share_training"] = [sum(v) / len(v) if v else None for v in own_typing]
    for key in (
        "avg@4",
        "pass@4",
        "entropy_reasoning",
        "entropy_knowledge",
        "reasoning_fraction",
        "repetition",
        "mean_length",
        "truncated_fraction",
    ):
        summary[f"{key}_final"] = [f[key] for f in final]
    summary["median_gain_points"] = median(summary["gain_points"])
    return summary


def _plot_band(ax, steps, values, label, color):
    import numpy as np

    array = np.array(values, dtype=float)
    if array.size == 0:
        return
    ax.plot(steps, array.mean(axis=1), label=label, color=color, linewidth=1.8)
    if array.shape[1] > 1:
        ax.fill_between(steps, array.min(axis=1), array.max(axis=1), color=color, alpha=0.18, linewidth=0)


def _figure(n_panels: int, title: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = 2 if n_panels == 4 else 1
    cols = n_panels // rows
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 3.4 * rows + 0.8), squeeze=False)
    fig.suptitle(title, fontsize=11)
    return fig, list(axes.flat)


def _finish(fig, axes, path: Path) -> Path:
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 0.95))
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def plot_family(
    groups: dict[str, list[dict[str, Any]]],
    order: list[str],
    labels: dict[str, str],
    start: dict[str, Any],
    output_dir: Path,
    prefix: str,
    title: str,
) -> list[Path]:
    """Four figures for the groups in ``order``: learning curves, held-out sampling, entropy by type, behaviour."""
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
    color = {g: colors[i % len(colors)] for i, g in enumerate(order)}
    band = "line: mean over seeds, band: min to max"
    paths = []

    fig, axes = _figure(2, f"{title}: training reward and held-out accuracy ({band})")
    for g in order:
        _plot_band(axes[0], *step_series(groups[g], "reward", window=5), labels[g], color[g])
        _plot_band(axes[1], *eval_series(groups[g], start, "accuracy_greedy"), labels[g], color[g])
    axes[0].set(xlabel="optimizer step", ylabel="mean reward of the rollout (trailing mean of 5)", title="reward")
    axes[1].set(xlabel="optimizer step", ylabel="accuracy", title="held-out accuracy, greedy (200 problems)")
    paths.append(_finish(fig, axes, output_dir / f"{prefix}learning_curves.png"))

    fig, axes = _figure(3, f"{title}: held-out evaluation ({band})")
    for ax, (key, name) in zip(axes, EVAL_PANELS):
        for g in order:
            _plot_band(ax, *eval_series(groups[g], start, key), labels[g], color[g])
        ax.set(xlabel="optimizer step", title=name)
    paths.append(_finish(fig, axes, output_dir / f"{prefix}heldout.png"))

    fig, axes = _figure(4, f"{title}: entropy by token type ({band})")
    for ax, (key, name) in zip(axes[:2], ENTROPY_PANELS):
        for g in order:
            _plot_band(ax, *eval_series(groups[g], start, key), labels[g], color[g])
        ax.set(xlabel="optimizer step", ylabel="mean entropy (nats)", title=f"held-out samples: {name}")
    for ax, kind in zip(axes[2:], ("reasoning", "knowledge")):
        for g in order:
            _plot_band(ax, *step_series(groups[g], f"archer/entropy/{kind}", window=5), labels[g], color[g])
        ax.set(xlabel="optimizer step", ylabel="mean entropy (nats)", title=f"training batches: {kind} tokens")
    paths.append(_finish(fig, axes, output_dir / f"{prefix}entropy.png"))

    fig, axes = _figure(4, f"{title}: repetition, length and clipping ({band})")
    for ax, (key, name) in zip(axes[:2], BEHAVIOUR_PANELS):
        for g in order:
            _plot_band(ax, *eval_series(groups[g], start, key), labels[g], color[g])
        ax.set(xlabel="optimizer step", title=name)
    for ax, kind in zip(axes[2:], ("reasoning", "knowledge")):
        for g in order:
            runs = groups[g]
            low = step_series(runs, f"archer/clip_ratio/{kind}_low", window=10)
            high = step_series(runs, f"archer/clip_ratio/{kind}_high", window=10)
            total = [[a + b for a, b in zip(x, y)] for x, y in zip(low[1], high[1])]
            _plot_band(ax, low[0], total, labels[g], color[g])
        ax.set(xlabel="optimizer step", ylabel="share of tokens", title=f"clipped {kind} tokens (trailing mean of 10)")
    paths.append(_finish(fig, axes, output_dir / f"{prefix}behaviour.png"))
    return paths


def _pct(values: list[float]) -> str:
    return f"{100 * median(values):.1f}"


def _num(values: list[float | None], digits: int = 3) -> str:
    value = median(values)
    return "n/a" if value != value else f"{value:.{digits}f}"


TABLE_NOTES = (
    "Final held-out numbers are medians over seeds unless a column lists every seed. Entropy (nats) and repetition "
    "are measured on the held-out samples after the last step, typing tokens at rho = 0.8 for every run. 'Reasoning "
    "share (training)' and 'clipped' are means over all steps of the training batches: the share of tokens typed "
    "reasoning with the run's own rho, and the share of each type whose ratio was clipped (low + high). 'Reward' is "
    "the mean training reward over the first and over the last tenth of the optimizer steps (with replay, rewards "
    "are logged once per rollout, so a tenth may hold a single rollout)."
)


def markdown_table(
    groups: dict[str, list[dict[str, Any]]], order: list[str], labels: dict[str, str], start: dict[str, Any]
) -> str:
    header = (
        "| run | greedy acc. per seed (%) | median gain (points) | avg@4 (%) | pass@4 (%) | reward: first → last tenth "
        "of steps | entropy reasoning / knowledge | reasoning share (training) | clipped reasoning / knowledge (%) | repetition "
        "(%) | train s per run |\n|" + "---|" * 11
    )
    rows = [
        f"| starting checkpoint | {100 * start['accuracy_greedy']:.1f} | | {100 * start['avg@4']:.1f} | "
        f"{100 * start['pass@4']:.1f} | | {start['entropy_reasoning']:.3f} / {start['entropy_knowledge']:.4f} | "
        f"| | {100 * start['repetition']:.2f} | |"
    ]
    for g in order:
        s = summarize_group(groups[g], start)
        per_seed = " / ".join(f"{100 * a:.1f}" for a in s["accuracy_greedy_final"])
        rows.append(
            f"| {labels[g]} | {per_seed} | **{s['median_gain_points']:+.1f}** | {_pct(s['avg@4_final'])} | "
            f"{_pct(s['pass@4_final'])} | {_num(s['reward_first_tenth'])} → {_num(s['reward_last_tenth'])} | "
            f"{_num(s['entropy_reasoning_final'])} / {_num(s['entropy_knowledge_final'], 4)} | "
            f"{_num(s['reasoning_share_training'])} | {_num([100 * (v or 0) for v in s['clip_reasoning_mean']], 3)} / "
            f"{_num([100 * (v or 0) for v in s['clip_knowledge_mean']], 3)} | "
            f"{_num([100 * v for v in s['repetition_final']], 2)} | {_num(s['train_seconds'], 0)} |"
        )
    return "\n".join([header, *rows])


def write_results(
    output_dir: Path,
    families: dict[str, list[str]],
    labels: dict[str, str],
    start: dict[str, Any],
    results: list[dict[str, Any]],
    metadata: dict[str, Any],
) -> dict[str, Any]:
    """Write ``results.json`` (every run, per step) and the plots; return the summaries (for the Markdown page)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    groups = group_runs(results)
    summaries = {g: summarize_group(runs, start) for g, runs in groups.items()}
    plots = {}
    for family, order in families.items():
        prefix = "" if len(families) == 1 else f"{family}_"
        title = metadata.get("titles", {}).get(family, family)
        plots[family] = [p.name for p in plot_family(groups, order, labels, start, output_dir, prefix, title)]
    # A run shared by several groups (a sweep's centre) is stored once; "groups" lists each group's runs by key.
    members = {g: [run["key"] for run in runs] for g, runs in groups.items()}
    distinct = list({result["key"]: result for result in results}.values())
    payload = {**metadata, "start": start, "summaries": summaries, "plots": plots, "groups": members, "runs": distinct}
    (output_dir / "results.json").write_text(json.dumps(payload, indent=1))
    return {"groups": groups, "summaries": summaries, "plots": plots, "results": results}


def paired_differences(
    groups: dict[str, list[dict[str, Any]]], a: str, b: str, value
) -> tuple[list[int], list[float]]:
    """Seeds run by both groups and, per seed, ``value(run of a) - value(run of b)``."""
    runs_a = {r["spec"]["seed"]: r for r in groups[a]}
    runs_b = {r["spec"]["seed"]: r for r in groups[b]}
    seeds = sorted(set(runs_a) & set(runs_b))
    return seeds, [value(runs_a[s]) - value(runs_b[s]) for s in seeds]


def bootstrap_ci(
    values: list[float], *, resamples: int = 10_000, level: float = 0.95, seed: int = 0
) -> tuple[float, float, float]:
    """(mean, lower, upper): the mean of ``values`` and its percentile bootstrap interval, resampling the values
    (here: seeds) with replacement; deterministic for a given ``seed``."""
    import numpy as np

    array = np.asarray(values, dtype=float)
    if array.size == 0:
        return float("nan"), float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    means = array[rng.integers(0, array.size, size=(resamples, array.size))].mean(axis=1)
    tail = 100 * (1 - level) / 2
    return float(array.mean()), float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail))


def plot_panels(
    groups: dict[str, list[dict[str, Any]]],
    order: list[str],
    labels: dict[str, str],
    start: dict[str, Any],
    panels: list[tuple[str, str, str]],
    path: Path,
    title: str,
) -> Path:
    """One figure of 2, 3 or 4 panels, each ``(source, key, title)`` with source ``"eval"`` (held-out evaluations,
    the start at step 0) or ``"step"`` (training logs, trailing mean of 5); seed bands as in `plot_family`."""
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
    fig, axes = _figure(len(panels), f"{title} (line: mean over seeds, band: min to max)")
    for ax, (source, key, name) in zip(axes, panels):
        for i, g in enumerate(order):
            series = eval_series(groups[g], start, key) if source == "eval" else step_series(groups[g], key, 5)
            _plot_band(ax, *series, labels[g], colors[i % len(colors)])
        ax.set(xlabel="optimizer step", title=name)
    return _finish(fig, axes, path)


def dual_clip_sentence(groups: dict[str, list[dict[str, Any]]], order: list[str], start: dict[str, Any]) -> str:
    """One line per group that logged ASPO's soft dual clips: the median share of training tokens in each."""
    lines = []
    for g in order:
        s = summarize_group(groups[g], start)
        if any(v is not None for v in s["dual_clip_negative_mean"]):
            lines.append(
                f"`{g}`'s soft dual clip, mean share of training tokens over steps (median over seeds): "
                f"{_num([100 * (v or 0) for v in s['dual_clip_negative_mean']], 3)} % with A < 0 and r > c, "
                f"{_num([100 * (v or 0) for v in s['dual_clip_positive_mean']], 3)} % with A > 0 and r < 1/c."
            )
    return "\n\n".join(lines)
