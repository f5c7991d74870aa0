"""The app's limits hold at ``/mcp``: a body that trickles in is answered 408 and
closed, and ``generate_docs`` spends the user's state-changing requests a minute as
``POST /api/generate-docs`` does."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from docsgen.db.accounts import User
from docsgen.settings import Settings
from tests.support.api import register_local
from tests.support.gitrepo import make_repo
from tests.support.mcp import answer, over_http, refusal
from tests.test_slow_bodies import BODY_TIMEOUT, trickle

Client = TestClient[Any, Any]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings, body_timeout_seconds=BODY_TIMEOUT, state_changes_per_minute=2
    )


async def test_a_slow_body_is_answered_and_closed(client: Client, auth: dict[str, str]) -> None:
    route, text = await trickle(client, "POST", "/mcp", auth)
    assert text.startswith(b"HTTP/1.1 408 "), (route, text)
    assert b"\r\nConnection: close\r\n" in text
    assert text.endswith(b'{"error": "The request body did not arrive within 1 s"}')


async def test_generate_docs_counts_as_a_state_changing_request(
    client: Client, user: tuple[User, str], auth: dict[str, str], repos_root: Path
) -> None:
    for name in ("one", "two"):
        make_repo(repos_root / name, {f"{name}.py": "x = 1\n"})
        await register_local(client, auth, repos_root / name)  # spends the first request
    async with over_http(str(client.make_url("/mcp")), user[1]) as mcp:
        # Reading spends nothing.
        await answer(mcp, "list_repositories")
        await answer(mcp, "get_status", repository="one")
        refused = await refusal(mcp, "generate_docs", repository="one")
    assert "Too many requests: slow down and try again shortly (retry after" in refused
    response = await client.post("/api/repositories", json={}, headers=auth)
    assert response.status == 429  # the same allowance, spent
