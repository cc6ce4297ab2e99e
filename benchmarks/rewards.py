"""Fidelity and throughput of the verifiable rewards.

Math fidelity: agreement with the hand-labelled corpus tests/data/math_fidelity.jsonl (R1-style completions, one
category each) and with each adversary round (tests/data/math_adversary_round*.jsonl, rows written without sight of
the grader) for `accuracy_reward`, math-verify's defaults on the whole completion with the gold in ``$...$``, and
TRL's ``accuracy_reward``, side by side, overall and by category (false negatives / false positives).

Math: `accuracy_reward` on typical GRPO batches (3-4k-character reasoning ending in ``\\boxed{}``, 8 completions per
problem, about 65% correct, golds in varied LaTeX forms), with one worker (the per-core figure) and with the default
pool. TRL's own ``accuracy_reward`` (in-process, parses the whole completion) is timed on a slice for reference.

Code: programs with 16 stdin tests each, all passing (so every test runs), scored by `code_reward` (persistent
bubblewrap executors that fork per test) against a baseline of one fresh ``python`` subprocess per test with the
same concurrency and the same judging (no sandbox at all: the baseline is favoured), plus one ``bwrap`` sandbox per
test for reference. Rounds alternate (ours, baseline, ours, ...) so that load from other processes hits both; the
reported ratio is the median of per-round ratios.

    python benchmarks/rewards.py                   # writes benchmarks/results/rewards.json
    python benchmarks/rewards.py --programs 64 --rounds 5 --workers 8
    python benchmarks/rewards.py --sections fidelity,math   # the math parts only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tqdm.auto import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archer_trl.rewards import make_accuracy_reward, make_code_reward  # noqa: E402
from archer_trl.rewards.code.formats import normalize_tests  # noqa: E402
from archer_trl.rewards.code.judge import stdout_matches  # noqa: E402
from archer_trl.rewards.math.pool import VerifierPool, default_num_workers  # noqa: E402
from archer_trl.rewards.sandbox import SANDBOX_ENV, SandboxConfig, bwrap_command  # noqa: E402
from archer_trl.rewards.sandbox.executor import limits_here  # noqa: E402
from archer_trl.rewards.sandbox.hostlimits import executor_uid, wrap  # noqa: E402
from archer_trl.rewards.sandbox.mounts import staged_mounts  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--problems", type=int, default=64, help="math problems (x8 completions each)")
    parser.add_argument("--programs", type=int, default=32, help="code programs per round (16 tests each)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per measurement")
    parser.add_argument("--workers", type=int, default=None, help="pool size (default: usable cores, at most 8)")
    parser.add_argument("--trl_slice", type=int, default=128, help="completions for TRL's accuracy_reward (0: skip)")
    parser.add_argument("--skip_bwrap_baseline", action="store_true")
    parser.add_argument("--sections", default="fidelity,math,code", help="comma-separated: fidelity, math, code")
    parser.add_argument("--output", default="benchmarks/results/rewards.json")
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------------------------- math fidelity

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
CORPUS = DATA / "math_fidelity.jsonl"
ADVERSARY_CORPORA = sorted(DATA.glob("math_adversary_round*.jsonl"))  # rows written blind to the grader
GRADERS = ("ours", "math_verify_defaults", "trl")


def math_verify_defaults(completions: list[str], golds: list[str]) -> list[float]:
    """math-verify as its README shows it: default configs, the whole completion, the gold in ``$...$``."""
    from math_verify import parse, verify

    return [float(verify(parse(f"${gold}$"), parse(text))) for text, gold in zip(completions, golds)]


def bench_fidelity(corpus: Path = CORPUS) -> dict:
    from trl.rewards import accuracy_reward as trl_accuracy_reward

    rows = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
    completions, golds = [row["completion"] for row in rows], [row["gold"] for row in rows]
    scores = {
        "ours": make_accuracy_reward()(completions, golds),
        "math_verify_defaults": math_verify_defaults(completions, golds),
        "trl": trl_accuracy_reward([[{"role": "assistant", "content": c}] for c in completions], golds),
    }
    table: dict[str, dict] = {}
    for category in ["all", *dict.fromkeys(row["category"] for row in rows)]:
        picked = [i for i, row in enumerate(rows) if category in ("all", row["category"])]
        table[category] = {"rows": len(picked)}
        for grader in GRADERS:
            said = [bool(scores[grader][i]) for i in picked]  # None (an unparsed gold) counts as "not correct"
            labels = [bool(rows[i]["label"]) for i in picked]
            table[category][grader] = {
                "agree": sum(s == label for s, label in zip(said, labels)),
                "false_negatives": sum(label and not s for s, label in zip(said, labels)),
                "false_positives": sum(s and not label for s, label in zip(said, labels)),
            }
    disagreements = [
        {"id": row["id"], "category": row["category"], "gold": row["gold"], "answer": row.get("answer"),
         "label": row["label"], "ours": scores["ours"][i]}
        for i, row in enumerate(rows) if bool(scores["ours"][i]) != bool(row["label"])
    ]  # fmt: skip
    return {"corpus": str(corpus.relative_to(corpus.parents[2])), "by_category": table,
            "our_disagreements": disagreements}  # fmt: skip


def print_fidelity(fidelity: dict) -> None:
    print(f"\nmath fidelity ({fidelity['corpus']}): agree / rows (false negatives, false positives)")
    print(f"  {'category':<20}{'rows':>6}" + "".join(f"{g:>26}" for g in GRADERS))
    for category, row in fidelity["by_category"].items():
        cells = "".join(
            f"{row[g]['agree']:>14} ({row[g]['false_negatives']:>3} FN, {row[g]['false_positives']:>2} FP)"
            for g in GRADERS
        )
        print(f"  {category:<20}{row['rows']:>6}{cells}")


# ---------------------------------------------------------------------------------------------- math data

GOLD_FORMS = [  # (gold, equivalent answers, wrong answers)
    (lambda r: str(r.randint(2, 999)), lambda g, r: [g], lambda g, r: [str(int(g) + r.choice([-1, 1, 10]))]),
    (
        lambda r: f"\\frac{{{r.randint(1, 9)}}}{{{r.randint(11, 19)}}}",
        lambda g, r: [g, g.replace("\\frac", "\\dfrac")],
        lambda g, r: [g.replace("}{", "}{2")],
    ),
    (lambda r: f"{r.randint(2, 9)}\\sqrt{{{r.choice([2, 3, 5])}}}", lambda g, r: [g], lambda g, r: [g[0]]),
    (lambda r: f"\\frac{{{r.randint(1, 5)}\\pi}}{{{r.randint(2, 6)}}}", lambda g, r: [g], lambda g, r: ["\\pi"]),
    (lambda r: f"[{r.randint(-5, 0)}, {r.randint(1, 9)})", lambda g, r: [g.replace(" ", "")], lambda g, r: ["(0, 1)"]),
    (lambda r: f"{r.randint(1, 99)}\\%", lambda g, r: [g], lambda g, r: [str(r.randint(100, 200))]),
]
WORDS = [
    "so",
    "we",
    "get",
    "then",
    "note",
    "that",
    "hence",
    "substituting",
    "gives",
    "the",
    "equation",
    "which",
    "simplifies",
    "to",
    "therefore",
]


def reasoning(rng: random.Random, length: int) -> str:
    parts = []
    while sum(map(len, parts)) < length:
        a, b = rng.randint(1, 99), rng.randint(1, 99)
        parts.append(" ".join(rng.choices(WORDS, k=12)) + f" ${a} \\cdot {b} = {a * b}$ and $\\frac{{{a}}}{{{b}}}$.\n")
    return "".join(parts)


def math_batch(problems: int, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    completions, golds = [], []
    for _ in range(problems):
        make_gold, right, wrong = rng.choice(GOLD_FORMS)
        gold = make_gold(rng)
        for _ in range(8):
            answer = rng.choice(right(gold, rng) if rng.random() < 0.65 else wrong(gold, rng))
            body = reasoning(rng, rng.randint(3000, 4000))
            completions.append(f"<think>{body}</think>\nThe final answer is $\\boxed{{{answer}}}$.")
            golds.append(gold)
    return completions, golds


def bench_math(args) -> dict:
    completions, golds = math_batch(args.problems)
    results = {"completions_per_batch": len(completions),
               "mean_chars": round(sum(map(len, completions)) / len(completions))}  # fmt: skip
    for label, workers in (("1_worker", 1), ("pool", args.workers or default_num_workers())):
        pool = VerifierPool(num_workers=workers)
        start = time.perf_counter()
        pool.warm_up()
        startup = time.perf_counter() - start
        reward = make_accuracy_reward(pool=pool)
        start = time.perf_counter()
        reward(completions, golds)  # the first batch: golds and new LaTeX constructs are parsed for the first time
        first = len(completions) / (time.perf_counter() - start)
        rates = []
        for round_ in tqdm(range(args.rounds), desc=f"math {label}"):
            batch, batch_golds = math_batch(args.problems, seed=100 + round_)  # new problems: nothing cached
            start = time.perf_counter()
            scores = reward(batch, batch_golds)
            rates.append(len(batch) / (time.perf_counter() - start))
        pool.close()
        results[label] = {
            "workers": workers,
            "startup_s": round(startup, 2),
            "first_batch_per_s": round(first, 1),
            "completions_per_s": round(statistics.median(rates), 1),
            "per_worker_per_s": round(statistics.median(rates) / workers, 1),
            "accuracy": round(sum(s for s in scores if s is not None) / len(scores), 3),
        }
    if args.trl_slice:
        from trl.rewards import accuracy_reward as trl_accuracy_reward

        def chat(texts):
            return [[{"role": "assistant", "content": c}] for c in texts]

        trl_accuracy_reward(chat(completions[: args.trl_slice]), golds[: args.trl_slice])  # warm-up, as ours had
        batch, batch_golds = math_batch(args.problems, seed=100)
        batch, batch_golds = batch[: args.trl_slice], batch_golds[: args.trl_slice]
        start = time.perf_counter()
        trl_scores = trl_accuracy_reward(chat(batch), batch_golds)
        elapsed = time.perf_counter() - start
        ours = make_accuracy_reward()(batch, batch_golds)
        results["trl_accuracy_reward_in_process"] = {
            "completions": len(batch),
            "completions_per_s": round(len(batch) / elapsed, 1),
            "disagreements_with_ours": sum(a != b for a, b in zip(trl_scores, ours)),
        }
    return results


# ---------------------------------------------------------------------------------------------- code data

PROGRAMS = [
    "n = int(input())\nxs = list(map(int, input().split()))\nprint(sum(xs))",
    "import sys\ndata = sys.stdin.read().split()\nn = int(data[0])\nxs = sorted(map(int, data[1:1 + n]))\n"
    "print(' '.join(map(str, xs)))",
    "from collections import Counter\nn = int(input())\nxs = input().split()\nprint(Counter(xs).most_common(1)[0][1])",
    "n = int(input())\nxs = list(map(int, input().split()))\nbest = cur = 0\nfor x in xs:\n"
    "    cur = max(x, cur + x)\n    best = max(best, cur)\nprint(best)",
]


def expected_output(kind: int, xs: list[int]) -> str:
    if kind == 0:
        return str(sum(xs))
    if kind == 1:
        return " ".join(map(str, sorted(xs)))
    if kind == 2:
        return str(max(xs.count(x) for x in xs))
    best = cur = 0
    for x in xs:
        cur = max(x, cur + x)
        best = max(best, cur)
    return str(best)


def code_batch(programs: int, seed: int = 0, samples_per_prompt: int = 1) -> tuple[list[str], list[dict]]:
    """``programs`` programs, ``samples_per_prompt`` of them per task (GRPO's siblings share their tests)."""
    rng = random.Random(seed)
    completions, tests = [], []
    for index in range(programs):
        kind = (index // samples_per_prompt) % len(PROGRAMS)
        if index % samples_per_prompt == 0:
            inputs, outputs = [], []
            for _ in range(16):
                xs = [rng.randint(-50, 50) for _ in range(rng.randint(1, 200))]
                inputs.append(f"{len(xs)}\n{' '.join(map(str, xs))}\n")
                outputs.append(expected_output(kind, xs) + "\n")
        completions.append(f"```python\n{PROGRAMS[kind]}\n```")
        tests.append({"inputs": list(inputs), "outputs": list(outputs)})
    return completions, tests


def baseline_program(code: str, tests: dict, prefix: list[str], workdir: str) -> float:
    """One fresh interpreter per test (optionally inside its own bwrap), judged like ours; stops at a failure."""
    suite = normalize_tests(tests)
    env = {} if prefix else dict(SANDBOX_ENV)
    path = os.path.join(workdir, f"solution_{os.getpid()}_{id(code)}_{time.monotonic_ns()}.py")
    Path(path).write_text(code)
    if prefix:
        os.chmod(path, 0o644)  # read by the executor's unprivileged host uid, as ours reads the harness
        # the work directory over the scratch mount point (the root is read-only and has no other free name)
        inside = f"/tmp/{os.path.basename(path)}"
        command = [*prefix, "--ro-bind", workdir, "/tmp", "--remount-ro", "/", sys.executable, inside]
        # launched as our executors are: the same host uid drop and staged interpreter paths (see hostlimits.wrap)
        command = wrap(command, [], executor_uid(limits_here(SandboxConfig())), staged_mounts())
    else:
        command = [sys.executable, path]
    try:
        for case in suite.cases:
            done = subprocess.run(command, input=case.input, capture_output=True, text=True, timeout=6, env=env,
                                  cwd=workdir)  # fmt: skip
            if done.returncode != 0 or not stdout_matches(done.stdout, case.output):
                return 0.0
        return 1.0
    finally:
        os.unlink(path)


def bwrap_prefix() -> list[str]:
    """The executor's bwrap options (same binds and namespaces), without its interpreter command."""
    command = bwrap_command(SandboxConfig())
    prefix = command[: command.index(sys.executable)]
    # the read-only remounts of / and /dev must come after the solution's bind (the caller adds them); those of the
    # emptied site-packages directories stay where they are
    kept: list[str] = []
    arguments = iter(prefix)
    for argument in arguments:
        if argument == "--remount-ro":
            target = next(arguments)
            if target not in ("/", "/dev"):
                kept += [argument, target]
        else:
            kept.append(argument)
    return kept


def bench_code(args) -> dict:
    workers = args.workers or default_num_workers()
    start = time.perf_counter()
    reward = make_code_reward(num_workers=workers, max_tests=None)
    reward(*code_batch(workers, seed=99))  # every executor started
    startup = time.perf_counter() - start
    # the same pool with the work-conserving schedule: the cost of holding siblings (sandbox/schedule.py)
    spread = make_code_reward(num_workers=workers, max_tests=None, siblings="spread")
    variants = {"ours": None, "ours_spread_schedule": None, "subprocess_per_test": []}
    if not args.skip_bwrap_baseline:
        variants["bwrap_subprocess_per_test"] = bwrap_prefix()
    rates: dict[str, list[float]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory() as workdir, ThreadPoolExecutor(workers) as threads:
        os.chmod(workdir, 0o755)  # noqa: S103 - the baseline's sandbox uid reads the solution files
        for round_ in tqdm(range(args.rounds), desc="code rounds"):
            completions, tests = code_batch(args.programs, seed=round_, samples_per_prompt=workers)
            for name, prefix in variants.items():
                start = time.perf_counter()
                if name.startswith("ours"):
                    scores = (reward if name == "ours" else spread)(completions, tests)
                else:
                    codes = [c.split("```python\n")[1].rsplit("```", 1)[0] for c in completions]
                    scores = list(
                        threads.map(lambda ct, p=prefix: baseline_program(*ct, p, workdir), zip(codes, tests))
                    )
                elapsed = time.perf_counter() - start
                if scores != [1.0] * len(completions):
                    raise RuntimeError(f"{name}: expected every program to pass, got {scores}")
                rates[name].append(len(completions) / elapsed)
    result = {"programs_per_round": args.programs, "tests_per_program": 16, "workers": workers,
              "samples_per_prompt": workers, "startup_s": round(startup, 2)}  # fmt: skip
    for name, values in rates.items():
        result[name] = {"programs_per_s": round(statistics.median(values), 2),
                        "ms_per_test": round(1000 * workers / (16 * statistics.median(values)), 2)}  # fmt: skip
    for name in variants:
        if name != "ours":
            ratios = [o / b for o, b in zip(rates["ours"], rates[name])]
            result[f"speedup_vs_{name}"] = round(statistics.median(ratios), 2)
    return result


def print_math(math_: dict) -> None:
    print("\nmath (accuracy_reward)")
    print(f"  {'setting':<34}{'completions/s':>16}{'per worker':>12}{'first batch/s':>16}")
    for label in ("1_worker", "pool"):
        row = math_[label]
        name = f"{label} ({row['workers']})"
        print(f"  {name:<34}{row['completions_per_s']:>16}{row['per_worker_per_s']:>12}{row['first_batch_per_s']:>16}")
    if "trl_accuracy_reward_in_process" in math_:
        row = math_["trl_accuracy_reward_in_process"]
        print(f"  {'trl accuracy_reward (in-process)':<34}{row['completions_per_s']:>16}{'':>12}")
    print(f"  target >= 50/s per core: {'met' if math_['1_worker']['per_worker_per_s'] >= 50 else 'NOT met'}")


def print_code(code: dict) -> None:
    print(f"\ncode (16 stdin tests per program, {code['workers']} at a time, {code['samples_per_prompt']} per prompt)")
    print(f"  {'design':<34}{'programs/s':>16}{'ms/test':>12}")
    for name in ("ours", "ours_spread_schedule", "subprocess_per_test", "bwrap_subprocess_per_test"):
        if name in code:
            print(f"  {name:<34}{code[name]['programs_per_s']:>16}{code[name]['ms_per_test']:>12}")
    for key, value in code.items():
        if key.startswith("speedup_vs_"):
            print(f"  {key}: {value}x")
    print(
        f"  target >= 5x the subprocess baseline: {'met' if code['speedup_vs_subprocess_per_test'] >= 5 else 'NOT met'}"
    )


def main(argv=None) -> dict:
    args = parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sections = {section.strip() for section in args.sections.split(",") if section.strip()}
    unknown = sections - {"fidelity", "math", "code"}
    if unknown:
        raise SystemExit(f"--sections: unknown {sorted(unknown)}; allowed: fidelity, math, code")
    report = {
        "machine": {
            "cpus": len(os.sched_getaffinity(0)),
            "load_average_at_start": os.getloadavg(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },  # fmt: skip
    }
    if "fidelity" in sections:
        report["math_fidelity"] = bench_fidelity()
        print_fidelity(report["math_fidelity"])
        report["math_adversary"] = {path.stem: bench_fidelity(path) for path in ADVERSARY_CORPORA}
        for fidelity in report["math_adversary"].values():
            print_fidelity(fidelity)
    if "math" in sections:
        report["math"] = bench_math(args)
        print_math(report["math"])
    if "code" in sections:
        report["code"] = bench_code(args)
        print_code(report["code"])
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(output.read_text()) if output.exists() else {}
    output.write_text(json.dumps({**previous, **report}, indent=2) + "\n")  # sections not run this time are kept
    print(f"\nwrote {output}")
    return report


if __name__ == "__main__":
    main()
