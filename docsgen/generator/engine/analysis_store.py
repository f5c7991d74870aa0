"""The analysis store: each file's results, content-addressed, behind a storage-agnostic interface.

The pipeline is handed objects with three async methods (``Store``) and
never learns where the entries live (PostgreSQL in the service, a dict in
tests and the command line).  Values are opaque bytes, encoded and decoded by
the worker processes (``encode`` and the decoders below), so the event loop
only moves bytes around.  The same interface keeps the built sections and
citation checks (``section_store``) in a second store.

A file's value is a line of JSON per part: the whole analysis (left empty: no
section reads it, a section is shown one facet), the rendered API entries,
their summary (``ReferenceSummary``), then each facet of the analysis
(``docsgen.generator.inputs.FACETS``) on a line of its own, so the event loop
digests a section's inputs without decoding a single analysis
(``facet_digests``), and a section reading a facet decodes only that line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.api_entries import FileReference, ReferenceSummary
from docsgen.generator.digest import hexdigest, text_hexdigest
from docsgen.generator.engine.encoded import SEPARATOR, compact_json
from docsgen.generator.inputs import FACETS
from docsgen.generator.version import CACHE_VERSION

# The layout below is ``version.VALUE_LAYOUT``: bump it when it changes.
ANALYSIS_PART, REFERENCE_PART, SUMMARY_PART = 0, 1, 2  # the empty line keeps its place
FIRST_FACET_PART = SUMMARY_PART + 1
FACET_PARTS = {facet: FIRST_FACET_PART + i for i, facet in enumerate(FACETS)}
FACET_FIELDS = tuple(dict.fromkeys(name for names in FACETS.values() for name in names))


class Store(Protocol):
    """Where a run's values are kept between runs, by key."""

    async def get_many(self, keys: Sequence[str]) -> Mapping[str, bytes]:
        """The entries found among ``keys`` (missing keys are simply absent)."""
        ...

    async def put_many(self, items: Mapping[str, bytes]) -> None:
        """Store entries; a key already present keeps its value (same key, same content)."""
        ...

    async def held(self, keys: Sequence[str]) -> set[str]:
        """The keys among ``keys`` that are stored, their values left unread (so that
        large values already there are not sent again); none when that cannot be told."""
        ...


@dataclass
class MemoryStore:
    """A store in a dict, for one process: the command line, tests, benchmarks."""

    entries: dict[str, bytes] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    async def get_many(self, keys: Sequence[str]) -> Mapping[str, bytes]:
        found = {k: self.entries[k] for k in keys if k in self.entries}
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    async def put_many(self, items: Mapping[str, bytes]) -> None:
        for key, value in items.items():
            self.entries.setdefault(key, value)

    async def held(self, keys: Sequence[str]) -> set[str]:
        return {key for key in keys if key in self.entries}


def analysis_key(path: str, blob_sha: str) -> str:
    """The key of a file's results: its git blob SHA, its path and the code's versions.

    The path is part of the key because an analysis depends on it (language,
    module name): two files with the same bytes at different paths (empty
    ``__init__.py`` files, say) must not share an entry.
    """
    return text_hexdigest(f"{CACHE_VERSION}\0{blob_sha}\0{path}")


def encode(analysis: FileAnalysis, reference: FileReference) -> bytes:
    """A file's value: its API entries, their summary and each facet of its analysis,
    a JSON line each.

    Storing the whole analysis too would more than double every value (and the
    writes, reads and copies of them) for nothing any section reads.
    """
    fields = analysis.encodable(only=FACET_FIELDS)
    summary = compact_json(reference.summary().to_json())
    return SEPARATOR.join((b"", compact_json(reference.to_json()), summary, *_facet_lines(fields)))


def _facet_lines(fields: Mapping[str, Any]) -> list[bytes]:
    """Each facet of an analysis (its ``to_json``, or ``encodable``) as a line of JSON, in
    ``FACETS`` order."""
    return [compact_json({n: fields[n] for n in names}) for names in FACETS.values()]


def facet_digests(value: bytes) -> dict[str, str]:
    """A digest of each facet of a value, read without decoding anything."""
    lines = value.split(SEPARATOR)
    if len(lines) != FIRST_FACET_PART + len(FACETS):
        raise ValueError("not a cached analysis with its facets")
    return {facet: hexdigest(lines[part])[:32] for facet, part in FACET_PARTS.items()}


def whole_analysis_not_kept(raw: bytes) -> FileAnalysis:
    """The decoder of ``ANALYSIS_PART``: a value does not hold the whole analysis."""
    raise LookupError("the whole analysis is not stored: read one facet (restrict)")


def decode_reference(raw: bytes) -> FileReference:
    return FileReference.from_json(json.loads(raw))


def decode_summary(raw: bytes) -> ReferenceSummary:
    return ReferenceSummary.from_json(json.loads(raw))


def decode_facet(raw: bytes) -> FileAnalysis:
    """A facet's line read back as an analysis with only that facet's fields."""
    return FileAnalysis.from_json(json.loads(raw))
