"""The section framework: a title, its own progress step, and a pure builder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, NamedTuple

from docsgen.generator.markdown import (
    WARNING_SIGN,
    CitationColumns,
    Piece,
    anchor,
    citation_columns,
    code,
    from_columns,
    join_parts,
)
from docsgen.generator.model import Citation, RepositoryModel


@dataclass(frozen=True)
class SectionResult:
    title: str
    anchor: str
    markdown: str
    warnings: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its citations in columns (``citation_columns``)."""
        columns = citation_columns(self.citations)
        return (_section, (self.title, self.anchor, self.markdown, self.warnings, columns))

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "anchor": self.anchor,
            "markdown": self.markdown,
            "warnings": len(self.warnings),
        }


def _section(
    title: str,
    anchor: str,
    markdown: str,
    warnings: tuple[str, ...],
    columns: CitationColumns,
) -> SectionResult:
    return SectionResult(title, anchor, markdown, warnings, from_columns(columns))


class PlannedPiece(NamedTuple):
    """A piece of a section written in pieces, before it is written.

    ``written_from`` spells out everything the piece is written from (None when
    that cannot be named): a caller that holds the piece written from the same
    need not have it written again, and ``write`` is then never called.
    """

    written_from: str | None
    write: Callable[[], Piece]


@dataclass(frozen=True)
class Section:
    """A unit of the documentation.  ``build`` runs in a worker process.

    ``inputs`` names what ``build`` and ``applies`` read (``docsgen.generator.inputs``):
    they are handed a model restricted to it, and the section is rebuilt only
    when one of them changed.
    """

    key: str
    title: str
    build: Callable[[RepositoryModel], SectionResult]
    applies: Callable[[RepositoryModel], bool] = field(default=lambda model: True)
    inputs: frozenset[str] = frozenset()
    # A section that is written in pieces (``assemble`` makes ``build``'s result of them)
    # plans them, so that the pieces its caller holds already are not written again.
    plan_pieces: Callable[[RepositoryModel], list[PlannedPiece]] | None = None


def assemble(title: str, pieces: Sequence[Piece]) -> SectionResult:
    """A section from its pieces, in order (every piece written: none held back)."""
    parts: list[str] = []
    for piece in pieces:
        if piece.parts is None:
            raise ValueError(f"piece {piece.key} of section {title!r} was not written")
        parts.extend(piece.parts)
    warnings = tuple(chain.from_iterable(piece.warnings for piece in pieces))
    citations = tuple(chain.from_iterable(piece.citations for piece in pieces))
    return SectionResult(title, anchor(title), join_parts(parts), warnings, citations)


def failed_section(title: str, exc: Exception) -> SectionResult:
    """What stands in place of a section whose code raised: a warning saying why.

    Whatever in the repository (or a damaged stored value) makes a section fail,
    the other sections are still written.
    """
    reason = f"{type(exc).__name__}: {exc}"[:300]
    warning = f"This section could not be generated ({code(reason)})."
    return SectionResult(title, anchor(title), f"> {WARNING_SIGN} {warning}\n", (warning,))
