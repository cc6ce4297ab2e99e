"""ArcherGRPOTrainer on real TRL training loops with a tiny offline model."""

from __future__ import annotations

import json

import pytest
import torch
from conftest import gradients, length_parity_reward, make_trainer, policy_logps_and_entropies, training_inputs
from reference_archer import reference_loss
from trl import GRPOTrainer

from archer_trl import ArcherGRPOTrainer

# Archer's per-type fields set to TRL's uniform clip 0.2 / 0.28 and no KL: the loss must then be TRL's.
TRL_CONSTRAINTS_FOR_BOTH_TYPES = {
    "epsilon_knowledge": 0.2,
    "epsilon_high_knowledge": 0.28,
    "epsilon_reasoning": 0.2,
    "epsilon_high_reasoning": 0.28,
    "beta_knowledge": 0.0,
}

REFERENCE_SETTINGS = [
    ({"beta_knowledge": 0.02, "temperature": 0.7}, {"beta_knowledge": 0.02}),
    (
        {
            "token_entropy_quantile": 0.6,
            "epsilon_knowledge": 0.1,
            "epsilon_high_knowledge": 0.3,
            "epsilon_reasoning": 0.4,
            "beta_knowledge": 0.01,
            "beta_reasoning": 0.03,
            "delta": 3.0,
            "kl_normalization": "sequence",
        },
        {
            "rho": 0.6,
            "eps_knowledge": (0.1, 0.3),
            "eps_reasoning": (0.4, 0.4),
            "beta_knowledge": 0.01,
            "beta_reasoning": 0.03,
            "delta": 3.0,
            "kl_normalization": "sequence",
        },
    ),
    (
        {"loss_type": "dapo", "beta_knowledge": 0.01, "delta": None},
        {"loss_type": "dapo", "beta_knowledge": 0.01, "delta": None},
    ),
]


@pytest.mark.parametrize("with_tool_mask", [False, True], ids=["", "tool_mask"])
@pytest.mark.parametrize("config,reference", REFERENCE_SETTINGS)
def test_compute_loss_matches_float64_reference(tiny_model_dir, tmp_path, config, reference, with_tool_mask):
    trainer = make_trainer(tiny_model_dir, tmp_path, **config)
    inputs = training_inputs(trainer)
    loss_mask = inputs["completion_mask"]
    if with_tool_mask:  # tool-output tokens (tool_mask 0) are context, not policy actions: no loss, no typing
        tool_mask = torch.ones_like(loss_mask)
        tool_mask[:, 2:5] = 0
        inputs["tool_mask"] = tool_mask
        loss_mask = loss_mask * tool_mask
        inputs["num_items_in_batch"] = loss_mask.sum()  # TRL counts loss tokens after the tool mask

    loss = trainer.compute_loss(trainer.model, inputs)
    actual_grads = gradients(trainer.model, loss)

    logps, entropies = policy_logps_and_entropies(trainer, inputs)
    expected = reference_loss(
        logps,
        inputs["old_per_token_logps"].double(),
        inputs["ref_per_token_logps"].double(),
        entropies,
        loss_mask,
        inputs["advantages"].double(),
        **reference,
    )
    expected_grads = gradients(trainer.model, expected)

    torch.testing.assert_close(loss.double(), expected.detach(), rtol=1e-4, atol=1e-7)
    for actual_grad, expected_grad in zip(actual_grads, expected_grads, strict=True):
        torch.testing.assert_close(actual_grad.double(), expected_grad.double(), rtol=1e-4, atol=1e-6)
    logged = trainer._metrics["train"]
    assert 0.0 < logged["archer/reasoning_token_fraction"][-1] < 0.5
    assert logged["clip_ratio/region_mean"][-1] > 0.0


