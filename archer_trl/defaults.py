"""Defaults of `ArcherConfig` that depend on the machine, so that a config written without them runs anywhere.

TRL's `GRPOConfig` turns bf16 on whenever fp16 is off, which fails on a CPU-only machine ("Your setup doesn't support
bf16/gpu") for a setting the user never wrote; and its generation batch is one optimizer step's worth of
completions, which cannot hold one full group when `num_generations` is larger (16 generations, 8 per device). Only
values the user left unset are filled in; anything set explicitly is kept, and TRL still validates it.
"""

from __future__ import annotations

import math
import os
from typing import Any


def bf16_available() -> bool:
    """Whether this machine trains in bf16: a bf16-capable accelerator is present."""
    from transformers.utils import is_torch_bf16_gpu_available

    return is_torch_bf16_gpu_available()


def fill_machine_defaults(config: Any) -> None:
    """Fill ``config``'s unset bf16 and generation batch for this machine (call before `GRPOConfig.__post_init__`).

    - ``bf16`` left unset (None): on where the hardware has bf16 and the run is not forced onto the CPU, else off.
    - ``generation_batch_size`` and ``steps_per_generation`` both unset, and one optimizer step's completions
      (per-device batch x processes x gradient accumulation) not a multiple of ``num_generations``: the generation
      batch becomes the least common multiple, so each rollout holds whole prompt groups and whole optimizer steps.
    """
    if config.bf16 is None and not config.fp16:
        config.bf16 = bool(not config.use_cpu and bf16_available())
    if config.generation_batch_size is None and config.steps_per_generation is None:
        # accelerate / torchrun export WORLD_SIZE; TRL's own check after this uses the real process count
        step = config.per_device_train_batch_size * int(os.environ.get("WORLD_SIZE", "1"))
        step *= config.gradient_accumulation_steps
        groups = config.num_generations or 1
        if step > 0 and step % groups != 0:
            config.generation_batch_size = math.lcm(step, groups)
