"""Round 6 of the sandbox red team, its host- and trainer-side regressions (the assert-channel ones are in
``test_sandbox_redteam.py``): the last test overrunning ``program_timeout``; ``sync``/``syncfs`` and the page-cache
probes; a self-sent SIGXCPU; ``select`` above 1024 descriptors in the trainer; trainer memory per hostile reply.
Each is followed by an innocent wrong and an innocent right program on the same reward object."""

from __future__ import annotations

import resource
import shutil
import warnings

import pytest

from archer_trl.rewards import make_code_reward
from archer_trl.rewards.code.reward import run_program

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")


def block(code: str) -> str:
    return f"```python\n{code}\n```"


def test_round6_the_last_test_cannot_overrun_the_programs_budget():
    slow_last = "import time\nn = int(input())\ntime.sleep(1.6 if n == 3 else 0.8)\nprint(n * n)"
    tests = {"inputs": ["1\n", "2\n", "3\n"], "outputs": ["1\n", "4\n", "9\n"]}
    budget = make_code_reward(num_workers=1, test_timeout=4, program_timeout=2.5, max_tests=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = budget([block(slow_last), block("print(0)"), block("print(int(input()) ** 2)")], [tests] * 3)
    assert scores == [0.0, 0.0, 1.0]


def test_round6_host_wide_writeback_and_page_cache_probes_are_refused():
    probe = (
        "import ctypes, os, platform\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "numbers = {'x86_64': (162, 306, 27), 'aarch64': (81, 267, 232)}[platform.machine()]\n"
        "fd = os.open('/usr', os.O_RDONLY)\nout = [libc.syscall(numbers[0]), libc.syscall(numbers[1], fd)]\n"
        "import mmap\nm = mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE)\naddress = ctypes.addressof(ctypes.c_char.from_buffer(m))\n"
        "out.append(libc.syscall(numbers[2], ctypes.c_void_p(address), 4096, ctypes.create_string_buffer(1)))\n"
        "try:\n    os.posix_fadvise(os.open(os.__file__, os.O_RDONLY), 0, 0, os.POSIX_FADV_DONTNEED)\n"
        "    out.append(0)\nexcept OSError:\n    out.append(-1)\n"
        "with open('f', 'wb') as f:\n    f.write(b'x')\n    f.flush()\n    os.fsync(f.fileno())\n"
        "print(*out, ctypes.get_errno() == 1)"
    )
    assert run_program(probe, {"inputs": [""], "outputs": ["-1 -1 -1 -1 True"]}).passed == 1
    assert run_program("import os\nos.sync()\nprint(1)", {"inputs": [""], "outputs": ["1"]}).passed == 1
    assert run_program("print(2)", {"inputs": [""], "outputs": ["1"]}).passed == 0


def test_round6_a_self_sent_sigxcpu_is_an_error_not_a_timeout():
    verdict = run_program(
        "import os, signal\nos.kill(os.getpid(), signal.SIGXCPU)", {"inputs": [""], "outputs": ["1"]}
    )
    assert verdict.statuses == ["error"]
    spin = "while True:\n    pass"
    assert run_program(spin, {"inputs": [""], "outputs": ["1"]}, test_timeout=1).statuses == ["timeout"]


TRAINER_SCRIPT = """
import json, resource, sys, warnings
warnings.simplefilter("ignore")
from archer_trl.rewards import make_code_reward
reward = make_code_reward(num_workers=1, test_timeout=8)
block = lambda code: "```python\\n" + code + "\\n```"
call = {"inputs": [[3]], "outputs": [9], "fn_name": "solve"}
stdin = {"inputs": ["3\\n"], "outputs": ["9\\n"]}
innocent = [block("def solve(n):\\n    return n + n"), block("def solve(n):\\n    return n * n")]
def hwm():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) >> 10
if sys.argv[1] == "fds":  # every socket of the sandbox above 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    held = [open("/dev/null") for _ in range(1100)]
    out = {"fd": held[-1].fileno(), "warm": reward(innocent, [call] * 2)}
    out["scores"] = reward(innocent, [call] * 2)
else:
    out = {"warm": reward(innocent, [call] * 2)}
    flood = "import sys\\nsys.stdout.write('7' * ((32 << 20) - 1))\\n"
    base = hwm()
    out["stdin_scores"] = reward([block(flood)], [stdin])
    out["stdin_mb"] = hwm() - base
    big = "def solve(n):\\n    sys.stdout.write('7' * ((32 << 20) - 1))\\n    return 'z' * ((32 << 20) - 200)"
    out["call_scores"] = reward([block("import sys\\n" + big)], [call])
    out["call_mb"] = hwm() - base
    out["scores"] = reward(innocent, [call] * 2)
print(json.dumps(out))
"""


def trainer_run(mode: str) -> dict:
    import json
    import os
    import subprocess
    import sys

    import archer_trl

    env = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(archer_trl.__file__))}
    done = subprocess.run([sys.executable, "-c", TRAINER_SCRIPT, mode], capture_output=True, text=True, env=env,
                          timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_round6_a_trainer_holding_over_1024_descriptors_still_scores():
    if resource.getrlimit(resource.RLIMIT_NOFILE)[1] < 1200:
        pytest.skip("the hard descriptor limit is below 1200 here")
    out = trainer_run("fds")
    assert out["fd"] > 1024 and out["warm"] == [0.0, 1.0] and out["scores"] == [0.0, 1.0]


def test_round6_one_hostile_reply_costs_the_trainer_one_copy_of_its_output():
    out = trainer_run("memory")  # a 32 MiB stdout (stdin test); a 32 MiB stdout and a 32 MiB result (call test)
    assert out["stdin_scores"] == [0.0] and out["call_scores"] == [0.0] and out["scores"] == [0.0, 1.0]
    assert out["stdin_mb"] < 48 and out["call_mb"] < 80, out  # base64 lines: 128 and 256 MB
