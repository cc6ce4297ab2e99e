"""The loss math against an independent float64 re-implementation, on random inputs, with gradients."""

from __future__ import annotations

import pytest
import torch
from reference_archer import reference_80_20_loss, reference_loss

from archer_trl import core_algos


def random_batch(seed: int, batch: int = 16, length: int = 24, dtype=torch.float64):
    """Random data that hits both token types, every clip region and the dual clip.

    Ratios exp(logp - old) span roughly [0.08, 12]: below 1 - 0.5, between the two ranges, above 1 + 0.5 and above
    the dual-clip cap c = 10. Advantages take both signs; masks have ragged lengths, a one-token row and an empty row.
    """
    g = torch.Generator().manual_seed(seed)
    logps = -torch.rand(batch, length, generator=g, dtype=dtype) * 3.0
    old = logps + (torch.rand(batch, length, generator=g, dtype=dtype) * 5.0 - 2.5)
    ref = logps + torch.randn(batch, length, generator=g, dtype=dtype) * 0.7
    entropies = torch.rand(batch, length, generator=g, dtype=dtype) * 4.0
    advantages = torch.randn(batch, generator=g, dtype=dtype)
    lengths = torch.randint(2, length + 1, (batch,), generator=g)
    lengths[1], lengths[2] = 1, 0
    mask = (torch.arange(length).unsqueeze(0) < lengths.unsqueeze(1)).to(torch.int64)
    return logps, old, ref, entropies, mask, advantages


SETTINGS = [
    {},
    {"rho": 0.7, "eps_knowledge": (0.1, 0.28), "eps_reasoning": (0.4, 0.6)},
    {"rho": 0.9, "beta_knowledge": 0.005, "beta_reasoning": 0.002, "delta": 3.0},
    {"rho": 0.5, "delta": None, "beta_knowledge": 0.0},
    {"ties": "reasoning", "kl_normalization": "sequence", "beta_reasoning": 0.01},
    {"loss_type": "dapo", "beta_knowledge": 0.01},
    {"loss_type": "dapo", "rho": 0.6, "kl_normalization": "sequence", "delta": 4.0},
    {"loss_type": "cispo", "beta_knowledge": 0.01},
    {"loss_type": "cispo", "eps_knowledge": (0.2, 0.3), "eps_reasoning": (0.5, 2.0), "kl_normalization": "sequence"},
]


def ours(logps, old, ref, entropies, mask, advantages, setting):
    setting = {
        "rho": 0.8,
        "eps_knowledge": (0.2, 0.2),
        "eps_reasoning": (0.5, 0.5),
        "beta_knowledge": 0.001,
        "beta_reasoning": 0.0,
        "delta": 10.0,
        "ties": "knowledge",
        "kl_normalization": "group",
        "loss_type": "grpo",
    } | setting
    return core_algos.archer_loss(
        logps,
        old,
        entropies,
        mask,
        advantages,
        quantile=setting["rho"],
        epsilon_knowledge=setting["eps_knowledge"],
        epsilon_reasoning=setting["eps_reasoning"],
        delta=setting["delta"],
        ties=setting["ties"],
        ref_per_token_logps=ref,
        beta_knowledge=setting["beta_knowledge"],
        beta_reasoning=setting["beta_reasoning"],
        kl_normalization=setting["kl_normalization"],
        loss_type=setting["loss_type"],
        num_items_in_batch=mask.sum(),
    )


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()) or "defaults")
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_loss_and_gradient_match_float64_reference(setting, seed):
    logps, old, ref, entropies, mask, advantages = random_batch(seed)

    expected_leaf = logps.clone().requires_grad_(True)
    expected = reference_loss(expected_leaf, old, ref, entropies, mask, advantages, **setting)
    expected.backward()

    actual_leaf = logps.float().clone().requires_grad_(True)
    actual = ours(actual_leaf, old.float(), ref.float(), entropies.float(), mask, advantages.float(), setting).loss
    actual.backward()

    torch.testing.assert_close(actual.double(), expected.detach(), rtol=1e-4, atol=1e-7)
    torch.testing.assert_close(actual_leaf.grad.double(), expected_leaf.grad, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_batch_covers_every_clip_region(seed):
    """Guards the test above: if the data stopped reaching a region, the comparison would prove less."""
    logps, old, ref, entropies, mask, advantages = random_batch(seed)
    out = ours(logps, old, ref, entropies, mask, advantages, {})
    valid = mask.bool()
    reasoning = out.reasoning_mask
    assert reasoning.any() and (valid & ~reasoning).any()
    for group in (reasoning, valid & ~reasoning):
        assert (out.is_low_clipped & group).any() and (out.is_high_clipped & group).any()
    ratio = torch.exp(logps - old)
    assert ((ratio > 10.0) & (advantages.unsqueeze(1) < 0) & valid).any(), "the dual clip is never reached"


def test_threshold_is_per_response_linear_quantile_and_ignores_padding():
    entropies = torch.tensor([[1.0, 2.0, 3.0, 4.0, 5.0, 99.0], [10.0, 0.0, 0.0, 0.0, 0.0, 0.0]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 0], [1, 0, 0, 0, 0, 0]])
    tau = core_algos.response_entropy_threshold(entropies, mask, 0.8)
    torch.testing.assert_close(tau, torch.tensor([4.2, 10.0]))  # 1 + 0.8 * 4 over [1..5]; padding's 99 ignored
    reasoning = core_algos.classify_reasoning_tokens(entropies, mask, 0.8)
    assert reasoning.tolist() == [[False, False, False, False, True, False], [False] * 6]


