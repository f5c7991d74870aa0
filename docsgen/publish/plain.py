"""A page's first words as plain text: what a one-line summary or a list note says."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from docsgen.generator.markdown import printable

_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _text(token: Token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return " ".join("".join(parts).split())


def first_paragraph(markdown: str) -> str:
    """The text of the first top-level paragraph (not in a list, table or quote), or ""."""
    tokens = _parser().parse(markdown)
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and i + 1 < len(tokens):
            text = _text(tokens[i + 1])
            if text:
                return printable(text)
    return ""


def shorten(text: str, limit: int) -> str:
    """``text`` cut at its first sentence, and at ``limit`` characters with an ellipsis."""
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
