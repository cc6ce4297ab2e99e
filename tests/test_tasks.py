"""The built-in offline arithmetic task and the shipped starting checkpoint (archer_trl/assets/tiny-math)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archer_trl.rewards.extract import last_boxed
from archer_trl.tasks import (
    Problem,
    exact_match_reward,
    is_heldout_question,
    make_math_dataset,
    sample_problems,
)

ASSET_DIR = Path(__file__).resolve().parent.parent / "archer_trl" / "assets" / "tiny-math"
QUESTION_RE = re.compile(r"^Calculate (\d+(?:[+-]\d+)+)\.$")


def questions(split) -> list[str]:
    return [p[-1]["content"] for p in split["prompt"]]


def test_same_seed_same_dataset_and_other_seed_other_training_problems():
    a = make_math_dataset(60, 30, seed=3, include_reference=True)
    b = make_math_dataset(60, 30, seed=3, include_reference=True)
    c = make_math_dataset(60, 30, seed=4)
    assert a["train"].to_list() == b["train"].to_list()
    assert a["test"].to_list() == b["test"].to_list()
    assert questions(a["train"]) != questions(c["train"])
    # The held-out problems do not move with the training seed, so runs with different seeds are comparable.
    assert questions(a["test"]) == questions(c["test"])
    assert questions(make_math_dataset(0, 30, seed=4, eval_seed=None)["test"]) != questions(a["test"])


def test_held_out_questions_never_appear_in_any_training_split():
    train = set()
    for seed in range(4):
        train |= set(questions(make_math_dataset(400, 0, seed=seed)["train"]))
    held_out = set()
    for eval_seed in (None, 0, 1234):
        held_out |= set(questions(make_math_dataset(0, 200, seed=0, eval_seed=eval_seed)["test"]))
    assert held_out and train
    assert not train & held_out
    assert all(is_heldout_question(q) for q in held_out)
    assert not any(is_heldout_question(q) for q in train)


def test_splits_have_no_duplicates_and_requested_sizes():
    data = make_math_dataset(300, 120, seed=0)
    assert len(data["train"]) == 300 and len(data["test"]) == 120
    assert len(set(questions(data["train"]))) == 300
    assert len(set(questions(data["test"]))) == 120


def test_columns_prompt_messages_and_integer_solution_that_matches_the_question():
    data = make_math_dataset(50, 50, seed=1, system_prompt="Be brief.", include_reference=True)
    assert data["train"].column_names == ["prompt", "solution", "reference"]
    assert make_math_dataset(5, 5, seed=1)["test"].column_names == ["prompt", "solution"]
    for row in [*data["train"], *data["test"]]:
        assert row["prompt"][0] == {"role": "system", "content": "Be brief."}
        assert row["prompt"][-1]["role"] == "user"
        match = QUESTION_RE.match(row["prompt"][-1]["content"])
        assert match, row["prompt"]
        assert isinstance(row["solution"], str) and re.fullmatch(r"\d+", row["solution"])
        assert int(row["solution"]) == eval(match.group(1))  # left-to-right + and - is Python's order too
        assert last_boxed(row["reference"]) == row["solution"]
        assert len(row["reference"]) <= 48
    assert make_math_dataset(3, 3, seed=1)["train"][0]["prompt"][0]["role"] == "user"


def test_reference_completion_shows_running_totals():
    problem = Problem((7, 5, 3, 8), ("+", "-", "+"))
    assert problem.question == "Calculate 7+5-3+8."
    assert problem.reference_completion() == "<think>7+5=12,12-3=9,9+8=17</think>\\boxed{17}"
    assert problem.answer == 17


def test_problem_options_are_validated():
    with pytest.raises(ValueError, match="n_terms"):
        make_math_dataset(5, 5, n_terms=[1])
    with pytest.raises(ValueError, match="operators"):
        make_math_dataset(5, 5, operators=["*"])
    with pytest.raises(ValueError, match="max_operand"):
        make_math_dataset(5, 5, max_operand=1)
    with pytest.raises(ValueError, match="distinct"):
        sample_problems(500, 0, heldout=True, n_terms=(2,), max_operand=3)


def test_exact_match_reward_reads_the_last_box():
    completions = [
        "<think>1+2=3</think>\\boxed{3}",
        "\\boxed{4} no, \\boxed{3}",
        "\\boxed{3} no, \\boxed{4}",
        "the answer is 3",
        [{"role": "assistant", "content": "\\boxed{ 3 }"}],
    ]
    assert exact_match_reward(completions, ["3"] * 5) == [1.0, 1.0, 0.0, 0.0, 1.0]


def test_math_verify_accepts_the_reference_and_rejects_a_wrong_answer():
    """The project's math reward is math-verify based; the plain-integer gold must be scorable by it."""
    from math_verify import parse, verify

    row = make_math_dataset(1, 0, seed=0, include_reference=True)["train"][0]
    gold = parse("\\boxed{" + row["solution"] + "}")
    assert verify(gold, parse(row["reference"]))
    wrong = row["reference"].replace("\\boxed{" + row["solution"], "\\boxed{" + str(int(row["solution"]) + 1))
    assert not verify(gold, parse(wrong))


# --- the shipped starting checkpoint -----------------------------------------------------------------------------


def test_checkpoint_is_small_and_documented():
    assert (ASSET_DIR / "model.safetensors").stat().st_size < 8_000_000
    info = json.loads((ASSET_DIR / "build_info.json").read_text())
    card = (ASSET_DIR / "README.md").read_text()
    assert info["command"] in card and "scripts/build_tiny_math_model.py" in info["command"]
    assert f"{100 * info['heldout_greedy_accuracy']:.1f}%" in card


def test_checkpoint_loads_offline_as_the_char_tokenizer_and_answers_in_a_box():
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from archer_trl.generation import to_conversation
    from archer_trl.tasks import generate_completions
    from archer_trl.tiny import build_char_tokenizer

    tokenizer = AutoTokenizer.from_pretrained(ASSET_DIR, local_files_only=True)
    reference = build_char_tokenizer()
    assert tokenizer.get_vocab() == reference.get_vocab()
    text = "<|im_start|>user\nCalculate 7+5-3+8.<|im_end|>"
    assert tokenizer(text)["input_ids"] == reference(text)["input_ids"]
    assert tokenizer.eos_token == "<|im_end|>" and tokenizer.padding_side == "left"

    model = AutoModelForCausalLM.from_pretrained(ASSET_DIR, local_files_only=True)
    assert model.generation_config.eos_token_id == tokenizer.convert_tokens_to_ids("<|im_end|>")
    torch.manual_seed(0)
    completions = generate_completions(
        model, tokenizer, [to_conversation("Calculate 7+5-3+8."), to_conversation("Calculate 1+2+3.")]
    )
    assert all(last_boxed(c) is not None for c in completions), completions
    assert all(c.startswith("<think>") for c in completions), completions


def test_checkpoint_held_out_accuracy_matches_its_model_card():
    """Reloading the shipped weights reproduces the recorded greedy accuracy (up to CPU numeric noise)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from archer_trl.tasks import evaluate_accuracy

    info = json.loads((ASSET_DIR / "build_info.json").read_text())
    tokenizer = AutoTokenizer.from_pretrained(ASSET_DIR, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(ASSET_DIR, local_files_only=True)
    data = make_math_dataset(0, info["args"]["n_eval"], seed=info["args"]["seed"])
    accuracy = evaluate_accuracy(model, tokenizer, data["test"])
    assert abs(accuracy - info["heldout_greedy_accuracy"]) <= 0.02
