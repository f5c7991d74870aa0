"""Request ids (``X-Request-Id`` in and out) and JSON log lines that carry them."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from yarl import URL

from docsgen.ops.logs import configure_logging
from tests.support.api import register_local, wait_for_runs
from tests.support.gitrepo import SAMPLE_FILES, make_repo


def _logs_to_a_stream(*, json_lines: bool) -> Iterator[io.StringIO]:
    """The service's logging set-up, writing to a string; the test's own restored after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging(json_lines=json_lines, stream=stream)
    yield stream
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    yield from _logs_to_a_stream(json_lines=True)


@pytest.fixture
def plain_logs() -> Iterator[io.StringIO]:
    yield from _logs_to_a_stream(json_lines=False)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_a_given_request_id_is_echoed_and_a_missing_or_odd_one_is_replaced(
    client: TestClient[Any, Any],
) -> None:
    given = await client.get("/healthz", headers={"X-Request-Id": "edge-42.a:b"})
    assert given.headers["X-Request-Id"] == "edge-42.a:b"
    fresh = await client.get("/healthz")
    odd = await client.get("/healthz", headers={"X-Request-Id": "bad id\twith spaces"})
    for response in (fresh, odd):
        assert len(response.headers["X-Request-Id"]) == 32
    assert fresh.headers["X-Request-Id"] != odd.headers["X-Request-Id"]
    missing = await client.get("/nope", headers={"X-Request-Id": "err-1"})
    assert missing.status == 404 and missing.headers["X-Request-Id"] == "err-1"


async def test_json_logs_carry_the_request_id_also_into_the_run_it_started(
    app: web.Application,
    client: TestClient[Any, Any],
    auth: dict[str, str],
    sample_repo: Path,
    json_logs: io.StringIO,
) -> None:
    repo = await register_local(client, auth, sample_repo)
    response = await client.post(
        "/api/generate-docs",
        json={"repository_id": repo["id"]},
        headers={**auth, "X-Request-Id": "gen-7"},
    )
    assert response.status == 202
    await wait_for_runs(app)
    lines = _lines(json_logs)
    access = [
        e for e in lines if e["logger"] == "docsgen.access" and e.get("request_id") == "gen-7"
    ]
    assert access == [
        {
            **access[0],
            "level": "INFO",
            "method": "POST",
            "path": "/api/generate-docs",
            "status": 202,
        }
    ]
    assert isinstance(access[0]["duration_ms"], float)
    completed = [e for e in lines if "completed for" in e["message"]]
    assert completed and completed[0]["request_id"] == "gen-7"
    assert all(auth["Authorization"].split()[1] not in json.dumps(e) for e in lines)


# A line as the plain format writes it; forged into logged values below.
FORGED = "2026-01-01 00:00:00,000 INFO docsgen.access [-] GET /admin 200 0.1ms"
RECORD_START = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+ \[[^\]]*\] "
)


async def test_no_logged_value_forges_a_line_in_the_plain_format(
    app: web.Application,
    client: TestClient[Any, Any],
    auth: dict[str, str],
    repos_root: Path,
    plain_logs: io.StringIO,
) -> None:
    # A request path with an encoded line break (and a terminal escape).
    path = "/nope%0a" + quote(FORGED) + "%0d%1b%5b2J"
    assert (await client.get(URL(path, encoded=True))).status == 404
    # A CSP report's fields.
    report = {"violated-directive": f"script-src\n{FORGED}", "line-number": f"1\r\n{FORGED}"}
    response = await client.post("/api/csp-report", json={"csp-report": report})
    assert response.status == 204
    # A repository's path, logged when its run completes.
    folder = repos_root / f"sample\n{FORGED}"
    make_repo(folder, SAMPLE_FILES)
    repository = await register_local(client, auth, folder)
    response = await client.post(
        "/api/generate-docs", json={"repository_id": repository["id"]}, headers=auth
    )
    assert response.status == 202
    await wait_for_runs(app)
    # An exception's message, in the traceback.
    try:
        raise ValueError(f"bad value\n{FORGED}")
    except ValueError:
        logging.getLogger("docsgen.test").exception("failed\u2028%s", FORGED)

    text = plain_logs.getvalue()
    lines = text.split("\n")[:-1]
    strays = [line for line in lines if not RECORD_START.match(line) and line[:4] != "    "]
    assert strays == []
    assert [line for line in lines if line.startswith(FORGED)] == []
    for escaped in (
        f"GET /nope\\n{FORGED}\\r\\x1b[2J 404",
        f"script-src\\n{FORGED} blocked",
        "completed for " + str(folder).replace("\n", "\\n"),
        f"failed\\u2028{FORGED}",
    ):
        assert escaped in text, escaped
    assert f"\n    {FORGED}\n" in text  # the traceback's line, indented


async def test_json_logs_stay_one_record_per_line_whatever_a_value_holds(
    client: TestClient[Any, Any], json_logs: io.StringIO
) -> None:
    path = "/nope%E2%80%A8" + quote(FORGED) + "%C2%85x%0a"
    assert (await client.get(URL(path, encoded=True))).status == 404
    lines = _lines(json_logs)  # str.splitlines: it breaks at U+2028 and U+0085 too
    [access] = [e for e in lines if e["logger"] == "docsgen.access"]
    assert access["path"] == f"/nope\u2028{FORGED}\x85x\n"
