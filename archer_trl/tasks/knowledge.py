"""An offline task whose answers mix recalled facts with computation: the knowledge-plus-reasoning benchmark.

A fixed table of named facts (``K17 = 4``, ``Q03 = 7``, ...) is taught to the starting checkpoint
(``scripts/build_tiny_knowledge_model.py``). Problems combine facts with arithmetic, and a good response states
every fact it uses, then computes the running totals of `archer_trl.tasks.arithmetic`::

    Calculate K17+Q03-5.   ->   <think>K17=4,Q03=7,4+7=11,11-5=6</think>\\boxed{6}

The fact values are what the paper calls knowledge (recalled, low-entropy once learned); the running totals are the
reasoning. Splits, all deterministic:

- **Seen / unseen facts.** A hash of the fact's name puts about half of the facts in the *seen* set. RL prompts and
  the held-out problems use only seen facts; unseen facts never appear in RL, so drift on them is pure side effect.
- **Held-out problems.** The question-hash pool of `archer_trl.tasks.sampling` (1 in 10 questions) that no training split
  of any seed draws from.
- **Recall probe.** ``Recall K17.`` -> ``<think>K17=4</think>\\boxed{4}``, one per fact, seen and unseen.

The starting checkpoint's SFT data holds every fact (problems over all facts, outside the held-out pool, plus the
recall form), so both fact sets start known. Answers are plain integers scored by ``exact_match_reward``.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass

from ..generation import to_conversation
from .arithmetic import OPERATORS, Problem, exact_match_reward
from .sampling import DEFAULT_EVAL_SEED, check_count, draw_distinct, problems_dataset

FACT_LETTERS = ("K", "Q")
FACTS_PER_LETTER = 100
FACT_VALUE_RANGE = (1, 9)
SEEN_BUCKETS = 2  # 1 in SEEN_BUCKETS facts is unseen in RL
DEFAULT_N_TERMS = (2, 3)
DEFAULT_FACT_SHARE = 0.6  # chance that a term is a fact rather than a literal digit
_TABLE_SEED = "archer-knowledge/facts"

__all__ = [
    "KnowledgeProblem",
    "exact_match_reward",
    "fact_table",
    "is_seen_fact",
    "make_knowledge_dataset",
    "make_recall_probe",
    "make_sft_examples",
    "sample_knowledge_problems",
    "stated_facts",
]


def fact_table() -> dict[str, int]:
    """The fixed fact table: ``{"K00": 3, ..., "Q99": 8}`` (200 facts, values 1 to 9), identical on every machine."""
    rng = random.Random(_TABLE_SEED)
    names = [f"{letter}{i:02d}" for letter in FACT_LETTERS for i in range(FACTS_PER_LETTER)]
    return {name: rng.randint(*FACT_VALUE_RANGE) for name in names}


def is_seen_fact(name: str) -> bool:
    """Whether RL prompts may use the fact ``name``; fixed by a hash of the name."""
    digest = hashlib.sha256(f"seen/{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % SEEN_BUCKETS != 0


def fact_names(which: str = "all") -> list[str]:
    """Fact names in table order: ``"all"``, ``"seen"`` (used in RL prompts) or ``"unseen"`` (never in RL)."""
    if which not in ("all", "seen", "unseen"):
        raise ValueError(f"which={which!r} is invalid: allowed values are all, seen, unseen")
    names = list(fact_table())
    return names if which == "all" else [n for n in names if is_seen_fact(n) == (which == "seen")]


@dataclass(frozen=True)
class KnowledgeProblem:
    """``terms[0] op terms[1] op ...`` where each term is a fact name or a literal digit, evaluated left to right."""

    terms: tuple[str, ...]
    operators: tuple[str, ...]

    def arithmetic(self, table: dict[str, int]) -> Problem:
        """The same chain with every fact replaced by its value (an `archer_trl.tasks.arithmetic.Problem`)."""
        return Problem(tuple(table[t] if t in table else int(t) for t in self.terms), self.operators)

    @property
    def question(self) -> str:
        parts = [self.terms[0]]
        for op, term in zip(self.operators, self.terms[1:]):
            parts += [op, term]
        return f"Calculate {''.join(parts)}."

    def facts(self) -> list[str]:
        """The distinct facts used, in order of first use."""
        return list(dict.fromkeys(t for t in self.terms if not t.isdigit()))

    def reference_completion(self, table: dict[str, int]) -> str:
        """State each fact, then the running totals: ``<think>K17=4,Q03=7,4+7=11,11-5=6</think>\\boxed{6}``."""
        statements = ",".join(f"{name}={table[name]}" for name in self.facts())
        return self.arithmetic(table).reference_completion().replace("<think>", f"<think>{statements},", 1)


def recall_question(name: str) -> str:
    return f"Recall {name}."


def recall_completion(name: str, value: int) -> str:
    return f"<think>{name}={value}</think>\\boxed{{{value}}}"


def _validate(n_terms: Sequence[int], fact_share: float, facts: Sequence[str]) -> None:
    if not n_terms or any(not isinstance(n, int) or n < 2 for n in n_terms):
        raise ValueError(f"n_terms must be a non-empty sequence of integers >= 2, got {n_terms!r}")
    if not 0.0 < fact_share <= 1.0:
        raise ValueError(f"fact_share must be in (0, 1], got {fact_share!r}")
    if not facts:
        raise ValueError("facts must name at least one fact of the table")


def sample_knowledge_problems(
    n: int,
    seed: int | str,
    *,
    heldout: bool,
    facts: Sequence[str],
    n_terms: Sequence[int] = DEFAULT_N_TERMS,
    fact_share: float = DEFAULT_FACT_SHARE,
) -> list[KnowledgeProblem]:
    """``n`` distinct problems using only ``facts`` (at least one per problem), from the held-out question pool
    (``heldout=True``) or its complement; every running total stays non-negative."""
    _validate(n_terms, fact_share, facts)
    check_count(n)
    table = fact_table()
    unknown = [f for f in facts if f not in table]
    if unknown:
        raise ValueError(f"facts {unknown[:5]} are not in the fact table (names like K17 or Q03)")
    rng = random.Random(f"archer-knowledge/{seed}/{'eval' if heldout else 'train'}")
    low, high = FACT_VALUE_RANGE

    def draw(rng: random.Random) -> KnowledgeProblem | None:
        count = rng.choice(list(n_terms))
        terms = [rng.choice(facts) if rng.random() < fact_share else str(rng.randint(low, high)) for _ in range(count)]
        if all(t.isdigit() for t in terms):
            terms[rng.randrange(count)] = rng.choice(facts)
        problem = KnowledgeProblem(tuple(terms), tuple(rng.choice(OPERATORS) for _ in range(count - 1)))
        return problem if min(problem.arithmetic(table).partial_results()) >= 0 else None

    return draw_distinct(n, rng, draw, heldout=heldout)


def make_knowledge_dataset(
    n_train: int = 2000,
    n_eval: int = 200,
    seed: int = 0,
    *,
    eval_seed: int | None = DEFAULT_EVAL_SEED,
    n_terms: Sequence[int] = DEFAULT_N_TERMS,
    fact_share: float = DEFAULT_FACT_SHARE,
    include_reference: bool = False,
):
    """``train`` (RL prompts) and ``test`` (held-out problems) splits; both use only the *seen* facts.

    Columns as ``archer_trl.tasks.make_math_dataset``: ``prompt`` (chat messages), ``solution`` (the gold integer
    as a string), and with ``include_reference=True`` the worked ``reference`` completion.
    """
    seen = fact_names("seen")
    common = {"facts": seen, "n_terms": n_terms, "fact_share": fact_share}
    eval_problems = sample_knowledge_problems(n_eval, seed if eval_seed is None else eval_seed, heldout=True, **common)
    train_problems = sample_knowledge_problems(n_train, seed, heldout=False, **common)
    return _problems_dataset({"train": train_problems, "test": eval_problems}, include_reference)


def _problems_dataset(splits: dict[str, list[KnowledgeProblem]], include_reference: bool):
    table = fact_table()
    return problems_dataset(
        splits,
        solution=lambda p: str(p.arithmetic(table).answer),
        reference=(lambda p: p.reference_completion(table)) if include_reference else None,
    )


def make_recall_probe():
    """One ``Recall K17.`` prompt per fact, with columns ``prompt``, ``solution``, ``fact``, ``seen`` and
    ``reference`` (the completion that states the fact)."""
    import datasets

    table = fact_table()
    names = list(table)
    return datasets.Dataset.from_dict(
        {
            "prompt": [to_conversation(recall_question(n)) for n in names],
            "solution": [str(table[n]) for n in names],
            "fact": names,
            "seen": [is_seen_fact(n) for n in names],
            "reference": [recall_completion(n, table[n]) for n in names],
        }
    )


def make_sft_examples(n_problems: int, seed: int = 0, recall_repeats: int = 1) -> tuple[list, list[str]]:
    """(prompts, reference completions) that teach the starting checkpoint: ``n_problems`` problems over *all*
    facts (never from the held-out pool) and ``recall_repeats`` copies of every fact's recall form."""
    problems = sample_knowledge_problems(n_problems, f"sft/{seed}", heldout=False, facts=fact_names("all"))
    table = fact_table()
    prompts = [to_conversation(p.question) for p in problems]
    references = [p.reference_completion(table) for p in problems]
    for _ in range(recall_repeats):
        prompts += [to_conversation(recall_question(n)) for n in table]
        references += [recall_completion(n, v) for n, v in table.items()]
    return prompts, references


def stated_facts(completion: str) -> dict[str, str]:
    """The ``name=value`` statements in a completion's scratchpad, e.g. ``{"K17": "4"}`` (last one wins)."""
    think = completion.split("</think>", 1)[0]
    statements = {}
    for part in think.replace("<think>", "").split(","):
        name, sep, value = part.partition("=")
        if sep and name[:1] in FACT_LETTERS and name[1:].isdigit():
            statements[name] = value
    return statements
