"""Test processes: one per test, forked by a program init (standard library only; runs inside the sandbox).

Before any untrusted code: its own process group, private memfds for stdin/stdout/stderr and the record, every
other descriptor closed, rlimits (address space, CPU, file size = output cap, open files, no core) and the seccomp
filter of ``seccomp.py``. For an assert harness the init forks two: the *solution process*, forked before
the test code is read, which serves calls (``rpc.py``), and the *check process*, which runs the test code
and alone writes the record.
"""

from __future__ import annotations

import builtins
import contextlib
import ctypes
import fcntl
import json
import os
import re
import resource
import secrets
import select
import signal
import socket
import sys
import time
import traceback
import types
from typing import Any

import checkproc
import exiting
import rpc
from seccomp import SeccompInstaller
from testio import IoUnavailable, clear_io_dir, io_file, read_file

RECURSION_LIMIT = 100_000
OUTPUT_LIMIT_SOLUTION = 1 << 20  # the solution process of an assert test prints nothing anyone reads
THREAD_STACK_BYTES = 16 << 20
STDERR_TAIL = 2000
CHECK_DIR = "/sandbox/check"  # an empty directory of the read-only root (mounts.CHECK_DIR)
RECORD_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\Z)')  # a JSON string, or one that runs to the end
STDOUT_PREVIEW = 4096  # bytes of a call or assert test's stdout that reach the trainer
PR_SET_DUMPABLE = 4
SIGPENDING = 64  # queued signals a test process may have pending (inherited from the caller otherwise)
CALL_MODULES = ("typing", "collections", "itertools", "functools", "heapq", "bisect", "math")


def _call_builtins() -> dict:
    """LeetCode / LiveCodeBench solutions use ``List``, ``defaultdict``, ``gcd``, ... without importing them. Those
    names go into the solution's *builtins*, never its globals: the entry point is looked up in the globals only,
    so a name the program never defined cannot resolve to something we provided (``fn_name='gcd'`` and a program
    ``pass``). A real built-in keeps its meaning (``pow`` stays the built-in, not ``math.pow``)."""
    names = dict(vars(builtins))
    for module_name in CALL_MODULES:
        module = __import__(module_name)
        public = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
        for name in public:
            if name not in names and hasattr(module, name):
                names[name] = getattr(module, name)
    for module_name in (*CALL_MODULES, "string", "re", "sys"):
        names.setdefault(module_name, __import__(module_name))
    return names


CALL_BUILTINS = _call_builtins()  # built once in the template; each test process gets its own (forked) copy
SECCOMP: SeccompInstaller | None = None  # prepared once by the template (ctypes set-up costs milliseconds)


