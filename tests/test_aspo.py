"""ASPO (token_constraints="aspo") against an independent float64 reference, branch by branch, values and gradients."""

from __future__ import annotations

import math

import pytest
import torch
from conftest import gradients, make_trainer, policy_logps_and_entropies, training_inputs
from reference_aspo import BRANCHES, reference_aspo_loss, reference_token

from archer_trl import ArcherConfig, core_algos

C = 3.0
# Ratio ranges that put a token in each branch for either type's epsilon (0.2 knowledge, 0.4 reasoning) and c = 3.
RATIO_RANGES = {
    "neg_below": (0.05, 0.55),  # A < 0, r < 1 - eps: PPO clip, no gradient
    "neg_inside": (0.85, 2.9),  # A < 0, 1 - eps < r <= c: -A r
    "neg_dual": (3.2, 15.0),  # A < 0, r > c: soft dual clip -A c log pi
    "pos_dual": (0.02, 0.32),  # A > 0, r < 1/c: soft dual clip -A c log pi
    "pos_inside": (0.36, 1.18),  # A > 0, 1/c <= r < 1 + eps: flipped weight 1/r
    "pos_above": (1.45, 6.0),  # A > 0, r > 1 + eps: PPO clip, no gradient
    "zero": (0.05, 6.0),  # A = 0
}


