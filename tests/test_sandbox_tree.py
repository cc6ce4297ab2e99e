"""The sandbox's root is a private tmpfs copy (red-team round 21: the host's dentry cache was a channel between
programs, since every readable path was a bind of a host directory).

The host's count of negative dentries (``/proc/sys/fs/dentry-state``, 5th field) is the measure, not timing: a lookup
of a missing name in a host directory adds one that every process shares; tmpfs keeps none."""

from __future__ import annotations

import os
import platform
import secrets
import warnings
from pathlib import Path

import pytest
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.reward import run_program
from archer_trl.rewards.sandbox import SandboxConfig, bwrap_command
from archer_trl.rewards.sandbox.executor import root_tree
from archer_trl.rewards.sandbox.protections import describe_protections
from archer_trl.rewards.sandbox.tree import TREE_ENV, _copy_path, _tmpfs_mount_of, sandbox_tree

LOOKUPS = 40_000


def _copy_here() -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return root_tree(SandboxConfig()) is not None


needs_copy = pytest.mark.skipif(not _copy_here(), reason="no tmpfs with room here (/dev/shm): the fallback is used")
pytestmark = needs_bwrap


def negative_dentries() -> int:
    return int(Path("/proc/sys/fs/dentry-state").read_text().split()[4])


def lookup_program(prefix: str) -> str:
    # names no one has looked up: each miss in a host directory leaves a negative dentry behind
    return (
        "import os, sys\n"
        "dirs = ['/usr/lib', os.path.dirname(os.__file__), sys.prefix]\n"
        f"for i in range({LOOKUPS}):\n"
        "    try:\n"
        f"        os.stat(os.path.join(dirs[i % 3], '{prefix}%07d' % i))\n"
        "    except OSError:\n"
        "        pass\n"
        "print('done')\n"
    )


def new_negative_dentries(memory_bytes: int) -> int:
    program = lookup_program("archer" + secrets.token_hex(6))
    before = negative_dentries()
    verdict = run_program(program, [{"input": "", "output": "done\n"}], memory_bytes=memory_bytes)
    assert verdict.statuses == ["pass"], verdict
    return negative_dentries() - before


@needs_copy
def test_lookups_in_the_sandbox_leave_no_state_in_the_hosts_dentry_cache():
    assert new_negative_dentries(2 << 30) < LOOKUPS // 4


def test_with_host_directories_bound_the_same_lookups_do(monkeypatch):
    # the fallback, measured the same way: the test above can fail
    monkeypatch.setenv(TREE_ENV, "host")
    assert new_negative_dentries((2 << 30) - (7 << 20))  # a pool of its own, started here > LOOKUPS * 3 // 4


@needs_copy
def test_the_root_is_a_read_only_tmpfs_copy_and_no_host_directory_is_bound():
    config = SandboxConfig()
    tree = root_tree(config)
    assert tree is not None and _tmpfs_mount_of(tree)
    args = bwrap_command(config)
    binds = [(args[i + 1], args[i + 2]) for i, arg in enumerate(args) if arg in ("--ro-bind", "--bind")]
    assert binds == [(tree, "/")]
    # readable by the sandbox alone: a root trainer's copy through the dedicated uids' group, else the owner's
    assert os.stat(tree).st_mode & 0o777 == (0o750 if os.geteuid() == 0 else 0o700)
    # nothing of the host's site-packages beyond the allowed packages, and no test suite of the standard library
    python_lib = Path(tree + os.path.dirname(os.__file__))
    assert (python_lib / "json").is_dir() and not (python_lib / "test").exists()


def test_honest_programs_find_what_they_use_in_the_copy():
    program = (
        "import numpy, sortedcontainers, zoneinfo, sqlite3, ssl, decimal, hashlib, ctypes, lzma, bz2, zlib, fractions\n"
        "libc = ctypes.CDLL('libc.so.6')\n"
        "tz = zoneinfo.ZoneInfo('Europe/Paris')\n"
        "con = sqlite3.connect(':memory:')\n"
        "a, b = map(int, input().split())\n"
        "print(int(numpy.int64(a) + b), libc.abs(-3), tz.key, con.execute('select 1').fetchone()[0])\n"
    )
    verdict = run_program(program, [{"input": "2 5\n", "output": "7 3 Europe/Paris 1\n"}])
    assert verdict.statuses == ["pass"], verdict


