"""Caps on what one executor can take from the host (runs in the trainer; standard library only).

Namespaces, rlimits and seccomp bound what a program can *reach*; they do not bound kernel resources counted per host
uid or host-wide: threads (a raw ``clone(CLONE_THREAD)`` costs no address space, and processes of the host's root are
exempt from RLIMIT_NPROC), and memory charged outside the test process (tmpfs pages). So every executor runs in a
cgroup of its own when the host offers one:

- **cgroup v2** (a GPU node under systemd): a child of this process's cgroup with ``pids.max`` and ``memory.max``,
  when that cgroup delegates the ``pids`` and ``memory`` controllers (``cgroup.subtree_control``);
- **cgroup v1**: one child per hierarchy (``pids``, ``memory``) under this process's own group, with ``pids.max`` and
  ``memory.limit_in_bytes``.

The executor's bwrap is started by a two-line ``sh`` wrapper that first sets ``oom_score_adj`` 1000 (under memory
pressure the kernel kills a sandbox before the trainer) and joins those cgroups, then ``exec``\\s bwrap, so nothing
of the sandbox ever runs outside them.

A root trainer never runs the sandbox as root: the launcher drops to a dedicated unprivileged host uid
(``setpriv``) before it execs bwrap, so the sandbox's uid 65534 maps to that uid and not to host root. Kernel checks
that ask "does this task own the inode?" (fcntl write hints, extent-cache ioctls, file handles) then fail on every
host file, instead of leaving state on root's files that another program could read (red-team rounds 17 to 19). Paths
the dedicated uid cannot look up (an interpreter under ``/root``) are staged (see mounts.py).

Where no cgroup is writable (a warning says so once), the fallback still caps threads: RLIMIT_NPROC, set in every user
namespace of the sandbox, counts only that sandbox's tasks (the dedicated uid is not exempt from it as root is); a root
caller that cannot drop to a dedicated uid has thread creation refused by the seccomp filter instead (threaded
solutions then fail, but the host's pids stay safe).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
import shutil
import subprocess
import threading
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CGROUP_ENV = "ARCHER_SANDBOX_CGROUPS"  # "off": behave as on a host without writable cgroups (tests, debugging)
UID_ENV = (
    "ARCHER_SANDBOX_UID"  # one fixed host uid for every executor; "0" keeps a root trainer's sandbox on host root
)
# Each executor's own host uid is drawn from this range, which no system tool assigns (systemd leaves 0x70000000 to
# 0x7FFDFFFF unused; uid maps refuse uids from 2**31): per-uid kernel counters (pipe pages, epoll watches, pending
# signals, processes) are then per executor, not shared by every sandbox on the host (red-team round 20: the pipe
# soft limit of one shared uid was a channel between programs, the epoll watches a way to fail a sibling)
UID_RANGE = (0x70000000, 0x7FFE0000)
DEDICATED_UID = UID_RANGE[0]
# the group of a root trainer's private root copies (tree.py), and the one supplementary group of every dedicated
# uid: the copy holds files of directories closed to others (a pyenv under /root), so it is readable by the
# sandboxes and by no other host user (red-team round 23)
TREE_GID = UID_RANGE[1]
OOM_SCORE_ADJ = 1000
_COUNTER = itertools.count()
# $1..: cgroup.procs files to join, then "--", then the command. `$$` is this shell, which then execs bwrap.
WRAPPER = (
    f"echo {OOM_SCORE_ADJ} > /proc/self/oom_score_adj || exit 97\n"
    'while [ "$1" != "--" ]; do echo $$ > "$1" || exit 98; shift; done\nshift\nexec "$@"\n'
)


@dataclass(frozen=True)
class HostLimits:
    """What this host lets us cap. ``cgroup``: "v2", "v1" or "none" (``why`` says why)."""

    cgroup: str
    parents: dict[str, str] = field(default_factory=dict)  # controller -> the directory our cgroups go under
    why: str = ""
    uid: int | None = None  # a root trainer's dedicated host uid for the sandbox (None: the caller's own uid)
    stage: bool = False  # whether paths the dedicated uid cannot look up may be staged (see mounts.py)
    deny_threads: bool = False  # the last resort: no cgroup, root, and no dedicated uid possible

    def describe(self) -> str:
        if self.cgroup != "none":
            caps = "pids.max, memory" + ", cpu quota" * ("cpu" in self.parents) + ", disk I/O" * ("io" in self.parents)
            return f"cgroup {self.cgroup} per executor ({caps}) under {', '.join(sorted(set(self.parents.values())))}"
        if self.deny_threads:
            return f"NO cgroup ({self.why}): threads refused by seccomp (root caller, no dedicated uid possible)"
        return f"NO cgroup ({self.why}): RLIMIT_NPROC in the sandbox's user namespaces"


def _own_cgroups() -> dict[str, str]:
    """Controller (or "" for v2) -> this process's cgroup path, from /proc/self/cgroup."""
    groups: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                groups[controller] = path
    return groups


