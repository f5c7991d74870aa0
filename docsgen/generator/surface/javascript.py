"""The public API of JavaScript and TypeScript packages as users import them.

A file's analysis knows what it exports and re-exports; what ``import ky
from "ky"`` or ``require("express")`` gives is a fact about the package:

- a package's entry points are its ``package.json`` ``exports`` (every
  subpath, every condition, ``*`` patterns), ``main``, ``module`` and
  ``types``/``typings`` (Node's ``index.js`` when none is given); ``.`` is
  the module named as the package, ``./sub`` is ``name/sub``.  An entry that
  names a build output the repository does not hold is followed to its source
  (``dist/index.js`` to ``src/index.ts``);
- an entry point is documented from its TypeScript when it has some (a
  source, else a declaration file, the manifest's ``types`` or the one
  beside a JavaScript entry: what TypeScript users see and TypeDoc
  documents), else from its JavaScript; an ES module's files before CommonJS
  ones (``index.d.ts`` before the ``require`` condition's ``index.d.cts``);
- a module's names are what that file exports: its declarations, its
  re-exports (``export { x as y } from``, ``exports.x = require(…)``)
  resolved through any number of files to the declaration they name, and what
  ``export * from`` brings in (all but ``default``, as in ES).  A specifier
  is resolved as the importing file's language does: ``./x.js`` in
  TypeScript names ``x.ts`` or ``x.d.ts``;
- files no entry point reaches are not public: what they declare is
  documented where an entry point exports it.  Files of no package (no
  ``package.json``, or one naming no entry file) are modules of their own
  exports;
- each declaration is documented in full once, under its *canonical* name:
  an entry point's before another module's, the shortest, a name before
  ``default``;
- members assigned under computed names (``app[method] = …``) cannot be
  listed: the module documenting their object says so, with the line.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from docsgen.generator.analysis.file_analysis import FileAnalysis, Symbol
from docsgen.generator.markdown import code
from docsgen.generator.surface.model import (
    DEFINED,
    REEXPORT,
    STAR,
    PublicModule,
    PublicName,
    Surface,
    Target,
)

MAX_DEPTH = 32  # re-export chains (and star exports) followed at most this deep
_TS_SOURCES = (".ts", ".tsx", ".mts", ".cts")
_TS_DECLARATIONS = (".d.ts", ".d.mts", ".d.cts")
_JS = (".js", ".mjs", ".cjs", ".jsx")
_COMMONJS = (".cts", ".d.cts", ".cjs")
# What ``./x.js`` names, in order, when TypeScript resolves it (a source, its declarations).
_TS_FOR = {
    ".js": (".ts", ".tsx", ".d.ts"),
    ".jsx": (".tsx", ".d.ts"),
    ".mjs": (".mts", ".d.mts"),
    ".cjs": (".cts", ".d.cts"),
}
# Folders build tools write to, whose sources a repository keeps under ``src/``.
_BUILD_FOLDERS = frozenset({"dist", "build", "lib", "out", "distribution", "esm", "cjs", "es"})
_BUILD_SUBFOLDERS = frozenset({"esm", "cjs", "es", "mjs", "umd", "types", "src"})


def _stem(path: str) -> tuple[str, str]:
    """``a/b.d.ts`` -> (``a/b``, ``.d.ts``); ``a/b.js`` -> (``a/b``, ``.js``)."""
    for ext in _TS_DECLARATIONS:
        if path.endswith(ext):
            return path[: -len(ext)], ext
    stem, ext = posixpath.splitext(path)
    return stem, ext


def is_typescript(path: str) -> bool:
    return _stem(path)[1] in _TS_SOURCES + _TS_DECLARATIONS


def _rank(path: str) -> tuple[int, int]:
    """Which file of an entry point documents it: TypeScript sources, declarations, JS;
    of each, an ES module's before a CommonJS one's (``index.d.ts`` before
    ``index.d.cts``), as TypeScript resolves the package for ES module users."""
    ext = _stem(path)[1]
    language = 0 if ext in _TS_SOURCES else 1 if ext in _TS_DECLARATIONS else 2
    return language, 1 if ext in _COMMONJS else 0


def file_module(path: str) -> str:
    """A file's module name as a path: ``src/utils`` for ``src/utils.ts``,
    ``src/index.d.ts`` and ``src/utils/index.js`` alike."""
    stem = _stem(path)[0]
    return stem.removesuffix("/index") if stem != "index" else stem


def candidates(base: str, typescript: bool) -> list[str]:
    """The files a specifier resolving to ``base`` may name, in the order the importing
    file's language tries them."""
    stem, ext = _stem(base)
    ts_first = [stem + alt for alt in _TS_FOR.get(ext, ())] if typescript else []
    found = [*ts_first, base]
    plain_ts = [base + e for e in (*_TS_SOURCES, ".d.ts")]
    plain_js = [base + e for e in _JS]
    index_ts = [f"{base}/index{e}" for e in (*_TS_SOURCES, ".d.ts")]
    index_js = [f"{base}/index{e}" for e in _JS]
    if typescript:
        found += plain_ts + index_ts + plain_js + index_js
    else:
        found += plain_js + index_js + [stem + alt for alt in _TS_FOR.get(ext, ())]
        found += plain_ts + index_ts
    return found


