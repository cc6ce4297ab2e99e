"""Checks of what a user names on the command line, run before anything is loaded, each failing with a plain
message that names the option, the value and what to do (instead of a Hub or tokenizer error from a library)."""

from __future__ import annotations

import os
from pathlib import Path

WEIGHT_PATTERNS = ("*.safetensors", "*.safetensors.index.json", "*.bin", "*.bin.index.json", "*.pt", "*.pth")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "tokenizer.model", "vocab.json", "vocab.txt")
WHAT_A_MODEL_IS = (
    "a folder written by `save_pretrained` (config.json, weights, tokenizer files), a training output folder, "
    "or a Hub model id such as Qwen/Qwen2.5-1.5B-Instruct"
)


class InputError(ValueError):
    """A mistake in what the user named on the command line, said plainly with what to do."""


def looks_like_path(name: str) -> bool:
    """A local path rather than a Hub id: it exists, starts like a path, or has more parts than ``owner/name``."""
    return Path(name).expanduser().exists() or name.startswith((".", "/", "~", os.sep)) or len(Path(name).parts) > 2


def check_model_path(name: str, option: str = "--model_name_or_path") -> str:
    """``name`` unchanged if it is a Hub id or a model folder with weights and a tokenizer; else `InputError`."""
    path = Path(name).expanduser()
    if not looks_like_path(name):
        return name
    if not path.exists():
        raise InputError(f"{option} {name!r}: no such folder (looked for {path.resolve()}). Give {WHAT_A_MODEL_IS}.")
    if not path.is_dir():
        raise InputError(f"{option} {name!r} is a file; a model is a folder. Give {WHAT_A_MODEL_IS}.")
    missing = []
    if not any(next(path.glob(pattern), None) for pattern in WEIGHT_PATTERNS):
        missing.append("model weights (*.safetensors or *.bin)")
    if not any((path / file).is_file() for file in TOKENIZER_FILES):
        missing.append(f"tokenizer files ({' or '.join(TOKENIZER_FILES[:2])})")
    if missing:
        contents = sorted(p.name for p in path.iterdir())
        held = (
            f"it holds {', '.join(contents[:8])}{', ...' if len(contents) > 8 else ''}" if contents else "it is empty"
        )
        raise InputError(f"{option} {name!r} has no {' and no '.join(missing)}; {held}. Give {WHAT_A_MODEL_IS}.")
    return name
