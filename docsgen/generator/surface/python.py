"""The public API of Python packages as users import it, worked out across files.

A file's analysis knows what it defines and what it imports; what
``import flask; flask.Flask`` gives is a fact about the whole package.  This
follows the conventions pdoc and griffe follow (griffe's alias resolution,
with its redundant-alias and wildcard-import conventions):

- a module's names are its ``__all__`` when it has one (including what it
  adds from other modules' ``__all__``), else its public definitions, its
  explicit re-exports (``from .app import Flask as Flask``) and what its star
  imports bring in (the target's ``__all__``, else its public names);
- a re-exported name is resolved, through any number of modules, to the
  declaration that defines it;
- private modules (``httpx._client``) have no page: what they define is
  documented where a public module exports it;
- each declaration is documented in full once, under its *canonical* name:
  the shortest public name that reaches it (``flask.Flask``, not
  ``flask.app.Flask``; ``django.db.models.Field``); every other public name of
  it is a short entry pointing there.

A process remembers its last resolutions: the next of the same modules (a
regeneration after a file changed) works out again only the modules whose
names read a changed file, through star imports, ``__all__`` and re-exports,
and reuses the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass

from docsgen.generator.analysis.file_analysis import FileAnalysis, Symbol
from docsgen.generator.markdown import code
from docsgen.generator.surface.model import (
    DEFINED,
    REEXPORT,
    STAR,
    SUBMODULE,
    PublicModule,
    PublicName,
    Surface,
    Target,
)

MAX_DEPTH = 32  # re-export chains (and star imports) followed at most this deep
_Key = tuple[str | None, str | None, str | None]  # a ``Target``'s key


def is_public_module(name: str) -> bool:
    return not any(part.startswith("_") for part in name.split(".")) and bool(name)


@dataclass
class _Module:
    name: str
    analysis: FileAnalysis
    is_package: bool
    top: dict[str, Symbol]  # top-level symbols by name (re-exports included)
    # The other modules its names and bases are read from directly, and those of them its
    # names are made from (star imports, included ``__all__``): once asked (``_reads``).
    reads: frozenset[str] | None = None
    chained: tuple[str, ...] = ()


class _Resolver:
    def __init__(self, modules: Mapping[str, _Module]) -> None:
        self.modules = modules
        self._names: dict[str, list[tuple[str, int, str]]] = {}
        self._exports: dict[str, list[str] | None] = {}
        self._named: dict[str, frozenset[str]] = {}
        self.notes: dict[str, list[str]] = {}

    # --- which names a module has ----------------------------------------------------------

    def absolute(self, module: _Module, written: str) -> str:
        """A module reference as written in ``module`` (``.app``, ``..x``), made absolute."""
        if not written.startswith("."):
            return written
        level = len(written) - len(written.lstrip("."))
        parts = module.name.split(".")
        if not module.is_package:
            parts = parts[:-1]
        base = parts[: len(parts) - (level - 1)] if level > 1 else parts
        rest = written[level:]
        return ".".join([*base, rest] if rest else base)

    def exports(self, name: str, depth: int = 0) -> list[str] | None:
        """The module's ``__all__``, with what it includes from other modules' ``__all__``."""
        if name in self._exports:
            return self._exports[name]
        module = self.modules.get(name)
        if module is None or depth > MAX_DEPTH:
            return None
        self._exports[name] = None  # a cycle reads as "no __all__"
        a = module.analysis
        if a.exports is None and not a.exports_included:
            return None
        names = list(a.exports or ())
        for written, line in a.exports_included:
            other = self.absolute(module, written)
            included = self.exports(other, depth + 1)
            if included is None:
                self.note(name, f"{code('__all__')} includes {code(written + '.__all__')} "
                          f"(line {line}), which is not a module of this repository with an "
                          f"{code('__all__')}: its names are not listed.")  # fmt: skip
            else:
                names += included
        found = list(dict.fromkeys(names)) if names else None
        self._exports[name] = found
        return found

    def names(self, name: str, depth: int = 0) -> list[tuple[str, int, str]]:
        """(name, line, how) of every public name of the module, in order."""
        if name in self._names:
            return self._names[name]
        module = self.modules.get(name)
        if module is None or depth > MAX_DEPTH:
            return []
        self._names[name] = []  # a cycle of star imports adds nothing more
        exports = self.exports(name, depth + 1)
        found: dict[str, tuple[str, int, str]] = {}
        for symbol in module.top.values():
            if not symbol.public:
                continue  # kept only for modules that re-export it
            how = REEXPORT if symbol.kind == "reexport" else DEFINED
            found[symbol.name] = (symbol.name, symbol.line, how)
        for written, line in module.analysis.star_imports:
            origin = self.absolute(module, written)
            if origin not in self.modules:
                self.note(name, f"Star import from {code(written)} (line {line}): it is outside "
                          "this repository, so the names it brings in are not listed.")  # fmt: skip
                continue
            for star_name, _, _ in self.names(origin, depth + 1):
                found.setdefault(star_name, (star_name, line, STAR))
        if exports is not None:
            ordered = []
            for export in exports:
                if export in found:
                    ordered.append(found[export])
                elif f"{name}.{export}" in self.modules:
                    ordered.append((export, 1, SUBMODULE))
            result = ordered
        else:
            result = sorted(found.values(), key=lambda row: row[1])  # in source order
        self._names[name] = result
        return result

    def named(self, name: str) -> frozenset[str]:
        """The module's public names as a set (once its names are worked out)."""
        found = self._named.get(name)
        if found is None:
            found = self._named[name] = frozenset(n for n, _, _ in self.names(name))
        return found

    def note(self, module: str, text: str) -> None:
        notes = self.notes.setdefault(module, [])
        if text not in notes:
            notes.append(text)

    # --- what a name refers to -------------------------------------------------------------

    def resolve(self, module_name: str, name: str, depth: int = 0) -> Target:
        module = self.modules.get(module_name)
        if module is None:
            return Target(external=f"{module_name}.{name}")
        if depth > MAX_DEPTH:
            return Target(external=f"{module_name}.{name}")
        symbol = module.top.get(name)
        if symbol is not None and symbol.kind != "reexport":
            return Target(module.analysis.path, symbol.qualname, module_name)
        if symbol is not None and symbol.target:
            return self.resolve_dotted(self.absolute(module, symbol.target), depth + 1)
        for written, _ in module.analysis.star_imports:
            origin = self.absolute(module, written)
            if name in self.named(origin):
                return self.resolve(origin, name, depth + 1)
        submodule = f"{module_name}.{name}"
        if submodule in self.modules:
            return Target(self.modules[submodule].analysis.path, None, submodule)
        return Target(external=f"{module_name}.{name}")

    def resolve_dotted(self, dotted: str, depth: int) -> Target:
        """``pkg.mod.Name`` (or a module ``pkg.mod``): the longest known module, then names."""
        if dotted in self.modules:
            return Target(self.modules[dotted].analysis.path, None, dotted)
        head, _, attr = dotted.rpartition(".")
        if head in self.modules:
            return self.resolve(head, attr, depth)
        return Target(external=dotted)


