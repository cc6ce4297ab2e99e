"""Tiny offline models and tokenizers, built from code so that nothing is downloaded from the Hub.

They serve the test-suite (random weights) and are the starting point of the offline default job, whose
pretrained checkpoint is built by ``scripts/build_tiny_math_model.py``.
"""

from __future__ import annotations

import string
from pathlib import Path

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

# The shipped starting checkpoint of the offline default job (`python examples/train_math.py`): this module's
# tokenizer and architecture, pretrained on the arithmetic task (`archer_trl.tasks`) by
# `scripts/build_tiny_math_model.py`.
TINY_MATH_MODEL = Path(__file__).resolve().parent / "assets" / "tiny-math"

SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
UNK_TOKEN = "<unk>"

# ChatML, as used by Qwen models; `add_generation_prompt` opens the assistant turn.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def build_char_tokenizer() -> PreTrainedTokenizerFast:
    """A character-level tokenizer over printable ASCII with ChatML special tokens and chat template.

    Character-level tokens keep arithmetic learnable by very small models and make the vocabulary tiny (104).
    """
    vocab: dict[str, int] = {}
    for token in (*SPECIAL_TOKENS, UNK_TOKEN, *string.printable):
        vocab.setdefault(token, len(vocab))
    backend = Tokenizer(models.WordLevel(vocab, unk_token=UNK_TOKEN))
    backend.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    backend.decoder = decoders.Fuse()
    backend.add_special_tokens(list(SPECIAL_TOKENS))
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        unk_token=UNK_TOKEN,
        padding_side="left",
        model_max_length=4096,
    )
    tokenizer.chat_template = CHATML_TEMPLATE
    return tokenizer


def build_tiny_model(
    tokenizer: PreTrainedTokenizerFast,
    *,
    hidden_size: int = 64,
    num_hidden_layers: int = 2,
    num_attention_heads: int = 1,
    num_key_value_heads: int = 1,
    intermediate_size: int = 128,
    max_position_embeddings: int = 1024,
    seed: int = 0,
) -> LlamaForCausalLM:
    """A randomly initialised Llama-architecture causal LM sized for CPU tests.

    Llama rather than Qwen2: transformers 5 loads a Qwen2 checkpoint's tokenizer as ``Qwen2Tokenizer``, whose
    byte-level pre-tokenizer would replace our character-level one. The default head dimension is 64 because
    vLLM's CPU attention backend rejects smaller heads.
    """
    import torch

    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        intermediate_size=intermediate_size,
        num_hidden_layers=num_hidden_layers,
        num_attention_heads=num_attention_heads,
        num_key_value_heads=num_key_value_heads,
        max_position_embeddings=max_position_embeddings,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.convert_tokens_to_ids("<|im_start|>"),
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = LlamaForCausalLM(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    return model


def save_tiny_model(output_dir: str | Path, **model_kwargs) -> Path:
    """Build a tiny tokenizer and model and save both to ``output_dir``; return the path.

    TRL re-creates the reference model (and vLLM loads the policy) from ``name_or_path``, so models used in
    training must exist on disk.
    """
    output_dir = Path(output_dir)
    tokenizer = build_char_tokenizer()
    model = build_tiny_model(tokenizer, **model_kwargs)
    model.save_pretrained(output_dir)
    tokenizer.save_pretrained(output_dir)
    return output_dir
