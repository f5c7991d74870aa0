"""What a section reads, named, so a regeneration rebuilds only the sections whose inputs changed.

A section declares its inputs (``Section.inputs``): parts of the model
(``COMMIT``, ``FILES``, ``PATHS``, ``TEXTS``, ``REFERENCES``) and, for the
code analyses, a *facet*: the few fields of each file's analysis it reads
(``env`` for the configuration reads, ``graph`` for imports, ...).  The
section is then built from a model restricted to those inputs, so it cannot
read anything else: its Markdown is a function of its declared inputs alone,
and a digest of them names a stored section that stays right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields, replace
from typing import Any

from docsgen.generator.analysis.file_analysis import (
    MODULE_OUTLINE,
    OUTLINE,
    FileAnalysis,
    module_outline,
    outline,
)
from docsgen.generator.model import FileInfo

COMMIT = "commit"  # the commit SHA (the repository's name, metadata and notes are always read)
FILES = "files"  # every file's path, size, lines, language, skip reason, folder kind
PATHS = "paths"  # the same without sizes and line counts (only whether a file is empty)
TEXTS = "texts"  # the quoted texts (READMEs, manifests)
REFERENCES = "references"  # every analysed file's rendered API entries

# Facets of a file's analysis: the fields a section reads (input name "analyses:<facet>").
FACETS: dict[str, tuple[str, ...]] = {
    # The architecture: the imports, the entry points, the classes and their bases, and
    # what a package exports; the modules a file declares inside itself and the names its
    # imports bind (where Rust's ``use`` paths lead); a new function changes none of them.
    "graph": (
        "path",
        "language",
        "module",
        "imports",
        MODULE_OUTLINE,
        "entry_points",
        "classes",
        "exports",
        "star_imports",
    ),
    "entry": ("path", "language", "entry_points"),
    # What call chains are followed through (How it works).
    "calls": ("path", "language", "module", "package", "entry_points", "call_graph"),
    "env": ("path", "language", "env_reads"),
    "routes": ("path", "language", "routes"),
    # What the public API is made of (``docsgen.generator.surface``): the declarations
    # without their documentation, and what each module exports and re-exports; with the
    # imports, which rank its names (``docsgen.generator.orientation.key_concepts``).
    "surface": (
        "path",
        "language",
        "module",
        "package",
        OUTLINE,
        "imports",
        "exports",
        "star_imports",
        "exports_included",
        "impls",
        "dynamic_members",
        "analysed",
        "parse_error",
        "skipped",
    ),
}
_ALL_FIELDS = frozenset(f.name for f in fields(FileAnalysis))
_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in fields(FileAnalysis) if f.name not in ("path", "language")
}


def analyses(facet: str) -> str:
    """The input name of one facet of every analysis."""
    if facet not in FACETS:
        raise KeyError(facet)
    return f"analyses:{facet}"


def facet_of(inputs: Iterable[str]) -> str | None:
    """The one facet of the analyses these inputs read, if any."""
    found = [i.split(":", 1)[1] for i in inputs if i.startswith("analyses:")]
    if len(found) > 1:
        raise ValueError(f"a section reads one facet of the analyses, not {found}")
    return found[0] if found else None


def project(analysis: FileAnalysis, facet: str) -> FileAnalysis:
    """The analysis with only the facet's fields; the others keep their defaults."""
    kept = FACETS[facet]
    blank = {name: _DEFAULTS[name] for name in _ALL_FIELDS - set(kept)}
    if OUTLINE in kept:
        blank["symbols"] = outline(analysis.symbols)
    elif MODULE_OUTLINE in kept:
        blank["symbols"] = module_outline(analysis.symbols)
    return replace(analysis, **blank)


def paths_only(files: Iterable[FileInfo]) -> list[FileInfo]:
    """The files as ``PATHS`` shows them: without sizes and line counts (only whether
    a file is empty)."""
    return [
        FileInfo(f.path, 0, min(f.lines, 1), f.language, f.skipped, f.folder_kind) for f in files
    ]
