"""Attacks on the code reward, each in the real bubblewrap sandbox. Every attack must be contained (the program scores
0.0, never 1.0 and never None), leave no trace on the host, and leave the caller and its executors working.

Most attacks are stdin programs whose expected output is exactly what a *successful* attack would print (a planted
secret, "wrote", "forked", ...): a sandbox that let the attack through would score 1.0. The controls show that an
honest program printing the same expected output does score 1.0.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from archer_trl.rewards import make_code_reward, run_program
from archer_trl.rewards.sandbox import get_pool

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")

TEST_TIMEOUT = 2.0


def block(code: str) -> str:
    return f"```python\n{code.strip()}\n```"


def stdin_tests(expected: str) -> dict:
    return {"inputs": ["\n"], "outputs": [expected + "\n"]}


@pytest.fixture(scope="module")
def reward():
    return make_code_reward(num_workers=2, test_timeout=TEST_TIMEOUT)


@pytest.fixture
def loopback_server():
    """A TCP server on the host's loopback that hands a secret to anyone who connects, and records connections."""
    secret = secrets.token_hex(8)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted: list = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, peer = server.accept()
            except OSError:
                continue
            accepted.append(peer)
            connection.sendall(secret.encode())
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], secret, accepted
    stop.set()
    thread.join()
    server.close()


def test_control_an_honest_program_printing_the_expected_output_scores_one(reward):
    assert reward(
        [block("print('wrote')"), block("input()\nprint('forked')")], [stdin_tests("wrote"), stdin_tests("forked")]
    ) == [1.0, 1.0]


def test_network_to_the_host_loopback_is_unreachable(reward, loopback_server):
    port, secret, accepted = loopback_server
    attempts = [
        f"import socket\ns = socket.create_connection(('127.0.0.1', {port}), timeout=1)\nprint(s.recv(100).decode())",
        f"import socket\ns = socket.socket(socket.AF_INET6)\ns.connect(('::1', {port}))\nprint(s.recv(100).decode())",
        "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        f"s.sendto(b'x', ('127.0.0.1', {port}))\nprint('{secret}')",
        # a raw syscall, bypassing Python's socket module
        f"import ctypes\nfd = ctypes.CDLL(None).syscall(41, 2, 1, 0)\nprint('{secret}' if fd >= 0 else 'blocked')",
    ]
    assert reward([block(code) for code in attempts], [stdin_tests(secret)] * len(attempts)) == [0.0] * len(attempts)
    assert accepted == []
    verdict = run_program(attempts[0], stdin_tests(secret))
    assert "PermissionError" in verdict.first_failure["error"]  # the seccomp filter refuses AF_INET sockets


def test_abstract_unix_sockets_of_the_host_are_unreachable(reward):
    name = "\0archer-test-" + secrets.token_hex(6)
    secret = secrets.token_hex(8)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(name)
    server.listen()
    server.settimeout(0.1)
    try:
        code = (
            f"import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect({name!r})\n"
            f"print({secret!r} if s.fileno() >= 0 else '')"
        )
        assert reward([block(code)], [stdin_tests(secret)]) == [0.0]
        with pytest.raises(TimeoutError):
            server.accept()
    finally:
        server.close()


def test_writes_outside_the_sandbox_fail_and_leave_no_trace(reward, tmp_path):
    targets = [tmp_path / "escaped.txt", Path("/usr/lib/archer-escaped"), Path(__file__).with_name("escaped.py")]
    code = (
        "import os\nwrote = False\n"
        f"for path in {[str(t) for t in targets]!r}:\n"
        "    try:\n        open(path, 'w').write('x'); wrote = True\n    except OSError:\n        pass\n"
        "print('wrote' if wrote else 'blocked')"
    )
    assert reward([block(code)], [stdin_tests("wrote")]) == [0.0]
    assert not any(t.exists() for t in targets)


def test_host_files_and_secrets_are_not_readable(reward, tmp_path):
    secret = secrets.token_hex(12)
    planted = tmp_path / "secret.txt"
    planted.write_text(secret)
    hf_token = Path.home() / ".cache" / "huggingface" / "token"
    readers = [
        f"print(open({str(planted)!r}).read())",
        f"print(open({__file__!r}).read()[:10])",  # the project's own files
        f"print(open({str(hf_token)!r}).read())",
        "print(open('/etc/shadow').read()[:10])",
        # a shell does not help: execve is allowed, but the files are not there
        f"import os\nos.execv('/bin/sh', ['sh', '-c', 'cat {planted}'])",
    ]
    expected = [secret, Path(__file__).read_text()[:10], secret, "root", secret]
    assert reward([block(c) for c in readers], [stdin_tests(e) for e in expected]) == [0.0] * len(readers)


