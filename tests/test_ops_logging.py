"""Request ids (``X-Request-Id`` in and out) and JSON log lines that carry them."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.ops.logs import configure_logging
from tests.support.api import register_local, wait_for_runs


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging(json_lines=True, stream=stream)
    yield stream
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


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
