"""How long the embedded PostgreSQL takes: first start (initdb), later starts, attach, stop.

    PYTHONPATH=. python bench/embedded_startup.py [ROUNDS]

Prints the median of each phase over ROUNDS fresh data folders, and each as a
ratio of "restart" (starting an existing cluster), measured in the same run.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docsgen.embedded import EmbeddedPostgres


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(rounds: int) -> None:
    phases: dict[str, list[float]] = {"first start": [], "restart": [], "attach": [], "stop": []}
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder) / "data"
            first = EmbeddedPostgres(data)
            first.mode  # noqa: B018 - the confinement probe is not part of a start
            phases["first start"].append(_timed(first.acquire))
            phases["stop"].append(_timed(first.release))
            phases["restart"].append(_timed(first.acquire))
            second = EmbeddedPostgres(data)
            phases["attach"].append(_timed(second.acquire))
            second.release()
            first.release()
    base = statistics.median(phases["restart"])
    mode = EmbeddedPostgres(Path(tempfile.gettempdir())).mode
    print(f"embedded PostgreSQL, confinement {mode!r}, {rounds} rounds (median)")
    for name, values in phases.items():
        median = statistics.median(values)
        print(f"  {name:<12} {median * 1000:8.1f} ms   {median / base:6.1f} x restart")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
