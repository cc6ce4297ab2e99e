"""Build the offline starting checkpoint ``archer_trl/assets/tiny-math/`` by supervised fine-tuning from scratch.

    HF_HUB_OFFLINE=1 python scripts/build_tiny_math_model.py            # the shipped checkpoint (defaults)

Nothing is downloaded: the character-level tokenizer and the random Llama model come from ``archer_trl.tiny``, the
data from ``archer_trl.tasks``. The run is deterministic (fixed seeds, one thread, deterministic algorithms), and
deliberately short: the model learns the answer format and most of the arithmetic but stays imperfect, so that RL
has headroom to show (see docs/offline_model.md for the measurements).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402
from tqdm.auto import tqdm  # noqa: E402

from archer_trl.tasks import (  # noqa: E402
    DEFAULT_MAX_OPERAND,
    DEFAULT_N_TERMS,
    Problem,
    evaluate_accuracy,
    generate_completions,
    make_math_dataset,
)
from archer_trl.tiny import TINY_MATH_MODEL, build_char_tokenizer, build_tiny_model  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sft import encode_examples, train_sft  # noqa: E402

DEFAULT_OUTPUT = TINY_MATH_MODEL


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--output_dir", type=Path, default=DEFAULT_OUTPUT)
    p.add_argument("--seed", type=int, default=0, help="Seed of the model initialisation, data and shuffling.")
    p.add_argument("--n_train", type=int, default=4000, help="SFT problems (the training split of `--seed`).")
    p.add_argument("--n_eval", type=int, default=200, help="Held-out problems for the accuracy report.")
    p.add_argument(
        "--n_terms", type=int, nargs="+", default=list(DEFAULT_N_TERMS), help="Numbers per problem (choices)."
    )
    p.add_argument(
        "--max_operand", type=int, default=DEFAULT_MAX_OPERAND, help="Operands are drawn from 1..max_operand."
    )
    p.add_argument("--steps", type=int, default=450, help="Optimizer steps (stopping early on purpose).")
    p.add_argument("--batch_size", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--warmup_steps", type=int, default=50)
    p.add_argument(
        "--schedule",
        choices=["constant", "cosine"],
        default="constant",
        help="LR after warm-up. With 'constant', the model after N steps does not depend on --steps.",
    )
    p.add_argument("--weight_decay", type=float, default=0.01)
    p.add_argument("--hidden_size", type=int, default=64)
    p.add_argument("--num_layers", type=int, default=3)
    p.add_argument("--num_heads", type=int, default=1, help="head_dim = hidden_size / num_heads; keep it 64 (vLLM).")
    p.add_argument("--intermediate_size", type=int, default=256)
    p.add_argument("--max_position_embeddings", type=int, default=1024)
    p.add_argument(
        "--eval_every", type=int, default=0, help="Greedy held-out accuracy every N steps (0: only at end)."
    )
    p.add_argument(
        "--threads", type=int, default=1, help="torch threads (1 keeps the result machine-independent-ish)."
    )
    p.add_argument(
        "--snapshot_steps",
        type=int,
        nargs="*",
        default=[],
        help="Also save the model after these steps to OUTPUT_DIR/step-N (experiments).",
    )
    p.add_argument("--no_save", action="store_true", help="Train and evaluate only (for experiments).")
    return p.parse_args(argv)


def train(args: argparse.Namespace):
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(args.seed)
    random.seed(args.seed)

    tokenizer = build_char_tokenizer()
    model = build_tiny_model(
        tokenizer,
        hidden_size=args.hidden_size,
        num_hidden_layers=args.num_layers,
        num_attention_heads=args.num_heads,
        num_key_value_heads=args.num_heads,
        intermediate_size=args.intermediate_size,
        max_position_embeddings=args.max_position_embeddings,
        seed=args.seed,
    )
    data = make_math_dataset(
        args.n_train,
        args.n_eval,
        seed=args.seed,
        n_terms=args.n_terms,
        max_operand=args.max_operand,
        include_reference=True,
    )
    examples = encode_examples(tokenizer, data["train"]["prompt"], data["train"]["reference"])
    n_params = sum(p.numel() for p in model.parameters())
    print(f"model: {n_params:,} parameters; SFT on {len(examples)} problems for {args.steps} steps")

    history = []
    start = time.time()

    def after_step(step: int, loss: float) -> None:
        if args.eval_every and step % args.eval_every == 0 and step < args.steps:
            acc = evaluate_accuracy(model, tokenizer, data["test"])
            sample = generate_completions(model, tokenizer, data["test"]["prompt"][:2])
            tqdm.write(f"  e.g. {data['test']['prompt'][0][-1]['content']} -> {sample[0]!r}")
            history.append({"step": step, "loss": loss, "greedy_accuracy": acc})
            tqdm.write(f"step {step}: loss {loss:.3f}, held-out greedy accuracy {acc:.3f}")
        if step in args.snapshot_steps:
            snapshot = args.output_dir.with_name(f"{args.output_dir.name}-step-{step}")
            model.save_pretrained(snapshot)
            tokenizer.save_pretrained(snapshot)

    loss = train_sft(
        model,
        tokenizer.pad_token_id,
        examples,
        steps=args.steps,
        batch_size=args.batch_size,
        lr=args.lr,
        warmup_steps=args.warmup_steps,
        weight_decay=args.weight_decay,
        seed=args.seed,
        schedule=args.schedule,
        after_step=after_step,
    )
    train_seconds = time.time() - start

    greedy = evaluate_accuracy(model, tokenizer, data["test"])
    sampled = evaluate_accuracy(model, tokenizer, data["test"], do_sample=True, temperature=1.0, seed=args.seed)
    history.append({"step": args.steps, "loss": loss, "greedy_accuracy": greedy})
    result = {
        "parameters": n_params,
        "sft_seconds": round(train_seconds, 1),
        "final_loss": round(loss, 4),
        "heldout_greedy_accuracy": greedy,
        "heldout_sampled_accuracy_t1": sampled,
        "history": history,
    }
    print(
        f"SFT done in {train_seconds:.0f} s: held-out accuracy greedy {greedy:.3f}, "
        f"sampled (T=1.0) {sampled:.3f} on {len(data['test'])} problems"
    )
    return model, tokenizer, data, result


def save_checkpoint(model, tokenizer, out: Path) -> None:
    """Replace ``out`` with the model and tokenizer, generation config pointing at our EOS and padding tokens."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)


