"""Facts a file states about its surroundings: imports, environment reads, routes."""

from __future__ import annotations

from docsgen.generator.analysis.model import FileAnalysis


def extract(path: str, text: str, language: str | None) -> FileAnalysis:
    """The facts part of a file's analysis (no extractor yet: none found)."""
    return FileAnalysis(path=path, language=language)