def branch_batch(branch: str, n: int = 64, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    low, high = RATIO_RANGES[branch]
    ratio = torch.exp(math.log(low) + torch.rand(n, generator=g, dtype=torch.float64) * math.log(high / low))
    logps = -0.05 - torch.rand(n, generator=g, dtype=torch.float64) * 3.0
    sign = {"neg": -1.0, "pos": 1.0, "zero": 0.0}[branch.split("_")[0]]
    advantages = sign * (0.1 + torch.rand(n, generator=g, dtype=torch.float64) * 2.0)
    eps = torch.where(torch.rand(n, generator=g) < 0.5, 0.2, 0.4).double()
    return logps, logps - torch.log(ratio), advantages, eps


def branch_errors(branch: str, seed: int = 0) -> dict[str, float]:
    """Max relative error of the per-token loss values and gradients of `aspo_policy_loss` (float32, the trainer's
    dtype) against the float64 reference, on tokens that all fall in ``branch``."""
    logps, old, advantages, eps = branch_batch(branch, seed=seed)
    expected_leaf = logps.clone().requires_grad_(True)
    results = [
        reference_token(expected_leaf[k], float(old[k]), float(advantages[k]), float(eps[k]), C)
        for k in range(len(logps))
    ]
    assert {name for _, name in results} == {branch}, "the data must fall in the branch under test"
    expected = torch.stack([value for value, _ in results])
    (expected_grad,) = torch.autograd.grad(expected.sum(), expected_leaf)

    actual_leaf = logps.float().clone().requires_grad_(True)
    term = core_algos.aspo_policy_loss(
        actual_leaf, actual_leaf - old.float(), advantages.float(), eps.float(), eps.float(), C
    )
    (actual_grad,) = torch.autograd.grad(term.loss.sum(), actual_leaf)
    flags = {
        "neg_below": term.is_low_clipped,
        "pos_above": term.is_high_clipped,
        "neg_dual": term.dual_clip_negative,
        "pos_dual": term.dual_clip_positive,
    }
    for name, flag in flags.items():
        assert bool(flag.all()) == (name == branch) and (bool(flag.any()) == (name == branch)), (name, branch)

    def relative(actual, reference):
        return ((actual.double() - reference).abs() / reference.abs().clamp(min=1e-12)).max().item()

    def absolute(actual, reference):
        return (actual.double() - reference).abs().max().item()

    zero_grad = branch in ("neg_below", "pos_above", "zero")
    return {
        "loss": absolute(term.loss, expected.detach()) if branch == "zero" else relative(term.loss, expected.detach()),
        "grad": absolute(actual_grad, expected_grad) if zero_grad else relative(actual_grad, expected_grad),
        "expected": expected.detach(),
        "logps": logps,
        "advantages": advantages,
        "expected_grad": expected_grad,
    }


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("branch", BRANCHES)
def test_each_branch_matches_the_float64_reference(branch, seed):
    errors = branch_errors(branch, seed)
    assert errors["loss"] <= 1e-4 and errors["grad"] <= 1e-4, errors  # relative (absolute where the value is 0)
    expected, logps, advantages = errors["expected"], errors["logps"], errors["advantages"]
    if branch.endswith("dual"):  # the soft dual clip's value is proportional to log pi, with gradient weight c
        torch.testing.assert_close(expected, -advantages * C * logps)
        torch.testing.assert_close(errors["expected_grad"], -advantages * C)
    if branch in ("neg_below", "pos_above", "zero"):
        assert errors["expected_grad"].abs().max() == 0.0


def random_batch(seed: int, batch: int = 24, length: int = 20):
    """Mixed data: both signs of A and A = 0, ratios from 0.02 to 20, both token types, ragged masks, an empty row."""
    g = torch.Generator().manual_seed(seed)
    logps = -0.05 - torch.rand(batch, length, generator=g, dtype=torch.float64) * 3.0
    log_ratio = (torch.rand(batch, length, generator=g, dtype=torch.float64) * 2 - 1) * math.log(20.0)
    ref = logps + torch.randn(batch, length, generator=g, dtype=torch.float64) * 0.7
    entropies = torch.rand(batch, length, generator=g, dtype=torch.float64) * 4.0
    advantages = torch.randn(batch, generator=g, dtype=torch.float64)
    advantages[::6] = 0.0
    lengths = torch.randint(2, length + 1, (batch,), generator=g)
    lengths[1], lengths[2] = 1, 0
    mask = (torch.arange(length).unsqueeze(0) < lengths.unsqueeze(1)).to(torch.int64)
    return logps, logps - log_ratio, ref, entropies, mask, advantages


@pytest.mark.parametrize(
    "setting",
    [{}, {"rho": 0.6, "eps_knowledge": 0.1, "eps_reasoning": 0.3, "c": 5.0, "beta": 0.01}],
    ids=["released", "other-values"],
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_whole_loss_matches_float64_reference_with_gradients(setting, seed):
    logps, old, ref, entropies, mask, advantages = random_batch(seed)
    expected_leaf = logps.clone().requires_grad_(True)
    expected, branches = reference_aspo_loss(expected_leaf, old, ref, entropies, mask, advantages, **setting)
    expected.backward()
    assert set(branches.values()) == set(BRANCHES), "the mixed batch must reach every branch"

    s = {"rho": 0.8, "eps_knowledge": 0.2, "eps_reasoning": 0.4, "c": 3.0, "beta": 0.001} | setting
    actual_leaf = logps.float().clone().requires_grad_(True)
    out = core_algos.aspo_loss(
        actual_leaf,
        old.float(),
        entropies.float(),
        mask,
        advantages.float(),
        quantile=s["rho"],
        epsilon_knowledge=(s["eps_knowledge"],) * 2,
        epsilon_reasoning=(s["eps_reasoning"],) * 2,
        dual_clip=s["c"],
        ref_per_token_logps=ref.float(),
        beta=s["beta"],
        loss_type="bnpo",
    )
    out.loss.backward()
    torch.testing.assert_close(out.loss.double(), expected.detach(), rtol=1e-4, atol=1e-7)
    torch.testing.assert_close(actual_leaf.grad.double(), expected_leaf.grad, rtol=1e-4, atol=1e-7)
    negative = sum(b == "neg_dual" for b in branches.values())
    assert out.token_counts["aspo/dual_clip/negative"].item() == negative
    assert out.token_counts["aspo/dual_clip/positive"].item() == sum(b == "pos_dual" for b in branches.values())


def make(**kwargs) -> ArcherConfig:
    return ArcherConfig(output_dir="unused", use_cpu=True, **kwargs)


def test_the_released_construction_is_accepted_and_left_defaults_become_asposs():
    released = make(
        token_constraints="aspo",
        loss_type="bnpo",
        token_entropy_quantile=0.8,
        epsilon_knowledge=0.2,
        epsilon_reasoning=0.4,
        delta=3.0,
        beta=0.001,
    )
    defaults = make(token_constraints="aspo")
    for config in (released, defaults):
        assert (config.delta, config.beta, config.beta_knowledge) == (3.0, 0.001, 0.001)
        assert (config.epsilon_knowledge, config.epsilon_reasoning, config.token_entropy_quantile) == (0.2, 0.4, 0.8)
    assert (released.loss_type, defaults.loss_type) == ("bnpo", "grpo")  # the aggregation is shared by every mode
    assert make(token_constraints="aspo", beta=0.0).beta == 0.0  # no KL, no reference model
    assert make(token_constraints="aspo", loss_type="dapo", delta=2.0).delta == 2.0


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"loss_type": "cispo"}, "loss_type"),
        ({"loss_type": "sapo"}, "loss_type"),
        ({"delta": None}, "delta"),
        ({"delta": 1.0}, "delta"),
        ({"beta_knowledge": 0.01}, "beta_knowledge"),
        ({"beta_reasoning": 0.01}, "beta_reasoning"),
        ({"kl_normalization": "sequence"}, "kl_normalization"),
        ({"importance_sampling_level": "sequence"}, "importance_sampling_level"),
    ],
)
def test_settings_without_meaning_in_aspo_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(ValueError, match=r"docs/parity\.md") as refusal:
        make(token_constraints="aspo", **kwargs)
    assert f"ArcherConfig.{field}={kwargs[field]!r} is refused with token_constraints='aspo'" in str(refusal.value)


