"""The rule-based math reward: the final ``\\boxed{}`` answer checked against the gold by a fail-closed grader.

Checking runs in the hang-proof worker pool of `archer_trl.rewards.math.pool`, never in the trainer.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from ..extract import completion_text, extract_final_answer, prompt_opens_think
from ..reading.answer_line import restates_task
from ..reading.arithmetic import states_false_arithmetic
from ..reading.prompt_words import without_restated_tail
from ..reading.question_labels import names_another_thing
from ..reading.question_quantity import contradicts_question
from ..reading.remarks import stated_number
from .notation import decimal_comma_written
from .pool import BAD_GOLD, CORRECT, FAILED, TIMEOUT, WRONG, VerifierPool, default_pool

ANSWER_FORMATS = ("lenient", "strict")  # how much of the final box's line is read: see reading/answer_line.py


def _as_golds(solution: Any) -> list[str]:
    if solution is None:
        return []
    if isinstance(solution, list | tuple):
        return [str(s) for s in solution if s is not None and str(s).strip()]
    text = str(solution)
    return [text] if text.strip() else []


class AccuracyReward:
    """Math accuracy reward (a picklable callable, as TRL's async rollout workers need).

    ``reward(completions, solution, **kwargs) -> list[float | None]``: 1.0 if the final answer (the last
    ``\\boxed{}`` after any ``</think>``, with the boxes of a multi-part answer) is understood in full and equals
    the gold (`grader`), 0.0 if it differs, is not understood, is hedged, there is no box, or checking overran its
    time; None if the gold itself cannot be parsed or a worker crashed on it (TRL then ignores the sample), with a
    warning naming the rows.
    ``solution`` may hold one gold per completion or a list of acceptable golds; a dataset column named ``answer``
    is used when ``solution`` is absent. Extra TRL arguments (prompts, completion_ids, trainer_state, log_metric,
    ...) are accepted; ``log_metric`` receives the fraction of timeouts and of unscored samples.
    """

    def __init__(
        self,
        *,
        after_think: bool = True,
        parse_timeout: int = 5,
        verify_timeout: int = 5,
        hard_timeout: float | None = None,
        timeout_score: float = 0.0,
        num_workers: int | None = None,
        pool: VerifierPool | None = None,
        name: str = "accuracy_reward",
        answer_format: str = "lenient",
    ):
        for field, value in (("parse_timeout", parse_timeout), ("verify_timeout", verify_timeout)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"{field}={value!r} is invalid: the worker's timeouts are whole seconds >= 1 (together they bound "
                    "one answer's check; the pool's hard_timeout bounds it again from outside)"
                )
        if answer_format not in ANSWER_FORMATS:
            raise ValueError(
                f"answer_format={answer_format!r} is invalid: use 'lenient' (the answer section read by the fail-closed "
                "rules) or 'strict' (also: the final box's line holds only a label, a conclusion word, a subject and "
                "its verb before the box, and a unit and a closing after it; docs/rewards.md)"
            )
        self.answer_format = answer_format
        self.after_think = after_think
        self.parse_timeout = parse_timeout
        self.verify_timeout = verify_timeout
        # gold + answer parse, then one verify alarm per (gold, prediction) pair, usually 1-2 of each
        self.hard_timeout = hard_timeout if hard_timeout is not None else 2.0 * (parse_timeout + verify_timeout) + 2.0
        self.timeout_score = timeout_score
        self.num_workers = num_workers
        self._pool = pool
        self.__name__ = self.__qualname__ = name

    @property
    def pool(self) -> VerifierPool:
        if self._pool is None:
            self._pool = default_pool() if self.num_workers is None else VerifierPool(self.num_workers)
        return self._pool

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_pool": None}  # processes do not travel; the receiving process starts its own

    def __call__(self, completions: list[Any], solution: list[Any] | None = None, **kwargs: Any) -> list[float | None]:
        golds = solution if solution is not None else kwargs.get("answer")
        if golds is None:
            raise ValueError(f"{self.__name__} needs a 'solution' (or 'answer') dataset column with the gold answers")
        if len(completions) != len(golds):
            raise ValueError(f"{self.__name__}: got {len(completions)} completions but {len(golds)} golds")
        prompts = kwargs.get("prompts") or [None] * len(completions)
        texts = [completion_text(c) for c in completions]
        answers = [
            extract_final_answer(
                without_restated_tail(t, p),
                self.after_think,
                think_open=prompt_opens_think(p),
                strict=self.answer_format == "strict",
            )
            for t, p in zip(texts, prompts)
        ]
        answers = [decimal_comma_written(a, t) for a, t in zip(answers, texts)]
        # a right number under another name than the question asks for (only with the prompt)
        answers = [None if a is not None and (contradicts_question(t, p) or names_another_thing(t, p) or states_false_arithmetic(t)) else a
                   for a, t, p in zip(answers, texts, prompts)]  # fmt: skip
        gold_lists = [_as_golds(g) for g in golds]
        # "\boxed{17 \times 23}" for "Compute 17 x 23": the task, not its answer (the prompt's expression, or a task the
        # completion itself names in words: "We must compute five factorial." then "\boxed{5!}", round 30)
        answers = [
            None
            if a is not None
            and g
            and all(map(stated_number, g))
            and (restates_task(a, p) or restates_task(a, c, True))
            else a
            for a, g, p, c in zip(answers, gold_lists, prompts, completions)
        ]
        # a response without a box is still sent (answer None, deduplicated per gold): a bad gold makes it None
        to_check = [i for i in range(len(completions)) if gold_lists[i]]
        verdicts = self.pool.check_many(
            [(gold_lists[i], answers[i]) for i in to_check],
            parse_timeout=self.parse_timeout,
            verify_timeout=self.verify_timeout,
            hard_timeout=self.hard_timeout,
        )
        scores: list[float | None] = [None] * len(completions)
        for i, verdict in zip(to_check, verdicts):
            scores[i] = {CORRECT: 1.0, WRONG: 0.0, TIMEOUT: self.timeout_score}.get(verdict)
        self._report(golds, gold_lists, to_check, verdicts, scores, kwargs.get("log_metric"))
        return scores

    def _report(self, golds, gold_lists, to_check, verdicts, scores, log_metric) -> None:
        bad = {i for i, v in zip(to_check, verdicts) if v == BAD_GOLD} | {i for i, g in enumerate(gold_lists) if not g}
        if bad:
            rows = ", ".join(f"row {i}: {repr(golds[i])[:80]}" for i in sorted(bad)[:5])
            more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
            warnings.warn(
                f"{self.__name__}: gold answers the grader cannot parse (scored None): {rows}{more}", stacklevel=3
            )
        if FAILED in verdicts:
            warnings.warn(f"{self.__name__}: a math grader worker crashed on {verdicts.count(FAILED)} answer(s) "
                          "(scored None)", stacklevel=3)  # fmt: skip
        if callable(log_metric) and scores:
            log_metric(f"{self.__name__}/timeout_frac", verdicts.count(TIMEOUT) / len(scores))
            log_metric(f"{self.__name__}/unscored_frac", sum(s is None for s in scores) / len(scores))


def make_accuracy_reward(**options: Any) -> Callable[..., list[float | None]]:
    """An `AccuracyReward` with its own settings (``after_think``, ``parse_timeout``, ``verify_timeout`` in whole
    seconds, ``hard_timeout``, ``timeout_score``, ``num_workers``, ``pool``, ``name``)."""
    return AccuracyReward(**options)


_DEFAULT_REWARD: AccuracyReward | None = None


def accuracy_reward(completions: list[Any], solution: list[Any] | None = None, **kwargs: Any) -> list[float | None]:
    """Math reward: 1.0 if the final ``\\boxed{}`` answer (after any ``</think>``) states ``solution`` under the
    fail-closed grader, else 0.0; None if the gold cannot be parsed. The defaults of `AccuracyReward`; a module-level function, so it
    pickles by reference."""
    global _DEFAULT_REWARD
    if _DEFAULT_REWARD is None:
        _DEFAULT_REWARD = AccuracyReward()
    return _DEFAULT_REWARD(completions, solution, **kwargs)


_STRICT_REWARD: AccuracyReward | None = None


def strict_accuracy_reward(
    completions: list[Any], solution: list[Any] | None = None, **kwargs: Any
) -> list[float | None]:
    """`accuracy_reward` with ``answer_format="strict"``: the final box's line must also hold nothing but a label, a
    conclusion word, a subject and its verb before the box, and a unit and a customary closing after it. Measured
    on red-team round 23: 113 of 124 reward hacks paid by the lenient reading, 26 by this one, at 3 of 524 realistic
    right answers refused instead of 2; round 24, written against it, is paid 97 of 174 (lenient 146), by hedges
    placed off the final line; a fresh round 25 was paid 55 of 105 (lenient 56) while 80 of 86 right answers
    were refused (lenient 9): experimental, opt-in (docs/rewards.md). Registered as ``accuracy_strict``."""
    global _STRICT_REWARD
    if _STRICT_REWARD is None:
        _STRICT_REWARD = AccuracyReward(answer_format="strict", name="strict_accuracy_reward")
    return _STRICT_REWARD(completions, solution, **kwargs)
