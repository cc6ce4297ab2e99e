"""Learning comparison harness: train several methods from one checkpoint, same task, budget and seeds.

Each run is one `ArcherGRPOTrainer` job in its own process (one torch thread, so `--jobs 2` fills two cores). A
run evaluates the policy on the held-out split every `eval_every` steps and records, per optimizer step, what the
trainer logs. Every method, TRL's own loss included, is measured by the same code:

- held-out greedy accuracy, and avg@k / pass@k from k samples per problem at the training temperature;
- on those samples: each token's entropy under the policy, Archer's per-response split at rho = 0.8 (so the
  "reasoning"/"knowledge" types mean the same thing for every method), the mean entropy of each type, the
  reasoning-token fraction, the repetition rate (share of repeated token n-grams per response), the mean length and
  the share of responses cut off at the length limit;
- from the trainer, per step: reward, and the `archer/*` metrics (entropy of each type, clip fraction of each
  type), which `ArcherGRPOTrainer` logs in every mode.

Finished runs are cached as JSON under the work directory, keyed by their full specification, so an interrupted
comparison resumes where it stopped and runs shared between suites (the default Archer run is also the centre of
every sweep) are trained once. `compare.py`, `sweep.py` and `knowledge.py` are the entry points; `training.py` is
one run (in its own process), `report.py` draws the results.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RECIPE = REPO / "archer_trl" / "recipes" / "tiny_cpu_math.yaml"
DEFAULT_WORK_DIR = REPO / "outputs" / "learning"
WORKER = Path(__file__).with_name("training.py")  # one run per subprocess: training and held-out evaluation
# "math": archer_trl.tasks' arithmetic from tiny-math; "knowledge": archer_trl.tasks.knowledge from tiny-knowledge
# (facts plus arithmetic, with a recall probe; knowledge_metrics.py), the task of knowledge.py.
TASKS = ("math", "knowledge")

# The baselines keep every setting of the Archer runs except the token constraints. "grpo" is the paper's baseline
# (called DAPO in its v1): TRL's loss, clip 0.2 / 0.28 (clip-higher), no KL. Aggregation stays the recipe's
# per-response "grpo" mean for all methods, so only the constraints differ; "dapo" (token-level mean) is offered too.
METHODS: dict[str, dict[str, Any]] = {
    "archer": {"token_constraints": "archer"},
    "grpo": {"token_constraints": "none", "epsilon": 0.2, "epsilon_high": 0.28, "beta": 0.0},
    "dapo": {"token_constraints": "none", "epsilon": 0.2, "epsilon_high": 0.28, "beta": 0.0, "loss_type": "dapo"},
    "mask_80_20": {"token_constraints": "mask_80_20", "epsilon": 0.2, "epsilon_high": 0.28, "beta": 0.0},
    # ASPO with its released constraints (ArcherConfig's aspo defaults: clip 0.2 knowledge / 0.4 reasoning, soft
    # dual clip c = 3, uniform k3 KL 0.001) and the recipe's shared per-response aggregation, like every method.
    "aspo": {"token_constraints": "aspo"},
    # The ablations of knowledge.py: a uniform KL on every token, and Archer without one of its two constraints.
    "grpo_kl": {"token_constraints": "none", "epsilon": 0.2, "epsilon_high": 0.28, "beta": 0.001},
    "archer_no_kl": {"token_constraints": "archer", "beta_knowledge": 0.0},
    "archer_eps_r02": {"token_constraints": "archer", "epsilon_reasoning": 0.2},
}
METHOD_LABELS = {
    "archer": "Archer (0.2/0.5 clip, KL 1e-3 on knowledge)",
    "grpo": "GRPO (TRL loss, clip 0.2/0.28, no KL)",
    "dapo": "DAPO (TRL loss, token mean, clip 0.2/0.28)",
    "mask_80_20": "80/20 masking (clip 0.2/0.28)",
    "aspo": "ASPO (0.2/0.4 clip, flipped IS weight for A > 0, soft dual clip 3, uniform KL 1e-3)",
    "grpo_kl": "GRPO with a uniform k3 KL 1e-3 on every token",
    "archer_no_kl": "Archer with beta_knowledge = 0 (clip gating only)",
    "archer_eps_r02": "Archer with epsilon_reasoning = 0.2 (KL gating only)",
}

# Recipe keys that configure the script or the output, not the trainer; the harness sets its own.
_SCRIPT_KEYS = {
    "model_name_or_path",
    "dataset_name",
    "offline_train_size",
    "offline_eval_size",
    "reward_funcs",
    "output_dir",
    "eval_batch_size",
    "max_eval_samples",
    "logging_steps",
    "save_strategy",
    "save_steps",
    "save_total_limit",
    "report_to",
    "seed",
}


def recipe_settings() -> dict[str, Any]:
    """The trainer settings of the offline default recipe: every run starts from these."""
    import yaml

    recipe = yaml.safe_load(RECIPE.read_text())
    return {key: value for key, value in recipe.items() if key not in _SCRIPT_KEYS}


@dataclass(frozen=True)
class EvalSettings:
    """How the held-out evaluation samples and what it measures (identical for every method)."""

    n_eval: int = 200
    k: int = 4
    temperature: float = 1.0
    max_new_tokens: int = 48
    batch_size: int = 200
    typing_quantile: float = 0.8
    repetition_ngram: int = 8
    sample_seed: int = 1234


def _without_defaults(config: dict[str, Any]) -> dict[str, Any]:
    """``config`` minus the entries equal to ArcherConfig's defaults, so that spelling a default out (a sweep's
    centre value) names the same run as leaving it implicit."""
    defaults = _archer_config_defaults()
    if config.get("token_constraints") in ("none", "mask_80_20"):
        defaults["beta"] = 0.0  # beta=None resolves to TRL's 0.0 in these modes: spelling it out names the same run
    return {k: v for k, v in config.items() if not (k in defaults and defaults[k] == v)}


def _archer_config_defaults() -> dict[str, Any]:
    """Every `ArcherConfig` field with its default (`dataclasses.MISSING` where it has none)."""
    import dataclasses

    from archer_trl import ArcherConfig

    return {f.name: f.default for f in dataclasses.fields(ArcherConfig)}


@dataclass
class RunSpec:
    """One training run: a method, a seed and any config overrides, plus where it is evaluated."""

    method: str
    seed: int
    group: str  # runs of one group differ only by seed and are aggregated together
    overrides: dict[str, Any] = field(default_factory=dict)
    eval_every: int = 10
    n_train: int = 2000
    model: str | None = None  # a checkpoint directory; None is the task's shipped model
    eval: EvalSettings = field(default_factory=EvalSettings)
    task: str = "math"

    def config(self) -> dict[str, Any]:
        if self.method not in METHODS:
            raise ValueError(f"method={self.method!r} is invalid: allowed methods are {', '.join(METHODS)}")
        return recipe_settings() | METHODS[self.method] | self.overrides | {"seed": self.seed}

    def key(self) -> str:
        """A stable id of everything that determines the result (so cached results are never reused wrongly)."""
        settings = {k: v for k, v in asdict(self).items() if k not in ("group", "overrides")}
        if self.model is None:
            del settings["model"]  # runs cached before the option existed keep their keys
        if self.task == "math":
            del settings["task"]
        payload = {"config": _without_defaults(self.config()), **settings}
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
        return f"{self.method}-s{self.seed}-{digest}"


def validate(spec: RunSpec) -> None:
    """Build the run's `ArcherConfig` now, so a bad override fails before any run starts, naming the field."""
    import tempfile

    from archer_trl import ArcherConfig

    defaults = _archer_config_defaults()
    unknown = sorted(set(spec.config()) - set(defaults))
    if unknown:
        raise SystemExit(
            f"{', '.join(unknown)}: not ArcherConfig/GRPOConfig fields (run {spec.method}, seed {spec.seed})"
        )
    for name, value in spec.config().items():
        default = defaults.get(name)
        if isinstance(default, int | float) and not isinstance(default, bool) and isinstance(value, str):
            raise SystemExit(f"{name}={value!r} is invalid: ArcherConfig.{name} is a number (default {default})")
    try:
        ArcherConfig(output_dir=tempfile.gettempdir(), report_to="none", **({"use_cpu": True} | spec.config()))
    except ValueError as error:
        raise SystemExit(f"run {spec.method} (seed {spec.seed}, group {spec.group}): {error}") from None


# --------------------------------------------------------------------------------------------- orchestration


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        TOKENIZERS_PARALLELISM="false",
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TRL_EXPERIMENTAL_SILENCE="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    return env


def _run_subprocess(task: str, payload: dict[str, Any], result_path: Path, log_path: Path) -> dict[str, Any]:
    spec_path = result_path.with_suffix(".spec.json")
    spec_path.write_text(json.dumps(payload, indent=2))
    command = [sys.executable, str(WORKER), task, "--spec", str(spec_path), "--result", str(result_path)]
    with open(log_path, "w") as log:
        process = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=_worker_env(), cwd=REPO)
    if process.returncode != 0 or not result_path.exists():
        tail = "".join(log_path.read_text(errors="replace").splitlines(keepends=True)[-25:])
        raise RuntimeError(f"{task} {result_path.stem} failed (exit {process.returncode}); log {log_path}:\n{tail}")
    return json.loads(result_path.read_text())


def run_all(specs: list[RunSpec], work_dir: Path, jobs: int, force: bool = False) -> tuple[dict, list[dict]]:
    """Run (or load from cache) the starting-checkpoint evaluation and every spec; returns (start, results)."""
    from tqdm.auto import tqdm

    runs_dir = work_dir / "runs"
    logs_dir = work_dir / "logs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    logs_dir.mkdir(parents=True, exist_ok=True)
    settings = specs[0].eval
    if len({(spec.model, spec.task) for spec in specs}) != 1:
        raise ValueError("every run of one comparison must start from the same checkpoint, on the same task")
    start_payload = asdict(settings) | ({"model": specs[0].model} if specs[0].model else {})
    start_payload |= {"task": specs[0].task} if specs[0].task != "math" else {}
    start_key = hashlib.sha256(json.dumps(start_payload, sort_keys=True).encode()).hexdigest()[:12]
    start_path = runs_dir / f"start-{start_key}.json"

    if any(spec.eval != settings for spec in specs):
        raise ValueError("every run of one comparison must use the same evaluation settings")
    # Runs are identified by what determines their result, so a config shared by two groups trains once.
    unique = {spec.key(): spec for spec in specs}
    tasks: list[tuple[str, dict[str, Any], Path]] = []
    if force or not start_path.exists():
        tasks.append(("start", start_payload, start_path))
    for key, spec in unique.items():
        path = runs_dir / f"{key}.json"
        if force or not path.exists():
            tasks.append(("train", asdict(spec), path))
    cached = len(unique) + 1 - len(tasks)
    print(
        f"{len(unique)} runs + start evaluation: {cached} cached in {runs_dir}, {len(tasks)} to run, {jobs} at a time"
    )
    failures = []
    began, date = time.perf_counter(), time.strftime("%Y-%m-%d %H:%M")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {
            pool.submit(_run_subprocess, task, payload, path, logs_dir / f"{path.stem}.log"): path.stem
            for task, payload, path in tasks
        }
        with tqdm(total=len(futures), desc="runs", unit="run") as bar:
            for future in as_completed(futures):
                try:
                    future.result()
                except RuntimeError as error:
                    failures.append(str(error))
                    print(error, file=sys.stderr)
                bar.set_postfix_str(futures[future])
                bar.update()
    if failures:
        raise SystemExit(f"{len(failures)} run(s) failed; finished runs are cached, rerun the command to resume")
    trained = {path.stem for task, _, path in tasks if task == "train"}
    if trained:  # remembered in each result, so a page regenerated from the cache can still say what it cost
        invocation = {"date": date, "wall_seconds": time.perf_counter() - began, "runs": len(tasks), "jobs": jobs}
        for stem in trained:
            path = runs_dir / f"{stem}.json"
            path.write_text(json.dumps(json.loads(path.read_text()) | {"trained_by": invocation}, indent=1))
    start = json.loads(start_path.read_text())
    results = []
    for spec in specs:
        result = json.loads((runs_dir / f"{spec.key()}.json").read_text())
        result["spec"] = asdict(spec)  # the group (and overrides) this comparison asked for
        result["from_cache"] = spec.key() not in trained
        results.append(result)
    return start, results


def make_spec(
    args: argparse.Namespace,
    method: str,
    seed: int,
    group: str,
    overrides: dict[str, Any],
    task: str = "math",
    eval_settings: dict[str, Any] | None = None,
) -> RunSpec:
    """A run of the command-line comparison ``args`` (see `add_common_arguments`) on ``task``; ``eval_settings``
    overrides `EvalSettings` fields (beyond ``n_eval``, which the command line sets)."""
    model = None if args.model is None else str(Path(args.model).resolve())
    if model is not None and not Path(model, "config.json").is_file():
        raise SystemExit(f"--model {args.model!r} is invalid: expected a local checkpoint directory with config.json")
    return RunSpec(
        method=method,
        seed=seed,
        group=group,
        overrides=overrides,
        eval_every=args.eval_every,
        eval=EvalSettings(n_eval=args.n_eval, **(eval_settings or {})),
        model=model,
        task=task,
    )


def seed_cache(results_path: Path, work_dir: Path) -> int:
    """Copy the runs (and start evaluation) a committed ``results.json`` holds into the cache, where absent, so a
    comparison extended by a method trains only the new runs. Runs are keyed by their full specification, so a
    published run is reused only by the identical spec. Returns how many runs were added."""
    if not results_path.is_file():
        return 0
    published = json.loads(results_path.read_text())
    runs_dir = work_dir / "runs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    added = 0
    for run in published.get("runs", []):
        path = runs_dir / f"{run['key']}.json"
        if not path.exists():
            path.write_text(json.dumps({k: v for k, v in run.items() if k != "from_cache"}, indent=1))
            added += 1
    spec = published["runs"][0]["spec"] if published.get("runs") else None
    if spec is not None:
        payload = spec["eval"] | ({"model": spec["model"]} if spec.get("model") else {})
        payload |= {"task": spec["task"]} if spec.get("task", "math") != "math" else {}
        start_key = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
        start_path = runs_dir / f"start-{start_key}.json"
        if not start_path.exists():
            start_path.write_text(json.dumps(published["start"], indent=1))
    return added


def run_specs(specs: list[RunSpec], args: argparse.Namespace) -> tuple[dict, list[dict], float]:
    """Validate every spec, then run (or load) them all; returns (start evaluation, results, wall seconds).

    Runs already published in ``args.output_dir/results.json`` are loaded from there unless ``--force``."""
    for spec in specs:
        validate(spec)
    if not args.force:
        added = seed_cache(args.output_dir / "results.json", args.work_dir)
        if added:
            print(f"{added} runs taken from {args.output_dir / 'results.json'} into the cache")
    began = time.perf_counter()
    start, results = run_all(specs, args.work_dir, args.jobs, args.force)
    return start, results, time.perf_counter() - began


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """``key=value`` pairs (numbers, booleans, null, YAML lists) applied to every run's config."""
    overrides = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"--set {pair!r} is invalid: expected key=value, e.g. --set learning_rate=1e-4")
        overrides[key] = _parse_value(value)
    return overrides


def _parse_value(text: str) -> Any:
    """A command-line value: int, then float (YAML would keep ``1e-4`` as a string), then YAML (bool, null, list)."""
    import yaml

    for parse in (int, float):
        try:
            return parse(text)
        except ValueError:
            pass
    return yaml.safe_load(text)


def add_common_arguments(parser: argparse.ArgumentParser, default_output: Path) -> None:
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="training seeds (default 0 1 2)")
    parser.add_argument("--jobs", type=int, default=2, help="runs in parallel, one torch thread each (default 2)")
    parser.add_argument("--eval_every", type=int, default=10, help="held-out evaluation interval in steps")
    parser.add_argument(
        "--model", help="starting checkpoint directory (default: the shipped tiny-math model); same task and tokenizer"
    )
    parser.add_argument("--n_eval", type=int, default=EvalSettings.n_eval, help="held-out problems (default 200)")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="ArcherConfig override for every run, e.g. --set max_steps=120 (repeatable)",
    )
    parser.add_argument("--work_dir", type=Path, default=DEFAULT_WORK_DIR, help="cache of finished runs and logs")
    parser.add_argument("--output_dir", type=Path, default=default_output, help="where JSON, plots and table go")
    parser.add_argument("--force", action="store_true", help="rerun runs that are already cached")
