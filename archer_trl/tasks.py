"""The built-in offline math task: short multi-step integer arithmetic with verifiable answers.

It exists so that the offline default job (``python examples/train_math.py``) and the learning benchmark can run with
no network: problems such as ``Calculate 7+5-3+8.`` are generated from a seed, and the gold answer is a plain integer
string (``"17"``) that the math reward (math-verify) scores against a completion's ``\\boxed{...}``.

The reference completion is a short scratchpad of running totals,
``<think>7+5=12,12-3=9,9+8=17</think>\\boxed{17}``. It mixes low-entropy boilerplate (tags, operands copied from the
prompt, the boxed copy of the last result) with a few high-entropy decision tokens (the digits of each running total),
the split that Archer's dual-token constraints are about, and stays under 48 characters so that RL on a CPU is fast.

Why the held-out split is decided by a hash of the question rather than by the seed: the shipped starting
checkpoint was fine-tuned on one seed's training split, and training jobs draw their training split with their own
seed. A question belongs to the held-out pool (about 1 in ``EVAL_BUCKETS``) for every seed, so no training split of
any seed can contain a held-out question, and the held-out accuracy stays a measure of generalisation.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .generation import SamplingSettings, encode_prompts, generate_transformers, render_prompt, to_conversation
from .rewards.extract import completion_text, last_boxed

EVAL_BUCKETS = 10
MAX_CONSECUTIVE_MISSES = 20_000
DEFAULT_EVAL_SEED = 1234
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


def is_heldout_question(question: str) -> bool:
    """Whether ``question`` is in the held-out pool; fixed by its text, identical for every seed."""
    digest = hashlib.sha256(question.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % EVAL_BUCKETS == 0


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
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"the number of problems must be a non-negative integer, got {n!r}")
    rng = random.Random(f"archer-math/{seed}/{'eval' if heldout else 'train'}")
    seen, problems = set(exclude), []
    misses = 0  # consecutive draws that gave nothing new: the pool is (nearly) exhausted when this grows large
    while len(problems) < n:
        problem = sample_problem(rng, n_terms=n_terms, max_operand=max_operand, operators=operators)
        question = problem.question
        if question in seen or is_heldout_question(question) != heldout:
            misses += 1
            if misses > MAX_CONSECUTIVE_MISSES:
                raise ValueError(
                    f"could only find {len(problems)} of {n} distinct {'held-out' if heldout else 'training'} "
                    f"problems with n_terms={tuple(n_terms)}, max_operand={max_operand}; ask for fewer or widen "
                    "the problem space"
                )
            continue
        misses = 0
        seen.add(question)
        problems.append(problem)
    return problems


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
    import datasets

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

    def build(problems: list[Problem]) -> Any:
        columns: dict[str, list[Any]] = {
            "prompt": [to_conversation(p.question, system_prompt) for p in problems],
            "solution": [str(p.answer) for p in problems],
        }
        if include_reference:
            columns["reference"] = [p.reference_completion() for p in problems]
        return datasets.Dataset.from_dict(columns)

    return datasets.DatasetDict({"train": build(train_problems), "test": build(eval_problems)})


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
