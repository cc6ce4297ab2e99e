"""The token-type inspector: typing and colouring on crafted entropies, scoring, inputs, HTML safety, the CLI."""

from __future__ import annotations

import json
import re

import pytest
import torch

from archer_trl.cli.inspect import main
from archer_trl.core_algos import classify_reasoning_tokens
from archer_trl.inspect.ansi import colour_tokens, render_terminal, use_color
from archer_trl.inspect.compute import (
    CompletionRecord,
    build_report_data,
    type_records,
)
from archer_trl.inspect.html import pack_bits, render_html, safe_json
from archer_trl.inspect.io import load_completions, load_prompts, save_jsonl
from archer_trl.inspect.scoring import generate_records, score_records, token_pieces

# A crafted response: two clear high-entropy tokens among low ones. Sorted entropies are
# 0.05 0.1 0.1 0.1 0.2 0.2 0.3 0.4 2.5 3.0; the 0.8 quantile (linear) is at position 7.2: 0.4 + 0.2 * 2.1 = 0.82.
CRAFTED_TOKENS = ["So", " x", " wait", " =", " therefore", " 4", ".", " The", " end", "\n"]
CRAFTED_ENTROPIES = [0.1, 0.2, 3.0, 0.1, 2.5, 0.3, 0.2, 0.1, 0.05, 0.4]
CRAFTED_TAU = 0.82
CRAFTED_REASONING = [2, 4]


def crafted_record(tokens=CRAFTED_TOKENS, entropies=CRAFTED_ENTROPIES, prompt="Solve it.") -> CompletionRecord:
    return CompletionRecord(
        prompt=prompt,
        completion="".join(tokens),
        completion_ids=list(range(len(tokens))),
        tokens=list(tokens),
        special=[False] * len(tokens),
        entropies=list(entropies),
        logprobs=[-1.0] * len(tokens),
    )


def span_classes(page: str) -> list[list[str]]:
    """Per token row of the page: the class list of each token span, in order."""
    rows = re.findall(r'<div class="toks">(.*?)</div>', page, flags=re.S)
    return [re.findall(r'<span class="(t [^"]*)"', row) for row in rows]


def test_crafted_pattern_is_typed_with_the_known_threshold_and_spans():
    view = type_records([crafted_record()], quantile=0.8)
    assert view.thresholds[0] == pytest.approx(CRAFTED_TAU, abs=1e-6)
    assert [j for j, r in enumerate(view.reasoning[0]) if r] == CRAFTED_REASONING
    # The same split the loss uses.
    expected = classify_reasoning_tokens(torch.tensor([CRAFTED_ENTROPIES]), torch.ones(1, 10, dtype=torch.bool), 0.8)
    assert view.reasoning[0] == expected[0].tolist()

    page = render_html(build_report_data([crafted_record()], 0.8))
    classes = span_classes(page)
    assert len(classes) == 1 and len(classes[0]) == len(CRAFTED_TOKENS)
    types = ["r" if c.split()[1] == "r" else "k" for c in classes[0]]
    assert [j for j, t in enumerate(types) if t == "r"] == CRAFTED_REASONING
    assert "\u03c4 = 0.820" in page
    assert 'class="t k nl"' in page  # the newline token is marked so it shows a return glyph
    # Shading: the highest-entropy token is fully shaded, the lowest not at all (range 0..3.5 on this data).
    shades = [float(x) for x in re.findall(r'style="--e:([0-9.]+)"', page.split('<div class="toks">', 1)[1])][:10]
    assert shades.index(max(shades)) == 2 and shades.index(min(shades)) == 8


def test_crafted_pattern_in_the_terminal_with_and_without_colour():
    mask = [j in CRAFTED_REASONING for j in range(len(CRAFTED_TOKENS))]
    plain = colour_tokens(CRAFTED_TOKENS, mask, color=False)
    assert plain == "So x[[ wait]] =[[ therefore]] 4. The end\n"
    coloured = colour_tokens(CRAFTED_TOKENS, mask, color=True)
    assert "\x1b[1;38;5;208m wait" in coloured and "\x1b[38;5;33mSo x" in coloured
    assert coloured.endswith("\x1b[0m")
    text = render_terminal(build_report_data([crafted_record()], 0.8), color=False)
    assert "\x1b[" not in text and "tau=0.820" in text and "[[ wait]]" in text


