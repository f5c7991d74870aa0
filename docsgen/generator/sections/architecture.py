"""Architecture: the internal module dependency graph, entry points, central modules.

The graph is drawn as a Mermaid flowchart.  Past ``MAX_NODES`` modules it is
summarised by folder (the deepest folder level that keeps it readable), each
arrow labelled with the number of imports it stands for.
"""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict

from docsgen.generator import mermaid
from docsgen.generator.analysis.declarations import ANALYSERS
from docsgen.generator.class_hierarchy import Class, hierarchy
from docsgen.generator.dependency_graph import (
    GRAPH_LANGUAGES,
    Edge,
    ModuleGraph,
    build_graph,
    node_of,
)
from docsgen.generator.inputs import PATHS, TEXTS, analyses
from docsgen.generator.languages import NOT_CODE
from docsgen.generator.markdown import SectionWriter, anchor, code, fence
from docsgen.generator.markdown.cells import cell_code
from docsgen.generator.model import RepositoryModel
from docsgen.generator.product import roles_of
from docsgen.generator.sections.base import Section, SectionResult
from docsgen.generator.surface.roles import OTHER, PRODUCT, TOOLING

TITLE = "Architecture"
MAX_NODES = 15  # more modules than this are grouped by folder, the most connected drawn
MAX_EDGES = 30  # arrows beyond this (the lightest) are left out of a diagram
MIN_INSIDE = 5  # a group of this many modules or more gets a diagram of its own
MAX_INSIDE = 3  # of the largest groups
TOP_MODULES = 10
MAX_CYCLES = 5
# Where modules importing each other matters: Python and JavaScript run a module as it is
# imported (a cycle meets names not yet defined), and Go refuses to build one.  Rust's and
# Java's modules may use each other freely; a crate's children ``use crate::Item`` of the
# root that declares them, so listing those cycles would only be noise.
CYCLE_LANGUAGES = frozenset({"Python", "JavaScript", "TypeScript", "Go"})
MAX_LISTED = 10
# Languages without imports to resolve (build files, markup, styles, queries).
_NO_IMPORTS = frozenset(
    {"Dockerfile", "Makefile", "CMake", "HTML", "CSS", "SCSS", "Less", "SQL", "Protocol Buffers",
     "GraphQL", "Shell", "PowerShell"}
)  # fmt: skip
_MANIFEST_KINDS = {
    "pyproject.toml": "console script",
    "setup.cfg": "console script",
    "package.json": "command (`bin`)",
    "cargo.toml": "binary target",
}


# What an entry point is in each language, for saying none was found.
_ENTRY_KINDS = (
    ("Python", "console script, `__main__.py`"),
    ("JavaScript", "`bin` command"),
    ("TypeScript", "`bin` command"),
    ("Go", "`func main`"),
    ("Rust", "binary target, `fn main`"),
    ("Java", "`main` method"),
)


def applies(model: RepositoryModel) -> bool:
    return any(a.language in GRAPH_LANGUAGES or a.entry_points for a in model.analyses.values())


def build(model: RepositoryModel) -> SectionResult:
    w = SectionWriter(model.snapshot)
    graph = build_graph(model)
    _graph(w, graph, _product_nodes(model, graph))
    _classes(w, model)
    _central(w, graph)
    _cycles(w, graph)
    _entry_points(w, model)
    _unresolved(w, graph)
    _other_languages(w, model)
    return SectionResult(TITLE, anchor(TITLE), w.markdown(), tuple(w.warnings), tuple(w.citations))


def _label(node: str, graph: ModuleGraph) -> str:
    return node.rstrip("/") + "/" if graph.nodes.get(node) == "Go" else node


def _structural(graph: ModuleGraph) -> list[Edge]:
    """The imports that make the modules' structure: not those under a ``__main__``
    guard (run as a script only) nor those inside a function (run when it is called)."""
    return [e for e in graph.edges if e.guard not in ("main", "local")]


def _product_nodes(model: RepositoryModel, graph: ModuleGraph) -> set[str]:
    """The modules of the product (not its tests, examples or tooling)."""
    roles = roles_of(model)
    return {
        node_of(a)
        for p, a in model.analyses.items()
        if a.language in GRAPH_LANGUAGES and roles.is_product(p) and node_of(a) in graph.nodes
    }


