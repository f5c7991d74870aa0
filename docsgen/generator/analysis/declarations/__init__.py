"""Declarations of a file: modules, classes, functions, with signatures and docs.

One analyser per language; each is imported on first use, so a worker that
only ever sees Python never loads a tree-sitter grammar.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable

from docsgen.generator.analysis.file_analysis import FileAnalysis

Analyser = Callable[[str, str, str], FileAnalysis]

# Language -> module holding its ``analyse(path, text, language)``.
_MODULES: dict[str, str] = {
    "Python": "docsgen.generator.analysis.declarations.python",
    "TypeScript": "docsgen.generator.analysis.declarations.typescript",
    "JavaScript": "docsgen.generator.analysis.declarations.typescript",
    "Go": "docsgen.generator.analysis.declarations.go",
    "Rust": "docsgen.generator.analysis.declarations.rust",
    "Java": "docsgen.generator.analysis.declarations.java",
}


_LOADED: dict[str, Analyser] = {}


def analyser_for(language: str | None) -> Analyser | None:
    found = _LOADED.get(language or "")
    if found is None:
        module = _MODULES.get(language or "")
        if module is None:
            return None
        found = _LOADED[language or ""] = importlib.import_module(module).analyse
    return found


def analyse(
    path: str, text: str, language: str | None, tree: ast.Module | None = None
) -> FileAnalysis:
    """The declarations part of a file's analysis; ``analysed=False`` without an analyser.

    ``tree``: a Python file's syntax tree, when the caller parsed it already.
    """
    analyser = analyser_for(language)
    if analyser is None or language is None:
        return FileAnalysis(path=path, language=language, analysed=False)
    if tree is not None and language == "Python":
        from docsgen.generator.analysis.declarations import python

        return python.analyse(path, text, language, tree)
    return analyser(path, text, language)