def save(model, tokenizer, args: argparse.Namespace, result: dict, command: str) -> None:
    out = args.output_dir
    save_checkpoint(model, tokenizer, out)
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k != "output_dir"}
    (out / "build_info.json").write_text(json.dumps({"command": command, "args": settings, **result}, indent=2))
    (out / "README.md").write_text(model_card(args, result, command))
    check_saved(out)
    size = sum(f.stat().st_size for f in out.iterdir())
    print(f"saved to {out} ({size / 1e6:.2f} MB)")


def check_saved(out: Path) -> None:
    """The saved directory must reload offline as our character tokenizer (not a Hub tokenizer class)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(out)
    reference = build_char_tokenizer()
    probe = "Calculate 12+34.<|im_end|>"
    if (
        tokenizer.get_vocab() != reference.get_vocab()
        or tokenizer(probe)["input_ids"] != reference(probe)["input_ids"]
    ):
        raise RuntimeError(f"{out} reloads as {type(tokenizer).__name__}, not the character-level tokenizer")
    model = AutoModelForCausalLM.from_pretrained(out)
    if model.generation_config.eos_token_id != tokenizer.convert_tokens_to_ids("<|im_end|>"):
        raise RuntimeError(f"{out}: generation_config.eos_token_id is not <|im_end|>")


def model_card(args: argparse.Namespace, result: dict, command: str) -> str:
    example = Problem((7, 5, 3, 8), ("+", "-", "+"))
    heads = f"{args.num_heads} head{'s' if args.num_heads > 1 else ''}"
    schedule = "constant learning rate" if args.schedule == "constant" else "cosine decay to 10%"
    return f"""---
library_name: transformers
license: apache-2.0
tags: [archer_trl, tiny, arithmetic, offline]
---
# tiny-math: the offline starting checkpoint of archer_trl

A {result["parameters"]:,}-parameter Llama-architecture causal LM with a character-level ChatML tokenizer, trained
from scratch by supervised fine-tuning on `archer_trl.tasks.make_math_dataset`: chains of {"/".join(map(str, args.n_terms))}
numbers from 1 to {args.max_operand} joined by + and -, answered with a scratchpad of running totals, e.g.
`{example.question}` -> `{example.reference_completion()}`. It is the starting point of the offline default job
(`python examples/train_math.py`) and of the learning benchmark, and it is deliberately under-trained so that RL has
headroom (docs/offline_model.md).

## How it was built

```
{command}
```

Seed {args.seed}; {args.n_train} training problems (the `train` split of seed {args.seed}); {args.steps} AdamW steps of
batch {args.batch_size}, peak lr {args.lr} after {args.warmup_steps} warm-up steps, then {schedule}; hidden size
{args.hidden_size}, {args.num_layers} layers, {heads} (head_dim {args.hidden_size // args.num_heads}), MLP
{args.intermediate_size}; {args.threads} torch thread(s), `torch.use_deterministic_algorithms(True)` (rebuilding
gives bit-identical weights on the same machine and torch version). SFT took {result["sft_seconds"]} s on a shared
2-core CPU. Details: `build_info.json`.

## Held-out accuracy

On the `test` split ({args.n_eval} problems from a hash-defined pool that no training split ever draws from), exact
match of the last `\\boxed{{...}}` with the gold integer, at most 48 new tokens:

| decoding | accuracy |
|---|---|
| greedy | {100 * result["heldout_greedy_accuracy"]:.1f}% |
| sampled, temperature 1.0 | {100 * result["heldout_sampled_accuracy_t1"]:.1f}% |
"""


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    model, tokenizer, _, result = train(args)
    if not args.no_save:
        command = " ".join(["HF_HUB_OFFLINE=1 python scripts/build_tiny_math_model.py", *argv])
        save(model, tokenizer, args, result, command)
    return result


if __name__ == "__main__":
    main()
