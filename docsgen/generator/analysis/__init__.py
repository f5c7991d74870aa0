"""Static analysis of one file: never imports or executes repository code.

``analyse_file`` is what runs in the worker processes, once per file content
(the result is cached by blob SHA).  It combines two independent extractors:
``symbols`` (declarations, signatures, docs, exports) and ``facts`` (imports,
environment reads, HTTP routes, entry points).  ``analyse_source`` is the
robust entry point: whatever the bytes, it returns an analysis, with warnings
instead of errors.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Callable
from dataclasses import replace

from docsgen.generator.analysis import declarations as symbols
from docsgen.generator.analysis import facts
from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.analysis.source import decode_source, skip_reason
from docsgen.generator.languages import language_of
from docsgen.generator.markdown import code

log = logging.getLogger(__name__)


def analyse_file(path: str, text: str) -> FileAnalysis:
    """Everything the sections need from one file; problems become warnings, never errors."""
    language = language_of(path)
    # A Python file is parsed once, for both extractors; one that does not parse is
    # left to each of them, and each says why in its own words.
    tree = _python_tree(path, text) if language == "Python" else None
    declared = _guarded(symbols.analyse, path, text, language, "declarations", tree)
    found = _guarded(facts.extract, path, text, language, "imports and settings", tree)
    warnings: list[str] = []
    if isinstance(declared, str):
        declared = FileAnalysis(path, language, analysed=False, skipped=declared)
    if isinstance(found, str):
        warnings.append(found[:1].upper() + found[1:] + ".")
        found = FileAnalysis(path, language)
    return FileAnalysis(
        path=path,
        language=language,
        module=declared.module,
        doc=declared.doc,
        doc_line=declared.doc_line,
        symbols=declared.symbols,
        exports=declared.exports,
        impls=declared.impls,
        imports=found.imports,
        env_reads=found.env_reads,
        routes=found.routes,
        entry_points=found.entry_points,
        warnings=declared.warnings + found.warnings + tuple(warnings),
        analysed=declared.analysed,
        parse_error=declared.parse_error,
        skipped=declared.skipped,
    )


def analyse_source(path: str, data: bytes) -> FileAnalysis:
    """Decode, check for minified/huge/generated files, then analyse."""
    text, warning = decode_source(path, data)
    language = language_of(path)
    reason = skip_reason(text, language) if symbols.analyser_for(language) else None
    if reason is not None:
        return FileAnalysis(path=path, language=language, analysed=False, skipped=reason)
    analysis = analyse_file(path, text)
    if warning is not None:
        analysis = replace(analysis, warnings=(warning, *analysis.warnings))
    return analysis


def _python_tree(path: str, text: str) -> ast.Module | None:
    try:
        return ast.parse(text, filename=path, type_comments=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _guarded(
    extract: Callable[[str, str, str | None, ast.Module | None], FileAnalysis],
    path: str,
    text: str,
    language: str | None,
    what: str,
    tree: ast.Module | None,
) -> FileAnalysis | str:
    """Run one extractor; an unexpected failure becomes the reason, never an exception."""
    try:
        return extract(path, text, language, tree)
    except (RecursionError, MemoryError) as exc:
        return f"its {what} could not be read: the code is nested too deeply ({type(exc).__name__})"
    except Exception as exc:
        log.warning("analysing the %s of %s failed", what, path, exc_info=True)
        detail = code(f"{type(exc).__name__}: {exc}"[:200])
        return f"its {what} could not be read: the analyser failed ({detail})"