def _confine(fds: dict[int, int], limits: dict, output_limit: int, workdir: str) -> None:
    """In a freshly forked test process: own process group, only ``fds`` (target: source), rlimits, seccomp."""
    os.setpgid(0, 0)
    moved = {target: fcntl.fcntl(source, fcntl.F_DUPFD, 256) for target, source in fds.items()}  # no clobbering
    for target, source in moved.items():
        os.dup2(source, target)
    os.closerange(max(fds) + 1, 1 << 16)
    os.chdir(workdir)
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"], limits["cpu_seconds"] + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory_bytes"], limits["memory_bytes"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (output_limit, output_limit))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits["open_files"], limits["open_files"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_SIGPENDING, (SIGPENDING, SIGPENDING))
    resource.setrlimit(resource.RLIMIT_MEMLOCK, (0, 0))  # locked pages would escape the memory accounting
    if limits.get("processes"):  # the no-cgroup fallback: threads per (non-root) uid; see harness.py
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"], limits["processes"]))
    _reserve_pipes_and_socket_pairs()
    SECCOMP.install(os.getpid())
    sys.stdin = sys.__stdin__ = open(0, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = sys.__stderr__ = open(2, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    sys.setrecursionlimit(RECURSION_LIMIT)
    __import__("threading").stack_size(THREAD_STACK_BYTES)  # not RLIMIT_STACK (1 GiB) for every thread
    sys.argv = ["solution.py"]


class _Reserve:
    """Pipes and socket pairs made before the filter, lent by ``os.pipe`` and ``socket.socketpair`` and taken back
    when both ends are closed (drained, checked to be the same objects), so that a program may make and close them
    as often as it likes: the filter refuses new ones (their inode numbers are a host-wide counter), and the standard
    library needs a few for threads alone (an asyncio event loop's self-pipe, a ``ThreadPool``'s notifier). Past
    ``count`` open at once, the kernel is asked, and refuses (``PermissionError``)."""

    def __init__(self, count: int = 2):
        self.free: dict[str, list[tuple[int, int]]] = {"pipe": [os.pipe() for _ in range(count)],
                                                       "pair": [tuple(s.detach() for s in socket.socketpair())
                                                                for _ in range(count)]}  # fmt: skip
        self.inodes = {fd: os.fstat(fd).st_ino for pairs in self.free.values() for pair in pairs for fd in pair}
        self.lent: dict[int, tuple[str, tuple[int, int]]] = {}  # fd -> (kind, its pair)
        self.closed: set[int] = set()
        self.make_pipe, self.make_pair, self.close_fd = os.pipe, socket.socketpair, os.close

    def lend(self, kind: str) -> tuple[int, int] | None:
        while self.free[kind]:
            pair = self.free[kind].pop()
            if all(os.fstat(fd).st_ino == self.inodes[fd] for fd in pair):  # still ours (not closed and reused)
                for fd in pair:
                    os.set_blocking(fd, True)
                    self.lent[fd] = (kind, pair)
                return pair
        return None

    def give_back(self, fd: int) -> bool:
        if fd not in self.lent:
            return False
        kind, pair = self.lent[fd]
        self.closed.add(fd)
        if all(end in self.closed for end in pair):
            for end in pair:
                self.closed.discard(end)
                del self.lent[end]
                os.set_blocking(end, False)
                with contextlib.suppress(OSError):
                    while os.read(end, 1 << 16):  # what was left in it
                        pass
            self.free[kind].append(pair)
        return True

    def pipe(self) -> tuple[int, int]:
        return self.lend("pipe") or self.make_pipe()

    def socketpair(self, family=None, type=socket.SOCK_STREAM, proto=0):  # noqa: A002 - the stdlib's signature
        pair = (
            self.lend("pair")
            if family in (None, socket.AF_UNIX) and type == socket.SOCK_STREAM and not proto
            else None
        )
        if pair is None:
            return self.make_pair(socket.AF_UNIX if family is None else family, type, proto)
        return tuple(_LentSocket(self, fd) for fd in pair)

    def close(self, fd: int) -> None:
        if not self.give_back(fd):
            self.close_fd(fd)


class _LentSocket(socket.socket):
    """One end of a lent socket pair: closing it gives the descriptor back to the reserve."""

    def __init__(self, reserve: _Reserve, fd: int):
        super().__init__(socket.AF_UNIX, socket.SOCK_STREAM, 0, fd)
        self._reserve = reserve

    def close(self) -> None:
        fd = self.detach()
        if fd >= 0:
            self._reserve.close(fd)


def _reserve_pipes_and_socket_pairs() -> None:
    reserve = _Reserve()
    os.pipe, socket.socketpair, os.close = reserve.pipe, reserve.socketpair, reserve.close


def _find_function(namespace: dict, fn_name: str):
    """The entry point from the program's own globals (``Solution().fn_name`` first, as LeetCode): never from the
    builtins, where the call preamble's names live."""
    solution = namespace.get("Solution")
    if isinstance(solution, type) and getattr(solution, fn_name, None) is not None:
        return getattr(solution(), fn_name)
    if fn_name in namespace:
        return namespace[fn_name]
    raise NameError(f"no function {fn_name!r} (neither Solution().{fn_name} nor a top-level {fn_name})")


def _join_threads() -> None:
    """Wait for non-daemon threads, as interpreter shutdown would (``threading.Thread(target=main).start()``)."""
    shutdown = getattr(sys.modules.get("threading"), "_shutdown", None)
    if shutdown is not None:
        shutdown()


def _flush_and_exit(record: dict | None, code: int) -> None:
    for name in ("stdout", "stderr"):  # getattr: a program may have deleted them (round 45)
        with contextlib.suppress(BaseException):
            getattr(sys, name).flush()
    if record is not None:
        with contextlib.suppress(BaseException):
            os.write(3, json.dumps(record).encode())
    os._exit(code)


def _module_namespace(name: str, builtins_: Any) -> dict:
    """The globals of a real module registered under ``name`` in this test process, so that what looks its module up
    (dataclasses, pickle, ``typing.get_type_hints``, ``sys.modules[__name__]``) finds it (red-team round 11: every
    ``@dataclass`` failed in call and assert tests when the name was not registered)."""
    module = types.ModuleType(name)
    module.__dict__["__builtins__"] = builtins_
    module.__file__ = "solution.py"
    sys.modules[name] = module
    return module.__dict__


def _parse_record(raw: bytes) -> dict:
    """A test's record, which the program could have forged: an honest one holds no number longer than a nonce (a
    call's result travels as a string), so integers are parsed with a small digit limit: a record of 100,000-digit
    integers cost the init seconds of quadratic parsing outside every limit (red-team round 9)."""
    # a string may run to the end (round 30: an unterminated run of escaped quotes made every quote a new failed
    # match, quadratic in the init outside every limit); a match then eats the rest, so the scan is linear
    if raw.count(b'"') - raw.count(b'\\"') > 64 or len(RECORD_STRING.sub(b"", raw)) > 256:
        return {}  # an honest record is a few keys and strings (32 MiB of `[]` or of `""` cost the init seconds)
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        record = json.loads(raw.decode()) if raw else {}
    except (ValueError, RecursionError, MemoryError):
        record = {}
    finally:
        sys.set_int_max_str_digits(limit)
    return record if isinstance(record, dict) else {}


def _plain(value):
    """A call result's numpy scalars and arrays as the Python values they hold (``np.int64(3)`` is 3)."""
    for method in ("tolist", "item"):
        if callable(getattr(type(value), method, None)) and type(value).__module__.startswith("numpy"):
            return getattr(value, method)()
    raise TypeError(f"{type(value).__name__} is not plain data")


def _program_child(program: dict, test: dict, fds: dict, nonce: str, workdir: str) -> None:
    """A stdin or call-based test. Never returns."""
    code, record = 1, {"nonce": nonce}
    try:
        _confine({0: fds["stdin"], 1: fds["stdout"], 2: fds["stderr"], 3: fds["record"]}, program["limits"],
                 test["output_limit"], workdir)  # fmt: skip
        # a function under test is imported, not run: `if __name__ == "__main__":` demo code runs for stdin programs only
        name = "__main__" if program["kind"] == "stdin" else "solution"
        namespace = _module_namespace(name, CALL_BUILTINS if program["kind"] == "call" else builtins)
        try:
            exec(compile(program["code"], "solution.py", "exec", dont_inherit=True), namespace)  # noqa: S102
            if program["kind"] == "call":
                result = _find_function(namespace, program["fn_name"])(*test["input"])
                record["result"] = json.dumps(result, default=_plain)
            _join_threads()
            record["ok"], code = True, 0
        except SystemExit as stop:  # a stdin program may end with exit()/sys.exit(0); a function may not
            # as Python's own exit status: None and an int 0 are success; 0.0, 0j, numpy's 0 exit with status 1
            ok = program["kind"] == "stdin" and (
                stop.code is None or (type(stop.code) in (int, bool) and stop.code == 0)
            )
            record.update(ok=ok, error=None if ok else f"SystemExit({stop.code!r})")
            code = 0 if ok else 1
        except BaseException as error:  # noqa: BLE001 - the program's own failure, reported to the parent
            record.update(ok=False, error=f"{type(error).__name__}: {str(error)[:200]}")
            exiting.report_like_python(error)
        if program["kind"] == "stdin":
            exiting.finish_like_python()
    except BaseException:  # noqa: BLE001
        with contextlib.suppress(BaseException):
            os.write(2, ("harness: " + traceback.format_exc()).encode()[-STDERR_TAIL:])
        code = 1
    _flush_and_exit(record, code)


def fork_solution_server(program: dict, workdir: str) -> dict:
    """The solution process of an assert test: runs the program, then answers the check process's calls."""
    ours, theirs = socket.socketpair()
    fds = {name: io_file(name) for name in ("stdin", "stdout", "stderr")}
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(go_write)
            os.set_inheritable(theirs.fileno(), True)
            _confine({0: fds["stdin"], 1: fds["stdout"], 2: fds["stderr"], 3: theirs.fileno(), 4: go_read},
                     program["limits"], OUTPUT_LIMIT_SOLUTION, workdir)  # fmt: skip
            # no solution code runs before the init has forked the check process: the program cannot use up its
            # process allowance (threads) and make that fork fail, which would read as the machinery's failure
            if os.read(4, 1) != b"g":
                _flush_and_exit(None, 1)
            os.close(4)
            namespace = _module_namespace("solution", builtins)  # imported by the tests, not run
            try:
                exec(compile(program["code"], "solution.py", "exec", dont_inherit=True), namespace)  # noqa: S102
            except BaseException:  # noqa: BLE001 - calls will fail with NameError or the channel will close
                traceback.print_exc()
                _flush_and_exit(None, 1)
            rpc.serve(namespace, 3)
        except BaseException:  # noqa: BLE001
            pass
        _flush_and_exit(None, 0)
    theirs.close()
    os.close(go_read)
    for fd in fds.values():
        os.close(fd)
    return {"pid": pid, "socket": ours, "go": go_write}


def _check_child(test: dict, fds: dict, server: dict, program: dict, nonce: str, workdir: str) -> None:
    """The check process of an assert test: runs the test code against the remote solution. Never returns."""
    record = {"nonce": nonce, "ok": False}
    try:
        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # the solution process runs as the same uid
        channel = server["socket"].fileno()
        os.set_inheritable(channel, True)
        # not the scratch directory the solution writes (round 30: a conftest.py, ~/.pdbrc or test_*.py planted
        # there ran inside this process through pytest.main(), breakpoint(), unittest discovery or an import)
        scratch, workdir = workdir, CHECK_DIR if os.path.isdir(CHECK_DIR) else workdir
        os.environ["HOME"] = workdir
        sys.path[:] = [entry for entry in sys.path if entry not in ("", ".") and not entry.startswith(scratch)]
        _confine({0: fds["stdin"], 1: fds["stdout"], 2: fds["stderr"], 3: fds["record"], 4: channel},
                 program["limits"], test["output_limit"], workdir)  # fmt: skip
        record.update(checkproc.run_check(test["harness"], 4, program.get("fn_name"), program.get("entries")))
    except BaseException:  # noqa: BLE001
        with contextlib.suppress(BaseException):
            os.write(2, ("harness: " + traceback.format_exc()).encode()[-STDERR_TAIL:])
    _flush_and_exit(record, 0 if record.get("ok") else 1)


def _kill_and_reap(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def run_test(program: dict, test: dict, workdir: str, server: dict | None) -> dict:
    """Fork the test's process, wait with a wall-clock deadline, SIGKILL on expiry, report what happened."""
    try:
        if server is not None and "unavailable" in server:
            raise IoUnavailable(server["unavailable"])
        clear_io_dir()
        fds = {name: io_file(name) for name in ("stdin", "stdout", "stderr", "record")}
    except IoUnavailable as error:  # the program's doing, in an earlier test or its solution process: its failure
        return {"status": "error", "exit": None, "signal": None, "recorded": False, "result": None, "stdout": b"",
                "error": f"the program made its test files unavailable ({error})"[:300], "stderr": "", "wall": 0.0,
                "cpu": 0.0}  # fmt: skip
    try:
        if program["kind"] == "stdin":
            view = memoryview(str(test["input"]).encode("utf-8", errors="replace"))
            while view:
                view = view[os.write(fds["stdin"], view) :]
            os.lseek(fds["stdin"], 0, os.SEEK_SET)
        nonce = secrets.token_hex(16)
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            if server is not None:
                _check_child(test, fds, server, program, nonce, workdir)
            _program_child(program, test, fds, nonce, workdir)
        if server is not None:
            server["socket"].close()
            with contextlib.suppress(OSError):
                os.write(server["go"], b"g")
            os.close(server["go"])
        pidfd = os.pidfd_open(pid)
        try:
            timed_out = not select.select([pidfd], [], [], max(0.0, float(test["timeout"])))[0]
            if timed_out:
                os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
        finally:
            os.close(pidfd)
            if server is not None:
                _kill_and_reap(server["pid"])
        wall = time.monotonic() - start
        raw_record = read_file(fds["record"], int(test["output_limit"]) + 4096)
        stdout = read_file(fds["stdout"], int(test["output_limit"]))
        stderr = read_file(fds["stderr"], 1 << 16)[-STDERR_TAIL:]
    finally:
        for fd in fds.values():
            os.close(fd)
    record = _parse_record(raw_record)
    if not isinstance(record, dict) or record.get("nonce") != nonce:
        record = {}  # forged or missing: the program did not reach the end of the test
    signal_number = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    cpu = usage.ru_utime + usage.ru_stime
    # SIGXCPU is a timeout only when the CPU limit was reached: one the program sends itself is its own error
    if timed_out or (signal_number == signal.SIGXCPU and cpu >= program["limits"]["cpu_seconds"] - 0.5):
        verdict = "timeout"
    elif server is not None and record.get("unsupported"):  # only the check process may say so (it runs no
        # solution code, and says so only before any answer of the solution reached it: see checkproc.run_check)
        verdict = "unsupported"
    elif signal_number == signal.SIGXFSZ or len(stdout) >= int(test["output_limit"]):
        verdict = "output_limit"
    elif exit_code == 0 and (program["kind"] == "stdin" or record.get("ok") is True):
        verdict = "ok"
    else:
        verdict = "error"
    result, call = record.get("result"), program["kind"] == "call"
    return {
        "status": verdict,
        "exit": exit_code,
        "signal": signal_number,
        "recorded": record.get("ok") is True,
        "error": str(record.get("error") or (server is not None and record.get("unsupported")) or "")[:300] or None,
        # raw bytes after the reply's JSON line (harness._reply): no base64 or JSON escaping for the trainer to undo.
        # Only a stdin test's stdout is judged; the others send the start of it for the failure report
        # only a call test's result is judged: a stdin or assert test sends none, whatever its record holds
        "result": result.encode("utf-8", errors="replace") if isinstance(result, str) and call else None,
        "stdout": stdout if program["kind"] == "stdin" else stdout[:STDOUT_PREVIEW],
        "stderr": stderr.decode("utf-8", errors="replace"),
        "wall": round(wall, 4),
        "cpu": round(cpu, 4),
    }
