"""The public API of Rust crates as users import it: ``serde_json::from_str``.

A file's analysis (``analysis.declarations.rust``) knows its items, its
``mod`` declarations, its ``use`` paths and its ``impl`` blocks; what
``serde_json::de::from_str`` names is a fact about the whole crate.  This
follows the compiler's rules, as rustdoc documents them:

- a crate is a library target of a ``Cargo.toml`` (``[lib] path``, else
  ``src/lib.rs``; ``[lib] name``, else the package's name with ``-`` as ``_``);
  binaries are not a library's API;
- its modules are found from the root through ``mod x;`` (``x.rs``,
  ``x/mod.rs``, or ``#[path]``) and inline ``mod x { }``; a module is public
  when ``pub mod`` reaches it from the root, and a private module's items are
  public only through a ``pub use``;
- a ``pub use`` (renamed with ``as``, or a glob) is resolved, through any
  number of modules, to the item it names; ``crate``, ``self`` and ``super``
  as the compiler reads them, and a path starting with another name goes
  through the module's own names, else outside the repository;
- ``#[macro_export]`` macros are at the crate root, wherever declared;
- ``pub(crate)``, ``pub(super)``, ``pub(in ...)``, ``#[doc(hidden)]`` and
  ``#[cfg(test)]`` items are not public; items of every other ``#[cfg]`` are
  (the crate's features are documented together, as docs.rs does);
- each item is documented in full once, under its shortest public name
  (``serde_json::Map``, not ``serde_json::map::Map``); the methods of its
  inherent ``impl`` blocks in other files are its members, and the traits of
  its ``impl Trait for`` blocks and derives are listed as implemented.
"""

from __future__ import annotations

import posixpath
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

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

SEPARATOR = "::"
MAX_DEPTH = 32  # re-export chains followed at most this deep
_MOD_RS = frozenset({"mod.rs", "lib.rs", "main.rs"})


@dataclass(frozen=True)
class Crate:
    name: str  # as paths write it: ``serde_json``
    root: str  # the library's root file
    edition: str = "2015"  # Cargo's default when the manifest names none


def crates(paths: Iterable[str], texts: Mapping[str, str]) -> list[Crate]:
    """The library crates among ``paths``: from each ``Cargo.toml``; a ``src/lib.rs`` with
    no manifest beside its folder is a crate named after that folder."""
    present = set(paths)
    found: list[Crate] = []
    manifests = set()
    for manifest, text in sorted(texts.items()):
        folder, _, file_name = manifest.rpartition("/")
        if file_name != "Cargo.toml":
            continue
        manifests.add(folder)
        try:
            data = tomllib.loads(text)
        except (ValueError, RecursionError):
            continue
        package, lib = data.get("package"), data.get("lib", {})
        if not isinstance(package, dict) or not isinstance(lib, dict):
            continue
        name, root = lib.get("name", package.get("name")), lib.get("path", "src/lib.rs")
        if not isinstance(name, str) or not isinstance(root, str):
            continue
        root = posixpath.normpath(posixpath.join(folder, root)).removeprefix("./")
        edition = package.get("edition", "2015")
        if root in present:
            found.append(Crate(name.replace("-", "_"), root, str(edition)))
    for path in sorted(present):
        if path != "src/lib.rs" and not path.endswith("/src/lib.rs"):
            continue
        folder = path.removesuffix("src/lib.rs").rstrip("/")
        if folder not in manifests:
            name = (posixpath.basename(folder) or "crate").replace("-", "_")
            found.append(Crate(name, path, "2021"))
    return found


@dataclass(eq=False)
class _Module:
    crate: Crate
    internal: tuple[str, ...]  # the path from the crate root, as declared by ``mod``
    analysis: FileAnalysis
    scope: str | None  # the inline module's qualname in the file; None for the file itself
    parent: _Module | None
    mod_rs: bool  # its file's ``mod x;`` are beside it (``lib.rs``, ``mod.rs``, ``#[path]``)
    symbols: list[Symbol] = field(default_factory=list)  # its own, in order
    names: dict[str, Symbol] = field(default_factory=dict)  # items, modules and uses by name
    globs: list[Symbol] = field(default_factory=list)
    children: dict[str, _Module] = field(default_factory=dict)
    public_name: str | None = None  # set when users can name it

    @property
    def name(self) -> str:
        return self.public_name or SEPARATOR.join((self.crate.name, *self.internal))

    @property
    def root(self) -> _Module:
        module = self
        while module.parent is not None:
            module = module.parent
        return module

    def target(self, symbol: Symbol) -> Target:
        return Target(self.analysis.path, symbol.qualname, self.name)


Entity = _Module | Target
_Key = tuple[str, str]
_Row = tuple[str, int, str, Entity]  # name, line, how, what it is


