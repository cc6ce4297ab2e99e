"""Evaluate models or training checkpoints like the Archer paper: avg@K and the unbiased pass@k from K samples.

    python examples/evaluate.py --model path/to/model --benchmarks humaneval,gym-math --k 4 --max_tokens 256
    python examples/evaluate.py --list_benchmarks          # the presets (the paper's K, T 0.8, top-p 1, 32k tokens)

The same as the `archer-evaluate` console script; `--help` lists every option (see docs/evaluation.md).
"""

import sys

from archer_trl.cli.evaluate import main

if __name__ == "__main__":
    sys.exit(main())
