"""The repository's internal module dependency graph: imports resolved to its own files.

A node is a module: a file for Python, JavaScript/TypeScript, Rust and Java, a
package folder for Go.  An edge is an import statement of one module that
resolves to another module of the same repository; imports of anything else
(the standard library, third-party packages) are not edges.  Resolution is
static and per language:

- Python: absolute imports against the package tree (folders with
  ``__init__.py``), relative imports against the importing file's folder.
- JavaScript/TypeScript: relative specifiers with the usual extensions and
  ``index`` files, and workspace packages named in a ``package.json``.
- Go: import paths under a ``go.mod`` module path, to the package folder.
- Rust: ``crate::``, ``self::``, ``super::``, workspace crate names and
  ``mod x;`` declarations (``#[path]`` too), to ``x.rs`` or ``x/mod.rs`` under
  the crate's ``src``.  A ``use`` path names a module, then an item and its
  members (``crate::StdError``, ``self::State::*``): it resolves to the file
  declaring its deepest module, a file's or an inline ``mod x { }`` (the crate
  root at least), read from the inline module the ``use`` is in.  It is broken
  only when a segment that must be a module is none: lowercase (as Rust's
  modules are), followed by more segments, and neither a module nor a name its
  module binds by ``mod`` or ``use`` (``crate::nonexistent::X``).  A ``use`` the
  analysis does not place (in a function, in a ``#[cfg(test)] mod tests``) is
  read as in a module inside its file (``super::*`` is the file's module), else
  as in the file's module.
- Java: class imports to ``a/b/C.java`` (and ``a.b.*`` to that folder's files).
"""

from __future__ import annotations

import json
import posixpath
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from docsgen.generator.analysis.file_analysis import FileAnalysis, Import
from docsgen.generator.manifests.go_mod import go_modules
from docsgen.generator.model import RepositoryModel

GUARDS = frozenset({"typing", "main", "local"})  # Python imports that are no module's structure
GRAPH_LANGUAGES = frozenset({"Python", "JavaScript", "TypeScript", "Go", "Rust", "Java"})
_JS_EXTENSIONS = (".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")
_JS_SOURCE_FOR = {".js": (".ts", ".tsx"), ".mjs": (".mts",), ".cjs": (".cts",), ".jsx": (".tsx",)}


@dataclass(frozen=True)
class Edge:
    """One import statement of ``source`` that resolves to ``target``."""

    source: str
    target: str
    path: str  # the importing file
    line: int
    token: str  # the module as written on ``line``, for the citation
    # Python: where an import sits when it is no module-level run-time import:
    # "typing" (``if TYPE_CHECKING:``: no run-time dependency), "main" (``if __name__ ==
    # "__main__":``: only when run as a script), "local" (in a function: when it runs).
    guard: str = ""

    @property
    def typing_only(self) -> bool:
        return self.guard == "typing"


