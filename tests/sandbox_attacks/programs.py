"""Attack programs for the sandbox battery, written by someone who has read the sandbox's source.

Every attack defines ``solve(a, b)``: the answer to "a + b" it returns when its exploit worked (found the expected
values, forged a verdict, reached a canary) and a wrong answer (``wrong(a, b)``) otherwise. The battery wraps it in
every test format, so an attack that works scores 1.0 somewhere; a contained attack scores 0.0 everywhere.

``{PORT}``, ``{CANARY_FILE}``, ``{WRITE_DIR}`` and ``{ENV_NAME}`` are filled in by the battery. The canaries (an
environment variable of the caller, a host file, a loopback listener) all hold the answer table, so reading any of
them is enough to pass: a leak shows up as a score, on top of the host-side checks.
"""

PRELUDE = r'''
import os, sys, json, re
ANSWERS = {}
def learn(text):
    """Pick "a,b=c" answers (the canaries' format) or `candidate(a, b) == c` literals out of any text."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    for a, b, c in re.findall(r"(-?\d+),\s*(-?\d+)\s*(?:=|\)\s*==)\s*(-?\d+)", str(text)):
        ANSWERS[(int(a), int(b))] = int(c)
def wrong(a, b):
    return a - b - 1
def answer(a, b):
    return ANSWERS.get((a, b), wrong(a, b))
def attempt(function, *args):
    try:
        return function(*args)
    except BaseException as error:
        return error
'''

# name -> (root-cause class, source). Classes: 1 control channels / pid 1, 2 memory of earlier programs,
# 3 the judge's interpreter and test shapes, 4 state that outlives a program, 5 judging, 6 host canaries.
ATTACKS: dict[str, tuple[int, str]] = {}


def attack(name: str, kind: int, source: str) -> None:
    ATTACKS[name] = (kind, PRELUDE + source)


# fmt: off
attack("proc_fd_forge_replies", 1, r'''
FORGED = [b'{"ready": true}\n', b'{"status": "ok", "recorded": true, "result": "5", "exit": 0, "stdout": "5"}\n',
          b'{"op": "pong"}\n', b'ping', b'spawn']
def forge():
    for pid in [p for p in attempt(os.listdir, "/proc") or [] if str(p).isdigit()] + ["1", "self"]:
        for fd in attempt(os.listdir, f"/proc/{pid}/fd") if not isinstance(attempt(os.listdir, f"/proc/{pid}/fd"), BaseException) else []:
            for data in FORGED:
                try:
                    with open(f"/proc/{pid}/fd/{fd}", "wb", buffering=0) as handle:
                        handle.write(data)
                except OSError:
                    pass
forge()
def solve(a, b):
    return answer(a, b)
''')

attack("proc_mem_write", 1, r'''
for pid in ("1", str(os.getppid())):
    for mode in ("r+b", "rb"):
        try:
            with open(f"/proc/{pid}/mem", mode, buffering=0) as mem:
                maps = open(f"/proc/{pid}/maps").read()
                learn(maps)
        except OSError:
            pass
def solve(a, b):
    return answer(a, b)
''')

attack("signal_routing_fsetown", 1, r'''
import fcntl, signal, ctypes, socket
libc = ctypes.CDLL(None, use_errno=True)
r, w = os.pipe()
for target in (1, os.getppid(), -os.getpgid(0), -1):
    attempt(fcntl.fcntl, r, fcntl.F_SETOWN, target)
    attempt(fcntl.fcntl, r, 10, signal.SIGKILL)  # F_SETSIG
    attempt(fcntl.fcntl, r, fcntl.F_SETFL, os.O_ASYNC | os.O_NONBLOCK)
    libc.ioctl(r, 0x8901, ctypes.byref(ctypes.c_int(target)))  # FIOSETOWN
    libc.ioctl(r, 0x5452, ctypes.byref(ctypes.c_int(1)))  # FIOASYNC
    attempt(os.write, w, b"x")
s1, s2 = socket.socketpair()
attempt(fcntl.fcntl, s1.fileno(), fcntl.F_SETOWN, 1)
attempt(fcntl.fcntl, s1.fileno(), fcntl.F_SETFL, os.O_ASYNC)
attempt(s2.send, b"x")
def solve(a, b):
    return wrong(a, b)
''')

attack("signal_everyone", 1, r'''
import signal, ctypes
libc = ctypes.CDLL(None, use_errno=True)
for pid in (1, -1, os.getppid(), 2, 3, 0 - os.getppid()):
    for sig in (signal.SIGKILL, signal.SIGSTOP, signal.SIGTERM):
        attempt(os.kill, pid, sig)
        libc.syscall(62, pid, sig)            # kill
        libc.syscall(234, pid, pid, sig)      # tgkill
        libc.syscall(200, pid, sig)           # tkill
        libc.syscall(129, pid, sig, 0)        # rt_sigqueueinfo
for pid in range(1, 64):  # every pid a sibling (the check process, the init) could have
    if pid != os.getpid():
        attempt(os.kill, pid, signal.SIGKILL)
attempt(os.killpg, 1, signal.SIGKILL)
fd = libc.syscall(434, 1, 0)                  # pidfd_open
libc.syscall(424, fd, 9, 0, 0)                # pidfd_send_signal
def solve(a, b):
    return wrong(a, b)
''')

