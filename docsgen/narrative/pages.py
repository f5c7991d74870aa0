"""What is summarised, and what the model is shown for each: facts the generator extracted.

Three kinds of page: the Overview's "What it is" and "How it works", and one
per module (or package) of the API Reference.  Each page's facts are a JSON
document built only from the analysis (symbols with their documentation and
citations, import and call edges, entry points) and the README's relevant
part; lists are cut to a fixed length so a prompt stays small.  The document
is deterministic: the same commit gives the same bytes, so its digest names
the cached answer.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from docsgen.generator.model import RepositoryModel
from docsgen.generator.sections.api_reference import module_groups
from docsgen.generator.sections.overview import find_readme
from docsgen.narrative.facts import Edge, Facts, SymbolFact

MAX_SYMBOLS = 60
MAX_CALLS = 60
MAX_EDGES = 120
MAX_MODULES = 40
MAX_DOC_CHARS = 300
MAX_README_CHARS = 4000
MAX_README_PART_CHARS = 1500
WHAT, HOW = "overview:what", "overview:how"


class EntryPoint(NamedTuple):
    """A declared entry point (a console script, a ``bin``): its name, what it runs, where."""

    name: str
    target: str
    path: str
    line: int


@dataclass(frozen=True)
class Page:
    key: str  # WHAT, HOW, or "module:<name>"
    title: str  # "What it is", "How it works", or the module's name
    task: str  # what the model is asked to write
    facts: str  # the JSON document the model is shown
    module: str | None = None


def pages_of(
    model: RepositoryModel, facts: Facts, public: frozenset[str], entry_points: Sequence[EntryPoint]
) -> list[Page]:
    """The Overview's two pages, then one per module, in the API Reference's order."""
    view = _View(model, facts, public)
    project = model.name.rsplit("/", 1)[-1]
    pages = [
        Page(
            WHAT,
            "What it is",
            f'the paragraph "What it is" of the overview of the project {project}: what it '
            "is and what it is for, in at most five sentences",
            _document(view.what_it_is(project)),
        ),
        Page(
            HOW,
            "How it works",
            f'the paragraph "How it works" of the overview of the project {project}: how its '
            "main modules and classes work together, in at most six sentences",
            _document(view.how_it_works(project, entry_points)),
        ),
    ]
    for name, paths in module_groups(model):
        pages.append(
            Page(
                f"module:{name}",
                name,
                f"a summary of the module `{name}`: what it is for and how its main parts "
                "work together, in at most five sentences",
                _document(view.module(name, paths)),
                module=name,
            )
        )
    return pages


def _document(facts: dict[str, Any]) -> str:
    return json.dumps(facts, ensure_ascii=False, indent=1)


def _short(text: str | None) -> str | None:
    if text is None or len(text) <= MAX_DOC_CHARS:
        return text
    return text[: MAX_DOC_CHARS - 1].rstrip() + "…"


def _source(symbol: SymbolFact) -> str:
    return f"{symbol.path}:{symbol.line}"


class _View:
    """The facts, indexed for building pages."""

    def __init__(self, model: RepositoryModel, facts: Facts, public: frozenset[str]) -> None:
        self.model = model
        self.facts = facts
        self.symbols = {s.name: s for s in facts.symbols}
        self.public = [s for s in facts.symbols if s.name in public]
        self.public_in: dict[str, list[SymbolFact]] = defaultdict(list)  # by file
        for symbol in sorted(self.public, key=lambda s: s.line):  # in source order
            self.public_in[symbol.path].append(symbol)
        self.modules = {s.name: s for s in facts.symbols if s.kind == "module"}
        readme = find_readme(model)
        self.readme = model.texts[readme] if readme is not None else ""
        self._module_of: dict[str, str] = {}
        self.calls_from: dict[str, list[Edge]] = defaultdict(list)  # by the caller's module
        for edge in facts.calls:
            self.calls_from[self.module_of(edge.source)].append(edge)
        self.imports: dict[str, set[str]] = defaultdict(set)
        self.importers: dict[str, set[str]] = defaultdict(set)
        for edge in facts.imports:
            self.imports[edge.source].add(edge.target)
            self.importers[edge.target].add(edge.source)

    def module_of(self, name: str) -> str:
        """The module a qualified name lies in: its longest prefix that is a module."""
        found = self._module_of.get(name)
        if found is None:
            parts = name.split(".")
            found = ""
            for i in range(len(parts), 0, -1):
                if ".".join(parts[:i]) in self.modules:
                    found = ".".join(parts[:i])
                    break
            self._module_of[name] = found
        return found

    def module_entry(self, name: str) -> dict[str, Any]:
        module = self.modules.get(name)
        entry: dict[str, Any] = {"name": name}
        if module is not None:
            entry["source"] = _source(module)
            if module.doc:
                entry["documentation"] = _short(module.doc)
        return entry

    def symbol_entry(self, symbol: SymbolFact) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": symbol.name, "kind": symbol.kind}
        if symbol.signature:
            entry["signature"] = symbol.signature
        if symbol.doc:
            entry["documentation"] = _short(symbol.doc)
        if symbol.bases:
            entry["bases"] = list(symbol.bases)
        entry["source"] = _source(symbol)
        return entry

    def calls(self, edges: Iterable[Edge], limit: int) -> list[dict[str, str]]:
        """Calls between the repository's own symbols, the first of each pair."""
        seen: set[tuple[str, str]] = set()
        found = []
        for edge in edges:
            pair = (edge.source, edge.target)
            if pair in seen or "<locals>" in edge.source or edge.target not in self.symbols:
                continue
            seen.add(pair)
            found.append({"caller": edge.source, "callee": edge.target,
                          "source": f"{edge.path}:{edge.line}"})  # fmt: skip
            if len(found) == limit:
                break
        return found

    def top_modules(self) -> list[dict[str, Any]]:
        names = sorted(self.modules, key=lambda n: (n.count("."), n))[:MAX_MODULES]
        return [self.module_entry(n) for n in sorted(names)]

    def what_it_is(self, project: str) -> dict[str, Any]:
        meta = self.model.snapshot.metadata
        key = [
            self.symbol_entry(s)
            for s in self.public
            if s.kind in ("class", "function") and s.name.count(".") <= 2
        ][:MAX_SYMBOLS]
        facts: dict[str, Any] = {"project": project}
        if meta.description:
            facts["description"] = meta.description
        if self.readme:
            facts["readme"] = self.readme[:MAX_README_CHARS]
        facts["modules"] = self.top_modules()
        facts["key_symbols"] = key
        return facts

    def how_it_works(self, project: str, entry_points: Sequence[EntryPoint]) -> dict[str, Any]:
        pairs = sorted({(e.source, e.target) for e in self.facts.imports})[:MAX_EDGES]
        across = [
            e
            for e in self.facts.calls
            if e.target in self.symbols and self.module_of(e.source) != self.module_of(e.target)
        ]
        classes = [
            {"name": s.name, "bases": list(s.bases), "source": _source(s)}
            for s in self.public
            if s.kind == "class" and s.bases
        ][:MAX_SYMBOLS]
        facts: dict[str, Any] = {"project": project, "modules": self.top_modules()}
        facts["imports"] = [{"module": a, "imports": b} for a, b in pairs]
        if entry_points:
            facts["entry_points"] = [
                {"name": e.name, "runs": e.target, "source": f"{e.path}:{e.line}"}
                for e in entry_points
            ]
        facts["calls_between_modules"] = self.calls(across, MAX_CALLS)
        facts["classes"] = classes
        return facts

    def module(self, name: str, paths: Sequence[str]) -> dict[str, Any]:
        own = [s for path in paths for s in self.public_in.get(path, ())][:MAX_SYMBOLS]
        imports = sorted(self.imports.get(name, ()))
        imported_by = sorted(self.importers.get(name, ()))
        calls = self.calls_from.get(name, [])
        facts: dict[str, Any] = {"module": name, "files": list(paths)}
        entry = self.module_entry(name)
        if "documentation" in entry:
            facts["documentation"] = entry["documentation"]
        facts["symbols"] = [self.symbol_entry(s) for s in own]
        facts["imports"] = imports[:MAX_EDGES]
        facts["imported_by"] = imported_by[:MAX_EDGES]
        facts["calls"] = self.calls(calls, MAX_CALLS)
        part = _readme_part(self.readme, name.rsplit(".", 1)[-1])
        if part:
            facts["readme_mentions"] = part
        return facts


def _readme_part(readme: str, word: str) -> str:
    """The README's paragraphs that name ``word``, up to a length."""
    if not readme or len(word) < 3:
        return ""
    pattern = re.compile(rf"(?<![\w.]){re.escape(word)}(?![\w])")
    found: list[str] = []
    size = 0
    for paragraph in re.split(r"\n\s*\n", readme):
        if pattern.search(paragraph):
            if size + len(paragraph) > MAX_README_PART_CHARS:
                break
            found.append(paragraph.strip())
            size += len(paragraph)
    return "\n\n".join(found)
