"""The built-in offline math task: short multi-step integer arithmetic with verifiable answers.

It exists so that the offline default job (``python examples/train_math.py``) and the learning benchmark can run with
no network: problems such as ``Calculate 7+5-3+8.`` are generated from a seed, and the gold answer is a plain integer
string (``"17"``) that the math reward (math-verify) scores against a completion's ``\\boxed{...}``.

The reference completion is a short scratchpad of running totals,
``<think>7+5=12,12-3=9,9+8=17</think>\\boxed{17}``. It mixes low-entropy boilerplate (tags, operands copied from the
prompt, the boxed copy of the last result) with a few high-entropy decision tokens (the digits of each running total),
the split that Archer's dual-token constraints are about, and stays under 48 characters so that RL on a CPU is fast.

Held-out problems come from the question-hash pool of `archer_trl.tasks.sampling`, which no training split of any
seed draws from.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..generation import SamplingSettings, encode_prompts, generate_transformers, render_prompt
from ..rewards.extract import completion_text, last_boxed
from .sampling import DEFAULT_EVAL_SEED, check_count, draw_distinct, problems_dataset

OPERATORS = ("+", "-")
# The task the shipped checkpoint was trained on: 3 or 4 single-digit numbers, e.g. "Calculate 7+5-3+8.".
DEFAULT_N_TERMS = (3, 4)
DEFAULT_MAX_OPERAND = 9


@dataclass(frozen=True)
class Problem:
    """One arithmetic chain ``operands[0] op operands[1] op ...``, evaluated left to right."""

    operands: tuple[int, ...]
    operators: tuple[str, ...]

    @property
    def expression(self) -> str:
        parts = [str(self.operands[0])]
        for op, value in zip(self.operators, self.operands[1:]):
            parts += [op, str(value)]
        return "".join(parts)

    @property
    def question(self) -> str:
        return f"Calculate {self.expression}."

    def partial_results(self) -> list[int]:
        """Running totals after each operator (the scratchpad's intermediate results)."""
        total, results = self.operands[0], []
        for op, value in zip(self.operators, self.operands[1:]):
            total = total + value if op == "+" else total - value
            results.append(total)
        return results

    @property
    def answer(self) -> int:
        return self.partial_results()[-1]

    def reference_completion(self) -> str:
        """The worked solution used for supervised fine-tuning: one ``a op b = c`` step per operator."""
        steps, left = [], self.operands[0]
        for op, value, result in zip(self.operators, self.operands[1:], self.partial_results()):
            steps.append(f"{left}{op}{value}={result}")
            left = result
        return f"<think>{','.join(steps)}</think>\\boxed{{{self.answer}}}"


def _validate(n_terms: Sequence[int], max_operand: int, operators: Sequence[str]) -> None:
    if not n_terms or any(not isinstance(n, int) or n < 2 for n in n_terms):
        raise ValueError(f"n_terms must be a non-empty sequence of integers >= 2, got {n_terms!r}")
    if not isinstance(max_operand, int) or max_operand < 2:
        raise ValueError(f"max_operand must be an integer >= 2, got {max_operand!r}")
    unknown = [op for op in operators if op not in OPERATORS]
    if not operators or unknown:
        raise ValueError(f"operators must be a non-empty subset of {OPERATORS}, got {operators!r}")


def sample_problem(
    rng: random.Random, *, n_terms: Sequence[int], max_operand: int, operators: Sequence[str]
) -> Problem:
    """One random problem whose running totals never go negative (so every number is a plain non-negative int)."""
    while True:
        count = rng.choice(list(n_terms))
        operands = tuple(rng.randint(1, max_operand) for _ in range(count))
        ops = tuple(rng.choice(list(operators)) for _ in range(count - 1))
        problem = Problem(operands, ops)
        if min(problem.partial_results()) >= 0:
            return problem


def sample_problems(
    n: int,
    seed: int | str,
    *,
    heldout: bool,
    n_terms: Sequence[int] = DEFAULT_N_TERMS,
    max_operand: int = DEFAULT_MAX_OPERAND,
    operators: Sequence[str] = OPERATORS,
    exclude: Iterable[str] = (),
) -> list[Problem]:
    """``n`` distinct problems from the held-out pool (``heldout=True``) or from its complement, deterministically."""
    _validate(n_terms, max_operand, operators)
    check_count(n)
    rng = random.Random(f"archer-math/{seed}/{'eval' if heldout else 'train'}")

    def draw(rng: random.Random) -> Problem:
        return sample_problem(rng, n_terms=n_terms, max_operand=max_operand, operators=operators)

    space = f" with n_terms={tuple(n_terms)}, max_operand={max_operand}"
    return draw_distinct(n, rng, draw, heldout=heldout, exclude=exclude, describe=space)


def make_math_dataset(
    n_train: int = 2000,
    n_eval: int = 200,
    seed: int = 0,
    *,
    eval_seed: int | None = DEFAULT_EVAL_SEED,
    n_terms: Sequence[int] = DEFAULT_N_TERMS,
    max_operand: int = DEFAULT_MAX_OPERAND,
    operators: Sequence[str] = OPERATORS,
    system_prompt: str | None = None,
    include_reference: bool = False,
):
    """A ``datasets.DatasetDict`` with ``train`` and ``test`` splits of arithmetic problems.

    Columns: ``prompt`` (chat messages: optional system message, then ``{"role": "user", "content": question}``)
    and ``solution`` (the gold integer as a string, e.g. ``"66"``, scored by math-verify against ``\\boxed{...}``).
    With ``include_reference=True`` a ``reference`` column holds the worked completion used for SFT.

    ``seed`` draws the training problems. The held-out problems are drawn with ``eval_seed`` (by default a constant,
    so every training seed is evaluated on the same problems; ``None`` uses ``seed``). Held-out questions come from a
    hash-defined pool that no training split ever draws from, so the splits are disjoint for any pair of seeds.
    """
    eval_problems = sample_problems(
        n_eval,
        seed if eval_seed is None else eval_seed,
        heldout=True,
        n_terms=n_terms,
        max_operand=max_operand,
        operators=operators,
    )
    train_problems = sample_problems(
        n_train, seed, heldout=False, n_terms=n_terms, max_operand=max_operand, operators=operators
    )
    return problems_dataset(
        {"train": train_problems, "test": eval_problems},
        solution=lambda p: str(p.answer),
        reference=Problem.reference_completion if include_reference else None,
        system_prompt=system_prompt,
    )


def exact_match_reward(completions: list[Any], solution: list[str], **kwargs: Any) -> list[float]:
    """1.0 when the last ``\\boxed{}`` holds exactly the gold integer, else 0.0.

    A fast, dependency-free scorer for this task's integer answers (experiments, tests); the project's general
    math reward is math-verify based and agrees with it on these answers.
    """
    rewards = []
    for completion, gold in zip(completions, solution):
        answer = last_boxed(completion_text(completion))
        rewards.append(1.0 if answer is not None and answer.strip() == str(gold).strip() else 0.0)
    return rewards


def generate_completions(
    model: Any,
    tokenizer: Any,
    prompts: Sequence[list[dict[str, str]]],
    *,
    max_new_tokens: int = 48,
    batch_size: int = 100,
    do_sample: bool = False,
    temperature: float = 1.0,
    seed: int = 0,
    progress: bool = False,
) -> list[str]:
    """One completion per chat prompt (greedy unless ``do_sample``), decoded without special tokens, through
    :func:`archer_trl.generation.generate_transformers`."""
    settings = SamplingSettings(
        n=1, temperature=temperature if do_sample else 0.0, max_tokens=max_new_tokens, seed=seed
    )
    prompt_ids = encode_prompts(tokenizer, [render_prompt(tokenizer, list(p)) for p in prompts])
    rows = generate_transformers(model, tokenizer, prompt_ids, settings, batch_size=batch_size, progress=progress)
    return [row[0].text for row in rows]


def evaluate_accuracy(model: Any, tokenizer: Any, dataset: Any, **generate_kwargs: Any) -> float:
    """Mean exact-match accuracy of ``model`` on a dataset with ``prompt`` and ``solution`` columns."""
    completions = generate_completions(model, tokenizer, dataset["prompt"], **generate_kwargs)
    scores = exact_match_reward(completions, dataset["solution"])
    return sum(scores) / max(len(scores), 1)