_Row = tuple[str, str, int, str, Target, _Key]  # a public name, resolved, and its key
_Bases = dict[tuple[str, str], tuple[Target, ...]]
RESOLUTIONS_KEPT = 2  # resolutions a process remembers, for the next one to reuse


@dataclass
class _Resolution:
    """What one resolution worked out, module by module, for the next to reuse where
    nothing a module's names are read from changed."""

    modules: dict[str, _Module]
    keys: dict[str, tuple[str, str]]  # each module's (path, content key)
    public: list[str]  # the public modules' names, in order
    rows: dict[str, list[_Row]]  # each public module's names, resolved
    candidates: dict[_Key, list[str]]  # each declaration's public names
    canonical: dict[_Key, str]
    result: dict[str, PublicModule]  # each public module
    bases: dict[str, _Bases]  # each module's classes' bases
    surface: Surface


# The last resolutions of this process (most recent last): a regeneration after a few files
# changed re-resolves the modules that read them, and reuses the rest.
_LAST: list[_Resolution] = []


def resolve(
    analyses: Iterable[FileAnalysis],
    module_of: Mapping[str, str],
    content_keys: Mapping[str, str] | None = None,
) -> Surface:
    """The public API of the product's Python modules.

    ``analyses`` are the product's Python files; ``module_of`` gives each file's
    importable module name (``docsgen.generator.modules``).  With ``content_keys``
    (each file's, naming its analysis), the modules whose names read no changed
    file since this process's last resolution of the same modules are taken from it.
    """
    keys = content_keys or {}
    modules = _modules(analyses, module_of)
    made = {name: (m.analysis.path, keys.get(m.analysis.path, "")) for name, m in modules.items()}
    previous = _previous(made)
    for name, module in modules.items():
        if previous is not None and made[name][1] and previous.keys[name] == made[name]:
            modules[name] = previous.modules[name]  # the same file, read the same
        else:
            a = module.analysis
            module.top = {s.name: s for s in a.symbols if s.parent is None}
            module.is_package = a.path.rpartition("/")[2] in ("__init__.py", "__init__.pyi")
    resolver = _Resolver(modules)
    changed = _changed(previous, made, resolver)
    # The modules whose names, notes and bases are the previous resolution's.
    kept = previous if previous is not None and changed is not None else None
    unchanged = made.keys() - changed if kept is not None and changed is not None else set()
    public = previous.public if previous is not None else sorted(
        n for n in modules if is_public_module(n) and n.rpartition(".")[2] != "__main__"
    )  # fmt: skip
    rows: dict[str, list[_Row]] = {}
    for name in public:
        if kept is not None and name in unchanged:
            rows[name] = kept.rows[name]
            continue
        found = rows[name] = []
        for public_name, line, how in resolver.names(name):
            target = resolver.resolve(name, public_name)
            found.append((public_name, f"{name}.{public_name}", line, how, target, target.key))
    candidates: dict[_Key, list[str]] = {}
    for name in public:
        for _, qualified, _, _, target, key in rows[name]:
            if target.external is None and target.qualname is not None:
                candidates.setdefault(key, []).append(qualified)
    canonical, moved = _canonical(candidates, modules.values(), previous)
    naming = _naming(moved, (candidates, kept.candidates), rows) if kept is not None else set()
    result: dict[str, PublicModule] = {}
    for name in public:
        if kept is not None and name in unchanged:
            if name not in naming:
                result[name] = kept.result[name]
                continue
            notes = kept.result[name].notes  # its names were not worked out again
        else:
            notes = tuple(resolver.notes.get(name, ()))
        entries = tuple(
            PublicName(public_name, qualified, line, how, target, canonical.get(key, ""))
            for public_name, qualified, line, how, target, key in rows[name]
        )
        path = modules[name].analysis.path
        result[name] = PublicModule(name, "Python", (path,), entries, notes, path)
    by_declaration = {
        (key[0], key[1]): name for key, name in canonical.items() if key[0] and key[1]
    }
    bases = {
        name: kept.bases[name] if kept is not None and name in unchanged else
        _bases(resolver, module)
        for name, module in modules.items()
    }  # fmt: skip
    every: _Bases = {}
    for of_module in bases.values():
        every.update(of_module)
    surface = Surface(tuple(result[name] for name in public), by_declaration, ".", every)
    _remember(
        _Resolution(modules, made, public, rows, candidates, canonical, result, bases, surface)
    )
    return surface


