"""Go call chains: from ``func main``, or from what a library package exports: its
functions and its exported types' methods (cobra's ``Command.Execute``).

Each Go file's analysis holds its functions and calls within its package
(``analysis.facts.go_calls``); here a callee written ``folder:()f.M`` (a method
of what ``f`` returns) is resolved with the package's declared result types.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.call_chains import (
    Definition,
    EntryPoint,
    chain_tree,
    resolved_callees,
    tree_names,
    tree_size,
)
from docsgen.generator.markdown import code

MAX_EXPORTED = 2  # a library's exported functions and methods shown: the largest trees
# Methods that satisfy the standard library's interfaces: ``fmt``, ``encoding`` and ``io``
# call them through the interface, the package's users do not (pkg/errors' Frame.Format).
# They come after the rest.
_INTERFACE_METHODS = frozenset(
    {"Error", "String", "GoString", "Format", "MarshalText", "UnmarshalText", "MarshalJSON",
     "UnmarshalJSON", "MarshalBinary", "UnmarshalBinary", "MarshalXML", "UnmarshalXML",
     "Unwrap", "Is", "As", "Len", "Less", "Swap", "Read", "Write", "Close", "ServeHTTP",
     "Scan", "Value"}
)  # fmt: skip


class GoIndex:
    def __init__(self, analyses: Mapping[str, FileAnalysis]) -> None:
        self.definitions: dict[str, Definition] = {}
        self.calls: dict[str, list[tuple[str, int, str]]] = {}
        self.returns: dict[str, str] = {}
        self.packages: dict[str, str] = {}  # folder -> package name
        for path, analysis in analyses.items():
            facts = analysis.call_graph
            if facts is None or analysis.language != "Go":
                continue
            folder = posixpath.dirname(path) or "."
            if analysis.package:
                self.packages.setdefault(folder, analysis.package)
            for name, kind, line in facts.definitions:
                self.definitions.setdefault(name, Definition(name, kind, path, line))
            for caller, callee, line in facts.calls:
                self.calls.setdefault(caller, []).append((callee, line, path))
            self.returns.update(facts.returns)

    def resolve(self, name: str) -> Definition | None:
        folder, _, rest = name.partition(":")
        if rest.startswith("()"):  # a method of what a function returns
            function, _, member = rest[2:].partition(".")
            returned = self.returns.get(f"{folder}:{function}")
            return self.definitions.get(f"{folder}:{returned}.{member}") if returned else None
        return self.definitions.get(name)

    def callees(self, definition: Definition) -> list[tuple[Definition, str, int, str]]:
        return resolved_callees(
            definition,
            self.calls.get(definition.name, ()),
            self.resolve,
            lambda callee, _: callee.rpartition(".")[2].rpartition(":")[2],
        )


def entry_points(
    index: GoIndex, analyses: Mapping[str, FileAnalysis], product: set[str]
) -> list[EntryPoint]:
    """``func main`` of each main package; else the exported functions and methods of the
    product's shallowest package, those that lead furthest first, each not already shown
    by one before it."""
    found: list[EntryPoint] = []
    for path, analysis in analyses.items():
        if analysis.language != "Go" or path not in product:
            continue
        for name, _, _ in analysis.entry_points:
            folder = posixpath.dirname(path) or "."
            root = index.definitions.get(f"{folder}:{name}")
            if root is not None and (hops := chain_tree(index, root)):
                found.append(EntryPoint(f"`func main` of {code(folder + '/')}", root, None, hops))
    if found:
        return found
    folders = {
        posixpath.dirname(p) or "."
        for p, a in analyses.items()
        if a.language == "Go" and p in product
    }
    if not folders:
        return []
    top = min(folders, key=lambda f: (0 if f == "." else f.count("/") + 1, f))
    package = index.packages.get(top, posixpath.basename(top))
    exported = []
    for definition in index.definitions.values():
        folder, _, name = definition.name.partition(":")
        if folder == top and all(part[:1].isupper() for part in name.split(".")):
            hops = chain_tree(index, definition)
            if hops:
                exported.append((tree_size(hops), name, definition, hops))
    exported.sort(key=lambda e: (_implements(e[2]), -e[0], e[1]))
    shown: set[str] = set()  # what the trees chosen so far show
    for _, name, definition, hops in exported:
        if len(found) == MAX_EXPORTED:
            break
        if definition.name in shown:
            continue  # ``Execute`` calls ``ExecuteC``: its tree shows the other's
        shown |= tree_names(hops)
        what = "a function" if definition.kind == "function" else "a method of a type"
        title = f"{code(package + '.' + name)}, {what} the package exports"
        found.append(EntryPoint(title, definition, None, hops))
    return found


def _implements(definition: Definition) -> bool:
    """Whether it is a method a standard interface names (``_INTERFACE_METHODS``)."""
    return definition.kind != "function" and definition.name.rpartition(".")[2] in (
        _INTERFACE_METHODS
    )
