"""A page's first words as plain text: what a one-line summary or a list note says."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from docsgen.generator.markdown import printable

_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
# Markup a README quoted as written still shows: "[WSGI][]" (a reference without its
# definition), "[Node.js](http://nodejs.org)", "**bold**", "*ser*ializing".
_WRITTEN_MARKUP = (
    (re.compile(r"\[([^\[\]]+)\](?:\[[^\[\]]*\]|\([^()\s]*\))"), r"\1"),
    (re.compile(r"\*\*|__"), ""),
    (re.compile(r"(?<![\w*])\*(\S[^*]*?)\*"), r"\1"),
)


def _unmarked(text: str) -> str:
    for pattern, replacement in _WRITTEN_MARKUP:
        text = pattern.sub(replacement, text)
    return text


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
    """The text of the first top-level paragraph (not in a list or table), or "".

    A paragraph that only introduces what follows ("The README describes the
    project as:") gives way to the quote it introduces.
    """
    tokens = _parser().parse(markdown)
    quoted = False  # inside a blockquote that a lead-in introduced
    lead_in = False
    for i, token in enumerate(tokens):
        if token.type == "blockquote_open" and token.level == 0:
            quoted = lead_in
        elif token.type == "blockquote_close" and token.level == 0:
            quoted = False
        if token.type != "paragraph_open" or i + 1 >= len(tokens):
            continue
        if token.level == 0 or (quoted and token.level == 1):
            text = _unmarked(_text(tokens[i + 1]))
            if text.endswith(":") and token.level == 0:
                lead_in = True
                continue
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
