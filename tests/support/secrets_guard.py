"""Finds secrets where none may appear: logs, HTTP answers, error messages.

``SecretsGuard`` is the test-wide guard (the autouse ``secrets_guard`` fixture
in tests/conftest.py): it keeps every log record of a test (DEBUG and up, all
phases) and every answer of each app attached to it (status, headers with
cookies, body), and at the end of the test searches them for anything shaped
like a token (``SECRET_PATTERNS``) and for every literal secret it was told of
(the test secret key, the fake GitHub's tokens and secrets).  The output of
``docsgen serve`` subprocesses started through ``tests/support/processes.py``
is searched too.  What it reports
names the kind and length of a secret, never the secret itself.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator

import pytest
from aiohttp import web

# API tokens, GitHub tokens (classic, OAuth, app, fine-grained).
SECRET_PATTERNS = (
    re.compile(r"\bdg_[A-Za-z0-9_-]{40,}"),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"),
)


def find_secrets(text: str, literals: Iterable[str] = ()) -> list[str]:
    """Every secret-looking string in ``text``, plus any of ``literals`` it contains."""
    found = [m.group(0) for pattern in SECRET_PATTERNS for m in pattern.finditer(text)]
    found += [lit for lit in literals if lit and lit in text]
    return found


class SecretsGuard:
    def __init__(self, caplog: pytest.LogCaptureFixture, literals: Iterable[str] = ()) -> None:
        self._caplog = caplog
        self._formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        self._literals = set(literals)
        self._sources: list[Callable[[], Iterable[str]]] = []
        self._outputs: list[Callable[[], str]] = []
        self.answers: list[str] = []

    def watch_for(self, source: Callable[[], Iterable[str]]) -> None:
        """Also look for what ``source()`` returns at the end (secrets issued meanwhile count)."""
        self._sources.append(source)

    def read_also(self, output: Callable[[], str]) -> None:
        """Search ``output()`` too at the end: a subprocess's log, for instance."""
        self._outputs.append(output)

    def attach(self, app: web.Application) -> None:
        """Record every answer ``app`` gives, whichever way it was made."""
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
        for output in self._outputs:
            yield output()

    def secrets(self) -> set[str]:
        found = set(self._literals)
        for source in self._sources:
            found.update(source())
        return {s for s in found if s}

    def leaks(self) -> list[str]:
        """Each leak found, described without repeating the secret."""
        literals = self.secrets()
        found = []
        for text in self.texts():
            for secret in sorted(set(find_secrets(text, literals))):
                where = text.replace(secret, "<SECRET>")[:160]
                found.append(f"a secret of {len(secret)} chars ({secret[:3]}…) in: {where!r}")
        return found

    def reset(self) -> None:
        """Forget what was recorded so far (a test that planted leaks on purpose)."""
        self.answers.clear()
        self._caplog.clear()
