"""The code reward end to end in the real bubblewrap sandbox: every accepted test format, HumanEval, judging rules,
scoring options and infrastructure failures (None for that sample only). Attacks: test_sandbox_attacks.py."""

from __future__ import annotations

import base64
import json
import os
import pickle
import shutil
import signal
import threading
import zlib

import pytest

from archer_trl.rewards import (
    CodeReward,
    SandboxUnavailable,
    code_reward,
    decode_lcb_private_tests,
    extract_code,
    make_code_reward,
    normalize_tests,
    resolve_reward_function,
    run_program,
)
from archer_trl.rewards.code.judge import call_result_matches, json_equal, stdout_matches, tokens_equal
from archer_trl.rewards.sandbox import SandboxConfig, get_pool
from archer_trl.tasks.humaneval import humaneval_completion, humaneval_dataset, humaneval_rows

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")


def block(code: str) -> str:
    return f"Here is my solution.\n```python\n{code.strip()}\n```\n"


ADD = block("a, b = map(int, input().split())\nprint(a + b)")
SUBTRACT = block("a, b = map(int, input().split())\nprint(a - b)")
APPS_STDIN = {"inputs": ["1 2\n", "3 4\n", "10 -3\n"], "outputs": ["3\n", "7\n", "7\n"]}


@pytest.fixture(scope="module")
def reward():
    return make_code_reward(num_workers=2, test_timeout=3.0)


def test_apps_stdin_as_dict_json_text_and_lists_of_lines(reward):
    lines = {"inputs": [["1 2"], ["3 4"]], "outputs": [["3"], ["7"]]}
    rows = [APPS_STDIN, json.dumps(APPS_STDIN), {"input_output": json.dumps(APPS_STDIN)}, lines]
    assert reward([ADD] * 4, rows) == [1.0] * 4
    assert reward([SUBTRACT] * 4, rows) == [0.0] * 4


def test_apps_call_based_accepts_wrapped_outputs_tuples_and_solution_classes(reward):
    tests = {"inputs": [[[1, 2, 3]], [[4]], [[]]], "outputs": [[6], [4], [0]], "fn_name": "total"}
    plain = block("def total(xs):\n    return sum(xs)")
    method = block("class Solution:\n    def total(self, xs):\n        return sum(xs)")
    wrong = block("def total(xs):\n    return len(xs)")
    pairs = {"inputs": [[3, 4]], "outputs": [[3, 4]], "fn_name": "pair"}
    as_tuple = block("def pair(a, b):\n    return (a, b)")
    assert reward([plain, method, wrong, as_tuple], [tests, tests, tests, pairs]) == [1.0, 1.0, 0.0, 1.0]


def test_livecodebench_stdin_and_functional_with_fn_name_from_metadata(reward):
    stdin_tests = json.dumps([{"input": "2 3\n", "output": "5\n", "testtype": "stdin"}])
    functional = json.dumps(
        [
            {"input": "[1,2,3,4]\n2", "output": "7", "testtype": "functional"},
            {"input": "[5]\n1", "output": "5", "testtype": "functional"},
        ]
    )
    metadata = json.dumps({"func_name": "maxSum"})
    # LeetCode-style: `List` is used without an import, as LeetCode and LiveCodeBench allow
    solution = block(
        "class Solution:\n    def maxSum(self, nums: List[int], k: int) -> int:\n"
        "        return max(sum(nums[i:i + k]) for i in range(len(nums) - k + 1))"
    )
    wrong = block("class Solution:\n    def maxSum(self, nums, k):\n        return sum(nums)")
    scores = reward([ADD, solution, wrong], [stdin_tests, functional, functional], metadata=[None, metadata, metadata])
    assert scores == [1.0, 1.0, 0.0]
    assert reward([solution], [functional], fn_name=["maxSum"]) == [1.0]


def lcb_compress(obj) -> str:
    return base64.b64encode(zlib.compress(pickle.dumps(json.dumps(obj)))).decode()