def test_tie_rules_follow_code_and_paper():
    entropies = torch.full((1, 5), 2.0)
    mask = torch.ones(1, 5, dtype=torch.int64)
    assert not core_algos.classify_reasoning_tokens(entropies, mask, 0.8, "knowledge").any()  # released code: >
    assert core_algos.classify_reasoning_tokens(entropies, mask, 0.8, "reasoning").all()  # paper: >=
    # tau lands exactly on a sample (n = 11): the code types 2/11 as reasoning, the paper 3/11
    entropies = torch.arange(11, dtype=torch.float32).unsqueeze(0)
    mask = torch.ones(1, 11, dtype=torch.int64)
    assert core_algos.classify_reasoning_tokens(entropies, mask, 0.8, "knowledge").sum() == 2
    assert core_algos.classify_reasoning_tokens(entropies, mask, 0.8, "reasoning").sum() == 3


def test_threshold_handles_more_rows_than_quantile_limit(monkeypatch):
    monkeypatch.setattr(core_algos.tokens, "_QUANTILE_MAX_NUMEL", 10)  # forces row chunking on a small input
    entropies = torch.rand(7, 4)
    mask = torch.ones(7, 4, dtype=torch.int64)
    expected = torch.quantile(entropies, 0.8, dim=-1)
    torch.testing.assert_close(core_algos.response_entropy_threshold(entropies, mask, 0.8), expected)


def test_group_kl_weights_average_each_type_over_its_own_tokens():
    reasoning = torch.tensor([[True, False, False, False, False]])
    mask = torch.ones(1, 5, dtype=torch.int64)
    weights = core_algos.kl_token_weights(reasoning, mask, beta_knowledge=0.001, beta_reasoning=0.01)
    kl = torch.tensor([[5.0, 1.0, 2.0, 3.0, 4.0]])
    per_response_mean = (weights * kl).sum() / 5
    torch.testing.assert_close(per_response_mean, torch.tensor(0.001 * 2.5 + 0.01 * 5.0))
    sequence = core_algos.kl_token_weights(reasoning, mask, 0.001, 0.01, normalization="sequence")
    torch.testing.assert_close((sequence * kl).sum() / 5, torch.tensor((0.001 * 10 + 0.01 * 5) / 5))


def test_batch_high_entropy_mask_uses_one_threshold_for_the_batch():
    entropies = torch.tensor([[0.1, 0.2, 0.3, 0.4, 0.5], [5.0, 6.0, 7.0, 8.0, 9.0]])
    mask = torch.ones(2, 5, dtype=torch.int64)
    selected = core_algos.batch_high_entropy_mask(entropies, mask, 0.8)
    assert selected[0].sum() == 0 and selected[1].sum() == 2  # a per-response threshold would pick from both rows


