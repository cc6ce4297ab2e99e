"""Optional shaping rewards. Archer's released recipe uses none of them (strict 0/1 correctness only)."""

from __future__ import annotations

from typing import Any

from .extract import THINK_CLOSE, answer_section, completion_text, last_boxed


def format_reward(completions: list[Any], **kwargs: Any) -> list[float]:
    """1.0 if the response ends its reasoning properly and gives a final boxed answer, else 0.0.

    Properly: at most one ``</think>``, no ``<think>`` after it, and a complete ``\\boxed{}`` after it (or anywhere,
    for responses that do not use think tags; a ``<think>`` that never closes has no answer). Only the form is
    judged: a hedged pair of boxes, which `accuracy_reward` refuses, still has the format.
    """
    scores = []
    for completion in completions:
        text = completion_text(completion)
        well_formed = text.count(THINK_CLOSE) <= 1 and "<think>" not in text.rsplit(THINK_CLOSE, 1)[-1]
        section = answer_section(text)
        scores.append(float(well_formed and section is not None and last_boxed(section) is not None))
    return scores


class SoftOverlongPunishment:
    """DAPO's soft overlong penalty (Eq. 13 of arXiv 2503.14476) on completion token counts.

    0 up to ``max_completion_len - soft_punish_cache`` tokens, then linearly down to -1 at ``max_completion_len``,
    and -1 beyond. A class rather than a closure so that it pickles (TRL's async rollout workers need that); it
    reads the ``completion_ids`` TRL passes to every reward function.
    """

    __name__ = "soft_overlong_punishment_reward"

    def __init__(self, max_completion_len: int, soft_punish_cache: int):
        if max_completion_len <= 0 or not 0 <= soft_punish_cache <= max_completion_len:
            raise ValueError(
                f"need max_completion_len > 0 and 0 <= soft_punish_cache <= max_completion_len; got "
                f"max_completion_len={max_completion_len}, soft_punish_cache={soft_punish_cache}"
            )
        self.max_completion_len = max_completion_len
        self.soft_punish_cache = soft_punish_cache

    def __call__(self, completion_ids: list[list[int]] | None = None, **kwargs: Any) -> list[float]:
        if completion_ids is None:
            raise ValueError(f"{self.__name__} needs completion_ids (TRL passes them to every reward function)")
        limit, cache = self.max_completion_len, self.soft_punish_cache
        scores = []
        for ids in completion_ids:
            length = len(ids)
            if length <= limit - cache:
                scores.append(0.0)
            elif length <= limit:
                scores.append(((limit - cache) - length) / cache)
            else:
                scores.append(-1.0)
        return scores


def get_soft_overlong_punishment(max_completion_len: int, soft_punish_cache: int) -> SoftOverlongPunishment:
    """DAPO's soft overlong penalty, with the signature of ``trl.rewards.get_soft_overlong_punishment``."""
    return SoftOverlongPunishment(max_completion_len, soft_punish_cache)
