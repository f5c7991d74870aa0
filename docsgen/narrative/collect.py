"""The facts of one commit, gathered from its snapshot for the verifier and the prompts.

Runs in a worker process (it parses every code file): the analysers give the
public symbols with their documentation, the module graph gives the import
edges, and ``calls_python`` gives Python's call edges and every definition
(private ones too: a call may name them).  Names are then made canonical
across modules: a re-export (``package.Name``) stands for where ``Name`` is
defined, and ``self.m()`` of a class that inherits ``m`` calls the base's
``m``.  File texts stay with the caller (``with_texts``): they are only read
to check citations.
"""

from __future__ import annotations

import ast
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from docsgen.generator.analysis.calls_python import CallGraph, python_call_graph
from docsgen.generator.api_entries import declaration
from docsgen.generator.dependency_graph import build_graph, node_of
from docsgen.generator.model import RepositoryModel, build_model, decode_text
from docsgen.generator.modules import module_names
from docsgen.narrative.facts import Edge, Facts, SymbolFact
from docsgen.narrative.pages import EntryPoint, Page, pages_of
from docsgen.snapshot import Snapshot

log = logging.getLogger(__name__)

DECLARED_KINDS = frozenset({"class", "function", "method"})


@dataclass(frozen=True)
class Gathered:
    """The facts of a commit (without file texts) and the pages to summarise."""

    facts: Facts
    pages: tuple[Page, ...]


def gather(snapshot: Snapshot) -> Gathered:
    """Everything the summaries are written from and checked against (a worker task)."""
    model = build_model(snapshot)
    facts, public, entry_points = _facts(snapshot, model)
    return Gathered(facts, tuple(pages_of(model, facts, public, entry_points)))


def _facts(
    snapshot: Snapshot, model: RepositoryModel
) -> tuple[Facts, frozenset[str], list[EntryPoint]]:
    """The facts, the symbols the API Reference lists, and the declared entry points."""
    paths = [f.path for f in model.files]
    names = module_names(model.analyses.values(), paths)
    symbols: dict[str, SymbolFact] = {}
    public: set[str] = set()
    entry_points: list[EntryPoint] = []
    for path, analysis in model.analyses.items():
        if not analysis.analysed:
            continue
        module = names[path]
        doc = _first_paragraph(analysis.doc)
        symbols.setdefault(module, SymbolFact(module, "module", path, analysis.doc_line or 1, doc))
        for symbol in analysis.symbols:
            if symbol.kind == "reexport":
                continue  # an alias, followed below
            name = f"{module}.{symbol.qualname}"
            symbols[name] = SymbolFact(
                name,
                symbol.kind,
                path,
                symbol.line,
                _first_paragraph(symbol.doc),
                " ".join(declaration(analysis.language, symbol).split()),
                symbol.returns if symbol.kind in ("function", "method", "property") else None,
            )
            public.add(name)
        entry_points += [EntryPoint(n, t, path, line) for n, t, line in analysis.entry_points]
    graphs = dict(_call_graphs(snapshot, model, names))
    aliases = _aliases(graphs.values(), symbols)
    for path, graph in graphs.items():
        for definition in graph.definitions:
            bases = tuple(_follow(aliases, b) for b in definition.bases)
            known = symbols.get(definition.name)
            if known is None:
                symbols[definition.name] = SymbolFact(
                    definition.name, definition.kind, path, definition.line,
                    returns=definition.returns, bases=bases,
                )  # fmt: skip
            elif definition.kind == "class" and known.kind == "class":
                symbols[definition.name] = replace(known, bases=bases)
    calls = _calls(graphs, symbols, aliases)
    module_graph = build_graph(model)
    by_node = {node_of(a): names[p] for p, a in model.analyses.items() if p in names}
    imports = tuple(
        Edge(by_node[e.source], by_node[e.target], e.path, e.line)
        for e in module_graph.edges
        if e.source in by_node and e.target in by_node
    )
    facts = Facts(
        symbols=tuple(symbols[n] for n in sorted(symbols)),
        paths=frozenset(paths),
        imports=imports,
        calls=calls,
        aliases=aliases,
        languages={f.path: f.language for f in model.files if f.language},
    )
    return facts, frozenset(public), entry_points


