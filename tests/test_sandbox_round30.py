"""Red-team round 30 (30 attacks from the source and docs alone: no escape; 1 reward hack in 6 attacks, 1 cost
outside every limit, 1 self-made None).

- the check process of an assert test worked in the solution's scratch directory (its cwd, ``HOME``): a
  ``conftest.py``, ``.pdbrc`` or ``test_*.py`` the solution wrote there at import ran inside the check process through
  ``pytest.main()``, ``breakpoint()``, unittest discovery or an import from the working directory, and forged the
  verdict (a wrong ``add`` scored 1.0, 3 of 3). It now works in an empty directory of the read-only root;
- the init stripped a record's strings with a regular expression that restarted at every quote of an unterminated
  run of escaped quotes: quadratic, outside every limit (32 KB took 5 s);
- a call still unanswered when the harness gave up on a value it could not judge read as the data's fault: a
  stalling wrong solution scored None (unscored) instead of 0.0."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.reward import run_program

ADD = "def add(a, b):\n    return a * b\n"  # wrong: add(3, 4) is 7, not 12
RIGHT_ADD = "def add(a, b):\n    return a + b\n"
FORGE = (
    "import json, os, sys\nframe, nonce = sys._getframe(), None\n"
    "for thread_frame in [frame, *sys._current_frames().values()]:\n"
    "    while thread_frame is not None:\n"
    "        if thread_frame.f_code.co_name == '_check_child':\n"
    "            nonce = thread_frame.f_locals.get('nonce')\n"
    "        thread_frame = thread_frame.f_back\n"
    "os.write(3, json.dumps({'nonce': nonce, 'ok': True}).encode())\nos._exit(0)\n"
)
# each: the harness's loader, and the file a wrong solution plants where that loader looks (its own scratch)
LOADERS = {
    "pytest.main": (
        "import pytest\ndef test_add():\n    assert add(3, 4) == 7\nif __name__ == '__main__':\n"
        "    pytest.main(['-q', '-p', 'no:cacheprovider'])\n    test_add()\n",
        "conftest.py",
    ),
    "unittest discovery": (
        "import unittest\nclass T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(3, 4), 7)\n"
        "suite = unittest.defaultTestLoader.discover('.')\nunittest.TextTestRunner().run(suite)\n"
        "assert add(3, 4) == 7\n",
        "test_planted.py",
    ),
    "import from the working directory": (
        "import importlib, os, sys\nsys.path.insert(0, os.getcwd())\ntry:\n    importlib.import_module('helpers')\n"
        "except ImportError:\n    pass\nassert add(3, 4) == 7\n",
        "helpers.py",
    ),
}


@needs_bwrap
@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_the_check_process_loads_nothing_the_solution_wrote(loader):
    harness, planted = LOADERS[loader]
    plant = f"import os\nwith open(os.path.join(os.getcwd(), {planted!r}), 'w') as out:\n    out.write({FORGE!r})\n"
    assert run_program(plant + ADD, {"functional": harness}).passed == 0
    assert run_program(ADD, {"functional": harness}).passed == 0
    if loader != "import from the working directory":  # the row's honest program still passes
        assert run_program(RIGHT_ADD, {"functional": harness}).passed == 1


@needs_bwrap
def test_a_planted_pdbrc_is_not_read_by_the_harness_breakpoint():
    harness = "breakpoint()\nassert add(3, 4) == 7\n"
    plant = (
        "import os\nwith open(os.path.expanduser('~/.pdbrc'), 'w') as out:\n    out.write('import os; os._exit(0)')\n"
    )
    verdict = run_program(plant + "\n" + ADD, {"functional": harness})
    assert verdict.passed == 0 and verdict.infrastructure_error is None


def test_record_strings_are_stripped_in_one_pass_even_when_unterminated():
    """The init's string stripper (testproc._parse_record): an unterminated string runs to the end of the record in
    one match, so no quote starts a new scan of the rest (the quadratic case of round 30)."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "archer_trl" / "rewards" / "sandbox" / "inside"))
    try:
        import testproc
    finally:
        sys.path.pop(0)
    flood = b'{"ok": true, "x": "' + b'\\"' * 100_000
    assert testproc.RECORD_STRING.sub(b"", flood) == b"{: true, : "
    assert testproc._parse_record(flood) == {}
    honest = b'{"nonce": "ab", "ok": true, "result": "[1, \\"a\\"]"}'
    assert testproc._parse_record(honest) == {"nonce": "ab", "ok": True, "result": '[1, "a"]'}


