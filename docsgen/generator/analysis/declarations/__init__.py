"""Declarations of a file: modules, classes, functions, with signatures and docs.

One analyser per language, in one registry (``ANALYSERS``).  Python is read
with ``ast``; the others with tree-sitter, whose modules are imported on
first use, so a worker that only ever sees Python never loads tree-sitter.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable

from docsgen.generator.analysis.declarations import python
from docsgen.generator.analysis.file_analysis import FileAnalysis

# (path, text, language, the Python syntax tree when the caller parsed it already)
Analyser = Callable[[str, str, str, ast.Module | None], FileAnalysis]


def _tree_sitter(name: str) -> Analyser:
    """The analyser of ``declarations.<name>``, its module imported at its first use."""
    module = f"{__name__}.{name}"

    def analyse(path: str, text: str, language: str, tree: ast.Module | None) -> FileAnalysis:
        found: FileAnalysis = importlib.import_module(module).analyse(path, text, language)
        return found

    return analyse


ANALYSERS: dict[str, Analyser] = {
    "Python": python.analyse,
    "TypeScript": _tree_sitter("typescript"),
    "JavaScript": _tree_sitter("typescript"),
    "Go": _tree_sitter("go"),
    "Rust": _tree_sitter("rust"),
    "Java": _tree_sitter("java"),
}


def analyse(
    path: str, text: str, language: str | None, tree: ast.Module | None = None
) -> FileAnalysis:
    """The declarations part of a file's analysis; ``analysed=False`` without an analyser.

    ``tree``: a Python file's syntax tree, when the caller parsed it already.
    """
    analyser = ANALYSERS.get(language or "")
    if analyser is None or language is None:
        return FileAnalysis(path=path, language=language, analysed=False)
    return analyser(path, text, language, tree)
