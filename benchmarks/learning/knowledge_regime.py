"""The knowledge comparison's fixed settings and rules: the replay regime, the learning-rate choice and its
stability test, and the per-run measures the pages report. Shared by `knowledge.py` (which runs) and
`knowledge_page.py` (which writes), so neither imports the other."""

from __future__ import annotations

EVAL_SETTINGS = {"max_new_tokens": 64}
# Off-policy replay: each rollout of 16 prompts x 8 completions is split into 2 optimizer steps of 64 and replayed
# 3 times, so 6 updates per rollout, the released recipe's 3 epochs x 2 mini-batches.
REPLAY = {
    "num_iterations": 3,
    "steps_per_generation": 2,
    "gradient_accumulation_steps": 1,
    "per_device_train_batch_size": 64,
    "num_generations": 8,
    "max_completion_length": 64,
    "max_steps": 60,
}
# 3e-4 was added after the first four (GRPO alone) showed 2e-4 stable below a 1 % clip share and 4e-4 collapsing.
REGIME_LEARNING_RATES = (5e-5, 1e-4, 2e-4, 3e-4, 4e-4)
REGIME_SEEDS = (100, 101)  # not the comparison's seeds, so choosing the regime never looks at its data
CLIP_TARGET = 0.01
# Chosen by `--stage regime` (docs/results/knowledge/regime/README.md); not retuned after the comparison.
REGIME = REPLAY | {"learning_rate": 3e-4}
# "aspo" was added after the pre-registration (docs/results/knowledge/HYPOTHESES.md): no hypothesis, descriptive only.
METHODS = ("archer", "grpo", "grpo_kl", "mask_80_20", "archer_no_kl", "archer_eps_r02", "aspo")


def regime_group(lr: float) -> str:
    return f"grpo lr={lr:g}"


def clip_fraction(run: dict) -> float:
    """Mean over training steps of the share of all completion tokens whose ratio was clipped."""
    values = [s["clip_ratio/region_mean"] for s in run["steps"] if "clip_ratio/region_mean" in s]
    return sum(values) / len(values) if values else 0.0


def reward_halves(run: dict) -> tuple[float, float]:
    """Mean training reward over the first and over the second half of the logged steps."""
    rewards = [s["reward"] for s in run["steps"] if "reward" in s]
    half = len(rewards) // 2
    return sum(rewards[:half]) / max(half, 1), sum(rewards[half:]) / max(len(rewards) - half, 1)


def is_stable(run: dict, start: dict) -> bool:
    """GRPO trains stably: held-out avg@4 does not fall below the start's and seen-fact recall falls by at most 10
    points. (The first rule also asked the training reward's second half to be >= its first half; with 10 rollouts
    of 16 prompts that mean moves by chance, and it rejected every learning rate, including 5e-5, on which the
    held-out accuracy rose. It was dropped on the GRPO-only numbers, before any other method ran; the regime page
    shows both halves.)"""
    final = run["evaluations"][-1]
    return final["avg@4"] >= start["avg@4"] and final["recall_seen"] >= start["recall_seen"] - 0.10


def choose_learning_rate(groups: dict, start: dict) -> tuple[float | None, str]:
    """The smallest candidate learning rate at which, for every regime seed, GRPO clips >= 1 % of tokens and trains
    stably (`is_stable`); if none clips that much while stable, the largest stable one (said in the reason)."""
    stable, binding = [], []
    for lr in REGIME_LEARNING_RATES:
        runs = groups.get(regime_group(lr), [])
        if runs and all(is_stable(r, start) for r in runs):
            stable.append(lr)
            if all(clip_fraction(r) >= CLIP_TARGET for r in runs):
                binding.append(lr)
    if binding:
        return binding[0], f"smallest learning rate with clip >= {CLIP_TARGET:.0%} on every seed while stable"
    if stable:
        return stable[-1], f"no stable learning rate reached a {CLIP_TARGET:.0%} clip share; the largest stable one"
    return None, "no candidate learning rate trained stably"
