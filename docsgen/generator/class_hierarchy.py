"""The class hierarchy of a Python product's key classes, from the call facts' classes.

The key classes are those the top-level package exports (``flask.Flask``,
``httpx.Client``); when it exports fewer than ``MIN_EXPORTED``, the classes
of the public modules that most others derive from.  Each is drawn with the
classes of the repository it derives from, up to ``MAX_CLASSES`` in all, those
that derive from or are derived from another first, errors last.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.call_chains import CallIndex, Definition

MAX_CLASSES = 18
MIN_EXPORTED = 3
_ERRORS = ("Error", "Exception", "Warning")
MAX_KEY = 10  # key classes taken from the public modules when the package exports few


def hierarchy(
    analyses: Mapping[str, FileAnalysis],
) -> tuple[list[Definition], list[tuple[Definition, Definition]]]:
    """The classes to draw and the (class, base) pairs between them."""
    index = CallIndex.of(analyses)
    classes = {d.name: d for d in index.definitions.values() if d.kind == "class"}
    bases: dict[str, list[Definition]] = {}
    for name in classes:
        found = [index.resolve(b) for b in index.bases.get(name, ())]
        bases[name] = [b for b in found if b is not None and b.kind == "class"]
    derived: Counter[str] = Counter(b.name for found in bases.values() for b in found)
    key = _exported(index, classes, analyses)
    if len(key) < MIN_EXPORTED:
        public = [d for d in classes.values() if not _private(d.name) and derived[d.name]]
        key = sorted(public, key=lambda d: (-derived[d.name], d.name))[:MAX_KEY]

    def rank(d: Definition) -> tuple[bool, bool, int, str]:
        # Errors last: a package exports many, and they say little of its design.
        error = d.name.endswith(_ERRORS)
        return (error, not (bases[d.name] or derived[d.name]), -derived[d.name], d.name)

    chosen: dict[str, Definition] = {}
    for definition in sorted(key, key=rank):
        todo = [definition]
        while todo and len(chosen) < MAX_CLASSES:
            current = todo.pop(0)
            if current.name in chosen:
                continue
            chosen[current.name] = current
            todo.extend(bases.get(current.name, ()))
    pairs = [
        (chosen[name], base)
        for name in chosen
        for base in bases.get(name, ())
        if base.name in chosen
    ]
    related = {d.name for pair in pairs for d in pair}
    return sorted((d for d in chosen.values() if d.name in related), key=lambda d: d.name), pairs


def _exported(
    index: CallIndex, classes: Mapping[str, Definition], analyses: Mapping[str, FileAnalysis]
) -> list[Definition]:
    """The classes a top-level package binds or lists in ``__all__`` (through its
    ``from .x import *``), and those it defines."""
    found: dict[str, Definition] = {}
    tops = {a.module: a for a in analyses.values() if a.module and "." not in a.module}
    for module in sorted(m for m in index.modules if "." not in m):
        for local, target in sorted(index.bindings.get(module, {}).items()):
            hit = index.resolve(target)
            if hit is not None and hit.kind == "class" and not local.startswith("_"):
                found[hit.name] = hit
        for name, definition in classes.items():
            if name.rpartition(".")[0] == module and not _private(name):
                found[name] = definition
        analysis = tops.get(module)
        if analysis is None:
            continue
        starred = [_absolute(module, origin) for origin, _ in analysis.star_imports]
        for name in analysis.exports or ():
            for origin in [module, *starred]:
                hit = index.resolve(f"{origin}.{name}")
                if hit is not None and hit.kind == "class":
                    found[hit.name] = hit
                    break
    return list(found.values())


def _absolute(package: str, origin: str) -> str:
    """A star import's module (``._client`` in ``httpx``) as an absolute name."""
    stripped = origin.lstrip(".")
    if len(stripped) == len(origin):
        return origin
    parts = package.split(".")
    parts = parts[: len(parts) - (len(origin) - len(stripped) - 1)]
    return ".".join([*parts, stripped]) if stripped else ".".join(parts)


def _private(name: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in name.split("."))
