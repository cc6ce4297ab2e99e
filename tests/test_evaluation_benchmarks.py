"""archer_trl.evaluation benchmarks, rows and sources: the presets, row mappers on local files in each Hub schema,
LiveCodeBench decoding and date windows, the offline sets and custom local files. Scoring through the real rewards
is in test_evaluation_scoring.py and the CLI end to end in test_evaluation_cli.py."""

from __future__ import annotations

import base64
import json
import pickle
import zlib
from pathlib import Path

import pytest

from archer_trl import evaluation as ev
from archer_trl.rewards.extract import last_boxed

# ------------------------------------------------------------------------------------------------ presets and files


def write_jsonl(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def test_paper_presets_have_the_papers_sampling_settings():
    expected_k = {"aime24": 64, "aime25": 64, "amc23": 64, "lcb-v6": 16, "lcb-v5": 8, "minerva": 8}
    expected_k |= {"math500": 4, "olympiad": 4}
    for name, k in expected_k.items():
        b = ev.get_benchmark(name)
        assert (b.k, b.temperature, b.top_p, b.max_tokens) == (k, 0.8, 1.0, 32768), name
        assert b.hub_id is not None
    assert ev.get_benchmark("lcb-v5").date_window == ("2024-08-01", "2025-02-01")
    assert ev.get_benchmark("lcb-v6").date_window == ("2025-02-01", "2025-05-01")
    assert ev.get_benchmark("lcb-v5").data_files == tuple(["test.jsonl"] + [f"test{i}.jsonl" for i in range(2, 6)])
    assert ev.get_benchmark("LCB_v6").data_files[-1] == "test6.jsonl"
    with pytest.raises(ValueError, match="presets: aime24"):
        ev.get_benchmark("aime2024")


@pytest.mark.parametrize(
    ("name", "row", "gold", "question", "row_id"),
    [
        (
            "aime24",
            {"id": 60, "problem": "Find $x$.", "solution": "\\boxed{204}", "url": "u"},
            "204",
            "Find $x$.",
            "60",
        ),
        ("aime25", {"id": "I-1", "problem": "Find $y$.", "answer": "70"}, "70", "Find $y$.", "I-1"),
        ("amc23", {"id": 3, "question": "How many?", "answer": 27.0, "url": "u"}, "27", "How many?", "3"),
        (
            "math500",
            {
                "problem": "Simplify.",
                "solution": "... \\boxed{\\frac{1}{2}}",
                "answer": "\\frac{1}{2}",
                "unique_id": "test/a/1.json",
            },
            "\\frac{1}{2}",
            "Simplify.",
            "test/a/1.json",
        ),
        ("minerva", {"question": "Compute $v$.", "answer": "3.5e6"}, "3.5e6", "Compute $v$.", "0"),
        (
            "olympiad",
            {"id": 1606, "question": "Find all pairs.", "final_answer": ["$(1,2)$", "$(2,1)$"]},
            "$(1,2)$, $(2,1)$",
            "Find all pairs.",
            "1606",
        ),
    ],
)
def test_math_presets_map_local_files_in_the_hub_schema(tmp_path, name, row, gold, question, row_id):
    path = write_jsonl(tmp_path / f"{name}.jsonl", [row])
    spec = ev.parse_benchmark_arg(f"{name}={path}")
    assert spec.benchmark.name == name and spec.path == path
    (problem,) = ev.load_problems(spec)
    assert problem.answer == gold
    assert problem.id == f"{name}/{row_id}"
    assert problem.prompt == [{"role": "user", "content": f"{question} {ev.MATH_INSTRUCTION}"}]
    (templated,) = ev.load_problems(spec, template="Q: {problem}\nA:", system_prompt="Be brief.")
    assert templated.prompt == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": f"Q: {question}\nA:"},
    ]


def test_math_mapping_errors_name_the_column(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [{"question": "q", "solution": "no box here"}])
    with pytest.raises(KeyError, match="no column 'problem'"):
        ev.load_problems(ev.parse_benchmark_arg(f"aime24={path}"))
    path = write_jsonl(tmp_path / "bad2.jsonl", [{"problem": "q", "solution": "no box here"}])
    with pytest.raises(ValueError, match="no \\\\boxed"):
        ev.load_problems(ev.parse_benchmark_arg(f"aime24={path}"))
    assert last_boxed("a \\boxed{1} b \\boxed{\\frac{1}{2}} c") == "\\frac{1}{2}"
    assert ev.normalize_gold([3.0]) == "3" and ev.normalize_gold(" 1/2 ") == "1/2"


def compress_lcb(tests: list[dict]) -> str:
    """LiveCodeBench's private-test encoding: base64(zlib(pickle(json string)))."""
    return base64.b64encode(zlib.compress(pickle.dumps(json.dumps(tests)))).decode()


