"""Writing Markdown that cites its sources and flags what it cannot prove."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from docsgen.snapshot import Snapshot

WARNING_SIGN = "⚠️"


class Citation(NamedTuple):
    """A claim's source: ``path:line``; ``name`` must appear on that line when given.

    A named tuple: a large repository's docs hold tens of thousands of these,
    and tuples hash, compare and pickle several times faster than dataclasses.
    """

    path: str
    line: int
    name: str | None = None

    def label(self) -> str:
        return f"{self.path}:{self.line}"


def anchor(title: str) -> str:
    """The anchor GitHub-style renderers give a heading."""
    slug = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return re.sub(r"\s", "-", slug)


# What could end a Markdown line or hide what a name really is: control characters (tab
# aside), Unicode line and paragraph separators, bidirectional embeddings, overrides and
# isolates, and lone surrogates (Python's stand-ins for bytes that are not UTF-8).
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r"}
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_FENCES = re.compile(r"`{3,}")


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    point = ord(char)
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    if 0xDC80 <= point <= 0xDCFF:  # the byte that was not UTF-8
        return f"\\x{point - 0xDC00:02x}"
    return f"\\x{point:02x}" if point <= 0xFF else f"\\u{point:04x}"


def printable(text: str) -> str:
    """``text`` from the repository on one line, each character that could end the line
    or hide itself shown as an escape: ``\\n``, ``\\x1b``, ``\\u202e``, and ``\\xe9`` for
    a byte that is not UTF-8.

    Every string of the repository that enters Markdown (paths, names, signatures,
    titles, manifest values) goes through it, by way of ``escape``, ``code``, a table
    cell, a Mermaid label or the Project Structure tree: a file named
    ``"a\\n\\n# Heading"`` must not write a heading.
    """
    if text.isprintable():  # nearly always; all of the above is "not printable" to Python
        return text
    return _UNPRINTABLE.sub(_escaped, text)


def escape(text: str) -> str:
    """Text from the repository that Markdown shows literally, on one line."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", printable(text))


def code(text: str) -> str:
    """An inline code span of ``text`` (``printable``) that survives backticks in it."""
    text = printable(text)
    ticks = "`"
    while ticks in text:
        ticks += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fence(text: str, info: str = "") -> str:
    """A fenced code block whose fence cannot be closed by ``text``.

    ``info`` stays on the fence's line, and without backticks, which would make the
    fence plain text and its content Markdown.
    """
    fence_len = 3
    for run in _FENCES.findall(text) if "```" in text else ():
        fence_len = max(fence_len, len(run) + 1)
    f = "`" * fence_len
    info = printable(info).replace("`", "")
    return f"{f}{info}\n{text.rstrip(chr(10))}\n{f}"


def render_citation(snapshot: Snapshot, citation: Citation) -> str:
    """How a citation reads in Markdown: ``path:line``, linked when the source has URLs."""
    return citation_renderer(snapshot, citation.path)(citation.line)


def citation_renderer(snapshot: Snapshot, path: str) -> Callable[[int], str]:
    """``render_citation`` for the lines of one file, the work per file done once.

    The API Reference of a large repository renders tens of thousands of citations.
    The label is ``printable``, and a pipe in it is written ``\\|``: a citation may
    stand in a table cell, where a bare pipe ends the cell even inside code.
    """
    label = printable(path).replace("|", "\\|")
    ticks = "`"  # as ``code`` fences the label: the line number holds no backtick
    while ticks in label:
        ticks += "`"
    pad = " " if label.startswith("`") else ""
    opening, closing = f"{ticks}{pad}{label}:", f"{pad}{ticks}"
    if snapshot.source_url_template is None:
        return lambda line: f"{opening}{line}{closing}"
    return lambda line: f"[{opening}{line}{closing}]({snapshot.source_url(path, line)})"


@dataclass
class SectionWriter:
    """Collects a section's Markdown, its citations and its warnings as it is written."""

    snapshot: Snapshot
    parts: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def cite(self, path: str, line: int, name: str | None = None) -> str:
        """Record a citation and return its Markdown (a link when the source has URLs)."""
        citation = Citation(path, line, name)
        self.citations.append(citation)
        return render_citation(self.snapshot, citation)

    def warn(self, text: str) -> str:
        """Record a warning and return its Markdown line."""
        self.warnings.append(text)
        return f"> {WARNING_SIGN} {text}"

    def add(self, markdown: str) -> None:
        self.parts.append(markdown)

    def add_warning(self, text: str) -> None:
        self.parts.append(self.warn(text))

    def markdown(self) -> str:
        return join_parts(self.parts)

    def piece(self, key: str | None) -> Piece:
        """All this writer wrote, as a piece of a larger section named by ``key``."""
        return Piece(key, tuple(self.parts), tuple(self.citations), tuple(self.warnings))


def join_parts(parts: Iterable[str]) -> str:
    """A section's Markdown from its parts: blank-line separated, empty ones dropped.

    One join, the final line end included: the API Reference of a large repository
    is megabytes, and adding the line end after joining would copy them again.
    """
    pieces: list[str] = []
    for part in parts:
        if part.strip():
            pieces += (part.strip("\n"), "\n\n")
    if not pieces:
        return "\n"
    pieces[-1] = "\n"
    return "".join(pieces)


CitationColumns = tuple[tuple[str, ...], tuple[int, ...], tuple[str | None, ...]]


def citation_columns(citations: Sequence[Citation]) -> CitationColumns:
    """Citations as three plain columns, to pickle: a large section holds tens of
    thousands, and named tuples pickle one by one through Python code."""
    return (
        tuple(c.path for c in citations),
        tuple(c.line for c in citations),
        tuple(c.name for c in citations),
    )


def from_columns(columns: CitationColumns) -> tuple[Citation, ...]:
    return tuple(map(Citation._make, zip(*columns, strict=True)))


@dataclass(frozen=True)
class Piece:
    """A stretch of a section written on its own: Markdown parts, citations, warnings.

    ``key`` names everything the piece was written from (None when that cannot be
    named), so the process that assembles the section can keep it and, next
    time, be sent ``Piece(key, None)``: "the same as the one you hold".
    """

    key: str | None
    parts: tuple[str, ...] | None
    citations: tuple[Citation, ...] = ()
    warnings: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        columns = citation_columns(self.citations)
        return (_piece, (self.key, self.parts, columns, self.warnings))


def _piece(
    key: str | None,
    parts: tuple[str, ...] | None,
    columns: CitationColumns,
    warnings: tuple[str, ...],
) -> Piece:
    return Piece(key, parts, from_columns(columns), warnings)