@pytest.mark.parametrize(
    "loss_type,accumulation,vllm_is",
    [
        ("grpo", 1, False),
        ("grpo", 2, True),
        ("bnpo", 2, False),
        ("dr_grpo", 1, False),
        ("dapo", 2, True),
        ("luspo", 1, False),
    ],
)
def test_equals_trl_grpo_loss_when_token_types_share_constraints(
    tiny_model_dir, tmp_path, loss_type, accumulation, vllm_is
):
    """With equal clip ranges and no KL, Archer's loss is TRL's GRPO loss, value and gradient."""
    trainer = make_trainer(
        tiny_model_dir,
        tmp_path,
        loss_type=loss_type,
        gradient_accumulation_steps=accumulation,
        epsilon=0.2,
        epsilon_high=0.28,
        **TRL_CONSTRAINTS_FOR_BOTH_TYPES,
    )
    inputs = training_inputs(trainer)
    if vllm_is:  # TRL multiplies the policy term by vLLM's importance-sampling ratio; so must we
        trainer.use_vllm = True
        inputs["importance_sampling_ratio"] = (
            torch.rand(inputs["completion_ids"].shape, generator=torch.Generator().manual_seed(3)) + 0.5
        )

    archer = trainer.compute_loss(trainer.model, inputs)
    archer_grads = gradients(trainer.model, archer)
    trl = GRPOTrainer._compute_loss(trainer, trainer.model, inputs)
    trl_grads = gradients(trainer.model, trl)

    torch.testing.assert_close(archer, trl, rtol=1e-6, atol=0)
    for a, b in zip(archer_grads, trl_grads, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-8)


def test_none_mode_is_trls_loss_with_its_own_beta(tiny_model_dir, tmp_path):
    trainer = make_trainer(tiny_model_dir, tmp_path, token_constraints="none", beta=0.04)
    inputs = training_inputs(trainer)
    torch.testing.assert_close(
        trainer.compute_loss(trainer.model, inputs), GRPOTrainer._compute_loss(trainer, trainer.model, inputs)
    )
    assert "_get_per_token_logps_and_entropies" not in vars(trainer), "the forward recording must not outlive the loss"
    assert trainer._metrics["train"]["archer/kl/knowledge"], "per-type metrics come from TRL's own forward pass"


@pytest.mark.parametrize("bias_correction", [False, True])
def test_none_mode_per_type_kl_is_trls_kl_split_by_type(tiny_model_dir, tmp_path, bias_correction):
    """The per-type KL metrics use TRL's own KL, bias-corrected when TRL's is: by type, they average to its `kl`."""
    trainer = make_trainer(
        tiny_model_dir, tmp_path, token_constraints="none", beta=0.04, use_bias_correction_kl=bias_correction
    )
    trainer.compute_loss(trainer.model, training_inputs(trainer))
    logged = {key: values[-1] for key, values in trainer._metrics["train"].items()}
    share = logged["archer/reasoning_token_fraction"]
    by_type = share * logged["archer/kl/reasoning"] + (1 - share) * logged["archer/kl/knowledge"]
    assert by_type == pytest.approx(logged["kl"], rel=1e-5)


def test_none_mode_logs_the_same_token_type_metrics_as_archer_mode(tiny_model_dir, tmp_path):
    """Baselines are measured like Archer: equal clip ranges give identical per-type statistics on the same batch."""
    shared = {"epsilon": 0.2, "epsilon_high": 0.28, "token_entropy_quantile": 0.7}
    trl_loss = make_trainer(tiny_model_dir, tmp_path / "none", token_constraints="none", **shared)
    archer = make_trainer(
        tiny_model_dir,
        tmp_path / "archer",
        **TRL_CONSTRAINTS_FOR_BOTH_TYPES,
        token_entropy_quantile=0.7,
    )
    inputs = training_inputs(trl_loss)
    archer.model.train()
    archer.current_gradient_accumulation_steps = 1
    trl_loss.compute_loss(trl_loss.model, inputs)
    archer.compute_loss(archer.model, inputs)
    keys = [key for key in archer._metrics["train"] if key.startswith("archer/")]
    assert len(keys) == 7
    for key in keys:
        assert len(trl_loss._metrics["train"][key]) == 1, f"{key} must be logged once per loss call"
        assert trl_loss._metrics["train"][key] == pytest.approx(archer._metrics["train"][key], rel=1e-6, abs=1e-9), key
    assert len(trl_loss._metrics["train"]["entropy"]) == 1, "TRL's own keys must not be logged twice"
    assert archer._metrics["train"]["archer/clip_ratio/reasoning_high"][0] > 0
    assert archer._metrics["train"]["archer/clip_ratio/knowledge_low"][0] > 0