class _Exploit:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_livecodebench_compressed_private_tests_and_a_malicious_pickle(reward, tmp_path):
    private = lcb_compress([{"input": "5 6\n", "output": "11\n", "testtype": "stdin"}])
    assert decode_lcb_private_tests(private)[0]["output"] == "11\n"
    assert reward([ADD, SUBTRACT], [private, private]) == [1.0, 0.0]

    canary = tmp_path / "pwned"
    malicious = base64.b64encode(zlib.compress(pickle.dumps(_Exploit(str(canary))))).decode()
    with pytest.raises(ValueError, match="refusing to unpickle builtins.*open|refusing to unpickle io.open"):
        decode_lcb_private_tests(malicious)
    with pytest.warns(UserWarning, match="unusable tests"):
        assert reward([ADD, ADD], [malicious, APPS_STDIN]) == [None, 1.0]
    assert not canary.exists()


def test_open_r1_verification_info_stdin_and_function_call(reward):
    stdin_info = {"language": "python", "test_cases": [{"input": "4 4\n", "output": "8\n", "type": "stdin_stdout"}]}
    call_info = {
        "language": "python",
        "test_cases": [{"input": "[[1, 2], 3]", "output": "[1, 2, 3]", "type": "function_call", "fn_name": "push"}],
    }
    push = block("def push(xs, x):\n    return xs + [x]")
    assert reward([ADD, push], verification_info=[json.dumps(stdin_info), call_info]) == [1.0, 1.0]
    cpp = {"language": "cpp", "test_cases": stdin_info["test_cases"]}
    with pytest.warns(UserWarning, match="language 'cpp' is not supported"):
        assert reward([ADD], verification_info=[cpp]) == [None]


def test_mixed_formats_in_one_arrow_struct_column(reward):
    from datasets import Dataset

    harness = {"functional": "def check(f):\n    assert f(1, 2) == 3\ncheck(add)\n"}
    column = Dataset.from_list([{"tests": APPS_STDIN}, {"tests": harness}])["tests"]  # keys filled with None
    assert column[1]["inputs"] is None
    assert reward([ADD, block("def add(a, b):\n    return a + b")], column) == [1.0, 1.0]


def test_functional_assert_harness(reward):
    tests = {"functional": "def check(f):\n    assert f(2) == 4\n    assert f(-3) == 9\n\ncheck(square)\n"}
    good = block("def square(x):\n    return x * x")
    bad = block("def square(x):\n    return 2 * x")
    assert reward([good, bad], [tests, json.dumps(tests)]) == [1.0, 0.0]
    verl = {"assert_case": ["assert square(5) == 25", "assert square(0) == 0"]}
    assert reward([good, bad], [verl, verl]) == [1.0, 0.0]


def test_humaneval_canonical_solutions_score_one_and_broken_variants_zero(reward):
    rows = list(humaneval_rows())
    assert len(rows) == 164
    tests = [row["tests"] for row in rows]
    canonical = reward([humaneval_completion(row) for row in rows], tests)
    assert [row["task_id"] for row, s in zip(rows, canonical) if s != 1.0] == []

    returns_none = reward([humaneval_completion(row, "    return None\n") for row in rows], tests)
    assert [row["task_id"] for row, s in zip(rows, returns_none) if s != 0.0] == []
    # each problem answered with the next problem's body: plausible code, wrong function
    shifted = [humaneval_completion(row, rows[(i + 1) % 164]["canonical_solution"]) for i, row in enumerate(rows)]
    scores = reward(shifted, tests)
    assert [row["task_id"] for row, s in zip(rows, scores) if s != 0.0] == []


def test_stdout_judging_rules():
    assert stdout_matches("3\n7\n", "3\n7")
    assert stdout_matches("  3 \r\n7  \n\n", "3\n7\n")  # surrounding whitespace and CRLF
    assert not stdout_matches("3\n", "3\n7\n")  # a missing line is never zip-truncated away
    assert not stdout_matches("3\n7\ngarbage\n", "3\n7\n")  # nor an extra one
    assert stdout_matches("0.3333333", "0.333333")  # decimals within 1e-6
    assert not stdout_matches("0.334", "0.333333")
    assert not stdout_matches("1000000001", "1000000000")  # integers are exact however large
    assert stdout_matches("1.0 2", "1 2.000")
    assert not stdout_matches("YES", "yes")  # exact: an echo of "yes" must not pass a task that upper-cases it
    assert not stdout_matches("ABC", "abc")
    assert stdout_matches("nan", "nan") and not tokens_equal("nan", "NaN", 1e-6)  # not numbers: equal strings only
    assert not tokens_equal("inf", "1e999", 1e-6)
    assert stdout_matches("0.5", "0.50", tolerance=0)  # numerically equal even with no tolerance


