"""Writing evaluation results: JSON and JSONL files, the printed table, and the accuracy-over-training curve."""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def table_ks(k_max: int) -> list[int]:
    """The k values shown in the printed table: powers of two up to ``k_max``, plus ``k_max`` itself."""
    ks = [2**i for i in range(k_max.bit_length()) if 2**i <= k_max]
    return ks + ([k_max] if k_max not in ks else [])


def model_tag(model: str) -> str:
    """A directory-safe name for a model path or Hub id (``checkpoint-100``, ``org__name``)."""
    path = Path(model)
    name = path.name if path.exists() else model.replace("/", "__")
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name) or "model"


def write_json(path: str | os.PathLike, data: Any) -> None:
    Path(path).write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


def write_jsonl(path: str | os.PathLike, records: Iterable[dict[str, Any]]) -> None:
    with Path(path).open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def format_table(results: Sequence[dict[str, Any]]) -> str:
    """A plain-text table: one row per (model, benchmark) with avg@K and pass@k at powers of two and K (in %)."""
    rows = []
    for result in results:
        for name, m in result["benchmarks"].items():
            k = m["k"]
            passes = "  ".join(f"@{kk} {_pct(m['pass@k'][str(kk)])}" for kk in table_ks(k))
            rows.append(
                [
                    model_tag(result["model"]),
                    name,
                    str(m["num_problems"]),
                    str(k),
                    _pct(m[f"avg@{k}"]),
                    _pct(m[f"pass@{k}"]),
                    str(m["num_unscored"]),
                    f"{m.get('generation_s', 0):.0f}+{m.get('scoring_s', 0):.0f}",
                    passes,
                ]
            )
    header = ["model", "benchmark", "problems", "K", "avg@K", "pass@K", "unscored", "gen+score s", "pass@k (%)"]
    widths = [max(len(header[c]), *(len(r[c]) for r in rows)) if rows else len(header[c]) for c in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def curve_rows(results: Sequence[dict[str, Any]], steps: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Flat rows (model, step, benchmark, K, avg@K, pass@1, pass@K) of several checkpoints' results.

    Steps come from ``steps`` when given (one per result), else from each checkpoint's name or trainer state; when
    any is unknown, the checkpoints' order (0, 1, 2, ...) is used for all of them so the x axis stays one scale.
    """
    if steps is not None and len(steps) != len(results):
        raise ValueError(f"--steps has {len(steps)} values for {len(results)} models")
    found = list(steps) if steps is not None else [r.get("step") for r in results]
    if any(s is None for s in found):
        found = list(range(len(results)))
    rows = []
    for step, result in zip(found, results):
        for name, m in result["benchmarks"].items():
            k = m["k"]
            rows.append(
                {
                    "model": result["model"],
                    "step": step,
                    "benchmark": name,
                    "k": k,
                    "avg@k": m[f"avg@{k}"],
                    "pass@1": m["pass@k"]["1"],
                    "pass@k": m[f"pass@{k}"],
                }
            )
    return rows


def write_curve(rows: Sequence[dict[str, Any]], output_dir: str | os.PathLike, *, title: str | None = None) -> Path:
    """``curve.json``, ``curve.csv`` and ``curve.png`` (avg@K solid, pass@K dashed, one colour per benchmark)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "curve.json", list(rows))
    with (out / "curve.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["model", "step", "benchmark", "k", "avg@k", "pass@1", "pass@k"])
        writer.writeheader()
        writer.writerows(rows)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    benchmarks = list(dict.fromkeys(r["benchmark"] for r in rows))
    for color_index, name in enumerate(benchmarks):
        points = sorted((r for r in rows if r["benchmark"] == name), key=lambda r: r["step"])
        steps = [r["step"] for r in points]
        k = points[0]["k"]
        color = f"C{color_index}"
        avg = [100 * r["avg@k"] if r["avg@k"] is not None else float("nan") for r in points]
        best = [100 * r["pass@k"] if r["pass@k"] is not None else float("nan") for r in points]
        ax.plot(steps, avg, "-o", color=color, label=f"{name} avg@{k}")
        if k > 1:
            ax.plot(steps, best, "--s", color=color, alpha=0.7, label=f"{name} pass@{k}")
    ax.set_xlabel("training step")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(-2, 102)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title or "accuracy over training")
    fig.tight_layout()
    path = out / "curve.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
