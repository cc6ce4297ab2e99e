"""Helpers shared by the reward worker pools (math-verify workers, sandbox executors): how many workers a rank gets,
and what a dead worker last said."""

from __future__ import annotations

import os
from typing import IO


def default_num_workers(cap: int = 8) -> int:
    """Usable cores divided among the local ``accelerate``/torchrun processes, at most ``cap``."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 1
    local_processes = max(1, int(os.environ.get("LOCAL_WORLD_SIZE", "1") or 1))
    return max(1, min(cap, usable // local_processes))


def stderr_tail(stderr: IO[bytes] | None, size: int = 2000) -> str:
    """The last ``size`` characters a worker wrote to its captured stderr file ("" if there is none to read)."""
    if stderr is None:
        return ""
    try:
        stderr.seek(0)
        return stderr.read().decode(errors="replace")[-size:]
    except (OSError, ValueError):
        return ""
