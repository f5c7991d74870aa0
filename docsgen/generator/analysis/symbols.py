"""Declarations of a file: modules, classes, functions, with signatures and docs.

One analyser per language; each is imported on first use, so a worker that
only ever sees Python never loads a tree-sitter grammar.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from docsgen.generator.analysis.model import FileAnalysis

Analyser = Callable[[str, str, str], FileAnalysis]

# Language -> module holding its ``analyse(path, text, language)``.
_MODULES: dict[str, str] = {
    "Python": "docsgen.generator.analysis.python_ast",
    "TypeScript": "docsgen.generator.analysis.treesitter.typescript",
    "JavaScript": "docsgen.generator.analysis.treesitter.typescript",
    "Go": "docsgen.generator.analysis.treesitter.go",
    "Rust": "docsgen.generator.analysis.treesitter.rust",
    "Java": "docsgen.generator.analysis.treesitter.java",
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


def analyse(path: str, text: str, language: str | None) -> FileAnalysis:
    """The declarations part of a file's analysis; ``analysed=False`` without an analyser."""
    analyser = analyser_for(language)
    if analyser is None or language is None:
        return FileAnalysis(path=path, language=language, analysed=False)
    return analyser(path, text, language)
