"""Build ``archer_trl/assets/tiny-knowledge/``: the starting checkpoint of the knowledge-plus-reasoning benchmark.

    HF_HUB_OFFLINE=1 python scripts/build_tiny_knowledge_model.py          # the shipped checkpoint (defaults)

It continues the shipped ``tiny-math`` checkpoint (which already has the answer format and the running totals)
with supervised fine-tuning on ``archer_trl.tasks.knowledge``: problems over all 200 facts plus each fact's recall
form, so that both the facts RL will use and the ones it never sees start known. The SFT loop and data encoding are
``scripts/sft.py``'s and the reload check ``scripts/build_tiny_math_model.py``'s, imported; the run is deterministic (fixed seeds, one
thread, deterministic algorithms). Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_tiny_math_model as math_builder  # noqa: E402
import torch  # noqa: E402
from sft import encode_examples, train_sft  # noqa: E402
from transformers import AutoModelForCausalLM  # noqa: E402

from archer_trl.tasks import evaluate_accuracy  # noqa: E402
from archer_trl.tasks.knowledge import (  # noqa: E402
    make_knowledge_dataset,
    make_recall_probe,
    make_sft_examples,
)
from archer_trl.tiny import build_char_tokenizer  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INIT = REPO_ROOT / "archer_trl" / "assets" / "tiny-math"
DEFAULT_OUTPUT = REPO_ROOT / "archer_trl" / "assets" / "tiny-knowledge"
MAX_NEW_TOKENS = 64


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--output_dir", type=Path, default=DEFAULT_OUTPUT)
    p.add_argument("--init", type=Path, default=DEFAULT_INIT, help="checkpoint to continue (default tiny-math)")
    p.add_argument("--seed", type=int, default=0, help="Seed of the SFT problems and the shuffling.")
    p.add_argument("--n_problems", type=int, default=4000, help="SFT problems over all facts (never held out).")
    p.add_argument("--recall_repeats", type=int, default=8, help="Copies of every fact's recall form in the SFT data.")
    p.add_argument("--steps", type=int, default=800, help="Optimizer steps.")
    p.add_argument("--batch_size", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--warmup_steps", type=int, default=20)
    p.add_argument("--weight_decay", type=float, default=0.01)
    p.add_argument("--eval_every", type=int, default=0, help="Evaluate every N steps (0: only at the end).")
    p.add_argument("--n_eval", type=int, default=200, help="Held-out problems for the report.")
    p.add_argument("--no_save", action="store_true", help="Train and evaluate only (for experiments).")
    return p.parse_args(argv)


def evaluate(model, tokenizer) -> dict[str, float]:
    """Greedy recall-probe accuracy on seen and unseen facts, and greedy/sampled held-out problem accuracy."""
    probe = make_recall_probe()
    test = make_knowledge_dataset(n_train=0, n_eval=200)["test"]
    result = {}
    for name, keep in (("recall_seen", True), ("recall_unseen", False)):
        split = probe.filter(lambda row, keep=keep: row["seen"] == keep)
        result[name] = evaluate_accuracy(model, tokenizer, split, max_new_tokens=MAX_NEW_TOKENS)
    result["heldout_greedy_accuracy"] = evaluate_accuracy(model, tokenizer, test, max_new_tokens=MAX_NEW_TOKENS)
    result["heldout_sampled_accuracy_t1"] = evaluate_accuracy(
        model, tokenizer, test, max_new_tokens=MAX_NEW_TOKENS, do_sample=True, temperature=1.0, seed=0
    )
    return result


def train(args: argparse.Namespace):
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(args.seed)
    tokenizer = build_char_tokenizer()
    model = AutoModelForCausalLM.from_pretrained(args.init)
    prompts, references = make_sft_examples(args.n_problems, args.seed, args.recall_repeats)
    examples = encode_examples(tokenizer, prompts, references)
    print(f"SFT from {args.init.name} on {len(examples)} examples for {args.steps} steps")
    history = []
    start = time.time()

    def after_step(step: int, loss: float) -> None:
        if args.eval_every and step % args.eval_every == 0 and step < args.steps:
            history.append({"step": step, "loss": round(loss, 4), **evaluate(model, tokenizer)})
            print(json.dumps(history[-1]), flush=True)

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
        after_step=after_step,
    )
    seconds = time.time() - start
    metrics = evaluate(model, tokenizer)
    history.append({"step": args.steps, "loss": round(loss, 4), **metrics})
    print(json.dumps(history[-1]), flush=True)
    result = {
        "parameters": sum(p.numel() for p in model.parameters()),
        "sft_seconds": round(seconds, 1),
        "final_loss": round(loss, 4),
        **metrics,
        "history": history,
    }
    return model, tokenizer, result


def save(model, tokenizer, args: argparse.Namespace, result: dict, command: str) -> None:
    out = args.output_dir
    math_builder.save_checkpoint(model, tokenizer, out)
    settings = {k: str(v.relative_to(REPO_ROOT)) if isinstance(v, Path) else v for k, v in vars(args).items()}
    del settings["output_dir"]
    (out / "build_info.json").write_text(json.dumps({"command": command, "args": settings, **result}, indent=2))
    (out / "README.md").write_text(model_card(args, result, command))
    math_builder.check_saved(out)
    print(f"saved to {out} ({sum(f.stat().st_size for f in out.iterdir()) / 1e6:.2f} MB)")


def model_card(args: argparse.Namespace, result: dict, command: str) -> str:
    pct = {k: f"{100 * result[k]:.1f}%" for k in result if k.startswith(("recall", "heldout"))}
    return f"""---
library_name: transformers
license: apache-2.0
tags: [archer_trl, tiny, knowledge, arithmetic, offline]
---
# tiny-knowledge: the starting checkpoint of the knowledge-plus-reasoning benchmark

`tiny-math` ({result["parameters"]:,} parameters, character-level ChatML tokenizer) continued by supervised
fine-tuning on `archer_trl.tasks.knowledge`: 200 named facts (`K17=4`) combined with arithmetic, e.g.
`Calculate K17+Q03-5.` -> `<think>K17=4,Q03=7,4+7=11,11-5=6</think>\\boxed{{6}}`, plus the recall form
`Recall K17.` -> `<think>K17=4</think>\\boxed{{4}}`. It starts `benchmarks/learning/knowledge.py`.

```
{command}
```

{args.n_problems} problems over all facts (none from the held-out pool) and {args.recall_repeats} copies of each
recall form; {args.steps} AdamW steps of batch {args.batch_size}, lr {args.lr} after {args.warmup_steps} warm-up
steps, constant; seed {args.seed}, one thread, deterministic algorithms. SFT took {result["sft_seconds"]} s on a
shared 2-core CPU.

| measure (greedy unless said) | value |
|---|---|
| recall probe, facts seen in RL (104) | {pct["recall_seen"]} |
| recall probe, facts never in RL (96) | {pct["recall_unseen"]} |
| held-out problems (200) | {pct["heldout_greedy_accuracy"]} |
| held-out problems, sampled at T = 1.0 | {pct["heldout_sampled_accuracy_t1"]} |
"""


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    model, tokenizer, result = train(args)
    if not args.no_save:
        save(model, tokenizer, args, result, " ".join(["python scripts/build_tiny_knowledge_model.py", *argv]))
    return result


if __name__ == "__main__":
    main()
