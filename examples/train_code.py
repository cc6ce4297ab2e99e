"""Train a code generator with Archer (the same as `archer-train --task code`); rewards come from running the
program in a bubblewrap sandbox.

    python examples/train_code.py                                    # offline CPU default: tiny model, HumanEval rows
    accelerate launch --config_file accelerate_configs/zero3_multinode.yaml examples/train_code.py \
        --recipe archer_code_r1_distill_1.5b                         # the released code recipe, 2 nodes x 8 GPUs
"""

from archer_trl.cli.train import main
from archer_trl.recipes import default_recipe

if __name__ == "__main__":
    main("code", default_recipe=default_recipe("code"))
