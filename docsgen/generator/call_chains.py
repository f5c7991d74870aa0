"""Static call chains from the entry points into the core, from Python's call facts.

Each Python file's analysis holds its definitions and its calls into its own
package (``analysis.facts.python_calls``).  Here they are put together: a
callee's name is resolved to a definition of the repository, through the
re-exports of a package (``flask.Flask`` to ``flask.app.Flask``) and a class's
bases (``self.ensure_sync`` of ``Flask`` to ``App.ensure_sync``); a call of a
class is a call of its ``__init__``.  From an entry point, a bounded
breadth-first walk (``MAX_DEPTH`` levels, ``MAX_CHILDREN`` callees a function,
``MAX_NODES`` in all) gives the tree "How it works" shows.  A call that
resolves to no definition is not followed: nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from docsgen.generator.analysis.file_analysis import FileAnalysis

MAX_DEPTH = 4
MAX_CHILDREN = 4
MAX_NODES = 16  # a diagram of the tree stays under 20 nodes
_MAX_HOPS = 8  # re-exports and bases followed to resolve one name


class Definition(NamedTuple):
    """A function, method or class of the code (a named tuple: an index holds one per
    definition of the repository, tens of thousands, made on every build)."""

    name: str  # qualified, as defined (``flask.app.Flask.wsgi_app``)
    kind: str  # "class", "function" or "method"
    path: str
    line: int


@dataclass(frozen=True)
class Hop:
    """A call of ``callee`` by its parent in the tree, written at ``path:line``."""

    callee: Definition
    written: str  # the callee as the call names it, last part (``wsgi_app``)
    path: str
    line: int
    children: tuple[Hop, ...] = ()


@dataclass
class CallIndex:
    definitions: dict[str, Definition] = field(default_factory=dict)
    calls: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)  # caller -> ...
    bases: dict[str, list[str]] = field(default_factory=dict)
    bindings: dict[str, dict[str, str]] = field(default_factory=dict)  # module -> local -> target
    modules: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, analyses: Mapping[str, FileAnalysis]) -> CallIndex:
        index = cls()
        for path, analysis in analyses.items():
            facts = analysis.call_graph
            if facts is None or analysis.module is None:
                continue
            index.modules.add(analysis.module)
            for name, kind, line in facts.definitions:
                index.definitions.setdefault(name, Definition(name, kind, path, line))
            for caller, callee, line in facts.calls:
                index.calls.setdefault(caller, []).append((callee, line, path))
            for klass, base in facts.bases:
                index.bases.setdefault(klass, []).append(base)
            index.bindings[analysis.module] = dict(facts.bindings)
        return index

    def resolve(self, name: str, hops: int = 0) -> Definition | None:
        """The definition ``name`` stands for, through re-exports and bases."""
        if hops > _MAX_HOPS:
            return None
        if "()." in name:  # a method of what a call makes: of a class, its method
            made, _, method = name.rpartition("().")
            klass = self.resolve(made, hops + 1)
            if klass is None or klass.kind != "class":
                return None
            return self.resolve(f"{klass.name}.{method}", hops + 1)
        head, _, last = name.rpartition(".")
        # A name a module imports: ``package.Name`` -> where its import points (the
        # import wins over a fallback definition of the same name under ``except``).
        target = self.bindings.get(head, {}).get(last) if head in self.modules else None
        if target is not None and target != name:
            return self.resolve(target, hops + 1)
        found = self.definitions.get(name)
        if found is not None or not head or head in self.modules:
            return found
        # A member of a class, defined there or in one of its bases.
        owner = self.resolve(head, hops + 1)
        if owner is None or owner.kind != "class":
            return None
        member = self.definitions.get(f"{owner.name}.{last}")
        if member is not None:
            return member
        for base in self.bases.get(owner.name, ()):
            hit = self.resolve(f"{base}.{last}", hops + 1)
            if hit is not None:
                return hit
        return None

    def callees(self, definition: Definition) -> list[tuple[Definition, str, int, str]]:
        """What a function calls that resolves: (definition, as written, line, path)."""
        return resolved_callees(
            definition,
            self.calls.get(definition.name, ()),
            self._callee,
            lambda callee, _: callee.rpartition(".")[2],
        )

    def _callee(self, callee: str) -> Definition | None:
        """What a call resolves to; calling a class is a call of its ``__init__``."""
        target = self.resolve(callee)
        if target is not None and target.kind == "class":
            return self.resolve(f"{target.name}.__init__") or target
        return target


def resolved_callees(
    definition: Definition,
    calls: Iterable[tuple[str, int, str]],
    resolve: Callable[[str], Definition | None],
    written: Callable[[str, Definition], str],
) -> list[tuple[Definition, str, int, str]]:
    """Each call of ``definition`` (callee, line, path) that ``resolve`` finds, once per
    target, itself left out: (definition, the name as ``written`` shows it, line, path)."""
    found: list[tuple[Definition, str, int, str]] = []
    seen: set[str] = set()
    for callee, line, path in calls:
        target = resolve(callee)
        if target is None or target.name == definition.name or target.name in seen:
            continue
        seen.add(target.name)
        found.append((target, written(callee, target), line, path))
    return found


@dataclass
class _Node:
    definition: Definition
    written: str
    path: str
    line: int
    children: list[_Node] = field(default_factory=list)

    def frozen(self) -> Hop:
        children = tuple(c.frozen() for c in self.children)
        return Hop(self.definition, self.written, self.path, self.line, children)


class Callees(Protocol):
    def callees(self, definition: Definition) -> list[tuple[Definition, str, int, str]]: ...


def chain_tree(index: Callees, root: Definition) -> tuple[Hop, ...]:
    """The calls from ``root``, breadth first and bounded; each function shown once."""
    top = _Node(root, "", "", 0)
    shown = {root.name}
    level = [top]
    for _ in range(MAX_DEPTH):
        deeper: list[_Node] = []
        for node in level:
            for target, written, line, path in index.callees(node.definition):
                if len(node.children) >= MAX_CHILDREN or len(shown) >= MAX_NODES:
                    break
                if target.name in shown:
                    continue
                shown.add(target.name)
                child = _Node(target, written, path, line)
                node.children.append(child)
                deeper.append(child)
        level = deeper
    return tuple(c.frozen() for c in top.children)


def tree_size(hops: tuple[Hop, ...]) -> int:
    """How many calls the tree shows: how far an entry point leads."""
    return sum(1 + tree_size(h.children) for h in hops)


def tree_names(hops: tuple[Hop, ...]) -> set[str]:
    """Every function the tree shows."""
    return {n for h in hops for n in (h.callee.name, *tree_names(h.children))}


def main_chain(hops: tuple[Hop, ...]) -> list[Hop]:
    """The longest path down the tree, the first call winning a tie: the headline."""
    best: list[Hop] = []
    for hop in hops:
        path = [hop, *main_chain(hop.children)]
        if len(path) > len(best):
            best = path
    return best


@dataclass(frozen=True)
class EntryPoint:
    """Where the code is entered: ``root`` is what runs first."""

    title: str  # what the entry point is, e.g. "console script `flask`" (Markdown)
    root: Definition
    declared: tuple[str, int, str] | None  # (path, line, name) of its declaration, if apart
    hops: tuple[Hop, ...]


MAX_ENTRIES = 4
_MANIFESTS = ("pyproject.toml", "setup.cfg", "setup.py")


def entry_points(
    index: CallIndex,
    analyses: Mapping[str, FileAnalysis],
    product: set[str],
    manifests: set[str],
) -> list[EntryPoint]:
    """The product's Python entry points that lead into its code, the main one first
    (``manifests``: the product's manifests, whose console scripts count):
    the ``__call__`` of a class its top-level package exports (how a server calls an
    application), console scripts, ``__main__.py`` (``python -m``)."""
    found: list[EntryPoint] = []
    seen: set[str] = set()

    def add(title: str, root: Definition, declared: tuple[str, int, str] | None) -> None:
        if root.name in seen:
            return
        seen.add(root.name)
        hops = chain_tree(index, root)
        if hops:
            found.append(EntryPoint(title, root, declared, hops))

    for module in sorted(m for m in index.modules if "." not in m):
        for local, target in sorted(index.bindings.get(module, {}).items()):
            klass = index.resolve(target)
            if klass is None or klass.kind != "class" or klass.path not in product:
                continue
            call = index.definitions.get(f"{klass.name}.__call__")
            if call is not None:
                add(f"an instance of `{module}.{local}` called (`__call__`)", call, None)
    for path, analysis in analyses.items():
        if path.rsplit("/", 1)[-1].lower() not in _MANIFESTS or path not in manifests:
            continue
        for name, target, line in analysis.entry_points:
            if ":" not in target or name == "__main__":
                continue
            dotted = target.replace(":", ".").split("[")[0].strip()
            root = index.resolve(dotted)
            if root is not None and root.kind != "class":
                add(f"console script `{name}`", root, (path, line, name))
    for path, analysis in analyses.items():
        if path.endswith("/__main__.py") and path in product and analysis.module:
            module = analysis.module.removesuffix(".__main__")
            root = Definition(analysis.module, "module", path, 1)
            add(f"`python -m {module}`", root, None)
    return found[:MAX_ENTRIES]


def label(definition: Definition) -> str:
    """How a definition is named for a reader: ``Flask.wsgi_app``, ``cli.main``."""
    if ":" in definition.name:  # JavaScript: ``path:name``
        return definition.name.partition(":")[2]
    parts = definition.name.split(".")
    if definition.kind == "module":
        return definition.name
    return ".".join(parts[-2:]) if len(parts) > 1 else definition.name
