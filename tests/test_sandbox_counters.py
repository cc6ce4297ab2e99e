"""Host-wide counters a program could move (red-team round 7; closed in round 30): pipe, socket and shared-memory
inodes are numbered by the kernel's `get_next_ino()` (and eventfd ids by one allocator) for the whole host, and
`fstat` reads them back, so a program that creates them signals every concurrent program. No program may create
one; asyncio's self-pipe is served from socket pairs the test process made before its filter."""

from __future__ import annotations

import shutil

import pytest

from archer_trl.rewards.code.reward import run_program

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")

WRITERS = """
import mmap, os, socket, sys
reserve = [os.pipe(), os.pipe(), socket.socketpair(), socket.socketpair()]  # made before the filter
attempts = {
    "pipe past the reserve": os.pipe,
    "socket pair past the reserve": socket.socketpair,
    "pipe2": lambda: os.pipe2(os.O_CLOEXEC),
    "unix socket": lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM),
    "inet socket": lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
    "datagram pair": lambda: socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM),
    "eventfd": lambda: os.eventfd(0),
    "shared anonymous mapping": lambda: mmap.mmap(-1, 4096),
    # round 31: a shared mapping of /dev/zero is a shmem inode too (and its pages escaped RLIMIT_AS): no /dev/zero
    "shared mapping of /dev/zero": lambda: mmap.mmap(os.open("/dev/zero", os.O_RDWR), 4096),
    "memfd": lambda: os.memfd_create("x"),
}
made = []
for name, attempt in attempts.items():
    try:
        attempt()
        made.append(name)
    except (PermissionError, FileNotFoundError):
        pass
private = mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)  # what allocators use stays
private[:2] = b"ok"
print(private[:2].decode(), sorted(made))
"""


def assert_passes(program: str, stdin: str, stdout: str, timeout: float = 10) -> None:
    """The program, run once on ``stdin``, prints exactly ``stdout``."""
    verdict = run_program(program, {"inputs": [stdin], "outputs": [stdout]}, test_timeout=timeout)
    assert verdict.passed == 1, verdict.first_failure


def test_no_program_creates_an_object_numbered_by_a_host_wide_counter():
    assert_passes(WRITERS, "", "ok []\n", timeout=10)


ASYNCIO = """
import asyncio

async def double(x):
    await asyncio.sleep(0)
    return 2 * x

n = int(input())
print(asyncio.run(double(n)))
print(asyncio.run(asyncio.wait_for(double(n + 1), timeout=5)))
"""


def test_asyncio_runs_on_the_reserved_socket_pairs():
    assert_passes(ASYNCIO, "3\n", "6\n8\n", timeout=10)


def test_event_loops_and_thread_pools_may_be_made_again_and_again():
    # round 31: the reserve was not taken back, so a third asyncio.run or ThreadPool in one test failed
    program = (
        ASYNCIO
        + "for n in range(5):\n    assert asyncio.run(double(n)) == 2 * n\n"
        + "from multiprocessing.pool import ThreadPool\n"
        + "for n in range(4):\n    with ThreadPool(2) as pool:\n        assert pool.map(abs, [-n]) == [n]\n"
        + "print('ok')\n"
    )
    assert_passes(program, "3\n", "6\n8\nok\n", timeout=20)


def test_a_third_pair_open_at_once_is_refused():
    program = (
        "import socket\nheld = [socket.socketpair(), socket.socketpair()]\n"
        "try:\n    socket.socketpair()\n    print('made')\nexcept PermissionError:\n    print('refused')\n"
        "held[0][0].close(); held[0][1].close()\nsocket.socketpair()\nprint('again')\n"
    )
    assert_passes(program, "", "refused\nagain\n", timeout=10)


def test_a_thread_pool_runs_on_a_reserved_pipe():
    program = (
        "from multiprocessing.pool import ThreadPool\n"
        "with ThreadPool(2) as pool:\n"
        "    print(sum(pool.map(lambda x: x * x, range(int(input())))))\n"
    )
    assert_passes(program, "4\n", "14\n", timeout=10)
