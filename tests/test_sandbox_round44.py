"""Round 43's lead, confirmed: in an assert suite of several tests, the init forked the next test's solution
process before emptying the tests' tmpfs, so a solution that had changed that tmpfs's mode brought the init down and
every later test failed as "the program brought its own sandbox down". The init now restores the tmpfs first, and
if it still cannot make the files, that test alone fails as the program's doing."""

from __future__ import annotations

import json
import resource

import pytest
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.code.formats import CodeTest, CodeTestSuite, normalize_tests
from archer_trl.rewards.code.judge import Judge
from archer_trl.rewards.code.reward import CodeReward, run_program

CHMOD_AT_IMPORT = "import os\nos.chmod('/sandbox/io', 0)\n\ndef f(x):\n    return x + 1\n"


@needs_bwrap
def test_an_assert_suite_of_several_tests_survives_a_solution_that_locks_its_files_tmpfs():
    suite = CodeTestSuite("assert", [CodeTest(None, None)] * 3, harness="assert f(1) == 2", entry_points=["f"])
    verdict = run_program(CHMOD_AT_IMPORT, suite, stop_on_failure=False)
    assert verdict.infrastructure_error is None, verdict
    assert verdict.statuses == ["pass", "pass", "pass"], verdict
    wrong = CHMOD_AT_IMPORT.replace("x + 1", "x + 2")
    verdict = run_program(wrong, suite, stop_on_failure=False)
    assert verdict.infrastructure_error is None and verdict.statuses == ["error"] * 3, verdict
    assert verdict.first_failure["error"].startswith("AssertionError"), verdict  # its own failure, not the init's


def _scores(harness: str, programs: list[str]) -> list:
    tests = json.dumps({"functional": harness})
    return CodeReward(num_workers=2)([f"```python\n{p}\n```" for p in programs], tests=[tests] * len(programs))


# Round 43's fidelity findings: a NaN the test code sent lost its identity in any container the solution changed
# (``n in a`` and ``d[n]`` stopped finding it), and a copy of it counted as a NaN of the solution's making. NaNs now
# cross numbered, like containers: the test code's own object comes back.
@needs_bwrap
@pytest.mark.parametrize(
    ("harness", "honest", "adding"),
    [
        (
            "import math\na = [float('nan')]\nb = []\ncopy_first(a, b)\nassert len(b) == 1 and math.isnan(b[0])\n",
            "def copy_first(a, b):\n    b.append(a[0])\n",
            "def copy_first(a, b):\n    b.append(float('nan'))\n",
        ),
        (
            "n = float('nan')\na = [n]\ngrow(a)\nassert n in a and a[1] == 1\n",
            "def grow(a):\n    a.append(1)\n",
            "def grow(a):\n    a.append(float('nan'))\n",
        ),
        (
            "n = float('nan')\ns = {n}\ngrow(s)\nassert n in s and 1 in s\n",
            "def grow(s):\n    s.add(1)\n",
            "def grow(s):\n    s.add(1)\n    s.add(float('nan'))\n",
        ),
        (
            "n = float('nan')\nd = {n: 0}\ngrow(d)\nassert d[n] == 0 and d['k'] == 1\n",
            "def grow(d):\n    d['k'] = 1\n",
            "def grow(d):\n    d['k'] = 1\n    d[float('nan')] = 2\n",
        ),
        (
            "n = float('nan')\na = [n]\ngrow(a)\nassert a[0] is n and len(a) == 2\n",
            "def grow(a):\n    a.append(a[0])\n",
            "def grow(a):\n    a.append(complex('nan'))\n",
        ),
    ],
)
def test_a_nan_the_test_code_sent_keeps_its_identity(harness: str, honest: str, adding: str) -> None:
    assert _scores(harness, [honest, adding]) == [1.0, 0.0]