def _graph(w: SectionWriter, graph: ModuleGraph, product: set[str]) -> None:
    edges = _structural(graph)
    linked = sorted({e.source for e in edges} | {e.target for e in edges})
    inner = [e for e in edges if e.source in product and e.target in product]
    drawn = sorted({e.source for e in inner} | {e.target for e in inner})
    w.add("### Module dependencies")
    w.add(
        f"{len(graph.nodes)} modules (files; folders for Go packages) in "
        f"{_language_list(graph)}; {len(edges)} imports between them, resolved from the "
        "import statements. Imports of the standard library and of third-party packages are "
        "not shown."
    )
    left_out = Counter(e.guard for e in graph.edges if e.guard in ("main", "local"))
    if left_out:
        parts = []
        if left_out["main"]:
            parts.append(f'{left_out["main"]} under `if __name__ == "__main__":`')
        if left_out["local"]:
            parts.append(f"{left_out['local']} inside functions")
        w.add(
            "Python imports made only when a module runs as a script or a function runs "
            f"({' and '.join(parts)}) are not part of the structure: not drawn, and in no cycle."
        )
    if not edges:
        w.add("No module of the repository imports another one.")
        return
    isolated = len(graph.nodes) - len(linked)
    if isolated:
        w.add(
            f"{isolated} module{'s' if isolated != 1 else ''} neither import nor are imported by "
            "another module; not drawn."
        )
    if len(drawn) >= 2 and len(drawn) < len(linked):
        w.add(
            f"The diagrams draw the product's {len(drawn)} modules that import or are "
            "imported; its tests, examples and tooling are left out."
        )
        edges = inner
    else:
        drawn = linked
    groups = _grouping(drawn, graph, ())
    _draw(w, edges, groups, f"The {len(drawn)} modules")
    members: dict[str, list[str]] = defaultdict(list)
    for node, group in groups.items():
        members[group].append(node)
    large = sorted(
        (g for g, nodes in members.items() if g.endswith("/") and len(nodes) >= MIN_INSIDE),
        key=lambda g: (-len(members[g]), g),
    )[:MAX_INSIDE]
    for group in large:
        inside = set(members[group])
        inner = [e for e in edges if e.source in inside and e.target in inside]
        if not inner:
            continue
        w.add(f"#### Inside {code(group)}")
        nodes = sorted({e.source for e in inner} | {e.target for e in inner})
        folder = tuple(group.rstrip("/").split("/"))
        _draw(w, inner, _grouping(nodes, graph, folder), f"Its {len(nodes)} linked modules")


def _draw(w: SectionWriter, edges: list[Edge], groups: dict[str, str], subject: str) -> None:
    """A flowchart of at most ``MAX_NODES`` nodes (the most connected groups) and
    ``MAX_EDGES`` arrows (the heaviest), each arrow labelled with its imports' count."""
    weights: Counter[tuple[str, str]] = Counter()
    for e in edges:
        a, b = groups[e.source], groups[e.target]
        if a != b:
            weights[(a, b)] += 1
    degree: Counter[str] = Counter()
    for (a, b), n in weights.items():
        degree[a] += n
        degree[b] += n
    every = sorted(set(groups.values()))
    # A group without arrows is drawn too: its imports are inside it.
    labels = sorted(sorted(every, key=lambda g: (-degree[g], g))[:MAX_NODES])
    kept = set(labels)
    pairs = [k for k in weights if k[0] in kept and k[1] in kept]
    shown = sorted(pairs, key=lambda k: (-weights[k], k))[:MAX_EDGES]
    grouped = len(every) < len(groups)
    if grouped:
        w.add(
            f"{subject} are grouped by folder to keep the diagram readable ({len(every)} "
            "groups); an arrow's label counts the imports it stands for."
        )
    hidden = len(every) - len(labels)
    if hidden > 0:
        w.add(
            f"The {len(labels)} {'groups' if grouped else 'modules'} with the most imports "
            f"between them are drawn; {hidden} more are not."
        )
    drawn = [(a, b, str(weights[(a, b)]) if grouped else None) for a, b in shown]
    w.add(fence(mermaid.flowchart(labels, drawn), "mermaid"))
    if len(pairs) > MAX_EDGES:
        w.add(
            f"The diagram shows the {MAX_EDGES} heaviest of the {len(pairs)} dependencies "
            "between what it draws."
        )


def _grouping(nodes: list[str], graph: ModuleGraph, base: tuple[str, ...]) -> dict[str, str]:
    """Each node's group label: itself when few, else its folder at the deepest depth
    (below ``base``, the folder all of them are in) that makes at most ``MAX_NODES``."""
    labels = {n: _label(n, graph) for n in nodes}
    if len(nodes) <= MAX_NODES:
        return labels
    folders = {n: _folder_parts(n, graph) for n in nodes}
    common = _common_prefix(list(folders.values()))
    if len(base) > len(common):
        common = base
    deepest = max(len(f) for f in folders.values()) - len(common)
    for depth in range(max(deepest, 1), 0, -1):
        candidate = {n: _group_label(n, folders[n], common, depth, labels) for n in nodes}
        if len(set(candidate.values())) <= MAX_NODES:
            return candidate
    return {n: _group_label(n, folders[n], common, 1, labels) for n in nodes}


