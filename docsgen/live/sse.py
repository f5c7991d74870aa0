"""Server-Sent Events on the wire: the frames, built once and shared by every subscriber."""

from __future__ import annotations

import json
from dataclasses import dataclass

from docsgen.db.jobs import DocsStatus

TERMINAL_STATUSES = frozenset({"completed", "failed"})

HEADERS = {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
    "X-Accel-Buffering": "no",  # proxies must not hold events back
}

# A comment line: EventSource ignores it, proxies see traffic, a gone client is noticed.
KEEPALIVE = b": keep-alive\n\n"


@dataclass(frozen=True, slots=True)
class Progress:
    """One state of a repository's row and its ``progress`` event, encoded once."""

    status: DocsStatus
    frame: bytes

    @classmethod
    def of(cls, status: DocsStatus) -> Progress:
        data = json.dumps(status.to_json(), separators=(",", ":"))
        return cls(status, f"id: {status.version}\nevent: progress\ndata: {data}\n\n".encode())

    @property
    def version(self) -> int:
        return self.status.version

    @property
    def terminal(self) -> bool:
        return self.status.status in TERMINAL_STATUSES