@dataclass
class ModuleGraph:
    nodes: dict[str, str] = field(default_factory=dict)  # node -> language
    edges: list[Edge] = field(default_factory=list)
    # Relative imports that name no file of the repository (broken, or generated code).
    unresolved: list[Edge] = field(default_factory=list)

    def importers(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for e in self.edges:
            found[e.target].add(e.source)
        return found


def node_of(analysis: FileAnalysis) -> str:
    """The module a file belongs to: the file itself, or its folder for Go."""
    if analysis.language == "Go":
        parent = posixpath.dirname(analysis.path)
        return parent or "."
    return analysis.path


def build_graph(model: RepositoryModel) -> ModuleGraph:
    analyses = {
        p: a
        for p, a in sorted(model.analyses.items())
        if a.language in GRAPH_LANGUAGES and not p.endswith((".d.ts",))
    }
    paths = {f.path for f in model.files if f.folder_kind is None and f.skipped is None}
    unanalysed = {posixpath.splitext(f.path)[0] for f in model.files if f.folder_kind}
    resolver = _Resolver(model, paths)
    graph = ModuleGraph()
    for analysis in analyses.values():
        graph.nodes[node_of(analysis)] = analysis.language or ""
    seen: set[tuple[str, str, str, int]] = set()
    for path, analysis in analyses.items():
        source = node_of(analysis)
        for imp in analysis.imports:
            targets, relative = resolver.resolve(analysis, imp)
            token = _token(analysis, imp)
            if not targets and relative and not _names_unanalysed(analysis, imp, unanalysed):
                graph.unresolved.append(Edge(source, "", path, imp.line, token))
            for target_path in sorted(targets):
                target_analysis = analyses.get(target_path)
                if target_analysis is None:
                    continue
                target = node_of(target_analysis)
                key = (source, target, path, imp.line)
                if target != source and key not in seen:
                    seen.add(key)
                    guard = imp.kind if imp.kind in GUARDS else ""
                    graph.edges.append(Edge(source, target, path, imp.line, token, guard))
    graph.edges.sort(key=lambda e: (e.source, e.target, e.path, e.line))
    return graph


def _names_unanalysed(analysis: FileAnalysis, imp: Import, unanalysed: set[str]) -> bool:
    """A JavaScript import of a file in a vendored or generated folder (chalk's
    ``./vendor/ansi-styles/index.js``): the repository has it, listed but not analysed
    (``unanalysed``: those files' paths without their extensions)."""
    if analysis.language not in ("JavaScript", "TypeScript") or not unanalysed:
        return False
    base = posixpath.normpath(posixpath.join(posixpath.dirname(analysis.path), imp.module))
    stem = posixpath.splitext(base)[0]
    return bool({stem, f"{stem}.d", base, f"{base}/index", f"{base}/index.d"} & unanalysed)


def _names_extern_crate(analysis: FileAnalysis, imp: Import) -> bool:
    """``use self::serde::Serialize`` after ``extern crate serde;`` in the file: the
    crate's path through the module that binds it, not a module of the repository."""
    segments = imp.module.split("::")
    while segments and segments[0] in ("self", "super"):
        segments = segments[1:]
    if not segments or len(segments) == len(imp.module.split("::")):
        return False
    return any(i.kind == "extern" and i.module == segments[0] for i in analysis.imports)


def _token(analysis: FileAnalysis, imp: Import) -> str:
    if analysis.language == "Python" and imp.level:
        return "." * imp.level + imp.module
    return imp.module


class _Resolver:
    def __init__(self, model: RepositoryModel, paths: set[str]) -> None:
        self.paths = paths
        self.python = _python_modules(paths)
        self.js_packages = _js_packages(model)
        self.go_modules = go_modules(model.texts)
        self.go_dirs = {posixpath.dirname(p) or "." for p in paths if p.endswith(".go")}
        self.go_files: dict[str, list[str]] = defaultdict(list)
        for p in sorted(paths):
            if p.endswith(".go"):
                self.go_files[posixpath.dirname(p) or "."].append(p)
        self.rust = _RustCrates(model, paths)
        self.java_by_name: dict[str, list[str]] = defaultdict(list)
        for p in sorted(paths):
            if p.endswith(".java"):
                self.java_by_name[posixpath.basename(p)].append(p)

    def resolve(self, analysis: FileAnalysis, imp: Import) -> tuple[set[str], bool]:
        """Files ``imp`` names, and whether it was a relative import (must resolve)."""
        language = analysis.language
        if language == "Python":
            return self._python(analysis.path, imp), imp.level > 0
        if language in ("JavaScript", "TypeScript"):
            relative = imp.module.startswith(".")
            return self._js(analysis.path, imp.module), relative
        if language == "Go":
            return self._go(imp.module), False
        if language == "Rust":
            if _names_extern_crate(analysis, imp):
                return set(), False
            found = self.rust.resolve(analysis.path, imp)
            relative = imp.kind == "mod" or imp.module.split("::")[0] in ("crate", "self", "super")
            return found, relative and self.rust.crate_of(analysis.path) is not None
        if language == "Java":
            return self._java(imp), False
        return set(), False

    # -- Python ------------------------------------------------------------------

    def _python(self, path: str, imp: Import) -> set[str]:
        if imp.level:
            base = posixpath.dirname(path)
            for _ in range(imp.level - 1):
                base = posixpath.dirname(base)
            parts = [p for p in imp.module.split(".") if p]
            target_dir = posixpath.join(base, *parts) if parts else base
            found: set[str] = set()
            for name in imp.names:
                sub = _python_file(self.paths, posixpath.join(target_dir, name))
                if sub:
                    found.add(sub)
            if not found or len(found) < len(imp.names):
                module = _python_file(self.paths, target_dir) if parts else None
                if module is None and not parts:
                    module = _python_file(self.paths, posixpath.join(base, "__init__"))
                if module:
                    found.add(module)
            return found
        found = set()
        if imp.names:
            for name in imp.names:
                hit = self.python.get(f"{imp.module}.{name}")
                if hit:
                    found.add(hit)
            if len(found) == len(imp.names):
                return found
        parts = imp.module.split(".")
        for i in range(len(parts), 0, -1):
            hit = self.python.get(".".join(parts[:i]))
            if hit:
                found.add(hit)
                break
        return found

    # -- JavaScript / TypeScript -------------------------------------------------------

    def _js(self, path: str, spec: str) -> set[str]:
        if spec.startswith("."):
            base = posixpath.normpath(posixpath.join(posixpath.dirname(path), spec))
            hit = self._js_file(base)
            return {hit} if hit else set()
        for name, folder, main in self.js_packages:
            if spec == name or spec.startswith(name + "/"):
                rest = spec[len(name) + 1 :]
                if rest:
                    hit = self._js_file(posixpath.join(folder, rest)) or self._js_file(
                        posixpath.join(folder, "src", rest)
                    )
                else:
                    hit = (
                        (
                            self._js_file(posixpath.normpath(posixpath.join(folder, main)))
                            if main
                            else None
                        )
                        or self._js_file(posixpath.join(folder, "src", "index"))
                        or self._js_file(posixpath.join(folder, "index"))
                    )
                return {hit} if hit else set()
        return set()

    def _js_file(self, base: str) -> str | None:
        base = base.removeprefix("./")
        if base in self.paths and (
            base.endswith(_JS_EXTENSIONS) or "." in posixpath.basename(base)
        ):
            return base  # a module, or another file (``require("./data.json")``): not broken
        stem, ext = posixpath.splitext(base)
        for alt in _JS_SOURCE_FOR.get(ext, ()):
            if stem + alt in self.paths:
                return stem + alt
        for ext in _JS_EXTENSIONS:
            if base + ext in self.paths:
                return base + ext
        for ext in _JS_EXTENSIONS:
            candidate = posixpath.join(base, "index" + ext)
            if candidate in self.paths:
                return candidate
        return None

    # -- Go ------------------------------------------------------------------------

    def _go(self, import_path: str) -> set[str]:
        for module, folder in self.go_modules:
            if import_path == module or import_path.startswith(module + "/"):
                rest = import_path[len(module) + 1 :]
                target = posixpath.normpath(posixpath.join(folder, rest)) if rest else folder
                files = [f for f in self.go_files.get(target, []) if not f.endswith("_test.go")]
                return set(files[:1])
        return set()

    # -- Java ------------------------------------------------------------------------

    def _java(self, imp: Import) -> set[str]:
        parts = imp.module.split(".")
        if imp.names == ("*",):
            folder = "/".join(parts)
            return {
                p
                for files in self.java_by_name.values()
                for p in files
                if posixpath.dirname(p) == folder or posixpath.dirname(p).endswith("/" + folder)
            }
        for end in range(len(parts), max(len(parts) - 3, 0), -1):
            suffix = "/".join(parts[:end]) + ".java"
            hits = [
                p
                for p in self.java_by_name.get(parts[end - 1] + ".java", [])
                if p == suffix or p.endswith("/" + suffix)
            ]
            if hits:
                return {sorted(hits)[0]}
        return set()


def _python_file(paths: set[str], base: str) -> str | None:
    for candidate in (base + ".py", posixpath.join(base, "__init__.py"), base + ".pyi"):
        if candidate in paths:
            return candidate
    return None


def _python_modules(paths: set[str]) -> dict[str, str]:
    """Dotted module names -> files, rooted at the first folder that is not a package."""
    packages = {posixpath.dirname(p) for p in paths if posixpath.basename(p) == "__init__.py"}
    roots_ok = {"", "src", "lib", "python"}
    manifest_dirs = {
        posixpath.dirname(p)
        for p in paths
        if posixpath.basename(p) in ("pyproject.toml", "setup.py", "setup.cfg")
    }
    modules: dict[str, str] = {}
    for p in sorted(paths, key=lambda x: (x.endswith(".pyi"), x)):
        if not p.endswith((".py", ".pyi")):
            continue
        folder = posixpath.dirname(p)
        stem = posixpath.splitext(posixpath.basename(p))[0]  # p ends in .py or .pyi
        parts = [] if stem == "__init__" else [stem]
        while folder in packages and folder:
            parts.insert(0, posixpath.basename(folder))
            folder = posixpath.dirname(folder)
        if not parts:
            continue
        in_package = len(parts) > 1 or stem == "__init__"
        if in_package or folder in roots_ok or folder in manifest_dirs:
            modules.setdefault(".".join(parts), p)
    return modules


def _js_packages(model: RepositoryModel) -> list[tuple[str, str, str]]:
    """Workspace packages: (name, folder, main) from every package.json."""
    found = []
    for path, text in sorted(model.texts.items()):
        if posixpath.basename(path) != "package.json":
            continue
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            main = data.get("main") if isinstance(data.get("main"), str) else ""
            found.append((data["name"], posixpath.dirname(path), str(main)))
    # Longest names first: "@a/b-c" before "@a/b".
    return sorted(found, key=lambda x: (-len(x[0]), x[0]))


class _RustCrates:
    """The modules of each crate (a folder with Cargo.toml and src/): files, and the inline
    ``mod x { ... }`` the analyses know, each with the names it binds."""

    def __init__(self, model: RepositoryModel, paths: set[str]) -> None:
        self.crate_dirs: list[str] = []
        self.names: dict[str, str] = {}  # crate name (as used in paths) -> crate dir
        for path, text in sorted(model.texts.items()):
            if posixpath.basename(path).lower() != "cargo.toml":
                continue
            folder = posixpath.dirname(path)
            self.crate_dirs.append(folder)
            try:
                data = tomllib.loads(text)
            except (ValueError, RecursionError):
                continue
            package = data.get("package")
            if isinstance(package, dict) and isinstance(package.get("name"), str):
                self.names[package["name"].replace("-", "_")] = folder
            lib = data.get("lib")
            if isinstance(lib, dict) and isinstance(lib.get("name"), str):
                self.names[lib["name"].replace("-", "_")] = folder
        self.crate_dirs.sort(key=len, reverse=True)
        self.files: dict[tuple[str, tuple[str, ...]], str] = {}
        for p in sorted(paths):
            if not p.endswith(".rs"):
                continue
            located = self._module_path(p)
            if located is not None:
                crate, module = located
                key = (crate, module)
                # The library root wins over main.rs for ``crate::``-less lookups.
                if key not in self.files or p.endswith("/lib.rs"):
                    self.files[key] = p
        # What each module binds (its items, ``mod``s and ``use``s, as the analysis keeps
        # them), and whether a glob brings in more; inline modules join ``files``.
        self.bound: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
        self.globbed: set[tuple[str, tuple[str, ...]]] = set()
        self.scopes: dict[str, dict[int, tuple[str, ...]]] = {}  # a use's line -> its scope
        self.declared: dict[tuple[str, str], str] = {}  # (file, ``mod`` name) -> its #[path]
        for p, analysis in sorted(model.analyses.items()):
            located = self._module_path(p) if p.endswith(".rs") else None
            if located is None or self.files.get(located) != p:
                continue
            crate, module = located
            lines = self.scopes[p] = {}
            for s in analysis.symbols:
                scope = (*module, *s.parent.split(".")) if s.parent else module
                if s.kind == "module" and s.target is None:
                    self.files.setdefault((crate, (*module, *s.qualname.split("."))), p)
                elif s.kind == "module" and s.target:  # ``#[path = "core.rs"] mod imp;``
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(p), s.target))
                    if target in paths:
                        self.declared[(p, s.name)] = target
                if s.kind == "reexport" and s.name == "*":
                    self.globbed.add((crate, scope))
                else:
                    self.bound[(crate, scope)].add(s.name)
                if s.kind == "reexport":
                    lines.setdefault(s.line, scope)

    def crate_of(self, path: str) -> str | None:
        for folder in self.crate_dirs:
            src = posixpath.join(folder, "src") + "/"
            if path.startswith(src.removeprefix("/")):
                return folder
        return None

    def _module_path(self, path: str) -> tuple[str, tuple[str, ...]] | None:
        crate = self.crate_of(path)
        if crate is None:
            return None
        rel = path[len(posixpath.join(crate, "src")) + 1 :].removeprefix("/")
        parts = rel[: -len(".rs")].split("/")
        if parts in (["lib"], ["main"]) or parts[0] == "bin":
            return crate, ()
        if parts[-1] == "mod":
            parts = parts[:-1]
        return crate, tuple(parts)

    def resolve(self, path: str, imp: Import) -> set[str]:
        """The files ``imp`` depends on (``path`` itself when it names the file's own
        modules); empty when it names no module of the crate."""
        located = self._module_path(path)
        if located is None:
            return set()
        crate, here = located
        if path.endswith("/main.rs") or "/src/bin/" in path:
            here = ()
        if imp.kind == "extern":  # ``extern crate x``: a crate, the workspace's or another
            hit = self.files.get((self.names[imp.module], ())) if imp.module in self.names else None
            return {hit} if hit else set()
        if imp.kind == "mod":
            hit = self.declared.get((path, imp.module)) or self.files.get(
                (crate, (*here, imp.module))
            )
            return {hit} if hit else set()
        # The inline module the ``use`` is in.  One the analysis does not see is in a
        # function or in a module it leaves out (``#[cfg(test)] mod tests { use super::*; }``):
        # read first as in a module inside the file's own, then as in the file's module.
        scope = self.scopes.get(path, {}).get(imp.line)
        found: set[str] = set()
        for full in _use_paths(imp):
            if scope is not None:
                hit = self._resolve_path(crate, scope, full)
            else:
                hit = self._resolve_path(crate, here, full, True) or self._resolve_path(
                    crate, here, full
                )
            if hit:
                found.add(hit)
        return found

    def _resolve_path(
        self, crate: str, here: tuple[str, ...], segments: list[str], unseen: bool = False
    ) -> str | None:
        if not segments:
            return None
        head, rest = segments[0], segments[1:]
        if head in ("crate", "self", "super"):
            return self._relative(crate, here, segments, unseen)
        bases: list[tuple[str, tuple[str, ...]]] = []
        if head in self.names:
            bases = [(self.names[head], ())]
        else:
            rest = segments
            bases = [(crate, here), (crate, ())]
        for target_crate, base in bases:
            for end in range(len(rest), 0, -1):
                hit = self.files.get((target_crate, (*base, *rest[:end])))
                if hit:
                    return hit
            if head in self.names and not rest:
                return self.files.get((target_crate, ()))
        if head in self.names:
            return self.files.get((self.names[head], ()))
        return None

    def _relative(
        self, crate: str, here: tuple[str, ...], segments: list[str], unseen: bool
    ) -> str | None:
        """The file declaring the deepest module a ``crate::``/``self::``/``super::`` path
        names (what follows it is an item and its members); None when a segment that must
        be a module is none: lowercase (Rust's modules are), followed by more segments,
        and bound by nothing the module declares or imports."""
        first, rest = segments[0], segments[1:]
        module = () if first == "crate" else here
        if first == "super" and not unseen:  # unseen: ``super`` is the file's own module
            rest = segments
        while rest and rest[0] == "super":
            if not module:
                return None  # above the crate's root
            module, rest = module[:-1], rest[1:]
        if (crate, module) not in self.files:
            return None
        while rest and (crate, (*module, rest[0])) in self.files:
            module, rest = (*module, rest[0]), rest[1:]
        key = (crate, module)
        if (len(rest) > 1 and rest[0][:1].islower() and rest[0] not in self.bound.get(key, ())
                and key not in self.globbed):  # fmt: skip
            return None
        return self.files[key]


def _use_paths(imp: Import) -> Iterable[list[str]]:
    prefix = [s for s in imp.module.split("::") if s and s != "*"]
    if not imp.names:
        yield prefix
        return
    for name in imp.names:
        extra = [s for s in name.split("::") if s and s != "self" and s != "*"]
        yield prefix + extra
