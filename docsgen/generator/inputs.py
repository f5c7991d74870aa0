"""What each section reads, so a regeneration rebuilds only the sections whose inputs changed.

A section declares its inputs (``Section.inputs``): parts of the model
(``COMMIT``, ``FILES``, ``TEXTS``, ``REFERENCES``) and, for the code analyses,
a *facet*: the few fields of each file's analysis it reads (``env`` for the
configuration reads, ``graph`` for imports, ...).  The section is then built
from a model restricted to those inputs (``restrict``), so it cannot read
anything else: its Markdown is a function of its declared inputs alone, and a
digest of them (``section_key``) names a cache entry that stays right.

Each facet of a file's analysis is a line of its cached value of its own, so
the event loop digests a section's inputs without decoding a single analysis
(``facet_digests``), and a section reading a facet decodes only that line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields, replace
from typing import Any

from docsgen.generator.analysis.model import FileAnalysis
from docsgen.generator.engine.digest import hexdigest, text_hexdigest
from docsgen.generator.engine.memo import Encoded, compact_json
from docsgen.generator.model import FileInfo, RepositoryModel, Scan
from docsgen.snapshot import Snapshot

COMMIT = "commit"  # the commit SHA (the repository's name, metadata and notes are always read)
FILES = "files"  # every file's path, size, lines, language, skip reason, folder kind
PATHS = "paths"  # the same without sizes and line counts (only whether a file is empty)
TEXTS = "texts"  # the quoted texts (READMEs, manifests)
REFERENCES = "references"  # every analysed file's rendered API entries

# Facets of a file's analysis: the fields a section reads (input name "analyses:<facet>").
FACETS: dict[str, tuple[str, ...]] = {
    "graph": ("path", "language", "module", "imports", "entry_points"),
    "entry": ("path", "language", "entry_points"),
    "env": ("path", "language", "env_reads"),
    "routes": ("path", "language", "routes"),
}
_ALL_FIELDS = frozenset(f.name for f in fields(FileAnalysis))


def analyses(facet: str) -> str:
    """The input name of one facet of every analysis."""
    if facet not in FACETS:
        raise KeyError(facet)
    return f"analyses:{facet}"


def project(analysis: FileAnalysis, facet: str) -> FileAnalysis:
    """The analysis with only the facet's fields; the others keep their defaults."""
    kept = FACETS[facet]
    blank = {name: _DEFAULTS[name] for name in _ALL_FIELDS - set(kept)}
    return replace(analysis, **blank)


_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in fields(FileAnalysis) if f.name not in ("path", "language")
}
# A cached value's lines: the analysis, its API entries, their summary, then each facet
# (``docsgen.generator.engine.analysis_store.encode``).
FIRST_FACET_PART = 3
FACET_PARTS = {facet: FIRST_FACET_PART + i for i, facet in enumerate(FACETS)}
FACET_FIELDS = tuple(dict.fromkeys(name for names in FACETS.values() for name in names))


def facet_lines(plain: Mapping[str, Any]) -> list[bytes]:
    """Each facet of an analysis (its ``to_json``) as a line of JSON, in ``FACETS`` order."""
    return [compact_json({n: plain[n] for n in names}) for names in FACETS.values()]


def decode_facet(raw: bytes) -> FileAnalysis:
    """A facet's line read back as an analysis with only that facet's fields."""
    return FileAnalysis.from_json(json.loads(raw))


def facet_digests(value: bytes) -> dict[str, str]:
    """A digest of each facet of a cached value, read without decoding anything."""
    lines = value.split(b"\n")
    if len(lines) != FIRST_FACET_PART + len(FACETS):
        raise ValueError("not a cached analysis with its facets")
    return {facet: hexdigest(lines[part])[:32] for facet, part in FACET_PARTS.items()}


class _Projected(Mapping[str, FileAnalysis]):
    """Analyses by path, each seen through one facet (projected when read)."""

    def __init__(self, items: Mapping[str, FileAnalysis], facet: str) -> None:
        self._items = items
        self._facet = facet

    def __getitem__(self, path: str) -> FileAnalysis:
        return project(self._items[path], self._facet)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, path: object) -> bool:
        return path in self._items


def _facet_of(inputs: Iterable[str]) -> str | None:
    found = [i.split(":", 1)[1] for i in inputs if i.startswith("analyses:")]
    if len(found) > 1:
        raise ValueError(f"a section reads one facet of the analyses, not {found}")
    return found[0] if found else None


