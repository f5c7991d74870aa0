"""Static analysis of one file: never imports or executes repository code.

``analyse_file`` is what runs in the worker processes, once per file content
(the result is stored by content key).  It combines two independent
extractors, each with one registry mapping a language to its extractor:
``declarations`` (symbols with signatures, docs, exports) and ``facts``
(imports, environment reads, HTTP routes, entry points).  It is also where
their errors are guarded, once: whatever the bytes, ``analyse_source``
returns an analysis, with warnings instead of errors.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Callable
from dataclasses import replace

from docsgen.generator.analysis import declarations, facts
from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.analysis.source import decode_source, skip_reason
from docsgen.generator.languages import language_of
from docsgen.generator.markdown import code

log = logging.getLogger(__name__)

Extract = Callable[[str, str, str | None, ast.Module | None], FileAnalysis]


def analyse_file(path: str, text: str) -> FileAnalysis:
    """Everything the sections need from one file; problems become warnings, never errors."""
    language = language_of(path)
    # A Python file is parsed once, for both extractors; one that does not parse is
    # left to each of them, and each says why in its own words.
    tree = _python_tree(path, text) if language == "Python" else None
    declared = _guarded(declarations.analyse, path, text, language, tree)
    found = _guarded(facts.extract, path, text, language, tree)
    if isinstance(declared, BaseException):
        declared = FileAnalysis(path, language, analysed=False, skipped=_unread(declared))
    if isinstance(found, BaseException):
        found = FileAnalysis(path, language, warnings=(_facts_unread(found),))
    return replace(
        declared,
        imports=found.imports,
        env_reads=found.env_reads,
        routes=found.routes,
        entry_points=found.entry_points,
        call_graph=found.call_graph,
        classes=found.classes,
        warnings=declared.warnings + found.warnings,
    )


def analyse_source(path: str, data: bytes) -> FileAnalysis:
    """Decode, check for minified/huge/generated files, then analyse."""
    text, warning = decode_source(path, data)
    language = language_of(path)
    reason = skip_reason(text, language) if language in declarations.ANALYSERS else None
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
    extract: Extract, path: str, text: str, language: str | None, tree: ast.Module | None
) -> FileAnalysis | Exception:
    """Run one extractor; a failure comes back as the error, never raised.

    Code nested too deeply for the analysers (``RecursionError``) or too large
    (``MemoryError``) is expected of some repositories; any other error is a bug
    of ours, logged with its traceback.
    """
    try:
        return extract(path, text, language, tree)
    except (RecursionError, MemoryError) as exc:
        return exc
    except Exception as exc:
        log.warning("analysing %s failed", path, exc_info=True)
        return exc


def _unread(exc: Exception) -> str:
    """Why a file's declarations are not listed: its ``skipped`` reason."""
    what = "its declarations could not be read"
    if isinstance(exc, (RecursionError, MemoryError)):
        return f"{what}: the code is nested too deeply ({type(exc).__name__})"
    return f"{what}: the analyser failed ({code(f'{type(exc).__name__}: {exc}'[:200])})"


def _facts_unread(exc: Exception) -> str:
    """The warning of a file whose imports, environment reads and routes are not listed."""
    if isinstance(exc, RecursionError):
        why = "the file is nested too deeply"
    elif isinstance(exc, MemoryError):
        why = "the file is too large"
    else:
        why = f"the extractor failed ({code(f'{type(exc).__name__}: {exc}')})"
    return f"Imports, environment reads and routes not read: {why}."