def _mounts() -> list[tuple[str, str, set[str]]]:
    """(mount point, fs type, options) of every cgroup mount."""
    found = []
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[2] in ("cgroup", "cgroup2"):
                found.append((parts[1], parts[2], set(parts[3].split(","))))
    return found


def _probe(parent: str) -> bool:
    """Whether we can make (and remove) a child cgroup under ``parent``."""
    probe = os.path.join(parent, f"archer-probe-{os.getpid()}-{next(_COUNTER)}")
    try:
        os.mkdir(probe)
    except OSError:
        return False
    with contextlib.suppress(OSError):
        os.rmdir(probe)
    return True


def _v2(own: dict[str, str], mounts: list) -> dict[str, str] | None:
    for point, kind, _ in mounts:
        if kind != "cgroup2" or "" not in own:
            continue
        parent = os.path.join(point, own[""].lstrip("/"))
        control = Path(parent, "cgroup.subtree_control")
        try:
            if not {"pids", "memory"} <= set(control.read_text().split()):
                try:
                    control.write_text("+pids +memory")
                except OSError:
                    if Path(parent, "cgroup.procs").read_text().split() != [str(os.getpid())]:
                        raise
                    # "no internal processes": a delegated group we live in can enable controllers for children
                    # only once its processes sit in a leaf; move this process (alone in it) there and retry
                    leaf = Path(parent, "archer-trainer")
                    leaf.mkdir(exist_ok=True)
                    Path(leaf, "cgroup.procs").write_text(str(os.getpid()))
                    control.write_text("+pids +memory")
        except OSError:
            continue
        if _probe(parent):
            with contextlib.suppress(OSError):
                control.write_text("+cpu")
            with contextlib.suppress(OSError):
                control.write_text("+io")
            enabled = control.read_text().split()
            return {"pids": parent, "memory": parent, **{c: parent for c in ("cpu", "io") if c in enabled}}
    return None


def _v1(own: dict[str, str], mounts: list) -> dict[str, str] | None:
    parents = {}
    for controller in ("pids", "memory", "cpu", "blkio"):  # cpu and blkio are optional (parallelism, disk I/O)
        for point, kind, options in mounts:
            if kind == "cgroup" and controller in options and controller in own:
                parent = os.path.join(point, own[controller].lstrip("/"))
                if _probe(parent):
                    parents[controller] = parent
                    break
    if "blkio" in parents:
        parents["io"] = parents.pop("blkio")
    return parents if {"pids", "memory"} <= set(parents) else None


def executor_uid(limits: HostLimits) -> int | None:
    """The host uid one executor's sandbox runs as: its own, drawn at random from `UID_RANGE` (None: the caller's)."""
    if limits.uid is None or limits.uid != DEDICATED_UID:
        return limits.uid  # the caller's uid, or the one ARCHER_SANDBOX_UID fixes for all
    return UID_RANGE[0] + secrets.randbelow(UID_RANGE[1] - UID_RANGE[0])