def _facet_view(analyses: Mapping[str, FileAnalysis], facet: str) -> Mapping[str, FileAnalysis]:
    """One facet of every analysis: decoded from its own line when the analyses are encoded."""
    if isinstance(analyses, Encoded):
        return analyses.with_part(FACET_PARTS[facet], decode_facet)
    return _Projected(analyses, facet)


def restrict(model: RepositoryModel, inputs: frozenset[str]) -> RepositoryModel:
    """The model as a section with these inputs sees it: everything else is empty."""
    facet = _facet_of(inputs)
    commit = model.commit_sha if COMMIT in inputs else ""
    return replace(
        model,
        commit_sha=commit,
        snapshot=replace(model.snapshot, commit_sha=commit, files=()),
        files=model.files if FILES in inputs else _paths(model.files) if PATHS in inputs else [],
        texts=model.texts if TEXTS in inputs else {},
        analyses=_facet_view(model.analyses, facet) if facet is not None else {},
        references=model.references if REFERENCES in inputs else {},
        summaries=model.summaries if REFERENCES in inputs else {},
    )


def _paths(files: list[FileInfo]) -> list[FileInfo]:
    """The files without sizes and line counts; the last answer is kept for the same list
    (a worker restricts the same model for several sections)."""
    global _last_paths
    last = _last_paths
    if last is not None and last[0] is files:
        return last[1]
    found = [
        FileInfo(f.path, 0, min(f.lines, 1), f.language, f.skipped, f.folder_kind) for f in files
    ]
    _last_paths = (files, found)
    return found


_last_paths: tuple[list[FileInfo], list[FileInfo]] | None = None


class InputDigests:
    """The digests of one run's inputs, each computed once and shared by the sections.

    ``keys`` are the analysed files' content keys (they name their rendered API
    entries), ``facets`` each file's facet digests: those may still be filled
    in until a digest of the analyses is asked for.
    """

    def __init__(
        self,
        snapshot: Snapshot,
        scanned: Scan,
        keys: Mapping[str, str],
        facets: Mapping[str, Mapping[str, str]],
    ) -> None:
        self._snapshot = snapshot
        self._scanned = scanned
        self._keys = keys
        self._facets = facets
        self._found: dict[str, str | None] = {}

    def without_analyses(self) -> None:
        """Work out now every digest that needs no analysis (the pipeline does so
        while the workers analyse)."""
        for name in ("meta", COMMIT, FILES, PATHS, TEXTS, REFERENCES):
            self.of(name)

    def of(self, name: str) -> str | None:
        """The digest of one input (None: it cannot be named, e.g. a file without blob SHA)."""
        if name not in self._found:
            self._found[name] = self._compute(name)
        return self._found[name]

    def _compute(self, name: str) -> str | None:
        snapshot, scanned = self._snapshot, self._scanned
        if name == "meta":  # read by every section: name, links, metadata, notes
            return text_hexdigest(repr((snapshot.name, snapshot.provider,
                                        snapshot.source_url_template, snapshot.notes,
                                        snapshot.metadata)))  # fmt: skip
        if name == COMMIT:
            return text_hexdigest(snapshot.commit_sha)
        if name == FILES:  # each file's facts, as plain tuples (their repr is C's)
            return text_hexdigest(repr(list(map(tuple, scanned.files))))
        if name == PATHS:  # as ``_paths`` shows the files, without making them
            return text_hexdigest(repr([(f.path, 0, min(f.lines, 1), f.language, f.skipped,
                                         f.folder_kind) for f in scanned.files]))  # fmt: skip
        if name == TEXTS:
            return text_hexdigest(
                repr([(p, text_hexdigest(scanned.texts[p])) for p in sorted(scanned.texts)])
            )
        if name == REFERENCES:
            if not all(self._keys.values()):
                return None
            return text_hexdigest(repr(sorted(self._keys.items())))
        if name.startswith("analyses:"):
            facet = name.split(":", 1)[1]
            found = [(p, self._facets[p].get(facet)) for p in sorted(self._facets)]
            if any(d is None for _, d in found):
                return None
            return text_hexdigest(repr(found))
        raise KeyError(name)

    def section_key(self, version: str, section: str, inputs: frozenset[str]) -> str | None:
        """The cache key of a section built from these inputs by this generator version."""
        parts = [self.of(name) for name in ["meta", *sorted(inputs)]]
        if any(p is None for p in parts):
            return None
        return text_hexdigest(repr(("section", version, section, sorted(inputs), parts)))
