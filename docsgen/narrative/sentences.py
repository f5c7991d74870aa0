"""A model's Markdown answer cut into blocks and sentences, code spans left whole.

Pure text handling: a full stop inside ```Signer.sign``` or
``src/app.py:12`` ends no sentence, nor does the one of "e.g.".  Code blocks
and tables are blocks of their own, for the verifier to refuse whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An inline code span: a run of backticks, its content, the same run again.
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
# A Markdown link or image: its text may hold full stops, its address does.
LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
# A sentence ends at . ! or ? (closing quotes, brackets and emphasis may follow) before a
# space and something that starts a sentence.
_END = re.compile(r"[.!?]+[\"')\]*_]*\s+")
_STARTS = re.compile(r"[A-Z0-9\x00\"'(\[*_`]")
ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "resp", "no", "fig", "ca", "viz", "al"}
)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?")


@dataclass(frozen=True)
class Block:
    """A paragraph, list item, heading, code block or table of an answer."""

    kind: str  # "paragraph", "item", "heading", "code" or "table"
    text: str  # its text on one line (code blocks and tables: as written)
    marker: str = ""  # a list item's marker, as written ("-", "1.")

    def sentences(self) -> list[str]:
        if self.kind in ("code", "table"):
            return [self.text]
        return split_sentences(self.text)


def blocks(markdown: str) -> list[Block]:
    """The answer's blocks, in order; a block's lines are joined by spaces."""
    found: list[Block] = []
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    current: list[str] = []
    kind, marker = "paragraph", ""

    def flush() -> None:
        nonlocal current, kind, marker
        text = " ".join(part.strip() for part in current).strip()
        if text:
            found.append(Block(kind, text, marker))
        current, kind, marker = [], "paragraph", ""

    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        fence = _FENCE.match(line)
        if fence:
            flush()
            body = []
            while index < len(lines) and not lines[index].strip().startswith(fence.group(1)):
                body.append(lines[index])
                index += 1
            index += 1  # the closing fence (or the end)
            found.append(Block("code", "\n".join(body)))
            continue
        if not line.strip():
            flush()
            continue
        line = _QUOTE.sub("", line)
        heading = _HEADING.match(line)
        item = _ITEM.match(line)
        if heading:
            flush()
            found.append(Block("heading", heading.group(1)))
        elif line.lstrip().startswith("|"):
            if kind != "table":
                flush()
                kind = "table"
            current.append(line)
        elif item:
            flush()
            kind, marker = "item", item.group(1)
            current.append(item.group(2))
        else:
            if kind == "table":
                flush()
            current.append(line)
    flush()
    return [b if b.kind != "table" else Block("table", b.text) for b in found]


def split_sentences(text: str) -> list[str]:
    """The sentences of one block of prose."""
    protected, kept = protect(text)
    sentences: list[str] = []
    start = 0
    for end in _END.finditer(protected):
        following = protected[end.end() : end.end() + 1]
        if not _STARTS.match(following):
            continue
        before = protected[: end.start()].split()
        word = before[-1].lower() if before else ""
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        sentences.append(protected[start : end.end()].strip())
        start = end.end()
    sentences.append(protected[start:].strip())
    return [restore(s, kept) for s in sentences if s]


def protect(text: str) -> tuple[str, list[str]]:
    """``text`` with its code spans and links replaced by placeholders, and what they hold."""
    kept: list[str] = []

    def hold(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    return LINK.sub(hold, CODE_SPAN.sub(hold, text.replace("\x00", "\ufffd"))), kept


def restore(text: str, kept: list[str]) -> str:
    """``text`` as it was (a link's text may hold a code span: restored in two passes)."""
    for _ in range(2):
        text = _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], text)
    return text
