"""Train a math reasoner with Archer.

    python examples/train_math.py                                   # offline CPU default: tiny model, built-in data
    accelerate launch --config_file accelerate_configs/zero3.yaml examples/train_math.py \
        --config examples/recipes/archer_math_r1_distill_1.5b.yaml   # the paper's recipe on 8 GPUs

Every `ArcherConfig` / `GRPOConfig`, `ModelConfig` (incl. --use_peft) and script option can be set in the YAML
recipe or on the command line (`--help` lists them).
"""

from pathlib import Path

from archer_trl.cli.train import main

if __name__ == "__main__":
    main("math", default_recipe=Path(__file__).parent / "recipes" / "tiny_cpu_math.yaml")