def _put(names: dict[str, Symbol], symbol: Symbol) -> None:
    """One name per module: the first, unless a later one (another ``#[cfg]``) is public."""
    known = names.get(symbol.name)
    if known is None or (symbol.public and not known.public):
        names[symbol.name] = symbol


class _Crate:
    """A crate's module tree, and the names resolved in it."""

    def __init__(self, crate: Crate, files: Mapping[str, FileAnalysis]) -> None:
        self.crate = crate
        self.files = files
        self.notes: dict[int, list[str]] = {}  # by id of the module
        self.modules: list[_Module] = []
        self.by_scope: dict[tuple[str, str | None], _Module] = {}
        self.macros: list[tuple[_Module, Symbol]] = []
        self._resolved: dict[tuple[int, str], Entity | None] = {}
        self._listed: dict[int, list[_Row]] = {}
        self._active: set[tuple[int, str]] = set()
        self._listing: set[int] = set()
        self._cuts = 0  # answers cut short by a cycle so far: those are not kept
        self.others: Mapping[str, _Crate] = {}  # the repository's crates by name
        self.root = self._tree()

    # --- the module tree ------------------------------------------------------------------

    def _tree(self) -> _Module:
        scopes: dict[tuple[str, str | None], list[Symbol]] = {}
        root = _Module(self.crate, (), self.files[self.crate.root], None, None, True)
        self.by_scope[(root.analysis.path, None)] = root
        queue = [root]
        while queue:
            module = queue.pop(0)
            self.modules.append(module)
            path = module.analysis.path
            if (path, None) not in scopes:
                scopes[(path, None)] = []
                for s in module.analysis.symbols:
                    scopes.setdefault((path, s.parent), []).append(s)
            module.symbols = scopes.get((path, module.scope), [])
            for s in module.symbols:
                if s.kind == "reexport" and s.name == "*":
                    module.globs.append(s)
                elif s.kind == "macro":
                    self.macros.append((module, s))
                elif s.kind != "impl":
                    _put(module.names, s)
            for s in module.symbols:
                if s.kind != "module" or module.names.get(s.name) is not s:
                    continue
                child = self._child(module, s)
                if child is None:
                    continue
                known = self.by_scope.setdefault((child.analysis.path, child.scope), child)
                module.children[s.name] = known
                if known is child:
                    queue.append(child)
        return root

    def _child(self, module: _Module, s: Symbol) -> _Module | None:
        internal = (*module.internal, s.name)
        path = module.analysis.path
        if s.target is None:  # inline: ``mod x { ... }``
            return _Module(self.crate, internal, module.analysis, s.qualname, module, module.mod_rs)
        folder = posixpath.dirname(path)
        if not module.mod_rs:
            folder = posixpath.join(folder, posixpath.basename(path).removesuffix(".rs"))
        inline = module.scope.split(".") if module.scope else []
        if s.target:  # ``#[path = "..."]``
            base = posixpath.join(folder, *inline) if inline else posixpath.dirname(path)
            candidates = [posixpath.normpath(posixpath.join(base, s.target))]
        else:
            base = posixpath.join(folder, *inline)
            candidates = [
                posixpath.join(base, f"{s.name}.rs"),
                posixpath.join(base, s.name, "mod.rs"),
            ]
        for candidate in candidates:
            found = self.files.get(candidate.removeprefix("./"))
            if found is not None:
                mod_rs = bool(s.target) or posixpath.basename(candidate) in _MOD_RS
                return _Module(self.crate, internal, found, None, module, mod_rs)
        if s.public:
            where = " or ".join(code(c) for c in candidates)
            self.note(module, f"{code('pub mod ' + s.name)} (line {s.line}): its file "
                      f"({where}) is not among the crate's analysed files, so its items are "
                      "not listed.")  # fmt: skip
        return None

    def note(self, module: _Module, text: str) -> None:
        notes = self.notes.setdefault(id(module), [])
        if text not in notes:
            notes.append(text)

    # --- what a path names ----------------------------------------------------------------

    def resolve(self, module: _Module, path: str, depth: int = 0) -> Entity | None:
        """What ``path`` (as written in ``module``) names: a module, an item, or a name
        outside the repository; None when nothing in the crate answers to it."""
        key = (id(module), path)
        if key in self._resolved:
            return self._resolved[key]
        if key in self._active or depth > MAX_DEPTH:
            self._cuts += 1
            return None
        cuts = self._cuts
        self._active.add(key)
        try:
            found = self._resolve(module, path, depth)
        finally:
            self._active.discard(key)
        if found is not None or cuts == self._cuts:  # not an answer cut short by a cycle
            self._resolved[key] = found
        return found

    def resolve_use(self, module: _Module, path: str, depth: int = 0) -> Entity | None:
        """What the path of a ``use`` names: in Rust 2015 it starts at the crate root
        unless it says ``self`` or ``super``."""
        first = path.partition(SEPARATOR)[0]
        if self.crate.edition == "2015" and first not in ("self", "super", "crate", ""):
            return self.resolve(module.root, path, depth)
        return self.resolve(module, path, depth)

    def _resolve(self, module: _Module, path: str, depth: int) -> Entity | None:
        segments = path.split(SEPARATOR)
        if segments[0] == "":  # ``::name``: a crate
            segments = segments[1:]
            other = self.others.get(segments[0])
            if other is None:
                return Target(external=SEPARATOR.join(segments))
            return other.resolve(other.root, SEPARATOR.join(["crate", *segments[1:]]), depth)
        first, rest = segments[0], segments[1:]
        current: Entity | None
        if first in ("crate", "$crate"):
            current = module.root
        elif first in ("self", "super"):
            current = module if first == "self" else module.parent
        else:
            current = self.lookup(module, first, depth + 1)
            if current is None:
                other = self.others.get(first)
                if other is None or other is self:
                    return Target(external=path)
                return other.resolve(other.root, SEPARATOR.join(["crate", *rest]), depth)
        for i, segment in enumerate(rest):
            if isinstance(current, _Module):
                current = (
                    current.parent
                    if segment == "super"
                    else self.lookup(current, segment, depth + 1)
                )
            elif current is not None and current.external is not None:
                return Target(external=SEPARATOR.join((current.external, *rest[i:])))
            elif current is not None and current.path is not None:
                qualname = f"{current.qualname}.{segment}"  # an enum's variant, a trait's item
                analysis = self.files.get(current.path)
                if analysis is None or not any(s.qualname == qualname for s in analysis.symbols):
                    return None
                current = Target(current.path, qualname, current.module)
            if current is None:
                return None
        return current

    def lookup(self, module: _Module, name: str, depth: int) -> Entity | None:
        """What ``module`` has under ``name``: its own item or module, what a ``use``
        imports, or what a glob brings in.  Private names count: the code compiles, so a
        path written in the crate names only what it may."""
        if depth > MAX_DEPTH:
            return None
        s = module.names.get(name)
        if s is not None:
            if s.kind == "module":
                return module.children.get(name)
            if s.kind == "reexport":
                return self.resolve_use(module, s.target or "", depth + 1)
            return module.target(s)
        for glob in module.globs:
            origin = self.resolve_use(module, glob.target or "", depth + 1)
            if isinstance(origin, _Module) and origin is not module:
                found = self.lookup(origin, name, depth + 1)
                if found is not None:
                    return found
        return module if name == "self" else None

    # --- what a module shows --------------------------------------------------------------

    def listing(self, module: _Module, depth: int = 0) -> list[_Row]:
        """Every public name of the module, in order: its own items, its ``pub use``s, its
        public submodules, then what its public globs bring in."""
        key = id(module)
        if key in self._listed:
            return self._listed[key]
        if key in self._listing or depth > MAX_DEPTH:
            self._cuts += 1
            return []  # a cycle of globs: what the module has comes in where the cycle began
        cuts = self._cuts
        self._listing.add(key)
        try:
            listed = self._list(module, depth)
        finally:
            self._listing.discard(key)
        if depth == 0 or cuts == self._cuts:
            self._listed[key] = listed
        return listed

    def _list(self, module: _Module, depth: int) -> list[_Row]:
        rows: dict[str, _Row] = {}
        for s in module.symbols:
            if not s.public or s.kind in ("impl", "macro") or module.names.get(s.name) is not s:
                continue
            if s.kind == "module":
                child = module.children.get(s.name)
                if child is not None:
                    rows[s.name] = (s.name, s.line, SUBMODULE, child)
            elif s.kind == "reexport":
                found = self.resolve_use(module, s.target or "")
                if found is None:
                    found = Target()
                    self.note(module, f"{code('pub use ' + (s.target or ''))} (line {s.line}) "
                              "names nothing found in the crate's analysed files (a file left "
                              "out, or a name a macro makes).")  # fmt: skip
                how = SUBMODULE if isinstance(found, _Module) else REEXPORT
                rows[s.name] = (s.name, s.line, how, found)
            else:
                rows[s.name] = (s.name, s.line, DEFINED, module.target(s))
        if module is self.root:
            for where, s in self.macros:
                rows.setdefault(s.name, (s.name, s.line, DEFINED, where.target(s)))
        for glob in module.globs:
            if not glob.public:
                continue
            origin = self.resolve_use(module, glob.target or "")
            if isinstance(origin, _Module):
                for name, _, _, found in self.listing(origin, depth + 1):
                    rows.setdefault(name, (name, glob.line, STAR, found))
            else:
                self.note(module, f"{code('pub use ' + (glob.target or '') + '::*')} (line "
                          f"{glob.line}): what it brings in is outside this repository, or "
                          "not a module, so its names are not listed.")  # fmt: skip
        return list(rows.values())

    def pages(self) -> list[_Module]:
        """The modules users can name, each under the first public path that reaches it."""
        self.root.public_name = self.crate.name
        pages = [self.root]
        for module in pages:
            for name, _, _, found in self.listing(module):
                if (
                    isinstance(found, _Module)
                    and found.public_name is None
                    and found.crate == self.crate
                ):
                    found.public_name = f"{module.public_name}{SEPARATOR}{name}"
                    pages.append(found)
        return pages

    def module_of(self, path: str, scope: str | None) -> _Module | None:
        return self.by_scope.get((path, scope))

    def attachments(
        self, documented: Mapping[_Key, str]
    ) -> tuple[dict[_Key, list[Target]], dict[_Key, list[str]]]:
        """Each type's ``impl`` blocks declared apart from it, and the traits it implements
        (those of the crate that users cannot name, like a sealed trait, left out)."""
        members: dict[_Key, list[Target]] = {}
        implements: dict[_Key, list[str]] = {}
        for module in self.modules:
            for s in module.symbols:
                if s.kind == "impl" and s.target:
                    key = _key(self.resolve(module, s.target))
                    if key is not None:
                        members.setdefault(key, []).append(module.target(s))
            for scope, type_path, trait, _ in module.analysis.impls:
                if (scope or None) != module.scope:
                    continue
                key = _key(self.resolve(module, type_path))
                if key is None:
                    continue
                trait_key = _key(self.resolve(module, trait.partition("<")[0]))
                if trait_key is not None and trait_key not in documented:
                    continue
                traits = implements.setdefault(key, [])
                if trait not in traits:
                    traits.append(trait)
        return members, implements