def test_the_copy_recreates_symlink_chains(tmp_path):
    # a venv's bin/python -> the base interpreter, /lib64 -> usr/lib64 -> ...: every link on the way is kept
    host = tmp_path / "host"
    (host / "real" / "bin").mkdir(parents=True)
    (host / "real" / "bin" / "python3.11").write_text("interpreter")
    (host / "venv" / "bin").mkdir(parents=True)
    (host / "venv" / "bin" / "python").symlink_to(host / "real" / "bin" / "python3.11")
    (host / "lib64").symlink_to("real")
    tree = tmp_path / "tree"
    tree.mkdir()
    copied = _copy_path(str(host / "venv" / "bin" / "python"), str(tree))
    copied += _copy_path(str(host / "lib64" / "bin" / "python3.11"), str(tree))
    mirror = Path(str(tree) + str(host))
    assert (mirror / "venv" / "bin" / "python").is_symlink() and (mirror / "lib64").is_symlink()
    assert os.readlink(mirror / "lib64") == "real"
    assert (mirror / "real" / "bin" / "python3.11").read_text() == "interpreter"
    assert copied == [str(tree) + str(host / "real" / "bin" / "python3.11")]


def test_no_tmpfs_falls_back_to_host_binds_with_a_warning(monkeypatch, tmp_path):
    disk = str(tmp_path) if not _tmpfs_mount_of(str(tmp_path)) else "/nonexistent-dir"
    monkeypatch.setenv(TREE_ENV, disk)
    with pytest.warns(UserWarning, match="host directories bound read-only"):
        assert sandbox_tree(("numpy",), ("/proc",), ()) is None


@needs_copy
def test_the_protections_line_names_the_root():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        line = describe_protections()
    assert "root: a private read-only tmpfs copy" in line


def test_round23_madvise_is_an_allow_list():
    # MADV_COLLAPSE rebuilt the shared copy's file pages as huge pages (a state others could time, and memory charged
    # to the executor); HUGEPAGE and MERGEABLE (KSM) are refused with it; allocators' advice, WILLNEED and numpy's
    # large arrays still work
    program = (
        "import mmap, os, numpy\n"
        "total = int((numpy.ones(5_000_000) * 2).sum())\n"
        "view = mmap.mmap(os.open(os.__file__, os.O_RDONLY), 0, prot=mmap.PROT_READ)\n"
        "refused = []\n"
        "for advice in (25, 14, 12, 3):\n"
        "    try:\n"
        "        view.madvise(advice)\n"
        "    except OSError:\n"
        "        refused.append(advice)\n"
        "view.madvise(mmap.MADV_DONTNEED); view.madvise(mmap.MADV_NORMAL)\n"
        "print(total, refused)\n"
    )
    verdict = run_program(program, [{"input": "", "output": "10000000 [25, 14, 12]\n"}])
    assert verdict.statuses == ["pass"], verdict