def sources_for(path: str, folder: str) -> list[str]:
    """Where a build output of the package in ``folder`` comes from: the same file in
    TypeScript, then under ``src/`` instead of the build folder (``dist/esm/x.js``
    -> ``src/x.ts``)."""
    relative = path[len(folder) + 1 :] if folder else path
    stem = _stem(relative)[0]
    parts = stem.split("/")
    stems = [stem]
    if len(parts) > 1 and parts[0] in _BUILD_FOLDERS:
        rest = parts[1:]
        stems += ["/".join(["src", *rest]), "/".join(rest)]
        if len(rest) > 1 and rest[0] in _BUILD_SUBFOLDERS:
            stems += ["/".join(["src", *rest[1:]]), "/".join(rest[1:])]
    found = []
    for s in stems:
        joined = posixpath.join(folder, s) if folder else s
        found += [joined + e for e in (*_TS_SOURCES, ".d.ts", *_JS)]
    return found


@dataclass
class _Package:
    name: str
    folder: str  # "" for the repository's root
    manifest: str
    entries: dict[str, list[str]]  # subpath -> its files, in the order the manifest names them


def _leaves(value: Any) -> list[str]:
    """The files an ``exports`` value names, conditions in order (``null`` excludes)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    return []


class _Files:
    """The analysed files, and which of them a name in a manifest or an import means."""

    def __init__(self, analyses: Iterable[FileAnalysis]) -> None:
        self.by_path = {a.path: a for a in analyses}

    def first(self, paths: Iterable[str]) -> str | None:
        return next((p for p in paths if p in self.by_path), None)

    def entry(self, folder: str, written: str) -> str | None:
        """The file a manifest's path names, or its source when the repository has no
        build."""
        path = posixpath.normpath(posixpath.join(folder, written)).removeprefix("./")
        if path.startswith("../"):
            return None
        return self.first(candidates(path, is_typescript(path))) or self.first(
            sources_for(path, folder)
        )

    def pattern(self, folder: str, subpath: str, written: str) -> dict[str, str]:
        """``"./*": "./dist/*.js"``: each subpath the pattern matches -> its file."""
        path = posixpath.normpath(posixpath.join(folder, written)).removeprefix("./")
        found: dict[str, str] = {}
        for variants in ([path], sources_for(path, folder)):
            for variant in variants:
                if variant.count("*") != 1:
                    continue
                head, tail = variant.split("*")
                matcher = re.compile(re.escape(head) + "(.+)" + re.escape(tail) + "$")
                for file in sorted(p for p in self.by_path if p.startswith(head)):
                    m = matcher.match(file)
                    if m is not None:
                        found.setdefault(subpath.replace("*", m[1]), file)
            if found:
                break  # the build's own files, else its sources
        return found


def packages(texts: Mapping[str, str], files: _Files) -> list[_Package]:
    """The named packages whose folders hold analysed files, with their entry points."""
    found = []
    for manifest, text in sorted(texts.items()):
        folder, _, base = manifest.rpartition("/")
        if base != "package.json":
            continue
        prefix = folder + "/" if folder else ""
        if not any(p.startswith(prefix) for p in files.by_path):
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            continue  # without a name it is no package (``{"type": "module"}`` in dist/esm/)
        found.append(_Package(data["name"], folder, manifest, _entries(data, folder, files)))
    return found


def _entries(data: dict[str, Any], folder: str, files: _Files) -> dict[str, list[str]]:
    entries: dict[str, list[str]] = {}

    def add(subpath: str, file: str | None) -> None:
        if file is None:
            return
        # TypeScript reads the declarations beside a JavaScript entry
        # (``non-secure/index.js`` -> ``non-secure/index.d.ts``): what its users see.
        stem, ext = _stem(file)
        beside = files.first(stem + alt for alt in _TS_FOR.get(ext, ()) if alt in _TS_DECLARATIONS)
        for found in (file, beside):
            if found is not None and found not in entries.setdefault(subpath, []):
                entries[subpath].append(found)

    exports = data.get("exports")
    if isinstance(exports, str | list) or (
        isinstance(exports, dict) and not any(str(k).startswith(".") for k in exports)
    ):
        exports = {".": exports}
    if isinstance(exports, dict):
        for subpath, value in exports.items():
            if not isinstance(subpath, str) or not subpath.startswith("."):
                continue
            for written in _leaves(value):
                if "*" in subpath and "*" in written:
                    for sub, file in files.pattern(folder, subpath, written).items():
                        add(sub, file)
                else:
                    add(subpath, files.entry(folder, written))
    for key in ("types", "typings", "module", "main"):
        if isinstance(data.get(key), str):
            add(".", files.entry(folder, data[key]))
    if not entries.get(".") and exports is None:
        add(".", files.entry(folder, "index.js"))  # Node's default
    return {subpath: found for subpath, found in entries.items() if found}


class _Resolver:
    def __init__(self, files: _Files, packages: list[_Package]) -> None:
        self.files = files
        self.packages = packages
        self.module_of: dict[str, str] = {}  # file -> the module name its target shows
        self._top: dict[str, tuple[dict[str, Symbol], dict[str, Symbol]]] = {}
        self._names: dict[str, dict[str, tuple[int, str]]] = {}
        self.reached: dict[str, set[str]] = {}  # file -> the files its star exports reach
        self.notes: dict[str, list[str]] = {}  # file -> what a reader must know
        # Names a file of the repository is asked for but does not export as far as its
        # code can be read: the target shown for them -> (file, name).
        self.unread: dict[str, tuple[str, str]] = {}

    def top(self, path: str) -> tuple[dict[str, Symbol], dict[str, Symbol]]:
        """A file's top-level declarations (public or not) and re-exports, by name."""
        found = self._top.get(path)
        if found is None:
            declared: dict[str, Symbol] = {}
            reexports: dict[str, Symbol] = {}
            for s in self.files.by_path[path].symbols:
                if s.parent is None:
                    (reexports if s.kind == "reexport" else declared).setdefault(s.name, s)
            found = self._top[path] = (declared, reexports)
        return found

    def note(self, path: str, text: str) -> None:
        notes = self.notes.setdefault(path, [])
        if text not in notes:
            notes.append(text)

    # --- which file a specifier names ------------------------------------------------------

    def module_file(self, importer: str, spec: str) -> str | None:
        if spec.startswith("."):
            base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
            return self.files.first(candidates(base, is_typescript(importer)))
        for package in self.packages:
            if spec == package.name or spec.startswith(package.name + "/"):
                subpath = "." + spec[len(package.name) :]
                entry = package.entries.get(subpath)
                if entry:
                    return primary(entry)
                if subpath != ".":
                    base = posixpath.join(package.folder, subpath[2:])
                    return self.files.first(candidates(base, is_typescript(importer)))
        return None

    # --- which names a file exports ------------------------------------------------------

    def names(self, path: str, depth: int = 0) -> dict[str, tuple[int, str]]:
        """name -> (line, how) of everything the file exports, in source order."""
        if path in self._names:
            return self._names[path]
        self._names[path] = {}  # a cycle of star exports adds nothing more
        self.reached[path] = {path}
        declared, reexports = self.top(path)
        found: dict[str, tuple[int, str]] = {}
        for s in (*declared.values(), *reexports.values()):
            if s.public:
                found.setdefault(s.name, (s.line, REEXPORT if s.kind == "reexport" else DEFINED))
        for spec, line in self.files.by_path[path].star_imports:
            origin = self.module_file(path, spec)
            if origin is None or depth > MAX_DEPTH:
                self.note(path, f"{code(f'export * from {spec!r}')} (line {line}): it is not a "
                          "module of this repository, so the names it brings in are not "
                          "listed.")  # fmt: skip
                continue
            for name in self.names(origin, depth + 1):
                if name != "default":
                    found.setdefault(name, (line, STAR))
            self.reached[path] |= self.reached.get(origin, {origin})
        ordered = dict(sorted(found.items(), key=lambda item: item[1][0]))
        self._names[path] = ordered
        return ordered

    # --- what a name refers to -------------------------------------------------------------

    def resolve(self, path: str, name: str, depth: int = 0) -> Target:
        """What the file's export ``name`` is."""
        declared, reexports = self.top(path)
        symbol = declared.get(name)
        if symbol is not None and symbol.public and depth <= MAX_DEPTH:
            return Target(path, symbol.qualname, self.module(path))
        reexport = reexports.get(name)
        if reexport is not None and reexport.target and depth <= MAX_DEPTH:
            return self.follow(path, reexport.target, depth + 1)
        for spec, _ in self.files.by_path[path].star_imports:
            origin = self.module_file(path, spec)
            if origin is not None and name != "default" and name in self.names(origin):
                return self.resolve(origin, name, depth + 1)
        if name == "default":  # CommonJS: what ``require`` gives is the module itself
            return Target(path, None, self.module(path))
        unread = f"{self.module(path)}.{name}"
        self.unread[unread] = (path, name)
        return Target(external=unread)

    def follow(self, path: str, target: str, depth: int) -> Target:
        """A re-export's target: ``<specifier>.<name>`` or a local name."""
        spec, dot, name = target.rpartition(".")
        if not dot:
            symbol = self.top(path)[0].get(name)
            if symbol is not None:
                return Target(path, symbol.qualname, self.module(path))
            return Target(external=name)
        origin = self.module_file(path, spec)
        if origin is None:
            return Target(external=spec if name in ("default", "*") else f"{spec}.{name}")
        if name == "*":
            return Target(origin, None, self.module(origin))
        return self.resolve(origin, name, depth)

    def module(self, path: str) -> str:
        return self.module_of.get(path) or file_module(path)


