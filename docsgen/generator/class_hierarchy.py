"""The class hierarchy of a Python product's key classes, from each file's classes.

The key classes are those the top-level package exports (imported into its
``__init__``, or listed in its ``__all__`` through a ``from .x import *``);
when it exports fewer than ``MIN_EXPORTED``, the classes of the public modules
that most others derive from.  Each is drawn with the classes of the
repository it derives from, up to ``MAX_CLASSES`` in all, those that derive
from or are derived from another first, errors last.  Read from the files'
``classes`` and imports only: a new function changes nothing here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from docsgen.generator.analysis.file_analysis import FileAnalysis

MAX_CLASSES = 18
MIN_EXPORTED = 3
MAX_KEY = 10  # key classes taken from the public modules when the package exports few
_ERRORS = ("Error", "Exception", "Warning")
_MAX_HOPS = 4


@dataclass(frozen=True)
class Class:
    name: str  # qualified: ``flask.app.Flask``
    path: str
    line: int


class _Classes:
    def __init__(self, analyses: Mapping[str, FileAnalysis]) -> None:
        self.classes: dict[str, Class] = {}
        self.bases: dict[str, tuple[str, ...]] = {}
        self.imports: dict[str, dict[str, str]] = {}  # module -> name -> where it comes from
        self.analyses = {a.module: a for a in analyses.values() if a.module}
        for path, analysis in analyses.items():
            if analysis.language != "Python" or not analysis.module:
                continue
            for name, line, bases in analysis.classes:
                self.classes.setdefault(name, Class(name, path, line))
                self.bases.setdefault(name, bases)
            self.imports[analysis.module] = _imported(analysis)

    def resolve(self, name: str, hops: int = 0) -> Class | None:
        """The class ``name`` is, following a module's imports (re-exports)."""
        found = self.classes.get(name)
        if found is not None or hops > _MAX_HOPS:
            return found
        module, _, last = name.rpartition(".")
        origin = self.imports.get(module, {}).get(last)
        return self.resolve(origin, hops + 1) if origin and origin != name else None


def hierarchy(
    analyses: Mapping[str, FileAnalysis],
) -> tuple[list[Class], list[tuple[Class, Class]]]:
    """The classes to draw and the (class, base) pairs between them."""
    index = _Classes(analyses)
    bases: dict[str, list[Class]] = {}
    for name in index.classes:
        found = [index.resolve(b) for b in index.bases.get(name, ())]
        bases[name] = [b for b in found if b is not None]
    derived: Counter[str] = Counter(b.name for found in bases.values() for b in found)
    key = _exported(index)
    if len(key) < MIN_EXPORTED:
        public = [c for c in index.classes.values() if not _private(c.name) and derived[c.name]]
        key = sorted(public, key=lambda c: (-derived[c.name], c.name))[:MAX_KEY]

    def rank(c: Class) -> tuple[bool, bool, int, str]:
        # Errors last: a package exports many, and they say little of its design.
        error = c.name.endswith(_ERRORS)
        return (error, not (bases[c.name] or derived[c.name]), -derived[c.name], c.name)

    chosen: dict[str, Class] = {}
    for klass in sorted(key, key=rank):
        todo = [klass]
        while todo and len(chosen) < MAX_CLASSES:
            current = todo.pop(0)
            if current.name not in chosen:
                chosen[current.name] = current
                todo.extend(bases.get(current.name, ()))
    pairs = [(chosen[name], base) for name in chosen for base in bases[name] if base.name in chosen]
    related = {c.name for pair in pairs for c in pair}
    return sorted((c for c in chosen.values() if c.name in related), key=lambda c: c.name), pairs


def _exported(index: _Classes) -> list[Class]:
    found: dict[str, Class] = {}
    for module, analysis in sorted(index.analyses.items()):
        if "." in module or analysis.language != "Python":
            continue
        names = [n for n in index.imports.get(module, {}) if not n.startswith("_")]
        names += list(analysis.exports or ())
        starred = [_absolute(module, origin, True) for origin, _ in analysis.star_imports]
        for name in names:
            for origin in [module, *starred]:
                hit = index.resolve(f"{origin}.{name}")
                if hit is not None:
                    found[hit.name] = hit
                    break
        for name, klass in index.classes.items():
            if name.rpartition(".")[0] == module and not _private(name):
                found[name] = klass
    return list(found.values())


def _imported(analysis: FileAnalysis) -> dict[str, str]:
    """What a module's run-time ``from … import`` statements bind: name -> qualified origin."""
    package = analysis.path.endswith("__init__.py")
    found: dict[str, str] = {}
    for imp in analysis.imports:
        if imp.kind != "from" or not analysis.module:
            continue
        origin = _absolute(analysis.module, "." * imp.level + imp.module, package)
        for name in imp.names:
            if name != "*":
                found.setdefault(name, f"{origin}.{name}" if origin else name)
    return found


def _absolute(module: str, origin: str, package: bool) -> str:
    """A module as an import names it (``.app`` in ``flask``), as an absolute name."""
    stripped = origin.lstrip(".")
    level = len(origin) - len(stripped)
    if level == 0:
        return origin
    parts = module.split(".")
    if not package:
        parts = parts[:-1]
    parts = parts[: max(len(parts) - (level - 1), 0)]
    return ".".join([*parts, stripped] if stripped else parts)


def _private(name: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in name.split("."))
