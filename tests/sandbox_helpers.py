"""What the red-team regression tests share: a code block around a program, the skip without bubblewrap, and the
scores of several programs on one row (warnings about unscored rows silenced: the tests assert on the scores)."""

from __future__ import annotations

import shutil
import warnings

import pytest

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")


def block(code: str) -> str:
    return f"```python\n{code}\n```"


def scores(reward, programs: list[str], tests: dict) -> list:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reward([block(program) for program in programs], [tests] * len(programs))