@needs_bwrap
def test_a_stalled_call_is_the_solutions_failure_not_the_datas():
    harness = (
        "import threading, time\nclass Box:\n    pass\ndef check(candidate):\n"
        "    threading.Thread(target=lambda: candidate(1, 2)).start()\n    time.sleep(0.5)\n"
        "    assert candidate(Box(), 1) is not None\ncheck(add)\n"
    )
    stalling = "import time\ndef add(a, b):\n    time.sleep(2)\n    return 0\n"
    verdict = run_program(stalling, {"functional": harness}, test_timeout=6)
    assert verdict.passed == 0 and verdict.infrastructure_error is None, verdict


# ------------------------------------------------------------------------------------------------ red-team round 31
# a shared mapping of /dev/zero is a new inode of the kernel's own tmpfs: a writer of the host-wide counter the test
# memfds read (a 3-answer relay, 3 of 3 in every format) whose pages also left RLIMIT_AS after an mremap; /dev/zero
# is gone from the sandbox (tests/test_sandbox_counters.py checks the mapping is refused)


def test_a_record_of_many_empty_strings_is_refused_before_any_scan():
    sys.path.insert(0, str(Path(__file__).parents[1] / "archer_trl" / "rewards" / "sandbox" / "inside"))
    try:
        import testproc
    finally:
        sys.path.pop(0)
    flood = b'{"nonce": "ab", "ok": true, "x": [' + b'"", ' * 1_000_000 + b'""]}'
    assert testproc._parse_record(flood) == {}


@needs_bwrap
def test_no_dev_zero_in_the_sandbox():
    program = "import os\nprint(os.path.exists('/dev/zero'), os.path.exists('/dev/null'))\n"
    assert run_program(program, {"inputs": [""], "outputs": ["False True\n"]}).passed == 1


# ------------------------------------------------------------------------------------------------ red-team round 32
# siblings held side by side shared the root copy's cache lines: a program mapped its own machine code (clflush,
# rdtsc) and passed a 40-bit answer by Flush+Reload (stdin 3 of 3, GRPO-shaped batches 6 of 18). No page may become
# executable but a library's file: anonymous PROT_EXEC and mprotect/pkey_mprotect to PROT_EXEC are refused, and the
# scratch and /dev/shm are noexec


@needs_bwrap
def test_no_program_runs_machine_code_of_its_own():
    program = (
        "import ctypes, mmap, os\nres = []\ntry:\n"
        "    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\n    res.append('made')\n"
        "except OSError:\n    res.append('refused')\n"
        "libc = ctypes.CDLL(None, use_errno=True)\nlibc.mmap.restype = ctypes.c_void_p\n"
        "libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]\n"
        "page = libc.mmap(None, 4096, 3, 0x22, -1, 0)\n"
        "res.append('refused' if libc.mprotect(ctypes.c_void_p(page), 4096, 7) else 'made')\n"
        "res.append('refused' if libc.syscall(329, ctypes.c_void_p(page), 4096, 7, -1) else 'made')\n"
        "with open('code.bin', 'wb') as f:\n    f.write(b'\\xc3' * 4096)\n"
        "mapped = libc.mmap(None, 4096, 5, 2, os.open('code.bin', os.O_RDONLY), 0)\n"
        "res.append('refused' if mapped in (None, 2**64 - 1) else 'made')\n"
        "import numpy, decimal, sqlite3\n"  # libraries still load: their files are mapped executable
        "print(res, int(numpy.arange(4).sum()))\n"
    )
    expected = "['refused', 'refused', 'refused', 'refused'] 6\n"
    verdict = run_program(program, {"inputs": [""], "outputs": [expected]}, test_timeout=20)
    assert verdict.passed == 1, verdict.first_failure


