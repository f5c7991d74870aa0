"""The arrangement of the database-outage tests: a service at some database URL, a run held.

The service answers with short database timeouts (1 s) and a lease long
enough that no reaper interferes; the run of a registered local repository is
held at a step until the test releases it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.app import create_app
from docsgen.api.keys import POOL, RUN_DEPS
from docsgen.db import accounts
from docsgen.settings import Settings
from tests.support.api import register_local
from tests.test_lifecycle import Gate

DOWN = {"error": "The database is unavailable; try again in a moment"}
TIMEOUT_SECONDS = 1.0
HELD_AT = "Fetching repository metadata"
# What the run that hits the outage at that step ends with.
FAILED_AT_HELD_STEP = (
    "Failed while fetching repository metadata: the database became unavailable; try again"
)


@dataclass
class HeldRun:
    app: web.Application
    client: TestClient[Any, Any]
    auth: dict[str, str]
    repository_id: str
    gate: Gate

    @property
    def status_url(self) -> str:
        return f"/api/repositories/{self.repository_id}/docs/status"


async def service_at(
    settings: Settings,
    database_url: str,
    aiohttp_client: Callable[..., Awaitable[TestClient[Any, Any]]],
    **overrides: Any,
) -> tuple[web.Application, TestClient[Any, Any], dict[str, str]]:
    """The app on ``database_url`` with short database timeouts, and a user's credentials."""
    values: dict[str, Any] = {"database_timeout_seconds": TIMEOUT_SECONDS, "lease_seconds": 30}
    app = create_app(replace(settings, database_url=database_url, **{**values, **overrides}))
    client = await aiohttp_client(app)
    user = await accounts.create_user(app[POOL], "alice")
    return app, client, {"Authorization": f"Bearer {await accounts.issue_token(app[POOL], user)}"}


async def held_run(
    settings: Settings,
    database_url: str,
    aiohttp_client: Callable[..., Awaitable[TestClient[Any, Any]]],
    repository: Path,
) -> HeldRun:
    """``service_at``, with a run of ``repository`` started and held at ``HELD_AT``."""
    app, client, auth = await service_at(settings, database_url, aiohttp_client)
    repo = await register_local(client, auth, repository)
    gate = Gate(hold_at=HELD_AT)
    app[RUN_DEPS].on_progress.append(gate)
    r = await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    assert r.status == 202, await r.text()
    await gate.reached.wait()
    return HeldRun(app, client, auth, repo["id"], gate)