@pytest.mark.parametrize("loss_type", ["grpo", "bnpo", "dr_grpo", "dapo", "luspo"])
def test_edge_cases_give_finite_loss_and_gradients(loss_type):
    """Empty completions, one-token completions, all-equal entropies, and bf16 inputs."""
    length = 6
    mask = torch.tensor([[0] * length, [1] + [0] * (length - 1), [1] * length, [1] * length])
    entropies = torch.tensor([[0.0] * length, [1.0] + [0.0] * 5, [2.0] * length, [0.5, 1, 2, 3, 4, 5]])
    for dtype in (torch.float32, torch.bfloat16):
        logps = (-torch.rand(4, length)).to(dtype).requires_grad_(True)
        old = logps.detach() + 0.3
        ref = logps.detach() - 0.2
        advantages = torch.tensor([1.0, -1.0, 0.5, -0.5], dtype=dtype)
        out = core_algos.archer_loss(
            logps,
            old,
            entropies,
            mask,
            advantages,
            ref_per_token_logps=ref,
            beta_knowledge=0.01,
            beta_reasoning=0.01,
            loss_type=loss_type,
            num_items_in_batch=mask.sum(),
            max_completion_length=length,
        )
        out.loss.backward()
        assert torch.isfinite(out.loss).all() and torch.isfinite(logps.grad).all()
        assert logps.grad[0].abs().sum() == 0  # the empty row contributes nothing
        assert not out.reasoning_mask[2].any()  # all-equal entropies: no token above the threshold


def test_reasoning_clip_is_looser_than_knowledge_clip():
    """A token with ratio 1.4 and A > 0 is clipped (no gradient) as knowledge (0.2) but not as reasoning (0.5)."""
    log_ratio = torch.full((1, 2), torch.log(torch.tensor(1.4)).item(), requires_grad=True)
    advantages = torch.ones(1, 1)
    eps = core_algos.per_token_type_value(torch.tensor([[True, False]]), 0.5, 0.2)
    loss, _, high = core_algos.clipped_policy_loss(log_ratio, advantages, eps, eps, delta=10.0)
    loss.sum().backward()
    assert high.tolist() == [[False, True]]
    assert log_ratio.grad[0, 0] != 0 and log_ratio.grad[0, 1] == 0


MASK_80_20_SETTINGS = [
    {"policy": "clip", "loss_type": "grpo"},
    {"policy": "clip", "loss_type": "dapo", "rho": 0.7, "eps": (0.2, 0.28), "delta": None},
    {"policy": "cispo", "loss_type": "dapo", "weight_cap": 1.5},
    {"policy": "sapo", "loss_type": "grpo", "rho": 0.6, "temperatures": (1.0, 1.05)},
]


def ours_80_20(logps, old, entropies, mask, advantages, setting):
    setting = {"rho": 0.8, "eps": (0.2, 0.2), "delta": 10.0, "weight_cap": 5.0, "temperatures": (1.0, 1.05)} | setting
    log_ratio = logps - old
    adv = advantages.unsqueeze(1)
    if setting["policy"] == "cispo":
        per_token, _ = core_algos.truncated_weight_policy_loss(logps, log_ratio, adv, setting["weight_cap"])
        loss_type = "cispo"
    elif setting["policy"] == "sapo":
        per_token = core_algos.soft_gate_policy_loss(log_ratio, adv, *setting["temperatures"])
        loss_type = "sapo"
    else:
        per_token, _, _ = core_algos.clipped_policy_loss(log_ratio, adv, *setting["eps"], setting["delta"])
        loss_type = setting["loss_type"]
    loss, selected = core_algos.mask_80_20_loss(
        per_token, entropies, mask, quantile=setting["rho"], loss_type=loss_type, num_items_in_batch=mask.sum()
    )
    return loss


