"""Rust call chains: from ``fn main`` of a binary, or from the functions a library exports.

Each Rust file's analysis holds its functions, keyed by crate and module, and
its calls made absolute (``analysis.facts.rust_calls``).  Here a callee is
resolved: as keyed; else through what its module re-exports (``pub use``);
else, for a method, the one method of that name on a type of that name in the
crate (an ``impl`` block may sit in another module than its type).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from docsgen.generator.analysis.facts.rust_calls import module_of, scope
from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.call_chains import (
    Definition,
    EntryPoint,
    chain_tree,
    main_chain,
    resolved_callees,
    tree_names,
    tree_size,
)
from docsgen.generator.markdown import code

MAX_EXPORTED = 3  # a library's exported functions shown: those with the largest trees
_MAX_HOPS = 8  # re-exports followed to resolve one name
_BINARY = re.compile(r"(?:^|/)src/(?:main\.rs|bin/[^/]+\.rs|bin/[^/]+/main\.rs)$")
_CRATE_NAME = re.compile(r"(?ms)^\[package\][^\[]*?^\s*name\s*=\s*\"([^\"]+)\"")


class RustIndex:
    def __init__(self, analyses: Mapping[str, FileAnalysis]) -> None:
        self.definitions: dict[str, Definition] = {}
        self.calls: dict[str, list[tuple[str, int, str]]] = {}
        self.exports: dict[str, dict[str, str]] = {}  # crate#module -> name -> key
        self.members: dict[tuple[str, str], list[Definition]] = {}  # (crate, Type.m) -> ...
        for path, analysis in analyses.items():
            facts = analysis.call_graph
            if facts is None or analysis.language != "Rust":
                continue
            crate, module = module_of(path)
            exported = self.exports.setdefault(scope(crate, module), {})
            for name, target in facts.bindings:
                exported.setdefault(name, target)
            for name, kind, line in facts.definitions:
                if name in self.definitions:
                    continue
                definition = Definition(name, kind, path, line)
                self.definitions[name] = definition
                if kind == "method":
                    member = (name.partition("#")[0], name.partition(":")[2])
                    self.members.setdefault(member, []).append(definition)
            for caller, callee, line in facts.calls:
                self.calls.setdefault(caller, []).append((callee, line, path))

    def resolve(self, name: str, hops: int = 0) -> Definition | None:
        found = self.definitions.get(name)
        if found is not None or hops > _MAX_HOPS:
            return found
        module, _, item = name.partition(":")
        target = self.exports.get(module, {}).get(item)
        if target is not None and target != name:
            return self.resolve(target, hops + 1)
        if "." in item:
            same = self.members.get((module.partition("#")[0], item), [])
            return same[0] if len(same) == 1 else None
        return None

    def times_called(self) -> dict[str, int]:
        """How often the crate's own code calls each definition (a tie between exports is
        broken by it: the crate's own use says which is its main road)."""
        targets: dict[str, str | None] = {}
        counts: dict[str, int] = {}
        for calls in self.calls.values():
            for callee, _, _ in calls:
                if callee not in targets:
                    found = self.resolve(callee)
                    targets[callee] = found.name if found else None
                target = targets[callee]
                if target is not None:
                    counts[target] = counts.get(target, 0) + 1
        return counts

    def callees(self, definition: Definition) -> list[tuple[Definition, str, int, str]]:
        return resolved_callees(
            definition,
            self.calls.get(definition.name, ()),
            self.resolve,
            lambda callee, _: callee.rpartition(":")[2].rpartition(".")[2],
        )


def entry_points(
    index: RustIndex,
    analyses: Mapping[str, FileAnalysis],
    texts: Mapping[str, str],
    product: set[str],
) -> list[EntryPoint]:
    """``fn main`` of each binary; else the functions the shallowest library crate's root
    exports (``pub fn``, ``pub use``), those that lead furthest first, then those the crate
    calls most itself; one of those whose main chain goes the same way."""
    found: list[EntryPoint] = []
    for path, analysis in sorted(analyses.items()):
        if analysis.language != "Rust" or path not in product or not _BINARY.search(path):
            continue
        crate, module = module_of(path)
        for name, _, _ in analysis.entry_points:
            root = index.definitions.get(f"{scope(crate, module)}:{name}")
            if root is not None and (hops := chain_tree(index, root)):
                found.append(EntryPoint(f"`fn main` of {code(path)}", root, None, hops))
    if found:
        return found
    roots = [
        p
        for p, a in analyses.items()
        if a.language == "Rust" and p in product and posixpath.basename(p) == "lib.rs"
    ]
    if not roots:
        return []
    lib = min(roots, key=lambda p: (p.count("/"), p))
    crate, _ = module_of(lib)
    name = _crate_name(texts, crate)
    exported = []
    for local, target in sorted(index.exports.get(scope(crate, []), {}).items()):
        definition = index.resolve(target)
        if definition is None or definition.kind != "function":
            continue
        hops = chain_tree(index, definition)
        if hops:
            exported.append((tree_size(hops), local, definition, hops))
    used = index.times_called()
    exported.sort(key=lambda e: (-e[0], -used.get(e[2].name, 0), e[1]))
    shown: set[str] = set()  # every function of the trees shown
    for _, local, definition, hops in exported:
        road = main_chain(hops)[0].callee.name
        if {road, definition.name} & shown or len(found) >= MAX_EXPORTED:
            continue  # the way of one shown (``from_slice`` after ``from_str``), or in it
        shown |= {definition.name, *tree_names(hops)}
        title = f"{code(name + '::' + local)}, a function the crate exports"
        found.append(EntryPoint(title, definition, None, hops))
    return found


def _crate_name(texts: Mapping[str, str], crate: str) -> str:
    """The crate's name as Rust code writes it (``serde-json`` -> ``serde_json``)."""
    manifest = "Cargo.toml" if crate == "." else f"{crate}/Cargo.toml"
    found = _CRATE_NAME.search(texts.get(manifest, ""))
    name = found.group(1) if found else posixpath.basename(crate if crate != "." else "crate")
    return name.replace("-", "_")
