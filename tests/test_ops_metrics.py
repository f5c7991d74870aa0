"""``/metrics``: runs by outcome, run durations, runs in progress, HTTP latency by route."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import RUN_DEPS
from docsgen.jobs.lifecycle import Run
from tests.support.api import register_local, scrape_metrics, wait_for_runs


async def test_runs_are_counted_by_outcome_with_their_duration(
    app: web.Application,
    client: TestClient[Any, Any],
    auth: dict[str, str],
    sample_repo: Path,
    repos_root: Path,
) -> None:
    ok = await register_local(client, auth, sample_repo)
    doomed_path = repos_root / "doomed"
    shutil.copytree(sample_repo, doomed_path)
    doomed = await register_local(client, auth, doomed_path)
    shutil.rmtree(doomed_path)  # its run will fail: the folder is gone

    for repo in (ok, doomed):
        response = await client.post(
            "/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth
        )
        assert response.status == 202
    await wait_for_runs(app)

    samples = await scrape_metrics(client)
    assert samples[("docsgen_runs_total", (("outcome", "completed"),))] == 1
    assert samples[("docsgen_runs_total", (("outcome", "failed"),))] == 1
    assert samples[("docsgen_run_duration_seconds_count", (("outcome", "completed"),))] == 1
    assert samples[("docsgen_run_duration_seconds_sum", (("outcome", "completed"),))] > 0
    assert samples[("docsgen_runs_in_progress", ())] == 0


async def test_runs_in_progress_counts_a_run_while_it_executes(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    reached, release = asyncio.Event(), asyncio.Event()

    async def hold(run: Run, progress: int, step: str) -> None:
        if progress == 40:
            reached.set()
            await release.wait()

    app[RUN_DEPS].on_progress.append(hold)
    await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    await reached.wait()
    assert (await scrape_metrics(client))[("docsgen_runs_in_progress", ())] == 1
    release.set()
    await wait_for_runs(app)
    assert (await scrape_metrics(client))[("docsgen_runs_in_progress", ())] == 0


async def test_http_latency_is_labelled_by_the_route_not_the_raw_url(
    client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    for _ in range(2):
        response = await client.get(f"/api/repositories/{repo['id']}/docs/status", headers=auth)
        assert response.status == 200
    assert (await client.get("/no/such/page")).status == 404
    assert (await client.get("/api/repositories")).status == 401

    samples = await scrape_metrics(client)
    name = "docsgen_http_request_duration_seconds_count"

    def count(method: str, route: str, status: str) -> float:
        labels = (("method", method), ("route", route), ("status", status))
        return samples.get((name, labels), 0)

    assert count("GET", "/api/repositories/{id}/docs/status", "200") == 2
    assert count("GET", "<unmatched>", "404") == 1
    assert count("GET", "/api/repositories", "401") == 1
    routes = {dict(labels)["route"] for (n, labels) in samples if n == name}
    assert not any(repo["id"] in route for route in routes)
