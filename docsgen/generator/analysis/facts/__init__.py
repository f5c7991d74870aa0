"""Facts a file states about its surroundings: imports, environment reads, routes, entry points.

Per file, never executing code, with one extractor per language in one
registry (``EXTRACTORS``): Python through ``ast``, the C-like languages
through regular expressions over text whose comments and string contents are
masked (``lexer``); manifests, recognised by name, through their parsers.
Every fact carries its line.  What a file holds that an extractor cannot read
becomes a warning; an extractor that fails is the caller's to guard
(``docsgen.generator.analysis.analyse_file``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from docsgen.generator.analysis.facts import go, java, javascript, manifests, python, rust
from docsgen.generator.analysis.facts.found import Facts
from docsgen.generator.analysis.file_analysis import EnvRead, FileAnalysis, Import, Route

# (path, text, the Python syntax tree when the caller parsed it already)
Extractor = Callable[[str, str, ast.Module | None], Facts]


def _from_text(extract: Callable[[str, str], Facts]) -> Extractor:
    """The extractor of a language read from its text alone."""

    def from_text(path: str, text: str, tree: ast.Module | None) -> Facts:
        return extract(path, text)

    return from_text


EXTRACTORS: dict[str, Extractor] = {
    "Python": python.extract,
    "JavaScript": _from_text(javascript.extract),
    "TypeScript": _from_text(javascript.extract),
    "Go": _from_text(go.extract),
    "Rust": _from_text(rust.extract),
    "Java": _from_text(java.extract),
}


def extract(
    path: str, text: str, language: str | None, tree: ast.Module | None = None
) -> FileAnalysis:
    """The facts part of a file's analysis, each kind of fact in line order.

    ``tree`` is the file's Python syntax tree when the caller already parsed it
    (saves a second parse); None parses here.
    """
    if manifests.is_manifest(path):
        found = manifests.extract(path, text)
    else:
        extractor = EXTRACTORS.get(language or "")
        found = extractor(path, text, tree) if extractor is not None else Facts()
    return FileAnalysis(
        path=path,
        language=language,
        imports=tuple(sorted(set(found.imports), key=_import_key)),
        env_reads=tuple(sorted(set(found.env_reads), key=_env_key)),
        routes=tuple(sorted(set(found.routes), key=_route_key)),
        entry_points=tuple(sorted(set(found.entry_points), key=lambda e: (e[2], e[0], e[1]))),
        call_graph=found.call_graph,
        classes=found.classes,
        warnings=tuple(found.warnings),
    )


def _import_key(i: Import) -> tuple[int, str, tuple[str, ...], int, str]:
    return (i.line, i.module, i.names, i.level, i.kind)


def _env_key(e: EnvRead) -> tuple[int, str, str, str, bool, bool]:
    return (e.line, e.name, e.how, e.default or "", e.dynamic, e.default_literal)


def _route_key(r: Route) -> tuple[int, str, str, str, str, str]:
    return (r.line, r.path, r.method, r.handler, r.framework, r.prefix)