def test_secrets_in_the_trainers_environment_do_not_reach_the_program(monkeypatch):
    secret = secrets.token_hex(12)
    monkeypatch.setenv("ARCHER_ATTACK_SECRET", secret)
    monkeypatch.setenv("HF_TOKEN", secret)
    # a configuration not used before: its executors start now, after the secret was planted
    reward = make_code_reward(num_workers=1, test_timeout=TEST_TIMEOUT, memory_bytes=(2 << 30) - (1 << 20))
    readers = [
        "import os\nprint(os.environ.get('ARCHER_ATTACK_SECRET', 'absent'))",
        "import os\nprint(os.environ.get('HF_TOKEN', 'absent'))",
        "print(open('/proc/self/environ').read())",
        "import os\nprint(open('/proc/{}/environ'.format(os.getppid())).read())",
        "import os\nprint(' '.join(open(f'/proc/{p}/environ').read() for p in os.listdir('/proc') if p.isdigit()))",
    ]
    assert reward([block(c) for c in readers], [stdin_tests(secret)] * len(readers)) == [0.0] * len(readers)
    assert reward([block(f"print({secret!r})")], [stdin_tests(secret)]) == [1.0]  # control


def test_fork_bombs_and_process_creation_are_refused(reward):
    attempts = [
        "import os\nfor _ in range(64):\n    os.fork()\nprint('forked')",
        "import subprocess\nsubprocess.run(['true'])\nprint('forked')",
        "import multiprocessing\np = multiprocessing.Process(target=print)\np.start()\nprint('forked')",
        "import os\nos.posix_spawn('/bin/true', ['true'], {})\nprint('forked')",
        # raw fork (57) and clone(SIGCHLD) (56) syscalls, past any Python-level guard
        "import ctypes\nlibc = ctypes.CDLL(None)\npid = libc.syscall(57)\nif pid == 0:\n    libc._exit(0)\n"
        "print('forked' if pid > 0 else 'blocked')",
        "import ctypes\nlibc = ctypes.CDLL(None)\npid = libc.syscall(56, 17, 0, 0, 0, 0)\nif pid == 0:\n    libc._exit(0)\n"
        "print('forked' if pid > 0 else 'blocked')",
    ]
    assert reward([block(c) for c in attempts], [stdin_tests("forked")] * len(attempts)) == [0.0] * len(attempts)
    verdict = run_program(attempts[0], stdin_tests("forked"))
    assert verdict.first_failure["error"].startswith("PermissionError")
    threads = "import threading\nt = threading.Thread(target=print, args=('forked',))\nt.start()\nt.join()"
    assert reward([block(threads)], [stdin_tests("forked")]) == [1.0]  # threads are still allowed


def test_huge_allocations_fail_fast_with_memory_error(reward):
    attempts = ["x = bytearray(10 * 1024 ** 3)\nprint('allocated')", "x = [0] * (10 ** 10)\nprint('allocated')"]
    assert reward([block(c) for c in attempts], [stdin_tests("allocated")] * 2) == [0.0, 0.0]
    verdict = run_program(attempts[0], stdin_tests("allocated"))
    assert verdict.statuses == ["error"] and verdict.first_failure["error"].startswith("MemoryError")


def test_loops_and_sleeps_are_killed_at_the_deadline(reward):
    attempts = [
        "while True:\n    pass",
        "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass",
        "import time\ntime.sleep(10 ** 6)",
        "import signal, time\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):\n"
        "    signal.signal(s, signal.SIG_IGN)\nwhile True:\n    time.sleep(1)",
        "import threading, time\nthreading.Thread(target=lambda: time.sleep(10 ** 6)).start()\nprint('done')",
    ]
    start = time.monotonic()
    scores = reward([block(c) for c in attempts], [stdin_tests("done")] * len(attempts))
    assert scores == [0.0] * len(attempts)
    assert time.monotonic() - start < len(attempts) * TEST_TIMEOUT + 60  # bounded (loose: shared CI machines)
    for code in attempts[:3]:
        assert run_program(code, stdin_tests("done"), test_timeout=1.0).statuses == ["timeout"]


