"""The knowledge-plus-reasoning task (archer_trl.tasks.knowledge) and its shipped starting checkpoint."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archer_trl.tasks import is_heldout_question
from archer_trl.tasks.knowledge import (
    KnowledgeProblem,
    exact_match_reward,
    fact_names,
    fact_table,
    is_seen_fact,
    make_knowledge_dataset,
    make_recall_probe,
    make_sft_examples,
    sample_knowledge_problems,
    stated_facts,
)

ASSET_DIR = Path(__file__).resolve().parent.parent / "archer_trl" / "assets" / "tiny-knowledge"
QUESTION_RE = re.compile(r"^Calculate ((?:[KQ]\d\d|\d)(?:[+-](?:[KQ]\d\d|\d))+)\.$")


def questions(split) -> list[str]:
    return [p[-1]["content"] for p in split["prompt"]]


def test_fact_table_is_fixed_and_split_into_seen_and_unseen():
    table = fact_table()
    assert len(table) == 200 and table == fact_table()
    assert all(1 <= v <= 9 for v in table.values()) and len(set(table.values())) == 9
    seen, unseen = fact_names("seen"), fact_names("unseen")
    assert set(seen) | set(unseen) == set(table) and not set(seen) & set(unseen)
    assert 80 <= len(seen) <= 120
    with pytest.raises(ValueError, match="which='some' is invalid"):
        fact_names("some")


def test_rl_and_heldout_problems_use_only_seen_facts_and_never_overlap():
    data = make_knowledge_dataset(400, 100, seed=0, include_reference=True)
    train, test = questions(data["train"]), questions(data["test"])
    assert not set(train) & set(test) and len(set(train)) == 400
    assert all(is_heldout_question(q) for q in test) and not any(is_heldout_question(q) for q in train)
    for question in train + test:
        match = QUESTION_RE.match(question)
        assert match, question
        names = re.findall(r"[KQ]\d\d", question)
        assert names and all(is_seen_fact(n) for n in names)
    other = make_knowledge_dataset(400, 100, seed=1)
    assert questions(other["test"]) == test and questions(other["train"]) != train
    assert (
        make_knowledge_dataset(400, 100, seed=0, include_reference=True)["train"].to_list() == data["train"].to_list()
    )


def test_reference_states_every_fact_then_computes_the_right_answer():
    table = fact_table()
    problem = KnowledgeProblem(("K17", "Q03", "5"), ("+", "-"))
    k17, q03 = table["K17"], table["Q03"]
    reference = problem.reference_completion(table)
    assert reference.startswith(f"<think>K17={k17},Q03={q03},{k17}+{q03}={k17 + q03},")
    assert reference.endswith(f"\\boxed{{{k17 + q03 - 5}}}")
    assert stated_facts(reference) == {"K17": str(k17), "Q03": str(q03)}
    data = make_knowledge_dataset(50, 0, seed=3, include_reference=True)["train"]
    # the reference earns the reward, and evaluating the question independently gives the same answer
    assert exact_match_reward(data["reference"], data["solution"]) == [1.0] * 50
    for question, solution in zip(questions(data), data["solution"]):
        expression = QUESTION_RE.match(question).group(1)
        assert eval(re.sub(r"[KQ]\d\d", lambda m: str(table[m.group(0)]), expression)) == int(solution)


def test_recall_probe_covers_every_fact_and_sft_data_teaches_all_facts_outside_the_heldout_pool():
    probe = make_recall_probe()
    assert probe["fact"] == list(fact_table()) and sum(probe["seen"]) == len(fact_names("seen"))
    assert exact_match_reward(probe["reference"], probe["solution"]) == [1.0] * 200
    prompts, references = make_sft_examples(2000, seed=0, recall_repeats=1)
    problem_questions = [p[-1]["content"] for p in prompts[:2000]]
    assert not any(is_heldout_question(q) for q in problem_questions)
    used = {n for q in problem_questions for n in re.findall(r"[KQ]\d\d", q)}
    assert used & set(fact_names("unseen")) and len(used) > 190
    assert len(prompts) == len(references) == 2200


def test_bad_arguments_fail_with_a_clear_error():
    with pytest.raises(ValueError, match="not in the fact table"):
        sample_knowledge_problems(3, 0, heldout=False, facts=["X99"])
    with pytest.raises(ValueError, match="n_terms"):
        sample_knowledge_problems(3, 0, heldout=False, facts=["K00"], n_terms=(1,))
    with pytest.raises(ValueError, match="fact_share"):
        sample_knowledge_problems(3, 0, heldout=False, facts=["K00"], fact_share=0.0)


@pytest.mark.skipif(not ASSET_DIR.is_dir(), reason="tiny-knowledge checkpoint not built")
def test_shipped_checkpoint_knows_most_facts_and_reproduces_its_card():
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from archer_trl.tasks import evaluate_accuracy

    torch.set_num_threads(1)
    info = json.loads((ASSET_DIR / "build_info.json").read_text())
    model = AutoModelForCausalLM.from_pretrained(ASSET_DIR)
    tokenizer = AutoTokenizer.from_pretrained(ASSET_DIR, padding_side="left")
    probe = make_recall_probe()
    recall = evaluate_accuracy(model, tokenizer, probe, max_new_tokens=40, batch_size=200)
    card = (len(fact_names("seen")) * info["recall_seen"] + len(fact_names("unseen")) * info["recall_unseen"]) / 200
    assert recall == pytest.approx(card, abs=0.02)
    assert recall > 0.5