def test_mask_80_20_gives_gradient_only_to_high_entropy_tokens(tiny_model_dir, tmp_path):
    trainer = make_trainer(tiny_model_dir, tmp_path, token_constraints="mask_80_20", token_entropy_quantile=0.8)
    inputs = training_inputs(trainer)
    logps, entropies = policy_logps_and_entropies(trainer, inputs)
    mask = inputs["completion_mask"].bool()
    threshold = torch.quantile(entropies[mask], 0.8)
    selected = (entropies >= threshold) & mask

    # float64 reference: TRL's clip (0.2) and dual clip on selected tokens, each response averaged over its selected tokens
    ratio = torch.exp(logps - inputs["old_per_token_logps"].double())
    advantages = inputs["advantages"].double().unsqueeze(1)
    token_loss = torch.maximum(-advantages * ratio, -advantages * ratio.clamp(0.8, 1.2))
    token_loss = torch.where(advantages < 0, torch.minimum(token_loss, -10.0 * advantages), token_loss)
    per_response = (token_loss * selected).sum(-1) / selected.sum(-1).clamp(min=1)
    expected = per_response.mean()

    actual = trainer.compute_loss(trainer.model, inputs)
    torch.testing.assert_close(actual.double(), expected.detach(), rtol=1e-4, atol=1e-7)
    metrics = trainer._metrics["train"]
    assert metrics["archer/selected_token_fraction"][-1] == pytest.approx(selected.sum().item() / mask.sum().item())
    # the per-type metrics use Archer's per-response typing in every mode, not the batch-wide selection
    per_response = torch.zeros_like(selected)
    for row in range(mask.size(0)):
        valid = entropies[row][mask[row]]
        per_response[row, : valid.numel()] = entropies[row, : valid.numel()] > torch.quantile(valid, 0.8)
    typed = per_response & mask
    assert metrics["archer/reasoning_token_fraction"][-1] == pytest.approx(typed.sum().item() / mask.sum().item())
    assert not torch.equal(typed, selected)


def test_zero_variance_groups_are_dropped(tiny_model_dir, tmp_path):
    def constant_for_even_prompts(prompts, completions, **kwargs):
        return [1.0 if int(p.split()[0]) % 2 == 0 else float(len(c) % 2) for p, c in zip(prompts, completions)]

    trainer = make_trainer(tiny_model_dir, tmp_path, filter_zero_variance_groups=True, max_completion_length=12)
    trainer.reward_funcs = [constant_for_even_prompts]
    trainer.model.train()
    batch = next(iter(trainer.get_train_dataloader()))
    output = trainer._generate_and_score_completions(batch)

    even = torch.tensor([int(x["prompt"].split()[0]) % 2 == 0 for x in batch])
    assert even.any()
    assert output["completion_mask"][even].sum() == 0, "zero-variance groups must not contribute any token"
    assert output["num_items_in_batch"] == output["completion_mask"].sum()
    dropped = trainer._metrics["train"]["archer/dropped_group_fraction"][-1]
    assert dropped >= even.float().mean().item() - 1e-6
    torch.testing.assert_close(output["archer_kept_fraction"], torch.tensor(1.0 - dropped).clamp(min=1 / len(batch)))


