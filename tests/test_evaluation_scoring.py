"""Evaluation scores through the real training rewards: HumanEval in the bubblewrap sandbox (``code_reward``) and
math through math-verify (``accuracy_reward``). A benchmark number must mean what the training reward means."""

from __future__ import annotations

import math

import pytest

from archer_trl import evaluation as ev


@pytest.fixture(scope="module")
def humaneval():
    return ev.load_problems(ev.get_benchmark("humaneval"))


def corrupt(problem: ev.Problem) -> str:
    """The canonical reply with the function body replaced by an exception: every check() must fail."""
    return f"```python\n{problem.meta['humaneval_prompt']}    raise NotImplementedError('corrupted')\n```"


def test_humaneval_canonical_solutions_pass_and_corrupted_ones_fail(humaneval):
    # The full pass over the 164 canonical solutions runs once, in test_rewards_code.py, on the training rows. Here:
    # the evaluation's replies and tests are exactly those rows', and a sample scores through the evaluation path.
    from archer_trl.tasks.humaneval import humaneval_completion, humaneval_rows

    assert len(humaneval) == 164
    rows = list(humaneval_rows())
    assert [ev.humaneval_solution_completion(p) for p in humaneval] == [humaneval_completion(r) for r in rows]
    assert [p.answer for p in humaneval] == [r["tests"] for r in rows]
    sample = humaneval[::16]  # 11 problems across the set
    answers = [p.answer for p in sample]
    canonical = ev.score_completions("code", [ev.humaneval_solution_completion(p) for p in sample], answers)
    failed = [p.id for p, s in zip(sample, canonical) if s != 1.0]
    assert failed == [], f"canonical solutions not scored 1.0: {failed[:10]}"
    result = ev.aggregate_scores([[s] for s in canonical])
    assert result["pass@k"]["1"] == 1.0 and result["avg@1"] == 1.0 and result["num_unscored"] == 0

    corrupted = ev.score_completions("code", [corrupt(p) for p in sample], answers)
    passed = [p.id for p, s in zip(sample, corrupted) if s != 0.0]
    assert passed == [], f"corrupted solutions not scored 0.0: {passed[:10]}"
    assert ev.aggregate_scores([[s] for s in corrupted])["pass@k"]["1"] == 0.0


def test_humaneval_harness_cannot_be_gamed_by_exiting_early(humaneval):
    # The functional harness runs after the solution; a solution that exits with status 0 before the asserts run
    # must not pass (the reward requires the harness's own completion record).
    problems = humaneval[:4]
    exits = [f"```python\n{p.meta['humaneval_prompt']}    pass\nimport sys\nsys.exit(0)\n```" for p in problems]
    no_code = ["I would rather not write code."] * len(problems)
    scores = ev.score_completions("code", exits + no_code, [p.answer for p in problems] * 2)
    assert scores == [0.0] * 8


def test_pass_at_k_from_mixed_humaneval_samples(humaneval):
    # K = 4 samples per problem, of which a known number are correct: pass@k must follow the estimator exactly.
    problems = humaneval[:3]
    correct_per_problem = [0, 1, 3]
    completions, answers = [], []
    for p, c in zip(problems, correct_per_problem):
        for j in range(4):
            completions.append(ev.humaneval_solution_completion(p) if j < c else corrupt(p))
            answers.append(p.answer)
    scores = ev.score_completions("code", completions, answers, chunk_size=5)
    by_problem = [scores[4 * i : 4 * i + 4] for i in range(3)]
    assert [sum(row) for row in by_problem] == correct_per_problem
    result = ev.aggregate_scores(by_problem)
    for k in range(1, 5):
        expected = sum(ev.pass_at_k(4, c, k) for c in correct_per_problem) / 3
        assert result["pass@k"][str(k)] == pytest.approx(expected)
    assert result["avg@4"] == pytest.approx(sum(correct_per_problem) / 12)


def test_math_scoring_uses_math_verify_on_the_gold():
    golds = ["\\frac{1}{2}", "2\\sqrt{2}", "27", "x \\in [1, 3)"]
    right = ["... so \\boxed{0.5}", "\\boxed{\\sqrt{8}}", "The answer is \\boxed{27}.", "\\boxed{[1,3)}"]
    wrong = ["\\boxed{2}", "\\boxed{2}", "\\boxed{28}", "\\boxed{3}"]
    assert ev.score_completions("math", right + wrong, golds * 2) == [1.0] * 4 + [0.0] * 4


def test_nan_and_none_from_a_reward_stay_unscored():
    def flaky_reward(completions, solution, **kwargs):
        return [None if c == "crash" else math.nan if c == "nan" else 1.0 for c in completions]

    scores = ev.score_completions("math", ["ok", "crash", "nan", "ok"], ["1"] * 4, reward_fn=flaky_reward)
    assert scores == [1.0, None, None, 1.0]
    result = ev.aggregate_scores([scores[:2], scores[2:]])
    assert result["num_unscored"] == 2 and result["avg@2"] == 1.0
    with pytest.raises(ValueError, match="3 completions but 2 answers"):
        ev.score_completions("math", ["a", "b", "c"], ["1", "2"], reward_fn=flaky_reward)


def _lcb_file(tmp_path) -> str:
    """Two LiveCodeBench rows in the Hub schema: a stdin problem and a call-based one, private tests compressed."""
    import base64
    import json
    import pickle
    import zlib

    def compress(tests):
        return base64.b64encode(zlib.compress(pickle.dumps(json.dumps(tests)))).decode()

    stdin = [
        {"input": f"{a} {b}\n", "output": f"{a + b}\n", "testtype": "stdin"} for a, b in ((1, 2), (40, 2), (7, 0))
    ]
    call = [
        {"input": json.dumps(nums) + "\n" + str(k), "output": json.dumps(sum(nums) == k), "testtype": "functional"}
        for nums, k in (([1, 2], 3), ([5], 4), ([2, 2, 2], 6))
    ]
    common = {"platform": "x", "contest_id": "c", "contest_date": "2024-09-01T00:00:00", "difficulty": "easy"}
    rows = [
        {**common, "question_id": "add", "question_title": "add", "question_content": "Print a+b.",
         "starter_code": "", "metadata": "{}",
         "public_test_cases": json.dumps(stdin[:1]), "private_test_cases": compress(stdin[1:])},
        {**common, "question_id": "sum", "question_title": "sum", "question_content": "Does nums sum to k?",
         "starter_code": "class Solution:\n    def check(self, nums, k):\n        ", "metadata": '{"func_name": "check"}',
         "public_test_cases": json.dumps(call[:1]), "private_test_cases": compress(call[1:])},
    ]  # fmt: skip
    path = tmp_path / "lcb.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def test_livecodebench_rows_score_through_the_sandbox(tmp_path):
    add, check = ev.load_problems(ev.parse_benchmark_arg(f"lcb-v5={_lcb_file(tmp_path)}"))
    fence = "```python\n{}\n```"
    completions = [
        fence.format("a, b = map(int, input().split())\nprint(a + b)"),  # right
        fence.format("a, b = map(int, input().split())\nprint(a + b if b else a - 1)"),  # wrong on a private test
        fence.format("class Solution:\n    def check(self, nums, k):\n        return sum(nums) == k"),  # right
        fence.format("class Solution:\n    def check(self, nums, k):\n        return True"),  # wrong on a private test
    ]
    problems = [add, add, check, check]
    scores = ev.score_completions(
        "code",
        completions,
        [p.answer for p in problems],
        columns={"fn_name": [p.columns["fn_name"] for p in problems]},
    )
    assert scores == [1.0, 0.0, 1.0, 0.0]
