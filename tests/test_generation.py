"""archer_trl.generation: batched, left-padded, seeded HF generate with one EOS rule (used by evaluation, the
inspector, the arithmetic task and the training scripts' held-out accuracy)."""

from __future__ import annotations

import pytest

from archer_trl import generation as gen

# ------------------------------------------------------------------------------------------------ generation


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    # One thread: on a shared 2-core machine OpenMP spin-waiting makes a tiny model's generate 30x slower.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield AutoModelForCausalLM.from_pretrained(tiny_model_dir), AutoTokenizer.from_pretrained(tiny_model_dir)
    torch.set_num_threads(threads)


def test_batched_left_padded_generation_matches_one_by_one(tiny):
    model, tokenizer = tiny
    prompts = [
        [{"role": "user", "content": q}] for q in ("Calculate 1+2.", "Hi", "A much longer question, padded less.")
    ]
    texts = [gen.render_prompt(tokenizer, p) for p in prompts]
    assert texts[1] == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    ids = gen.encode_prompts(tokenizer, texts)
    greedy = gen.SamplingSettings(n=2, temperature=0.0, top_p=1.0, max_tokens=12)
    batched = gen.generate_transformers(model, tokenizer, ids, greedy, batch_size=6)
    alone = [gen.generate_transformers(model, tokenizer, [one], greedy, batch_size=1)[0] for one in ids]
    assert [[c.text for c in row] for row in batched] == [[c.text for c in row] for row in alone]
    assert all(len(row) == 2 and row[0].text == row[1].text for row in batched)  # greedy: the K samples agree
    for row in batched:
        for c in row:
            assert 1 <= c.num_tokens <= 12 and c.truncated == (c.num_tokens == 12)


def test_sampling_is_seeded_and_respects_the_context_length(tiny):
    model, tokenizer = tiny
    ids = gen.encode_prompts(tokenizer, [gen.render_prompt(tokenizer, [{"role": "user", "content": "x"}])])
    settings = gen.SamplingSettings(n=4, temperature=1.0, top_p=1.0, max_tokens=8, seed=7)
    first = gen.generate_transformers(model, tokenizer, ids, settings, batch_size=3)
    again = gen.generate_transformers(model, tokenizer, ids, settings, batch_size=3)
    other = gen.generate_transformers(
        model, tokenizer, ids, gen.SamplingSettings(4, 1.0, 1.0, 8, seed=8), batch_size=3
    )
    texts = [c.text for c in first[0]]
    assert texts == [c.text for c in again[0]]
    assert texts != [c.text for c in other[0]]
    assert len(set(texts)) > 1  # temperature 1 on a random model: the K samples differ
    # a budget beyond max_position_embeddings (1024 for the tiny model) is capped instead of failing
    long = gen.SamplingSettings(n=1, temperature=1.0, top_p=1.0, max_tokens=5000)
    (row,) = gen.generate_transformers(model, tokenizer, [ids[0] * 50], long, batch_size=1)
    assert row[0].num_tokens <= model.config.max_position_embeddings - len(ids[0]) * 50
    # a prompt that fills the context alone gets empty, flagged completions instead of failing the whole run
    rows = gen.generate_transformers(
        model, tokenizer, [ids[0] * 60, ids[0]], gen.SamplingSettings(2, 1.0, 1.0, 4), batch_size=4
    )
    assert [(c.text, c.num_tokens, c.truncated, c.prompt_too_long) for c in rows[0]] == [("", 0, True, True)] * 2
    assert all(not c.prompt_too_long and c.num_tokens >= 1 for c in rows[1])


def test_one_eos_rule_every_end_token_stops_and_is_kept(tiny):
    model, tokenizer = tiny
    end, extra = tokenizer.eos_token_id, tokenizer.pad_token_id
    original = model.generation_config.eos_token_id
    model.generation_config.eos_token_id = [end, extra]
    try:
        assert gen.eos_token_ids(model, tokenizer) == {end, extra}
    finally:
        model.generation_config.eos_token_id = original
    assert gen.eos_token_ids(model, tokenizer) == {end}
    assert gen.trim_at_eos([5, 6, end, 7, end], {end}) == ([5, 6, end], True)
    assert gen.trim_at_eos([5, 6], {end}) == ([5, 6], False)


def test_inspector_task_and_evaluation_sample_the_same_completions(tiny):
    """The three callers share one generate: same prompts, settings and seed give the same tokens and text."""
    from archer_trl.inspect.scoring import generate_records
    from archer_trl.tasks import generate_completions

    model, tokenizer = tiny
    prompts = [[{"role": "user", "content": q}] for q in ("Calculate 1+2.", "Hi")]
    ids = gen.encode_prompts(tokenizer, [gen.render_prompt(tokenizer, p) for p in prompts])
    rows = gen.generate_transformers(model, tokenizer, ids, gen.SamplingSettings(1, 1.0, 1.0, 10, seed=3))
    records = generate_records(model, tokenizer, prompts, max_new_tokens=10, seed=3, progress=False)
    assert [r.completion_ids for r in records] == [row[0].token_ids for row in rows]
    assert [r.completion for r in records] == [row[0].text for row in rows]
    texts = generate_completions(model, tokenizer, prompts, max_new_tokens=10, do_sample=True, seed=3)
    assert texts == [row[0].text for row in rows]