def test_killing_the_parent_or_the_template_fails_and_the_executor_survives():
    reward = make_code_reward(num_workers=1, test_timeout=TEST_TIMEOUT, memory_bytes=(2 << 30) - (2 << 20))
    pool = get_pool(reward.config, 1)
    reward([block("print(1)")], [stdin_tests("1")])
    (executor,) = pool._idle
    template = executor.hello["pid"]
    attempts = [
        "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nprint('killed')",
        "import os, signal\nos.kill(1, signal.SIGKILL)\nprint('killed')",
        "import os, signal\nos.kill(-1, signal.SIGKILL)\nprint('killed')",
        f"import os, signal\nos.kill({os.getpid()}, signal.SIGKILL)\nprint('killed')",  # the trainer's host pid
        "import os, signal\nos.killpg(os.getpgid(os.getppid()), signal.SIGKILL)\nprint('killed')",
        "import os\nos.setpgid(0, os.getpgid(os.getppid()))\nos.kill(0, 9)\nprint('killed')",
        "import os, resource\nresource.prlimit(os.getppid(), resource.RLIMIT_CPU, (0, 0))\nprint('killed')",
        "import ctypes, os\nassert ctypes.CDLL(None).ptrace(16, os.getppid(), 0, 0) == 0\nprint('killed')",
        "import os\nfd = os.pidfd_open(os.getppid())\nprint('killed')",
    ]
    assert reward([block(c) for c in attempts], [stdin_tests("killed")] * len(attempts)) == [0.0] * len(attempts)
    assert pool._idle == [executor] and executor.alive and executor.hello["pid"] == template
    assert reward([block("print(2)")], [stdin_tests("2")]) == [1.0]
    assert executor.programs_run == 1 + len(attempts) + 1


def test_the_templates_memory_and_reply_pipe_are_out_of_reach(reward):
    forge = (
        "import json, os\nparent = os.getppid()\nforged = 0\n"
        "for fd in os.listdir(f'/proc/{parent}/fd'):\n"
        "    try:\n"
        "        with open(f'/proc/{parent}/fd/{fd}', 'w') as pipe:\n"
        "            pipe.write(json.dumps({'status': 'ok', 'recorded': True, 'exit': 0}) + '\\n')\n"
        "            forged += 1\n"
        "    except OSError:\n"
        "        pass\n"
        "print('forged' if forged else 'blocked')"
    )
    memory = "import os\nopen(f'/proc/{os.getppid()}/mem', 'rb')\nprint('forged')"
    assert reward([block(forge), block(memory)], [stdin_tests("forged")] * 2) == [0.0, 0.0]
    harness = {"functional": "def check(f):\n    assert f() == 1\ncheck(one)\n"}
    forge_pass = block(forge.replace("print('forged' if forged else 'blocked')", "def one():\n    return 0"))
    assert reward([forge_pass], [harness]) == [0.0]


def test_output_floods_are_capped_and_tmp_is_private_and_emptied(reward):
    floods = [
        "while True:\n    print('x' * 10 ** 6)",
        "import sys\nwhile True:\n    sys.stderr.write('x' * 10 ** 6)",
        "import os\nos.write(1, b'x' * (1 << 30))",
        "i = 0\nwhile True:\n    open(f'/tmp/flood{i}', 'w').write('x' * 10 ** 6)\n    i += 1",
    ]
    assert reward([block(c) for c in floods], [stdin_tests("x")] * len(floods)) == [0.0] * len(floods)
    verdict = run_program(floods[0], stdin_tests("x"))
    assert verdict.statuses == ["output_limit"]
    leftovers = "import os\nprint(len(os.listdir('.')), len(os.listdir('/dev/shm')))"
    assert reward([block(leftovers)] * 4, [stdin_tests("0 0")] * 4) == [1.0] * 4


