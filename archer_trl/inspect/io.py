"""Reading the inspector's inputs and writing its typed-token JSONL.

Accepted inputs:

* prompts: ``.jsonl`` / ``.json`` whose items are strings or objects with ``prompt`` (a string or chat messages)
  or ``messages``; any other file is read as one prompt per non-empty line.
* completions: ``.jsonl`` / ``.json`` objects with ``prompt`` and ``completion`` (either a string or chat
  messages); TRL's completion logs (``log_completions=True`` writes ``<output_dir>/completions/
  completions_<step>.parquet`` with columns ``step, prompt, completion, <reward functions>, advantage``), given as
  the parquet file, the ``completions`` folder or the training ``output_dir`` (newest step unless one is chosen);
  and the inspector's own JSONL (``--save-jsonl`` or the training callback), which already holds tokens and
  entropies, so it can be re-typed without a model.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from ..rewards.extract import completion_text
from .compute import CompletionRecord, TypedView, validate_prompt

_STEP_FILE = re.compile(r"completions_(\d+)\.parquet$")
SCORED_KEYS = ("tokens", "entropies")


def _read_json_items(path: Path) -> list[tuple[str, Any]]:
    """(location, item) pairs from a JSON array file or a JSONL file, with line numbers for error messages."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}: not valid JSON ({err})") from err
        if isinstance(data, dict):
            data = data.get("records", data.get("data", [data]))
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a JSON array of items, got {type(data).__name__}")
        return [(f"{path}[{i}]", item) for i, item in enumerate(data)]
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append((f"{path}:{number}", json.loads(line)))
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}:{number}: not valid JSON ({err})") from err
    return items


def load_prompts(path: str | Path) -> list[Any]:
    """Prompts to generate from: strings or chat-message lists (see the module docstring for the formats)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"--prompts {path}: no such file")
    if path.suffix not in (".jsonl", ".json"):
        prompts = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        prompts = []
        for where, item in _read_json_items(path):
            if isinstance(item, dict):
                if "prompt" in item:
                    item = item["prompt"]
                elif "messages" in item:
                    item = item["messages"]
                else:
                    raise ValueError(f"{where}: expected a 'prompt' or 'messages' field, found {sorted(item)}")
            prompts.append(validate_prompt(item, where))
    if not prompts:
        raise ValueError(f"--prompts {path}: no prompts found")
    return prompts


def _plain(value: Any) -> Any:
    """numpy/pandas values (parquet round-trips lists of dicts as object arrays) as plain Python values."""
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def find_trl_log(path: Path, step: int | None = None) -> Path:
    """The TRL completion-log parquet for ``step`` (newest if None) under a training output_dir or its folder."""
    if path.is_file():
        return path
    folder = path / "completions" if (path / "completions").is_dir() else path
    files = {int(m.group(1)): p for p in folder.glob("completions_*.parquet") if (m := _STEP_FILE.search(p.name))}
    if not files:
        raise FileNotFoundError(
            f"{path}: no completions_<step>.parquet found (TRL writes them to <output_dir>/completions/ when "
            "log_completions=True)"
        )
    if step is None:
        return files[max(files)]
    if step not in files:
        raise FileNotFoundError(f"{folder}: no completions_{step:05d}.parquet; logged steps: {sorted(files)}")
    return files[step]


def _completion_field(where: str, completion: Any) -> Any:
    """``completion`` if it is a string or chat messages (``{'role', 'content'}`` dicts); else a clear error."""
    messages = [completion] if isinstance(completion, dict) else completion
    if isinstance(completion, str) or (isinstance(messages, list) and all(isinstance(m, dict) for m in messages)):
        return completion
    raise ValueError(
        f"{where}: completion must be a string or a list of chat messages ({{'role', 'content'}} dicts), got "
        f"{type(completion).__name__}: {str(completion)[:80]!r}"
    )


def _record_from_item(where: str, item: Any) -> CompletionRecord:
    if not isinstance(item, dict):
        raise ValueError(f"{where}: expected an object with 'prompt' and 'completion', got {type(item).__name__}")
    missing = [key for key in ("prompt", "completion") if key not in item]
    if missing:
        raise ValueError(f"{where}: missing field(s) {missing}; found {sorted(item)}")
    prompt = validate_prompt(_plain(item["prompt"]), where)
    text = completion_text(_completion_field(where, _plain(item["completion"])))
    known = {"prompt", "completion", "completion_ids", "special", "logprobs", *SCORED_KEYS}
    meta = {k: _plain(v) for k, v in item.items() if k not in known and k not in ("reasoning", "threshold")}
    record = CompletionRecord(prompt=prompt, completion=text, meta=meta)
    if all(key in item for key in SCORED_KEYS):
        tokens, entropies = list(item["tokens"]), [float(h) for h in item["entropies"]]
        if len(tokens) != len(entropies):
            raise ValueError(f"{where}: {len(tokens)} tokens but {len(entropies)} entropies")
        record.tokens, record.entropies = tokens, entropies
        record.completion_ids = item.get("completion_ids")
        record.special = item.get("special") or [False] * len(tokens)
        record.logprobs = item.get("logprobs")
    elif item.get("completion_ids") is not None:
        record.completion_ids = [int(t) for t in item["completion_ids"]]
    return record


def load_completions(path: str | Path, step: int | None = None) -> list[CompletionRecord]:
    """Completion records from a JSON/JSONL file, a TRL parquet log, or a training output_dir."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"--completions {path}: no such file or folder")
    if path.is_dir() or path.suffix == ".parquet":
        import pandas as pd

        parquet = find_trl_log(path, step)
        frame = pd.read_parquet(parquet)
        rows = frame.to_dict(orient="records")
        records = [_record_from_item(f"{parquet} row {i}", row) for i, row in enumerate(rows)]
        for record in records:
            record.meta.setdefault("source", parquet.name)
    elif path.suffix in (".jsonl", ".json"):
        records = [_record_from_item(where, item) for where, item in _read_json_items(path)]
    else:
        raise ValueError(f"--completions {path}: expected .jsonl, .json, .parquet or a training output folder")
    if not records:
        raise ValueError(f"--completions {path}: no completions found")
    return records


def view_to_jsonl_rows(view: TypedView, extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """JSON-ready rows: the record, its tokens, entropies, threshold and types (1 = reasoning)."""
    rows = []
    for record, tau, mask in zip(view.records, view.thresholds, view.reasoning):
        row = {
            "prompt": record.prompt,
            "completion": record.completion,
            "completion_ids": record.completion_ids,
            "tokens": record.tokens,
            "special": record.special,
            "entropies": record.entropies,
            "logprobs": record.logprobs,
            "threshold": None if math.isnan(tau) else tau,
            "reasoning": [int(m) for m in mask],
            "quantile": view.quantile,
            "ties": view.ties,
            **{k: v for k, v in record.meta.items() if k not in ("quantile", "ties")},
            **(extra or {}),
        }
        rows.append(row)
    return rows


def save_jsonl(view: TypedView, path: str | Path, extra: dict[str, Any] | None = None) -> Path:
    """Write the typed tokens; the file loads back with :func:`load_completions` (no model needed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in view_to_jsonl_rows(view, extra):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
