"""How it works: from each entry point, the static call chain into the core, each hop cited.

Read from the Python call facts (``docsgen.generator.call_chains``): what an
entry point calls, what that calls, a few levels deep, as far as the code
shows it.  The main entry point's chain is drawn as a flowchart too.
"""

from __future__ import annotations

from docsgen.generator import mermaid
from docsgen.generator.call_chains import (
    MAX_CHILDREN,
    MAX_DEPTH,
    CallIndex,
    EntryPoint,
    Hop,
    entry_points,
    label,
    main_chain,
)
from docsgen.generator.call_chains_go import GoIndex
from docsgen.generator.call_chains_go import entry_points as go_entry_points
from docsgen.generator.call_chains_js import JsIndex
from docsgen.generator.call_chains_js import entry_points as js_entry_points
from docsgen.generator.call_chains_rust import RustIndex
from docsgen.generator.call_chains_rust import entry_points as rust_entry_points
from docsgen.generator.inputs import PATHS, TEXTS, analyses
from docsgen.generator.markdown import SectionWriter, anchor, code, fence
from docsgen.generator.model import RepositoryModel
from docsgen.generator.product import roles_of
from docsgen.generator.sections.base import Section, SectionResult
from docsgen.generator.surface.roles import OTHER, PRODUCT, TOOLING

TITLE = "How it works"


def applies(model: RepositoryModel) -> bool:
    """Whether the repository has code whose calls are read (Python, JavaScript, Go, Rust)."""
    return any(a.call_graph is not None for a in model.analyses.values())


def build(model: RepositoryModel) -> SectionResult:
    w = SectionWriter(model.snapshot)
    roles = roles_of(model)
    analyses = dict(model.analyses)  # each decoded (or recalled) once, read many times
    product = {p for p in analyses if roles.is_product(p)}
    manifests = {p for p in analyses if roles.of.get(p) in (PRODUCT, OTHER, TOOLING)}
    ours = {p: a for p, a in analyses.items() if p in product}
    entries = entry_points(CallIndex.of(ours), analyses, product, manifests)
    entries += js_entry_points(JsIndex(ours), model.texts, manifests)
    entries += go_entry_points(GoIndex(ours), analyses, product)
    entries += rust_entry_points(RustIndex(ours), analyses, model.texts, product)
    if not entries:
        w.add(
            "No entry point (a console script, a `__main__.py`, the `__call__` of a class a "
            "Python package exports, the function a JavaScript package exports, Go's `func "
            "main` or a Go package's exported functions and methods, Rust's `fn main` or the "
            "functions a library crate exports) leads to a call the code shows."
        )
        return _result(w)
    w.add(
        "What runs when the code is entered, read from the source: from each entry point, "
        f"the functions it calls, {MAX_DEPTH} levels deep at most ({MAX_CHILDREN} calls a "
        "function, each function shown once), each call cited where it is written. A call "
        "on a parameter, a local variable or the result of another call cannot be followed "
        "statically and is not shown."
    )
    for number, entry in enumerate(entries):
        _entry(w, entry, main=number == 0)
    return _result(w)


def _result(w: SectionWriter) -> SectionResult:
    return SectionResult(TITLE, anchor(TITLE), w.markdown(), tuple(w.warnings), tuple(w.citations))


def _entry(w: SectionWriter, entry: EntryPoint, main: bool) -> None:
    root = entry.root
    w.add(f"### {code(label(root))}: {entry.title}")
    where = w.cite(root.path, root.line, None if root.kind == "module" else _last(label(root)))
    declared = ""
    if entry.declared is not None:
        path, line, name = entry.declared
        declared = f", declared in {w.cite(path, line, name)}"
    chain = [code(label(root)), *(code(label(h.callee)) for h in main_chain(entry.hops))]
    w.add(f"{' → '.join(chain)}\n\n{code(label(root))} is defined at {where}{declared}.")
    if main:
        w.add(fence(_flowchart(entry), "mermaid"))
    w.add("\n".join(_tree(w, entry.hops, 0)))


def _tree(w: SectionWriter, hops: tuple[Hop, ...], depth: int) -> list[str]:
    lines: list[str] = []
    for hop in hops:
        cited = w.cite(hop.path, hop.line, hop.written)
        lines.append(f"{'  ' * depth}- {code(label(hop.callee))}, called at {cited}")
        lines += _tree(w, hop.children, depth + 1)
    return lines


def _flowchart(entry: EntryPoint) -> str:
    """The tree, each arrow numbered in the order of the calls of its function."""
    labels = [label(entry.root)]
    edges: list[tuple[str, str, str | None]] = []
    named: dict[str, str] = {labels[0]: entry.root.name}

    def walk(parent: str, hops: tuple[Hop, ...]) -> None:
        for order, hop in enumerate(hops, start=1):
            name = label(hop.callee)
            if named.setdefault(name, hop.callee.name) != hop.callee.name:
                name = hop.callee.name  # two functions of one short name: the full one
            labels.append(name)
            edges.append((parent, name, str(order)))
            walk(name, hop.children)

    walk(labels[0], entry.hops)
    return mermaid.flowchart(labels, edges, direction="TD")


def _last(name: str) -> str:
    return name.rpartition(".")[2]


SECTION = Section(
    "how_it_works", TITLE, build, applies, frozenset({PATHS, TEXTS, analyses("calls")})
)
