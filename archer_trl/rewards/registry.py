"""Reward functions by name or by reference, for recipes and command lines.

`resolve_reward_function` accepts a registered name (``accuracy``, ``accuracy_strict``, ``code``, ``format``, or the
function names ``accuracy_reward``, ``strict_accuracy_reward``, ``code_reward``, ``format_reward``), ``package.module:function`` or ``path/to/file.py:function``.
A reference that cannot be resolved fails at start-up with a message naming what was missing, before any model is
loaded; ``code`` also checks that the sandbox can run here (and says how to fix it if not).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

RewardFunc = Callable[..., list[Any]]


def _accuracy() -> RewardFunc:
    from .math.reward import accuracy_reward

    return accuracy_reward


def _accuracy_strict() -> RewardFunc:
    from .math.reward import strict_accuracy_reward

    return strict_accuracy_reward


def _format() -> RewardFunc:
    from .shaping import format_reward

    return format_reward


def _code() -> RewardFunc:
    from .code.reward import code_reward, default_code_reward

    default_code_reward()  # builds it now: SandboxUnavailable (with the fix) here rather than mid-training
    return code_reward


REGISTRY: dict[str, Callable[[], RewardFunc]] = {
    "accuracy": _accuracy,
    "accuracy_reward": _accuracy,
    "accuracy_strict": _accuracy_strict,
    "strict_accuracy_reward": _accuracy_strict,
    "code": _code,
    "code_reward": _code,
    "format": _format,
    "format_reward": _format,
}


def resolve_reward_function(reference: str | RewardFunc) -> RewardFunc:
    """The reward callable named by ``reference`` (a callable is returned unchanged)."""
    if callable(reference):
        return reference
    reference = str(reference).strip()
    if reference in REGISTRY:
        return REGISTRY[reference]()
    if ":" not in reference:
        raise ValueError(
            f"unknown reward function {reference!r}: use a registered name ({', '.join(sorted(REGISTRY))}) or a "
            "reference 'package.module:function' / 'path/to/file.py:function'"
        )
    location, attribute = reference.rsplit(":", 1)
    if not location or not attribute:
        raise ValueError(
            f"reward {reference!r} is malformed: expected 'package.module:function' or 'file.py:function'"
        )
    module = _load_module(reference, location)
    function = getattr(module, attribute, None)
    if function is None:
        public = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_"))
        raise ValueError(f"reward {reference!r}: {location} defines no {attribute!r}; its callables: {public}")
    if not callable(function):
        raise ValueError(
            f"reward {reference!r}: {location}.{attribute} is a {type(function).__name__}, not a callable"
        )
    return function


def _load_module(reference: str, location: str):
    if location.endswith(".py") or "/" in location or "\\" in location:
        path = Path(location).expanduser().resolve()
        if not path.is_file():
            raise ValueError(f"reward {reference!r}: file {location!r} does not exist (relative to {Path.cwd()})")
        name = f"archer_user_reward_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # so that its functions pickle by reference within this process
        try:
            spec.loader.exec_module(module)
        except Exception as error:
            sys.modules.pop(name, None)
            raise ValueError(f"reward {reference!r}: importing {path} failed: {error!r}") from error
        return module
    try:
        return importlib.import_module(location)
    except ImportError as error:
        raise ValueError(f"reward {reference!r}: cannot import module {location!r}: {error}") from error
