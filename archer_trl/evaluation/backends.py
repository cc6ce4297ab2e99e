"""Generation backends behind one interface: vLLM when importable, otherwise batched ``transformers`` generate
(:func:`archer_trl.generation.generate_transformers`, shared with the inspector and the training scripts)."""

from __future__ import annotations

import gc
import logging
from collections.abc import Sequence
from typing import Any, Literal

from ..generation import (
    Completion,
    SamplingSettings,
    generate_transformers,
    prompt_too_long_completion,
    warn_prompts_too_long,
)

logger = logging.getLogger(__name__)


def vllm_available() -> bool:
    """Whether vLLM can be imported (it lives in its own environment; see docs/evaluation.md)."""
    try:
        # `from vllm import LLM`, not `import vllm`: a stray `vllm/` directory on sys.path (such as tests/vllm under
        # pytest) imports as an empty namespace package.
        from vllm import LLM, SamplingParams  # noqa: F401
    except Exception:  # ImportError, or a broken install (CUDA/torch mismatch) that fails at import
        return False
    return True


def generate_vllm(
    llm: Any, prompt_ids: Sequence[list[int]], settings: SamplingSettings, *, desc: str = "generate"
) -> list[list[Completion]]:
    """K sampled completions per prompt with a vLLM engine: one request per prompt with ``n=K``, fed token ids (the
    chat template was rendered with the HF tokenizer, so no BOS is added twice)."""
    from vllm import SamplingParams

    model_config = getattr(getattr(llm, "llm_engine", None), "model_config", None)
    max_model_len = getattr(model_config, "max_model_len", None)

    def params_for(prompt_len: int) -> Any:
        max_tokens = settings.max_tokens
        if max_model_len is not None and prompt_len + max_tokens > max_model_len:
            # as in the transformers path: cap the budget so that prompt + completion fits the context
            max_tokens = max_model_len - prompt_len  # >= 1: prompts that fill the context are set aside
        return SamplingParams(
            n=settings.n,
            temperature=settings.temperature,
            top_p=settings.top_p,
            max_tokens=max_tokens,
            seed=settings.seed,
            skip_special_tokens=True,
        )

    fits = [i for i, ids in enumerate(prompt_ids) if max_model_len is None or len(ids) < max_model_len]
    warn_prompts_too_long(len(prompt_ids) - len(fits), len(prompt_ids), "max_model_len", max_model_len)
    prompts = [{"prompt_token_ids": list(prompt_ids[i])} for i in fits]
    params = [params_for(len(prompt_ids[i])) for i in fits]
    if max_model_len is not None and any(p.max_tokens < settings.max_tokens for p in params):
        logger.warning(
            "max_tokens %d capped for prompts that would exceed max_model_len=%d", settings.max_tokens, max_model_len
        )
    outputs = llm.generate(prompts, params, use_tqdm=True) if prompts else []
    results = [[prompt_too_long_completion() for _ in range(settings.n)] for _ in prompt_ids]
    for i, request in zip(fits, outputs):
        results[i] = [
            Completion(o.text, len(o.token_ids), truncated=o.finish_reason == "length")
            for o in sorted(request.outputs, key=lambda o: o.index)
        ]
    return results


class Generator:
    """A loaded model behind one interface, ``generate(prompt_ids, settings)``, for either backend."""

    def __init__(
        self,
        model_path: str,
        *,
        backend: Literal["auto", "vllm", "transformers"] = "auto",
        dtype: str = "auto",
        batch_size: int = 64,
        trust_remote_code: bool = False,
        tensor_parallel_size: int = 1,
        gpu_memory_utilization: float = 0.9,
        max_model_len: int | None = None,
        seed: int = 0,
        torch_threads: int | None = None,
    ) -> None:
        from transformers import AutoTokenizer

        if backend not in ("auto", "vllm", "transformers"):
            raise ValueError(f"backend must be one of auto, vllm, transformers; got {backend!r}")
        if backend == "auto":
            backend = "vllm" if vllm_available() else "transformers"
        elif backend == "vllm" and not vllm_available():
            raise ImportError("--backend vllm: vLLM is not importable here; install it or use --backend transformers")
        self.backend = backend
        self.batch_size = batch_size
        self.tokenizer = AutoTokenizer.from_pretrained(model_path, trust_remote_code=trust_remote_code)
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        if backend == "vllm":
            from vllm import LLM

            kwargs: dict[str, Any] = {
                "model": model_path,
                "tokenizer": model_path,
                "dtype": dtype,
                "seed": seed,
                "tensor_parallel_size": tensor_parallel_size,
                "gpu_memory_utilization": gpu_memory_utilization,
                "trust_remote_code": trust_remote_code,
            }
            if max_model_len is not None:
                kwargs["max_model_len"] = max_model_len
            self.model = LLM(**kwargs)
        else:
            import torch
            from transformers import AutoModelForCausalLM

            if torch_threads is not None:
                # On a shared CPU, OpenMP threads that spin-wait on busy cores slow small models down by 10-50x.
                torch.set_num_threads(torch_threads)
            device = "cuda" if torch.cuda.is_available() else "cpu"
            torch_dtype = "auto" if dtype == "auto" else getattr(torch, dtype)
            if device == "cpu" and dtype == "auto":
                torch_dtype = torch.float32  # CPU matmuls in bf16 are slow and lossy
            self.model = AutoModelForCausalLM.from_pretrained(
                model_path, dtype=torch_dtype, trust_remote_code=trust_remote_code
            ).to(device)

    def generate(
        self, prompt_ids: Sequence[list[int]], settings: SamplingSettings, desc: str
    ) -> list[list[Completion]]:
        if self.backend == "vllm":
            return generate_vllm(self.model, prompt_ids, settings, desc=desc)
        return generate_transformers(
            self.model, self.tokenizer, prompt_ids, settings, batch_size=self.batch_size, desc=desc
        )

    def close(self) -> None:
        """Free the model (and vLLM's engine) before the next checkpoint is loaded."""
        model, self.model = self.model, None
        if self.backend == "vllm":
            engine = getattr(model, "llm_engine", None)
            shutdown = getattr(getattr(engine, "engine_core", None), "shutdown", None)
            if callable(shutdown):
                shutdown()
        del model
        gc.collect()
        try:
            import torch

            if torch.cuda.is_available():
                torch.cuda.empty_cache()
        except ImportError:
            pass
