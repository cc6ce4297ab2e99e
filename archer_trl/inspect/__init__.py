"""Token-type inspector: which completion tokens Archer treats as reasoning (high entropy) vs knowledge.

* ``python -m archer_trl.inspect`` / ``archer-inspect``: generate or load completions, score their tokens'
  entropies with a model (teacher-forced, logits / temperature, as in training), type them with Archer's
  per-response quantile split (:mod:`archer_trl.core_algos`), and write a self-contained HTML report plus a
  terminal view. See ``docs/inspect.md``.
* :class:`InspectTokensCallback`: the same report every N training steps, as an artifact in ``output_dir``.
"""

from typing import Any

from .compute import CompletionRecord, ReportData, TypedView, build_report_data, summarize, type_records
from .html import render_html
from .io import load_completions, load_prompts, save_jsonl
from .scoring import generate_records, score_records

__all__ = [
    "CompletionRecord",
    "InspectTokensCallback",
    "ReportData",
    "TypedView",
    "build_report_data",
    "generate_records",
    "load_completions",
    "load_prompts",
    "render_html",
    "save_jsonl",
    "score_records",
    "summarize",
    "type_records",
]


def __getattr__(name: str) -> Any:
    # Lazy: the callback pulls in transformers' Trainer machinery (peft, accelerate), which the CLI does not need.
    if name == "InspectTokensCallback":
        from .callback import InspectTokensCallback

        return InspectTokensCallback
    raise AttributeError(f"module 'archer_trl.inspect' has no attribute {name!r}")
