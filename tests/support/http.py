"""A small synchronous HTTP client for tests that drive ``docsgen serve`` subprocesses."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Answer:
    sent = dict(headers or {})
    data = None
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as err:
        return Answer(err.code, dict(err.headers), err.read())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def open_once(url: str, timeout: float = 30) -> Answer:
    """GET ``url`` without following a redirect (a sign-in link answers 303 when it works)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as err:
        return Answer(err.code, dict(err.headers), err.read())


def assert_signin_link_works_once(url: str) -> None:
    """The link opens a session once (303 with the session cookie), then is refused (400)."""
    first = open_once(url)
    assert first.status == 303, first.body[:200]
    assert first.headers.get("Set-Cookie", "").startswith("docsgen_session="), first.headers
    again = open_once(url)
    assert again.status == 400, "a sign-in link works once"


def wait_for_status(base: str, token: str, repository_id: str, timeout: float = 120) -> Any:
    """Poll the status row (as the browser does) until a terminal status, with a deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = call("GET", f"{base}/api/repositories/{repository_id}/docs/status", token=token)
        assert status.status == 200, status.body
        if status.json()["status"] in ("completed", "failed"):
            return status.json()
        time.sleep(0.1)  # polling an external process, with a deadline
    raise TimeoutError(f"generation of {repository_id} did not finish in {timeout} s")