def _searchable(paths: list[str]) -> bool:
    """Whether a uid with only "other" rights can look up every path (each directory above it searchable)."""
    from .mounts import searchable_by_others

    return all(searchable_by_others(path) for path in paths)


def _dedicated_uid(paths: list[str]) -> tuple[int | None, bool, str]:
    """(uid, staging possible, why not) for a root caller: the dedicated uid needs ``setpriv``, and ``unshare`` with
    mount rights for the paths it cannot look up."""
    wanted = int(os.environ.get(UID_ENV, DEDICATED_UID))  # DEDICATED_UID: one uid of the range per executor
    if os.geteuid() != 0 or wanted == 0:
        return None, False, "" if os.geteuid() != 0 else f"{UID_ENV}=0"
    if shutil.which("setpriv") is None:
        return None, False, "setpriv (util-linux) is not installed"
    unshare = shutil.which("unshare")
    probe = [unshare or "unshare", "--mount", "--propagation", "private", "true"]
    stage = unshare is not None and subprocess.run(probe, capture_output=True, check=False).returncode == 0
    if not stage and not _searchable(paths):
        return None, False, "the interpreter is under a closed directory and no private mount namespace is possible"
    return wanted, stage, ""


def _remove_stale(parents: dict[str, str]) -> None:
    """Empty groups left by trainers that died without cleaning up (their pid is gone)."""
    for parent in set(parents.values()):
        with contextlib.suppress(OSError):
            for entry in os.scandir(parent):
                owner = entry.name.split("-")[2] if entry.name.startswith("archer-sandbox-") else ""
                if owner.isdigit() and not os.path.exists(f"/proc/{owner}"):
                    with contextlib.suppress(OSError):
                        os.rmdir(entry.path)


_CACHED: HostLimits | None = None


def host_limits(readable_paths: list[str] | None = None) -> HostLimits:
    """This host's caps (probed once per process); warns once when no cgroup is writable."""
    global _CACHED
    if _CACHED is not None:
        return _CACHED
    own, mounts = _own_cgroups(), _mounts()
    parents, why = None, "no writable cgroup v2 with pids+memory delegated, nor v1 pids and memory hierarchies"
    if os.environ.get(CGROUP_ENV, "").lower() in ("off", "0", "none"):
        why = f"{CGROUP_ENV}=off"
    else:
        parents = _v2(own, mounts)
        kind = "v2" if parents else "v1"
        parents = parents or _v1(own, mounts)
    uid, stage, no_uid = _dedicated_uid(readable_paths or [])
    if parents:
        _remove_stale(parents)
        _CACHED = HostLimits(kind, parents, uid=uid, stage=stage)
        if no_uid and os.geteuid() == 0:
            warnings.warn(f"code sandbox: runs as host root ({no_uid})", stacklevel=2)
        return _CACHED
    limits = HostLimits("none", why=why, uid=uid, stage=stage, deny_threads=os.geteuid() == 0 and uid is None)
    warnings.warn(f"code sandbox: {limits.describe()}", stacklevel=2)
    _CACHED = limits
    return _CACHED


