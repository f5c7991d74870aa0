"""Long answers in parts a model's context can hold, each saying how to get the next.

A part ends at a line end, never inside a code fence: a fence open at the cut is
closed at the end of the part and opened again at the start of the next, so
every part is Markdown that renders on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from docsgen.errors import InvalidInput

# About 4,000 tokens of English: room for several answers in an assistant's context.
PART_CHARS = 16_000

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def split_parts(markdown: str, size: int = PART_CHARS) -> list[str]:
    """``markdown`` cut into parts of about ``size`` characters (at least one part)."""
    parts: list[str] = []
    current: list[str] = []
    length = 0
    fence: str | None = None  # the opening line of the fence the text is inside
    for line in _lines(markdown, size):
        if current and length + len(line) > size:
            parts.append(_close(current, fence))
            current = [fence + "\n"] if fence else []
            length = len(current[0]) if current else 0
        current.append(line)
        length += len(line)
        fence = _fence_after(line, fence)
    parts.append(_close(current, fence))
    return parts


def _lines(markdown: str, size: int) -> list[str]:
    """The lines (with their ends); a line longer than a part is cut into pieces."""
    lines: list[str] = []
    for line in markdown.splitlines(keepends=True):
        while len(line) > size:
            lines.append(line[:size] + "\n")
            line = line[size:]
        lines.append(line)
    return lines


def _fence_after(line: str, fence: str | None) -> str | None:
    match = _FENCE.match(line)
    if match is None:
        return fence
    if fence is None:
        return line.rstrip("\n")
    opened = _FENCE.match(fence)
    assert opened is not None
    marker = opened.group(1)
    closing = match.group(1)
    if closing[0] == marker[0] and len(closing) >= len(marker) and not line.strip()[len(closing) :]:
        return None
    return fence


def _close(lines: list[str], fence: str | None) -> str:
    text = "".join(lines)
    if not text.endswith("\n"):
        text += "\n"
    if fence is not None:
        opened = _FENCE.match(fence)
        assert opened is not None
        text += opened.group(1) + "\n"
    return text


def paged(markdown: str, page: int, call_for: Callable[[int], str], size: int = PART_CHARS) -> str:
    """Part ``page`` (from 1) of ``markdown``; when there are more, a last line says how
    many and the call (``call_for(number)``) that reads the next one."""
    parts = split_parts(markdown, size)
    if page < 1 or page > len(parts):
        raise InvalidInput(
            f"page {page} does not exist: this answer has {len(parts)} "
            f"part{'s' if len(parts) != 1 else ''} (page 1 to {len(parts)})"
        )
    text = parts[page - 1]
    if len(parts) == 1:
        return text
    if page < len(parts):
        return (
            f"{text}\n---\n*Part {page} of {len(parts)}. The next part: `{call_for(page + 1)}`.*\n"
        )
    return f"{text}\n---\n*Part {page} of {len(parts)}, the last.*\n"