attack("ptrace_and_vm_read", 1, r'''
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
for pid in (1, os.getppid()):
    libc.ptrace(16, pid, 0, 0)        # PTRACE_ATTACH
    libc.ptrace(0x4206, pid, 0, 0)    # PTRACE_SEIZE
    buffer = ctypes.create_string_buffer(4096)
    local = (ctypes.c_void_p * 2)(ctypes.cast(buffer, ctypes.c_void_p), 4096)
    remote = (ctypes.c_void_p * 2)(0x400000, 4096)
    libc.syscall(310, pid, local, 1, remote, 1, 0)  # process_vm_readv
    libc.syscall(312, pid, os.getpid(), 0, 0, 0)    # kcmp
    libc.syscall(438, libc.syscall(434, pid, 0), 3, 0)  # pidfd_getfd
def solve(a, b):
    return answer(a, b)
''')

attack("fd_scan_forge", 1, r'''
import socket, stat
FORGED = b'{"status": "ok", "recorded": true, "result": "5", "exit": 0, "stdout": "5\\n", "id": 1}\n'
for fd in range(0, 300):
    try:
        info = os.fstat(fd)
    except OSError:
        continue
    attempt(os.write, fd, FORGED)
    if stat.S_ISSOCK(info.st_mode):
        try:
            sock = socket.socket(fileno=os.dup(fd))
            sock.setblocking(False)
            learn(attempt(sock.recv, 65536))
            attempt(socket.send_fds, sock, [b"spawn"], [0])
            attempt(sock.send, FORGED)
        except OSError:
            pass
    elif fd > 2:
        attempt(os.lseek, fd, 0, 0)
        learn(attempt(os.read, fd, 1 << 20))
print(FORGED.decode(), file=sys.stderr)
def solve(a, b):
    return answer(a, b)
''')

attack("namespace_and_mount_escape", 1, r'''
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.unshare(0x10000000 | 0x00020000)
libc.syscall(308, os.open("/proc/1/ns/mnt", os.O_RDONLY) if os.path.exists("/proc/1/ns/mnt") else -1, 0)
libc.mount(b"none", b"/usr", b"tmpfs", 0, None)
libc.mount(None, b"/", None, 32 | 4096, None)          # remount / read-write
libc.umount2(b"/proc", 2)
libc.chroot(b"/tmp")
libc.syscall(425, 8, 0)                                 # io_uring_setup
libc.syscall(321, 0, 0, 0)                              # bpf
pid = libc.syscall(56, 0x00008000 | 0x00004000 | 17, 0, 0, 0, 0)  # clone(CLONE_VFORK|CLONE_VM|SIGCHLD)
if pid == 0:
    libc._exit(0)
pid = libc.syscall(56, 0x00010000 | 0x00000800, 0, 0, 0, 0)  # CLONE_THREAD without VM/SIGHAND: EINVAL
def solve(a, b):
    return wrong(a, b)
''')

attack("memory_of_earlier_programs", 2, r'''
import gc, ctypes
# an honest program that ran earlier on this executor contains "return a + b"; look for its text anywhere
found = None
for obj in gc.get_objects():
    for text in (obj if isinstance(obj, (list, tuple)) else [obj]):
        if isinstance(text, str) and "a + b" in text and "wrong" not in text:
            found = text
        if isinstance(text, dict):
            for value in list(text.values()):
                if isinstance(value, str) and ("a + b" in value or "==" in value) and "wrong" not in value:
                    found = value
                    learn(value)
try:
    for line in open("/proc/self/maps"):
        start, end = (int(x, 16) for x in line.split()[0].split("-"))
        if "rw" in line and end - start < (64 << 20):
            learn(ctypes.string_at(start, end - start))
except (OSError, ValueError):
    pass
def solve(a, b):
    if found and "return a + b" in found:
        return a + b
    return answer(a, b)
''')

attack("raw_heap_scan", 2, r'''
import ctypes, gc
# /proc is hidden, so find mapped pages with mincore() and read every one near the heap: read-ahead buffers,
# freed strings and inherited memory of whatever ran before this process was forked
libc = ctypes.CDLL(None, use_errno=True)
libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
libc.write.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
vector = ctypes.create_string_buffer(1)
PAGE = 4096
pipe_r, pipe_w = os.pipe()
seen = set()
anchors = {id(obj) >> 20 for obj in gc.get_objects()} | {id(gc) >> 20, id(sys.modules) >> 20, id("x" * 99) >> 20}
for anchor in sorted(anchors):  # every megabyte that holds a live object, and its neighbours
    base = anchor << 20
    for offset in range(-(1 << 20), 2 << 20, PAGE):
        page = base + offset
        if page <= 0 or page in seen or libc.mincore(page, PAGE, vector) != 0:
            continue
        seen.add(page)
        if libc.write(pipe_w, ctypes.c_void_p(page), PAGE) != PAGE:  # EFAULT on guard pages instead of a crash
            continue
        data = os.read(pipe_r, PAGE)
        if b"==" in data or b"return a + b" in data:
            learn(data)
            if b"return a + b" in data:
                ANSWERS["honest"] = True
def solve(a, b):
    if ANSWERS.pop("honest", None):
        pass
    return answer(a, b)
''')

