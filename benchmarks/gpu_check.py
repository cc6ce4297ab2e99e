"""The GPU checks in one command: loss overhead at the 1.5B shape, a real training run, ZeRO-3 at the 1.5B shape.

On a GPU machine without network (torch with CUDA, transformers, accelerate and peft installed), from the repo root:

    bash benchmarks/gpu_wheels.sh          # beforehand, on a machine with PyPI: the missing wheels into .whl/
    pip install --no-index --find-links .whl trl==1.16.0 datasets 'math-verify[antlr4-13-2]' deepspeed tensorboard
    pip install --no-deps --no-build-isolation -e .
    python benchmarks/gpu_check.py                          # one H200: estimated ~6 min; JSON to $OUT/gpu_check.json

    python benchmarks/gpu_check.py --device cpu --tiny      # the same checks at toy size on a CPU (CI runs this)

Phases, each in its own process (so one phase's memory cannot leak into the next, and a hung phase is stopped):
1. loss_overhead: `ArcherGRPOTrainer._compute_loss` against TRL GRPO's `_compute_loss` on the same micro-batch
   (benchmarks/loss_overhead.py's trainer and inputs): a random DeepSeek-R1-Distill-Qwen-1.5B-shaped Qwen2 (vocab
   151,936), bf16, gradient checkpointing, 8 x 4,096 completion tokens; fwd+bwd time and peak allocated memory of
   each pass, the two alternating in one process; ratios Archer / TRL (goals: <= 1.03 time, <= 1.01 memory).
2. training: `examples/train_math.py`'s offline default (tiny-math, 60 steps), held-out accuracy before and after.
3. zero3: the paper's math recipe under DeepSpeed ZeRO-3 on one GPU at the 1.5B shape, one rollout cycle at
   1,024-token completions with transformers generation (vLLM's CUDA wheel is too large to carry): s/step, peak
   memory.
The JSON holds versions, the device, every phase's figures (or its error) and `torch.cuda.max_memory_allocated`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

TOY: dict = {}  # save_tiny_qwen2's defaults
GOALS = {"time_ratio": 1.03, "peak_memory_ratio": 1.01}
PACKAGES = ("torch", "transformers", "trl", "accelerate", "peft", "datasets", "deepspeed", "math-verify", "archer_trl")

# Per-phase settings: (full size on a GPU, toy size on a CPU).
LOSS = {False: dict(batch_size=8, prompt_length=64, completion_length=4096, iterations=10), True: dict(
    batch_size=2, prompt_length=16, completion_length=64, iterations=3
)}  # fmt: skip
TRAINING_TINY = ["--max_steps", "4", "--offline_train_size", "64", "--offline_eval_size", "16",
                 "--max_eval_samples", "16", "--logging_steps", "1"]  # fmt: skip
ZERO3 = {False: dict(max_completion_length=1024), True: dict(max_completion_length=16)}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", choices=["cuda", "cpu"], default="cuda")
    parser.add_argument("--tiny", action="store_true", help="toy sizes (minutes on a CPU)")
    parser.add_argument("--out", help="results JSON (default: $OUT/gpu_check.json, else benchmarks/results/)")
    parser.add_argument("--budget_s", type=float, default=480.0, help="wall-clock budget; later phases are skipped")
    parser.add_argument("--phases", nargs="+", default=["loss_overhead", "training", "zero3"])
    parser.add_argument("--worker", choices=["loss_overhead", "train"], help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--model_dir", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    args.rest = rest  # a training worker's arguments for archer_trl.cli.train
    return args


# ---------------------------------------------------------------------------------------------- workers


def peak_memory(device: str) -> dict:
    import resource

    import torch

    if device == "cuda":
        return {
            "max_memory_allocated_bytes": torch.cuda.max_memory_allocated(),
            "max_memory_reserved_bytes": torch.cuda.max_memory_reserved(),
        }
    return {"peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def loss_overhead_worker(args) -> dict:
    """Archer's and TRL's loss passes alternating (ABAB.../BABA...) in one process, each timed and, on CUDA, with
    its own peak of allocated memory (the peak counter is reset before every pass)."""
    import statistics

    import loss_overhead
    import torch

    size = LOSS[args.tiny]
    bench = loss_overhead.parse_args(
        ["--device", args.device, "--bf16", "--gradient_checkpointing"]
        + [f"--{key}={value}" for key, value in size.items()]
    )
    trainer, inputs, step = loss_overhead.prepare(bench, args.model_dir)
    cuda = args.device == "cuda"
    step("archer"), step("trl")  # warm-up: allocator, kernels, autotuning
    with_grad = sum(p.grad is not None for p in trainer.model.parameters())
    if with_grad == 0:
        raise RuntimeError("the loss pass produced no parameter gradients")
    passes = []
    for i in range(bench.iterations):
        record = {}
        for variant in ("archer", "trl") if i % 2 == 0 else ("trl", "archer"):
            trainer.model.zero_grad(set_to_none=True)
            if cuda:
                torch.cuda.synchronize()
                torch.cuda.reset_peak_memory_stats()
                record[f"{variant}_baseline_bytes"] = torch.cuda.memory_allocated()
            start = time.perf_counter()
            step(variant)
            record[f"{variant}_seconds"] = time.perf_counter() - start
            if cuda:
                record[f"{variant}_peak_bytes"] = torch.cuda.max_memory_allocated()
        passes.append(record)

    def median(key):
        return statistics.median(p[key] for p in passes)

    result = {
        "setting": {**size, "model": "R1-Distill-Qwen-1.5B shape" if not args.tiny else "toy Qwen2", "bf16": True},
        "tokens_per_pass": int(inputs["completion_mask"].sum()),
        "gradient_checkpointing": bool(trainer.model.is_gradient_checkpointing),
        "weights_dtype": str(trainer.model.dtype),
        "parameters_with_gradients": with_grad,
        "archer_seconds": median("archer_seconds"),
        "trl_seconds": median("trl_seconds"),
        "time_ratio": statistics.median(p["archer_seconds"] / p["trl_seconds"] for p in passes),
        "passes": passes,
    }
    if cuda:
        result |= {
            "archer_peak_bytes": median("archer_peak_bytes"),
            "trl_peak_bytes": median("trl_peak_bytes"),
            "peak_memory_ratio": median("archer_peak_bytes") / median("trl_peak_bytes"),
            # the pass's own memory, without the weights and inputs both share
            "peak_growth_ratio": statistics.median(
                (p["archer_peak_bytes"] - p["archer_baseline_bytes"]) / (p["trl_peak_bytes"] - p["trl_baseline_bytes"])
                for p in passes
            ),
        }
    else:
        result["peak_memory_ratio"] = None
        result["memory_note"] = "CPU: no per-pass peak in one process (loss_overhead.py measures it per process)"
    result |= peak_memory(args.device)
    return result


def train_worker(args) -> dict:
    """`archer_trl.cli.train.main` as examples/train_math.py runs it; the trainer is kept to read its log afterwards."""
    from archer_trl.cli import train as cli
    from archer_trl.trainer import ArcherGRPOTrainer

    trainers = []
    real_train = ArcherGRPOTrainer.train

    def train(self, *a, **kw):
        trainers.append(self)
        return real_train(self, *a, **kw)

    ArcherGRPOTrainer.train = train
    summary = cli.main("math", default_recipe=ROOT / "archer_trl" / "recipes" / "tiny_cpu_math.yaml", argv=args.rest)
    trainer = trainers[0]
    steps = [e for e in trainer.state.log_history if "loss" in e]
    plugin = trainer.accelerator.state.deepspeed_plugin
    return {
        "summary": summary,
        "seconds_per_step": summary["train_runtime_s"] / max(summary["global_step"], 1),
        "zero_stage": None if plugin is None else plugin.zero_stage,
        "device": str(trainer.accelerator.device),
        "step_times_s": [e.get("step_time") for e in steps],
        "losses": [e["loss"] for e in steps],
        **peak_memory("cuda" if trainer.accelerator.device.type == "cuda" else "cpu"),
    }


# ---------------------------------------------------------------------------------------------- phases


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_worker(command: list[str], result: Path, timeout: float, log: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env |= {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "CI": "1"}
    env |= {"TOKENIZERS_PARALLELISM": "false", "TRL_EXPERIMENTAL_SILENCE": "1"}
    start = time.perf_counter()
    with open(log, "w") as handle:
        try:
            done = subprocess.run(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, timeout=timeout)
            code = done.returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    seconds = round(time.perf_counter() - start, 1)
    if code == 0 and result.exists():
        return {"ok": True, "seconds": seconds, **json.loads(result.read_text())}
    tail = log.read_text(errors="replace")[-3000:]
    return {"ok": False, "seconds": seconds, "error": f"exit {code} after {timeout:.0f} s limit", "log_tail": tail}


def zero3_config(device: str, work: Path) -> Path:
    """accelerate's ZeRO-3 config for one process: the shipped 8-GPU config (or the CPU one) with 1 process."""
    import yaml

    source = "zero3.yaml" if device == "cuda" else "zero3_cpu_2proc.yaml"
    config = yaml.safe_load((ROOT / "accelerate_configs" / source).read_text())
    config |= {"num_processes": 1, "main_process_port": free_port()}
    path = work / "zero3_1proc.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def main(argv=None) -> dict | None:
    args = parse_args(argv)
    if args.worker:
        result = loss_overhead_worker(args) if args.worker == "loss_overhead" else train_worker(args)
        Path(args.result).write_text(json.dumps(result, default=str))
        return None

    started = time.perf_counter()
    out = Path(args.out or (Path(os.environ["OUT"]) if os.environ.get("OUT") else ROOT / "benchmarks" / "results"))
    out = out if out.suffix == ".json" else out / ("gpu_check_tiny.json" if args.tiny else "gpu_check.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {"command": " ".join([Path(sys.executable).name, *sys.argv]), **environment(args.device)}
    report |= {"device": args.device, "tiny": args.tiny, "budget_s": args.budget_s, "goals": GOALS, "phases": {}}
    print(json.dumps({k: report[k] for k in ("versions", "gpu")}, indent=1), flush=True)

    with tempfile.TemporaryDirectory(prefix="gpu-check-") as tmp:
        work = Path(tmp)
        model_dir = work / "qwen2"
        from archer_trl.tiny import R1_DISTILL_QWEN_1_5B, save_tiny_qwen2

        shape = TOY if args.tiny else R1_DISTILL_QWEN_1_5B
        build = time.perf_counter()
        save_tiny_qwen2(model_dir, **shape, dtype="bfloat16", device=args.device)
        if args.device == "cuda":
            import torch

            torch.cuda.empty_cache()  # the phases run in their own processes; this one keeps no GPU memory
        report["model"] = {"shape": shape, "dtype": "bfloat16", "build_seconds": round(time.perf_counter() - build, 1)}
        me = [sys.executable, str(Path(__file__).resolve())]
        base = ["--device", args.device, *(["--tiny"] if args.tiny else [])]
        use_cpu = ["--use_cpu", "true"] if args.device == "cpu" else []
        phases = {
            "loss_overhead": lambda result: [*me, *base, "--worker", "loss_overhead", "--model_dir", str(model_dir)],
            "training": lambda result: [
                *me, *base, "--worker", "train", "--output_dir", str(work / "tiny-math"), *use_cpu,
                *(TRAINING_TINY if args.tiny else []),
            ],
            "zero3": lambda result: [
                sys.executable, "-m", "accelerate.commands.launch", "--config_file", str(zero3_config(args.device, work)),
                *me[1:], *base, "--worker", "train", "--config", "archer_trl/recipes/archer_math_r1_distill_1.5b.yaml",
                "--model_name_or_path", str(model_dir), "--use_vllm", "false", "--max_steps", "6",
                "--max_completion_length", str(ZERO3[args.tiny]["max_completion_length"]),
                "--eval_before_after", "false", "--save_strategy", "no", "--report_to", "none",
                "--log_completions", "false", "--output_dir", str(work / "zero3"), *use_cpu,
            ],
        }  # fmt: skip
        for name in args.phases:
            left = args.budget_s - (time.perf_counter() - started)
            if left < 30:
                report["phases"][name] = {"ok": False, "error": f"skipped: {left:.0f} s of the budget left"}
                continue
            result = work / f"{name}.json"
            command = phases[name](result) + ["--result", str(result)]
            print(f"== {name} (up to {left:.0f} s)", flush=True)
            report["phases"][name] = run_worker(command, result, left, work / f"{name}.log")
            print(json.dumps(brief(name, report["phases"][name])), flush=True)

    report["wall_seconds"] = round(time.perf_counter() - started, 1)
    peaks = [p.get("max_memory_allocated_bytes") for p in report["phases"].values() if p.get("ok")]
    report["max_memory_allocated_bytes"] = max([p for p in peaks if p is not None], default=None)
    loss = report["phases"].get("loss_overhead", {})
    report["meets_goals"] = (
        None
        if not loss.get("ok") or loss.get("peak_memory_ratio") is None
        else loss["time_ratio"] <= GOALS["time_ratio"] and loss["peak_memory_ratio"] <= GOALS["peak_memory_ratio"]
    )
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"wrote {out} ({report['wall_seconds']} s)")
    return report


