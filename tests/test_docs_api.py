"""Reading progress and documentation: status with ETag/304, docs, docs.md (CONTRACT §5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from tests.support.api import docs_of, register_local, wait_for_runs

Client = TestClient[Any, Any]


async def test_status_of_a_repository_never_generated_reads_idle(
    client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    r = await client.get(f"/api/repositories/{repo['id']}/docs/status", headers=auth)
    assert r.status == 200
    status = await r.json()
    assert status == {
        "repository_id": repo["id"],
        "status": "idle",
        "progress": 0,
        "current_step": None,
        "error_message": None,
        "started_at": None,
        "updated_at": None,
        "completed_at": None,
        "commit_sha": None,
        "head_sha": None,
        "commits_behind": None,
    }
    r = await client.get(f"/api/repositories/{repo['id']}/docs", headers=auth)
    assert r.status == 404
    assert await r.json() == {"error": "Documentation not generated yet", **status}
    r = await client.get(f"/api/repositories/{repo['id']}/docs.md", headers=auth)
    assert r.status == 404
    assert await r.json() == {
        "error": "No documentation has been generated for this repository yet"
    }


async def test_status_carries_an_etag_and_answers_304_until_it_changes(
    app: web.Application, client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    url = f"/api/repositories/{repo['id']}/docs/status"
    first = await client.get(url, headers=auth)
    etag = first.headers["ETag"]
    same = await client.get(url, headers={**auth, "If-None-Match": etag})
    assert same.status == 304
    assert same.headers["ETag"] == etag
    other = await client.get(url, headers={**auth, "If-None-Match": '"something-else"'})
    assert other.status == 200

    await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    await wait_for_runs(app)
    changed = await client.get(url, headers={**auth, "If-None-Match": etag})
    assert changed.status == 200
    assert changed.headers["ETag"] != etag
    assert (await changed.json())["status"] == "completed"


async def test_completed_docs_are_served_as_json_html_and_markdown(
    app: web.Application, client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    await wait_for_runs(app)
    docs = await docs_of(client, auth, repo["id"])
    assert docs["status"] == "completed"
    overview = docs["pages"]["overview"]
    assert (overview["title"], overview["parent"], overview["prev"]) == ("Overview", None, None)
    assert isinstance(overview["warnings"], int)
    assert overview["html"].startswith('<h1 id="overview">Overview</h1>')
    assert all("<script" not in page["html"] for page in docs["pages"].values())

    md = await client.get(f"/api/repositories/{repo['id']}/docs.md", headers=auth)
    assert md.status == 200
    assert md.content_type == "text/markdown"
    # Named after the repository (the folder's own name), not the path to it.
    assert md.headers["Content-Disposition"] == 'attachment; filename="sample-docs.md"'
    whole = await md.text()
    assert whole == docs["content"]
    # Every page's text is in the whole Markdown, in reading order.
    assert "## Overview\n" in whole and "## API Reference\n" in whole
