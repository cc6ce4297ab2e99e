"""What the sandbox's file system shows of the host, read-only: the interpreter's paths (/usr, the Python prefixes,
the library directories) with every site-packages directory emptied but for the allowed packages.

A root trainer starts bwrap as a dedicated unprivileged host uid (see hostlimits.py), which cannot look up a path
under a directory closed to others (a pyenv interpreter in ``/root``). Such a path is *staged*: bind-mounted, in a
private mount namespace of the executor's launcher only, on an empty world-searchable directory that bwrap then binds
at the original path. The host's own mount table never changes."""

from __future__ import annotations

import atexit
import contextlib
import functools
import glob
import hashlib
import os
import re
import shutil
import stat
import sys
import sysconfig
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path


def is_under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def interpreter_paths() -> list[str]:
    """Host paths the sandboxed interpreter needs, read-only: /usr, the Python prefixes, the library directories."""
    candidates = ["/usr", "/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d"]
    candidates += [sys.base_prefix, sys.prefix, sys.exec_prefix, sys.base_exec_prefix]
    candidates.append(str(Path(os.path.realpath(sys.executable)).parent.parent))
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        with contextlib.suppress(KeyError):
            candidates.append(sysconfig.get_paths()[key])
    paths: list[str] = []
    for path in sorted({os.path.realpath(p) for p in candidates if p}, key=len):
        if os.path.exists(path) and not is_under(path, paths):
            paths.append(path)
    return paths


@functools.lru_cache(maxsize=1)
def site_dirs() -> list[str]:
    """Every site-packages or dist-packages directory at any depth under the interpreter's paths (the venv's, the
    base interpreter's, the system's, and bundled ones such as a cloud SDK's under /usr): all hidden in the sandbox
    but for the allowed packages. Walked once per process (about a second)."""
    found: set[str] = set()
    for root in interpreter_paths():
        for directory, children, _ in os.walk(root, onerror=lambda error: None):
            for child in [c for c in children if c in ("site-packages", "dist-packages")]:
                found.add(os.path.realpath(os.path.join(directory, child)))
                children.remove(child)  # the site directory is hidden whole: nothing below it to find
    return sorted(found)


def allowed_package_paths(packages: tuple[str, ...], sites: list[str] | None = None) -> list[str]:
    """The files of the allowed packages in the site directories: every top-level entry of their distributions and
    of the distributions those require, found installed (``numpy`` and ``numpy.libs``; ``pytest``, ``_pytest``,
    ``pluggy``, ``pygments``, ...), or the package's own entries when it has no metadata. ``sites``: the site
    directories to look in (default: all of them)."""
    names = dict.fromkeys(n.split(".")[0] for n in packages)
    entries = set(_distribution_entries(tuple(names)))
    for name in names:
        entries.update((name, f"{name}.py", f"{name}.libs", f"{name}_libs"))
    paths = []
    for site in site_dirs() if sites is None else sites:
        paths += [os.path.join(site, entry) for entry in sorted(entries) if os.path.exists(os.path.join(site, entry))]
        for name in names:
            paths += glob.glob(os.path.join(site, f"{name}.*.so")) + glob.glob(os.path.join(site, f"{name}.cpython*"))
    return paths


@functools.lru_cache(maxsize=16)
def _distribution_entries(names: tuple[str, ...]) -> tuple[str, ...]:
    """Top-level file names of the distributions providing ``names`` and of their requirements, transitively."""
    from importlib import metadata

    providers = metadata.packages_distributions()
    pending = [dist for name in names for dist in providers.get(name, [])]
    seen: set[str] = set()
    entries: set[str] = set()
    while pending:
        dist_name = pending.pop()
        key = re.sub(r"[-_.]+", "-", dist_name).lower()
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            continue
        for file in dist.files or []:
            top = file.parts[0] if file.parts else ""
            if top and top not in ("..", "__pycache__", "bin") and not top.endswith((".dist-info", ".data")):
                entries.add(top)
        for requirement in dist.requires or []:
            match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
            if match and "extra ==" not in requirement:
                pending.append(match.group())
    return tuple(sorted(entries))


def host_binds(packages: tuple[str, ...], bind: Callable[[str], list[str]]) -> list[str]:
    """bwrap arguments for the fallback root (no private copy, see tree.py): the interpreter's host paths, every site directory emptied, the allowed packages."""
    args: list[str] = []
    for path in interpreter_paths():
        args += bind(path)
    for site in site_dirs():  # an empty directory over each, then the allowed packages on top
        args += ["--tmpfs", site]
    for path in allowed_package_paths(packages):
        args += bind(path)
    for link in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(link):
            args += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            args += bind(link)
    return args


def scratch_dir(extra_ro_binds: tuple[str, ...] = ()) -> str:
    """Where each program's private tmpfs goes: /tmp, unless a bound path lives there (a venv under /tmp)."""
    binds = [*interpreter_paths(), *extra_ro_binds]
    return "/scratch" if any(is_under(p, ["/tmp"]) for p in binds) else "/tmp"


def searchable_by_others(path: str) -> bool:
    """Whether a uid with no rights but "other" can look ``path`` up (every directory above it searchable)."""
    for parent in Path(os.path.realpath(path)).parents:
        try:
            if not parent.stat().st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


_STAGED: dict[str, str] = {}  # host path -> the empty directory or file it is bind-mounted on for the launcher
_STAGE_ROOT: list[str] = []
# an empty directory of the read-only root: the check process of an assert test works there, where the solution
# (same uid) cannot plant a conftest.py, a .pdbrc or a test module for the test code's loaders (red-team round 30)
CHECK_DIR = "/sandbox/check"
IO_DIR = "/sandbox/io"  # where each program's init mounts a noexec tmpfs for its tests' stdin, stdout and records
SANDBOX_DIRS = (CHECK_DIR, IO_DIR)  # directories the root must have (made in the copy, or by bwrap)
_STAGE_LOCK = threading.Lock()


def bind_source(path: str, dedicated_uid: bool) -> str:
    """What bwrap binds at ``path``: the path itself, or its staging point when the dedicated uid cannot reach it.
    Thread-safe: executors start side by side (red-team round 20: two first starts raced on one point's name)."""
    if not dedicated_uid or searchable_by_others(path):
        return path
    with _STAGE_LOCK:
        if path not in _STAGED:
            if not _STAGE_ROOT:
                root = tempfile.mkdtemp(prefix="archer-stage-")
                os.chmod(root, 0o755)  # noqa: S103 - only empty mount points live here, bound in a private namespace
                _STAGE_ROOT.append(root)
                atexit.register(_remove_stage, root, os.getpid())
            point = os.path.join(_STAGE_ROOT[0], hashlib.sha256(path.encode()).hexdigest()[:20])
            if os.path.isdir(path):
                os.makedirs(point, 0o755, exist_ok=True)
            else:
                with open(point, "a"):
                    pass
                os.chmod(point, 0o644)
            _STAGED[path] = point
        return _STAGED[path]


def _remove_stage(root: str, owner: int) -> None:
    if os.getpid() == owner:  # not from a forked worker: the trainer's executors may still use it
        shutil.rmtree(root, ignore_errors=True)


def staged_mounts() -> list[tuple[str, str]]:
    """(host path, staging point) pairs the launcher bind-mounts in its private mount namespace before bwrap."""
    with _STAGE_LOCK:
        return list(_STAGED.items())
