"""Static analysis of one file: never imports or executes repository code.

``analyse_file`` is what runs in the worker processes, once per file content
(the result is cached by blob SHA).  It combines two independent extractors:
``symbols`` (declarations, signatures, docs, exports) and ``facts`` (imports,
environment reads, HTTP routes, entry points).
"""

from __future__ import annotations

from docsgen.generator.analysis import facts, symbols
from docsgen.generator.analysis.model import FileAnalysis
from docsgen.generator.languages import language_of


def analyse_file(path: str, text: str) -> FileAnalysis:
    """Everything the sections need from one file; problems become warnings, never errors."""
    language = language_of(path)
    declared = symbols.analyse(path, text, language)
    found = facts.extract(path, text, language)
    return FileAnalysis(
        path=path,
        language=language,
        module=declared.module,
        doc=declared.doc,
        symbols=declared.symbols,
        exports=declared.exports,
        imports=found.imports,
        env_reads=found.env_reads,
        routes=found.routes,
        entry_points=found.entry_points,
        warnings=declared.warnings + found.warnings,
        analysed=declared.analysed,
    )