def _folder_parts(node: str, graph: ModuleGraph) -> tuple[str, ...]:
    if graph.nodes.get(node) == "Go":
        return () if node == "." else tuple(node.split("/"))
    return tuple(node.split("/")[:-1])  # a file's folders (paths from git are normalised)


def _common_prefix(items: list[tuple[str, ...]]) -> tuple[str, ...]:
    if not items:
        return ()
    prefix = items[0]
    for item in items[1:]:
        n = 0
        while n < min(len(prefix), len(item)) and prefix[n] == item[n]:
            n += 1
        prefix = prefix[:n]
    return prefix


def _group_label(
    node: str, folder: tuple[str, ...], common: tuple[str, ...], depth: int, labels: dict[str, str]
) -> str:
    rest = folder[len(common) :]
    if not rest:
        return labels[node]
    return "/".join(common + rest[:depth]) + "/"


def _classes(w: SectionWriter, model: RepositoryModel) -> None:
    """The key classes and the classes of the repository they derive from (Python)."""
    roles = roles_of(model)
    product = {p: a for p, a in model.analyses.items() if roles.is_product(p)}
    classes, pairs = hierarchy(product)
    if not pairs:
        return
    names = _class_labels(classes)
    w.add("### Class hierarchy")
    w.add(
        "The main classes (those the package exports, or else those most others derive "
        "from) and the classes of the repository they derive from; an arrow points from a "
        "class to its base."
    )
    edges = [(names[a.name], names[b.name], None) for a, b in pairs]
    w.add(fence(mermaid.flowchart(names.values(), edges, direction="BT"), "mermaid"))
    bases: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        bases[a.name].append(code(names[b.name]))
    rows = []
    for c in classes:
        derives = f" derives from {', '.join(bases[c.name])}" if bases[c.name] else ""
        rows.append(f"- {code(names[c.name])} ({w.cite(c.path, c.line, _last(c.name))}){derives}")
    w.add("\n".join(rows))


def _class_labels(classes: list[Class]) -> dict[str, str]:
    """A class's name, or its qualified name where two classes share one."""
    short = Counter(_last(c.name) for c in classes)
    return {c.name: _last(c.name) if short[_last(c.name)] == 1 else c.name for c in classes}


def _last(name: str) -> str:
    return name.rpartition(".")[2]


def _language_list(graph: ModuleGraph) -> str:
    counts = Counter(graph.nodes.values())
    return ", ".join(f"{lang} ({n})" for lang, n in sorted(counts.items()))


def _central(w: SectionWriter, graph: ModuleGraph) -> None:
    importers: dict[str, set[str]] = defaultdict(set)
    for e in _structural(graph):
        importers[e.target].add(e.source)
    if not importers:
        return
    first_edge: dict[str, Edge] = {}
    for e in _structural(graph):
        if e.target not in first_edge or (e.path, e.line) < (
            first_edge[e.target].path,
            first_edge[e.target].line,
        ):
            first_edge[e.target] = e
    ranked = sorted(importers, key=lambda n: (-len(importers[n]), n))[:TOP_MODULES]
    rows = ["| Module | Imported by | For example |", "|---|---:|---|"]
    for node in ranked:
        e = first_edge[node]
        rows.append(
            f"| {cell_code(_label(node, graph))} | {len(importers[node])} | "
            f"{cell_code(e.token)} in {w.cite(e.path, e.line, e.token)} |"
        )
    w.add("### Most depended-on modules")
    w.add("The modules imported by the largest number of other modules:\n\n" + "\n".join(rows))


def _cycles(w: SectionWriter, graph: ModuleGraph) -> None:
    components = [
        c
        for c in _strongly_connected(graph)
        if len(c) > 1 and graph.nodes.get(c[0]) in CYCLE_LANGUAGES
    ]
    if not components:
        return
    components.sort(key=lambda c: (-len(c), c))
    w.add("### Import cycles")
    lines = []
    by_source: dict[str, list[Edge]] = {}
    for e in graph.edges:
        by_source.setdefault(e.source, []).append(e)
    for members in components[:MAX_CYCLES]:
        inside = set(members)
        cites = []
        for node in members:
            edge = next(e for e in by_source[node] if e.target in inside and not e.guard)
            cites.append(
                f"{code(_label(node, graph))} ({w.cite(edge.path, edge.line, edge.token)})"
            )
        lines.append("- " + " ↔ ".join(cites))
    python = any(graph.nodes.get(n) == "Python" for c in components[:MAX_CYCLES] for n in c)
    not_counted = (
        '; imports under `if TYPE_CHECKING:` or `if __name__ == "__main__":` and inside '
        "functions do not count"
        if python
        else ""
    )
    w.add(
        "Modules that import each other at run time, directly or through others (each cited at "
        f"one of its imports inside the cycle{not_counted}):\n\n" + "\n".join(lines)
    )
    if len(components) > MAX_CYCLES:
        w.add(f"… and {len(components) - MAX_CYCLES} more cycles.")


