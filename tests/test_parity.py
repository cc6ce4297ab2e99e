"""Drop-in parity, row by row of docs/parity.md: each GRPOConfig loss option trains in each token-constraint mode with
the metric keys a real `trl.GRPOTrainer` logs for the same option, or is refused at construction as the table says.

The expectations are read from the table itself, so the page and the behaviour cannot drift apart.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import torch
from conftest import character_sum_reward, make_trainer, training_inputs
from trl import GRPOConfig, GRPOTrainer

from archer_trl import ArcherConfig, core_algos

PARITY_DOC = Path(__file__).resolve().parents[1] / "docs" / "parity.md"
MODES = core_algos.TOKEN_CONSTRAINT_MODES  # the registry: every registered mode must have a column
VERDICTS = ("works", "changes meaning", "refused")
FAST = {"max_steps": 1, "max_completion_length": 6, "num_prompts": 2}  # 6 completions, one optimizer step


def build(model_dir, output_dir, **settings):
    return make_trainer(model_dir, output_dir, reward_funcs=character_sum_reward, **settings)


@dataclass
class Row:
    """What a table row's test runs: the options, and how to run them where the default path cannot."""

    options: dict[str, Any]
    run: dict[str, Any] = field(default_factory=dict)  # extra trainer settings that are not the option itself
    loss_level: bool = False  # needs vLLM to train: checked on one micro-batch with an injected sampler ratio
    model: str = "tiny"  # "tiny" (random Llama), "moe" (random Mixtral) or "tiny_math" (trained; emits EOS)


ROWS: dict[str, Row] = {
    '`loss_type="grpo"`': Row({"loss_type": "grpo"}),
    '`loss_type="bnpo"`': Row({"loss_type": "bnpo"}),
    '`loss_type="dr_grpo"`': Row({"loss_type": "dr_grpo"}),
    '`loss_type="dapo"`': Row({"loss_type": "dapo"}),
    '`loss_type="luspo"`': Row({"loss_type": "luspo"}),
    '`loss_type="cispo"`': Row({"loss_type": "cispo", "epsilon_high": 5.0}),
    '`loss_type="sapo"`': Row({"loss_type": "sapo"}),
    '`loss_type="vespo"`': Row({"loss_type": "vespo"}),
    "`epsilon`, `epsilon_high`": Row({"epsilon": 0.1, "epsilon_high": 0.3}),
    "`delta`": Row({"delta": 3.0}),
    "`beta`": Row({"beta": 0.04}),
    "`use_bias_correction_kl`": Row({"use_bias_correction_kl": True, "beta": 0.04}),
    '`importance_sampling_level="sequence"`': Row({"importance_sampling_level": "sequence"}),
    "`top_entropy_quantile`": Row({"top_entropy_quantile": 0.5}),
    "`entropy_coef`": Row({"entropy_coef": 0.01}),
    "`use_adaptive_entropy`, `entropy_coef_min`, `entropy_coef_max`, `entropy_coef_delta`, `entropy_target`": Row(
        {"use_adaptive_entropy": True, "entropy_coef": 0.01, "entropy_coef_delta": 0.02, "entropy_target": 100.0}
    ),
    "`sync_ref_model`, `ref_model_mixup_alpha`, `ref_model_sync_steps`": Row(
        {"sync_ref_model": True, "ref_model_mixup_alpha": 0.5, "ref_model_sync_steps": 1, "beta": 0.04}
    ),
    "`off_policy_mask_threshold`": Row({"off_policy_mask_threshold": 0.05}, run={"num_iterations": 2}),
    "`vllm_importance_sampling_correction`, `vllm_importance_sampling_mode`, `vllm_importance_sampling_clip_min`, "
    "`vllm_importance_sampling_clip_max`": Row(
        {"vllm_importance_sampling_mode": "token_truncate", "vllm_importance_sampling_clip_max": 2.0}, loss_level=True
    ),
    "`num_iterations`, `steps_per_generation`": Row(
        {"num_iterations": 2, "steps_per_generation": 2}, run={"num_prompts": 4}
    ),
    "`sapo_temperature_pos`, `sapo_temperature_neg`": Row(
        {"loss_type": "sapo", "sapo_temperature_pos": 0.8, "sapo_temperature_neg": 1.2}
    ),
    "`vespo_k_pos`, `vespo_lambda_pos`, `vespo_k_neg`, `vespo_lambda_neg`": Row(
        {
            "loss_type": "vespo",
            "vespo_k_pos": 1.5,
            "vespo_lambda_pos": 2.0,
            "vespo_k_neg": 2.5,
            "vespo_lambda_neg": 1.5,
        }
    ),
    "`temperature`": Row({"temperature": 0.7}),
    "`mask_truncated_completions`": Row(
        {"mask_truncated_completions": True}, run={"max_completion_length": 24}, model="tiny_math"
    ),
    "`scale_rewards`, `multi_objective_aggregation`, `reward_weights`": Row(
        {"scale_rewards": "batch", "multi_objective_aggregation": "normalize_then_sum", "reward_weights": [2.0]}
    ),
    "`router_aux_loss_coef`": Row({"router_aux_loss_coef": 0.02}, model="moe"),
}


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split(" | ")]


