"""What every source adapter (local git, GitHub) shares: its interface and limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from docsgen.progress_schedule import ProgressCallback
from docsgen.settings import Settings
from docsgen.snapshot import Snapshot


@dataclass(frozen=True)
class SourceLimits:
    """Bounds on what a run reads; exceeding one fails the run with a message naming it."""

    max_repository_bytes: int
    max_file_bytes: int
    max_files: int

    @classmethod
    def from_settings(cls, settings: Settings) -> SourceLimits:
        return cls(settings.max_repository_bytes, settings.max_file_bytes, settings.max_files)


class Source(Protocol):
    """Produces a snapshot, reporting the 20/30/40 % steps of CONTRACT §3 as it goes."""

    async def fetch(self, progress: ProgressCallback) -> Snapshot: ...
