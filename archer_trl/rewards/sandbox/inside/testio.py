"""The files of one test (its stdin, stdout, stderr and record), on the program's own noexec tmpfs: made, read, and
the tmpfs cleared of what the program left there before each test. Runs in the init, outside the program's filter."""

from __future__ import annotations

import errno
import os

IO_DIR = "/sandbox/io"  # a noexec tmpfs of each program's own (harness._mount_private; mounts.IO_DIR)


class IoUnavailable(Exception):
    """The program made its tests' files impossible to create (it changed the mode of, or filled, their tmpfs)."""


def io_file(name: str) -> int:
    """A nameless file for a test's stdin, stdout, stderr or record, on the program's own noexec tmpfs (round 34: a
    memfd lives on the kernel's internal mount, which is not noexec, so a program wrote machine code into its stdout
    and mapped it executable; its inode number also came from a host-wide counter). A memfd only where that tmpfs is
    not mounted (the layouts without a mount namespace): never as a fallback, since the program, which runs as the
    same uid, can chmod the directory (round 35)."""
    if not os.path.ismount(IO_DIR):
        return os.memfd_create(name, os.MFD_CLOEXEC)
    try:
        return os.open(IO_DIR, os.O_TMPFILE | os.O_RDWR | os.O_CLOEXEC, 0o600)
    except OSError as error:
        if error.errno in (errno.EMFILE, errno.ENFILE):
            raise  # ours: the sandbox's failure
        raise IoUnavailable(f"{type(error).__name__}: {error}") from None


def clear_io_dir() -> None:
    """Undo what the program did to its tests' tmpfs before each test: its mode (round 35), and every file it left
    there (round 37: named files filled it, and the next test's stdin could not be written, a None of its making).
    The test processes are gone by then, so nothing it made holds space; what cannot be removed is its doing (the
    tmpfs holds few inodes, so this is short)."""
    if not os.path.ismount(IO_DIR):
        return
    try:
        os.chmod(IO_DIR, 0o1777)
        _empty(IO_DIR)
    except (OSError, RecursionError) as error:
        raise IoUnavailable(f"{type(error).__name__}: {error}") from None


def _empty(directory: str) -> None:
    for entry in os.scandir(directory):
        if entry.is_dir(follow_symlinks=False):
            os.chmod(entry.path, 0o700)
            _empty(entry.path)
            os.rmdir(entry.path)
        else:
            os.unlink(entry.path)


def read_file(fd: int, limit: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