def _modules(analyses: Iterable[FileAnalysis], module_of: Mapping[str, str]) -> dict[str, _Module]:
    """Each importable module's file (its outline is read later, when it is not the
    previous resolution's)."""
    modules: dict[str, _Module] = {}
    for a in analyses:
        if a.parse_error is not None or not a.analysed:
            continue
        name = module_of.get(a.path)
        if not name:
            continue
        if name in modules and not a.path.endswith(".py"):
            continue  # a stub (.pyi) beside its module: the module wins
        modules[name] = _Module(name, a, False, {})
    return modules


def _canonical(
    candidates: Mapping[_Key, list[str]], modules: Iterable[_Module], previous: _Resolution | None
) -> tuple[dict[_Key, str], set[_Key]]:
    """Each declaration's canonical name, from its public names, and the declarations
    whose canonical name may differ from ``previous``'s (that one's where its names are
    the same)."""
    names_at: dict[str, set[str]] = defaultdict(set)  # the module names of each file
    for module in modules:
        names_at[module.analysis.path].add(module.name)
    canonical: dict[_Key, str] = {}
    moved: set[_Key] = set()
    for key, names in candidates.items():
        if previous is not None and previous.candidates.get(key) == names:
            canonical[key] = previous.canonical[key]
            continue
        moved.add(key)
        canonical[key] = names[0] if len(names) == 1 else min(
            names, key=_preference(names_at.get(key[0] or "", set()))
        )  # fmt: skip
    if previous is not None:
        moved.update(key for key in previous.candidates if key not in candidates)
    return canonical, moved


def _naming(
    moved: Iterable[_Key], candidates: Iterable[Mapping[_Key, list[str]]], public: Container[str]
) -> set[str]:
    """The public modules naming a declaration whose canonical name may have moved (in
    ``candidates``, now or before): each whose name one of its public names starts with."""
    found: set[str] = set()
    for key in moved:
        for named in candidates:
            for qualified in named.get(key, ()):
                while "." in qualified:
                    qualified = qualified.rpartition(".")[0]
                    if qualified in public:
                        found.add(qualified)
    return found


