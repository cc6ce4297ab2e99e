"""What every offline task shares: the held-out question pool, drawing distinct problems from it or from its
complement, and turning problems into a ``datasets`` split.

Why the held-out split is decided by a hash of the question rather than by the seed: the shipped starting
checkpoints were fine-tuned on one seed's training split, and training jobs draw their training split with their own
seed. A question belongs to the held-out pool (about 1 in ``EVAL_BUCKETS``) for every seed, so no training split of
any seed can contain a held-out question, and held-out accuracy stays a measure of generalisation.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

EVAL_BUCKETS = 10
MAX_CONSECUTIVE_MISSES = 20_000
DEFAULT_EVAL_SEED = 1234


class HasQuestion(Protocol):
    @property
    def question(self) -> str: ...


P = TypeVar("P", bound=HasQuestion)


def is_heldout_question(question: str) -> bool:
    """Whether ``question`` is in the held-out pool; fixed by its text, identical for every seed."""
    digest = hashlib.sha256(question.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % EVAL_BUCKETS == 0


def check_count(n: Any) -> None:
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"the number of problems must be a non-negative integer, got {n!r}")


def draw_distinct(
    n: int,
    rng: random.Random,
    draw: Callable[[random.Random], P | None],
    *,
    heldout: bool,
    exclude: Iterable[str] = (),
    describe: str = "",
) -> list[P]:
    """``n`` problems with distinct questions, each from ``draw(rng)`` (``None``: an unusable draw), all in the
    held-out pool (``heldout=True``) or all outside it. Deterministic for a given ``rng`` state."""
    check_count(n)
    seen, problems = set(exclude), []
    misses = 0  # consecutive draws that gave nothing new: the pool is (nearly) exhausted when this grows large
    while len(problems) < n:
        problem = draw(rng)
        if problem is None or problem.question in seen or is_heldout_question(problem.question) != heldout:
            misses += 1
            if misses > MAX_CONSECUTIVE_MISSES:
                raise ValueError(
                    f"could only find {len(problems)} of {n} distinct {'held-out' if heldout else 'training'} "
                    f"problems{describe}; ask for fewer or widen the problem space"
                )
            continue
        misses = 0
        seen.add(problem.question)
        problems.append(problem)
    return problems


def problems_dataset(
    splits: dict[str, list[P]],
    solution: Callable[[P], str],
    reference: Callable[[P], str] | None = None,
    system_prompt: str | None = None,
):
    """A ``datasets.DatasetDict`` with columns ``prompt`` (chat messages), ``solution`` and, given ``reference``,
    the worked ``reference`` completion, one split per entry of ``splits``."""
    import datasets

    from ..generation import to_conversation

    def build(problems: list[P]) -> Any:
        columns: dict[str, list[Any]] = {
            "prompt": [to_conversation(p.question, system_prompt) for p in problems],
            "solution": [solution(p) for p in problems],
        }
        if reference is not None:
            columns["reference"] = [reference(p) for p in problems]
        return datasets.Dataset.from_dict(columns)

    return datasets.DatasetDict({name: build(problems) for name, problems in splits.items()})
