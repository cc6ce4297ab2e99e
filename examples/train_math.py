"""Train a math reasoner with Archer (the same as `archer-train --task math`).

    python examples/train_math.py                                   # offline CPU default: tiny model, built-in data
    accelerate launch --config_file accelerate_configs/zero3.yaml examples/train_math.py \
        --recipe archer_math_r1_distill_1.5b                        # the paper's recipe on 8 GPUs

Every `ArcherConfig` / `GRPOConfig`, `ModelConfig` (incl. --use_peft) and script option can be set in a YAML recipe
(`--config FILE`, layered over the offline default `archer_trl/recipes/tiny_cpu_math.yaml`) or on the command line
(`--help` lists them, and the shipped recipes).
"""

from archer_trl.cli.train import main
from archer_trl.recipes import default_recipe

if __name__ == "__main__":
    main("math", default_recipe=default_recipe("math"))
