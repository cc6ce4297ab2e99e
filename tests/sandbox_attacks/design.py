"""Battery attacks on the seams of the per-program design (issue 20). See `programs` for how attacks are run."""

from .programs import attack

# The seams of the per-program design. DESIGN_CLASS maps each attack to issue 20's root-cause class: 1 a record the
# program's interpreter writes changes its verdict; 2 names it never defined resolve to ours; 3 exceptions crossing
# the assert channel; 4 the check process taking names from the solution; 5 caps revealing the expected output;
# 6 host kernel resources (threads, inotify/fanotify, locks, ptys, signals, OOM score).
DESIGN_CLASS: dict[str, int] = {}


def design_attack(name: str, design_class: int, kind: int, source: str) -> None:
    attack(name, kind, source)
    DESIGN_CLASS[name] = design_class


# fmt: off
design_attack("forge_own_record_unjudgeable", 1, 3, r'''
import gc
def forge():
    for record in [o for o in gc.get_objects() if isinstance(o, dict) and "nonce" in o]:
        record.update(unsupported="the tests pass a lambda", ok=False, error=None)
        for fd in (3, 4, 5):
            attempt(os.write, fd, json.dumps(record).encode())
        os._exit(0)
forge()
def solve(a, b):
    forge()
    return wrong(a, b)
''')

design_attack("preamble_names_as_the_answer", 2, 3, r'''
import builtins
for name in ("gcd", "comb", "prod", "add", "sum", "solve", "List", "Counter"):
    attempt(setattr, builtins, name, lambda *a, **k: a[0] + a[1] if len(a) > 1 else a)
def solve(a, b):
    helper = globals().get("gcd") or getattr(builtins, "add", None)
    return wrong(a, b)
''')

design_attack("stop_iteration_through_the_channel", 3, 3, r'''
import asyncio
KINDS = [StopIteration, StopAsyncIteration, GeneratorExit, asyncio.CancelledError, KeyboardInterrupt]
CALLS = [0]
def solve(a, b):
    CALLS[0] += 1
    raise KINDS[CALLS[0] % len(KINDS)]("done")
''')

design_attack("solution_supplies_modules_and_helpers", 4, 3, r'''
import math, sys, builtins, operator
class Yes(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    def __abs__(self): return 0.0
    def __sub__(self, other): return 0.0
    __rsub__ = __sub__
math.isclose = lambda *a, **k: True
math.fabs = lambda x: 0.0
sys.modules["math"] = math
isclose = gcd = lambda *a, **k: True
abs = lambda x: 0
def check(candidate):  # a harness-shaped name the tests might call without defining
    return True
def solve(a, b):
    return [Yes(wrong(a, b))][0]
''')

design_attack("read_the_caps", 5, 5, r'''
import resource
LIMITS = [resource.getrlimit(getattr(resource, n)) for n in dir(resource) if n.startswith("RLIMIT_")]
def solve(a, b):
    # an output cap derived from the expected answer would differ between tests whose answers differ in length
    return wrong(a, b) + (0 * sum(s for s, _ in LIMITS if s > 0))
''')

design_attack("host_kernel_resources", 6, 5, r'''
import ctypes, fcntl, struct, threading, time, signal, resource
libc = ctypes.CDLL(None, use_errno=True)
handles = [libc.inotify_init1(0), libc.syscall(253), libc.fanotify_init(0, 0)]
for fd in handles:
    if fd >= 0:
        libc.inotify_add_watch(fd, b"/usr", 0xFFF)
        learn(attempt(os.read, fd, 4096))
for path in ("/usr/lib/os-release", "/etc/ld.so.cache", "/usr"):
    fd = attempt(os.open, path, os.O_RDONLY)
    if isinstance(fd, int):
        libc.flock(fd, 2 | 4)
        attempt(fcntl.fcntl, fd, 37, struct.pack("hhqqi", 0, 0, 0, 0, 0))
for path in ("/dev/ptmx", "/dev/pts/ptmx", "/dev/tty"):
    attempt(os.open, path, os.O_RDWR)
attempt(lambda: open("/proc/self/oom_score_adj", "w").write("-1000"))
attempt(resource.setrlimit, resource.RLIMIT_SIGPENDING, (1 << 20, 1 << 20))
signal.signal(signal.SIGRTMIN, signal.SIG_IGN)
for _ in range(2000):
    if libc.syscall(129, os.getpid(), signal.SIGRTMIN, None) != 0:  # queue signals until refused
        break
threading.stack_size(32 << 10)
held = 0
try:
    for _ in range(600):  # bounded far below the host's pids: the executor's cap stops it first
        threading.Thread(target=time.sleep, args=(0.5,), daemon=True).start()
        held += 1
except RuntimeError:
    pass
def solve(a, b):
    return wrong(a, b)
''')
# fmt: on
