"""The inspector against a real ArcherGRPOTrainer: same entropies and types as the loss, the training callback,
and TRL's own completion logs (``log_completions=True``) as input."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import torch
from conftest import make_trainer as shared_make_trainer

from archer_trl.cli.inspect import main
from archer_trl.core_algos import classify_reasoning_tokens
from archer_trl.inspect import InspectTokensCallback
from archer_trl.inspect.compute import CompletionRecord, type_records
from archer_trl.inspect.io import load_completions
from archer_trl.inspect.scoring import score_records


def parity_reward(completions, **kwargs):
    return [float(len(c) % 2) for c in completions]


def make_trainer(model_dir, output_dir, **overrides):
    settings = {"max_completion_length": 12} | overrides
    return shared_make_trainer(model_dir, output_dir, reward_funcs=parity_reward, **settings)


def test_inspector_entropies_and_types_equal_the_trainers(tiny_model_dir, tmp_path):
    trainer = make_trainer(tiny_model_dir, tmp_path, temperature=0.7, token_entropy_quantile=0.75)
    trainer.model.eval()
    inputs = trainer._prepare_inputs(next(iter(trainer.get_train_dataloader())))
    prompt_ids, prompt_mask = inputs["prompt_ids"], inputs["prompt_mask"]
    completion_ids, completion_mask = inputs["completion_ids"], inputs["completion_mask"]
    with torch.no_grad():
        _, trainer_entropies, _ = trainer._get_per_token_logps_and_entropies(
            trainer.model,
            torch.cat([prompt_ids, completion_ids], dim=1),
            torch.cat([prompt_mask, completion_mask], dim=1),
            completion_ids.size(1),
            compute_entropy=True,
        )
    tokenizer = trainer.processing_class
    records = []
    for i in range(completion_ids.size(0)):
        prompt = tokenizer.decode(prompt_ids[i][prompt_mask[i].bool()])
        ids = completion_ids[i][completion_mask[i].bool()].tolist()
        records.append(CompletionRecord(prompt=prompt, completion=tokenizer.decode(ids), completion_ids=ids))
    scored = score_records(trainer.model, tokenizer, records, temperature=0.7, progress=False)
    view = type_records(scored, trainer.args.token_entropy_quantile, trainer.args.entropy_tie_rule)

    expected_types = classify_reasoning_tokens(
        trainer_entropies, completion_mask, trainer.args.token_entropy_quantile, trainer.args.entropy_tie_rule
    )
    for i, record in enumerate(scored):
        n = len(record.completion_ids)
        assert record.entropies == pytest.approx(trainer_entropies[i, :n].tolist(), abs=1e-4)
        assert view.reasoning[i] == expected_types[i, :n].tolist()


def test_callback_writes_reports_from_trls_logged_completions(tiny_model_dir, tmp_path):
    trainer = make_trainer(tiny_model_dir, tmp_path, log_completions=True)
    callback = InspectTokensCallback(trainer, every_n_steps=1, num_samples=4)
    trainer.add_callback(callback)
    trainer.add_callback(InspectTokensCallback(trainer))  # off by default: writes nothing
    trainer.train()

    folder = tmp_path / "token_types"
    assert sorted(p.name for p in folder.iterdir()) == [
        "step_000001.html",
        "step_000001.jsonl",
        "step_000002.html",
        "step_000002.jsonl",
    ]
    assert callback.written == [folder / "step_000001.html", folder / "step_000002.html"]
    for step in (1, 2):
        rows = [json.loads(line) for line in (folder / f"step_{step:06d}.jsonl").read_text().splitlines()]
        assert len(rows) == 4
        assert all(r["step"] == step and r["quantile"] == 0.8 and "parity_reward" in r for r in rows)
        # The sampled completions are the ones TRL logged for that step (its parquet holds the same batch).
        logged = pd.read_parquet(tmp_path / "completions" / f"completions_{step:05d}.parquet")
        assert {r["completion"] for r in rows} <= set(logged["completion"])
        # The EOS the trainer typed is restored for completions that stopped early.
        assert all(r["tokens"][-1] == "<|im_end|>" for r in rows)
        page = (folder / f"step_{step:06d}.html").read_text()
        assert f"step {step}" in page and 'class="t r' in page and 'class="t k' in page

    # The CLI reads TRL's completion log (the training output_dir -> its newest completions_<step>.parquet) ...
    records = load_completions(tmp_path)
    assert len(records) == 6 and all(r.meta["step"] == 2 and "advantage" in r.meta for r in records)
    assert {r.prompt for r in records} <= {f"{i} plus {i} is" for i in range(12)}
    report = tmp_path / "from_trl.html"
    argv = ["--model", tiny_model_dir, "--completions", str(tmp_path), "--step", "1", "--append-eos"]
    assert main(argv + ["-o", str(report), "--print", "0", "--no-progress"]) == 0
    assert report.read_text().count('<section class="resp"') == 6
    # ... and the callback's typed JSONL, without a model.
    report = tmp_path / "from_callback.html"
    assert main(["--completions", str(folder / "step_000001.jsonl"), "-o", str(report), "--print", "0"]) == 0
    assert report.read_text().count('<section class="resp"') == 4


def test_callback_with_fixed_prompts_and_bad_arguments(tiny_model_dir, tmp_path):
    trainer = make_trainer(tiny_model_dir, tmp_path, max_steps=2)
    callback = InspectTokensCallback(trainer, every_n_steps=2, num_samples=2, prompts=["5 plus 5 is", "1 plus 1 is"])
    trainer.add_callback(callback)
    trainer.train()
    assert [p.name for p in callback.written] == ["step_000002.html"]
    rows = [json.loads(line) for line in (tmp_path / "token_types" / "step_000002.jsonl").read_text().splitlines()]
    assert [r["prompt"] for r in rows] == ["5 plus 5 is", "1 plus 1 is"]
    assert all(1 <= len(r["tokens"]) <= trainer.args.max_completion_length for r in rows)

    with pytest.raises(ValueError, match="every_n_steps=-1"):
        InspectTokensCallback(trainer, every_n_steps=-1)
    with pytest.raises(ValueError, match="needs a trainer, or fixed prompts and a tokenizer"):
        InspectTokensCallback(every_n_steps=1)
    with pytest.raises(ValueError, match="quantile=0 is invalid"):
        InspectTokensCallback(trainer, every_n_steps=1, quantile=0)
