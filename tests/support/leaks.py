"""Watching for secrets: every log record and every HTTP answer of a test, searched at the end.

``LeakWatch.attach(app)`` records each answer's status line, headers and body;
the ``leak_watch`` fixture captures every log record (DEBUG and up) and, after
the test, fails it if any secret of the fake GitHub appears in either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

import pytest
from aiohttp import web

from tests.support.fake_github import FakeGitHub


class LeakWatch:
    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self._caplog = caplog
        self.answers: list[str] = []
        self._formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")

    def attach(self, app: web.Application) -> None:
        app.on_response_prepare.append(self._record)

    async def _record(self, request: web.Request, response: web.StreamResponse) -> None:
        parts = [f"{response.status} {response.reason}"]
        parts += [f"{k}: {v}" for k, v in response.headers.items()]
        body = getattr(response, "body", None)
        if isinstance(body, bytes | bytearray):
            parts.append(bytes(body).decode("utf-8", errors="replace"))
        elif body is not None:
            parts.append(repr(body))
        self.answers.append("\n".join(parts))

    def logs(self) -> list[str]:
        # ``caplog.records`` holds the current phase's only: at teardown, not the test's.
        phases = ("setup", "call", "teardown")
        return [self._formatter.format(r) for p in phases for r in self._caplog.get_records(p)]

    def texts(self) -> Iterator[str]:
        yield from self.logs()
        yield from self.answers

    def leaks(self, secrets: Iterable[str]) -> list[str]:
        """Each secret that appears somewhere, described without repeating it."""
        found = []
        for secret in secrets:
            for text in self.texts():
                if secret and secret in text:
                    where = text.replace(secret, "<SECRET>")[:120]
                    found.append(f"a secret of {len(secret)} chars in: {where!r}")
                    break
        return found

    def reset(self) -> None:
        self.answers.clear()
        self._caplog.clear()


@pytest.fixture
def leak_watch(caplog: pytest.LogCaptureFixture, fake_github: FakeGitHub) -> Iterator[LeakWatch]:
    caplog.set_level(logging.DEBUG)
    watch = LeakWatch(caplog)
    yield watch
    leaks = watch.leaks(fake_github.secrets())
    assert not leaks, "secrets leaked into logs or answers:\n" + "\n".join(leaks)
