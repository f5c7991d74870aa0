"""The progress schedule of CONTRACT §3: every step's percentage and text, in one place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

# What reports the steps: ``async (progress, step) -> None`` (the original's ProgressCallback).
ProgressCallback = Callable[[int, str], Awaitable[None]]

INITIALIZING = (0, "Initializing...")
FETCHING_METADATA = (20, "Fetching repository metadata")
# For a local repository this step checks that the path is readable instead of a
# token; the text stays the contract's so every run shows the same schedule.
FETCHING_AUTH = (30, "Fetching GitHub authentication")
FETCHING_TREE = (40, "Fetching repository file tree")
ANALYZING = (50, "Analyzing code structure")
SAVING = (90, "Saving documentation")
COMPLETED = (100, "Completed")
# A run whose head and generator equal the stored docs' (docs/freshness.md).
UP_TO_DATE = (100, "Documentation is already up to date")


def section_step(index: int, count: int, title: str) -> tuple[int, str]:
    """Section ``index`` (1-based) of ``count`` reaches 50 + 30·index/count."""
    return 50 + (30 * index) // count, f"Generating documentation: {title}..."
