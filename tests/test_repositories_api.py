"""Registering, listing, showing and deleting repositories (CONTRACT §4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import RUN_DEPS
from tests.support.api import register_local, wait_for_runs
from tests.test_lifecycle import Gate

Client = TestClient[Any, Any]


async def test_register_a_local_repository(
    client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    body = await register_local(client, auth, sample_repo)
    assert body["provider"] == "local"
    assert body["path"] == str(sample_repo)
    assert body["full_name"] is None
    assert body["docs"]["status"] == "idle"
    assert body["docs"]["progress"] == 0
    shown = await (await client.get(f"/api/repositories/{body['id']}", headers=auth)).json()
    assert shown["id"] == body["id"]
    listing = await (await client.get("/api/repositories", headers=auth)).json()
    assert [r["id"] for r in listing["repositories"]] == [body["id"]]


async def test_registering_twice_is_409_with_the_existing_id(
    client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    first = await register_local(client, auth, sample_repo)
    r = await client.post(
        "/api/repositories",
        json={"provider": "local", "path": str(sample_repo) + "/"},
        headers=auth,
    )
    assert r.status == 409
    assert await r.json() == {"error": "This repository is already registered", "id": first["id"]}


async def test_register_github_by_name_or_url(client: Client, auth: dict[str, str]) -> None:
    r = await client.post(
        "/api/repositories", json={"provider": "github", "full_name": "octo/hello"}, headers=auth
    )
    assert r.status == 201
    body = await r.json()
    assert (body["provider"], body["full_name"], body["path"]) == ("github", "octo/hello", None)
    r = await client.post(
        "/api/repositories",
        json={"provider": "github", "full_name": "https://github.com/Octo/Hello.git"},
        headers=auth,
    )
    assert r.status == 409
    assert (await r.json())["id"] == body["id"]


async def test_bad_registrations_are_400_with_a_reason(
    client: Client, auth: dict[str, str], tmp_path: Path, repos_root: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    cases = [
        ({"provider": "svn"}, "provider must be 'github' or 'local'"),
        ({"provider": "github"}, "full_name is required for a GitHub repository"),
        (
            {"provider": "github", "full_name": "not a name"},
            "full_name must look like 'owner/name' or a GitHub repository URL",
        ),
        (
            {"provider": "github", "full_name": "https://gitlab.com/a/b"},
            "Not a GitHub repository URL: https://gitlab.com/a/b",
        ),
        ({"provider": "local"}, "path is required"),
        ({"provider": "local", "path": "relative/path"}, "Local repository path must be absolute: relative/path"),
        (
            {"provider": "local", "path": str(outside)},
            f"Local repository path {outside} is outside the allowed folders: {repos_root} "
            "(add its folder to DOCSGEN_LOCAL_ROOTS, ':'-separated, to allow it)",
        ),
        (
            {"provider": "local", "path": str(repos_root / "missing")},
            f"Not a folder: {repos_root / 'missing'}",
        ),
    ]  # fmt: skip
    for body, message in cases:
        r = await client.post("/api/repositories", json=body, headers=auth)
        assert r.status == 400, body
        assert await r.json() == {"error": message}
    listing = await (await client.get("/api/repositories", headers=auth)).json()
    assert listing == {"repositories": []}


async def test_a_path_escaping_the_roots_through_dotdot_is_refused(
    client: Client, auth: dict[str, str], repos_root: Path
) -> None:
    sneaky = f"{repos_root}/../../etc"
    r = await client.post(
        "/api/repositories", json={"provider": "local", "path": sneaky}, headers=auth
    )
    assert r.status == 400
    assert "outside the allowed folders" in (await r.json())["error"]


async def test_delete_is_refused_while_generating_then_allowed(
    app: web.Application, client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    gate = Gate(hold_at="Analyzing code structure")
    app[RUN_DEPS].on_progress.append(gate)
    await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    await gate.reached.wait()
    r = await client.delete(f"/api/repositories/{repo['id']}", headers=auth)
    assert r.status == 409
    assert (await r.json())["status"] == "generating"
    gate.release.set()
    await wait_for_runs(app)
    r = await client.delete(f"/api/repositories/{repo['id']}", headers=auth)
    assert r.status == 204
    r = await client.get(f"/api/repositories/{repo['id']}", headers=auth)
    assert r.status == 404