def _strongly_connected(graph: ModuleGraph) -> list[list[str]]:
    """Tarjan's algorithm, iterative (deep graphs must not hit the recursion limit)."""
    succ: dict[str, list[str]] = defaultdict(list)
    for e in graph.edges:
        if not e.guard:  # a module-level import made at run time
            succ[e.source].append(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in sorted(graph.nodes):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = sorted(set(succ[node]))
            if i < len(targets):
                work.append((node, i + 1))
                nxt = targets[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                result.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return result


def _entry_points(w: SectionWriter, model: RepositoryModel) -> None:
    items: list[str] = []
    scripts: list[str] = []  # modules with a ``__main__`` guard: demos and self-tests
    roles = roles_of(model)
    for path, analysis in sorted(model.analyses.items()):
        manifest = posixpath.basename(path).lower()
        # The product's entry points: its code's, and its manifests' (not an example's).
        if manifest in _MANIFEST_KINDS:
            if roles.of.get(path) not in (PRODUCT, OTHER, TOOLING):
                continue
        elif not roles.is_product(path):
            continue
        for name, target, line in analysis.entry_points:
            where = w.cite(path, line, name)
            if manifest in _MANIFEST_KINDS:
                kind = _MANIFEST_KINDS[manifest]
                items.append(f"- {code(name)} → {code(target)}: {kind} declared in {where}")
            elif name == "__main__":
                if posixpath.basename(path) != "__main__.py":
                    scripts.append(f"{code(path)} ({where})")
            elif analysis.language == "Python":
                items.append(f"- {code(name)} → {code(target)}: console script in {where}")
            elif analysis.language == "Go":
                folder = posixpath.dirname(path) or "."
                items.append(f"- {code(folder + '/')}: Go `main` package, `func main` at {where}")
            elif analysis.language == "Rust":
                items.append(f"- {code(path)}: Rust binary, `fn main` at {where}")
            elif analysis.language == "Java":
                items.append(f"- {code(path)}: Java `main` method at {where}")
        main = posixpath.basename(path) == "__main__.py"
        if main and (info := model.file(path)) is not None and info.lines:
            package = posixpath.dirname(path).replace("/", ".") or "__main__"
            items.append(f"- {code('python -m ' + package)} runs {code(path)} ({w.cite(path, 1)})")
    w.add("### Entry points")
    if items:
        w.add("\n".join(items))
    else:
        languages = {a.language for a in model.analyses.values()}
        kinds = list(dict.fromkeys(k for language, k in _ENTRY_KINDS if language in languages))
        w.add(f"No entry point ({', '.join(kinds) or 'a `main` function'}) was found.")
    if scripts:
        shown = ", ".join(scripts[:MAX_LISTED])
        more = f" and {len(scripts) - MAX_LISTED} more" if len(scripts) > MAX_LISTED else ""
        w.add(
            f"{len(scripts)} module{'s' if len(scripts) != 1 else ''} of the product also "
            f"run{'s' if len(scripts) == 1 else ''} code when run as a script "
            '(`if __name__ == "__main__":`, a demonstration or a self-test rather than a way '
            f"in): {shown}{more}."
        )


def _unresolved(w: SectionWriter, graph: ModuleGraph) -> None:
    if not graph.unresolved:
        return
    listed = sorted(graph.unresolved, key=lambda e: (e.path, e.line))
    shown = ", ".join(
        f"{code(e.token)} ({w.cite(e.path, e.line, e.token)})" for e in listed[:MAX_LISTED]
    )
    more = f" and {len(listed) - MAX_LISTED} more" if len(listed) > MAX_LISTED else ""
    w.add_warning(
        f"{len(listed)} relative import(s) name no file of the repository (generated code, "
        f"or a broken import): {shown}{more}."
    )


def _other_languages(w: SectionWriter, model: RepositoryModel) -> None:
    counts: Counter[str] = Counter(
        f.language
        for f in model.files
        if f.language
        and f.language not in ANALYSERS
        and f.language not in NOT_CODE
        and f.language not in _NO_IMPORTS
        and f.folder_kind is None
        and f.skipped is None
    )
    if counts:
        listed = ", ".join(
            f"{lang} ({n} file{'s' if n != 1 else ''})" for lang, n in sorted(counts.items())
        )
        w.add_warning(f"Imports of files in other languages are not resolved: {listed}.")


SECTION = Section(
    "architecture", TITLE, build, applies, frozenset({PATHS, TEXTS, analyses("graph")})
)
