"""Helpers that talk to the app the way a client would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL, RUN_DEPS


async def register_local(
    client: TestClient[Any, Any], headers: dict[str, str], path: Path
) -> dict[str, Any]:
    response = await client.post(
        "/api/repositories", json={"provider": "local", "path": str(path)}, headers=headers
    )
    assert response.status == 201, await response.text()
    body: dict[str, Any] = await response.json()
    return body


async def wait_for_runs(app: web.Application) -> None:
    """Await every run task of this app (no polling: the tasks themselves)."""
    await app[RUN_DEPS].registry.join()


async def db_row(app: web.Application, repository_id: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await app[POOL].fetchrow(
        "SELECT * FROM generated_docs WHERE repository_id = $1::uuid", repository_id
    )
    return row
