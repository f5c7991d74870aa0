"""Reading a page's Markdown line by line: headings, code blocks, links, escapes."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

HEADING = re.compile(r"^(#{1,6}) (.*)$")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
LINK_TARGET = re.compile(r"\]\(#([^()\s]+)\)")
MARKUP_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
ESCAPED = re.compile(r"\\([\\`*_{}\[\]<>()#+!|~.-])")


def scan(lines: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """Each line, and whether it belongs to a fenced code block (its fences included)."""
    return zip(lines, code_flags(lines), strict=True)


def code_flags(lines: Sequence[str]) -> Iterator[bool]:
    """Whether each line belongs to a fenced code block (its fences included)."""
    fence = ""
    for line in lines:
        if fence:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
            yield True
            continue
        opening = FENCE.match(line)
        if opening is not None:
            fence = opening.group(1)
            yield True
        else:
            yield False