def _key(found: Entity | None) -> _Key | None:
    """The (path, qualname) of a declaration of the repository."""
    if isinstance(found, Target) and found.path is not None and found.qualname is not None:
        return (found.path, found.qualname)
    return None


def resolve(analyses: Iterable[FileAnalysis], texts: Mapping[str, str]) -> Surface:
    """The public API of the library crates among the product's Rust files.

    ``texts`` holds the manifests (``Cargo.toml``) by path.  A crate's ``pub use`` of
    another crate of the repository is resolved into it.
    """
    files = {a.path: a for a in analyses if a.analysed and a.parse_error is None}
    built = [_Crate(crate, files) for crate in crates(files, texts)]
    by_name = {c.crate.name: c for c in built}
    for crate in built:
        crate.others = by_name
    named = [(crate, module) for crate in built for module in crate.pages()]
    pages = [(crate, module, crate.listing(module)) for crate, module in named]
    candidates: dict[_Key, list[str]] = {}
    for _, module, rows in pages:
        for name, _, _, found in rows:
            key = _key(found)
            if key is not None:
                candidates.setdefault(key, []).append(f"{module.name}{SEPARATOR}{name}")
    modules = [m for c in built for m in c.modules]
    canonical = {
        key: min(names, key=_preference(key, modules)) for key, names in candidates.items()
    }
    members: dict[_Key, list[Target]] = {}
    implements: dict[_Key, list[str]] = {}
    for crate in built:
        found_members, found_traits = crate.attachments(canonical)
        for key, targets in found_members.items():
            members.setdefault(key, []).extend(targets)
        for key, traits in found_traits.items():
            known = implements.setdefault(key, [])
            known.extend(t for t in traits if t not in known)
    public = []
    for crate, module, rows in pages:
        entries = []
        for name, line, how, found in rows:
            target = (
                Target(found.analysis.path, None, found.name)
                if isinstance(found, _Module)
                else found
            )
            key = (target.path or "", target.qualname or "")
            entries.append(
                PublicName(
                    name, f"{module.name}{SEPARATOR}{name}", line, how, target,
                    canonical.get(key, ""), tuple(members.get(key, ())),
                    tuple(implements.get(key, ())),
                )
            )  # fmt: skip
        path = module.analysis.path
        notes = tuple(crate.notes.get(id(module), ()))
        doc_path = path if module.scope is None else None
        public.append(PublicModule(module.name, "Rust", (path,), tuple(entries), notes, doc_path))
    return Surface(tuple(public), canonical, SEPARATOR)


def _preference(key: _Key, modules: Iterable[_Module]) -> Callable[[str], tuple[int, int, str]]:
    """Order of the public names of one item: the shortest first, then the one of the
    module that declares it, then by name."""
    declaring = {m.name for m in modules if m.analysis.path == key[0]}

    def rank(qualified: str) -> tuple[int, int, str]:
        module = qualified.rpartition(SEPARATOR)[0]
        return (qualified.count(SEPARATOR), 0 if module in declaring else 1, qualified)

    return rank