def primary(paths: Iterable[str]) -> str:
    """The file an entry point is documented from."""
    return min(paths, key=_rank)  # min keeps the manifest's order among equals


@dataclass
class _Module:
    name: str
    paths: list[str]  # its files, the one it is documented from first
    entry: bool  # an entry point of a package


def _modules(files: _Files, found: list[_Package]) -> list[_Module]:
    modules = []
    owned: dict[str, _Package] = {}
    for path in files.by_path:
        owner = max(
            (p for p in found if not p.folder or path.startswith(p.folder + "/")),
            key=lambda p: len(p.folder),
            default=None,
        )
        if owner is not None and owner.entries:
            owned[path] = owner
    for package in found:
        for subpath, paths in sorted(package.entries.items()):
            name = package.name if subpath == "." else f"{package.name}/{subpath[2:]}"
            first = primary(paths)
            modules.append(_Module(name, [first, *(p for p in paths if p != first)], True))
    by_name: dict[str, list[str]] = {}
    for path in sorted(files.by_path):
        if path not in owned:
            by_name.setdefault(file_module(path), []).append(path)
    for name, paths in by_name.items():
        first = primary(paths)
        modules.append(_Module(name, [first, *(p for p in paths if p != first)], False))
    seen: set[str] = set()
    for m in sorted(modules, key=lambda m: (m.paths[0].count("/"), m.paths[0])):
        if m.name in seen:  # two packages of one name (vendored copies): say which is which
            m.name = f"{m.name} ({posixpath.dirname(m.paths[0]) or '.'})"
        seen.add(m.name)
    return sorted(modules, key=lambda m: m.name)


