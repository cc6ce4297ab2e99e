"""``archer-inspect`` / ``python -m archer_trl.inspect``: which tokens does Archer treat as reasoning vs knowledge?

Examples::

    # generate completions from a model and type them
    archer-inspect --model Qwen/Qwen2.5-Math-1.5B --prompts prompts.jsonl --num-generations 4 -o report.html
    # type existing completions (JSONL with prompt/completion) under a model
    archer-inspect --model ./checkpoint-500 --completions samples.jsonl
    # the completions TRL logged during training (log_completions=True), scored by the trained model
    archer-inspect --model ./run --completions ./run            # newest completions_<step>.parquet
    # compare two values of rho, or the same completions before/after training
    archer-inspect --model ./base --prompts prompts.txt --compare-quantile 0.7
    archer-inspect --model ./base --compare-model ./run --completions ./run
    # re-type a saved typed-token JSONL (from --save-jsonl or the training callback) without a model
    archer-inspect --completions ./run/token_types/step_000100.jsonl --quantile 0.9
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from ..core_algos.tokens import DEFAULT_TOKEN_ENTROPY_QUANTILE
from ..inspect.ansi import COLOR_MODES, render_terminal, use_color
from ..inspect.compute import (
    DEFAULT_QUANTILE_GRID,
    TIE_RULES,
    CompletionRecord,
    build_report_data,
    check_quantile,
)
from ..inspect.html import render_html
from ..inspect.io import load_completions, load_prompts, save_jsonl
from ..inspect.scoring import generate_records, score_records
from ..inspect.screenshot import ScreenshotError

DTYPES = ("auto", "float32", "bfloat16", "float16")


def _quantile(text: str) -> float:
    try:
        return check_quantile(float(text))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be >= 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archer-inspect",
        description="Show which completion tokens Archer treats as reasoning (entropy above the response's "
        "rho-quantile) and which as knowledge: an HTML report and a terminal view.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("Examples::", 1)[1] if __doc__ else None,
    )
    src = parser.add_argument_group("inputs")
    src.add_argument("--model", help="model path or Hub id that generates and/or scores the completions")
    src.add_argument("--tokenizer", help="tokenizer path (default: the model's)")
    inputs = src.add_mutually_exclusive_group(required=True)
    inputs.add_argument("--prompts", help="prompts to generate from: .jsonl/.json (prompt or messages) or text lines")
    inputs.add_argument(
        "--completions",
        help="completions to type: .jsonl/.json with prompt+completion, a TRL completions_<step>.parquet, a "
        "training output_dir (its newest TRL completion log), or a typed-token JSONL saved by this tool",
    )
    src.add_argument("--step", type=int, help="with a training folder: the logged step to read (default: newest)")
    src.add_argument("--limit", type=_positive_int, help="use only the first N prompts / completions")
    src.add_argument(
        "--chat-template-kwargs", type=json.loads, default=None, help="JSON, e.g. '{\"enable_thinking\": false}'"
    )
    src.add_argument(
        "--append-eos",
        action="store_true",
        help="score text completions with a final EOS token, as the trainer types it for completions that stopped "
        "(TRL's logged text has special tokens stripped)",
    )

    typing_ = parser.add_argument_group("typing (as in ArcherConfig)")
    typing_.add_argument(
        "--quantile",
        "--rho",
        type=_quantile,
        default=DEFAULT_TOKEN_ENTROPY_QUANTILE,
        help=f"token_entropy_quantile ({DEFAULT_TOKEN_ENTROPY_QUANTILE})",
    )
    typing_.add_argument("--ties", choices=TIE_RULES, default="knowledge", help="entropy_tie_rule (knowledge)")
    typing_.add_argument(
        "--temperature", type=float, default=1.0, help="sampling temperature: entropies use logits / T (1.0)"
    )
    compare = typing_.add_mutually_exclusive_group()
    compare.add_argument("--compare-quantile", type=_quantile, help="also type at this rho and show the changes")
    compare.add_argument("--compare-model", help="also score with this model (e.g. after training) and show changes")

    gen = parser.add_argument_group("generation (with --prompts)")
    gen.add_argument("--num-generations", type=_positive_int, default=1, help="completions per prompt (1)")
    gen.add_argument("--max-new-tokens", type=_positive_int, default=512, help="(512)")
    gen.add_argument("--min-new-tokens", type=int, default=0, help="suppress EOS before this many tokens (0)")
    gen.add_argument("--top-p", type=float, default=1.0, help="(1.0)")
    gen.add_argument("--top-k", type=int, default=0, help="(0: off)")
    gen.add_argument("--greedy", action="store_true", help="greedy decoding instead of sampling")
    gen.add_argument("--seed", type=int, default=0, help="sampling seed (0)")

    run = parser.add_argument_group("runtime")
    run.add_argument("--batch-size", type=_positive_int, default=8, help="sequences per forward/generate (8)")
    run.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:1, ... (auto)")
    run.add_argument("--dtype", choices=DTYPES, default="auto", help="model dtype (auto: float32 on CPU, bf16 GPU)")
    run.add_argument(
        "--num-threads",
        type=_positive_int,
        help="torch CPU threads (default: torch's). 1 is fastest for small models and on shared or busy CPUs",
    )
    run.add_argument("--trust-remote-code", action="store_true")
    run.add_argument("--no-progress", action="store_true", help="no progress bars")

    out = parser.add_argument_group("output")
    out.add_argument("-o", "--output", default="archer_inspect.html", help="HTML report path (archer_inspect.html)")
    out.add_argument("--save-jsonl", help="also write the typed tokens as JSONL (re-loadable with --completions)")
    out.add_argument("--title", default="Archer token types", help="report title")
    out.add_argument("--screenshot", help="also save a PNG of the report's first screen (needs chromium)")
    out.add_argument("--screenshot-size", default="1200x900", help="screenshot viewport WIDTHxHEIGHT (1200x900)")
    out.add_argument("--print", dest="print_n", type=int, default=3, help="responses shown in the terminal (3)")
    out.add_argument("--print-tokens", type=_positive_int, default=400, help="tokens per terminal response (400)")
    out.add_argument("--color", choices=COLOR_MODES, default="auto", help="terminal colour (auto: TTY, no NO_COLOR)")
    out.add_argument("--no-color", dest="color", action="store_const", const="never", help="same as --color never")
    return parser


def _device(name: str):
    import torch

    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def load_model(path: str, device, dtype: str, trust_remote_code: bool = False):
    """A causal LM in eval mode on ``device``; dtype ``auto`` is float32 on CPU and bfloat16 on accelerators."""
    import torch
    from transformers import AutoModelForCausalLM

    chosen = dtype if dtype != "auto" else ("float32" if device.type == "cpu" else "bfloat16")
    model = AutoModelForCausalLM.from_pretrained(
        path, dtype=getattr(torch, chosen), trust_remote_code=trust_remote_code
    )
    return model.to(device).eval()


def load_tokenizer(path: str, trust_remote_code: bool = False):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=trust_remote_code)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def short_name(path: str, width: int = 16) -> str:
    """A model label that fits the report's row labels: the last path component, trimmed."""
    name = Path(str(path).rstrip("/")).name or str(path)
    return name if len(name) <= width else name[: width - 1] + "\u2026"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Do the work of one CLI call; returns paths and timings (also printed to stderr)."""
    timings: dict[str, float] = {}
    progress = not args.no_progress
    device = _device(args.device)
    if args.num_threads:
        import torch

        torch.set_num_threads(args.num_threads)
    if args.temperature <= 0:
        raise ValueError(f"--temperature {args.temperature}: must be > 0")

    model = tokenizer = None
    if args.model:
        start = time.perf_counter()
        tokenizer = load_tokenizer(args.tokenizer or args.model, args.trust_remote_code)
        model = load_model(args.model, device, args.dtype, args.trust_remote_code)
        timings["load"] = time.perf_counter() - start

    if args.prompts:
        if model is None:
            raise ValueError("--prompts needs --model to generate completions")
        prompts = load_prompts(args.prompts)[: args.limit]
        start = time.perf_counter()
        records = generate_records(
            model,
            tokenizer,
            prompts,
            num_generations=args.num_generations,
            max_new_tokens=args.max_new_tokens,
            min_new_tokens=args.min_new_tokens,
            temperature=args.temperature,
            top_p=args.top_p,
            top_k=args.top_k,
            do_sample=not args.greedy,
            batch_size=args.batch_size,
            seed=args.seed,
            chat_template_kwargs=args.chat_template_kwargs,
            progress=progress,
        )
        timings["generate"] = time.perf_counter() - start
        source = f"{args.prompts} ({len(prompts)} prompts x {args.num_generations})"
    else:
        records = load_completions(args.completions, args.step)[: args.limit]
        source = str(args.completions)

    score_kwargs = {
        "temperature": args.temperature,
        "batch_size": args.batch_size,
        "chat_template_kwargs": args.chat_template_kwargs,
        "append_eos": args.append_eos,
        "progress": progress,
    }
    if model is not None:
        start = time.perf_counter()
        records = score_records(model, tokenizer, records, **score_kwargs)
        timings["score"] = time.perf_counter() - start
    elif not all(r.is_scored for r in records):
        raise ValueError(
            f"{args.completions} holds completions without entropies: pass --model to score them (the model to "
            "inspect, e.g. the training output_dir)"
        )

    compare_records: list[CompletionRecord] | None = None
    compare_label = None
    if args.compare_model:
        missing = [i for i, r in enumerate(records) if r.completion_ids is None]
        if missing:
            raise ValueError(f"records {missing[:5]} have no token ids to re-score with --compare-model")
        compare_tokenizer = tokenizer or load_tokenizer(args.compare_model, args.trust_remote_code)
        compare_model = load_model(args.compare_model, device, args.dtype, args.trust_remote_code)
        start = time.perf_counter()
        compare_records = score_records(compare_model, compare_tokenizer, records, **score_kwargs)
        timings["score_compare"] = time.perf_counter() - start
        del compare_model
        compare_label = "B: " + short_name(args.compare_model)

    start = time.perf_counter()
    label = None
    if compare_records is not None:
        label = "A: " + short_name(args.model or args.completions)
    meta = {
        "model": args.model or "(stored entropies)",
        "source": source,
        "temperature": f"{args.temperature:g}",
        "ties": args.ties,
    }
    if args.compare_model:
        meta["compare model"] = args.compare_model
    data = build_report_data(
        records,
        args.quantile,
        args.ties,
        compare_quantile=args.compare_quantile,
        compare_records=compare_records,
        label=label,
        compare_label=compare_label,
        grid=DEFAULT_QUANTILE_GRID + ((args.compare_quantile,) if args.compare_quantile else ()),
        meta=meta,
    )
    page = render_html(data, title=args.title)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    timings["render"] = time.perf_counter() - start
    if args.screenshot:
        from .screenshot import screenshot

        width, _, height = args.screenshot_size.partition("x")
        if not (width.isdigit() and height.isdigit()):
            raise ValueError(f"--screenshot-size {args.screenshot_size!r}: expected WIDTHxHEIGHT, e.g. 1200x900")
        screenshot(output, args.screenshot, int(width), int(height))
    if args.save_jsonl:
        save_jsonl(data.primary, args.save_jsonl, {"temperature": args.temperature, "model": args.model})

    if args.print_n > 0:
        color = use_color(args.color, sys.stdout)
        sys.stdout.write(render_terminal(data, color=color, max_responses=args.print_n, max_tokens=args.print_tokens))
        sys.stdout.flush()
    n_tokens = data.summary.n_tokens
    _log(
        f"wrote {output} ({len(records)} completions, {n_tokens} tokens); "
        + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())
    )
    return {"output": str(output), "timings": timings, "n_completions": len(records), "n_tokens": n_tokens}


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = build_parser().parse_args(argv)
    try:
        run(args)
    except (ValueError, FileNotFoundError, ScreenshotError) as err:
        print(f"archer-inspect: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
