"""How ``docsgen generate`` shows the run's steps: a bar on a terminal, plain lines otherwise.

Both are progress callbacks (``async (progress, step) -> None``) fed the same
steps the service writes to its row (CONTRACT §3).
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn


class StepDisplay:
    """Remembers the last step, so a failure can name it (``Failed while <step>``)."""

    def __init__(self) -> None:
        self.progress = 0
        self.step = ""

    async def __call__(self, progress: int, step: str) -> None:
        self.progress, self.step = progress, step
        self.show(progress, step)

    def show(self, progress: int, step: str) -> None:
        raise NotImplementedError

    def __enter__(self) -> StepDisplay:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


class PlainLines(StepDisplay):
    """``[ 40%] Fetching repository file tree``: one line per step, for logs and CI."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def show(self, progress: int, step: str) -> None:
        print(f"[{progress:3d}%] {step}", file=self.stream, flush=True)


class ProgressBar(StepDisplay):
    """A rich progress bar with the percentage and the current step."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> ProgressBar:
        self.bar.start()
        self.task = self.bar.add_task("Initializing...", total=100)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.bar.stop()

    def show(self, progress: int, step: str) -> None:
        assert self.task is not None, "use ProgressBar as a context manager"
        self.bar.update(self.task, completed=progress, description=step)
        self.bar.refresh()


def display_for(stream: TextIO) -> StepDisplay:
    """A bar when ``stream`` is a terminal, plain lines when it is not."""
    return ProgressBar(stream) if stream.isatty() else PlainLines(stream)
