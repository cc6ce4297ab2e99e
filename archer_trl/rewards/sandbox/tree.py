"""The sandbox's root file system: a private copy, in tmpfs, of the host files the sandboxed interpreter needs.

Why a copy rather than the host's directories bound read-only: every path lookup leaves state in the kernel's dentry
cache, which all processes on the host share. A lookup of a missing name in a host directory costs about 3 µs the
first time and 1.4 µs once the kernel has cached the miss. So one program could write bits by looking names up, and
another read them by timing the same lookups (red-team round 21: a 20-bit answer, 3 of 3 runs, across executors and
restarts). First reads of a file leak the same way through the page cache (``ru_majflt``).

tmpfs keeps no negative dentries (a miss costs the same every time; measured here: 4.1 µs first, 4.1 µs again), and
it holds every file it has in memory. So neither a lookup nor a first read has a state that a program can set.

The copy holds: the interpreter and the symlinks on its way (a venv's ``bin/python`` and ``pyvenv.cfg``); the
standard library without its test suite, IDLE, Tk and bundled wheels; the allowed packages of the site directories on
``sys.path``; every shared library the copied ELF files load (``ldd``); the loader's cache, the time-zone data and the
C.UTF-8 locale. That is about 170 MB here, built in about a second, once per process, under ``/dev/shm``. The copy is
owned by the trainer and readable by the sandbox alone (a root trainer's copy belongs to the group that every
dedicated executor uid gets, mode 0750; otherwise it is 0700 and the sandbox's uid is the trainer's), so no staging is
needed and no other host user reads it; it is bound read-only at ``/``.

``ARCHER_SANDBOX_TREE``: unset, the copy goes in ``/dev/shm``; a directory on a tmpfs, it goes there; ``host``, the
host's directories are bound instead (the lookup channel is then open, and ``describe_protections`` says so). Where no
tmpfs has room, the same fallback applies with a warning.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import re
import shutil
import site
import stat
import subprocess
import sys
import sysconfig
import tempfile
import threading
import warnings
from pathlib import Path

from .hostlimits import TREE_GID
from .mounts import CHECK_DIR, IO_DIR, allowed_package_paths, is_under

TREE_ENV = "ARCHER_SANDBOX_TREE"
DEFAULT_PARENT = "/dev/shm"
# never useful to a test program, and most of the standard library's bytes (the test suite alone is 112 MB here)
SKIPPED_STDLIB = ("site-packages", "dist-packages", "test", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3")
SKIPPED_STDLIB_PREFIXES = ("config-",)  # the static libpython and its build files
DATA_PATHS = ("/etc/ld.so.cache", "/usr/share/zoneinfo", "/usr/lib/locale/C.utf8", "/usr/lib/locale/C.UTF-8")
_LOCK = threading.Lock()
_TREES: dict[tuple, str | None] = {}
_WARNED: list[str] = []
_HELD: list[int] = []  # the lock descriptors of this process's copies


def site_packages_on_path() -> list[str]:
    """The site directories the sandboxed interpreter (``python -I``) imports from."""
    candidates = [
        *site.getsitepackages(),
        *(p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")),
    ]
    return sorted({os.path.realpath(p) for p in candidates if os.path.isdir(p)})


def _stdlib_dirs() -> list[str]:
    paths = sysconfig.get_paths()
    return sorted({os.path.realpath(paths[key]) for key in ("stdlib", "platstdlib") if key in paths})


def tree_sources(packages: tuple[str, ...]) -> list[str]:
    """Host paths (files or directories) the copy holds, before the shared libraries they load."""
    sources = [sys.executable, os.path.realpath(sys.executable)]
    for prefix in {sys.prefix, sys.base_prefix}:
        if os.path.isfile(os.path.join(prefix, "pyvenv.cfg")):
            sources.append(os.path.join(prefix, "pyvenv.cfg"))
    libdir = sysconfig.get_config_var("LIBDIR")
    library = sysconfig.get_config_var("LDLIBRARY")
    if libdir and library and os.path.exists(os.path.join(libdir, library)):
        sources.append(os.path.join(libdir, library))
    for stdlib in _stdlib_dirs():
        for entry in sorted(os.listdir(stdlib)):
            if entry not in SKIPPED_STDLIB and not entry.startswith(SKIPPED_STDLIB_PREFIXES):
                sources.append(os.path.join(stdlib, entry))
    sources += allowed_package_paths(packages, sites=site_packages_on_path())
    sources += [path for path in DATA_PATHS if os.path.exists(path)]
    return sources


def _copy_path(path: str, tree: str, depth: int = 0) -> list[str]:
    """Copy ``path`` into ``tree`` at the same absolute path, recreating every symlink on the way (``/lib64`` ->
    ``usr/lib64``, a venv's ``bin/python``) and copying what they point at too. Returns the regular files copied."""
    if depth > 40:
        return []  # a symlink loop: the host itself could not resolve it
    parts = Path(os.path.abspath(path)).parts
    current = "/"
    for index, part in enumerate(parts[1:], start=1):
        host = os.path.join(current, part)
        dest = tree + host
        if os.path.islink(host):
            target = os.readlink(host)
            if not os.path.lexists(dest):
                os.makedirs(os.path.dirname(dest), mode=0o755, exist_ok=True)
                os.symlink(target, dest)
            resolved = os.path.normpath(os.path.join(current, target))
            return _copy_path(os.path.join(resolved, *parts[index + 1 :]), tree, depth + 1)
        if not os.path.lexists(host):
            return []
        if index < len(parts) - 1 and not os.path.lexists(dest):
            os.makedirs(dest, mode=0o755, exist_ok=True)
        current = host
    return _copy_entry(current, tree + current)


def _copy_entry(source: str, dest: str) -> list[str]:
    """Copy a file or a directory tree (symlinks inside it kept as symlinks), world-readable, times kept (a module's
    cached bytecode is only used while its source's mtime matches)."""
    if os.path.lexists(dest) and not os.path.isdir(source):
        return []
    copied: list[str] = []

    def copy_file(src: str, dst: str) -> str:
        shutil.copy2(src, dst)
        mode = os.stat(dst).st_mode
        os.chmod(dst, stat.S_IMODE(mode) | 0o444 | (0o111 if mode & 0o100 else 0))
        copied.append(dst)
        return dst

    if os.path.isdir(source):
        os.makedirs(os.path.dirname(dest), mode=0o755, exist_ok=True)
        shutil.copytree(source, dest, symlinks=True, copy_function=copy_file, dirs_exist_ok=True)
        for directory, _, _ in os.walk(dest):
            os.chmod(directory, 0o755)
    elif os.path.isfile(source):
        os.makedirs(os.path.dirname(dest), mode=0o755, exist_ok=True)
        copy_file(source, dest)
    return copied


def _is_elf(path: str) -> bool:
    with contextlib.suppress(OSError), open(path, "rb") as handle:
        return handle.read(4) == b"\x7fELF"
    return False


LDD_PATH_RE = re.compile(r"(?:=>\s+|^\s+)(/\S+)\s+\(0x", re.MULTILINE)


def shared_libraries(elf_files: list[str]) -> list[str]:
    """Every shared library (and the loader) the given ELF files load, as the host's loader resolves them."""
    found: set[str] = set()
    for start in range(0, len(elf_files), 200):
        batch = elf_files[start : start + 200]
        result = subprocess.run(["ldd", *batch], capture_output=True, text=True, check=False, timeout=120)
        found.update(LDD_PATH_RE.findall(result.stdout))
    return sorted(found)


def _tmpfs_mount_of(path: str) -> bool:
    """Whether ``path`` lives on a tmpfs (the longest mount point above it in /proc/self/mounts)."""
    best, kind = "", ""
    with contextlib.suppress(OSError), open("/proc/self/mounts") as mounts:
        for line in mounts:
            fields = line.split()
            point = fields[1].replace("\\040", " ")
            if is_under(os.path.realpath(path), [point]) and len(point) >= len(best):
                best, kind = point, fields[2]
    return kind == "tmpfs"


def build_tree(packages: tuple[str, ...], mount_points: tuple[str, ...], files: tuple[Path, ...], into: str) -> str:
    """Build the copy under ``into`` and return its root. ``mount_points``: empty directories bwrap mounts on (a
    read-only root cannot gain them later); ``files``: copied to ``/sandbox``."""
    root = tempfile.mkdtemp(prefix="archer-tree-", dir=into)  # 0700 while it is built
    # held for this process's life (and its forks'): a sweep from any pid namespace sharing this tmpfs sees it in use
    lock = os.open(root + ".lock", os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    _HELD.append(lock)
    atexit.register(_remove, root, os.getpid())
    copied: list[str] = []
    for source in tree_sources(packages):
        copied += _copy_path(source, root)
    elf = [path for path in copied if _is_elf(path)]
    host_elf = [path[len(root) :] for path in elf]
    for library in shared_libraries(host_elf):
        _copy_path(library, root)
    for point in mount_points:
        if os.path.isfile(point):  # a bound host file needs a file to be mounted on
            os.makedirs(os.path.dirname(root + point), mode=0o755, exist_ok=True)
            Path(root + point).touch(mode=0o644)
        elif not os.path.lexists(root + point):
            os.makedirs(root + point, mode=0o755, exist_ok=True)
    os.makedirs(root + CHECK_DIR, mode=0o755, exist_ok=True)  # the check process's empty, read-only directory
    os.makedirs(root + IO_DIR, mode=0o755, exist_ok=True)  # a mount point: each program's tests' stdin and output
    for file in files:
        _copy_entry(str(file), f"{root}/sandbox/{file.name}")
    if os.geteuid() == 0:  # the executors' dedicated uids read it through their group; other host users cannot
        os.chown(root, 0, TREE_GID)
        os.chmod(root, 0o750)
    return root  # otherwise 0700: the sandbox's uid maps to this process's own


def _remove(root: str, owner: int) -> None:
    if os.getpid() == owner:  # not from a forked worker: the trainer's executors may still use it
        shutil.rmtree(root, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.unlink(root + ".lock")


def _remove_stale(parent: str) -> None:
    """Copies whose builder is gone (no process holds their lock; red-team round 23: a pid test removed the live copy
    of a trainer in another pid namespace): tmpfs memory otherwise lost until reboot. A copy without a lock file is
    never removed."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(parent):
            if not entry.name.startswith("archer-tree-") or not entry.name.endswith(".lock"):
                continue
            if entry.stat().st_uid != os.geteuid():
                continue
            try:
                lock = os.open(entry.path, os.O_RDWR)
            except OSError:
                continue
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(lock)
                continue  # in use
            shutil.rmtree(entry.path[: -len(".lock")], ignore_errors=True)
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
            os.close(lock)


def tree_size(root: str) -> tuple[int, int]:
    """(files, bytes) of a copy."""
    count = total = 0
    for directory, _, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            if not os.path.islink(path):
                count, total = count + 1, total + os.path.getsize(path)
    return count, total


def sandbox_tree(packages: tuple[str, ...], mount_points: tuple[str, ...], files: tuple[Path, ...]) -> str | None:
    """The copy for these packages and mount points (built once per process), or None where the host's directories
    are bound instead (``ARCHER_SANDBOX_TREE=host``, or no tmpfs with room: then a warning, once)."""
    choice = os.environ.get(TREE_ENV, "").strip()
    if choice.lower() == "host":
        return None
    key = (packages, mount_points, files, choice)  # a forked worker uses its parent's copy
    with _LOCK:
        if key not in _TREES:
            _TREES[key] = _build_or_warn(packages, mount_points, files, choice or DEFAULT_PARENT)
        return _TREES[key]


def _build_or_warn(packages: tuple[str, ...], mount_points: tuple[str, ...], files: tuple[Path, ...], parent: str):
    why = ""
    if not os.path.isdir(parent) or not _tmpfs_mount_of(parent):
        why = f"{parent} is not a tmpfs directory"
    elif shutil.which("ldd") is None:
        why = "ldd is not installed"
    else:
        _remove_stale(parent)
        free = os.statvfs(parent)
        if free.f_bavail * free.f_frsize < 512 << 20:
            why = f"{parent} has under 512 MiB free"
    if not why:
        try:
            return build_tree(packages, mount_points, files, parent)
        except (OSError, subprocess.SubprocessError, shutil.Error) as error:
            why = f"copying into {parent} failed: {error}"
    if why not in _WARNED:
        _WARNED.append(why)
        warnings.warn(
            f"code sandbox: host directories bound read-only instead of a private tmpfs copy ({why}); the host's "
            f"dentry and page caches are then shared with programs (a timing channel). Set {TREE_ENV} to a tmpfs "
            "directory with room (about 200 MB) to close it.",
            stacklevel=3,
        )
    return None