def test_train_updates_every_parameter_and_logs_archer_metrics(tiny_model_dir, tmp_path):
    trainer = make_trainer(
        tiny_model_dir, tmp_path, max_steps=3, num_iterations=2, gradient_accumulation_steps=2, steps_per_generation=4
    )
    before = {n: p.detach().clone() for n, p in trainer.model.named_parameters()}
    trainer.train()
    changed = [n for n, p in trainer.model.named_parameters() if not torch.equal(before[n], p.detach())]
    assert len(changed) == len(before)
    logs = [entry for entry in trainer.state.log_history if "loss" in entry]
    assert logs and all(torch.isfinite(torch.tensor(entry["loss"])) for entry in logs)
    for key in ("archer/reasoning_token_fraction", "archer/entropy/reasoning", "archer/kl/knowledge", "kl"):
        assert key in logs[-1]
    assert logs[-1]["archer/entropy/reasoning"] > logs[-1]["archer/entropy/knowledge"]
    assert any(entry["clip_ratio/region_mean"] > 0 for entry in logs), "num_iterations=2 must reach the clip"


def test_bf16_weights_train_with_finite_loss(tiny_model_dir, tmp_path):
    trainer = make_trainer(tiny_model_dir, tmp_path, model_init_kwargs={"dtype": torch.bfloat16}, num_iterations=2)
    assert next(trainer.model.parameters()).dtype == torch.bfloat16
    trainer.train()
    assert all(torch.isfinite(torch.tensor(e["loss"])) for e in trainer.state.log_history if "loss" in e)


def test_peft_lora_trains_with_adapter_as_policy_and_base_as_reference(tiny_model_dir, tmp_path):
    from peft import LoraConfig

    lora = LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM")
    trainer = make_trainer(tiny_model_dir, tmp_path, peft_config=lora, beta_knowledge=0.05, num_iterations=2)
    assert trainer.ref_model is None  # TRL uses the disabled adapter as the reference
    lora_before = {n: p.detach().clone() for n, p in trainer.model.named_parameters() if "lora_B" in n}
    trainer.train()
    assert any(not torch.equal(v, dict(trainer.model.named_parameters())[n]) for n, v in lora_before.items())
    assert any("archer/kl/knowledge" in e for e in trainer.state.log_history)


def test_checkpoint_resume_and_model_card(tiny_model_dir, tmp_path):
    first = make_trainer(tiny_model_dir, tmp_path, max_steps=2, save_strategy="steps", save_steps=2)
    first.train()
    checkpoint = tmp_path / "checkpoint-2"
    assert (checkpoint / "trainer_state.json").exists() and (checkpoint / "optimizer.pt").exists()

    card = (checkpoint / "README.md").read_text()
    assert "Archer" in card and "2507.15778" in card
    assert "archer" in card and "grpo" in card and "trl" in card  # tags

    resumed = make_trainer(tiny_model_dir, tmp_path, max_steps=4, save_strategy="steps", save_steps=2)
    resumed.train(resume_from_checkpoint=str(checkpoint))
    assert resumed.state.global_step == 4
    state = json.loads((tmp_path / "checkpoint-4" / "trainer_state.json").read_text())
    assert state["global_step"] == 4 and state["log_history"][0]["step"] == 1  # history carried over from step 1


def test_plain_grpo_config_is_rejected_with_a_clear_message(tiny_model_dir):
    from trl import GRPOConfig

    with pytest.raises(TypeError, match="ArcherConfig"):
        ArcherGRPOTrainer(tiny_model_dir, length_parity_reward, args=GRPOConfig(output_dir="unused", use_cpu=True))


def test_token_type_reports_during_training(tiny_model_dir, tmp_path):
    """The training CLI's `--inspect_tokens_steps` attaches the inspector's callback; the trainer never imports it."""
    from trl import TrlParser

    from archer_trl import ArcherConfig
    from archer_trl.cli.train import ArcherScriptArguments, attach_token_type_reports

    parser = TrlParser((ArcherScriptArguments, ArcherConfig))
    script_args, _ = parser.parse_args_and_config(
        [
            "--output_dir",
            str(tmp_path),
            "--use_cpu",
            "true",
            "--inspect_tokens_steps",
            "1",
            "--inspect_tokens_samples",
            "3",
        ]
    )
    trainer = make_trainer(tiny_model_dir, tmp_path, max_steps=2)
    attach_token_type_reports(trainer, script_args)
    trainer.train()
    reports = sorted((tmp_path / "token_types").glob("step_*.html"))
    assert [r.name for r in reports] == ["step_000001.html", "step_000002.html"]
    html = reports[-1].read_text()
    assert html.count('<span class="t r') > 0 and html.count('<span class="t k') > 0  # both token types shown


