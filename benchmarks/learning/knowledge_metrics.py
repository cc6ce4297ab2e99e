"""The knowledge task's own held-out metrics (``training.evaluate_policy``'s ``extra`` hook for ``task="knowledge"``).

On top of the harness's common metrics, every evaluation of a knowledge-task run measures:

- **recall probe** (every fact, ``Recall K17.``): greedy accuracy and the mean teacher-forced probability of the
  fact's value, separately for the facts RL prompts use (``seen``) and those they never use (``unseen``);
- **stated facts**: the share of ``K17=4`` statements in the greedy held-out responses that are correct;
- **fact-value tokens** of the sampled held-out responses (the digit after ``K17=``): mean entropy and the share
  that Archer's per-response split types as knowledge;
- **KL to the starting checkpoint** on the sampled held-out responses, by token type and on fact-value tokens: the
  mean of k3 = e^d - d - 1, d = log p_start - log p_policy per sampled token (the estimator Archer's loss uses), so
  every method, with or without a reference model in its loss, is measured the same way.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MODEL = REPO / "archer_trl" / "assets" / "tiny-knowledge"
FACT_VALUE_RE = re.compile(r"[KQ]\d\d=(\d+)")
PROBE_MAX_NEW_TOKENS = 40  # "<think>K17=4</think>\\boxed{4}" is 29 tokens, plus the EOS


def fact_value_mask(tokens: list[str]) -> list[bool]:
    """Which of a response's token pieces spell a stated fact's value (the digits after ``K17=``)."""
    text, starts = "", []
    for piece in tokens:
        starts.append(len(text))
        text += piece
    inside = set()
    think = text.split("</think>", 1)[0]
    for match in FACT_VALUE_RE.finditer(think):
        inside.update(range(match.start(1), match.end(1)))
    return [start in inside for start in starts]


def k3(logp_start: float, logp_policy: float) -> float:
    d = max(-20.0, min(20.0, logp_start - logp_policy))
    return math.exp(d) - d - 1.0


class KnowledgeMetrics:
    """Loads the starting checkpoint once per process; called at every evaluation of a knowledge-task run."""

    def __init__(self, start_model_path: str):
        self.start_model_path = start_model_path
        self._start_model = None

    def start_model(self):
        if self._start_model is None:
            from transformers import AutoModelForCausalLM

            self._start_model = AutoModelForCausalLM.from_pretrained(self.start_model_path).eval()
        return self._start_model

    def __call__(self, model, tokenizer, greedy, view) -> dict[str, Any]:
        return (
            recall_probe(model, tokenizer)
            | stated_fact_accuracy([r.completion for r in greedy])
            | typed_drift(view, score_under(self.start_model(), tokenizer, view.records))
        )


def recall_probe(model, tokenizer) -> dict[str, float]:
    """Greedy accuracy and mean probability of the right value on the recall probe, for seen and unseen facts."""
    from archer_trl.inspect import CompletionRecord, generate_records, score_records
    from archer_trl.tasks.knowledge import exact_match_reward, make_recall_probe

    probe = make_recall_probe()
    prompts = list(probe["prompt"])
    greedy = generate_records(
        model, tokenizer, prompts, do_sample=False, max_new_tokens=PROBE_MAX_NEW_TOKENS, batch_size=200, progress=False
    )
    correct = exact_match_reward([r.completion for r in greedy], list(probe["solution"]))
    # Teacher-forced: the log-prob of the value's first digit right after "<think>K17=" in the reference answer.
    references = [CompletionRecord(prompt=p, completion=ref) for p, ref in zip(prompts, probe["reference"])]
    scored = score_records(model, tokenizer, references, batch_size=200, progress=False)
    probability = [math.exp(r.logprobs[r.tokens.index("=") + 1]) for r in scored]
    metrics = {}
    for split, keep in (("seen", True), ("unseen", False)):
        rows = [i for i, seen in enumerate(probe["seen"]) if seen == keep]
        metrics[f"recall_{split}"] = sum(correct[i] for i in rows) / len(rows)
        metrics[f"recall_prob_{split}"] = sum(probability[i] for i in rows) / len(rows)
    return metrics


def stated_fact_accuracy(completions: list[str]) -> dict[str, float]:
    from archer_trl.tasks.knowledge import fact_table, stated_facts

    table = fact_table()
    stated = [(name, value) for c in completions for name, value in stated_facts(c).items() if name in table]
    right = sum(value == str(table[name]) for name, value in stated)
    return {"stated_fact_accuracy": right / len(stated) if stated else float("nan")}


def score_under(model, tokenizer, records) -> list[list[float]]:
    """Per-token log-probs of ``records``' completion tokens under ``model`` (the same tokens, teacher-forced)."""
    from archer_trl.inspect import score_records

    return [r.logprobs for r in score_records(model, tokenizer, records, batch_size=200, progress=False)]


def typed_drift(view, start_logprobs: list[list[float]]) -> dict[str, float]:
    """Fact-value token entropy and knowledge share, and the k3 KL to the start by token type (see module doc)."""
    sums: dict[str, list[float]] = {"reasoning": [], "knowledge": [], "fact": []}
    fact_entropy, fact_knowledge = [], []
    for record, reasoning, start in zip(view.records, view.reasoning, start_logprobs):
        facts = fact_value_mask(record.tokens)
        for t, (lp, lp0) in enumerate(zip(record.logprobs, start)):
            kl = k3(lp0, lp)
            sums["reasoning" if reasoning[t] else "knowledge"].append(kl)
            if facts[t]:
                sums["fact"].append(kl)
                fact_entropy.append(record.entropies[t])
                fact_knowledge.append(0.0 if reasoning[t] else 1.0)

    def mean(values):
        return sum(values) / len(values) if values else float("nan")

    return {
        "kl_start_reasoning": mean(sums["reasoning"]),
        "kl_start_knowledge": mean(sums["knowledge"]),
        "kl_start_fact": mean(sums["fact"]),
        "entropy_fact": mean(fact_entropy),
        "fact_knowledge_share": mean(fact_knowledge),
    }
