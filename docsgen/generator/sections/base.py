"""The section framework: a title, its own progress step, and a pure builder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from docsgen.generator.model import Citation, RepositoryModel


@dataclass(frozen=True)
class SectionResult:
    title: str
    anchor: str
    markdown: str
    warnings: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "anchor": self.anchor,
            "markdown": self.markdown,
            "warnings": len(self.warnings),
        }


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