@needs_bwrap
def test_a_nan_of_the_solutions_making_still_fails_negated_checks() -> None:
    harness = "n = float('nan')\na = [n, 5.0]\ncap(a, 3.0)\nassert not (a[1] > 3.0)\nassert not (a[1] < 3.0)\n"
    moving = "def cap(xs, hi):\n    xs[1] = xs[0]\n"  # the test's own NaN, moved: plain Python passes it too
    making = "def cap(xs, hi):\n    xs[1] = float('nan')\n"
    assert _scores(harness, [moving, making]) == [1.0, 0.0]


STDIN_SUITE = {"inputs": ["1 2\n", "3 4\n"], "outputs": ["3\n", "7\n"]}


def _stdin_scores(programs: list[str]) -> list:
    tests = json.dumps(STDIN_SUITE)
    return CodeReward(num_workers=2)([f"```python\n{p}\n```" for p in programs], tests=[tests] * len(programs))


# Red-team round 44 (F2): the test process ended with ``os._exit``, so nothing Python does at exit ran: exit handlers
# (the fast-output idiom of competitive programmers) and file objects never closed lost their output (0.0 where
# plain Python passes), and a handler that printed junk after a right answer went unseen (1.0 where plain Python fails).
@needs_bwrap
@pytest.mark.parametrize(
    ("program", "paid"),
    [
        (
            "import atexit, os\nout = []\natexit.register(lambda: os.write(1, ''.join(out).encode()))\n"
            "a, b = map(int, input().split())\nout.append(str(a + b) + '\\n')\n",
            1.0,
        ),
        ("import atexit\na, b = map(int, input().split())\natexit.register(print, a + b)\n", 1.0),
        ("a, b = map(int, input().split())\nout = open(1, 'w')\nout.write(str(a + b) + '\\n')\n", 1.0),
        (
            "import io, os\nw = io.BufferedWriter(io.FileIO(os.dup(1), 'w'))\na, b = map(int, input().split())\n"
            "w.write(b'%d\\n' % (a + b))\n",
            1.0,
        ),
        ("import atexit, sys\natexit.register(lambda: sys.exit(3))\nprint(sum(map(int, input().split())))\n", 1.0),
        (  # plain Python prints the junk too
            "import atexit, sys\nprint(sum(map(int, input().split())))\natexit.register(lambda: sys.stdout.write('x\\n'))\n",
            0.0,
        ),
        (  # and exits with status 1
            "import atexit, os\nprint(sum(map(int, input().split())), flush=True)\natexit.register(os._exit, 1)\n",
            0.0,
        ),
        ("import atexit\na, b = map(int, input().split())\natexit.register(print, a - b)\n", 0.0),
        (  # round 46: a writer over a writer, flushed layer by layer
            "import io\nw = io.BufferedWriter(io.BufferedWriter(io.FileIO(1, 'w', closefd=False)))\n"
            "w.write(b'%d\\n' % sum(map(int, input().split())))\n",
            1.0,
        ),
    ],
)
def test_what_python_does_at_exit_runs(program: str, paid: float) -> None:
    assert _stdin_scores([program]) == [paid]


# Red-team round 44 (F1): the judge refused, unread, a stdout over 16 times the expected plus 1 MiB, though padding
# that its comparison ignores (trailing blanks, a run of spaces between tokens) made a right answer that long.
@pytest.mark.parametrize(
    ("stdout", "verdict"),
    [
        (b"3 3" + b" " * (2 << 20), "pass"),
        (b"3" + b" " * (3 << 20) + b"3", "pass"),
        (b"3 3" + b"\n" * (3 << 20), "pass"),
        (b"3\t \r3" + b"\x0b" * (2 << 20) + b"\n", "pass"),
        (b"3 3\n" + b"\n" * (2 << 20) + b"4", "wrong"),  # lines are not padding
        (b"3" + b" " * (3 << 20) + b"4", "wrong"),
        (b"3 3" + b"x" * (2 << 20), "wrong"),
    ],
)
def test_padding_the_comparison_ignores_does_not_count_against_the_bound(stdout: bytes, verdict: str) -> None:
    suite = normalize_tests(json.dumps({"inputs": ["1 2\n"], "outputs": ["3 3\n"]}))
    assert Judge()(suite, 0, {"status": "ok", "stdout": stdout}) == verdict


