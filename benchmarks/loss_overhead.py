"""Forward+backward cost of Archer's `compute_loss` against TRL's GRPO loss on identical inputs.

Both losses run on the same trainer object, model and micro-batch: `ArcherGRPOTrainer.compute_loss` (dual-token
constraints, group KL) versus `trl.GRPOTrainer._compute_loss` (uniform clip, same beta). Time: one process
alternates the two passes (ABAB...), so machine noise hits both alike; the ratio is the median of per-pair ratios.
Peak memory: each variant in a fresh process (CUDA: max allocated; CPU: peak RSS), alternating. Reports the ratios
Archer / TRL.

    python benchmarks/loss_overhead.py                      # default: batch 8 x 1024 tokens, 32k vocabulary, CPU
    python benchmarks/loss_overhead.py --device cuda --hidden_size 1536 --vocab_size 151936 --completion_length 4096
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch_size", type=int, default=8)
    parser.add_argument("--prompt_length", type=int, default=64)
    parser.add_argument("--completion_length", type=int, default=1024)
    parser.add_argument("--vocab_size", type=int, default=32000)
    parser.add_argument("--hidden_size", type=int, default=256)
    parser.add_argument("--num_layers", type=int, default=2)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--bf16", action="store_true", help="bf16 weights and autocast, as the GPU recipes train")
    parser.add_argument("--gradient_checkpointing", action="store_true")
    parser.add_argument("--rounds", type=int, default=2, help="fresh-process pairs (archer, trl) for peak memory")
    parser.add_argument("--iterations", type=int, default=10, help="timed (archer, trl) pass pairs")
    parser.add_argument("--output", default="benchmarks/results/loss_overhead.json")
    parser.add_argument("--worker", choices=["archer", "trl", "timing"], help=argparse.SUPPRESS)
    parser.add_argument("--model_dir", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def build_model(args, model_dir: Path) -> None:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from archer_trl.tiny import build_char_tokenizer

    torch.manual_seed(0)
    heads = max(1, args.hidden_size // 64)
    config = LlamaConfig(
        vocab_size=args.vocab_size,
        hidden_size=args.hidden_size,
        intermediate_size=args.hidden_size * 4,
        num_hidden_layers=args.num_layers,
        num_attention_heads=heads,
        num_key_value_heads=heads,
        max_position_embeddings=args.prompt_length + args.completion_length + 8,
        tie_word_embeddings=False,
    )
    LlamaForCausalLM(config).save_pretrained(model_dir)
    build_char_tokenizer().save_pretrained(model_dir)


def prepare(args, model_dir=None):
    """The benchmark's trainer, a fixed random micro-batch on its device, and `step(variant)`: one fwd+bwd pass of
    Archer's loss (``"archer"``) or TRL GRPO's (``"trl"``) on that micro-batch. Also used by `gpu_check.py`."""
    os.environ.update(HF_HUB_OFFLINE="1", CI="1", TRL_EXPERIMENTAL_SILENCE="1")
    import torch
    from datasets import Dataset
    from trl import GRPOTrainer

    from archer_trl import ArcherConfig, ArcherGRPOTrainer

    config = ArcherConfig(
        output_dir=tempfile.mkdtemp(),
        per_device_train_batch_size=args.batch_size,
        num_generations=2,
        max_completion_length=args.completion_length,
        report_to="none",
        bf16=args.bf16,
        model_init_kwargs={"dtype": "bfloat16"} if args.bf16 else None,  # bf16 weights too, as the recipes load them
        use_cpu=args.device == "cpu",
        gradient_checkpointing=args.gradient_checkpointing,
    )
    trainer = ArcherGRPOTrainer(
        str(model_dir or args.model_dir),
        lambda completions, **_: [0.0] * len(completions),
        args=config,
        train_dataset=Dataset.from_dict({"prompt": ["x"] * args.batch_size}),
    )
    if args.gradient_checkpointing:  # the Trainer would do this in train(); the benchmark calls the loss directly
        trainer.model.gradient_checkpointing_enable(config.gradient_checkpointing_kwargs)
    device = trainer.accelerator.device
    g = torch.Generator().manual_seed(0)
    b, p, c = args.batch_size, args.prompt_length, args.completion_length
    vocab_size = trainer.model.config.vocab_size
    lengths = torch.randint(c // 2, c + 1, (b,), generator=g)
    completion_mask = (torch.arange(c).unsqueeze(0) < lengths.unsqueeze(1)).long()
    inputs = {
        "prompt_ids": torch.randint(0, vocab_size, (b, p), generator=g),
        "prompt_mask": torch.ones(b, p, dtype=torch.long),
        "completion_ids": torch.randint(0, vocab_size, (b, c), generator=g),
        "completion_mask": completion_mask,
        "advantages": torch.randn(b, generator=g),
        "old_per_token_logps": -torch.rand(b, c, generator=g) * 10 - 5,
        "ref_per_token_logps": -torch.rand(b, c, generator=g) * 10 - 5,
        "num_items_in_batch": completion_mask.sum(),
    }
    inputs = {k: v.to(device) for k, v in inputs.items()}
    trainer.model.train()
    trainer.current_gradient_accumulation_steps = 1
    losses = {"archer": trainer.compute_loss, "trl": lambda m, x: GRPOTrainer._compute_loss(trainer, m, x)}

    def step(variant):
        trainer.model.zero_grad(set_to_none=True)
        with trainer.accelerator.autocast():  # bf16 autocast, as the prepared model runs in training
            loss = losses[variant](trainer.model, inputs)
        loss.backward()
        if device.type == "cuda":
            torch.cuda.synchronize()

    return trainer, inputs, step


def worker(args) -> dict:
    import torch

    trainer, _, step = prepare(args)
    device = trainer.accelerator.device
    if args.worker == "timing":
        step("archer"), step("trl")  # warm-up (allocator, kernels)
        pairs = []
        for i in range(args.iterations):
            times = {}
            for variant in ("archer", "trl") if i % 2 == 0 else ("trl", "archer"):
                start = time.perf_counter()
                step(variant)
                times[variant] = time.perf_counter() - start
            pairs.append(times)
        return {"pairs": pairs}

    step(args.worker)  # warm-up (allocator, kernels)
    trainer.model.zero_grad(set_to_none=True)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
        baseline = torch.cuda.memory_allocated()
    else:
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    step(args.worker)
    if device.type == "cuda":
        peak = torch.cuda.max_memory_allocated()
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"variant": args.worker, "peak_bytes": peak, "baseline_bytes": baseline}


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args)))
        return

    from tqdm import tqdm

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "model"
        build_model(args, model_dir)
        passthrough = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--worker"]
        results = {"archer": [], "trl": [], "timing": []}
        jobs = ["timing"] + [variant for _ in range(args.rounds) for variant in ("archer", "trl")]
        for variant in tqdm(jobs, desc="benchmark processes"):
            command = [sys.executable, __file__, *passthrough, "--worker", variant, "--model_dir", str(model_dir)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                sys.exit(f"{variant} worker failed:\n{done.stderr[-4000:]}")
            results[variant].append(json.loads(done.stdout.strip().splitlines()[-1]))

    pairs = results["timing"][0]["pairs"]

    def median_time(variant):
        return statistics.median(pair[variant] for pair in pairs)

    def median_peak(variant):
        return statistics.median(run["peak_bytes"] for run in results[variant])

    def median_growth(variant):
        return statistics.median(run["peak_bytes"] - run["baseline_bytes"] for run in results[variant])

    summary = {
        "setting": {k: v for k, v in vars(args).items() if k not in ("worker", "model_dir", "output")},
        "archer_seconds": median_time("archer"),
        "trl_seconds": median_time("trl"),
        "time_ratio": statistics.median(pair["archer"] / pair["trl"] for pair in pairs),
        "archer_peak_bytes": median_peak("archer"),
        "trl_peak_bytes": median_peak("trl"),
        "peak_memory_ratio": median_peak("archer") / median_peak("trl"),
        "memory_note": "CUDA: max allocated. CPU: peak process RSS (model, inputs and the pass); growth below.",
        "archer_peak_growth_bytes": median_growth("archer"),
        "trl_peak_growth_bytes": median_growth("trl"),
        "raw": results,
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(summary, indent=2))
    print(f"{'':>22} {'Archer':>12} {'TRL GRPO':>12} {'ratio':>8}")
    print(
        f"{'fwd+bwd seconds':>22} {summary['archer_seconds']:>12.3f} {summary['trl_seconds']:>12.3f} "
        f"{summary['time_ratio']:>8.3f}"
    )
    print(
        f"{'peak memory MiB':>22} {summary['archer_peak_bytes'] / 2**20:>12.1f} "
        f"{summary['trl_peak_bytes'] / 2**20:>12.1f} {summary['peak_memory_ratio']:>8.3f}"
    )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