# ------------------------------------------------------------------------------------------------ red-team round 33
# round 32's rule refused executable *anonymous* memory only: a private mapping of a library file could be writable
# and executable (copy-on-write), and personality(READ_IMPLIES_EXEC) made readable pages executable after the filter
# had read the arguments; both restored Flush+Reload between siblings (1-2 of 3 pairs)


@needs_bwrap
def test_no_mapping_is_writable_and_executable_and_no_personality_makes_one():
    program = (
        "import ctypes, mmap, os, sys\nres = []\nfd = os.open(sys.executable, os.O_RDONLY)\n"
        "try:\n    mmap.mmap(fd, 4096, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\n"
        "    res.append('made')\nexcept OSError:\n    res.append('refused')\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "res.append(libc.personality(0xFFFFFFFF) >= 0)\n"  # a query answers
        "res.append('refused' if libc.personality(0x0400000) == -1 else 'set')\n"  # READ_IMPLIES_EXEC
        "print(res)\n"
    )
    verdict = run_program(program, {"inputs": [""], "outputs": ["['refused', True, 'refused']\n"]}, test_timeout=20)
    assert verdict.passed == 1, verdict.first_failure


# ------------------------------------------------------------------------------------------------ red-team round 34
# a test's stdin, stdout, stderr and record were memfds, on the kernel's internal mount, which is not noexec: a program
# wrote machine code into one with pwrite and mapped it PROT_READ|PROT_EXEC (clflush and rdtsc again). They are now
# nameless files on a noexec tmpfs of each program's own


@needs_bwrap
def test_no_descriptor_of_the_test_can_be_mapped_executable():
    program = (
        "import mmap, os\nres = []\nfor fd in (0, 1, 2, 3):\n    try:\n"
        "        os.pwrite(fd, b'\\xc3' * 16, 8192)\n"
        "        mmap.mmap(fd, 4096, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ | mmap.PROT_EXEC)\n"
        "        res.append('mapped')\n    except (OSError, ValueError):\n        res.append('refused')\n"
        "os.ftruncate(1, 0)\nos.lseek(1, 0, 0)\nprint(res)\n"
    )
    verdict = run_program(program, {"inputs": [""], "outputs": ["['refused', 'refused', 'refused', 'refused']\n"]})
    assert verdict.passed == 1, verdict.first_failure


# ------------------------------------------------------------------------------------------------ red-team round 35
# the program runs as the uid that owns its /sandbox/io: a chmod in test 0 made the next tests' files fail to create,
# and the harness fell back to memfds, executable again. The init restores the mode, and never falls back


@needs_bwrap
def test_a_program_cannot_push_later_tests_back_onto_memfds():
    program = (
        "import mmap, os\ntry:\n    os.chmod('/sandbox/io', 0o500)\nexcept OSError:\n    pass\n"
        "os.pwrite(1, b'\\xc3' * 16, 8192)\ntry:\n"
        "    mmap.mmap(1, 4096, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ | mmap.PROT_EXEC)\n    seen = 'mapped'\n"
        "except (OSError, ValueError):\n    seen = 'refused'\nos.ftruncate(1, 0)\nos.lseek(1, 0, 0)\nprint(seen)\n"
    )
    tests = {"inputs": ["", "", ""], "outputs": ["refused\n"] * 3}
    verdict = run_program(program, tests, stop_on_failure=False)
    assert verdict.passed == 3, verdict
