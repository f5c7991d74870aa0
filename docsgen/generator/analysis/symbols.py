"""Declarations of a file: modules, classes, functions, with signatures and docs."""

from __future__ import annotations

from docsgen.generator.analysis.model import FileAnalysis


def analyse(path: str, text: str, language: str | None) -> FileAnalysis:
    """The declarations part of a file's analysis (no analyser yet: none found)."""
    return FileAnalysis(path=path, language=language, analysed=False)
