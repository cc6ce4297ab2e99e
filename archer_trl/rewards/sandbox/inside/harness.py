"""The processes inside a sandbox (standard library only; never imports archer_trl). Three roles:

**Template** (pid 1 of the executor's sandbox, started once by the trusted parent, `archer_trl.rewards.sandbox`).
It imports the usual modules once, then loops on its control socket, whose only messages are "spawn" (carrying,
as SCM_RIGHTS, one end of a socket the parent made for one program) and "ping". It never receives program text,
tests or results, so nothing it holds, and nothing a forked child inherits from it, belongs to another program.

**Program init** (one per program, forked from the template). It drops every descriptor but its own program
socket, creates fresh user, mount, PID, IPC, network and UTS namespaces (``--no-namespaces`` for the unsafe
backend) and becomes pid 1 of the new PID namespace; mounts a fresh size- and inode-capped tmpfs on the scratch
directory and ``/dev/shm`` and an empty read-only tmpfs over ``/proc``; drops all capabilities; and only then reads
the program from its socket. When it exits, the kernel kills every process of the program and the namespaces and
their tmpfs, SysV IPC and message queues vanish with it: nothing a program does outlives it.

**Test processes** (one per test, forked from the program init): ``testproc.py``.

Protocol on a program socket (JSON lines): ``<- {"ready"}``, ``-> {"op": "program", "code", "kind", "fn_name",
"limits"}``, then per test (assert kind: after ``<- {"armed"}``, sent once the solution process exists)
``-> {"op": "test", "input" | "harness", "timeout", "output_limit"} <- {"status", ...}``, and ``-> {"op": "end"}``
(or a hang-up). Nothing a test process says is trusted on its own: the parent judges.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testio  # noqa: E402
import testproc  # noqa: E402
from seccomp import SeccompInstaller  # noqa: E402

del sys.path[0]  # nothing of ours (or writable) stays on the solutions' import path

STACK_BYTES = 1 << 30  # soft RLIMIT_STACK before re-exec: deep recursion in solutions needs a big main-thread stack
PR_SET_DUMPABLE, PR_CAPBSET_DROP = 4, 24
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
PRELOAD = ["array", "bisect", "collections", "copy", "dataclasses", "datetime", "decimal", "fractions", "functools",
           "heapq", "io", "itertools", "json", "math", "operator", "random", "re", "statistics", "string", "sys",
           "threading", "time", "typing"]  # fmt: skip

_LIBC = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


# ----------------------------------------------------------------------------------------------- program init


def _private_namespaces(scratch: str, scratch_bytes: int) -> None:
    """Become the only owner of fresh namespaces, mounts and scratch space (called in the forked program leader)."""
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS
    _check(_LIBC.unshare(flags), "unshare")
    # the template is non-dumpable, which makes /proc/self/*_map root's; the init turns it off again before any
    # program code exists (this leader stays outside the program's PID namespace and holds nothing afterwards)
    _LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as handle:
            handle.write(text)


def _mount_private(scratch: str, scratch_bytes: int) -> None:
    """In the new mount namespace (as the new PID namespace's init): fresh tmpfs mounts; /proc hidden."""
    inodes = max(256, scratch_bytes // (64 << 10))
    targets = [(scratch, scratch_bytes), ("/dev/shm", max(1 << 20, scratch_bytes // 4))]
    if os.path.isdir(testio.IO_DIR):  # the test processes' stdin, stdout, stderr and record (testio.io_file)
        targets.append((testio.IO_DIR, scratch_bytes))
    for target, size in targets:
        options = f"size={size},nr_inodes={inodes},mode=1777".encode()
        # noexec (round 32): no file a program writes may be mapped executable (its own machine code)
        _check(_LIBC.mount(b"tmpfs", target.encode(), b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options),
               f"mount {target}")  # fmt: skip
    _check(_LIBC.mount(b"tmpfs", b"/proc", b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, b"size=4k,nr_inodes=2"),
           "mount /proc")  # fmt: skip


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_capabilities() -> None:
    for cap in range(64):
        _LIBC.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # EINVAL past the last capability: fine
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()  # _LINUX_CAPABILITY_VERSION_3
    _check(_LIBC.capset(ctypes.byref(header), data), "capset")


def program_leader(sock: socket.socket, settings: dict) -> None:
    """Forked from the template for one program. Never returns."""
    code = 1
    try:
        keep = sock.fileno()
        devnull = os.open(os.devnull, os.O_RDWR)
        for target in (0, 1, 2):
            os.dup2(devnull, target)
        os.closerange(3, keep)
        os.closerange(keep + 1, 1 << 16)
        if settings["namespaces"]:
            _private_namespaces(settings["scratch"], settings["scratch_bytes"])
        pid = os.fork()
        if pid == 0:
            program_init(sock, settings)
        sock.close()
        _, status = os.waitpid(pid, 0)
        code = 0 if os.waitstatus_to_exitcode(status) == 0 else 1
        if not settings["namespaces"]:
            _remove_tree(os.path.join(settings["scratch"], f"program-{pid}"))
    except BaseException:  # noqa: BLE001 - the parent sees the socket close before "ready": not this program's doing
        code = 1
    os._exit(code)


def program_init(sock: socket.socket, settings: dict) -> None:
    """Pid 1 of one program's namespaces. Never returns; its exit ends every process of the program."""
    code = 1
    try:
        scratch = settings["scratch"]
        if settings["namespaces"]:
            _mount_private(scratch, settings["scratch_bytes"])  # that the mounts work, before anything is promised
        else:
            scratch = os.path.join(scratch, f"program-{os.getpid()}")
            os.makedirs(scratch, mode=0o700)
        reader = sock.makefile("rb")
        _reply(sock, {"ready": True})
        program = json.loads(reader.readline())
        failure = None
        if settings["namespaces"]:
            # fresh mounts again, now: a mount's times are readable (stat of /tmp, /dev/shm, /proc), and those made
            # ahead of time recorded when the previous program on this executor ended (red-team round 27: a sender
            # that chose its exit time told the next program its answer through the mtime of /tmp)
            try:
                _mount_private(scratch, settings["scratch_bytes"])
            except OSError as error:
                failure = {"status": "sandbox_error", "error": f"remounting the scratch space: {error}"}
            _drop_capabilities()
        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        os.setsid()  # a session (and scheduler autogroup) of its own
        os.chdir(scratch)
        server = None
        if failure is None:  # its mounts are made: what a sibling's teardown frees can no longer reach them
            _reply(sock, {"mounted": True})
        while failure is not None:  # every answer says the sandbox failed: nothing of the program has run
            _reply(sock, failure)
            if not reader.readline():
                break
        while failure is None:
            if program["kind"] == "assert" and server is None:
                # forked before the test code enters this process, and only then asked for: the parent sends the
                # test after "armed", so no read-ahead buffer of ours can hold it at the fork
                try:  # its files' tmpfs as the last test's solution process may have left it (round 43's lead)
                    testio.clear_io_dir()
                    server = testproc.fork_solution_server(program, scratch)
                except testio.IoUnavailable as error:
                    server = {"unavailable": str(error)}  # the program's doing: its test fails (run_test)
                _reply(sock, {"armed": True})
            line = reader.readline()
            if not line:
                break
            message = json.loads(line)
            if message.get("op") != "test":
                break
            try:
                reply = testproc.run_test(program, message, scratch, server)
            except Exception as error:  # noqa: BLE001 - fork or memfd failed: not the program's fault
                reply = {"status": "sandbox_error", "error": f"{type(error).__name__}: {error}"}
            server = None
            _reply(sock, reply)
        code = 0
    except BaseException:  # noqa: BLE001 - the parent sees the socket close
        code = 1
    os._exit(code)


def _remove_tree(root: str) -> None:
    """Iterative removal that survives chmod 0 directories and deep trees (the unsafe backend's cleanup)."""
    stack, failures = [root], 0
    while stack and failures < 10_000:
        path = stack[-1]
        try:
            os.chmod(path, 0o700)
            entries = list(os.scandir(path))
            subdirs = [e.path for e in entries if e.is_dir(follow_symlinks=False)]
            for entry in entries:
                if not entry.is_dir(follow_symlinks=False):
                    os.unlink(entry.path)
            if subdirs:
                stack.extend(subdirs)
                continue
            os.rmdir(path)
        except OSError:
            failures += 1
        stack.pop()


def _reply(sock: socket.socket, message: dict) -> None:
    """One JSON line; a ``stdout`` or ``result`` of bytes goes as its length there and its raw bytes after the line,
    stdout first (the trainer reads them into one buffer each: `executor.ProgramChannel.read`)."""
    fields = [message[key] for key in ("stdout", "result") if isinstance(message.get(key), bytes)]
    header = {key: len(value) if isinstance(value, bytes) else value for key, value in message.items()}
    sock.sendall((json.dumps(header) + "\n").encode())
    for field in fields:
        sock.sendall(field)


# ----------------------------------------------------------------------------------------------- the template


def _raise_stack_limit_and_reexec() -> None:
    """Main-thread stack size is fixed at exec time, so raise the soft limit and exec ourselves once more."""
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    wanted = STACK_BYTES if hard == resource.RLIM_INFINITY else min(STACK_BYTES, hard)
    if "--reexeced" in sys.argv or soft == resource.RLIM_INFINITY or soft >= wanted:
        return
    resource.setrlimit(resource.RLIMIT_STACK, (wanted, hard))
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:], "--reexeced"])


def _parse_args(argv: list[str]) -> dict:
    """``--scratch DIR`` (each program's private writable directory), ``--scratch-bytes N``, ``--no-namespaces``
    (the unsafe backend), ``--preload MODULE`` (repeatable: extra modules imported once, e.g. numpy),
    ``--processes N`` (RLIMIT_NPROC of the sandbox's user namespaces), ``--deny-threads`` (see seccomp.py)."""
    settings = {"scratch": "/tmp", "scratch_bytes": 256 << 20, "namespaces": True, "preload": [], "processes": 0,
                "threads": True}  # fmt: skip
    for flag, value in zip(argv, [*argv[1:], ""]):
        if flag == "--scratch":
            settings["scratch"] = value
        elif flag == "--scratch-bytes":
            settings["scratch_bytes"] = int(value)
        elif flag == "--no-namespaces":
            settings["namespaces"] = False
        elif flag == "--preload":
            settings["preload"].append(value)
        elif flag == "--processes":
            settings["processes"] = int(value)
        elif flag == "--deny-threads":
            settings["threads"] = False
    return settings


def _wait_for_children() -> None:
    with contextlib.suppress(ChildProcessError):
        while True:
            os.waitpid(-1, 0)


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


def main() -> None:
    _raise_stack_limit_and_reexec()
    settings = _parse_args(sys.argv[1:])
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    control = socket.socket(fileno=os.dup(0))
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(devnull, fd)
    for name in PRELOAD:
        __import__(name)
    for name in settings["preload"]:
        with contextlib.suppress(Exception):  # an optional extra (e.g. numpy) that is not installed
            __import__(name)
    if settings["namespaces"] and settings["processes"]:
        # counted per user namespace: each program's namespace inherits this as its cap on tasks. It binds when the
        # host uid is not root (root is exempt: then the executor's cgroup or the dedicated uid is the cap)
        resource.setrlimit(resource.RLIMIT_NPROC, (settings["processes"], settings["processes"]))
    testproc.SECCOMP = SeccompInstaller(threads=settings["threads"])
    hello = {"ready": True, "pid": os.getpid(), "uid": os.getuid(), "python": sys.version}
    control.sendall((json.dumps(hello) + "\n").encode())
    while True:
        _reap()
        try:
            message, fds, _, _ = socket.recv_fds(control, 64, 1)
        except OSError:
            return
        if not message:
            return
        if message.startswith(b"ping"):
            control.sendall(b'{"op": "pong"}\n')
        elif message.startswith(b"spawn") and fds:
            program_socket = socket.socket(fileno=fds[0])
            # The trainer asks for an init only once every earlier program on this executor is over (its socket
            # closed). Waiting for their leaders means their every task is gone and its pid released: a program
            # that filled the executor's task cap as it ended cannot make this fork fail for the next program.
            _wait_for_children()
            try:
                pid = os.fork()
            except OSError:  # the trainer sees the socket close: not any program's doing
                pid = -1
            if pid == 0:
                control.close()
                program_leader(program_socket, settings)
            program_socket.close()
        else:
            for fd in fds:
                os.close(fd)


if __name__ == "__main__":
    main()