def resolve(analyses: Iterable[FileAnalysis], texts: Mapping[str, str]) -> Surface:
    """The public API of the product's JavaScript and TypeScript files.

    ``texts`` holds the repository's manifests by path (its ``package.json`` files).
    """
    files = _Files(a for a in analyses if a.parse_error is None and a.analysed)
    found = packages(texts, files)
    modules = _modules(files, found)
    resolver = _Resolver(files, found)
    for m in modules:
        resolver.module_of.setdefault(m.paths[0], m.name)
    resolved: dict[str, list[tuple[str, int, str, Target]]] = {}
    candidates_of: dict[tuple[str | None, str | None, str | None], list[str]] = {}
    for m in modules:
        rows = []
        for name, (line, how) in resolver.names(m.paths[0]).items():
            target = resolver.resolve(m.paths[0], name)
            rows.append((name, line, how, target))
            if target.is_declaration:
                candidates_of.setdefault(target.key, []).append(f"{m.name}.{name}")
        resolved[m.name] = rows
    entry_modules = {m.name for m in modules if m.entry}
    canonical = {
        key: min(names, key=_preference(entry_modules, resolver.module(key[0] or "")))
        for key, names in candidates_of.items()
    }
    result = []
    for m in modules:
        names = tuple(
            PublicName(name, f"{m.name}.{name}", line, how, target, canonical.get(target.key, ""))
            for name, line, how, target in resolved[m.name]
        )
        notes = _notes(resolver, m, names)
        language = files.by_path[m.paths[0]].language or "JavaScript"
        result.append(PublicModule(m.name, language, tuple(m.paths), names, notes, m.paths[0]))
    by_declaration = {(k[0], k[1]): v for k, v in canonical.items() if k[0] and k[1]}
    return Surface(tuple(result), by_declaration)