def test_exiting_early_does_not_pass_an_assert_harness_or_a_call(reward):
    harness = {"functional": "def check(candidate):\n    assert candidate(2, 3) == 5\n\ncheck(add)\n"}
    calls = {"inputs": [[2, 3]], "outputs": [5], "fn_name": "add"}
    honest = block("def add(a, b):\n    return a + b")
    hacks = [
        "import sys\ndef add(a, b):\n    return 0\nsys.exit(0)",
        "import os\ndef add(a, b):\n    return 0\nos._exit(0)",
        "def add(a, b):\n    raise SystemExit(0)",
        "import os\ndef add(a, b):\n    os._exit(0)",
        "import atexit, os\natexit.register(lambda: os._exit(0))\ndef add(a, b):\n    return 0",
        # forging the completion record without knowing the nonce
        "import json, os\nos.write(3, json.dumps({'nonce': '0' * 32, 'ok': True}).encode())\nos._exit(0)",
    ]
    completions = [honest] + [block(h) for h in hacks]
    assert reward(completions, [harness] * len(completions)) == [1.0] + [0.0] * len(hacks)
    assert reward(completions, [calls] * len(completions)) == [1.0] + [0.0] * len(hacks)


def test_always_equal_objects_do_not_pass(reward):
    harness = {"functional": "def check(candidate):\n    assert candidate(2, 3) == 5\n\ncheck(add)\n"}
    calls = {"inputs": [[2, 3]], "outputs": [5], "fn_name": "add"}
    lcb = [{"input": "2\n3", "output": "5", "testtype": "functional"}]
    hacks = [
        "class Anything:\n    def __eq__(self, other):\n        return True\n    __hash__ = object.__hash__\n"
        "def add(a, b):\n    return Anything()",
        "class Int(int):\n    def __eq__(self, other):\n        return True\n    __hash__ = int.__hash__\n"
        "def add(a, b):\n    return Int(0)",
        "class Seq(list):\n    def __eq__(self, other):\n        return True\ndef add(a, b):\n    return Seq()",
    ]
    completions = [block(h) for h in hacks]
    assert reward(completions, [harness] * 3) == [0.0] * 3
    assert reward(completions, [calls] * 3) == [0.0] * 3
    assert reward(completions, [lcb] * 3, fn_name=["add"] * 3) == [0.0] * 3


def test_patched_builtins_do_not_reach_the_harness(reward):
    harness = {"functional": "def check(candidate):\n    assert abs(candidate(1.0) - 0.5) < 1e-6\n\ncheck(half)\n"}
    patched = block("import builtins\nbuiltins.abs = lambda x: 0\ndef half(x):\n    return 7.0")
    honest = block("def half(x):\n    return x / 2")
    assert reward([patched, honest], [harness, harness]) == [0.0, 1.0]


def test_namespace_and_mount_escapes_are_refused(reward):
    attempts = [
        "import ctypes\nassert ctypes.CDLL(None).unshare(0x10000000) == 0\nprint('escaped')",  # CLONE_NEWUSER
        "import ctypes\nassert ctypes.CDLL(None).mount(b'none', b'/tmp', b'tmpfs', 0, None) == 0\nprint('escaped')",
        "import ctypes\nassert ctypes.CDLL(None).chroot(b'/tmp') == 0\nprint('escaped')",
    ]
    assert reward([block(c) for c in attempts], [stdin_tests("escaped")] * 3) == [0.0] * 3


def test_the_caller_keeps_working_after_the_battery(reward):
    assert reward([block("a = input()\nprint('ok')")] * 6, [stdin_tests("ok")] * 6) == [1.0] * 6


def test_a_program_sees_a_private_read_only_world():
    probe = (
        "import os, sys\n"
        "writable = []\n"
        "for d in ('/', '/etc', '/dev', '/sandbox', '/usr', '/root'):\n"
        "    try:\n        open(os.path.join(d, 'x'), 'w')\n        writable.append(d)\n    except OSError:\n        pass\n"
        # the scratch directory is /tmp, or /scratch when the interpreter itself lives under /tmp (a CI checkout)
        "scratch = os.environ['TMPDIR']\n"
        "print(os.listdir('/proc'), os.listdir(scratch), os.listdir('/dev/shm'), writable, os.getpid(),\n"
        "      [p for p in sys.path if p.startswith((scratch, '/sandbox')) or p in ('', '.')])\n"
        "open(os.path.join(scratch, 'left'), 'w').write('x')\nopen('/dev/shm/left', 'w').write('x')"
    )
    for _ in range(2):  # the second run must not see the first one's files
        verdict = run_program(probe, stdin_tests("[] [] [] [] 2 []"))
        assert verdict.statuses == ["pass"], verdict.first_failure
