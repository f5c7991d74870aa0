"""JavaScript call chains: from the function a package exports, through its files.

Each JavaScript file's analysis holds its functions and calls
(``analysis.facts.javascript_calls``); a callee in another file (``@base:member``)
is resolved here to the file ``base`` names and to what it exports.  The tree
is walked as Python's is (``call_chains.chain_tree``).
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Mapping

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.call_chains import Definition, EntryPoint, chain_tree, resolved_callees
from docsgen.generator.markdown import code

_EXTENSIONS = (".js", ".cjs", ".mjs")
_MAX_HOPS = 8


class JsIndex:
    def __init__(self, analyses: Mapping[str, FileAnalysis]) -> None:
        self.definitions: dict[str, Definition] = {}
        self.calls: dict[str, list[tuple[str, int, str]]] = {}
        self.exports: dict[str, str] = {}
        self.paths = set(analyses)
        for path, analysis in analyses.items():
            facts = analysis.call_graph
            if facts is None or analysis.language not in ("JavaScript", "TypeScript"):
                continue
            for name, kind, line in facts.definitions:
                self.definitions.setdefault(name, Definition(name, kind, path, line))
            for caller, callee, line in facts.calls:
                self.calls.setdefault(caller, []).append((callee, line, path))
            for local, target in facts.bindings:
                if local == "module.exports":
                    self.exports[path] = target

    def file_of(self, base: str) -> str | None:
        for candidate in [
            *(base + e for e in _EXTENSIONS),
            *(f"{base}/index{e}" for e in _EXTENSIONS),
        ]:
            if candidate in self.paths:
                return candidate
        return None

    def resolve(self, name: str, hops: int = 0) -> Definition | None:
        if not name.startswith("@"):
            return self.definitions.get(name)
        base, _, member = name[1:].partition(":")
        path = self.file_of(base)
        if path is None or hops > _MAX_HOPS:
            return None
        exported = self.exports.get(path)
        if exported is not None and exported.startswith("@"):  # ``module.exports = require(…)``
            return self.resolve(f"{exported}:{member}", hops + 1)
        if not member:
            return self.definitions.get(f"{path}:{exported}") if exported else None
        if exported is not None:
            hit = self.definitions.get(f"{path}:{exported}.{member}")
            if hit is not None:
                return hit
        return self.definitions.get(f"{path}:exports.{member}")

    def callees(self, definition: Definition) -> list[tuple[Definition, str, int, str]]:
        return resolved_callees(
            definition,
            self.calls.get(definition.name, ()),
            self.resolve,
            lambda callee, target: (
                callee.rpartition(":")[2].rpartition(".")[2] or target.name.rpartition(":")[2]
            ),
        )


def entry_points(index: JsIndex, texts: Mapping[str, str], manifests: set[str]) -> list[EntryPoint]:
    """The function each product ``package.json``'s main file exports."""
    found: list[EntryPoint] = []
    for path in sorted(p for p in texts if posixpath.basename(p) == "package.json"):
        if path not in manifests:
            continue
        try:
            data = json.loads(texts[path])
        except (ValueError, RecursionError):
            continue
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            continue
        main = data.get("main") if isinstance(data.get("main"), str) else "index.js"
        base = posixpath.normpath(posixpath.join(posixpath.dirname(path), str(main)))
        stem, extension = posixpath.splitext(base)
        root = index.resolve(f"@{stem if extension in _EXTENSIONS else base}:")
        if root is None:
            continue
        hops = chain_tree(index, root)
        if hops:
            title = f"{code(data['name'] + '()')}, the function the package exports"
            found.append(EntryPoint(title, root, None, hops))
    return found