@needs_bwrap
def test_a_right_answer_padded_past_the_bound_passes_in_the_sandbox() -> None:
    padded = "import sys\na, b = map(int, input().split())\nsys.stdout.write(str(a + b) + ' ' * (3 << 20) + '\\n')\n"
    wrong = padded.replace("a + b", "a - b")
    assert _stdin_scores([padded, wrong]) == [1.0, 0.0]


# Red-team round 45 on the round-44 code: 77 attacks, no escape, no self-made None.
@pytest.mark.parametrize("count", [1 << 20, 16 << 20])
def test_a_hostile_output_past_the_bound_costs_the_trainer_no_more_than_the_expected_one(count: int) -> None:
    # F2: collapsing "a a a ..." (a run of blanks per character) before the bound cost gigabytes against a 1 MiB
    # expected output (bound 17 MiB); it is now read in place, one token more than expected at most
    suite = normalize_tests(json.dumps({"inputs": [""], "outputs": ["a " * (1 << 19)]}))
    hostile = b"a " * count
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert Judge()(suite, 0, {"status": "ok", "stdout": hostile}) == "wrong"
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < (64 << 10)  # KiB (round 45: 2.9 GiB)


@needs_bwrap
def test_a_complex_nan_the_test_code_sent_lets_no_nan_of_the_solutions_making_through() -> None:
    # F1: complex NaNs were counted before the call but not numbered, so they were missing from the count after it
    harness = "z = complex('nan')\nb = [1.0, 2.0]\nf(z, b)\nassert not (b[0] > 3)\nassert not (b[1] < 0)\n"
    making = "def f(z, b):\n    b[:] = [float('nan'), float('nan')]\n"
    dropping = "def f(z, b):\n    b[:] = [float('nan'), 5.0]\n"
    assert _scores(harness, [making, dropping]) == [0.0, 0.0]
    stored = "z = complex('nan')\nb = [1.0, 2.0]\nf(z, b)\nassert len(b) == 2 and not (b[0] == 1.0)\n"
    storing = "def f(z, b):\n    b[:] = [z, z]\n"  # the test's own NaN, stored: plain Python passes it too
    assert _scores(stored, [storing, making]) == [1.0, 0.0]
    kwargs = "z = complex('nan')\nb = [1.0]\nf(b, z=(z,))\nassert not (b[0] > 3)\n"
    assert _scores(kwargs, ["def f(b, z):\n    b[0] = float('nan')\n"]) == [0.0]


@needs_bwrap
def test_a_program_that_deletes_its_standard_streams_still_ends_as_python_does() -> None:
    # F3: the test process read sys.stdout outside its guards: the answer was lost and the program failed
    programs = ["import sys\nprint(sum(map(int, input().split())))\ndel sys.stdout\n",
                "import sys\nprint(sum(map(int, input().split())))\ndel sys.stderr\n"]  # fmt: skip
    assert _stdin_scores(programs) == [1.0, 1.0]


# Red-team round 46 on the round-45 code (90 attacks: no escape, no self-made None, no resource finding): values
# crossed by copy, so a result's shared rows came back independent and a returned argument as a copy; a test that
# mutates a result and checks what else changed passed a program plain Python fails (R1). A call's result and its
# write-backs now name the arguments by number and define a new container once.
@needs_bwrap
@pytest.mark.parametrize(
    ("harness", "aliased", "honest"),
    [
        (
            "g = make_grid(3)\nassert g == [[0, 0, 0]] * 3\ng[0][0] = 1\nassert g[1][0] == 0\n",
            "def make_grid(n):\n    return [[0] * n] * n\n",
            "def make_grid(n):\n    return [[0] * n for _ in range(n)]\n",
        ),
        (
            "g = []\ninit_grid(g, 3)\nassert g == [[0, 0, 0]] * 3\ng[0][0] = 1\nassert g[1][0] == 0\n",
            "def init_grid(g, n):\n    g[:] = [[0] * n] * n\n",
            "def init_grid(g, n):\n    g[:] = [[0] * n for _ in range(n)]\n",
        ),
        (
            "a = [1, 2, 2, 3]\nr = dedupe(a)\nassert r == [1, 2, 3]\nr.append(4)\nassert a == [1, 2, 2, 3]\n",
            "def dedupe(a):\n    a[:] = sorted(set(a))\n    return a\n",
            "def dedupe(a):\n    return sorted(set(a))\n",
        ),
    ],
)
def test_a_result_shares_what_it_shares_in_plain_python(harness: str, aliased: str, honest: str) -> None:
    assert _scores(harness, [aliased, honest]) == [0.0, 1.0]


