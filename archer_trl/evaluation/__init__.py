"""Evaluate checkpoints the way the Archer paper does: K samples per problem, avg@K and the unbiased pass@k.

The paper (arXiv 2507.15778) samples with vLLM at temperature 0.8, top-p 1.0 and up to 32 768 new tokens, with K
from 4 to 64 depending on the benchmark, and reports avg@K (the mean pass@1 over the K samples) and pass@K. The
package reproduces that protocol; ``archer-evaluate`` (:mod:`archer_trl.cli.evaluate`) is only argument parsing.

- :mod:`.metrics`: :func:`pass_at_k` (the unbiased estimator of Chen et al. 2021) and :func:`aggregate_scores`;
- :mod:`.rows` and :mod:`.benchmarks`: row mappers (pure functions of one dataset row) and the preset registry
  :data:`BENCHMARKS` (Hub id, split, column mapping, the paper's sampling defaults);
- :mod:`.sources`: rows from the Hub, from local files in the same schema, and from the offline sets;
- :mod:`.backends`: vLLM when importable, otherwise batched ``transformers`` generate (:mod:`archer_trl.generation`);
- :mod:`.runner`: scoring through :mod:`archer_trl.rewards`, the functions used in training, so that an evaluated
  number means the same thing as a training reward (a ``None`` score is excluded and counted, never scored 0), and
  :func:`evaluate_model`;
- :mod:`.report`: output writers, the printed table and the accuracy-over-training-steps curve.
"""

from ..generation import Completion, SamplingSettings, encode_prompts, generate_transformers, render_prompt
from .backends import Generator, generate_vllm, vllm_available
from .benchmarks import BENCHMARKS, PAPER_MAX_TOKENS, PAPER_TEMPERATURE, PAPER_TOP_P, Benchmark, get_benchmark
from .metrics import aggregate_scores, is_correct, pass_at_k
from .report import curve_rows, format_table, model_tag, table_ks, write_curve, write_json, write_jsonl
from .rows import (
    ANSWER_COLUMN,
    LCB_HEADER,
    LCB_STARTER,
    LCB_STDIN,
    MATH_INSTRUCTION,
    MATH_TEMPLATE,
    MathColumns,
    Problem,
    Task,
    decode_lcb_tests,
    fill_template,
    humaneval_solution_completion,
    in_date_window,
    lcb_prompt_text,
    map_humaneval_row,
    map_lcb_row,
    map_local_row,
    map_math_row,
    normalize_gold,
)
from .runner import (
    CHECKPOINT_RE,
    EvalOptions,
    checkpoint_step,
    evaluate_benchmark,
    evaluate_model,
    expand_models,
    resolve_settings,
    reward_function,
    score_completions,
)
from .sources import (
    LOCAL_SUFFIXES,
    BenchmarkSpec,
    load_problems,
    local_benchmark,
    parse_benchmark_arg,
    read_local_records,
)

__all__ = [
    "ANSWER_COLUMN",
    "BENCHMARKS",
    "CHECKPOINT_RE",
    "LCB_HEADER",
    "LCB_STARTER",
    "LCB_STDIN",
    "LOCAL_SUFFIXES",
    "MATH_INSTRUCTION",
    "MATH_TEMPLATE",
    "PAPER_MAX_TOKENS",
    "PAPER_TEMPERATURE",
    "PAPER_TOP_P",
    "Benchmark",
    "BenchmarkSpec",
    "Completion",
    "EvalOptions",
    "Generator",
    "MathColumns",
    "Problem",
    "SamplingSettings",
    "Task",
    "aggregate_scores",
    "checkpoint_step",
    "curve_rows",
    "decode_lcb_tests",
    "encode_prompts",
    "evaluate_benchmark",
    "evaluate_model",
    "expand_models",
    "fill_template",
    "format_table",
    "generate_transformers",
    "generate_vllm",
    "get_benchmark",
    "humaneval_solution_completion",
    "in_date_window",
    "is_correct",
    "lcb_prompt_text",
    "load_problems",
    "local_benchmark",
    "map_humaneval_row",
    "map_lcb_row",
    "map_local_row",
    "map_math_row",
    "model_tag",
    "normalize_gold",
    "parse_benchmark_arg",
    "pass_at_k",
    "read_local_records",
    "render_prompt",
    "resolve_settings",
    "reward_function",
    "score_completions",
    "table_ks",
    "vllm_available",
    "write_curve",
    "write_json",
    "write_jsonl",
]
