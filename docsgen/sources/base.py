"""What every source adapter (local git, GitHub) shares: its interface and limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from docsgen.errors import RepositoryTooLarge
from docsgen.progress_schedule import ProgressCallback
from docsgen.settings import Settings
from docsgen.snapshot import Snapshot, human_size


@dataclass(frozen=True)
class SourceLimits:
    """Bounds on what a run reads; exceeding one fails the run with a message naming it."""

    max_repository_bytes: int
    max_file_bytes: int
    max_files: int

    @classmethod
    def from_settings(cls, settings: Settings) -> SourceLimits:
        return cls(settings.max_repository_bytes, settings.max_file_bytes, settings.max_files)

    def check(self, total_bytes: int, files: int) -> None:
        """Raise ``RepositoryTooLarge`` naming the limit a tree of this size exceeds.

        Sources call it on the tree's own sizes, before any file is read.
        """
        if total_bytes > self.max_repository_bytes:
            raise RepositoryTooLarge(
                f"Repository is too large: {human_size(total_bytes)} of files, over the limit of "
                f"{human_size(self.max_repository_bytes)}"
            )
        if files > self.max_files:
            raise RepositoryTooLarge(
                f"Repository is too large: {files} files, over the limit of {self.max_files} files"
            )


@dataclass(frozen=True)
class Head:
    """A repository's head commit now, and how far a documented commit is behind it."""

    sha: str
    commits_behind: int | None  # None: the documented commit is unknown to the source


class Source(Protocol):
    """A repository as an adapter reads it (docs/freshness.md for ``head_since``)."""

    async def fetch(self, progress: ProgressCallback) -> Snapshot:
        """The snapshot, reporting the 20/30/40 % steps of CONTRACT §3 as it goes."""
        ...

    async def head_since(self, documented: str) -> Head:
        """The head now; raises the ``GenerationError`` a run would (token missing, ...)."""
        ...