@needs_bwrap
@pytest.mark.parametrize(
    ("harness", "program"),
    [
        ("a = [1]\nassert same(a) is a\n", "def same(a):\n    return a\n"),
        ("b = pair()\nassert b[0] is b[1]\n", "def pair():\n    x = []\n    return [x, x]\n"),
        ("c = []\nfill(c)\nassert c[0] is c[1]\n", "def fill(c):\n    x = [0]\n    c.extend([x, x])\n"),
        ("c = []\nr = fill(c)\nassert r is c[0]\n", "def fill(c):\n    x = [0]\n    c.append(x)\n    return x\n"),
    ],
)
def test_identity_of_a_returned_argument_and_of_a_shared_new_container(harness: str, program: str) -> None:
    assert _scores(harness, [program]) == [1.0]


def _rpc():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "archer_trl" / "rewards" / "sandbox" / "inside"))
    try:
        import rpc
    finally:
        del sys.path[0]
    return rpc


def test_only_what_stands_twice_is_defined() -> None:
    # round 47: a definition per new list made a result of 250,000 pairs six times slower to decode and time out
    rpc = _rpc()
    shared = [0]
    argument = [1]
    numbers = {id(argument): (0, argument)}
    value = [[0], [0], shared, shared, argument]
    text = rpc.encode(value, numbers=numbers, define=rpc.shared_ids([argument, value]))
    assert text == "[[0], [0], _c(1, [0]), _c(1), _c(0)]"
    decoded = rpc.decode(text, objects=[], containers={0: argument})
    assert decoded == value and decoded[2] is decoded[3] and decoded[4] is argument and decoded[0] is not decoded[1]


@pytest.mark.parametrize("key", ["00", "٣", "+0", " 0", "0.0"])
def test_a_write_back_names_a_container_one_way_only(key: str) -> None:
    rpc = _rpc()
    with pytest.raises(ValueError):
        rpc.write_back({0: [1]}, {key: "[2]"})


# Red-team round 48 on the round-47 code (55 attacks: no escape, no self-made None, no resource finding).
@needs_bwrap
def test_a_change_to_a_container_holding_solution_objects_fails_the_call() -> None:
    # H2: a container of the solution's objects does not cross; its states before and after were both "unreadable",
    # compared equal, and a sort in place went unseen by an "input unmodified" check (1.0; plain Python fails)
    harness = "def check(f):\n    xs = [f(3), f(1), f(2)]\n    assert f(xs) == 3\n    assert len(xs) == 3\ncheck(f)\n"
    mutating = (
        "class N:\n    def __init__(s, v):\n        s.v = v\n\ndef f(xs):\n    if type(xs) is int:\n        return N(xs)\n"
        "    xs.sort(key=lambda n: n.v)\n    return xs.pop().v\n"
    )
    honest = mutating.replace(
        "    xs.sort(key=lambda n: n.v)\n    return xs.pop().v\n", "    return max(n.v for n in xs)\n"
    )
    assert _scores(harness, [mutating, honest]) == [0.0, 1.0]