def lcb_row(qid: str, date: str, *, functional: bool) -> dict:
    if functional:
        public = [{"input": "[1, 2]\n3", "output": "true", "testtype": "functional"}]
        private = [{"input": "[5]\n5", "output": "true", "testtype": "functional"}]
        starter, metadata = (
            "class Solution:\n    def check(self, nums: List[int], k: int) -> bool:\n        ",
            '{"func_name": "check"}',
        )
    else:
        public = [{"input": "1 2\n", "output": "3\n", "testtype": "stdin"}]
        private = [
            {"input": "2 2\n", "output": "4\n", "testtype": "stdin"},
            {"input": "0 0\n", "output": "0\n", "testtype": "stdin"},
        ]
        starter, metadata = "", "{}"
    return {
        "question_title": f"title {qid}",
        "question_content": f"Problem statement {qid}.",
        "platform": "leetcode" if functional else "atcoder",
        "question_id": qid,
        "contest_id": "c",
        "contest_date": date,
        "starter_code": starter,
        "difficulty": "easy",
        "public_test_cases": json.dumps(public),
        "private_test_cases": compress_lcb(private),
        "metadata": metadata,
    }


def test_livecodebench_presets_filter_by_date_and_decode_tests(tmp_path):
    rows = [
        lcb_row("early", "2024-07-31T00:00:00", functional=False),
        lcb_row("stdin", "2024-08-01T00:00:00", functional=False),
        lcb_row("func", "2024-12-15T00:00:00", functional=True),
        lcb_row("boundary", "2025-02-01T00:00:00", functional=False),
        lcb_row("v6", "2025-03-10T00:00:00", functional=True),
        lcb_row("late", "2025-05-02T00:00:00", functional=False),
    ]
    path = write_jsonl(tmp_path / "lcb.jsonl", rows)
    v5 = ev.load_problems(ev.parse_benchmark_arg(f"lcb-v5={path}"))
    # the release's files read as one benchmark through a glob (test.jsonl ... testN.jsonl, sorted)
    write_jsonl(tmp_path / "test.jsonl", rows[:3])
    write_jsonl(tmp_path / "test2.jsonl", rows[3:])
    assert [p.id for p in ev.load_problems(ev.parse_benchmark_arg(f"lcb-v5={tmp_path}/test*.jsonl"))] == [
        p.id for p in v5
    ]
    with pytest.raises(FileNotFoundError, match="no benchmark file matches"):
        ev.load_problems(ev.parse_benchmark_arg(f"lcb-v5={tmp_path}/nothing*.jsonl"))
    v6 = ev.load_problems(ev.parse_benchmark_arg(f"lcb-v6={path}"))
    assert [p.id for p in v5] == ["lcb-v5/stdin", "lcb-v5/func", "lcb-v5/boundary"]
    assert [p.id for p in v6] == ["lcb-v6/boundary", "lcb-v6/v6"]

    stdin, func = v5[0], v5[1]
    stdin_tests = json.loads(stdin.answer)
    assert stdin_tests == [
        {"input": "1 2\n", "output": "3\n", "testtype": "stdin"},
        {"input": "2 2\n", "output": "4\n", "testtype": "stdin"},
        {"input": "0 0\n", "output": "0\n", "testtype": "stdin"},
    ]
    assert stdin.meta["num_tests"] == 3
    text = stdin.prompt[-1]["content"]
    assert text.startswith(ev.LCB_HEADER + "Question: Problem statement stdin.")
    assert "Read the inputs from stdin" in text and "starter code" not in text

    assert stdin.columns == {"fn_name": None}
    func_tests = json.loads(func.answer)
    assert func_tests == [
        {"input": "[1, 2]\n3", "output": "true", "testtype": "functional"},
        {"input": "[5]\n5", "output": "true", "testtype": "functional"},
    ]
    assert func.columns == {"fn_name": "check"}
    text = func.prompt[-1]["content"]
    assert "```python\nclass Solution:\n    def check(self" in text and "Read the inputs from stdin" not in text