class ExecutorCgroup:
    """The cgroup(s) of one executor: made before it starts, removed after it was killed."""

    def __init__(self, limits: HostLimits, pids_max: int, memory_max: int, cpus: float = 1.0):
        name = f"archer-sandbox-{os.getpid()}-{next(_COUNTER)}"
        self.dirs = sorted({os.path.join(parent, name) for parent in limits.parents.values()})
        for directory in self.dirs:
            os.mkdir(directory)
        pids_dir = os.path.join(limits.parents["pids"], name)
        memory_dir = os.path.join(limits.parents["memory"], name)
        Path(pids_dir, "pids.max").write_text(str(pids_max))
        memory_file = "memory.max" if limits.cgroup == "v2" else "memory.limit_in_bytes"
        Path(memory_dir, memory_file).write_text(str(memory_max))
        swap_file = "memory.swap.max" if limits.cgroup == "v2" else "memory.memsw.limit_in_bytes"
        with contextlib.suppress(OSError):  # no escape into swap (absent when the kernel does not account swap)
            Path(memory_dir, swap_file).write_text("0" if limits.cgroup == "v2" else str(memory_max))
        if "cpu" in limits.parents:  # a share of the host's cores however many threads the program starts
            cpu_dir, quota = os.path.join(limits.parents["cpu"], name), max(1000, int(cpus * 100_000))
            with contextlib.suppress(OSError):
                if limits.cgroup == "v2":
                    Path(cpu_dir, "cpu.max").write_text(f"{quota} 100000")
                else:
                    Path(cpu_dir, "cpu.cfs_period_us").write_text("100000")
                    Path(cpu_dir, "cpu.cfs_quota_us").write_text(str(quota))
        if "io" in limits.parents:  # round 21: O_DIRECT reads took the host disk's median latency from 0.13 to 21.7 ms
            _cap_disk(os.path.join(limits.parents["io"], name), limits.cgroup)
        self.procs = [os.path.join(directory, "cgroup.procs") for directory in self.dirs]
        self._events = Path(memory_dir, "memory.events" if limits.cgroup == "v2" else "memory.oom_control")

    def oom_kills(self) -> int:
        """How many processes the kernel's OOM killer has killed in this group (0 if it does not say)."""
        with contextlib.suppress(OSError, ValueError):
            for line in self._events.read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        return 0

    def remove(self) -> None:
        """rmdir each group (empty once the sandbox is reaped; the kernel may take a moment to release it)."""
        for directory in self.dirs:
            for _ in range(50):
                try:
                    os.rmdir(directory)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


# $1..: pairs of (host path, staging point) to bind in this private mount namespace, then "--", then the command
STAGE = 'while [ "$1" != "--" ]; do mount --bind "$1" "$2" || exit 96; shift 2; done\nshift\nexec "$@"\n'


IO_BYTES_PER_SECOND, IO_OPS_PER_SECOND = 32 << 20, 500  # per executor, read and write each, on each bound disk


def _cap_disk(directory: str, version: str) -> None:
    """Throttle the executor's reads and writes on every block device the sandbox's files live on."""
    from .mounts import interpreter_paths

    devices = {os.stat(path).st_dev for path in interpreter_paths()}
    for device in sorted(devices):
        numbers = f"{os.major(device)}:{os.minor(device)}"
        if os.major(device) == 0 or not os.path.exists(f"/sys/dev/block/{numbers}"):
            continue  # a virtual file system (overlay, tmpfs): no block device to throttle
        with contextlib.suppress(OSError):
            if version == "v2":
                Path(directory, "io.max").write_text(
                    f"{numbers} rbps={IO_BYTES_PER_SECOND} wbps={IO_BYTES_PER_SECOND} "
                    f"riops={IO_OPS_PER_SECOND} wiops={IO_OPS_PER_SECOND}"
                )
                continue
            for kind, value in (("read_bps", IO_BYTES_PER_SECOND), ("write_bps", IO_BYTES_PER_SECOND),
                                ("read_iops", IO_OPS_PER_SECOND), ("write_iops", IO_OPS_PER_SECOND)):  # fmt: skip
                Path(directory, f"blkio.throttle.{kind}_device").write_text(f"{numbers} {value}")


_ROTATION = itertools.count()
_CORE_USE: Counter[int] = Counter()  # live executors of this process per core, whatever pool started them
_CORE_LOCK = threading.Lock()
_CORE_OWNER = [os.getpid()]