def _previous(made: Mapping[str, tuple[str, str]]) -> _Resolution | None:
    """This process's last resolution of the same modules at the same paths, if any."""
    for resolution in reversed(_LAST):
        same = resolution.keys.keys() == made.keys()
        if same and all(resolution.keys[n][0] == path for n, (path, _) in made.items()):
            return resolution
    return None


def _remember(resolution: _Resolution) -> None:
    _LAST[:] = [r for r in _LAST if r.keys.keys() != resolution.keys.keys()][
        -(RESOLUTIONS_KEPT - 1) :
    ]
    _LAST.append(resolution)


def _changed(
    previous: _Resolution | None, made: Mapping[str, tuple[str, str]], resolver: _Resolver
) -> set[str] | None:
    """The modules whose names or bases read a file changed since ``previous`` (None:
    all of them).

    A module's names read its own file and those it star-imports, includes the
    ``__all__`` of, re-exports from or derives classes from, and theirs in turn.
    That holds when every module's names are worked out alone: not when star imports
    or included ``__all__`` go round in a cycle, or deeper than the resolver follows,
    where what a module's names are depends on which was worked out first.
    """
    if previous is None:
        return None
    changed = {n for n, key in made.items() if not key[1] or previous.keys[n] != key}
    if not changed:
        return changed
    readers: dict[str, list[str]] = defaultdict(list)
    for name, module in resolver.modules.items():
        for other in _reads(resolver, module):
            readers[other].append(name)
    if not _order_free(resolver.modules):
        return None
    queue = list(changed)
    while queue:
        for reader in readers.get(queue.pop(), ()):
            if reader not in changed:
                changed.add(reader)
                queue.append(reader)
    return changed


def _reads(resolver: _Resolver, module: _Module) -> frozenset[str]:
    """The other modules a module's names and bases are read from directly (worked out
    once per module: an unchanged module is the same ``_Module`` in the next resolution,
    of the same modules)."""
    if module.reads is not None:
        return module.reads
    a = module.analysis
    modules = resolver.modules
    chained = {resolver.absolute(module, w) for w, _ in (*a.star_imports, *a.exports_included)}
    module.chained = tuple(name for name in chained if name in modules)
    found = set(module.chained)
    dotted = [s.target for s in module.top.values() if s.kind == "reexport" and s.target]
    dotted += [b for s in a.symbols if s.bases and s.kind == "class" for b in s.bases]
    for written in dotted:
        absolute = resolver.absolute(module, written)
        found.add(absolute)
        found.add(absolute.rpartition(".")[0])
    found.discard(module.name)
    module.reads = frozenset(name for name in found if name in modules)
    return module.reads


def _order_free(modules: Mapping[str, _Module]) -> bool:
    """Whether no chain of star imports or included ``__all__`` goes round or deeper than
    the resolver follows (each link costs it up to two levels); ``_reads`` has been
    asked of every module."""
    depth: dict[str, int] = {}
    for start in modules:
        if start in depth:
            continue
        stack: list[tuple[str, list[str]]] = [(start, list(modules[start].chained))]
        on_path = {start}
        while stack:
            name, rest = stack[-1]
            if rest:
                other = rest.pop()
                if other in on_path:
                    return False
                if other not in depth:
                    stack.append((other, list(modules[other].chained)))
                    on_path.add(other)
                continue
            stack.pop()
            on_path.discard(name)
            depth[name] = 1 + max((depth[o] for o in modules[name].chained), default=0)
            if 2 * depth[name] + 2 > MAX_DEPTH:
                return False
    return True


def _bases(resolver: _Resolver, module: _Module) -> _Bases:
    """Every class's bases in ``module``, resolved to the declarations of the repository
    they name."""
    found: _Bases = {}
    for symbol in module.analysis.symbols:
        if symbol.kind != "class" or not symbol.bases:
            continue
        targets = []
        for written in symbol.bases:
            if written in module.top and module.top[written].kind != "reexport":
                target = Target(module.analysis.path, written, module.name)
            elif "." not in written.lstrip(".") and written in module.top:
                target = resolver.resolve(module.name, written)
            else:
                target = resolver.resolve_dotted(resolver.absolute(module, written), 0)
            if target.is_declaration:
                targets.append(target)
        if targets:
            found[(module.analysis.path, symbol.qualname)] = tuple(targets)
    return found


def _preference(defining: set[str]) -> Callable[[str], tuple[int, int, str]]:
    """Order of the public names of one declaration: the shortest first, then the one of
    the module that defines it (``defining``: the names of its file's module), then by
    name."""

    def rank(qualified: str) -> tuple[int, int, str]:
        module = qualified.rpartition(".")[0]
        return (qualified.count("."), 0 if module in defining else 1, qualified)

    return rank
