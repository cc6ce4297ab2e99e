"""The shipped training recipes: YAML files in this folder, installed with the package.

``tiny_cpu_math`` and ``tiny_cpu_code`` are the offline defaults of ``archer-train`` (``examples/train_*.py``); the
others map the paper's recipes. Discovery globs the folder, so a recipe dropped in here is listed and usable by name
with no code change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

RECIPES_DIR = Path(__file__).resolve().parent
DEFAULT_RECIPES = {"math": "tiny_cpu_math", "code": "tiny_cpu_code"}


def available_recipes() -> list[str]:
    """Names of the shipped recipes (file stems), sorted."""
    return sorted(path.stem for path in RECIPES_DIR.glob("*.yaml"))


def recipe_path(name: str) -> Path:
    """The file of the shipped recipe ``name`` (with or without ``.yaml``); a plain error lists the others."""
    stem = name[: -len(".yaml")] if name.endswith(".yaml") else name
    path = RECIPES_DIR / f"{stem}.yaml"
    if not path.is_file():
        raise ValueError(
            f"--recipe {name!r}: no shipped recipe has that name. Shipped: {', '.join(available_recipes())}. "
            "For a recipe file of your own use --config path/to/recipe.yaml."
        )
    return path


def default_recipe(task: str) -> Path:
    """The offline CPU default of ``task`` (``math`` or ``code``)."""
    return recipe_path(DEFAULT_RECIPES[task])


def load_recipe(path: str | Path) -> dict[str, Any]:
    """A recipe's settings, with plain errors for a missing file or one that is not a YAML mapping."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"--config {str(path)!r}: no such file (looked for {path.resolve()}).")
    settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(settings, dict):
        raise ValueError(f"--config {str(path)!r}: a recipe is a YAML mapping of option: value, got {settings!r}.")
    return settings


def recipe_task(settings: dict[str, Any]) -> str:
    """The job a recipe is for: ``code`` when its rewards run code, else ``math``."""
    return "code" if "code" in (settings.get("reward_funcs") or []) else "math"