def test_trainer_loss_matches_reference_and_logs_aspo_metrics(tiny_model_dir, tmp_path):
    trainer = make_trainer(tiny_model_dir, tmp_path, token_constraints="aspo", beta=0.01, loss_type="bnpo")
    inputs = training_inputs(trainer, ratio_spread=5.0)
    loss = trainer.compute_loss(trainer.model, inputs)
    actual = gradients(trainer.model, loss)
    logps, entropies = policy_logps_and_entropies(trainer, inputs)
    mask = inputs["completion_mask"]
    expected, _ = reference_aspo_loss(
        logps,
        inputs["old_per_token_logps"].double(),
        inputs["ref_per_token_logps"].double(),
        entropies,
        mask,
        inputs["advantages"].double(),
        beta=0.01,
    )
    expected = expected / trainer.args.gradient_accumulation_steps
    torch.testing.assert_close(loss.double(), expected.detach(), rtol=1e-4, atol=1e-7)
    for a, b in zip(actual, gradients(trainer.model, expected), strict=True):
        torch.testing.assert_close(a.double(), b.double(), rtol=1e-4, atol=1e-6)
    logged = trainer._metrics["train"]
    assert logged["aspo/dual_clip/negative"][-1] + logged["aspo/dual_clip/positive"][-1] > 0.0
    assert {"kl", "entropy", "clip_ratio/region_mean", "archer/kl/knowledge"} <= set(logged)


def test_aspo_trains_and_the_model_card_names_the_aspo_paper(tiny_model_dir, tmp_path):
    trainer = make_trainer(tiny_model_dir, tmp_path, token_constraints="aspo", num_iterations=2, max_steps=2)
    before = [p.detach().clone() for p in trainer.model.parameters()]
    trainer.train()
    assert any(not torch.equal(b, p) for b, p in zip(before, trainer.model.parameters(), strict=True))
    trainer.create_model_card()
    card = (tmp_path / "README.md").read_text()
    assert "2510.06062" in card and "ASPO" in card and "2507.15778" not in card
    assert "- aspo" in card.split("---")[1]  # the tags in the card's metadata


def test_a_new_mode_is_one_registered_function(tiny_model_dir, tmp_path, monkeypatch):
    """The registry's contract: registering a function (here, Archer's loss without its KL) is enough for the config
    to accept the mode, refuse what it declares, and for the trainer to train with it."""
    calls = []

    def archer_without_kl(inputs, config):
        calls.append(inputs.loss_type)
        return core_algos.MODES["archer"].compute(
            core_algos.ModeInputs(**{**vars(inputs), "ref_per_token_logps": None}), config
        )

    monkeypatch.setitem(core_algos.MODES, "toy", None)  # restored after the test
    core_algos.register_mode("toy", loss_types=("grpo", "bnpo"), refused_loss_types={"dapo": "toy reason"})(
        archer_without_kl
    )
    with pytest.raises(ValueError, match="toy reason"):
        make(token_constraints="toy", loss_type="dapo")
    trainer = make_trainer(tiny_model_dir, tmp_path, token_constraints="toy", loss_type="bnpo")
    trainer.train()
    assert calls and set(calls) == {"bnpo"}
    assert "archer/reasoning_token_fraction" in trainer.state.log_history[0]


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
@pytest.mark.parametrize("loss_type", ["grpo", "bnpo", "dr_grpo", "dapo", "luspo"])
def test_edge_cases_give_finite_loss_and_gradients(loss_type, dtype):
    """Empty and one-token responses, all-equal entropies, extreme ratios (beyond the +-20 log clamp), bf16."""
    length = 6
    mask = torch.tensor([[0] * length, [1] + [0] * (length - 1), [1] * length, [1] * length])
    entropies = torch.tensor([[0.0] * length, [1.0] + [0.0] * 5, [2.0] * length, [0.5, 1, 2, 3, 4, 5]])
    logps = (-torch.rand(4, length) * 2).to(dtype).requires_grad_(True)
    old = logps.detach() + torch.tensor([0.0, 30.0, -30.0, 1.5]).unsqueeze(1).to(dtype)  # r from e^-30 to e^30
    out = core_algos.aspo_loss(
        logps,
        old,
        entropies,
        mask,
        torch.tensor([1.0, 1.0, -1.0, 0.5], dtype=dtype),
        ref_per_token_logps=logps.detach() - 0.2,
        loss_type=loss_type,
        num_items_in_batch=mask.sum(),
        max_completion_length=length,
    )
    out.loss.backward()
    assert torch.isfinite(out.loss) and torch.isfinite(logps.grad).all()
    assert logps.grad[0].abs().sum() == 0  # the empty row contributes nothing
    # r = e^-20 (clamped) on row 1 and e^-1.5 < 1/3 on row 3 with A > 0; r = e^20 on row 2 with A < 0
    assert out.token_counts["aspo/dual_clip/positive"] == 7 and out.token_counts["aspo/dual_clip/negative"] == 6
