"""Static analysis of one file: never imports or executes repository code.

``analyse_file`` is what runs in the worker processes, once per file content
(the result is cached by blob SHA).  It combines two independent extractors:
``symbols`` (declarations, signatures, docs, exports) and ``facts`` (imports,
environment reads, HTTP routes, entry points).  ``analyse_source`` is the
robust entry point: whatever the bytes, it returns an analysis, with warnings
instead of errors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from docsgen.generator.analysis import facts, symbols
from docsgen.generator.analysis.model import FileAnalysis
from docsgen.generator.analysis.source import decode_source, skip_reason
from docsgen.generator.languages import language_of
from docsgen.generator.markdown import code

log = logging.getLogger(__name__)


def analyse_file(path: str, text: str) -> FileAnalysis:
    """Everything the sections need from one file; problems become warnings, never errors."""
    language = language_of(path)
    declared = _guarded(symbols.analyse, path, text, language, "declarations")
    found = _guarded(facts.extract, path, text, language, "imports and settings")
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


def _guarded(
    extract: Callable[[str, str, str | None], FileAnalysis],
    path: str,
    text: str,
    language: str | None,
    what: str,
) -> FileAnalysis | str:
    """Run one extractor; an unexpected failure becomes the reason, never an exception."""
    try:
        return extract(path, text, language)
    except (RecursionError, MemoryError) as exc:
        return f"its {what} could not be read: the code is nested too deeply ({type(exc).__name__})"
    except Exception as exc:
        log.warning("analysing the %s of %s failed", what, path, exc_info=True)
        detail = code(f"{type(exc).__name__}: {exc}"[:200])
        return f"its {what} could not be read: the analyser failed ({detail})"