def table_columns() -> list[str]:
    """The modes the table's header names, in order (between the option and the why column)."""
    header = next(line for line in PARITY_DOC.read_text().splitlines() if line.startswith("| option |"))
    return [cell.strip("`") for cell in _cells(header)[1:-1]]


def read_table() -> dict[str, dict[str, str]]:
    """{option cell: {mode: verdict}} from the table's rows (cells start with a bold verdict)."""
    columns, table = table_columns(), {}
    for line in PARITY_DOC.read_text().splitlines():
        if not line.startswith("| `"):
            continue
        cells = _cells(line)
        if cells[1] in [f"`{m}`" for m in columns] or len(cells) != len(columns) + 2:
            continue
        verdicts = {}
        for mode, cell in zip(columns, cells[1:-1], strict=True):
            match = re.match(r"\*\*(works|changes meaning|refused)\*\*", cell)
            assert match, f"row {cells[0]}: the {mode} cell must start with a bold verdict, got {cell!r}"
            verdicts[mode] = match.group(1)
        table[cells[0]] = verdicts
    return table


TABLE = read_table()


def test_every_table_row_has_a_test_and_every_test_a_row():
    assert sorted(TABLE) == sorted(ROWS)


def test_the_columns_are_the_registered_modes_and_refusals_are_their_declarations():
    assert table_columns() == list(MODES)
    for mode in MODES:
        declared = core_algos.MODES[mode]
        refused_loss_types = {
            row for row, v in TABLE.items() if row.startswith('`loss_type="') and v[mode] == "refused"
        }
        assert refused_loss_types == {f'`loss_type="{t}"`' for t in declared.refused_loss_types}, mode
        assert set(declared.refused_loss_types) | set(declared.loss_types) == set(core_algos.TRL_LOSS_TYPES), mode


def test_table_counts():
    """The counts the page states are the counts of its table."""
    text = PARITY_DOC.read_text()
    counts = {verdict: sum(v == verdict for row in TABLE.values() for v in row.values()) for verdict in VERDICTS}
    stated = f"**works {counts['works']}, changes meaning {counts['changes meaning']}, refused {counts['refused']}**"
    assert stated in text, f"docs/parity.md must state {stated}"
    for mode in MODES:
        per_mode = [sum(row[mode] == verdict for row in TABLE.values()) for verdict in VERDICTS]
        assert re.search(rf"\| `{mode}` \| {per_mode[0]} \| {per_mode[1]}\b.*\| {per_mode[2]}\b", text), (
            mode,
            per_mode,
        )


_TRL_KEYS: dict[str, set[str]] = {}  # a TRL run per distinct TRL configuration, shared across the modes


def logged_keys(trainer) -> set[str]:
    keys = set().union(*(entry for entry in trainer.state.log_history))
    return {key for key in keys if not key.startswith(("archer/", "aspo/"))}


def trl_options(config: ArcherConfig, options: dict[str, Any]) -> dict[str, Any]:
    """The options a TRL user would pass to get the same run: the option, plus the settings ArcherConfig changes."""
    same = {name: getattr(config, name) for name in ("beta", "loss_type", "delta", "use_bias_correction_kl")}
    return options | same


def trl_logged_keys(model_dir, tmp_path, options: dict[str, Any]) -> set[str]:
    cache_key = json.dumps([model_dir, options], sort_keys=True, default=str)
    if cache_key not in _TRL_KEYS:
        trainer = build(model_dir, tmp_path / "trl", trainer_cls=GRPOTrainer, config_cls=GRPOConfig, **options)
        trainer.train()
        _TRL_KEYS[cache_key] = logged_keys(trainer)
    return _TRL_KEYS[cache_key]


@pytest.fixture(scope="module")
def models(tiny_model_dir, tiny_moe_model_dir):
    import archer_trl

    tiny_math = Path(archer_trl.__file__).parent / "assets" / "tiny-math"  # the shipped trained checkpoint
    return {"tiny": tiny_model_dir, "moe": tiny_moe_model_dir, "tiny_math": str(tiny_math)}


def cells(verdicts: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(row, mode) for row in ROWS for mode in MODES if TABLE.get(row, {}).get(mode) in verdicts]


def settings_of(spec: Row) -> dict[str, Any]:
    return FAST | spec.run | spec.options


