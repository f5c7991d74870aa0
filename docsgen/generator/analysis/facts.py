"""Facts a file states about its surroundings: imports, environment reads, routes, entry points.

Per file, never executing code: Python through ``ast`` (``facts_python``), the
C-like languages through regular expressions over text whose comments and
string contents are masked (``facts_lexer``), manifests through their parsers
(``facts_manifests``).  Every fact carries its line.  Problems become
warnings; nothing a repository contains can make ``extract`` raise.
"""

from __future__ import annotations

import ast

from docsgen.generator.analysis import (
    facts_go,
    facts_java,
    facts_js,
    facts_manifests,
    facts_python,
    facts_rust,
)
from docsgen.generator.analysis.model import EnvRead, FileAnalysis, Import, Route
from docsgen.generator.markdown import code

EntryPoint = tuple[str, str, int]


def extract(
    path: str, text: str, language: str | None, tree: ast.Module | None = None
) -> FileAnalysis:
    """The facts part of a file's analysis.

    ``tree`` is the file's Python syntax tree when the caller already parsed it
    (saves a second parse); None parses here.
    """
    try:
        return _extract(path, text, language, tree)
    except (RecursionError, MemoryError) as e:
        problem = "nested too deeply" if isinstance(e, RecursionError) else "too large"
        return _failed(path, language, f"the file is {problem}")
    except Exception as e:  # a bug of ours must not fail the run: it becomes a visible ⚠️
        return _failed(path, language, f"the extractor failed ({code(f'{type(e).__name__}: {e}')})")


def _failed(path: str, language: str | None, why: str) -> FileAnalysis:
    return FileAnalysis(
        path=path,
        language=language,
        warnings=(f"Imports, environment reads and routes not read: {why}.",),
    )


def _extract(path: str, text: str, language: str | None, tree: ast.Module | None) -> FileAnalysis:
    imports: list[Import] = []
    env: list[EnvRead] = []
    routes: list[Route] = []
    entries: list[EntryPoint] = []
    warnings: list[str] = []
    if facts_manifests.is_manifest(path):
        entries, warnings = facts_manifests.extract(path, text)
    elif language == "Python":
        py = facts_python.extract(path, text, tree)
        imports, env, routes, entries, warnings = (
            py.imports, py.env_reads, py.routes, py.entry_points, py.warnings
        )  # fmt: skip
    elif language in ("JavaScript", "TypeScript"):
        js = facts_js.extract(text)
        imports, env, routes = js.imports, js.env_reads, js.routes
    elif language == "Go":
        go = facts_go.extract(path, text)
        imports, env, routes, entries = go.imports, go.env_reads, go.routes, go.entry_points
    elif language == "Rust":
        rs = facts_rust.extract(path, text)
        imports, env, routes, entries = rs.imports, rs.env_reads, rs.routes, rs.entry_points
    elif language == "Java":
        java = facts_java.extract(path, text)
        imports, env, routes, entries = (
            java.imports, java.env_reads, java.routes, java.entry_points
        )  # fmt: skip
    return FileAnalysis(
        path=path,
        language=language,
        imports=tuple(sorted(set(imports), key=_import_key)),
        env_reads=tuple(sorted(set(env), key=_env_key)),
        routes=tuple(sorted(set(routes), key=_route_key)),
        entry_points=tuple(sorted(set(entries), key=lambda e: (e[2], e[0], e[1]))),
        warnings=tuple(warnings),
    )


def _import_key(i: Import) -> tuple[int, str, tuple[str, ...], int, str]:
    return (i.line, i.module, i.names, i.level, i.kind)


def _env_key(e: EnvRead) -> tuple[int, str, str, str, bool, bool]:
    return (e.line, e.name, e.how, e.default or "", e.dynamic, e.default_literal)


def _route_key(r: Route) -> tuple[int, str, str, str, str, str]:
    return (r.line, r.path, r.method, r.handler, r.framework, r.prefix)
