"""Train a code generator with Archer; rewards come from running the program in a bubblewrap sandbox.

    python examples/train_code.py                                    # offline CPU default: tiny model, HumanEval rows
    accelerate launch --config_file accelerate_configs/zero3_multinode.yaml examples/train_code.py \
        --config examples/recipes/archer_code_r1_distill_1.5b.yaml   # the released code recipe, 2 nodes x 8 GPUs
"""

from pathlib import Path

from archer_trl.cli.train import main

if __name__ == "__main__":
    main("code", default_recipe=Path(__file__).parent / "recipes" / "tiny_cpu_code.yaml")
