"""A snapshot: what a source adapter hands to the generator.

File paths, bytes, the commit SHA and repository metadata, nothing else.  The
generator never does I/O; every adapter (local git, GitHub tarball) produces
one of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

BINARY_SNIFF_BYTES = 8000


@dataclass(frozen=True)
class SnapshotFile:
    """One tracked file.  ``data`` is None when the file was skipped; ``skipped`` says why."""

    path: str
    size: int
    blob_sha: str
    data: bytes | None
    skipped: str | None = None


@dataclass(frozen=True)
class RepositoryMetadata:
    """What the source knows beyond the files (GitHub's repository fields)."""

    description: str | None = None
    default_branch: str | None = None
    topics: tuple[str, ...] = ()
    license: str | None = None
    language: str | None = None
    private: bool | None = None
    archived: bool | None = None


@dataclass(frozen=True)
class Snapshot:
    name: str
    provider: str
    commit_sha: str
    files: tuple[SnapshotFile, ...]
    metadata: RepositoryMetadata = field(default_factory=RepositoryMetadata)
    # Facts about the snapshot itself the docs must warn of (e.g. a truncated tree).
    notes: tuple[str, ...] = ()
    # ``{path}`` (URL-quoted) and ``{line}`` are substituted; None: plain ``path:line``.
    source_url_template: str | None = None

    def source_url(self, path: str, line: int) -> str | None:
        if self.source_url_template is None:
            return None
        return self.source_url_template.format(path=quote(path, safe="/"), line=line)


def looks_binary(data: bytes) -> bool:
    """Git's own heuristic: a NUL byte in the first 8000 bytes."""
    return b"\0" in data[:BINARY_SNIFF_BYTES]


def human_size(n: int) -> str:
    """Bytes as a person reads them (1 MiB, 12.3 KiB)."""
    value = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            if unit == "bytes":
                return f"{int(value)} bytes"
            return f"{value:.1f} {unit}".replace(".0 ", " ")
        value /= 1024
    raise AssertionError("unreachable")