@pytest.mark.parametrize("row,mode", cells(("refused",)))
def test_refused_option_fails_at_construction_as_documented(row, mode, tmp_path):
    spec = ROWS[row]
    config_fields = {k: v for k, v in settings_of(spec).items() if k != "num_prompts"}
    with pytest.raises(ValueError, match=r"docs/parity\.md") as refusal:
        ArcherConfig(output_dir=str(tmp_path), use_cpu=True, token_constraints=mode, **config_fields)
    assert any(f"ArcherConfig.{name}=" in str(refusal.value) for name in spec.options)


@pytest.mark.slow  # about 2 minutes on 2 CPU cores: ~60 one-step trainings plus the TRL runs they are compared with
@pytest.mark.parametrize("row,mode", cells(("works", "changes meaning")))
def test_option_trains_with_trls_metric_keys(row, mode, models, tmp_path):
    spec = ROWS[row]
    settings = settings_of(spec)
    model_dir = models[spec.model]
    trainer = build(model_dir, tmp_path / mode, token_constraints=mode, **settings)
    expected_options = trl_options(trainer.args, spec.run | spec.options)
    if spec.loss_level:
        archer_keys, trl_keys = _loss_level_keys(trainer, model_dir, tmp_path, expected_options)
    else:
        before = [p.detach().clone() for p in trainer.model.parameters()]
        trainer.train()
        moved = [not torch.equal(b, p.detach()) for b, p in zip(before, trainer.model.parameters(), strict=True)]
        assert any(moved), f"{row} in {mode} mode: no parameter changed in one optimizer step"
        archer_keys = logged_keys(trainer)
        trl_keys = trl_logged_keys(model_dir, tmp_path, FAST | expected_options)
    assert archer_keys == trl_keys, (
        f"{row} in {mode} mode logs other keys than TRL: missing {sorted(trl_keys - archer_keys)}, "
        f"extra {sorted(archer_keys - trl_keys)}"
    )
    if TABLE[row][mode] == "changes meaning":
        _check_changed_meaning(row, mode, trainer)


def _loss_level_keys(trainer, model_dir, tmp_path, options):
    """The sampler-mismatch ratio without vLLM: set on one real micro-batch, as TRL's generation would set it."""
    trl = build(model_dir, tmp_path / "trl", trainer_cls=GRPOTrainer, config_cls=GRPOConfig, **options)
    inputs = training_inputs(trainer)
    keys = []
    for each in (trainer, trl):
        each.model.train()
        each.current_gradient_accumulation_steps = 1
        each.use_vllm = True
        each._metrics["train"].clear()
    ratio = torch.rand(inputs["completion_ids"].shape, generator=torch.Generator().manual_seed(1)) + 0.5
    with_ratio = trainer.compute_loss(trainer.model, inputs | {"importance_sampling_ratio": ratio})
    keys.append({k for k in trainer._metrics["train"] if not k.startswith(("archer/", "aspo/"))})
    unit = trainer.compute_loss(trainer.model, inputs | {"importance_sampling_ratio": torch.ones_like(ratio)})
    assert not torch.allclose(with_ratio, unit), "the importance-sampling ratio must weight the policy term"
    GRPOTrainer._compute_loss(trl, trl.model, inputs | {"importance_sampling_ratio": ratio})
    keys.append(set(trl._metrics["train"]))
    return keys[0], keys[1]


def _check_changed_meaning(row: str, mode: str, trainer) -> None:
    """The meaning the table gives, on the trained configuration."""
    args = trainer.args
    if mode == "aspo" and row == "`epsilon`, `epsilon_high`":
        assert (args.epsilon_knowledge, args.effective_epsilon_high_reasoning) == (0.2, 0.4)  # per-type, not 0.1/0.3
    elif mode == "aspo" and row == "`delta`":  # c = 3 bounds both signs: ratios beyond it keep a -A c log pi term
        trainer.compute_loss(trainer.model, training_inputs(trainer, ratio_spread=5.0))
        logged = trainer._metrics["train"]
        assert args.delta == 3.0 and logged["aspo/dual_clip/negative"][-1] + logged["aspo/dual_clip/positive"][-1] > 0
    elif row == "`beta`":
        assert (args.beta_knowledge, args.beta_reasoning, trainer.beta) == (0.04, 0.0, 0.04)
        assert trainer.ref_model is not None
    elif row == "`epsilon`, `epsilon_high`":
        assert (args.epsilon_knowledge, args.effective_epsilon_high_reasoning) == (0.2, 0.5)  # per-type, not 0.1/0.3
    elif row == '`loss_type="cispo"`':
        # ratios reach about e^1.5 = 4.5 here: TRL's cap 5.0 would never bind, the per-type caps 1.2 / 1.5 do
        loss = trainer.compute_loss(trainer.model, training_inputs(trainer))
        assert torch.isfinite(loss) and trainer._metrics["train"]["cispo_clip_ratio"][-1] > 0.0
    else:
        raise AssertionError(f"no check written for the changed meaning of {row}")
