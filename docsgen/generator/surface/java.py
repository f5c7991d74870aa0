"""The public API of Java packages as ``javadoc`` documents it: a module per package.

- A package (``org.apache.commons.cli``) is a public module; its names are its
  public top-level types, in alphabetical order, each documented with its
  public and protected members and nested types (the analyser keeps only
  those; a type that is not public is not entered).
- A ``module-info.java`` decides for the files under its folder (its source
  root): only the packages it exports to every module are public; a package
  exported only to named modules (``exports x to y;``) or not at all is not.
- Classes of the unnamed package (no ``package`` declaration) cannot be
  imported by other packages: they are not part of the API.
- A package's documentation is its ``package-info.java``.  A package with
  neither public types nor documentation has no page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from docsgen.generator.analysis.file_analysis import FileAnalysis, Symbol
from docsgen.generator.surface.model import DEFINED, PublicModule, PublicName, Surface, Target

MODULE_INFO = "module-info.java"
PACKAGE_INFO = "package-info.java"


@dataclass(frozen=True)
class _Descriptor:
    """A ``module-info.java``: the folder it rules and the packages it exports."""

    folder: str
    exports: frozenset[str]

    def rules(self, path: str) -> bool:
        return not self.folder or path.startswith(self.folder + "/")


def resolve(analyses: Sequence[FileAnalysis]) -> Surface:
    """The public API of the product's Java packages."""
    usable = sorted(
        (a for a in analyses if a.analysed and a.parse_error is None), key=lambda a: a.path
    )
    descriptors = [
        _Descriptor(posixpath.dirname(a.path), frozenset(a.exports or ()))
        for a in usable
        if posixpath.basename(a.path) == MODULE_INFO
    ]
    descriptors.sort(key=lambda d: -len(d.folder))  # the deepest source root first
    packages: dict[str, list[FileAnalysis]] = {}
    for a in usable:
        if posixpath.basename(a.path) == MODULE_INFO or not a.package:
            continue
        descriptor = next((d for d in descriptors if d.rules(a.path)), None)
        if descriptor is not None and a.package not in descriptor.exports:
            continue
        packages.setdefault(a.package, []).append(a)
    modules = []
    canonical: dict[tuple[str, str], str] = {}
    for package, files in sorted(packages.items()):
        names = _names(package, files)
        for name in names:
            canonical[(name.target.path or "", name.target.qualname or "")] = name.qualified
        doc_path = next(
            (a.path for a in files if posixpath.basename(a.path) == PACKAGE_INFO and a.doc),
            None,
        )
        if not names and doc_path is None:
            continue  # nothing of it is public
        paths = tuple(a.path for a in files)
        modules.append(PublicModule(package, "Java", paths, names, (), doc_path))
    return Surface(tuple(modules), canonical)


def _names(package: str, files: Sequence[FileAnalysis]) -> tuple[PublicName, ...]:
    """The package's public top-level types (a type declared in two source roots, such as a
    multi-release variant, is listed once: the first path's)."""
    top: dict[str, tuple[FileAnalysis, Symbol]] = {}
    for a in files:
        for s in a.symbols:
            if s.parent is None and s.public:
                top.setdefault(s.name, (a, s))
    names = []
    for name, (a, s) in sorted(top.items()):
        qualified = f"{package}.{name}"
        target = Target(a.path, s.qualname, package)
        names.append(PublicName(name, qualified, s.line, DEFINED, target, qualified))
    return tuple(names)
