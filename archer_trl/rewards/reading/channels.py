"""Reasoning-channel formats other than ``<think>`` tags, read as them so that one rule finds the answer section.

OpenAI's Harmony format (gpt-oss) writes its reasoning as ``<|channel|>analysis<|message|>...<|end|>`` and the answer
as ``<|start|>assistant<|channel|>final<|message|>...``. Without this, the analysis counted as part of the answer, and a
value it rejected on the way ("\\boxed{381}? No") stood as a second answer beside the final channel's (round 37).
"""

from __future__ import annotations

import re

HARMONY_FINAL = re.compile(r"<\|channel\|>\s*final\s*<\|message\|>")
HARMONY_ANALYSIS = re.compile(r"(?:<\|start\|>\s*assistant\s*)?<\|channel\|>\s*analysis\s*<\|message\|>")


def harmony_as_think(text: str) -> str:
    """``text`` with a Harmony analysis channel as ``<think>`` and the final channel's start as ``</think>`` (the
    last final channel only: what follows it is the answer). Text without a final channel is left as it is."""
    finals = list(HARMONY_FINAL.finditer(text))
    if not finals:
        return text
    last = finals[-1]
    head = HARMONY_ANALYSIS.sub("", text[: last.start()])
    return "<think>" + head + "</think>" + text[last.end() :]
