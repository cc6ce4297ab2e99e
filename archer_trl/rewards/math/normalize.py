"""TeX macro arguments braced the way TeX reads them, so that the parser sees one form.

``\\frac12``, ``\\dfrac34``, ``\\sqrt2``, ``\\frac{\\sqrt3}2``: each unbraced argument is one token (a character or a
control word), so ``\\frac123`` stays ``\\frac{1}{2}3`` (TeX's reading, not 1/23) and plain-text ``sqrt(2)`` stays
unparsed. Pure string functions; unbalanced or too deeply nested text is returned unchanged (and then bounded by the
worker's deadlines).
"""

from __future__ import annotations

import re

MAX_BRACE_DEPTH = 100  # deeper nesting is left as it is

# ------------------------------------------------------------------------------------------ TeX argument bracing

ARGUMENT_COUNT = {"frac": 2, "dfrac": 2, "tfrac": 2, "cfrac": 2, "binom": 2, "dbinom": 2, "tbinom": 2, "sqrt": 1}
CONTROL_SEQUENCE = re.compile(r"\\(?:[a-zA-Z]+|.)", re.DOTALL)
HAS_ARGUMENT_MACRO = re.compile(r"\\(?:[dtc]?frac|[dt]?binom|sqrt)(?![a-zA-Z])")


class _Unbalanced(Exception):
    pass


def brace_tex_arguments(text: str) -> str:
    """Give every ``\\frac``/``\\dfrac``/``\\tfrac``/``\\cfrac``/``\\binom``/``\\sqrt`` argument its braces, reading an
    unbraced argument as TeX does: one token (a character or a control word). Unbalanced or too deeply nested text
    is returned unchanged."""
    if not HAS_ARGUMENT_MACRO.search(text):
        return text
    try:
        rewritten, end = _scan(text, 0, 0)
    except (_Unbalanced, RecursionError):
        return text
    return rewritten if end == len(text) else text


def _scan(text: str, position: int, depth: int) -> tuple[str, int]:
    """Rewrite from ``position`` to the end (depth 0) or to just after the ``}`` closing the current group."""
    if depth > MAX_BRACE_DEPTH:
        raise _Unbalanced
    out: list[str] = []
    while position < len(text):
        char = text[position]
        if char == "\\":
            token = CONTROL_SEQUENCE.match(text, position).group(0)
            out.append(token)
            position += len(token)
            count = ARGUMENT_COUNT.get(token[1:])
            if count:
                if token == "\\sqrt":
                    position = _copy_optional_index(text, position, out)
                for _ in range(count):
                    argument, position = _argument(text, position, depth)
                    if argument is None:
                        break
                    out.append("{" + argument + "}")
        elif char == "{":
            inner, position = _scan(text, position + 1, depth + 1)
            out.append("{" + inner + "}")
        elif char == "}":
            if depth == 0:
                raise _Unbalanced
            return "".join(out), position + 1
        else:
            out.append(char)
            position += 1
    if depth:
        raise _Unbalanced
    return "".join(out), position


def _copy_optional_index(text: str, position: int, out: list[str]) -> int:
    start = position
    while start < len(text) and text[start].isspace():
        start += 1
    if start < len(text) and text[start] == "[":
        end = text.find("]", start)
        if end < 0:
            raise _Unbalanced
        out.append(brace_tex_arguments(text[start : end + 1]))
        return end + 1
    return position


def _argument(text: str, position: int, depth: int) -> tuple[str | None, int]:
    start = position
    while start < len(text) and text[start].isspace():
        start += 1
    if start >= len(text) or text[start] == "}":
        return None, position
    if text[start] == "{":
        return _scan(text, start + 1, depth + 1)
    if text[start] == "\\":
        token = CONTROL_SEQUENCE.match(text, start).group(0)
        return token, start + len(token)
    return text[start], start + 1
