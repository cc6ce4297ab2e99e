"""Formats read as the common one, so that one set of rules reads every response: reasoning channels other than
``<think>`` tags as them, and ``\\(...\\)`` inline math as ``$...$`` (`common_format`).

OpenAI's Harmony format (gpt-oss) writes each message as ``<|start|>assistant<|channel|>NAME<|message|>...`` ended by
``<|end|>``, ``<|return|>`` or ``<|call|>``. Only the ``analysis`` channel is reasoning, hidden from the user; every
other message (``final``, ``commentary``) and any text outside a message is shown, so all of it is the answer and is
read by the same rules: an earlier final message that states another value, a commentary preamble that hedges, or a
second final channel opened inside a final message is part of what is judged (red-team round 38: reading only after
the last final channel hid all of these). Without the analysis channel read as reasoning, a value it rejected on the
way ("\\boxed{381}? No") stood as a second answer beside the final one (round 37).
"""

from __future__ import annotations

import re

HEADER = re.compile(
    r"(?:<\|start\|>\s*(?:assistant|user|system|developer)?\s*)?<\|channel\|>\s*(\w+)[^<]*<\|message\|>"
)
END = re.compile(r"<\|(?:end|return|call)\|>")


def harmony_as_think(text: str) -> str:
    """``text`` with its Harmony analysis messages as one ``<think>`` block before everything shown, which keeps its
    order with the format's tokens removed. Text with no Harmony channel is left as it is; a response whose last
    message is an analysis never closed has not answered (an open ``<think>``)."""
    headers = list(HEADER.finditer(text))
    if not headers:
        return text
    thought, shown = [], [text[: headers[0].start()]]
    for index, header in enumerate(headers):
        stop = headers[index + 1].start() if index + 1 < len(headers) else len(text)
        body = text[header.end() : stop]
        ended = END.search(body)
        if header.group(1).lower() == "analysis":
            thought.append(body[: ended.start()] if ended else body)
            if ended is None and index + 1 == len(headers):
                return "<think>" + "\n".join(thought)  # still thinking: no answer
            shown.append(body[ended.end() :] if ended else "")
        else:
            shown.append(body)
    answer = END.sub("\n", "\n".join(shown))
    return "<think>" + "\n".join(thought) + "</think>" + answer


INLINE_MATH = re.compile(r"(?<!\\)\\([()])")


def common_format(text: str) -> str:
    """``text`` with Harmony channels read as ``<think>`` (`harmony_as_think`) and ``\\(``/``\\)`` as ``$``: the rules
    were written on ``$`` (round 38: "The area is \\(\\boxed{54}\\) square units." and a line "... \\(\\to 1\\)." before
    the box read otherwise than their ``$`` twins). A ``\\\\(`` is a line break and a parenthesis, and stays."""
    return INLINE_MATH.sub("$", harmony_as_think(text))
