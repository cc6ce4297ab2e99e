"""Brackets and separators at the top level of a TeX string (outside any bracket, brace or ``\\{ \\}``).

Intervals close with the other bracket (``[1, 3)``), so any opener pairs with any closer. Pure string functions.
"""

from __future__ import annotations

import re

OPEN, CLOSE = "([{", ")]}"
TRANSPOSE = re.compile(r"\^\s*\{?\s*(?:T|\\top|t)\s*\}?$")


def split_top(tex: str, separator: re.Pattern, keep: bool = False) -> list[str]:
    """``tex`` split at the separator's matches outside any bracket or brace (``keep`` also returns the
    separators, interleaved)."""
    pieces, start = [], 0
    for match in top_matches(tex, separator):
        pieces.append(tex[start : match.start()])
        if keep:
            pieces.append(match.group(0))
        start = match.end()
    pieces.append(tex[start:])
    return pieces


def top_matches(tex: str, separator: re.Pattern) -> list[re.Match]:
    depths, depth, index = [0] * (len(tex) + 1), 0, 0
    while index < len(tex):
        char = tex[index]
        if char == "\\" and index + 1 < len(tex) and tex[index + 1] in "{}":
            depth += 1 if tex[index + 1] == "{" else -1
            depths[index] = depths[index + 1] = depth
            index += 2
            continue
        if char in OPEN:
            depth += 1
        elif char in CLOSE:
            depth -= 1
        depths[index] = depth if char not in OPEN else depth - 1
        index += 1
    found, position = [], 0
    while (match := separator.search(tex, position)) is not None:
        if depths[match.start()] == 0 and match.end() > match.start():
            found.append(match)
        position = max(match.end(), match.start() + 1)
    return found


def outer_brackets(tex: str) -> tuple[str | None, str, str]:
    tex = tex.strip()
    if tex.startswith("\\{") and tex.endswith("\\}") and close_index(tex) == len(tex) - 1:
        return "\\{", "\\}", tex[2:-2]
    if tex[:1] in "([" and tex[:1] and close_index(tex) is not None:
        end = close_index(tex)
        rest = tex[end + 1 :]
        if end == len(tex) - 1 or TRANSPOSE.fullmatch(rest.strip() or "x"):
            return tex[0], tex[end], tex[1:end]
    return None, "", ""


def close_index(tex: str) -> int | None:
    depth = 0
    index = 0
    while index < len(tex):
        if tex.startswith("\\{", index) or tex[index] in OPEN:
            depth += 1
        elif tex.startswith("\\}", index) or tex[index] in CLOSE:
            depth -= 1
            if depth == 0:
                return index + (1 if tex.startswith("\\}", index) else 0)
        index += 2 if tex[index] == "\\" else 1
    return None