def test_round23_a_copy_in_use_is_never_swept_and_a_dead_one_is(tmp_path):
    # a sweep by pid removed the live copy of a trainer in another pid namespace; only a lock no process holds
    # marks a copy dead
    import fcntl

    from archer_trl.rewards.sandbox.tree import _remove_stale

    live, dead, unlocked = (tmp_path / f"archer-tree-{name}" for name in ("live", "dead", "nolock"))
    for copy in (live, dead, unlocked):
        copy.mkdir()
    (tmp_path / "archer-tree-dead.lock").touch()
    holder = os.open(tmp_path / "archer-tree-live.lock", os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    _remove_stale(str(tmp_path))
    assert live.is_dir() and unlocked.is_dir() and not dead.exists()
    os.close(holder)
    _remove_stale(str(tmp_path))
    assert not live.exists()


def test_round23_prctl_options_that_share_state_between_processes_are_refused():
    # PR_SET_MEMORY_MERGE hands the process's memory to KSM (merging identical pages across processes is a timing
    # channel); PR_SCHED_CORE shares a core-scheduling cookie. Both passed the round-22 filter
    program = (
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "print([libc.prctl(option, 0, 0, 0, 0) == -1 and ctypes.get_errno() == 1 for option in (67, 62)])\n"
    )
    verdict = run_program(program, [{"input": "", "output": "[True, True]\n"}])
    assert verdict.statuses == ["pass"], verdict


def test_round24_a_program_is_pinned_to_its_executors_cores_and_cannot_leave_them():
    # a CFS quota alone let a program spend its period on every core at once: bursts that programs of other
    # executors timed (8 of 8). Pinned to ceil(cpus) cores, and sched_setaffinity refused
    program = (
        "import os\ncores = os.sched_getaffinity(0)\n"
        "try:\n    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))\n    moved = True\n"
        "except OSError:\n    moved = False\n"
        "print(len(cores), moved)\n"
    )
    verdict = run_program(program, [{"input": "", "output": "1 False\n"}])
    assert verdict.statuses == ["pass"], verdict


def test_round24_prctl_is_an_allow_list():
    # PR_FUTEX_HASH (78) charged 256 MiB of kernel memory under an RSS of 20 MB, so the OOM killer chose an
    # innocent program; what the C library and CPython ask (PR_GET_NAME, PR_GET_DUMPABLE) still works
    program = (
        "import ctypes, threading\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "refused = [libc.prctl(option, 0, 0, 0, 0) == -1 and ctypes.get_errno() == 1 for option in (78, 67, 62, 22)]\n"
        "name = ctypes.create_string_buffer(16)\n"  # PR_GET_NAME and PR_GET_DUMPABLE answer (PR_SET_NAME: round 27)
        "named = libc.prctl(16, name, 0, 0, 0) == 0 and libc.prctl(3, 0, 0, 0, 0) >= 0\n"
        "threading.Thread(target=print, args=('thread',)).start()\n"
        "print(refused, named)\n"
    )
    verdict = run_program(program, [{"input": "", "output": "thread\n[True, True, True, True] True\n"}])
    assert verdict.statuses == ["pass"], verdict


@pytest.mark.skipif(platform.machine() != "x86_64", reason="i386 system calls exist on x86_64 only")
def test_round24_a_foreign_architecture_syscall_is_refused_without_a_host_log_line():
    # a seccomp kill is printed to the host's kernel log under the process's name, which the program chooses: an
    # i386 syscall (int 0x80) answers ENOSYS (the filter's "foreign" rule). Since round 32 a program cannot even
    # write the instruction: no page of its own may be executable, so the attempt ends at the mapping
    program = (
        "import mmap\ntry:\n"
        "    m = mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\n"
        "    print('mapped')\nexcept PermissionError:\n    print('refused')\n"
    )
    verdict = run_program(program, [{"input": "", "output": "refused\n"}])
    assert verdict.statuses == ["pass"], verdict
    from archer_trl.rewards.sandbox.inside.seccomp import seccomp_filter

    assert seccomp_filter(1, "x86_64")  # the foreign-architecture rule is still compiled in (ENOSYS, no kill)


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the syscall numbers below are x86_64's")
def test_round24_numa_page_placement_calls_are_refused():
    # with several NUMA nodes, mbind(MPOL_MF_MOVE) moves pages of the shared copy and get_mempolicy reads where they
    # are: an exact channel (latent on a one-node host); mbind, set_mempolicy, get_mempolicy and its home-node twin
    program = (
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "print([libc.syscall(number, 0, 0, 0, 0, 0, 0) == -1 and ctypes.get_errno() == 1 for number in (237, 238, 239, 450)])\n"
    )
    verdict = run_program(program, [{"input": "", "output": "[True, True, True, True]\n"}])
    assert verdict.statuses == ["pass"], verdict