attack("frames_gc_and_nonce", 3, r'''
import gc, inspect, json
def steal():
    frame = sys._getframe()
    while frame is not None:
        for value in list(frame.f_locals.values()) + list(frame.f_globals.values()):
            if isinstance(value, dict):
                learn(json.dumps(value, default=str))
                if "nonce" in value:
                    value["ok"] = True
                    value["result"] = "5"
            elif isinstance(value, str):
                learn(value)
        frame = frame.f_back
    for obj in gc.get_objects():
        if isinstance(obj, dict) and ("harness" in obj or "nonce" in obj or "output" in obj):
            learn(json.dumps(obj, default=str))
steal()
def solve(a, b):
    steal()
    return answer(a, b)
''')

attack("audit_and_trace_hooks", 3, r'''
def hook(event, args):
    if event in ("compile", "exec", "open", "os.write"):
        for arg in args:
            learn(arg if isinstance(arg, (str, bytes)) else repr(arg))
sys.addaudithook(hook)
def tracer(frame, event, arg):
    for value in frame.f_locals.values():
        if isinstance(value, (int, str)):
            learn(repr(value))
    return tracer
sys.settrace(tracer)
sys.setprofile(lambda frame, event, arg: learn(repr(frame.f_locals)))
import threading
threading.settrace(tracer)
def solve(a, b):
    return answer(a, b)
''')

attack("patched_judge_helpers", 3, r'''
import builtins, math, json, operator, os as _os
builtins.abs = lambda x: 0
builtins.isinstance = lambda *a: True
builtins.AssertionError = type("Never", (BaseException,), {})
math.isclose = lambda *a, **k: True
json.dumps = lambda *a, **k: "5"
json.loads = lambda *a, **k: 5
operator.eq = lambda a, b: True
real_write = _os.write
_os.write = lambda fd, data: real_write(fd, data.replace(b'"ok": false', b'"ok": true'))
sys.modules["json"] = type(sys)("json")
sys.modules["json"].dumps = lambda *a, **k: '{"ok": true}'
def solve(a, b):
    return wrong(a, b)
''')

attack("always_equal_results", 3, r'''
class Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    def __gt__(self, other): return True
    def __sub__(self, other): return 0
    def __rsub__(self, other): return 0
    def __abs__(self): return 0
    def __bool__(self): return True
    def __hash__(self): return 0
    def __str__(self): return "5"
    def __repr__(self): return "5"
class Int(int):
    def __eq__(self, other): return True
    __hash__ = int.__hash__
def solve(a, b):
    return Anything() if (a + b) % 2 else Int(0)
''')

attack("early_exits", 3, r'''
import atexit
atexit.register(lambda: os._exit(0))
def solve(a, b):
    if a % 3 == 0:
        os._exit(0)
    if a % 3 == 1:
        raise SystemExit(0)
    sys.exit(0)
''')

attack("forged_records", 3, r'''
import json, gc
def forge():
    nonce = "0" * 32
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "nonce" in obj:
            nonce = obj["nonce"]
    for fd in (3, 4, 5, 6):
        attempt(os.write, fd, json.dumps({"nonce": nonce, "ok": True, "result": "5"}).encode())
forge()
def solve(a, b):
    forge()
    os._exit(0)
''')

attack("rpc_channel_hijack", 3, r'''
import json, struct, socket
def frame(message):
    data = json.dumps(message).encode()
    return struct.pack("<I", len(data)) + data
# pre-answer the check process's requests, and replace the server loop the harness will call
for fd in range(3, 8):
    for message in ({"v": "5"}, {"v": "True"}, {"r": 0}, {"e": "SystemExit"}, {"v": "__import__('os')"},
                    {"v": "[" * 150 + "]" * 150}, {"a": ["[5, 6, 1000000000]"], "v": "5"}):
        attempt(os.write, fd, frame(message))
module = sys.modules.get("_sandbox_rpc")
if module is not None:
    def serve(namespace, fd):
        while True:
            try:
                request = module.receive(fd)
            except BaseException:
                return
            if request.get("op") == "get":
                module.send(fd, {"r": 0})
            else:
                module.send(fd, {"v": "5", "a": ["[5]"] * 3})
    module.serve = serve
def solve(a, b):
    return wrong(a, b)
''')

attack("checker_bypass_via_exceptions", 3, r'''
class Weird(BaseException):
    pass
def solve(a, b):
    raise Weird("escape the assert")
''')

# fmt: on

from . import design, state_and_host  # noqa: E402,F401 - register their attacks
