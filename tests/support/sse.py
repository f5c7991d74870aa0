"""A Server-Sent Events client for tests: what an EventSource would see, parsed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass(frozen=True)
class Event:
    id: int
    event: str
    data: dict[str, Any]

    @property
    def state(self) -> tuple[int, str, int, str | None]:
        """(version, status, progress, current_step): what tests compare."""
        return self.id, self.data["status"], self.data["progress"], self.data["current_step"]


@dataclass
class EventStream:
    """One open ``/docs/events`` response, read event by event."""

    response: aiohttp.ClientResponse
    events: list[Event] = field(default_factory=list)
    comments: int = 0

    async def next_event(self) -> Event | None:
        """The next event (comments skipped), or None when the server ends the stream."""
        while True:
            item = await self.next_item()
            if not isinstance(item, str):
                return item

    async def next_item(self) -> Event | str | None:
        """The next event or comment (its text), or None when the server ends the stream."""
        fields: dict[str, str] = {}
        while True:
            raw = await self.response.content.readline()
            if not raw:
                return None
            line = raw.decode().rstrip("\r\n")
            if line == "":
                if fields:
                    event = Event(int(fields["id"]), fields["event"], json.loads(fields["data"]))
                    self.events.append(event)
                    return event
                continue
            if line.startswith(":"):
                self.comments += 1
                return line[1:].strip()
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")

    async def read_to_end(self) -> list[Event]:
        """Every remaining event until the server ends the stream; returns all events seen."""
        while await self.next_event() is not None:
            pass
        return self.events

    def close(self) -> None:
        self.response.close()


async def open_stream(
    session: aiohttp.ClientSession,
    url: str,
    headers: dict[str, str],
    last_event_id: int | None = None,
) -> EventStream:
    """Connect like EventSource does; the caller checks the status."""
    send = {**headers, "Accept": "text/event-stream"}
    if last_event_id is not None:
        send["Last-Event-ID"] = str(last_event_id)
    response = await session.get(url, headers=send, timeout=aiohttp.ClientTimeout(total=None))
    return EventStream(response)