@needs_bwrap
@pytest.mark.parametrize(
    "program",
    [
        # F2: stdout is flushed after an uncaught exception's report and before the exit handlers
        "import atexit, os\natexit.register(os._exit, 0)\nprint(sum(map(int, input().split())))\nraise ValueError\n",
        # F3: the program's own sys.excepthook is called
        "import os, sys\nsys.excepthook = lambda *a: (sys.stdout.flush(), os._exit(0))\n"
        "print(sum(map(int, input().split())))\nraise ValueError\n",
    ],
)
def test_an_uncaught_exception_is_reported_as_python_reports_it(program: str) -> None:
    assert _stdin_scores([program]) == [1.0]


@needs_bwrap
def test_a_file_object_is_flushed_once_at_exit() -> None:
    # F4: four passes ran a flush with side effects four times
    program = (
        "import io, sys\nclass Loud(io.StringIO):\n    def flush(self):\n        sys.stdout.write('x')\n"
        "keep = Loud()\nsys.stdout.write(str(sum(map(int, input().split()))))\n"
    )
    suite = json.dumps({"inputs": ["1 2\n"], "outputs": ["3x\n"]})
    assert CodeReward(num_workers=2)([f"```python\n{program}\n```"], tests=[suite]) == [1.0]


# Red-team round 49 on the round-48 code (55 attacks: no escape, no self-made None, no resource finding).
@needs_bwrap
def test_a_new_value_at_an_old_address_is_still_a_change() -> None:
    # H3: a container of the solution's objects was seen through the ids of its items; a new float could take a
    # freed one's address, so `d["w"] += 1.0` twice went unseen (1.0 on an "unmodified" check; plain Python fails)
    harness = (
        "def check(candidate):\n    node = candidate(None)\n    d = {'node': node, 'w': 1.5}\n"
        "    candidate(d)\n    assert d == {'node': node, 'w': WANT}, d\ncheck(f)\n"
    )
    program = "class Node:\n    pass\n\ndef f(d):\n    if d is None:\n        return Node()\n    d['w'] += 1.0\n    d['w'] += 1.0\n    return 0\n"
    assert _scores(harness.replace("WANT", "1.5"), [program] * 3) == [0.0] * 3
    # the change itself does not cross (a container of solution objects), so a test that expects it fails too
    assert _scores(harness.replace("WANT", "3.5"), [program]) == [0.0]


@needs_bwrap
def test_many_live_file_objects_and_a_wrapper_chain_end_in_time() -> None:
    # F1: ordering the live file objects at exit was quadratic (30,000 StringIO objects timed out)
    many = "import io\nkeep = [io.StringIO() for _ in range(30000)]\nprint(sum(map(int, input().split())))\n"
    # F3: a program's own .buffer property is its code; the end of the program never reads it
    prop = (
        "import io, sys\nclass W(io.StringIO):\n    @property\n    def buffer(self):\n        print('boo')\n"
        "        return None\nkeep = W()\nprint(sum(map(int, input().split())))\n"
    )
    assert _stdin_scores([many, prop]) == [1.0, 1.0]


# Red-team round 50 on the round-49 code (85 attacks: no escape, no self-made None).
@needs_bwrap
def test_a_solution_object_crosses_as_the_same_proxy_each_time() -> None:
    # H-r50-1: each reply made a new proxy, so a "copy" that returned the original passed `cp is not head` (1.0;
    # plain Python fails), and `c('get') is c('get')` failed an honest program
    harness = (
        "def check(c):\n    head = c('build', [1, 2, 3])\n    cp = c('copy', head)\n    assert cp is not head\n"
        "    assert c('same', head) is head\ncheck(f)\n"
    )
    program = (
        "class Node:\n    def __init__(s, v, nxt=None):\n        s.val, s.next = v, nxt\n\n"
        "def f(op, x=None):\n    if op == 'build':\n        h = None\n        for v in reversed(x):\n"
        "            h = Node(v, h)\n        return h\n    if op == 'same':\n        return x\n    return COPY\n"
    )
    original, copied = program.replace("COPY", "x"), program.replace("COPY", "Node(x.val, x.next)")
    assert _scores(harness, [original, copied]) == [0.0, 1.0]
