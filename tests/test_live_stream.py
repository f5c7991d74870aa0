"""The SSE endpoint: what a subscriber sees, resuming, the end of a stream, bad input."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import LIVE_HUB, POOL
from docsgen.db import accounts, jobs
from docsgen.settings import Settings
from tests.support.api import register_local
from tests.support.live import events_path, next_state, url_of, wide_session
from tests.support.sse import Event, open_stream

KEEPALIVE = 0.1


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, sse_keepalive_seconds=KEEPALIVE)


async def _completed_run(app: web.Application, repository_id: uuid.UUID) -> int:
    """Claim, one step, complete; return the completed version (the hub saw each write)."""
    pool = app[POOL]
    with app[LIVE_HUB].subscribe(repository_id) as probe:
        await next_state(probe)
        run_id = await jobs.claim_run(pool, repository_id, 60)
        assert run_id is not None
        await next_state(probe)
        assert await jobs.update_progress(pool, run_id, 20, "Fetching repository metadata")
        await next_state(probe)
        assert await jobs.complete_run(pool, run_id, commit_sha="a" * 40, content="# x\n")
        done = await next_state(probe)
    assert done.terminal
    return done.version


async def test_the_first_event_is_the_status_endpoint_body_with_the_version_as_id(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    run_id = await jobs.claim_run(app[POOL], uuid.UUID(repo["id"]), 60)
    assert run_id is not None
    async with wide_session() as session:
        stream = await open_stream(session, url_of(client, events_path(repo["id"])), auth)
        assert stream.response.status == 200
        assert stream.response.headers["Content-Type"] == "text/event-stream"
        assert stream.response.headers["Cache-Control"] == "no-cache"
        first = await stream.next_event()
        status = await client.get(f"/api/repositories/{repo['id']}/docs/status", headers=auth)
        assert first == Event(1, "progress", await status.json())
        assert first.data["status"] == "generating"
        stream.close()


async def test_an_idle_repository_streams_idle_and_keepalive_comments_until_a_run_starts(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    async with wide_session() as session:
        stream = await open_stream(session, url_of(client, events_path(repo["id"])), auth)
        first = await stream.next_event()
        assert first is not None and first.state == (0, "idle", 0, None)
        # Nothing changes: the stream stays open with a comment every interval.
        assert await stream.next_item() == "keep-alive"
        assert await stream.next_item() == "keep-alive"
        assert await jobs.claim_run(app[POOL], uuid.UUID(repo["id"]), 60) is not None
        started = await stream.next_event()
        assert started is not None and started.state == (1, "generating", 0, "Initializing...")
        stream.close()


async def test_a_finished_run_is_sent_once_then_a_resuming_client_gets_204(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    final = await _completed_run(app, uuid.UUID(repo["id"]))
    url = url_of(client, events_path(repo["id"]))
    async with wide_session() as session:
        fresh = await open_stream(session, url, auth)
        assert [e.state for e in await fresh.read_to_end()] == [
            (final, "completed", 100, "Completed")
        ]
        # EventSource reconnects with the last id it saw: nothing will follow.
        for seen in (final, final + 5):
            again = await open_stream(session, url, auth, last_event_id=seen)
            assert again.response.status == 204
            again.close()
        # A client that missed the end gets it at once, and the stream ends.
        behind = await open_stream(session, url, auth, last_event_id=final - 1)
        assert behind.response.status == 200
        assert [e.id for e in await behind.read_to_end()] == [final]


async def test_resuming_mid_run_sends_only_newer_states(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    repository_id = uuid.UUID(repo["id"])
    pool = app[POOL]
    run_id = await jobs.claim_run(pool, repository_id, 60)
    assert run_id is not None
    current = await jobs.read_status(pool, repository_id, 60)
    async with wide_session() as session:
        url = url_of(client, events_path(repo["id"]))
        stream = await open_stream(session, url, auth, last_event_id=current.version)
        assert stream.response.status == 200
        # The client already has the current state: only a keep-alive comes.
        assert await stream.next_item() == "keep-alive"
        assert await jobs.update_progress(pool, run_id, 20, "Fetching repository metadata")
        newer = await stream.next_event()
        assert newer is not None
        assert newer.state == (
            current.version + 1,
            "generating",
            20,
            "Fetching repository metadata",
        )
        assert stream.events == [newer]
        stream.close()
        older = await open_stream(session, url, auth, last_event_id=current.version - 1)
        assert (await older.next_event()) == newer
        older.close()


async def test_access_and_bad_input(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    path = events_path(repo["id"])

    r = await client.get(path)
    assert r.status == 401
    assert (await r.json())["error"].startswith("Authentication required")

    bob = await accounts.create_user(app[POOL], "bob")
    bob_auth = {"Authorization": f"Bearer {await accounts.issue_token(app[POOL], bob)}"}
    r = await client.get(path, headers=bob_auth)
    assert r.status == 404  # someone else's repository reads as unknown
    assert await r.json() == {"error": "Repository not found"}
    r = await client.get(events_path(str(uuid.uuid4())), headers=auth)
    assert r.status == 404

    r = await client.get(events_path("not-a-uuid"), headers=auth)
    assert r.status == 400
    assert "repository id must be a UUID" in (await r.json())["error"]

    for bad in ("abc", "-1", "1.5", "9" * 30):
        r = await client.get(path, headers={**auth, "Last-Event-ID": bad})
        assert r.status == 400, bad
        assert (await r.json())["error"].startswith("Last-Event-ID must be the id of a progress")

    r = await client.post(path, headers=auth)
    assert r.status == 405
    assert app[LIVE_HUB].subscriber_count == 0
