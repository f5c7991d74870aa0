"""What the pipeline asks of a narrator: summaries written while the sections are built.

The generator asks no language model itself (it imports no adapter); a caller
that has one (``docsgen.narrative``) hands ``generate`` an object with these
methods, and the pipeline makes each summary a progress step after the
sections and grounds the summaries with them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor
from typing import Protocol

from docsgen.generator.engine.analysis_store import Store
from docsgen.generator.sections.base import SectionResult
from docsgen.snapshot import Snapshot


class Report(Protocol):
    """What the summaries of a run cost."""

    def line(self) -> str:
        """The cost in one line, for the log."""
        ...


class Narration(Protocol):
    """One run's summaries, under way from ``Narrator.begin``."""

    async def count(self) -> int:
        """How many summaries the run writes (each is a progress step)."""
        ...

    async def finish(
        self,
        sections: Sequence[SectionResult],
        progress: Callable[[int, str], Awaitable[None]],
        done: int,
        total: int,
    ) -> list[SectionResult]:
        """The sections with the summaries placed in them, each announced as a step."""
        ...

    def cancel(self) -> None:
        """Stop what is still under way."""
        ...

    def report(self) -> Report: ...


class Narrator(Protocol):
    def begin(self, snapshot: Snapshot, executor: Executor, store: Store | None) -> Narration:
        """Start on ``snapshot``'s summaries (the answers kept in ``store``)."""
        ...
