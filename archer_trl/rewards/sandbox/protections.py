"""One line naming the protections the code sandbox has on this host (``python -m archer_trl.rewards.sandbox``)."""

from __future__ import annotations

import os
import platform
import shutil

from .executor import SandboxConfig, limits_here, memory_cap, root_tree
from .hostlimits import DEDICATED_UID, UID_RANGE, memory_limit_here
from .inside.seccomp import SUPPORTED_MACHINES
from .mounts import site_dirs
from .tree import tree_size


def describe_protections(config: SandboxConfig | None = None, probe: bool = False) -> str:
    """What is active here: namespaces, seccomp, host caps (cgroup or fallback), uid. ``probe`` also starts one
    executor and one program sandbox and says whether they came up (what a ``code_reward`` does at construction)."""
    config = config or SandboxConfig()
    parts = [f"backend {config.backend}"]
    if config.backend == "bwrap":
        bwrap = shutil.which("bwrap")
        parts.append(
            f"namespaces user+mount+pid+ipc+net+uts per executor and per program (bwrap {bwrap or 'MISSING'})"
        )
    else:
        parts.append("NO namespaces (unsafe-subprocess: host files readable)")
    machine = platform.machine()
    parts.append(
        f"seccomp {'filter for ' + machine if machine in SUPPORTED_MACHINES else 'UNAVAILABLE on ' + machine}"
        " (no pipes, FIFOs, sockets or shared memory of a program's own; no executable memory but library files)"
    )
    limits = limits_here(config)
    parts.append(limits.describe() + f", pids.max {config.processes}" * (limits.cgroup != "none"))
    parts.append("rlimits AS/CPU/FSIZE/NOFILE/CORE/SIGPENDING" + "/NPROC" * (config.backend == "bwrap"))
    parts.append("oom_score_adj 1000; /dev without pts/ptmx")
    limit, where = memory_limit_here()
    parts.append(
        f"memory {memory_cap(config) / 2**30:.1f} GiB per executor of {limit / 2**30:.1f} GiB ({where}; checked "
        "against num_workers at start)"
    )
    parts.append("siblings (same tests) held: no program starts at a time a sibling's end chose, while num_workers >= "
                 "samples per prompt (siblings='spread' opts out); keep num_workers <= cores (CPU time is shared past "
                 "them)")  # fmt: skip
    if config.backend == "bwrap":
        tree = root_tree(config)
        if tree:
            files, size = tree_size(tree)
            parts.append(
                f"root: a private read-only tmpfs copy ({files} files, {size >> 20} MiB, one per trainer process: no "
                f"host dentry or page cache shared), packages {', '.join(config.packages)}"
            )
        else:
            parts.append(
                f"root: HOST directories bound read-only (dentry/page-cache timing channel open); {len(site_dirs())} "
                f"site-packages dirs empty but {', '.join(config.packages)}"
            )
    uid = limits.uid if limits.uid is not None and config.backend == "bwrap" else os.geteuid()
    if uid == DEDICATED_UID:
        low, high = UID_RANGE
        parts.append(
            f"sandbox uid 65534 = a host uid of its own per executor (random in {low:#x}-{high:#x}: owns no host file)"
        )
    else:
        dedicated = " (dedicated: owns no host file)" * (uid != os.geteuid())
        parts.append(f"sandbox uid 65534 = host uid {uid}{dedicated}{' (ROOT: owns host files)' * (uid == 0)}")
    if probe:
        from .pool import SandboxUnavailable, check_sandbox

        try:
            check_sandbox(config)
            parts.append("sandbox starts: yes")
        except SandboxUnavailable as error:
            parts.append(f"sandbox starts: NO ({str(error)[:200]})")
    return "code sandbox: " + "; ".join(parts)
