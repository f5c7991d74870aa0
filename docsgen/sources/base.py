"""What every source adapter (local git, GitHub) shares: its interface and limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from docsgen.generator.markdown import printable
from docsgen.generator.pipeline import ProgressCallback
from docsgen.settings import Settings
from docsgen.snapshot import Snapshot, SnapshotFile

NAME_NOT_UTF8 = "file name is not valid UTF-8"


@dataclass(frozen=True)
class SourceLimits:
    """Bounds on what a run reads; exceeding one fails the run with a message naming it."""

    max_repository_bytes: int
    max_file_bytes: int
    max_files: int

    @classmethod
    def from_settings(cls, settings: Settings) -> SourceLimits:
        return cls(settings.max_repository_bytes, settings.max_file_bytes, settings.max_files)


def name_is_utf8(path: str) -> bool:
    """Whether ``path``, decoded with ``surrogateescape`` as sources do, was valid UTF-8."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def file_with_odd_name(path: str, size: int, blob_sha: str) -> SnapshotFile:
    """A file whose name is not valid UTF-8: listed under its ``printable`` name (each
    such byte as ``\\xNN``), not read. The generator, the database and the docs hold
    UTF-8 text only; the name as it is could not reach them."""
    return SnapshotFile(printable(path), size, blob_sha, None, NAME_NOT_UTF8)


class Source(Protocol):
    """Produces a snapshot, reporting the 20/30/40 % steps of CONTRACT §3 as it goes."""

    async def fetch(self, progress: ProgressCallback) -> Snapshot: ...
