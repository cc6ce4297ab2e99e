"""Per-GPU memory budget of a recipe, computed from the model's shapes (the arithmetic behind docs/memory.md).

    python scripts/memory_budget.py                    # the paper's recipe on 8 x 80 GB, 8 x 40 GB, and the fix
    python scripts/memory_budget.py --markdown         # the tables of docs/memory.md

Assumptions (each one a row or a constant below): DeepSpeed ZeRO-3 with mixed-precision Adam (bf16 weights and
gradients, fp32 master weights and moments, all partitioned over the GPUs); the reference model sharded the same
way (TRL prepares it with ZeRO-3, weights only); gradient checkpointing stores each decoder layer's input and
recomputes one layer at a time in the backward pass; TRL's fused LM head (tiles of 4,096 tokens x 32,768 vocabulary
entries, fp32 gradient accumulators; no [tokens, vocab] logits); every micro-batch padded to the longest sequence,
so the worst case is a micro-batch holding one full-length response; vLLM colocated, holding
`gpu_memory_utilization` x the GPU's memory while it generates and (sleep mode) almost nothing during the update.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace

GB = 1e9  # decimal gigabytes, as GPU memory is sold (80 GB = 80e9 bytes; torch reports GiB = 2**30)
BF16, FP32 = 2, 4
TOKEN_TILE, VOCAB_TILE = 4096, 32768  # trl.kernels.chunked_logprob: TOKEN_CHUNK_SIZE, the caller's chunk_size
CUDA_OVERHEAD_GB = 3.0  # CUDA context, NCCL buffers, allocator fragmentation: an allowance, not a computation
MARGIN = 0.9  # "fits" means the estimated peak stays under 90 % of the GPU's memory
VLLM_OVERHEAD_GB = 1.5  # vLLM's activation workspace and CUDA graphs inside its share (profiled at start-up)


@dataclass(frozen=True)
class Model:
    """A Qwen2 model with an untied LM head; `Model.r1_distill_1_5b()` is DeepSeek-R1-Distill-Qwen-1.5B."""

    vocab: int
    hidden: int
    layers: int
    heads: int
    kv_heads: int
    intermediate: int

    @classmethod
    def r1_distill_1_5b(cls) -> Model:
        from archer_trl.tiny import R1_DISTILL_QWEN_1_5B as c

        return cls(
            c["vocab_size"],
            c["hidden_size"],
            c["num_hidden_layers"],
            c["num_attention_heads"],
            c["num_key_value_heads"],
            c["intermediate_size"],
        )

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads

    @property
    def layer_params(self) -> int:
        h, kv = self.hidden, self.kv_heads * self.head_dim
        attention = (h * h + h) + 2 * (h * kv + kv) + h * h  # q (bias), k and v (bias), o
        mlp = 3 * h * self.intermediate  # gate, up, down
        return attention + mlp + 2 * h  # two RMSNorms

    @property
    def params(self) -> int:
        return 2 * self.vocab * self.hidden + self.layers * self.layer_params + self.hidden  # embed, head, final norm


@dataclass(frozen=True)
class Setup:
    name: str
    gpus: int = 8
    gpu_gb: float = 80.0
    per_device_batch: int = 4
    sequence: int = 2048 + 32768  # prompt (filtered to <= 2048) + response
    vllm_utilization: float = 0.35
    reference_model: bool = True  # Archer's KL (beta_knowledge 0.001) needs one; the baselines (beta 0) do not
    sdpa_padding_mask: bool = False  # attn_implementation="sdpa" with padding builds a [B, 1, T, T] bool mask


def budget(model: Model, setup: Setup) -> dict[str, float]:
    """Per-GPU bytes of every component, in GB, and the two phase peaks."""
    n, p = setup.gpus, model.params
    tokens = setup.per_device_batch * setup.sequence
    h, i, kv = model.hidden, model.intermediate, model.kv_heads * model.head_dim
    rows = {
        "policy weights, bf16, 1/N": BF16 * p / n,
        "gradients, bf16, 1/N": BF16 * p / n,
        "fp32 master weights, 1/N": FP32 * p / n,
        "Adam moments (2 x fp32), 1/N": 2 * FP32 * p / n,
        "reference model, bf16, 1/N": BF16 * p / n if setup.reference_model else 0.0,
    }
    static = sum(rows.values())
    training = {
        # ZeRO-3 gathers a layer (and prefetches the next) for its forward/backward; the LM head's full weight is
        # gathered while the fused head runs
        "gathered weights (2 layers + LM head)": BF16 * (2 * model.layer_params + model.vocab * h),
        # one [tokens, hidden] bf16 tensor per layer input, plus the final hidden state the LM head keeps
        "checkpointed layer inputs": BF16 * tokens * h * (model.layers + 1),
        # one layer recomputed: 2 norms, q, attention out, o, down (6h), k and v (2kv), gate, up, act, act*up (4i),
        # and the norms' fp32 upcasts (2h x fp32)
        "one layer recomputed in backward": tokens * (BF16 * (6 * h + 2 * kv + 4 * i) + FP32 * 2 * h),
        "residual-stream gradients (2 x bf16)": 2 * BF16 * tokens * h,
        # one logits tile, the fp32 gradient of the hidden states and of the (gathered) head weight
        "LM head: log-prob/entropy tiles": BF16 * min(tokens, TOKEN_TILE) * VOCAB_TILE
        + FP32 * tokens * h
        + FP32 * model.vocab * h,
        "SDPA padding mask [B,1,T,T] (not with flash-attention)": (
            setup.per_device_batch * setup.sequence**2 if setup.sdpa_padding_mask else 0.0
        ),
    }
    vllm = setup.vllm_utilization * setup.gpu_gb * GB
    kv_bytes_per_token = 2 * model.layers * kv * BF16  # K and V, every layer, bf16
    kv_cache = vllm - BF16 * p - VLLM_OVERHEAD_GB * GB
    gb = {k: v / GB for k, v in rows.items()} | {k: v / GB for k, v in training.items()}
    gb["static (model states)"] = static / GB
    gb["training phase peak"] = (static + sum(training.values())) / GB + CUDA_OVERHEAD_GB
    gb["generation phase peak (vLLM awake)"] = (static + vllm) / GB + CUDA_OVERHEAD_GB
    gb["vLLM share"] = vllm / GB
    gb["vLLM KV cache"] = kv_cache / GB
    gb["KV cache tokens"] = kv_cache / kv_bytes_per_token
    gb["full-length sequences in the KV cache"] = kv_cache / kv_bytes_per_token / setup.sequence
    gb["peak"] = max(gb["training phase peak"], gb["generation phase peak (vLLM awake)"])
    gb["training phase peak without sleep mode"] = gb["training phase peak"] + gb["vLLM share"]
    # an estimate: leave 10 % of the GPU for what it leaves out (kernels' workspaces, fragmentation beyond the allowance)
    gb["fits"] = gb["peak"] <= MARGIN * setup.gpu_gb
    gb["unfused logits, bf16 (for comparison)"] = BF16 * tokens * model.vocab / GB
    return gb


SETUPS = [
    Setup("8 x 80 GB (paper: H800), per-device batch 4"),
    Setup("8 x 80 GB, sdpa attention with padding", sdpa_padding_mask=True),
    Setup("8 x 40 GB, the paper's settings", gpu_gb=40.0),
    Setup("8 x 40 GB, per-device batch 2 (GA 32, steps_per_generation 64)", gpu_gb=40.0, per_device_batch=2),
    Setup("8 x 40 GB, per-device batch 1 (GA 64, steps_per_generation 128)", gpu_gb=40.0, per_device_batch=1),
]


def table(model: Model, setups: list[Setup]) -> str:
    results = [budget(model, s) for s in setups]
    keys = [k for k in results[0] if k not in ("fits",)]
    lines = ["| per GPU, GB | " + " | ".join(s.name for s in setups) + " |", "|---" * (len(setups) + 1) + "|"]
    for key in keys:
        cells = []
        for r in results:
            value = r[key]
            cells.append(f"{value:,.0f}" if "tokens" in key else f"{value:.2f}")
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    lines.append(
        f"| fits (peak <= {MARGIN:.0%} of the GPU) | "
        + " | ".join("yes" if r["fits"] else "**no**" for r in results)
        + " |"
    )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--markdown", action="store_true", help="print the tables only")
    parser.add_argument("--sequence", type=int, help="tokens per sequence (default 2,048 + 32,768)")
    args = parser.parse_args(argv)
    model = Model.r1_distill_1_5b()
    setups = SETUPS if args.sequence is None else [replace(s, sequence=args.sequence) for s in SETUPS]
    if not args.markdown:
        print(
            f"parameters: {model.params:,} ({model.layer_params:,} per decoder layer, {model.vocab * model.hidden:,}"
        )
        print(f"  in each of the embedding and the LM head); tokens per micro-batch = batch x {setups[0].sequence:,}")
    print(table(model, setups))


if __name__ == "__main__":
    main()
