"""Reading a README as a newcomer does: its first real paragraph, its code examples.

A README opens with what is not prose: badges, logos, a bar of links to its
translations, HTML, a table of contents.  ``paragraphs`` skips all of it and
answers the paragraphs of prose, in order; ``as_markdown`` keeps the author's
Markdown (emphasis, code, links to web pages) and drops what would not work
or not be safe on our page (images, relative links, link schemes other than
http and https).  Raw HTML stays as written: the page shows it as text, tags
and all (``docsgen.render`` renders no HTML of the Markdown).  ``code_blocks``
answers the code blocks, Markdown's or reStructuredText's, with their language
and the headings they sit under (``manifests.readme_code`` reads them, for the
README's commands too); ``is_example`` tells an example of using the code from
commands and data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from docsgen.generator.manifests.commands import SHELL_LANGUAGES
from docsgen.generator.manifests.readme_code import CodeBlock
from docsgen.generator.manifests.readme_code import code_blocks as code_blocks  # one reader
from docsgen.generator.markdown import printable

_README = re.compile(r"^readme(\.(md|markdown|rst|txt))?$", re.IGNORECASE)
# Lines that open no paragraph of prose: badges, images, HTML, link references, rst
# directives and underlines, tables, list items, quotes.
_NOT_PROSE = re.compile(
    r"^\s*(\[!\[|!\[|<|\[[^\]]+\]:\s|\.\. |:[a-z]+:|[=\-~^*#`]{3,}\s*$|\||[*+-]\s|\d+[.)]\s|>)",
    re.IGNORECASE,
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)")
_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\](\([^)]*\)|\[[^\]]*\])")
# A link's target may hold one level of parentheses (``https://w.org/A_(b)``).
_INLINE_LINK = re.compile(
    r"(?<!!)\[([^\]]+)\]\(\s*((?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"]*\")?\s*\)"
)
_REFERENCE_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\[([^\]]*)\]")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s.*)?$")
_RST_LINK = re.compile(r"`([^`<]+?)\s*<([^>`]+)>`__?")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_SAFE_URL = re.compile(r"^https?://[^\s<>]+$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}")
MIN_WORDS = 2  # fewer words of text, once links and markup are gone, is not a paragraph

# Fence languages that are data, not an example of using the code (nor are commands:
# ``SHELL_LANGUAGES``).
DATA_LANGUAGES = frozenset(
    {"", "text", "txt", "plain", "plaintext", "json", "json5", "jsonc", "toml", "yaml", "yml",
     "xml", "html", "css", "ini", "cfg", "csv", "diff", "patch", "markdown", "md", "mermaid",
     "rst", "output", "log", "none", "http", "dockerfile", "make", "makefile", "svg"}
)  # fmt: skip


def readme_path(paths: Mapping[str, str]) -> str | None:
    """The root README among the quoted texts: Markdown first, then reStructuredText."""
    candidates = [p for p in paths if "/" not in p and _README.match(p)]
    order = {".md": 0, ".markdown": 0, ".rst": 1}
    candidates.sort(key=lambda p: (order.get(PurePosixPath(p).suffix.lower(), 2), p))
    return candidates[0] if candidates else None


@dataclass(frozen=True)
class Paragraph:
    line: int  # 1-based, its first line
    lines: tuple[str, ...]
    heading: str = ""  # the nearest heading above it, as written


def paragraphs(text: str) -> Iterator[Paragraph]:
    """The README's paragraphs of prose, in order (code, headings and the rest skipped)."""
    lines = text.splitlines()
    i = 0
    fence: str | None = None
    heading = ""
    while i < len(lines):
        line = lines[i]
        opened = _FENCE.match(line)
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
        elif opened:
            fence = opened.group(1)
        elif _ATX.match(line) or (line.strip() and _underlined(lines, i)):
            atx = _ATX.match(line)
            heading = atx.group(2) if atx else line.strip()
        elif _opens_paragraph(lines, i) and _after_a_break(lines, i):
            start = i
            para: list[str] = []
            while i < len(lines) and lines[i].strip() and not _stops_paragraph(lines, i):
                para.append(lines[i].strip())
                i += 1
            if is_prose(" ".join(para)):
                yield Paragraph(start + 1, tuple(para), heading)
            continue
        i += 1


def _opens_paragraph(lines: list[str], i: int) -> bool:
    stripped = lines[i].strip()
    return bool(
        stripped
        and not lines[i].startswith(("    ", "\t"))
        and not stripped.startswith("#")
        and not _NOT_PROSE.match(lines[i])
        and not _underlined(lines, i)
    )


def _after_a_break(lines: list[str], i: int) -> bool:
    """Whether line ``i`` can open a paragraph: after a blank line, a heading or a code block,
    not inside a list item or a block of HTML it continues."""
    if i == 0:
        return True
    before = lines[i - 1]
    return not before.strip() or bool(
        _ATX.match(before) or re.fullmatch(r"\s*[=\-~^*#`]{3,}\s*", before)
    )


def _stops_paragraph(lines: list[str], i: int) -> bool:
    return bool(_FENCE.match(lines[i]) or _ATX.match(lines[i]) or _NOT_PROSE.match(lines[i])
                or _underlined(lines, i))  # fmt: skip


def _underlined(lines: list[str], i: int) -> bool:
    """A Setext or reStructuredText heading's title line."""
    return i + 1 < len(lines) and re.fullmatch(r"[=\-~^*#]{3,}", lines[i + 1].strip()) is not None


def is_prose(text: str) -> bool:
    """Words of text once links' targets, images and markup are gone: not a bar of
    links (``[English readme](…) • [简体中文 readme](…)``), not a badge row."""
    text = _IMAGE.sub(" ", text)
    text = _INLINE_LINK.sub(" ", text)  # a link's words are navigation, not prose
    text = _REFERENCE_LINK.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    return len(_WORD.findall(text)) >= MIN_WORDS


def plain_text(lines: tuple[str, ...]) -> str:
    """A paragraph's words as a reader sees them: links by their text, without their targets."""
    text = _IMAGE.sub(" ", " ".join(lines))
    text = _INLINE_LINK.sub(lambda m: m.group(1), text)
    text = _REFERENCE_LINK.sub(lambda m: m.group(1), text)
    return _HTML_TAG.sub(" ", text)


def link_definitions(text: str) -> dict[str, str]:
    """``[label]: url`` definitions of a Markdown README, by lowercased label."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        m = _DEFINITION.match(line)
        if m:
            found.setdefault(m.group(1).strip().lower(), m.group(2))
    return found


def as_markdown(lines: tuple[str, ...], definitions: Mapping[str, str]) -> str:
    """A paragraph's Markdown on one line, as its author wrote it, made safe for our page."""
    text = printable(" ".join(lines))
    text = _IMAGE.sub("", text)
    text = _RST_LINK.sub(lambda m: _link(m.group(1), m.group(2)), text)
    text = _INLINE_LINK.sub(lambda m: _link(m.group(1), m.group(2)), text)
    text = _REFERENCE_LINK.sub(
        lambda m: _link(m.group(1), definitions.get((m.group(2) or m.group(1)).strip().lower())),
        text,
    )
    return " ".join(text.split())


def _link(label: str, url: str | None) -> str:
    """A link to a web page, kept; any other (relative, undefined, a script) becomes its text."""
    if url and _SAFE_URL.match(url):
        return f"[{label}]({url})"
    return label


def is_example(block: CodeBlock) -> bool:
    """Code in a programming language: not commands, not data or output."""
    return block.info not in SHELL_LANGUAGES and block.info not in DATA_LANGUAGES