def executor_cores(cpus: float) -> list[int]:
    """The cores one executor is pinned to: ``ceil(cpus)`` of this process's cores, the ones fewest of its live
    executors hold (ties in turn). A CFS quota alone lets a program spend its period's share on every core at once, so
    bursts on all cores were a timing channel to programs of other executors (red-team round 24: 8 of 8); pinned, a
    program's load falls on its own cores. Counting live executors rather than starts keeps two pools of one trainer
    (a training and an evaluation reward) off each other's cores (round 26: a turn counter over every start put both
    executors of one pool on one core). `release_cores` when the executor is gone."""
    cores = sorted(os.sched_getaffinity(0))
    wanted = max(1, min(len(cores), -int(-cpus // 1)))
    with _CORE_LOCK:
        if _CORE_OWNER[0] != os.getpid():  # forked: the parent's executors are not this process's
            _CORE_USE.clear()
            _CORE_OWNER[0] = os.getpid()
        turn = next(_ROTATION)
        order = sorted(range(len(cores)), key=lambda i: (_CORE_USE[cores[i]], (i - turn) % len(cores)))
        chosen = sorted(cores[i] for i in order[:wanted])
        _CORE_USE.update(chosen)
    return chosen


def release_cores(cores: list[int] | None) -> None:
    with _CORE_LOCK:
        if cores and _CORE_OWNER[0] == os.getpid():
            _CORE_USE.subtract(cores)


def wrap(
    command: list[str],
    procs: list[str],
    uid: int | None = None,
    staged: list[tuple[str, str]] = (),
    cores: list[int] | None = None,
) -> list[str]:
    """``command`` started with oom_score_adj 1000, inside the cgroups whose ``cgroup.procs`` files are given, then
    (as root still) with the ``staged`` paths bound in a private mount namespace, then as host ``uid``, pinned to
    ``cores`` (the program cannot change its affinity: seccomp refuses ``sched_setaffinity``)."""
    if cores and shutil.which("taskset"):
        command = ["taskset", "--cpu-list", ",".join(map(str, cores)), *command]
    if uid is not None:
        command = ["setpriv", f"--reuid={uid}", f"--regid={uid}", f"--groups={TREE_GID}", "--", *command]
    if staged:
        pairs = [part for pair in staged for part in pair]
        command = ["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", STAGE, "stage", *pairs, "--",
                   *command]  # fmt: skip
    return ["/bin/sh", "-c", WRAPPER, "archer-sandbox", *procs, "--", *command]


def memory_limit_here() -> tuple[int, str]:
    """The memory this process's executors can share: the tightest limit of the cgroup it runs in and of that
    group's ancestors (a pod's limit is usually set above the process's own group), or the host's RAM."""
    limit, where = _ram_bytes(), "the host's RAM"
    own = _own_cgroups()
    for mount, fstype, options in _mounts():
        key = "" if fstype == "cgroup2" else ("memory" if "memory" in options else None)
        if key is None or key not in own:
            continue
        path = Path(mount + own[key])
        while True:
            for name in ("memory.max", "memory.limit_in_bytes"):
                with contextlib.suppress(OSError, ValueError):
                    value = int(Path(path, name).read_text())
                    if value < limit:
                        limit, where = value, f"the cgroup {path}"
            if path == Path(mount) or path.parent == path:
                break
            path = path.parent
    return limit, where


def _ram_bytes() -> int:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) << 10
    return 1 << 62


def memory_room(executors: int, cap_bytes: int) -> str | None:
    """Why ``executors`` executors capped at ``cap_bytes`` each could exhaust this process's memory limit, or None.
    Past that limit the kernel's OOM killer picks a victim in the whole group (the sandbox's ``oom_score_adj`` 1000
    makes it a program, not the trainer, but an innocent program can die for a greedy one), so the sum is checked."""
    limit, where = memory_limit_here()
    if executors * cap_bytes <= limit // 2:  # the trainer itself (model, optimizer, data) needs the other half
        return None
    return (
        f"{executors} executors x {cap_bytes / 2**30:.1f} GiB (memory_bytes x 2 + tmpfs + template) = "
        f"{executors * cap_bytes / 2**30:.1f} GiB may use more than half of {limit / 2**30:.1f} GiB, {where}: "
        "lower num_workers or memory_bytes, or give the job more memory"
    )
