"""Does Archer preserve knowledge and promote reasoning where its constraints bind? Writes docs/results/knowledge/.

    python benchmarks/learning/knowledge.py --stage regime      # GRPO alone at 4 learning rates -> .../knowledge/regime/
    python benchmarks/learning/knowledge.py                     # 7 methods x seeds 0-4 -> docs/results/knowledge/

The task is `archer_trl.tasks.knowledge` (facts plus arithmetic, with a recall probe over every fact) from the
`tiny-knowledge` checkpoint. Every run uses the offline recipe plus `knowledge_regime.REGIME`: off-policy replay like the paper's
3 epochs x 2 mini-batches per rollout. `knowledge_regime.REGIME`'s learning rate was fixed by `--stage regime` with GRPO alone,
before any other method ran, by the rule in `knowledge_regime.choose_learning_rate`; the hypotheses and their verdict rules were
committed (`docs/results/knowledge/HYPOTHESES.md`) before the comparison ran. Neither is tuned after it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compare  # noqa: E402
import harness  # noqa: E402
import knowledge_page  # noqa: E402
import knowledge_regime as regime  # noqa: E402
import report  # noqa: E402

DEFAULT_OUTPUT = harness.REPO / "docs" / "results" / "knowledge"
TASK = "knowledge"


def specs_for(args: argparse.Namespace, groups: dict[str, tuple[str, dict]]) -> list[harness.RunSpec]:
    common = harness.parse_overrides(args.overrides)
    return [
        harness.make_spec(args, method, seed, group, overrides | common, TASK, regime.EVAL_SETTINGS)
        for group, (method, overrides) in groups.items()
        for seed in args.seeds
    ]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", choices=["regime", "compare"], default="compare")
    parser.add_argument("--methods", nargs="+", default=list(regime.METHODS), choices=list(harness.METHODS))
    harness.add_common_arguments(parser, DEFAULT_OUTPUT)
    parser.set_defaults(seeds=None, eval_every=30, work_dir=harness.DEFAULT_WORK_DIR.with_name("knowledge"))
    args = parser.parse_args(argv)
    if args.stage == "regime":
        args.seeds = args.seeds or list(regime.REGIME_SEEDS)
        groups = {
            regime.regime_group(lr): ("grpo", regime.REPLAY | {"learning_rate": lr})
            for lr in regime.REGIME_LEARNING_RATES
        }
        output = args.output_dir / "regime" if args.output_dir == DEFAULT_OUTPUT else args.output_dir
    else:
        if regime.REGIME["learning_rate"] is None and not any(o.startswith("learning_rate=") for o in args.overrides):
            raise SystemExit(
                "knowledge_regime.REGIME has no learning rate yet: run --stage regime first and record its choice"
            )
        args.seeds = args.seeds or [0, 1, 2, 3, 4]
        groups = {m: (m, regime.REGIME) for m in args.methods}
        output = args.output_dir
    args.output_dir = output  # where the published runs of this page are (harness.run_specs reuses them)
    specs = specs_for(args, groups)
    start, results, elapsed = harness.run_specs(specs, args)
    meta = compare.provenance() | {"command": compare.command_line(argv), "wall_seconds": elapsed}
    order = list(groups)
    labels = {g: g for g in order}
    outputs = report.write_results(output, {"runs": order}, labels, start, results, meta | {"titles": {"runs": ""}})
    if args.stage == "regime":
        choice = regime.choose_learning_rate(outputs["groups"], start)
        page = knowledge_page.write_regime_page(output, meta, specs, outputs, start, elapsed, args.jobs, choice)
    else:
        page = knowledge_page.write_comparison_page(output, meta, specs, outputs, start, elapsed, args.jobs)
    print(page.read_text())


if __name__ == "__main__":
    main()
