"""The training run's summary: what it measured, what it could not measure and why, as JSON and as printed text.

Every metric may be missing (a log without scored rewards, no held-out split, a held-out evaluation that failed), so
nothing here assumes one is present; a missing value is recorded under ``missing`` with its reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REWARD_WINDOW = 3  # logged steps averaged at each end of the reward trajectory


def reward_trajectory(log_history: list[dict[str, Any]], window: int = REWARD_WINDOW) -> dict[str, Any]:
    """Mean logged reward over the first and the last ``window`` logged steps that had one.

    TRL logs ``'reward': None`` for a step where no sample could be scored (e.g. every gold unparseable); such steps
    are skipped and counted, and when no step was scored the reason is returned under ``missing``.
    """
    logged = [entry["reward"] for entry in log_history if "reward" in entry]
    scored = [value for value in logged if value is not None]
    out: dict[str, Any] = {"unscored_logged_steps": len(logged) - len(scored)} if len(scored) < len(logged) else {}
    if scored:
        out["reward_start"] = sum(scored[:window]) / len(scored[:window])
        out["reward_end"] = sum(scored[-window:]) / len(scored[-window:])
        return out
    reason = (
        f"none of the {len(logged)} logged steps had a scored reward (the reward returned None for every sample, "
        "e.g. unparseable golds)"
        if logged
        else "no step logged a reward (logging_steps larger than the run?)"
    )
    out["missing"] = {"reward_start": reason, "reward_end": reason}
    return out


def note_missing(summary: dict[str, Any], reasons: dict[str, str]) -> None:
    summary.setdefault("missing", {}).update(reasons)


def training_summary(log_history: list[dict[str, Any]], global_step: int) -> dict[str, Any]:
    trajectory = reward_trajectory(log_history)
    summary: dict[str, Any] = {k: v for k, v in trajectory.items() if k != "missing"}
    summary["global_step"] = global_step
    summary["train_runtime_s"] = next((e["train_runtime"] for e in log_history if "train_runtime" in e), None)
    note_missing(summary, trajectory.get("missing", {}))
    return summary


def write_summary(summary: dict[str, Any], output_dir: str | Path) -> Path:
    path = Path(output_dir, "summary.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2))
    return path


def format_summary(summary: dict[str, Any], output_dir: str) -> str:
    missing = summary.get("missing", {})

    def value(key: str, fmt: str) -> str:
        return fmt.format(summary[key]) if summary.get(key) is not None else "n/a"

    def reasons(*keys: str) -> list[str]:
        seen = dict.fromkeys(missing[k] for k in keys if k in missing)  # one line per distinct reason
        return [f"                        ({reason})" for reason in seen]

    runtime = summary.get("train_runtime_s")
    lines = [
        "",
        "=" * 60,
        f"Archer training finished ({summary.get('token_constraints')}, {summary.get('global_step')} steps"
        + (f", {runtime:.0f} s)" if runtime else ")"),
        f"  model                 {summary.get('model')}",
        f"  reward (first -> last) {value('reward_start', '{:.3f}')} -> {value('reward_end', '{:.3f}')}",
        *reasons("reward_start", "reward_end"),
        f"  held-out accuracy     {value('heldout_accuracy_before', '{:.1%}')} -> "
        f"{value('heldout_accuracy_after', '{:.1%}')}  (greedy)",
        *reasons("heldout_accuracy_before", "heldout_accuracy_after"),
        f"  saved to              {output_dir}  (model, tokenizer, README.md model card, summary.json)",
        "=" * 60,
    ]
    return "\n".join(lines)