def _preference(
    entry_modules: set[str], defining: str
) -> Callable[[str], tuple[int, int, int, int, int, str]]:
    """Order of the public names of one declaration: an entry point's, the shortest
    module, the module that declares it, a name before ``default``, then by name."""

    def rank(qualified: str) -> tuple[int, int, int, int, int, str]:
        module, _, name = qualified.rpartition(".")
        return (0 if module in entry_modules else 1, module.count("/"),
                0 if module == defining else 1, 1 if name == "default" else 0,
                len(qualified), qualified)  # fmt: skip

    return rank


def _notes(resolver: _Resolver, module: _Module, names: tuple[PublicName, ...]) -> tuple[str, ...]:
    """What a reader of the module must know: star exports not followed, and members
    whose names are computed when the code runs."""
    notes: list[str] = []
    reached = sorted(resolver.reached.get(module.paths[0], {module.paths[0]}))
    for path in reached:
        notes += resolver.notes.get(path, [])
    for path in reached:
        for obj, line, text in resolver.files.by_path[path].dynamic_members:
            if obj == "":
                notes.append(f"{code(module.name)} gets names computed when the code runs "
                             f"({code(text)}, {code(path)} line {line}): they cannot be "
                             "listed.")  # fmt: skip
    for n in names:
        target = n.target
        if target.external in resolver.unread:
            path, name = resolver.unread[target.external or ""]
            notes.append(f"{code(n.qualified)} is {code(name)} of {code(path)}, which does "
                         "not export it in a way that can be read.")  # fmt: skip
        if not n.is_canonical and target.qualname is not None:
            continue
        analysis = resolver.files.by_path.get(target.path or "")
        for obj, line, text in analysis.dynamic_members if analysis else ():
            if obj == (target.qualname or "") and (obj or target.path not in reached):
                what = "members" if obj else "names"
                notes.append(f"{code(n.qualified)} gets {what} computed when the code runs "
                             f"({code(text)}, {code(target.path or '')} line {line}): they "
                             "cannot be listed.")  # fmt: skip
    return tuple(dict.fromkeys(notes))
