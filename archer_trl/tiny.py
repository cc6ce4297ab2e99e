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


# DeepSeek-R1-Distill-Qwen's special tokens and chat template (the assistant turn opens with "<think>\n").
# Qwen2Tokenizer, which transformers picks for a Qwen2 checkpoint, adds "<|endoftext|>" when it is missing.
R1_SPECIAL_TOKENS = (
    "<｜end▁of▁sentence｜>",
    "<｜begin▁of▁sentence｜>",
    "<｜User｜>",
    "<｜Assistant｜>",
    "<｜▁pad▁｜>",
    "<|endoftext|>",
)
THINK_TOKENS = ("<think>", "</think>")
R1_CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}{{ message['content'] }}"
    "{% elif message['role'] == 'user' %}{{ '<｜User｜>' + message['content'] }}"
    "{% else %}{{ '<｜Assistant｜>' + message['content'] + eos_token }}{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<｜Assistant｜><think>\\n' }}{% endif %}"
)


# DeepSeek-R1-Distill-Qwen-1.5B's config.json: the shape of the paper's model (keyword arguments of save_tiny_qwen2).
R1_DISTILL_QWEN_1_5B = dict(
    hidden_size=1536,
    num_hidden_layers=28,
    num_attention_heads=12,
    num_key_value_heads=2,
    intermediate_size=8960,
    vocab_size=151936,
    max_position_embeddings=131072,
)


def build_think_tokenizer(vocab_size: int = 512) -> PreTrainedTokenizerFast:
    """A byte-level BPE tokenizer with R1-Distill's special tokens, ``<think>``/``</think>`` and chat template.

    Trained in memory on a fixed synthetic corpus (math and code lines), so it is deterministic and offline.
    Byte-level, like Qwen2's own, because transformers re-creates a Qwen2 checkpoint's tokenizer with Qwen2's
    byte-level pre-tokenizer.
    """
    from tokenizers import processors, trainers

    corpus = [
        f"What is {a} + {b}? <think>\n{a} plus {b} is {a + b}.</think> The answer is \\boxed{{{a + b}}}.\n"
        f"```python\ndef f(x):\n    return x * {a} - {b}\n```\n"
        for a in range(40)
        for b in range(0, 40, 7)
    ]
    backend = Tokenizer(models.BPE())
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    backend.post_processor = processors.ByteLevel(trim_offsets=False)
    bpe = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[*R1_SPECIAL_TOKENS, *THINK_TOKENS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    backend.train_from_iterator(corpus, bpe)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        bos_token=R1_SPECIAL_TOKENS[1],
        eos_token=R1_SPECIAL_TOKENS[0],
        pad_token=R1_SPECIAL_TOKENS[4],
        unk_token=R1_SPECIAL_TOKENS[5],
        padding_side="left",
    )
    tokenizer.add_tokens(list(THINK_TOKENS))
    tokenizer.chat_template = R1_CHAT_TEMPLATE
    return tokenizer


def save_tiny_qwen2(
    output_dir: str | Path,
    *,
    hidden_size: int = 64,
    num_hidden_layers: int = 2,
    num_attention_heads: int = 2,
    num_key_value_heads: int = 1,
    intermediate_size: int = 128,
    vocab_size: int | None = None,
    max_position_embeddings: int = 4096,
    tie_word_embeddings: bool = False,
    dtype: str = "float32",
    device: str = "cpu",
    seed: int = 0,
) -> Path:
    """Save a randomly initialised Qwen2 causal LM with :func:`build_think_tokenizer` to ``output_dir``.

    The architecture of DeepSeek-R1-Distill-Qwen (Qwen2, grouped-query attention, untied head), at any size: the
    defaults make a CPU-test model; ``**R1_DISTILL_QWEN_1_5B`` is the 1.5B shape. Without ``vocab_size`` the
    vocabulary is the tokenizer's, padded to a multiple of 64 as Qwen's is. Deterministic for a given ``device``: fixed corpus, fixed seed (``device="cuda"``
    initialises a large model in seconds instead of minutes).
    """
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    output_dir = Path(output_dir)
    tokenizer = build_think_tokenizer()
    vocab_size = vocab_size or -(-len(tokenizer) // 64) * 64
    if vocab_size < len(tokenizer):
        raise ValueError(f"vocab_size={vocab_size} is smaller than the tokenizer's {len(tokenizer)} tokens")
    config = Qwen2Config(
        vocab_size=vocab_size,
        hidden_size=hidden_size,
        intermediate_size=intermediate_size,
        num_hidden_layers=num_hidden_layers,
        num_attention_heads=num_attention_heads,
        num_key_value_heads=num_key_value_heads,
        max_position_embeddings=max_position_embeddings,
        tie_word_embeddings=tie_word_embeddings,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    with torch.random.fork_rng(), torch.device(device):
        torch.manual_seed(seed)
        model = Qwen2ForCausalLM(config).to(getattr(torch, dtype))
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(output_dir)
    tokenizer.save_pretrained(output_dir)
    return output_dir
