"""Helpers that talk to the app the way a client would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient
from prometheus_client.parser import text_string_to_metric_families

from docsgen.api.keys import POOL, RUN_DEPS
from docsgen.jobs.lifecycle import Run

Client = TestClient[Any, Any]
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


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


async def start_run(client: Client, headers: dict[str, str], repo_id: str, **extra: Any) -> None:
    """``POST /api/generate-docs`` (``extra``: more of its body, ``force``); it is accepted."""
    response = await client.post(
        "/api/generate-docs", json={"repository_id": repo_id, **extra}, headers=headers
    )
    assert response.status == 202, await response.text()


async def run_to_end(
    app: web.Application, client: Client, headers: dict[str, str], repo_id: str, **extra: Any
) -> None:
    """Start a run and await it, and any run it leaves pending."""
    await start_run(client, headers, repo_id, **extra)
    await wait_for_runs(app)


async def status_of(client: Client, headers: dict[str, str], repo_id: str) -> Any:
    """The repository's docs status, as the API shows it."""
    response = await client.get(f"/api/repositories/{repo_id}/docs/status", headers=headers)
    assert response.status == 200, await response.text()
    return await response.json()


async def docs_of(client: Client, headers: dict[str, str], repo_id: str) -> Any:
    """Everything the API shows of the repository's docs: the status, ``content`` (the
    whole Markdown of ``docs.md``, None before the first run) and ``pages``, every page
    by slug in reading order (``GET …/docs``, then each page by its slug)."""
    base = f"/api/repositories/{repo_id}/docs"
    response = await client.get(base, headers=headers)
    body = await response.json()
    if response.status == 404 and body.get("error") == "Documentation not generated yet":
        return {**body, "content": None, "pages": {}}
    assert response.status == 200, body
    pages = {body["page"]["slug"]: body["page"]}
    for entry in body["pages"][1:]:
        page = await client.get(f"{base}/pages/{entry['slug']}", headers=headers)
        assert page.status == 200, await page.text()
        pages[entry["slug"]] = await page.json()
    markdown = await client.get(f"{base}.md", headers=headers)
    assert markdown.status == 200, await markdown.text()
    status = {k: v for k, v in body.items() if k not in ("pages", "page")}
    return {**status, "content": await markdown.text(), "pages": pages}


async def generate(
    app: web.Application, client: Client, headers: dict[str, str], repo_id: str, **extra: Any
) -> Any:
    """Start a run, await it, and return the docs status as the API shows it."""
    await run_to_end(app, client, headers, repo_id, **extra)
    return await status_of(client, headers, repo_id)


class Steps:
    """Records every step a run writes (an ``on_progress`` observer)."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, str]] = []

    async def __call__(self, run: Run, progress: int, step: str) -> None:
        self.seen.append((progress, step))


async def scrape_metrics(client: Client) -> Samples:
    """``GET /metrics``, parsed: each sample's value by its name and labels."""
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    samples: Samples = {}
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples
