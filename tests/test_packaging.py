"""The package as a user installs it: extras spelled as published, and the wheel's `archer-train` running the
offline default from a folder outside the checkout (recipes and the tiny model come from the wheel)."""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def requirements() -> list[Requirement]:
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    lines = [setup["options"]["install_requires"]]
    lines += [setup["options.extras_require"][extra] for extra in setup["options.extras_require"]]
    return [Requirement(line) for block in lines for line in block.strip().splitlines() if line.strip()]


def test_extras_are_spelled_as_the_packages_publish_them():
    """pip < 24 warns on every install when an extra's spelling differs from the package's Provides-Extra."""
    checked = 0
    for requirement in requirements():
        if not requirement.extras:
            continue
        try:
            published = metadata.metadata(requirement.name).get_all("Provides-Extra") or []
        except metadata.PackageNotFoundError:
            continue
        assert requirement.extras <= set(published), f"{requirement}: {requirement.name} publishes {published}"
        checked += 1
    assert checked, "no requirement with extras was checked"


def test_ruff_target_matches_python_requires():
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    minimum = setup["options"]["python_requires"].removeprefix(">=").strip()
    # read by pattern: tomllib is Python 3.11+, and this package supports 3.10
    target = re.search(r'^target-version = "(py\d+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert target == "py" + minimum.replace(".", "")


# builds a wheel and trains 2 steps in a subprocess: 24 s on a shared 2-core machine, so not marked slow
def test_the_installed_wheel_runs_archer_train_outside_the_checkout(tmp_path):
    source = tmp_path / "src"  # a copy, so the build writes no build/ or egg-info into the checkout
    junk = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", "build", "dist", "outputs", ".whl", "*.pyc")
    shutil.copytree(ROOT, source, ignore=junk)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    build = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("archer_trl-*.whl")
    site = tmp_path / "site"
    install = subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    assert "WARNING" not in install.stdout + install.stderr, install.stdout + install.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    where = subprocess.run(
        [sys.executable, "-c", "import archer_trl.recipes as r; print(r.RECIPES_DIR)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout + where.stderr
    small = ["--offline_train_size", "16", "--offline_eval_size", "4", "--max_eval_samples", "4"]
    small += ["--per_device_train_batch_size", "8", "--num_generations", "4", "--max_completion_length", "16"]
    run = subprocess.run(
        [str(site / "bin" / "archer-train"), "--max_steps", "2", *small, "--output_dir", "out"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    summary = json.loads((elsewhere / "out" / "summary.json").read_text())
    assert summary["task"] == "math" and summary["global_step"] == 2
    assert Path(summary["model"]).is_relative_to(site)  # the tiny model shipped in the wheel
    assert "Archer training finished" in run.stdout
