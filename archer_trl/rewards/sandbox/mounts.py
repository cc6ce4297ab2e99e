"""What the sandbox's file system shows of the host, read-only: the interpreter's paths (/usr, the Python prefixes,
the library directories) with every site-packages directory emptied but for the allowed packages."""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import re
import sys
import sysconfig
from pathlib import Path


def _inside(path: str, roots: list[str]) -> bool:
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
        if os.path.exists(path) and not _inside(path, paths):
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


def allowed_package_paths(packages: tuple[str, ...]) -> list[str]:
    """The files of the allowed packages in the site directories: every top-level entry of their distributions and
    of the distributions those require, found installed (``numpy`` and ``numpy.libs``; ``pytest``, ``_pytest``,
    ``pluggy``, ``pygments``, ...), or the package's own entries when it has no metadata."""
    names = dict.fromkeys(n.split(".")[0] for n in packages)
    entries = set(_distribution_entries(tuple(names)))
    for name in names:
        entries.update((name, f"{name}.py", f"{name}.libs", f"{name}_libs"))
    paths = []
    for site in site_dirs():
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


def scratch_dir(extra_ro_binds: tuple[str, ...] = ()) -> str:
    """Where each program's private tmpfs goes: /tmp, unless a bound path lives there (a venv under /tmp)."""
    binds = [*interpreter_paths(), *extra_ro_binds]
    return "/scratch" if any(_inside(p, ["/tmp"]) for p in binds) else "/tmp"