TRL_OPTIONS_ON_TOP = [
    {"entropy_coef": 0.05},
    {"top_entropy_quantile": 0.5},
    {"top_entropy_quantile": 0.5, "entropy_coef": 0.05, "loss_type": "dapo"},
    {"use_adaptive_entropy": True, "entropy_coef": 0.05, "entropy_target": 100.0, "gradient_accumulation_steps": 2},
    {"off_policy_mask_threshold": 0.1, "loss_type": "bnpo"},
    {"loss_type": "cispo", "epsilon_high": 1.28},  # TRL's cap 1.28 = 1 + each type's upper epsilon 0.28
]


@pytest.mark.parametrize("options", TRL_OPTIONS_ON_TOP, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_trl_options_on_top_of_archer_match_trl_when_types_share_constraints(tiny_model_dir, tmp_path, options):
    """TRL's entropy bonus (static, adaptive), entropy mask, off-policy mask and CISPO apply on top of Archer's loss as
    TRL applies them on top of its own: same value, gradient, controller state and logged metrics (keys and values)."""
    shared = {"epsilon": 0.2, "epsilon_high": 0.28} | TRL_CONSTRAINTS_FOR_BOTH_TYPES
    trainer = make_trainer(tiny_model_dir, tmp_path, **(shared | options))
    inputs = training_inputs(trainer)
    controller = {"entropy_coef": trainer.entropy_coef, "_last_world_entropy": 0.0, "_entropy_window_stats": None}

    def run(loss_fn):
        for name, value in controller.items():
            setattr(trainer, name, value)
        trainer._metrics["train"].clear()
        loss = loss_fn(trainer.model, inputs)
        state = (trainer.entropy_coef, trainer._last_world_entropy)
        metrics = {k: v for k, v in trainer._metrics["train"].items() if not k.startswith("archer/")}
        return loss, gradients(trainer.model, loss), state, metrics

    archer_loss, archer_grads, archer_state, archer_metrics = run(trainer.compute_loss)
    trl_loss, trl_grads, trl_state, trl_metrics = run(lambda m, x: GRPOTrainer._compute_loss(trainer, m, x))

    torch.testing.assert_close(archer_loss, trl_loss, rtol=1e-6, atol=1e-9)
    for a, b in zip(archer_grads, trl_grads, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-8)
    assert archer_state == pytest.approx(trl_state)
    assert sorted(archer_metrics) == sorted(trl_metrics)
    for key, values in trl_metrics.items():
        assert archer_metrics[key] == pytest.approx(values, rel=1e-5, abs=1e-7), key
    if trainer._entropy_bonus_enabled:
        assert "policy_loss" in archer_metrics and "entropy_coef" in archer_metrics


def test_adaptive_entropy_controller_state_is_checkpointed_in_archer_mode(tiny_model_dir, tmp_path):
    """TRL saves the controller with each checkpoint; Archer mode drives the same state, so it is saved and resumed."""
    settings = {
        "use_adaptive_entropy": True,
        "entropy_coef": 0.01,
        "entropy_coef_delta": 0.02,
        "entropy_target": 100.0,
    }
    first = make_trainer(tiny_model_dir, tmp_path, save_strategy="steps", save_steps=2, **settings)
    first.train()
    assert first.entropy_coef == pytest.approx(0.05)  # entropy below the target: +0.02 at each of 2 steps
    state = json.loads((tmp_path / "checkpoint-2" / "entropy_ctrl_state.json").read_text())
    assert state["entropy_coef"] == pytest.approx(first.entropy_coef)
    resumed = make_trainer(tiny_model_dir, tmp_path, max_steps=3, save_strategy="no", **settings)
    resumed.train(resume_from_checkpoint=str(tmp_path / "checkpoint-2"))
    assert resumed.entropy_coef == pytest.approx(0.07)