@pytest.mark.parametrize("setting", MASK_80_20_SETTINGS, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()))
@pytest.mark.parametrize("seed", [0, 1])
def test_80_20_loss_and_gradient_match_float64_reference(setting, seed):
    """The 80/20 masking on TRL's clip, CISPO's truncated weight and SAPO's soft gate, against a token loop."""
    logps, old, _, entropies, mask, advantages = random_batch(seed)
    expected_leaf = logps.clone().requires_grad_(True)
    expected = reference_80_20_loss(expected_leaf, old, entropies, mask, advantages, **setting)
    expected.backward()
    actual_leaf = logps.float().clone().requires_grad_(True)
    actual = ours_80_20(actual_leaf, old.float(), entropies.float(), mask, advantages.float(), setting)
    actual.backward()
    torch.testing.assert_close(actual.double(), expected.detach(), rtol=1e-4, atol=1e-7)
    torch.testing.assert_close(actual_leaf.grad.double(), expected_leaf.grad, rtol=1e-4, atol=1e-7)


def test_cispo_keeps_every_tokens_gradient_and_truncates_per_type():
    """Unlike the PPO clip, CISPO never zeroes a gradient: a ratio of 3 still moves, with its weight capped by type."""
    logps = torch.log(torch.tensor([[0.3, 0.3]])).requires_grad_(True)
    old = logps.detach() - torch.log(torch.tensor(3.0))  # ratio 3 on both tokens
    entropies = torch.tensor([[2.0, 0.1]])  # first token reasoning, second knowledge (quantile 0.5, strict >)
    out = core_algos.archer_loss(
        logps,
        old,
        entropies,
        torch.ones(1, 2),
        torch.ones(1),
        quantile=0.5,
        ref_per_token_logps=None,
        loss_type="cispo",
        num_items_in_batch=2,
        epsilon_knowledge=(0.2, 0.2),
        epsilon_reasoning=(0.5, 0.5),
    )
    out.loss.backward()
    assert out.reasoning_mask.tolist() == [[True, False]]
    torch.testing.assert_close(logps.grad, torch.tensor([[-1.5 / 2, -1.2 / 2]]))  # -cap * A / token count
    assert out.is_high_clipped.all() and not out.is_low_clipped.any()


def test_token_type_sums_are_named_and_round_trip_one_collective():
    mask = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0]])
    reasoning = torch.tensor([[True, False, False, False], [False, True, False, False]])
    entropies = torch.tensor([[3.0, 1.0, 2.0, 9.0], [0.5, 4.0, 9.0, 9.0]])
    low = torch.tensor([[False, True, False, False], [False, False, False, False]])
    high = torch.tensor([[True, False, False, False], [False, False, False, True]])
    kl = torch.tensor([[0.1, 0.2, 0.3, 5.0], [0.4, 0.5, 5.0, 5.0]])
    sums = core_algos.TokenTypeSums.of(mask, reasoning, entropies, low, high, kl)
    means = core_algos.TokenTypeSums.from_stacked(sums.stacked() * 2).means()  # two equal "processes"
    assert means["archer/reasoning_token_fraction"] == pytest.approx(2 / 5)
    assert means["entropy"] == pytest.approx((3 + 1 + 2 + 0.5 + 4) / 5)
    assert means["archer/entropy/reasoning"] == pytest.approx(3.5)
    assert means["archer/entropy/knowledge"] == pytest.approx((1 + 2 + 0.5) / 3)
    assert means["clip_ratio/high_mean"] == pytest.approx(1 / 5)  # padding's clip flag is ignored
    assert means["archer/clip_ratio/reasoning_high"] == pytest.approx(1 / 2)
    assert means["archer/clip_ratio/knowledge_low"] == pytest.approx(1 / 3)
    assert means["kl"] == pytest.approx(1.5 / 5) and means["archer/kl/knowledge"] == pytest.approx(0.9 / 3)
    torch.testing.assert_close(core_algos.per_response_mean(high.float(), mask), torch.tensor([1 / 3, 0.0]))


def test_aggregate_rejects_loss_types_without_a_clip():
    with pytest.raises(ValueError, match="sapo"):
        core_algos.aggregate_loss(torch.zeros(1, 1), torch.ones(1, 1), "sapo")