def with_texts(facts: Facts, snapshot: Snapshot) -> Facts:
    """``facts`` reading each file's text from ``snapshot`` when a citation of it is checked."""
    return replace(facts, texts=_SnapshotTexts(snapshot))


class _SnapshotTexts(Mapping[str, str]):
    """Files' texts, decoded when first read (a summary cites a few files of thousands)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._data = {f.path: f.data for f in snapshot.files if f.data is not None}
        self._decoded: dict[str, str] = {}

    def __getitem__(self, path: str) -> str:
        text = self._decoded.get(path)
        if text is None:
            raw = self._data[path].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            text = self._decoded[path] = decode_text(raw)[0]
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _call_graphs(
    snapshot: Snapshot, model: RepositoryModel, names: Mapping[str, str]
) -> Iterator[tuple[str, CallGraph]]:
    data = {f.path: f.data for f in snapshot.files if f.data is not None}
    for path, analysis in model.analyses.items():
        if analysis.language != "Python" or not analysis.analysed or path not in data:
            continue
        text = decode_text(data[path])[0]
        try:
            tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # the API Reference says why; no calls are known from it
        package = path.rsplit("/", 1)[-1] in ("__init__.py", "__init__.pyi")
        yield path, python_call_graph(tree, names[path], package=package)


def _aliases(graphs: Iterable[CallGraph], symbols: Mapping[str, SymbolFact]) -> dict[str, str]:
    """``module.name`` -> what it imports, for the repository's modules' imports of names
    that are not their own definitions."""
    aliases: dict[str, str] = {}
    for graph in graphs:
        for local, target in graph.imports:
            name = f"{graph.module}.{local}"
            if name not in symbols and name != target:
                aliases[name] = target
    return aliases


def _follow(aliases: Mapping[str, str], name: str) -> str:
    """Where a chain of re-exports ends; also for names under a re-exported module or
    class (``package.Class.method`` when ``package.Class`` is an alias)."""
    for _ in range(10):
        if name in aliases:
            name = aliases[name]
            continue
        head, _, tail = name.rpartition(".")
        while head and head not in aliases:
            head, _, more = head.rpartition(".")
            tail = f"{more}.{tail}"
        if not head:
            return name
        name = f"{aliases[head]}.{tail}"
    return name


def _calls(
    graphs: Mapping[str, CallGraph],
    symbols: Mapping[str, SymbolFact],
    aliases: Mapping[str, str],
) -> tuple[Edge, ...]:
    bases: dict[str, tuple[str, ...]] = defaultdict(tuple)
    for name, symbol in symbols.items():
        if symbol.kind == "class":
            bases[name] = symbol.bases
    edges = []
    for path, graph in graphs.items():
        for call in graph.calls:
            callee = _inherited(_follow(aliases, call.callee), symbols, bases)
            edges.append(Edge(call.caller, callee, path, call.line))
    return tuple(sorted(set(edges), key=lambda e: (e.source, e.line, e.target)))


def _inherited(
    name: str, symbols: Mapping[str, SymbolFact], bases: Mapping[str, tuple[str, ...]]
) -> str:
    """``Class.m`` where ``Class`` does not define ``m``: the first base (depth first, as
    a simple class hierarchy resolves it) that does."""
    if name in symbols:
        return name
    owner, _, member = name.rpartition(".")
    seen: set[str] = set()
    todo = list(bases.get(owner, ()))
    while todo:
        base = todo.pop(0)
        if base in seen:
            continue
        seen.add(base)
        if f"{base}.{member}" in symbols:
            return f"{base}.{member}"
        todo[:0] = bases.get(base, ())
    return name


MAX_DOC_CHARS = 400  # a doc's first paragraph shown to the model is cut here


def _first_paragraph(doc: str | None) -> str | None:
    """A doc's first paragraph on one line, cut at ``MAX_DOC_CHARS``."""
    if not doc:
        return None
    text = " ".join(doc.strip().split("\n\n", 1)[0].split())
    return text if len(text) <= MAX_DOC_CHARS else text[: MAX_DOC_CHARS - 1].rstrip() + "…"
