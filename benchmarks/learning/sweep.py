"""Archer's sensitivity sweeps on the offline task; writes docs/results/sweeps/.

    python benchmarks/learning/sweep.py                        # 3 sweeps x 3 values x 3 seeds (7 distinct configs)
    python benchmarks/learning/sweep.py --sweeps beta_knowledge --seeds 0 1 2 3 4

One parameter moves at a time around Archer's defaults (rho 0.8, knowledge KL 0.001, reasoning clip 0.5):

- ``token_entropy_quantile`` (rho) in {0.7, 0.8, 0.9}: how many tokens count as reasoning tokens;
- ``beta_knowledge`` in {0, 0.001, 0.005}: the paper's KL ablation (Table 4), where 0 collapsed entropy and raised
  repetition at 1.5B scale;
- ``epsilon_reasoning`` in {0.2, 0.4, 0.5}: the reasoning-token clip (Table 5 / Fig. 9).

The centre of every sweep is the default Archer run of compare.py; runs are cached in --work_dir, so it is trained
once for both commands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compare  # noqa: E402
import harness  # noqa: E402
import report  # noqa: E402

DEFAULT_OUTPUT = harness.REPO / "docs" / "results" / "sweeps"
SWEEPS: dict[str, tuple[float, ...]] = {
    "token_entropy_quantile": (0.7, 0.8, 0.9),
    "beta_knowledge": (0.0, 0.001, 0.005),
    "epsilon_reasoning": (0.2, 0.4, 0.5),
}
TITLES = {
    "token_entropy_quantile": "Archer, entropy quantile rho",
    "beta_knowledge": "Archer, KL weight on knowledge tokens",
    "epsilon_reasoning": "Archer, clip range of reasoning tokens",
}


def group_name(parameter: str, value: float) -> str:
    return f"{parameter}={value:g}"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sweeps", nargs="+", default=list(SWEEPS), choices=list(SWEEPS), help="which sweeps")
    harness.add_common_arguments(parser, DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    overrides = harness.parse_overrides(args.overrides)
    families = {p: [group_name(p, v) for v in SWEEPS[p]] for p in args.sweeps}
    specs = [
        harness.make_spec(args, "archer", s, group_name(p, v), overrides | {p: v})
        for p in args.sweeps
        for v in SWEEPS[p]
        for s in args.seeds
    ]
    start, results, elapsed = harness.run_specs(specs, args)
    meta = compare.provenance() | {"command": compare.command_line(argv), "wall_seconds": elapsed, "titles": TITLES}
    labels = {g: g for order in families.values() for g in order}
    outputs = report.write_results(args.output_dir, families, labels, start, results, meta)

    sections = [
        "# Archer sensitivity sweeps on the offline arithmetic task",
        f"Regenerate everything on this page (plots, `results.json`, this file):\n\n```bash\n{meta['command']}\n```",
        f"Generated {meta['date']} from commit `{meta['commit']}` on {meta['machine']} ({meta['versions']}). "
        + compare.timing_sentence(elapsed, outputs["results"], args.jobs)
        + " The centre of each sweep is the default Archer run of `compare.py`, trained once for both.",
        compare.setup_section(specs, overrides).replace(
            "- **Methods** (only the token constraints differ)", "- **Method** (one parameter changed per sweep)"
        ),
    ]
    for parameter, order in families.items():
        # Deduplicated by content: a sweep's centre can be the same run as another sweep's.
        table = report.markdown_table(outputs["groups"], order, {g: f"`{g}`" for g in order}, start)
        plots = "\n\n".join(f"![{name}]({name})" for name in outputs["plots"][parameter])
        sections.append(f"## {TITLES[parameter]} (`{parameter}`)\n\n{report.TABLE_NOTES}\n\n{table}\n\n{plots}")
    page = args.output_dir / "README.md"
    page.write_text("\n\n".join(sections) + "\n")
    for parameter, order in families.items():
        print(f"\n{parameter}\n" + report.markdown_table(outputs["groups"], order, labels, start))
    print(f"\nwrote {page} and {args.output_dir / 'results.json'} ({elapsed / 60:.1f} min)")


if __name__ == "__main__":
    main()
