"""Verifiable rewards, as TRL reward functions: ``fn(completions, **dataset_columns) -> list[float | None]``.

- `accuracy_reward` (math): the last ``\\boxed{}`` after ``</think>`` checked against ``solution`` with math-verify,
  in hang-proof worker processes; `strict_accuracy_reward` (``accuracy_strict``) also reads the final box's line
  against a grammar of what may stand there (experimental: docs/rewards.md);
- `code_reward` (code): the last fenced Python block run against ``tests`` / ``verification_info`` in a bubblewrap
  sandbox (persistent executors, a fresh namespace set per program), judged outside the solution;
- `format_reward`, `get_soft_overlong_punishment` (optional shaping);
- `resolve_reward_function` (names and ``module:function`` / ``file.py:function`` references);

``None`` means "could not be scored" (an unparseable gold, a sandbox that failed to start): TRL then ignores that
function for that sample instead of treating it as wrong. Importing this package does not import torch, so the
reward worker processes stay light.
"""

from .code.formats import CodeTest, CodeTestSuite, decode_lcb_private_tests, normalize_tests
from .code.reward import CodeReward, code_reward, make_code_reward, run_program
from .extract import completion_text, extract_code, extract_final_answer, last_boxed
from .math.pool import VerifierPool
from .math.reward import AccuracyReward, accuracy_reward, make_accuracy_reward, strict_accuracy_reward
from .registry import REGISTRY, resolve_reward_function
from .sandbox.executor import SandboxConfig, SandboxUnavailable
from .sandbox.pool import Verdict
from .shaping import format_reward, get_soft_overlong_punishment

__all__ = [
    "REGISTRY",
    "AccuracyReward",
    "CodeReward",
    "SandboxConfig",
    "SandboxUnavailable",
    "CodeTest",
    "CodeTestSuite",
    "Verdict",
    "VerifierPool",
    "accuracy_reward",
    "code_reward",
    "completion_text",
    "decode_lcb_private_tests",
    "extract_code",
    "extract_final_answer",
    "format_reward",
    "get_soft_overlong_punishment",
    "last_boxed",
    "make_accuracy_reward",
    "strict_accuracy_reward",
    "make_code_reward",
    "normalize_tests",
    "resolve_reward_function",
    "run_program",
]