def test_call_result_judging_rules():
    assert call_result_matches("[1, 2]", (1, 2))
    assert call_result_matches("48", [48])  # APPS wraps outputs
    assert call_result_matches('{"1": 2}', {1: 2})  # int keys become strings on both sides
    assert not call_result_matches("true", 1)  # booleans are not numbers
    assert not call_result_matches("1", True)
    assert call_result_matches("0.30000000000000004", 0.3)
    assert not call_result_matches("0.31", 0.3)
    assert not call_result_matches(None, 1)
    assert not call_result_matches("not json", 1)
    assert json_equal([1, [2, {"a": 3.0}]], [1, [2, {"a": 3}]])
    assert not json_equal([1, 2], [1, 2, 3])


def test_partial_credit_stop_at_first_failure_and_sampling():
    tests = {"inputs": [f"{i} {i}\n" for i in range(10)], "outputs": [f"{2 * i}\n" for i in range(9)] + ["0\n"]}
    partial = make_code_reward(partial=True, max_tests=None, num_workers=2)
    assert partial([ADD], [tests]) == [0.9]
    verdict = run_program(extract_code(ADD), tests)
    assert verdict.statuses[-1] == "wrong" and verdict.passed == 9  # smallest inputs first, stops at the failure
    sampled = make_code_reward(max_tests=3, num_workers=2)
    suite_a = sampled._suite(json.dumps(tests), None, None, 0, {})
    suite_b = sampled._suite(json.dumps(tests), None, None, 0, {})
    assert len(suite_a.cases) == 3 and suite_a.cases == suite_b.cases  # a prompt's completions share one subset
    subsets = {
        tuple(c.input for c in sampled._suite(json.dumps(tests), None, None, step, {}).cases) for step in range(8)
    }
    assert len(subsets) > 1  # ...which changes from step to step


def test_no_code_block_chat_completions_names_and_pickling(reward):
    chat = [[{"role": "assistant", "content": ADD}], [{"role": "assistant", "content": "no code here"}]]
    logged = {}
    scores = reward(
        chat,
        [APPS_STDIN, APPS_STDIN],
        prompts=["p", "p"],
        completion_ids=[[1], [2]],
        trainer_state=None,
        log_extra=lambda *a: None,
        log_metric=lambda name, value: logged.__setitem__(name, value),
    )
    assert scores == [1.0, 0.0]
    assert logged["code_reward/no_code_frac"] == 0.5 and logged["code_reward/unscored_frac"] == 0.0
    assert code_reward.__name__ == "code_reward" and reward.__name__ == "code_reward"
    clone = pickle.loads(pickle.dumps(reward))
    assert isinstance(clone, CodeReward) and clone([ADD], [APPS_STDIN]) == [1.0]
    assert resolve_reward_function("code") is code_reward
    assert code_reward([ADD], [APPS_STDIN]) == [1.0]
    assert extract_code("```python\nx = 1\n```\ntext\n```py\ny = 2\n```") == "y = 2\n"
    assert extract_code("<think>```python\nx = 1\n```</think> none after") is None
    assert extract_code("```cpp\nint main(){}\n```") is None


def test_unusable_tests_score_none_for_that_sample_only(reward):
    with pytest.warns(UserWarning, match="unusable tests"):
        scores = reward([ADD, ADD, ADD, ADD], [{"weird": 1}, "not json or base64!", "[]", APPS_STDIN])
    assert scores == [None, None, None, 1.0]
    with pytest.raises(ValueError, match="unrecognised test format"):
        normalize_tests({"weird": 1})
    with pytest.raises(ValueError, match="need a function name"):
        normalize_tests([{"input": "1", "output": "1", "testtype": "functional"}])
    with pytest.raises(ValueError, match="'tests'"):
        reward([ADD])


