"""The analysis cache the pipeline reads and fills: content-addressed, storage-agnostic.

The pipeline stays pure: it is handed an object with two async methods and
never learns where the entries live (PostgreSQL in the service, a dict in
tests and the command line).  Values are opaque bytes, encoded and decoded by
the worker processes (``encode``/``decode``), so the event loop only moves
bytes around.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from docsgen.generator.analysis.model import ANALYSIS_VERSION, FileAnalysis
from docsgen.generator.api_entries import REFERENCE_VERSION, FileReference, ReferenceSummary
from docsgen.generator.engine.digest import text_hexdigest
from docsgen.generator.engine.memo import SEPARATOR, compact_json
from docsgen.generator.inputs import FACET_FIELDS, FIRST_FACET_PART, facet_lines

# What a cached value holds, a line each: the whole analysis (left empty: no section
# reads it, ``restrict`` shows them one facet), the rendered API entries, their summary
# (``ReferenceSummary``), then each facet of the analysis (``docsgen.generator.inputs``).
# The empty line keeps its place.
ANALYSIS_PART, REFERENCE_PART, SUMMARY_PART = 0, 1, 2
assert FIRST_FACET_PART == SUMMARY_PART + 1
CACHE_VERSION = f"{ANALYSIS_VERSION}.{REFERENCE_VERSION}.f4"


class AnalysisCache(Protocol):
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


def analysis_key(path: str, blob_sha: str) -> str:
    """The key of a file's results: its git blob SHA, its path and the code's versions.

    The path is part of the key because an analysis depends on it (language,
    module name): two files with the same bytes at different paths (empty
    ``__init__.py`` files, say) must not share an entry.
    """
    return text_hexdigest(f"{CACHE_VERSION}\0{blob_sha}\0{path}")


def encode(analysis: FileAnalysis, reference: FileReference) -> bytes:
    """A file's cached value: its API entries, their summary and each facet of its analysis,
    a JSON line each.

    Storing the whole analysis too would more than double every value (and the
    writes, reads and copies of them) for nothing any section reads.
    """
    plain = analysis.to_json(only=FACET_FIELDS)
    summary = compact_json(reference.summary().to_json())
    return SEPARATOR.join((b"", compact_json(reference.to_json()), summary, *facet_lines(plain)))


def whole_analysis_not_kept(raw: bytes) -> FileAnalysis:
    """The decoder of ``ANALYSIS_PART``: a cached value does not hold the whole analysis."""
    raise LookupError("the whole analysis is not cached: read one facet (inputs.restrict)")


def decode_reference(raw: bytes) -> FileReference:
    return FileReference.from_json(json.loads(raw))


def decode_summary(raw: bytes) -> ReferenceSummary:
    return ReferenceSummary.from_json(json.loads(raw))


@dataclass
class MemoryAnalysisCache:
    """A cache in a dict, for one process: the command line, tests, benchmarks."""

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