def test_terminal_colour_follows_no_color_and_flags(monkeypatch):
    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color("auto", Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color("auto", Tty()) is False
    assert use_color("always", Tty()) is True
    assert use_color("never", Tty()) is False
    with pytest.raises(ValueError, match="color='sometimes'"):
        use_color("sometimes")


def test_tie_rules_on_constant_entropies():
    record = crafted_record(entropies=[1.0] * len(CRAFTED_TOKENS))
    assert not any(type_records([record], 0.8, "knowledge").reasoning[0])
    assert all(type_records([record], 0.8, "reasoning").reasoning[0])
    with pytest.raises(ValueError, match="ties='both'"):
        type_records([record], 0.8, "both")
    with pytest.raises(ValueError, match="quantile=1.0"):
        type_records([record], 1.0)


def test_quantile_comparison_lists_the_changed_tokens():
    data = build_report_data([crafted_record()], 0.8, compare_quantile=0.5)
    comparison = data.comparison
    # At rho = 0.5 the threshold is 0.2 (median of the ten): 0.3 and 0.4 become reasoning too.
    assert data.compare.thresholds[0] == pytest.approx(0.2)
    assert comparison.knowledge_to_reasoning == 2 and comparison.reasoning_to_knowledge == 0
    assert [j for j, c in enumerate(comparison.changed[0]) if c] == [5, 9]
    page = render_html(data)
    assert sum(" x" in c for c in span_classes(page)[0]) == 2  # outlined in row A
    assert sum(" x" in c for c in span_classes(page)[1]) == 2  # and in row B


def test_html_escapes_untrusted_model_output():
    evil = ["</script>", "<script>alert(1)</script>", '<img src=x onerror="alert(2)">', " & ", "\u2028"]
    record = crafted_record(tokens=evil, entropies=[0.1, 2.0, 0.3, 0.2, 0.1], prompt="<b>bold</b></details>")
    page = render_html(build_report_data([record], 0.8), title="<i>title</i>")
    assert page.count("<script") == 2  # the data block and the page script, nothing injected
    assert page.count("</script>") == 2
    assert "<img" not in page and "<b>bold" not in page and "<i>title" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    data_block = re.search(r'<script type="application/json" id="archer-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data_block and ">" not in data_block
    assert json.loads(data_block)["grid"]
    assert safe_json({"s": "</script>"}) == '{"s":"\\u003c/script\\u003e"}'


def test_pack_bits_layout():
    assert pack_bits([True, False, False, False, False, True, True, True, True]) == "878"
    assert pack_bits([]) == ""


def test_token_pieces_rebuild_the_text(tiny_tokenizer):
    text = "Let x = 3.\nSo 2x = 6 <|im_end|>"
    ids = tiny_tokenizer(text, add_special_tokens=False)["input_ids"]
    pieces = token_pieces(tiny_tokenizer, ids)
    assert len(pieces) == len(ids) and "".join(pieces) == text


@pytest.fixture(scope="module")
def tiny_tokenizer():
    from archer_trl.tiny import build_char_tokenizer

    return build_char_tokenizer()


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    return AutoModelForCausalLM.from_pretrained(tiny_model_dir), AutoTokenizer.from_pretrained(tiny_model_dir)


def test_scored_entropies_match_an_independent_forward_and_ignore_batching(tiny):
    model, tokenizer = tiny
    records = [
        CompletionRecord(prompt="2 plus 2 is", completion=" 4, since 2 and 2 make 4."),
        CompletionRecord(prompt=[{"role": "user", "content": "What is 3 times 3? Think first."}], completion="9"),
    ]
    temperature = 0.7
    alone = score_records(model, tokenizer, records[:1], temperature=temperature, batch_size=1, progress=False)
    batched = score_records(model, tokenizer, records, temperature=temperature, batch_size=2, progress=False)
    assert batched[0].entropies == pytest.approx(alone[0].entropies, abs=1e-5)

    for record in batched:
        prompt_ids = (
            tokenizer.apply_chat_template(record.prompt, add_generation_prompt=True, tokenize=True, return_dict=True)[
                "input_ids"
            ]
            if isinstance(record.prompt, list)
            else tokenizer(record.prompt)["input_ids"]
        )
        ids = torch.tensor([prompt_ids + record.completion_ids])
        with torch.no_grad():
            logits = model(input_ids=ids).logits[0, len(prompt_ids) - 1 : -1].double() / temperature
        expected = torch.distributions.Categorical(logits=logits).entropy()
        assert record.entropies == pytest.approx(expected.tolist(), abs=1e-4)
        assert "".join(record.tokens) == record.completion
    # The temperature matters: T = 1 gives other entropies.
    plain = score_records(model, tokenizer, records[:1], temperature=1.0, progress=False)
    assert plain[0].entropies != pytest.approx(alone[0].entropies, abs=1e-3)


def test_generated_completions_keep_their_ids_and_end_at_eos(tiny):
    model, tokenizer = tiny
    records = generate_records(
        model, tokenizer, ["1 plus 1 is", "3 plus 4 is"], num_generations=3, max_new_tokens=12, progress=False
    )
    assert len(records) == 6 and [r.meta["sample"] for r in records] == [0, 1, 2] * 2
    for record in records:
        ids = record.completion_ids
        assert 1 <= len(ids) <= 12
        assert tokenizer.eos_token_id not in ids[:-1]
    again = generate_records(
        model, tokenizer, ["1 plus 1 is", "3 plus 4 is"], num_generations=3, max_new_tokens=12, progress=False
    )
    assert [r.completion_ids for r in again] == [r.completion_ids for r in records]  # seeded


def test_input_files_and_clear_errors(tmp_path):
    prompts = tmp_path / "p.jsonl"
    prompts.write_text('{"prompt": "a"}\n"b"\n{"messages": [{"role": "user", "content": "c"}]}\n')
    assert load_prompts(prompts) == ["a", "b", [{"role": "user", "content": "c"}]]
    text = tmp_path / "p.txt"
    text.write_text("one\n\ntwo\n")
    assert load_prompts(text) == ["one", "two"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "x"}\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:1: expected a 'prompt' or 'messages' field"):
        load_prompts(bad)

    completions = tmp_path / "c.jsonl"
    rows = [
        {"prompt": "q", "completion": "a", "reward": 1.0},
        {"prompt": [{"role": "user", "content": "q"}], "completion": [{"role": "assistant", "content": "b"}]},
    ]
    completions.write_text("\n".join(json.dumps(r) for r in rows))
    loaded = load_completions(completions)
    assert [r.completion for r in loaded] == ["a", "b"] and loaded[0].meta == {"reward": 1.0}
    missing = tmp_path / "m.jsonl"
    missing.write_text('{"prompt": "q"}\n')
    with pytest.raises(ValueError, match=r"m.jsonl:1: missing field\(s\) \['completion'\]"):
        load_completions(missing)
    with pytest.raises(FileNotFoundError, match="no completions_<step>.parquet"):
        load_completions(tmp_path)


def test_typed_jsonl_round_trips_without_a_model(tmp_path):
    view = type_records([crafted_record()], 0.8)
    path = save_jsonl(view, tmp_path / "typed.jsonl", {"step": 7})
    loaded = load_completions(path)
    assert loaded[0].is_scored and loaded[0].entropies == CRAFTED_ENTROPIES and loaded[0].meta["step"] == 7
    again = type_records(loaded, 0.8)
    assert again.reasoning == view.reasoning and again.thresholds == view.thresholds


def test_cli_end_to_end_on_the_tiny_model(tiny_model_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text(
        '{"prompt": [{"role": "user", "content": "What is 6 times 7?"}]}\n{"prompt": "12 minus 5 is"}\n'
    )
    report, typed = tmp_path / "report.html", tmp_path / "typed.jsonl"
    argv = ["--model", tiny_model_dir, "--prompts", str(prompts), "--num-generations", "2", "--max-new-tokens", "24"]
    argv += ["-o", str(report), "--save-jsonl", str(typed), "--no-progress", "--compare-quantile", "0.6"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Archer token types" in out and "[[" in out and "\x1b[" not in out  # NO_COLOR respected
    assert "comparison \u03c1=0.8 -> \u03c1=0.6" in out

    page = report.read_text()
    classes = [c for row in span_classes(page) for c in row]
    assert any(c.split()[1] == "r" for c in classes) and any(c.split()[1] == "k" for c in classes)
    assert '<svg id="hist"' in page and "most frequent reasoning tokens" in page and "Comparison" in page
    assert "src=" not in page and "href=" not in page  # self-contained: nothing to fetch
    rows = [json.loads(line) for line in typed.read_text().splitlines()]
    assert len(rows) == 4 and all(len(r["tokens"]) == len(r["entropies"]) == len(r["reasoning"]) for r in rows)
    assert all(r["completion_ids"][-1] == 2 or len(r["completion_ids"]) == 24 for r in rows)  # ends at EOS

    # The saved JSONL re-types without a model, at another rho.
    retyped = tmp_path / "retyped.html"
    assert main(["--completions", str(typed), "-o", str(retyped), "--quantile", "0.9", "--print", "0"]) == 0
    assert "at \u03c1 = 0.9" in retyped.read_text()

    # Before/after: the same completions scored by a second model.
    from archer_trl.tiny import save_tiny_model

    other = save_tiny_model(tmp_path / "other", seed=1)
    compared = tmp_path / "compared.html"
    argv = ["--model", tiny_model_dir, "--completions", str(typed), "--compare-model", str(other)]
    assert main(argv + ["-o", str(compared), "--print", "1", "--no-progress"]) == 0
    page = compared.read_text()
    assert "scored by A: " in page and "mean |\u0394H|" in page
    assert len(span_classes(page)) == 8  # two rows per response


def test_cli_reports_bad_input_clearly(tmp_path, capsys):
    completions = tmp_path / "c.jsonl"
    completions.write_text('{"prompt": "q", "completion": "a"}\n')
    assert main(["--completions", str(completions), "-o", str(tmp_path / "r.html")]) != 0
    assert "pass --model to score them" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--completions", str(completions), "--quantile", "1.5"])
    assert "quantile=1.5 is invalid" in capsys.readouterr().err
