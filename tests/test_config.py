"""ArcherConfig: defaults that reproduce the released recipe, and clear errors for every invalid setting."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import make_trainer

from archer_trl import ArcherConfig


def make(**kwargs) -> ArcherConfig:
    return ArcherConfig(output_dir="unused", use_cpu=True, **kwargs)


def test_defaults_reproduce_the_released_recipe():
    config = make()
    assert config.token_constraints == "archer"
    assert config.token_entropy_quantile == 0.8
    assert (config.epsilon_knowledge, config.effective_epsilon_high_knowledge) == (0.2, 0.2)
    assert (config.epsilon_reasoning, config.effective_epsilon_high_reasoning) == (0.5, 0.5)
    assert (config.beta_knowledge, config.beta_reasoning) == (0.001, 0.0)
    assert config.beta == 0.001  # derived, so TRL loads the reference model
    assert (config.delta, config.loss_type, config.use_bias_correction_kl) == (10.0, "grpo", False)
    assert config.entropy_tie_rule == "knowledge" and config.kl_normalization == "group"


def test_every_field_has_help_text():
    missing = [f.name for f in dataclasses.fields(ArcherConfig) if not f.metadata.get("help")]
    assert missing == []


def test_no_reference_model_when_both_kl_weights_are_zero():
    assert make(beta_knowledge=0.0).beta == 0.0


def test_saved_config_round_trips():
    config = make(beta_knowledge=0.004, beta_reasoning=0.002)
    fields = {f.name for f in dataclasses.fields(ArcherConfig) if f.init}
    saved = {k: v for k, v in config.to_dict().items() if k in fields and not k.startswith("_")}
    saved.pop("generation_batch_size")  # derived by GRPOConfig from steps_per_generation; TRL rejects both
    reloaded = ArcherConfig(**saved)
    assert reloaded.beta == config.beta == 0.004


@pytest.mark.parametrize(
    "kwargs,field,fragment",
    [
        ({"token_entropy_quantile": 0.0}, "token_entropy_quantile", "(0, 1)"),
        ({"token_entropy_quantile": 1.0}, "token_entropy_quantile", "(0, 1)"),
        ({"token_entropy_quantile": -0.3}, "token_entropy_quantile", "(0, 1)"),
        ({"epsilon_knowledge": -0.1}, "epsilon_knowledge", "[0, 1)"),
        ({"epsilon_reasoning": 1.0}, "epsilon_reasoning", "[0, 1)"),
        ({"epsilon_high_reasoning": -0.5}, "epsilon_high_reasoning", ">= 0"),
        ({"epsilon_high_knowledge": -0.01}, "epsilon_high_knowledge", ">= 0"),
        ({"beta_knowledge": -0.001}, "beta_knowledge", ">= 0"),
        ({"beta_reasoning": -1.0}, "beta_reasoning", ">= 0"),
        ({"token_constraints": "dual"}, "token_constraints", "archer, none, mask_80_20"),
        ({"entropy_tie_rule": "random"}, "entropy_tie_rule", "knowledge, reasoning"),
        ({"kl_normalization": "token"}, "kl_normalization", "group, sequence"),
        ({"loss_type": "sapo"}, "loss_type", "PPO clip"),
        ({"loss_type": "vespo"}, "loss_type", "PPO clip"),
        ({"loss_type": "sapo", "token_constraints": "archer"}, "loss_type", "docs/parity.md"),
        ({"loss_type": "vespo", "token_constraints": "mask_80_20"}, "loss_type", "PPO clip"),
        ({"importance_sampling_level": "sequence"}, "importance_sampling_level", "token-level"),
        (
            {"importance_sampling_level": "sequence", "token_constraints": "mask_80_20"},
            "importance_sampling_level",
            "token_constraints='none'",
        ),
        ({"beta": 0.04, "beta_knowledge": 0.01}, "beta", "beta_knowledge"),
        ({"top_entropy_quantile": 0.2, "token_constraints": "mask_80_20"}, "top_entropy_quantile", "mask_80_20"),
        ({"delta": 1.4}, "delta", "1 + the largest upper epsilon"),
        ({"delta": 1.6, "epsilon_high_reasoning": 0.7}, "delta", "1.7"),
        ({"delta": 1.2, "token_constraints": "mask_80_20"}, "delta", "1.2"),
    ],
)
def test_invalid_settings_fail_at_construction_naming_field_value_and_range(kwargs, field, fragment):
    with pytest.raises(ValueError) as error:
        make(**kwargs)
    message = str(error.value)
    assert f"ArcherConfig.{field}=" in message
    assert repr(kwargs[field]) in message
    assert fragment in message


def test_explicit_beta_zero_turns_every_kl_off(tiny_model_dir, tmp_path):
    """`--beta 0` means no KL: no knowledge KL in archer mode, no reference model, no KL term in the loss."""
    config = make(beta=0.0)
    assert (config.beta, config.beta_knowledge, config.beta_reasoning) == (0.0, 0.0, 0.0)
    assert make(beta=0.0, beta_knowledge=0.0).beta == 0.0
    trainer = make_trainer(tiny_model_dir, tmp_path, beta=0.0)
    assert trainer.ref_model is None and trainer.beta == 0.0
    trainer.train()
    assert not any(k.startswith(("kl", "archer/kl")) for entry in trainer.state.log_history for k in entry)
    with pytest.raises(
        ValueError, match=r"ArcherConfig\.beta=0\.0 is invalid: beta=0\.0 turns the KL off, but beta_knowledge=0\.01"
    ):
        make(beta=0.0, beta_knowledge=0.01)
    with pytest.raises(ValueError, match="beta_reasoning=0.02"):
        make(beta=0.0, beta_reasoning=0.02)


def test_beta_zero_from_the_command_line_is_not_the_default():
    from trl import TrlParser

    (explicit,) = TrlParser(ArcherConfig).parse_args_and_config(
        ["--output_dir", "x", "--use_cpu", "true", "--beta", "0"]
    )
    (implicit,) = TrlParser(ArcherConfig).parse_args_and_config(["--output_dir", "x", "--use_cpu", "true"])
    assert (explicit.beta, explicit.beta_knowledge) == (0.0, 0.0)
    assert (implicit.beta, implicit.beta_knowledge) == (0.001, 0.001)


def test_the_docstring_lists_every_archer_field_and_rho_is_written_once():
    import re
    from pathlib import Path

    from trl import GRPOConfig

    from archer_trl import core_algos

    archer_fields = {f.name for f in dataclasses.fields(ArcherConfig)} - {
        f.name for f in dataclasses.fields(GRPOConfig)
    }
    documented = set(re.findall(r"^        (\w+) \(`", ArcherConfig.__doc__, flags=re.MULTILINE))
    assert archer_fields <= documented, sorted(archer_fields - documented)
    assert make().token_entropy_quantile == core_algos.DEFAULT_TOKEN_ENTROPY_QUANTILE
    package = Path(core_algos.__file__).parents[1]
    for path in [*package.glob("*.py"), *package.glob("core_algos/*.py"), *package.glob("inspect/*.py")]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            default = r"quantile\w*\s*(:[^=]*)?=\s*0\.8\b|default=0\.8\b|token_entropy_quantile\",\s*0\.8\b"
            if re.search(default, code) and "DEFAULT_TOKEN_ENTROPY_QUANTILE =" not in code:
                raise AssertionError(f"{path.name}:{number} repeats rho's default: {line.strip()}")


def test_trl_beta_sets_the_knowledge_kl_weight_in_archer_mode():
    config = make(beta=0.04)
    assert (config.beta_knowledge, config.beta_reasoning, config.beta) == (0.04, 0.0, 0.04)
    config = make(beta=0.04, beta_reasoning=0.1)
    assert (config.beta_knowledge, config.beta_reasoning, config.beta) == (0.04, 0.1, 0.1)
    assert make(beta=0.02, beta_knowledge=0.02).beta == 0.02  # the same value twice is not a conflict
    assert make(beta_knowledge=0.0).beta == 0.0 and make(token_constraints="none").beta_knowledge == 0.001


def test_options_that_compose_with_token_typing_are_accepted():
    assert make(loss_type="cispo").loss_type == "cispo"
    assert make(loss_type="sapo", token_constraints="mask_80_20").loss_type == "sapo"
    assert make(use_adaptive_entropy=True, entropy_coef=0.01).use_adaptive_entropy
    assert make(top_entropy_quantile=0.5).top_entropy_quantile == 0.5
    assert make(loss_type="cispo", epsilon_high=5.0, token_constraints="mask_80_20").delta == 10.0


def test_every_refusal_points_to_the_parity_table():
    for kwargs in (
        {"loss_type": "sapo"},
        {"loss_type": "vespo", "token_constraints": "mask_80_20"},
        {"importance_sampling_level": "sequence", "loss_type": "luspo"},
        {"top_entropy_quantile": 0.2, "token_constraints": "mask_80_20"},
        {"beta": 0.04, "beta_knowledge": 0.01},
    ):
        with pytest.raises(ValueError, match="docs/parity.md"):
            make(**kwargs)


def test_none_mode_accepts_trl_only_features():
    config = make(token_constraints="none", loss_type="sapo", beta=0.04, importance_sampling_level="sequence")
    assert config.beta == 0.04


def test_yaml_recipe_through_trl_parser(tmp_path):
    from trl import TrlParser

    recipe = tmp_path / "recipe.yaml"
    recipe.write_text(
        "output_dir: out\nuse_cpu: true\ntoken_constraints: mask_80_20\ntoken_entropy_quantile: 0.9\n"
        "epsilon_high_reasoning: 0.6\nbeta_knowledge: 0.005\n"
    )
    (config,) = TrlParser(ArcherConfig).parse_args_and_config(["--config", str(recipe)])
    assert (config.token_constraints, config.token_entropy_quantile) == ("mask_80_20", 0.9)
    assert (config.epsilon_high_reasoning, config.beta_knowledge) == (0.6, 0.005)
    with pytest.raises((ValueError, SystemExit)):
        TrlParser(ArcherConfig).parse_args_and_config(["--output_dir", "x", "--token_entropy_quantile", "1.5"])
