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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
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


def resolve(analyses: Iterable[FileAnalysis], module_of: Mapping[str, str]) -> Surface:
    """The public API of the product's Python modules.

    ``analyses`` are the product's Python files; ``module_of`` gives each file's
    importable module name (``docsgen.generator.modules``).
    """
    modules: dict[str, _Module] = {}
    for a in analyses:
        if a.parse_error is not None or not a.analysed:
            continue
        name = module_of.get(a.path)
        if not name:
            continue
        if name in modules and not a.path.endswith(".py"):
            continue  # a stub (.pyi) beside its module: the module wins
        top = {s.name: s for s in a.symbols if s.parent is None}
        is_package = a.path.rpartition("/")[2] in ("__init__.py", "__init__.pyi")
        modules[name] = _Module(name, a, is_package, top)
    resolver = _Resolver(modules)
    public = sorted(
        n for n in modules if is_public_module(n) and n.rpartition(".")[2] != "__main__"
    )
    resolved: dict[str, list[tuple[str, str, int, str, Target, _Key]]] = {}
    candidates: dict[_Key, list[str]] = {}
    for name in public:
        rows = []
        for public_name, line, how in resolver.names(name):
            target = resolver.resolve(name, public_name)
            qualified, key = f"{name}.{public_name}", target.key
            rows.append((public_name, qualified, line, how, target, key))
            if target.external is None and target.qualname is not None:
                candidates.setdefault(key, []).append(qualified)
        resolved[name] = rows
    names_at: dict[str, set[str]] = defaultdict(set)  # the module names of each file
    for module in modules.values():
        names_at[module.analysis.path].add(module.name)
    canonical = {
        key: names[0] if len(names) == 1 else
        min(names, key=_preference(names_at.get(key[0] or "", set())))
        for key, names in candidates.items()
    }  # fmt: skip
    result = []
    for name in public:
        entries = tuple(
            PublicName(public_name, qualified, line, how, target, canonical.get(key, ""))
            for public_name, qualified, line, how, target, key in resolved[name]
        )
        module = modules[name]
        notes = tuple(resolver.notes.get(name, ()))
        path = module.analysis.path
        result.append(PublicModule(name, "Python", (path,), entries, notes, path))
    by_declaration = {
        (key[0], key[1]): name for key, name in canonical.items() if key[0] and key[1]
    }
    return Surface(tuple(result), by_declaration, ".", _bases(resolver))


def _bases(resolver: _Resolver) -> dict[tuple[str, str], tuple[Target, ...]]:
    """Every class's bases resolved to the declarations of the repository they name."""
    found: dict[tuple[str, str], tuple[Target, ...]] = {}
    for module in resolver.modules.values():
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
