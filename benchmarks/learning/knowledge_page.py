"""The pages of regime.py: the regime choice, and the comparison with the pre-registered hypotheses' verdicts.

The verdict rules are those of docs/results/knowledge/HYPOTHESES.md (committed before the comparison ran): each
hypothesis is a paired difference over seeds with a percentile-bootstrap 95 % interval.

- Directional hypotheses (H1, H3): **supported** if every interval's lower bound is > 0, **not supported** if any
  interval's upper bound is <= 0, **inconclusive** otherwise.
- "At least" hypotheses (H2, H4), non-inferiority with a margin of 2 points of held-out avg@4: **supported** if the
  lower bound is > -2, **not supported** if the upper bound is < -2, **inconclusive** otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import compare
import harness
import knowledge_regime as regime
import report

MARGIN_POINTS = 2.0
ASPO_NOTE = (
    '`aspo` (ASPO / Archer2.0, `token_constraints="aspo"` with its released constraints) was added after the '
    "hypotheses were registered and after the other methods ran: it has no hypothesis, and its differences are "
    "descriptive. Same checkpoint, data, seeds, budget and regime as every other method."
)


def final(key: str):
    return lambda run: run["evaluations"][-1][key]


def moved(key: str, start: dict):
    """How far ``key`` ended from the start, in absolute value."""
    return lambda run: abs(run["evaluations"][-1][key] - start[key])


def hypotheses(start: dict) -> list[dict[str, Any]]:
    """Each hypothesis: its comparisons (a, b, measure, scale, label) and its kind (directional / non-inferiority)."""
    return [
        {
            "id": "H1",
            "text": "Archer's recall-probe accuracy drops less than GRPO-without-KL's, for seen and unseen facts",
            "kind": "directional",
            "tests": [
                ("archer", "grpo", final("recall_seen"), 100, "recall, seen facts (points)"),
                ("archer", "grpo", final("recall_unseen"), 100, "recall, unseen facts (points)"),
            ],
        },
        {
            "id": "H2",
            "text": "Archer's held-out task accuracy is at least GRPO-with-uniform-KL's",
            "kind": "non-inferiority",
            "tests": [("archer", "grpo_kl", final("avg@4"), 100, "held-out avg@4 (points)")],
        },
        {
            "id": "H3",
            "text": "without the knowledge KL, knowledge-token entropy and repetition move further than with it",
            "kind": "directional",
            "tests": [
                ("archer_no_kl", "archer", moved("entropy_knowledge", start), 1, "|Δ knowledge-token entropy| (nats)"),
                ("archer_no_kl", "archer", moved("repetition", start), 100, "|Δ repetition| (points)"),
            ],
        },
        {
            "id": "H4",
            "text": "Archer's task accuracy is at least GRPO's",
            "kind": "non-inferiority",
            "tests": [("archer", "grpo", final("avg@4"), 100, "held-out avg@4 (points)")],
        },
    ]


def verdict(kind: str, intervals: list[tuple[float, float, float]]) -> str:
    if kind == "directional":
        if all(low > 0 for _, low, _ in intervals):
            return "supported"
        if any(high <= 0 for _, _, high in intervals):
            return "not supported"
        return "inconclusive"
    mean, low, high = intervals[0]
    if low > -MARGIN_POINTS:
        return "supported"
    if high < -MARGIN_POINTS:
        return "not supported"
    return "inconclusive"


def evaluate_hypotheses(groups: dict, start: dict) -> list[dict[str, Any]]:
    rows = []
    for h in hypotheses(start):
        tests = []
        for a, b, measure, scale, label in h["tests"]:
            if a not in groups or b not in groups:
                continue
            seeds, diffs = report.paired_differences(groups, a, b, measure)
            diffs = [scale * d for d in diffs]
            tests.append(
                {"a": a, "b": b, "label": label, "seeds": seeds, "diffs": diffs, "ci": report.bootstrap_ci(diffs)}
            )
        if len(tests) == len(h["tests"]):
            rows.append(h | {"results": tests, "verdict": verdict(h["kind"], [t["ci"] for t in tests])})
    return rows


def _fmt(value: float, digits: int = 1) -> str:
    return "n/a" if value != value else f"{value:+.{digits}f}"


def verdict_section(rows: list[dict]) -> str:
    lines = [
        "| hypothesis | paired difference, A − B | per seed | mean [95 % CI] | verdict |",
        "|---|---|---|---|---|",
    ]
    for h in rows:
        for i, t in enumerate(h["results"]):
            digits = 3 if "nats" in t["label"] else 1
            mean, low, high = t["ci"]
            lines.append(
                f"| {h['id'] + ': ' + h['text'] if i == 0 else ''} | `{t['a']}` − `{t['b']}`: {t['label']} | "
                + " / ".join(_fmt(d, digits) for d in t["diffs"])
                + f" | {_fmt(mean, digits)} [{_fmt(low, digits)}, {_fmt(high, digits)}] | "
                + (f"**{h['verdict']}**" if i == 0 else "")
                + " |"
            )
    return "\n".join(lines)


KNOWLEDGE_KEYS = (
    ("recall_seen", "recall seen", 100, 1),
    ("recall_unseen", "recall unseen", 100, 1),
    ("recall_prob_seen", "P(value) seen", 100, 1),
    ("recall_prob_unseen", "P(value) unseen", 100, 1),
    ("stated_fact_accuracy", "stated facts right", 100, 1),
    ("avg@4", "avg@4", 100, 1),
    ("accuracy_greedy", "greedy", 100, 1),
    ("entropy_knowledge", "H knowledge", 1, 4),
    ("entropy_reasoning", "H reasoning", 1, 3),
    ("entropy_fact", "H fact tokens", 1, 4),
    ("fact_knowledge_share", "fact tokens typed knowledge", 100, 0),
    ("kl_start_knowledge", "KL→start knowledge", 1, 4),
    ("kl_start_reasoning", "KL→start reasoning", 1, 4),
    ("kl_start_fact", "KL→start fact tokens", 1, 4),
    ("repetition", "repetition", 100, 2),
)


def knowledge_table(groups: dict, order: list[str], start: dict) -> str:
    """Medians over seeds of the final evaluation (percent where scale is 100), plus training clip shares."""
    header = (
        "| run | "
        + " | ".join(name for _, name, _, _ in KNOWLEDGE_KEYS)
        + " | clipped, all / reasoning / knowledge (%) |"
    )
    rows = [header, "|" + "---|" * (len(KNOWLEDGE_KEYS) + 2)]
    rows.append(
        "| starting checkpoint | "
        + " | ".join(f"{scale * start[k]:.{d}f}" for k, _, scale, d in KNOWLEDGE_KEYS)
        + " | |"
    )
    for g in order:
        runs = groups[g]
        cells = [
            f"{scale * report.median([r['evaluations'][-1][k] for r in runs]):.{d}f}"
            for k, _, scale, d in KNOWLEDGE_KEYS
        ]
        s = report.summarize_group(runs, start)
        clips = [
            100 * report.median([regime.clip_fraction(r) for r in runs]),
            100 * report.median([v or 0.0 for v in s["clip_reasoning_mean"]]),
            100 * report.median([v or 0.0 for v in s["clip_knowledge_mean"]]),
        ]
        rows.append(f"| `{g}` | " + " | ".join(cells) + " | " + " / ".join(f"{c:.2f}" for c in clips) + " |")
    return "\n".join(rows)


KNOWLEDGE_PLOTS = {
    "recall.png": (
        "recall probe and task accuracy",
        [
            ("eval", "recall_seen", "recall probe, facts seen in RL"),
            ("eval", "recall_unseen", "recall probe, facts never in RL"),
            ("eval", "avg@4", "held-out avg@4 (T = 1.0)"),
            ("step", "reward", "training reward"),
        ],
    ),
    "drift.png": (
        "KL to the starting checkpoint (k3, held-out samples) and fact-token entropy",
        [
            ("eval", "kl_start_knowledge", "KL to start, knowledge tokens"),
            ("eval", "kl_start_reasoning", "KL to start, reasoning tokens"),
            ("eval", "kl_start_fact", "KL to start, fact-value tokens"),
            ("eval", "entropy_fact", "entropy of fact-value tokens (nats)"),
        ],
    ),
    "clipping.png": (
        "clip fractions on the training batches",
        [
            ("step", "clip_ratio/region_mean", "clipped share of all tokens"),
            ("step", "archer/clip_ratio/reasoning_high", "reasoning tokens, ratio above the range"),
            ("step", "archer/clip_ratio/knowledge_high", "knowledge tokens, ratio above the range"),
            ("step", "archer/clip_ratio/knowledge_low", "knowledge tokens, ratio below the range"),
        ],
    ),
}


def _plots(output_dir: Path, groups: dict, order: list[str], start: dict, outputs: dict) -> list[str]:
    labels = {g: g for g in order}
    names = [n for family in outputs["plots"].values() for n in family]
    for name, (title, panels) in KNOWLEDGE_PLOTS.items():
        report.plot_panels(groups, order, labels, start, panels, output_dir / name, title)
        names.append(name)
    return names


def setup_lines(specs, regime: dict) -> str:
    shared = ", ".join(
        f"`{k}={v}`"
        for k, v in sorted(specs[0].config().items())
        if k
        not in ("seed", "token_constraints", "epsilon", "epsilon_high", "beta", "beta_knowledge", "epsilon_reasoning")
    )
    methods = "; ".join(
        f"`{m}`: {harness.METHOD_LABELS[m]} (`{harness.METHODS[m]}`)" for m in dict.fromkeys(s.method for s in specs)
    )
    e = specs[0].eval
    return "\n".join(
        [
            "## Setup",
            "",
            "- **Start:** `archer_trl/assets/tiny-knowledge` (204k parameters; `scripts/build_tiny_knowledge_model.py`): "
            "200 facts `K00`–`Q99` with values 1–9, half of them (104, by a hash of the name) *seen* in RL prompts, 96 never.",
            f"- **Task:** `archer_trl.tasks.knowledge`: {specs[0].n_train} RL problems per seed over the seen facts, e.g. "
            "`Calculate K17+Q03-5.` → `<think>K17=4,Q03=7,4+7=11,11-5=6</think>\\boxed{6}`; reward `exact_match_reward` "
            f"(the last box equals the gold integer). Held out: {e.n_eval} problems from the question-hash pool no training split draws from.",
            f"- **Shared settings** (recipe + regime): {shared}.",
            f"- **Methods:** {methods}.",
            f"- **Evaluation** every {specs[0].eval_every} steps and after the last, identical for every method: greedy accuracy and "
            f"avg@{e.k} / pass@{e.k} (T = {e.temperature}) on the held-out problems; entropy typed at ρ = {e.typing_quantile} per response, "
            f"repetition (token {e.repetition_ngram}-grams) on those samples; the recall probe (`Recall K17.`, greedy, every fact) and the "
            "probability of each fact's value; the share of right `K17=v` statements in greedy answers; k3 KL to the starting "
            "checkpoint by token type (`benchmarks/learning/knowledge_metrics.py`).",
            "- **Seeds** change the RL problems, sampling and data order; the checkpoint, held-out problems and probe are shared.",
        ]
    )


def write_regime_page(output_dir, meta, specs, outputs, start, elapsed, jobs, choice) -> Path:
    groups, order = outputs["groups"], list(dict.fromkeys(s.group for s in specs))
    lr, reason = choice
    lines = [
        "| learning rate | seed | clipped share of all tokens (%) | reasoning / knowledge clipped (%) | reward, first half → second half | "
        "avg@4 (%) | recall seen / unseen (%) | stable |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for g in order:
        for run in groups[g]:
            s = report.summarize_group([run], start)
            first, second = regime.reward_halves(run)
            f = run["evaluations"][-1]
            lines.append(
                f"| {run['config']['learning_rate']:g} | {run['spec']['seed']} | {100 * regime.clip_fraction(run):.2f} | "
                f"{100 * (s['clip_reasoning_mean'][0] or 0):.2f} / {100 * (s['clip_knowledge_mean'][0] or 0):.2f} | "
                f"{first:.3f} → {second:.3f} | {100 * f['avg@4']:.1f} | "
                f"{100 * f['recall_seen']:.1f} / {100 * f['recall_unseen']:.1f} | {'yes' if regime.is_stable(run, start) else 'no'} |"
            )
    text = "\n\n".join(
        [
            "# Knowledge task: choosing the regime with GRPO alone",
            f"```bash\n{meta['command']}\n```",
            f"Generated {meta['date']} from commit `{meta['commit']}` on {meta['machine']} ({meta['versions']}). "
            + compare.timing_sentence(elapsed, outputs["results"], jobs),
            "Before any other method ran, GRPO alone (TRL's loss, clip 0.2 / 0.28, no KL) was trained at each candidate "
            f"learning rate (3e-4 added after the first four) on seeds {', '.join(map(str, regime.REGIME_SEEDS))} (not the comparison's seeds), with the "
            f"replay settings `{regime.REPLAY}`. Rule (`knowledge_regime.choose_learning_rate`): the smallest learning rate at which, on every seed, "
            f"GRPO clips at least {regime.CLIP_TARGET:.0%} of the tokens (TRL's `clip_ratio/region_mean`, mean over steps) and trains stably "
            "(held-out avg@4 ≥ the start's, seen-fact recall at most 10 points below the start's; see `knowledge_regime.is_stable` for the reward condition that was dropped, and why).",
            f"Start: avg@4 {100 * start['avg@4']:.1f} %, recall seen / unseen {100 * start['recall_seen']:.1f} / {100 * start['recall_unseen']:.1f} %.",
            "\n".join(lines),
            f"**Chosen: learning rate {lr:g}** ({reason})." if lr is not None else f"**No regime chosen:** {reason}.",
            "How the rule changed, on these GRPO-only numbers and before any other method ran: its first version also "
            "asked the mean training reward of the second half of training to be at least the first half's. Every "
            "learning rate failed it on one seed (5e-5, 1e-4 and 2e-4 by 0.003 to 0.006, within the noise of 10 "
            "rollout means of 16 prompts each), although held-out avg@4 rose on all of them, so it chose nothing; the "
            "condition was dropped and 3e-4 was added between the stable 2e-4 and the collapsing 4e-4. No candidate "
            f"reaches a {regime.CLIP_TARGET:.0%} clip share on every seed while stable: at the chosen rate GRPO clips "
            "about 1 % of all tokens and 4 to 5 % of the reasoning tokens, against 0.03 % on the arithmetic task.",
        ]
    )
    path = output_dir / "README.md"
    path.write_text(text + "\n")
    return path


def write_comparison_page(output_dir, meta, specs, outputs, start, elapsed, jobs) -> Path:
    groups, order = outputs["groups"], list(dict.fromkeys(s.group for s in specs))
    rows = evaluate_hypotheses(groups, start)
    plots = _plots(output_dir, groups, order, start, outputs)
    descriptive = []
    pairs = [("archer", g) for g in order if g != "archer" and "archer" in groups]
    pairs += [("aspo", g) for g in ("grpo", "grpo_kl", "mask_80_20") if "aspo" in groups and g in groups]
    for one, other in pairs:
        for key, label in (("avg@4", "avg@4"), ("recall_seen", "recall seen"), ("recall_unseen", "recall unseen")):
            _, diffs = report.paired_differences(groups, one, other, final(key))
            mean, low, high = report.bootstrap_ci([100 * d for d in diffs])
            descriptive.append(
                f"| `{one}` − `{other}` | {label} | "
                + " / ".join(f"{100 * d:+.1f}" for d in diffs)
                + f" | {mean:+.1f} [{low:+.1f}, {high:+.1f}] |"
            )
    text = "\n\n".join(
        [
            "# Knowledge plus reasoning: Archer where its constraints bind",
            f"Regenerate everything on this page (plots, `results.json`, this file):\n\n```bash\n{meta['command']}\n```",
            f"Generated {meta['date']} from commit `{meta['commit']}` on {meta['machine']} ({meta['versions']}). "
            + compare.timing_sentence(elapsed, outputs["results"], jobs),
            "The hypotheses and verdict rules were committed before these runs: [HYPOTHESES.md](HYPOTHESES.md). The regime was "
            "chosen with GRPO alone: [regime/](regime/README.md). What the numbers say, in words: "
            "[docs/results/README.md](../README.md#knowledge-plus-reasoning-where-the-constraints-bind-pre-registered).",
            setup_lines(specs, regime.REGIME),
            "## Verdicts\n\nPaired by seed (same RL problems and data order); mean of the per-seed differences with a "
            "percentile-bootstrap 95 % interval over seeds (10,000 resamples).\n\n" + verdict_section(rows),
            "## Knowledge, drift and clipping\n\nMedians over seeds after the last step (%, except entropies and KL in nats per token).\n\n"
            + knowledge_table(groups, order, start),
            "## All paired differences with Archer, and ASPO's with the baselines (points)\n\n"
            + ASPO_NOTE
            + "\n\n| pair | measure | per seed | mean [95 % CI] |\n|---|---|---|---|\n"
            + "\n".join(descriptive)
            + "\n\n"
            + report.dual_clip_sentence(groups, order, start),
            f"## Accuracy, entropy and clipping (the harness's common table)\n\n{report.TABLE_NOTES}\n\n"
            + report.markdown_table(groups, order, {g: f"`{g}`" for g in order}, start),
            "## Plots\n\n" + "\n\n".join(f"![{n}]({n})" for n in plots),
        ]
    )
    path = output_dir / "README.md"
    path.write_text(text + "\n")
    return path