def test_a_sandbox_killed_mid_batch_scores_none_for_that_program_only():
    # a configuration of its own, so a fresh pool of one executor runs the three programs one after another
    reward = make_code_reward(num_workers=1, test_timeout=60.0, memory_bytes=(2 << 30) - (3 << 20))
    pool = get_pool(reward.config, 1)
    assert pool.size == 1 and not pool._idle[0].programs_run
    slow = block("import time\ntime.sleep(120)")
    done = threading.Event()
    result = {}

    def score():
        result["scores"] = reward([ADD, slow, ADD], [APPS_STDIN] * 3)
        done.set()

    killed = None
    with pytest.warns(UserWarning, match="sandbox failure"):
        worker = threading.Thread(target=score)
        worker.start()
        # Kill the slow program's sandbox from outside. This pool has one executor and runs the programs in order,
        # so once it has finished one program, the program it is running is the sleeper.
        while not done.wait(0.05):
            busy = list(pool.busy)
            if killed is None and busy and busy[0].programs_run >= 1 and busy[0].process is not None:
                killed = busy[0].process.pid
                os.killpg(killed, signal.SIGKILL)
        worker.join()
    assert killed is not None
    assert result["scores"] == [1.0, None, 1.0]


def test_missing_bubblewrap_fails_at_construction_with_the_fix(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap.*unsafe-subprocess"):
        CodeReward(memory_bytes=3 << 30)  # a configuration not checked yet in this process


def test_unsafe_backend_must_be_chosen_explicitly_and_still_judges():
    with pytest.raises(ValueError, match="backend='firejail' is invalid"):
        SandboxConfig(backend="firejail")
    with pytest.warns(UserWarning, match="WITHOUT filesystem or network namespace isolation"):
        unsafe = make_code_reward(backend="unsafe-subprocess", num_workers=1)
    assert unsafe([ADD, SUBTRACT, block("import os\nos.fork()\nprint(3)")], [APPS_STDIN] * 3) == [1.0, 0.0, 0.0]


def test_programs_that_use_threads_exit_or_big_inputs_are_judged_normally(reward):
    threaded = block(
        "import sys, threading\nthreading.stack_size(1 << 26)\nsys.setrecursionlimit(10 ** 6)\n"
        "def depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\n"
        "def main():\n    a, b = map(int, input().split())\n    print(a + b + depth(50000) - 50000)\n"
        "threading.Thread(target=main).start()"
    )
    exits = block("import sys\na, b = map(int, input().split())\nprint(a + b)\nsys.exit(0)")
    errors_after = block("a, b = map(int, input().split())\nprint(a + b)\nraise RuntimeError('late')")
    numbers = list(range(400_000))
    big = {"inputs": [" ".join(map(str, numbers)) + "\n"], "outputs": [f"{sum(numbers)}\n"]}
    total = block("import sys\nprint(sum(map(int, sys.stdin.buffer.read().split())))")
    scores = reward([threaded, exits, errors_after, total], [APPS_STDIN, APPS_STDIN, APPS_STDIN, big])
    assert scores == [1.0, 1.0, 0.0, 1.0]


def test_executors_persist_across_calls(reward):
    pool = get_pool(reward.config, reward.num_workers)
    reward([ADD] * 4, [APPS_STDIN] * 4)
    before = {id(e): e.hello["pid"] for e in pool._idle}
    counts = sum(e.programs_run for e in pool._idle)
    reward([ADD] * 4, [APPS_STDIN] * 4)
    assert {id(e): e.hello["pid"] for e in pool._idle} == before
    assert sum(e.programs_run for e in pool._idle) == counts + 4


def test_humaneval_dataset_splits_for_the_training_scripts():
    data = humaneval_dataset(test_size=0.2, seed=0)
    assert (len(data["train"]), len(data["test"])) == (131, 33)
    assert {"prompt", "tests", "task_id", "entry_point"} <= set(data["train"].column_names)
    assert not set(data["train"]["task_id"]) & set(data["test"]["task_id"])
    assert humaneval_dataset(seed=0)["test"]["task_id"] == data["test"]["task_id"]  # deterministic


def test_seccomp_filter_tables_assemble_for_both_architectures():
    from archer_trl.rewards.sandbox.inside.seccomp import seccomp_filter

    for machine in ("x86_64", "aarch64"):
        program = seccomp_filter(1234, machine)
        # every conditional jump within 255 instructions is checked as the filter is built; the whole stays small
        assert len(program) % 8 == 0 and 60 < len(program) // 8 < 400
    with pytest.raises(OSError, match="no seccomp syscall table"):
        seccomp_filter(1, "riscv64")


def test_integers_are_exact_and_unparseable_outputs_are_wrong_not_errors():
    assert not stdout_matches("1000000999.0", "1000000000")  # no float tolerance for an integer expectation
    assert stdout_matches("5.0", "5") and stdout_matches("0.3333337", "0.333333")
    assert not stdout_matches("1e9999999", "5") and not stdout_matches("1e9999999", "0.5")
    assert not tokens_equal("9" * 5000, "0.5", 1e-6)
    assert not call_result_matches("1000000999.0", 1000000000)
    assert call_result_matches("5.0", 5)
    assert not call_result_matches(str(10**400), 0.5)  # 10**400 where a float is expected: False, not OverflowError
    assert not call_result_matches("[" * 100_000 + "]" * 100_000, [])  # nesting too deep to parse
    assert not call_result_matches("NaN", float("nan"))


def test_assert_harness_runs_outside_the_solution_and_sees_solution_objects(reward):
    linked = {
        "functional": "def check(candidate):\n    node = candidate([1, 2, 3])\n    out = []\n"
        "    while node is not None:\n        out.append(node.val)\n        node = node.next\n"
        "    assert out == [3, 2, 1]\n\ncheck(Solution().build)\n"
    }
    solution = block(
        "class ListNode:\n    def __init__(self, val, next=None):\n        self.val, self.next = val, next\n"
        "class Solution:\n    def build(self, xs):\n        head = None\n        for x in xs:\n"
        "            head = ListNode(x, head)\n        return head"
    )
    in_place = {"functional": "xs = [3, 1, 2]\nsort_it(xs)\nassert xs == [1, 2, 3]\n"}
    sorter = block("def sort_it(xs):\n    xs.sort()")
    # the harness never sees the solution's globals except through the channel: a patched builtin stays local
    patched = block("import builtins\nbuiltins.sorted = lambda *a: [1, 2, 3]\ndef sort_it(xs):\n    pass")
    assert reward([solution, sorter, patched], [linked, in_place, in_place]) == [1.0, 1.0, 0.0]


def test_assert_harness_that_passes_its_own_objects_is_not_scored(reward):
    tests = {"functional": "class Box:\n    pass\ndef check(f):\n    assert f(Box()) == 1\ncheck(one)\n"}
    with pytest.warns(UserWarning, match="cannot be judged.*Box"):
        assert reward([block("def one(x):\n    return 1")], [tests]) == [None]
    never = {"functional": "def check(f):\n    assert f(1) == 1\n"}  # check is never called
    assert reward([block("def f(x):\n    return x")], [never]) == [0.0]


def test_humaneval_helpers_the_tests_use_are_trusted_not_the_solutions(reward):
    rows = {row["task_id"]: row for row in humaneval_rows()}
    row = rows["HumanEval/32"]  # the tests check find_zero's answer with the prompt's own poly()
    cheat = block("def poly(xs, x):\n    return 0.0\n\ndef find_zero(xs):\n    return 12345.0")
    assert reward([humaneval_completion(row), cheat], [row["tests"]] * 2) == [1.0, 0.0]
    assert "def poly" in json.loads(row["tests"])["functional"]
    assert "def " not in json.loads(rows["HumanEval/0"]["tests"])["functional"].split("def check")[0]
