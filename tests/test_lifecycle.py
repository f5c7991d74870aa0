"""The job lifecycle: claim, progress schedule, completion, fencing (CONTRACT §3, §4, §6)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL, RUN_DEPS
from docsgen.db import jobs
from docsgen.jobs.lifecycle import Run
from tests.support.api import db_row, docs_of, register_local, wait_for_runs
from tests.support.gitrepo import commit

CONTRACT_STEPS = [
    (0, "Initializing..."),
    (20, "Fetching repository metadata"),
    (30, "Fetching GitHub authentication"),
    (40, "Fetching repository file tree"),
    (50, "Analyzing code structure"),
]


class Gate:
    """Holds a run at a step until released, and records every step it sees."""

    def __init__(self, hold_at: str | None = None) -> None:
        self.hold_at = hold_at
        self.reached = asyncio.Event()
        self.release = asyncio.Event()
        self.steps: list[tuple[int, str]] = []

    async def __call__(self, run: Run, progress: int, step: str) -> None:
        self.steps.append((progress, step))
        if self.hold_at is not None and step.startswith(self.hold_at):
            self.reached.set()
            await self.release.wait()


async def test_a_run_follows_the_contract_schedule_and_completes(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    gate = Gate()
    app[RUN_DEPS].on_progress.append(gate)

    response = await client.post(
        "/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth
    )
    assert response.status == 202
    assert await response.json() == {
        "success": True,
        "message": "Documentation generation started",
        "data": {"repository_id": repo["id"], "status": "generating"},
    }
    await wait_for_runs(app)

    assert gate.steps[:4] == CONTRACT_STEPS[1:]
    sections = gate.steps[4:-1]
    assert [s for _, s in sections] == [
        "Generating documentation: Overview...",
        "Generating documentation: Getting Started...",
        "Generating documentation: Project Structure...",
        "Generating documentation: Architecture...",
        "Generating documentation: API Reference...",
        "Generating documentation: Dependencies...",
    ]
    n = len(sections)
    assert [p for p, _ in sections] == [50 + 30 * i // n for i in range(1, n + 1)]
    assert gate.steps[-1] == (90, "Saving documentation")
    progresses = [p for p, _ in gate.steps]
    assert progresses == sorted(progresses)

    status = await (
        await client.get(f"/api/repositories/{repo['id']}/docs/status", headers=auth)
    ).json()
    assert status["status"] == "completed"
    assert status["progress"] == 100
    assert status["current_step"] == "Completed"
    assert status["error_message"] is None
    assert len(status["commit_sha"]) == 40
    docs = await docs_of(client, auth, repo["id"])
    assert docs["content"].startswith("# sample\n")
    assert [p["title"] for p in docs["pages"].values() if p["parent"] is None] == [
        "Overview",
        "Getting Started",
        "Project Structure",
        "Architecture",
        "Dependencies",
        "API Reference",
    ]
    assert "Sample is a tiny library that greets people." in docs["content"]

    again = await client.post(
        "/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth
    )
    assert again.status == 202
    await wait_for_runs(app)


async def test_the_row_is_generating_at_zero_before_the_answer(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    gate = Gate(hold_at="Fetching repository metadata")
    app[RUN_DEPS].on_progress.append(gate)
    response = await client.post(
        "/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth
    )
    assert response.status == 202
    row = await db_row(app, repo["id"])
    assert row is not None and row["status"] == "generating"
    assert row["progress"] in (0, 20)
    await gate.reached.wait()
    gate.release.set()
    await wait_for_runs(app)


async def test_fifty_concurrent_starts_give_one_202_and_49_409(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    gate = Gate(hold_at="Fetching repository metadata")
    app[RUN_DEPS].on_progress.append(gate)

    async def start() -> tuple[int, Any]:
        r = await client.post(
            "/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth
        )
        return r.status, await r.json()

    answers = await asyncio.gather(*(start() for _ in range(50)))
    statuses = sorted(s for s, _ in answers)
    assert statuses == [202] + [409] * 49
    for status, body in answers:
        if status == 409:
            assert body == {
                "error": "Documentation generation is already in progress",
                "repository_id": repo["id"],
                "status": "generating",
            }
    gate.release.set()
    await wait_for_runs(app)
    assert gate.steps.count((20, "Fetching repository metadata")) == 1


async def test_a_new_run_keeps_the_last_docs_readable_until_it_saves(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    await wait_for_runs(app)
    first = await docs_of(client, auth, repo["id"])

    commit(sample_repo, {"README.md": "# Sample\n\nA changed description.\n"})
    gate = Gate(hold_at="Saving documentation")
    app[RUN_DEPS].on_progress.append(gate)
    await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    await gate.reached.wait()
    during = await docs_of(client, auth, repo["id"])
    assert during["status"] == "generating"
    assert during["content"] == first["content"]
    assert during["commit_sha"] == first["commit_sha"]
    gate.release.set()
    await wait_for_runs(app)
    after = await docs_of(client, auth, repo["id"])
    assert "A changed description." in after["content"]
    assert after["commit_sha"] != first["commit_sha"]


async def test_a_fenced_write_from_a_superseded_run_changes_nothing(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    repository_id = uuid.UUID(repo["id"])
    pool = app[POOL]
    old_run = await jobs.claim_run(pool, repository_id, lease_seconds=60)
    assert old_run is not None
    # The old run's process dies; its lease runs out and a new run takes over.
    await pool.execute(
        "UPDATE generated_docs SET heartbeat_at = now() - interval '1 hour' WHERE run_id = $1",
        old_run,
    )
    new_run = await jobs.claim_run(pool, repository_id, lease_seconds=60)
    assert new_run is not None and new_run != old_run
    before = await db_row(app, repo["id"])

    assert await jobs.update_progress(pool, old_run, 80, "stale write") is False
    assert await jobs.heartbeat(pool, old_run) is False
    assert await jobs.fail_run(pool, old_run, "stale failure") is False
    assert await jobs.complete_run(pool, old_run, commit_sha="x", content="stale") is False
    assert await db_row(app, repo["id"]) == before


async def test_a_run_that_loses_its_row_stops(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    gate = Gate(hold_at="Fetching repository metadata")
    app[RUN_DEPS].on_progress.append(gate)
    await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    await gate.reached.wait()
    # Another process reaps the run as dead and a new claim takes the row.
    pool = app[POOL]
    await pool.execute(
        "UPDATE generated_docs SET heartbeat_at = now() - interval '1 hour' "
        "WHERE repository_id = $1::uuid",
        repo["id"],
    )
    assert await jobs.reap_expired_runs(pool, 60) == [uuid.UUID(repo["id"])]
    gate.release.set()
    await wait_for_runs(app)
    row = await db_row(app, repo["id"])
    assert row is not None
    assert row["status"] == "failed"
    assert row["error_message"] == jobs.STALE_MESSAGE
    assert row["content"] is None  # the stopped run saved nothing
    assert "Fetching GitHub authentication" not in [s for _, s in gate.steps]


async def test_status_of_a_dead_run_reads_failed_before_any_reaper(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    pool = app[POOL]
    run_id = await jobs.claim_run(pool, uuid.UUID(repo["id"]), 60)
    assert run_id is not None
    await pool.execute(
        "UPDATE generated_docs SET heartbeat_at = now() - interval '2 minutes' WHERE run_id = $1",
        run_id,
    )
    status = await (
        await client.get(f"/api/repositories/{repo['id']}/docs/status", headers=auth)
    ).json()
    assert status["status"] == "failed"
    assert status["error_message"] == jobs.STALE_MESSAGE
    retry = await client.post(
        "/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth
    )
    assert retry.status == 202
    await wait_for_runs(app)


async def test_concurrent_starts_split_across_two_app_instances_give_one_run(
    settings: Any, aiohttp_client: Any, auth: dict[str, str], client: TestClient[Any, Any],
    app: web.Application, sample_repo: Path,
) -> None:  # fmt: skip
    from docsgen.api.app import create_app

    repo = await register_local(client, auth, sample_repo)
    other_app = create_app(settings)  # its own pool and process pool, the same database
    other = await aiohttp_client(other_app)
    gates = [
        Gate(hold_at="Fetching repository metadata"),
        Gate(hold_at="Fetching repository metadata"),
    ]
    app[RUN_DEPS].on_progress.append(gates[0])
    other_app[RUN_DEPS].on_progress.append(gates[1])

    async def start(c: TestClient[Any, Any]) -> int:
        r = await c.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
        return r.status

    statuses = await asyncio.gather(*(start(client if i % 2 else other) for i in range(50)))
    assert sorted(statuses) == [202] + [409] * 49
    for gate in gates:
        gate.release.set()
    await wait_for_runs(app)
    await wait_for_runs(other_app)
    started = [g.steps.count((20, "Fetching repository metadata")) for g in gates]
    assert sum(started) == 1


async def test_a_live_run_outlasts_its_lease_through_heartbeats(
    settings: Any, aiohttp_client: Any, repos_root: Path, sample_repo: Path
) -> None:
    from dataclasses import replace

    from docsgen.api.app import create_app
    from docsgen.db import accounts

    short = replace(settings, lease_seconds=0.6, heartbeat_seconds=0.1, reaper_interval_seconds=0.1)
    app = create_app(short)
    client = await aiohttp_client(app)
    user = await accounts.create_user(app[POOL], "hb")
    auth = {"Authorization": f"Bearer {await accounts.issue_token(app[POOL], user)}"}
    repo = await register_local(client, auth, sample_repo)
    gate = Gate(hold_at="Analyzing code structure")
    app[RUN_DEPS].on_progress.append(gate)
    await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    await gate.reached.wait()
    # Time passing is the point here: three leases go by while the run is held.
    await asyncio.sleep(1.8)
    assert await jobs.reap_expired_runs(app[POOL], short.lease_seconds) == []
    status = await (
        await client.get(f"/api/repositories/{repo['id']}/docs/status", headers=auth)
    ).json()
    assert status["status"] == "generating"
    gate.release.set()
    await wait_for_runs(app)
    status = await (
        await client.get(f"/api/repositories/{repo['id']}/docs/status", headers=auth)
    ).json()
    assert status["status"] == "completed"