def brief(name: str, phase: dict) -> dict:
    """The headline figures of one phase, for the console."""
    if not phase.get("ok"):
        return {name: phase.get("error"), "log_tail": phase.get("log_tail", "")[-800:]}
    keys = {
        "loss_overhead": ("time_ratio", "peak_memory_ratio", "peak_growth_ratio", "archer_seconds", "trl_seconds"),
        "training": ("summary", "max_memory_allocated_bytes", "peak_rss_bytes"),
        "zero3": ("zero_stage", "seconds_per_step", "step_times_s", "max_memory_allocated_bytes", "peak_rss_bytes"),
    }[name]
    shown = {k: phase.get(k) for k in keys if k in phase}
    if "summary" in shown:
        shown["summary"] = {k: v for k, v in shown["summary"].items() if k.startswith(("heldout", "global", "train"))}
    return {name: shown, "seconds": phase["seconds"]}


def environment(device: str) -> dict:
    from importlib import metadata

    import torch

    versions = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    versions["cuda"] = torch.version.cuda
    gpu = None
    if device == "cuda":
        if not torch.cuda.is_available():
            sys.exit("--device cuda, but torch sees no GPU (use --device cpu --tiny on a CPU)")
        props = torch.cuda.get_device_properties(0)
        gpu = {"name": props.name, "total_memory_bytes": props.total_memory, "count": torch.cuda.device_count()}
    return {"versions": versions, "gpu": gpu, "host": {"cpus": os.cpu_count(), "platform": platform.platform()}}


if __name__ == "__main__":
    main()
