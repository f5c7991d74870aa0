"""The public API of Go packages as ``go doc`` shows it: a module per importable package.

Go says what is public in the language itself, so this follows the go tool:

- a package is a folder; its name as users import it is its import path, the
  module path of the nearest ``go.mod`` above it and the folder below that
  (``github.com/google/go-cmp/cmp/cmpopts``); without a ``go.mod`` the folder;
- its names are its exported (capitalised) constants, variables, functions and
  types, in ``go doc``'s order; a method is listed under its receiver type,
  wherever in the package it is declared; exported methods of unexported types
  are not part of the API (the analyser does not keep them);
- packages under an ``internal`` path element cannot be imported from outside
  their module, and a ``main`` package is a command, not imported: neither is a
  public module; folders the go tool ignores (``testdata``, ``vendor``, names
  starting with ``_`` or ``.``) hold no package;
- the package's documentation is its package comment (``doc.go`` by
  convention); a package with neither exported names nor a comment has no page.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from docsgen.generator.analysis.file_analysis import FileAnalysis, Symbol
from docsgen.generator.manifests.go_mod import go_modules
from docsgen.generator.surface.model import DEFINED, PublicModule, PublicName, Surface, Target

# ``go doc``'s order of a package's names: constants, variables, functions, types.
_SECTIONS = {"constant": 0, "variable": 1, "function": 2}
_TYPE_SECTION = 3
_IGNORED_FOLDERS = frozenset({"testdata", "vendor"})


def resolve(analyses: Sequence[FileAnalysis], texts: Mapping[str, str]) -> Surface:
    """The public API of the product's Go packages; ``texts`` holds the ``go.mod`` files
    (by path) that name them."""
    modules = go_modules(texts)
    folders: dict[str, list[FileAnalysis]] = {}
    for a in sorted(analyses, key=lambda a: a.path):
        if not a.analysed or a.parse_error is not None:
            continue
        folder = posixpath.dirname(a.path)
        if not _ignored(folder):
            folders.setdefault(folder, []).append(a)
    result = []
    canonical: dict[tuple[str, str], str] = {}
    for folder, files in folders.items():
        package = _package(files)
        if package == "main":
            continue  # a command: run, not imported
        files = [a for a in files if a.package == package]
        path = import_path(folder, package, modules)
        if "internal" in path.split("/"):
            continue
        names = _names(path, files)
        doc_path = _doc_path(files)
        if not names and doc_path is None:
            continue  # nothing of it is public
        for name in names:
            if name.target.path is not None and name.target.qualname is not None:
                canonical[(name.target.path, name.target.qualname)] = name.qualified
        paths = tuple(a.path for a in files)
        result.append(PublicModule(path, "Go", paths, names, (), doc_path))
    result.sort(key=lambda m: m.name)
    return Surface(tuple(result), canonical)


def import_path(folder: str, package: str | None, modules: Iterable[tuple[str, str]]) -> str:
    """The import path of the package in ``folder``: under the deepest ``go.mod`` above
    it, else the folder itself (the package's name at the repository's root)."""
    best: tuple[str, str] | None = None
    for module, root in modules:
        base = "" if root == "." else root
        if folder == base or not base or folder.startswith(base + "/"):
            if best is None or len(base) > len(best[1]):
                best = (module, base)
    if best is None:
        return folder or package or "."
    module, base = best
    rest = folder[len(base) :].lstrip("/")
    return f"{module}/{rest}" if rest else module


def _ignored(folder: str) -> bool:
    """Folders the go tool does not build packages from."""
    return any(
        part in _IGNORED_FOLDERS or part.startswith(("_", "."))
        for part in folder.split("/")
        if part
    )


def _package(files: Sequence[FileAnalysis]) -> str | None:
    """The folder's package: the name most of its files declare (a file of another package
    beside them is one the build leaves out, such as a ``//go:build ignore`` generator)."""
    counts = Counter(a.package for a in files if a.package)
    if not counts:
        return None
    return min(counts, key=lambda name: (-counts[name], name == "main", name))


def _doc_path(files: Sequence[FileAnalysis]) -> str | None:
    """The file holding the package comment: ``doc.go`` when it has one."""
    documented = [a for a in files if a.doc]
    documented.sort(key=lambda a: posixpath.basename(a.path) != "doc.go")  # stable: path order
    return documented[0].path if documented else None


def _names(path: str, files: Sequence[FileAnalysis]) -> tuple[PublicName, ...]:
    """The package's exported names, each type with the methods declared in other files."""
    top: dict[str, tuple[FileAnalysis, Symbol]] = {}
    for a in files:
        for s in a.symbols:
            if s.parent is None and s.public and s.kind != "reexport":
                top.setdefault(s.name, (a, s))  # the same name in two files: build variants
    members = _methods_elsewhere(path, files, top)
    names = []
    for name, (a, s) in sorted(top.items(), key=lambda item: _order(item[1][1])):
        qualified = f"{path}.{name}"
        target = Target(a.path, s.qualname, path)
        names.append(
            PublicName(
                name, qualified, s.line, DEFINED, target, qualified, tuple(members.get(name, ()))
            )
        )
    return tuple(names)


def _methods_elsewhere(
    path: str, files: Sequence[FileAnalysis], top: dict[str, tuple[FileAnalysis, Symbol]]
) -> dict[str, list[Target]]:
    """Methods declared in another file than their receiver type, by type name (a method
    the type's own file declares too, in another build variant, is left out)."""
    own: dict[str, set[str]] = {}
    for type_name, (a, _) in top.items():
        own[type_name] = {s.name for s in a.symbols if s.parent == type_name and s.kind == "method"}
    found: dict[str, list[Target]] = {}
    for a in files:
        for s in a.symbols:
            owner = s.parent
            if s.kind != "method" or owner is None or owner not in top:
                continue
            if top[owner][0] is a or s.name in own[owner]:
                continue
            own[owner].add(s.name)
            found.setdefault(owner, []).append(Target(a.path, s.qualname, path))
    return found


def _order(s: Symbol) -> tuple[int, str]:
    return (_SECTIONS.get(s.kind, _TYPE_SECTION), s.name)