def test_lcb_private_tests_never_unpickle_code(tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (Path.touch, (marker,))

    payload = base64.b64encode(zlib.compress(pickle.dumps(Exploit()))).decode()
    with pytest.raises(ValueError, match="refusing to unpickle"):
        ev.decode_lcb_tests(payload)
    assert not marker.exists()
    assert ev.decode_lcb_tests(compress_lcb([{"input": "1", "output": "1"}])) == [{"input": "1", "output": "1"}]
    assert ev.decode_lcb_tests("") == [] and ev.decode_lcb_tests('[{"input": "x"}]') == [{"input": "x"}]


def test_lcb_private_tests_are_decompressed_under_the_rewards_size_cap(monkeypatch):
    from archer_trl.rewards.code import formats as code_tests

    tests = [{"input": "1\n" * 2000, "output": "1", "testtype": "stdin"}]
    assert ev.decode_lcb_tests(compress_lcb(tests)) == tests
    monkeypatch.setattr(code_tests, "MAX_DECOMPRESSED", 1000)  # the payload inflates to about 4 kB
    with pytest.raises(ValueError, match="expand beyond 1000 bytes"):
        ev.decode_lcb_tests(compress_lcb(tests))


def test_humaneval_preset_reads_the_packaged_problems():
    problems = ev.load_problems(ev.get_benchmark("humaneval"))
    assert len(problems) == 164
    first = problems[0]
    assert first.id == "HumanEval/0"
    content = first.prompt[-1]["content"]
    assert "def has_close_elements(numbers: List[float], threshold: float) -> bool:" in content
    assert content.endswith("```") and "```python\n" in content
    tests = json.loads(first.answer)
    assert set(tests) == {"functional"} and tests["functional"].rstrip().endswith("check(has_close_elements)")
    completion = ev.humaneval_solution_completion(first)
    assert completion.startswith("```python\nfrom typing import List") and completion.endswith("```")
    assert len({p.id for p in problems}) == 164
    # the same prompt and tests as the HumanEval training rows of the rewards package (and archer_trl.cli.train)
    from archer_trl.tasks.humaneval import humaneval_rows

    rows = list(humaneval_rows())
    assert [p.prompt[-1]["content"] for p in problems] == [r["prompt"] for r in rows]
    assert [p.answer for p in problems] == [r["tests"] for r in rows]
    from archer_trl.tasks.humaneval import HUMANEVAL_TEMPLATE, humaneval_tests

    assert HUMANEVAL_TEMPLATE.format(prompt=rows[0]["humaneval_prompt"]) == rows[0]["prompt"]
    assert (
        json.dumps(humaneval_tests({"test": rows[0]["test"], "entry_point": rows[0]["entry_point"]}))
        == rows[0]["tests"]
    )


def test_offline_math_presets():
    arith = ev.load_problems(ev.get_benchmark("arith"), limit=5)
    assert len(arith) == 5
    for p in arith:
        question = p.prompt[-1]["content"]
        assert question.startswith("Calculate ") and question == p.meta["question"]  # bare question, no instruction
        assert p.answer == str(eval(question[len("Calculate ") : -1]))  # noqa: S307 (digits and +/- only)
    gym = ev.load_problems(ev.get_benchmark("gym-math"), limit=3)
    assert len(gym) == 3
    for p in gym:
        assert p.prompt[-1]["content"].endswith(ev.MATH_INSTRUCTION)
        assert p.answer.lstrip("-").isdigit()
    assert [p.answer for p in gym] == [p.answer for p in ev.load_problems(ev.get_benchmark("gym-math"), limit=3)]


def test_custom_local_files_in_the_training_format(tmp_path):
    math_file = write_jsonl(
        tmp_path / "mine.jsonl",
        [
            {"prompt": "What is 2+2?", "solution": 4},
            {"prompt": [{"role": "user", "content": "1+1?"}], "solution": "2"},
        ],
    )
    spec = ev.parse_benchmark_arg(math_file)
    assert spec.benchmark.task == "math" and spec.name == "mine"
    problems = ev.load_problems(spec, system_prompt="sys")
    assert [p.answer for p in problems] == ["4", "2"]
    assert problems[1].prompt == [{"role": "system", "content": "sys"}, {"role": "user", "content": "1+1?"}]

    code_file = tmp_path / "code.json"
    code_file.write_text(json.dumps([{"prompt": "Write f.", "tests": {"functional": "assert f() == 1"}}]))
    spec = ev.parse_benchmark_arg(str(code_file))
    assert spec.benchmark.task == "code"
    (problem,) = ev.load_problems(spec)
    assert json.loads(problem.answer) == {"functional": "assert f() == 1"}

    bad = write_jsonl(tmp_path / "bad.jsonl", [{"prompt": "x", "answer": "1"}])
    with pytest.raises(ValueError, match="'solution' \\(math\\) or 'tests' \\(code\\)"):
        ev.parse_benchmark_arg(bad)
    with pytest.raises(FileNotFoundError):
        ev.load_problems(ev.parse_benchmark_arg(f"aime24={tmp_path / 'missing.jsonl'}"))


def test_limit_and_settings_resolution():
    b = ev.get_benchmark("aime24")
    s = ev.resolve_settings(b)
    assert (s.n, s.temperature, s.top_p, s.max_tokens) == (64, 0.8, 1.0, 32768)
    s = ev.resolve_settings(b, k=2, temperature=0.0, top_p=0.5, max_tokens=10, seed=3)
    assert (s.n, s.temperature, s.top_p, s.max_tokens, s.seed) == (2, 0.0, 0.5, 10, 3)
    for bad in ({"k": 0}, {"temperature": -1.0}, {"top_p": 0.0}, {"max_tokens": 0}):
        with pytest.raises(ValueError):
            ev.resolve_settings(b, **bad)
    with pytest.raises(ValueError, match="limit"):
        ev.load_problems(ev.get_benchmark("arith"), limit=0)
