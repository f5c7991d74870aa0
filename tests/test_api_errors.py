"""Every error answer of CONTRACT §4, with its JSON body."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen import errors
from docsgen.api.keys import POOL
from docsgen.api.middleware import status_of
from docsgen.db import accounts
from tests.support.api import register_local

Client = TestClient[Any, Any]


async def test_malformed_json_is_400(client: Client, auth: dict[str, str]) -> None:
    r = await client.post(
        "/api/generate-docs",
        data=b'{"repository_id": ',
        headers={**auth, "Content-Type": "application/json"},
    )
    assert r.status == 400
    assert await r.json() == {"error": "Request body is not valid JSON"}


async def test_a_body_that_is_not_an_object_is_400(client: Client, auth: dict[str, str]) -> None:
    r = await client.post("/api/generate-docs", json=["x"], headers=auth)
    assert r.status == 400
    assert await r.json() == {"error": "Request body must be a JSON object"}


async def test_missing_repository_id_is_400(client: Client, auth: dict[str, str]) -> None:
    r = await client.post("/api/generate-docs", json={"other": 1}, headers=auth)
    assert r.status == 400
    assert await r.json() == {"error": "repository_id is required"}


async def test_non_uuid_repository_id_is_400(client: Client, auth: dict[str, str]) -> None:
    r = await client.post("/api/generate-docs", json={"repository_id": "abc"}, headers=auth)
    assert r.status == 400
    assert await r.json() == {"error": "repository_id must be a UUID, got 'abc'"}
    r = await client.post("/api/generate-docs", json={"repository_id": 12}, headers=auth)
    assert r.status == 400
    assert await r.json() == {"error": "repository_id must be a UUID string"}


async def test_unknown_fields_are_ignored(
    app: web.Application, client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    r = await client.post(
        "/api/generate-docs", json={"repository_id": repo["id"], "colour": "blue"}, headers=auth
    )
    assert r.status == 202


async def test_no_credentials_is_401(client: Client) -> None:
    r = await client.post("/api/generate-docs", json={"repository_id": str(uuid.uuid4())})
    assert r.status == 401
    assert await r.json() == {
        "error": "Authentication required: send 'Authorization: Bearer <token>'"
    }


async def test_a_bad_token_is_401(client: Client) -> None:
    r = await client.get("/api/repositories", headers={"Authorization": "Bearer dg_not-a-token"})
    assert r.status == 401
    assert await r.json() == {"error": "Invalid API token"}
    r = await client.get("/api/repositories", headers={"Authorization": "Basic abc"})
    assert r.status == 401
    assert await r.json() == {"error": "Authorization must be 'Bearer <token>'"}


async def test_unknown_repository_is_404(client: Client, auth: dict[str, str]) -> None:
    r = await client.post(
        "/api/generate-docs", json={"repository_id": str(uuid.uuid4())}, headers=auth
    )
    assert r.status == 404
    assert await r.json() == {"error": "Repository not found"}


async def test_another_users_repository_is_the_same_404(
    app: web.Application, client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    bob = await accounts.create_user(app[POOL], "bob")
    bob_auth = {"Authorization": f"Bearer {await accounts.issue_token(app[POOL], bob)}"}
    missing = str(uuid.uuid4())
    for method, path, body in [
        ("POST", "/api/generate-docs", {"repository_id": repo["id"]}),
        ("GET", f"/api/repositories/{repo['id']}", None),
        ("GET", f"/api/repositories/{repo['id']}/docs/status", None),
        ("GET", f"/api/repositories/{repo['id']}/docs", None),
        ("GET", f"/api/repositories/{repo['id']}/docs.md", None),
        ("DELETE", f"/api/repositories/{repo['id']}", None),
    ]:
        theirs = await client.request(method, path, json=body, headers=bob_auth)
        gone = await client.request(
            method, path.replace(repo["id"], missing), json=body and {"repository_id": missing},
            headers=bob_auth,
        )  # fmt: skip
        assert theirs.status == gone.status == 404, path
        assert await theirs.json() == await gone.json() == {"error": "Repository not found"}
    listing = await (await client.get("/api/repositories", headers=bob_auth)).json()
    assert listing == {"repositories": []}


async def test_body_over_64_kib_is_413(client: Client, auth: dict[str, str]) -> None:
    r = await client.post(
        "/api/generate-docs",
        data=b'{"repository_id": "' + b"x" * (65 * 1024) + b'"}',
        headers={**auth, "Content-Type": "application/json"},
    )
    assert r.status == 413
    assert await r.json() == {"error": "Request body is larger than 64 KiB"}


async def test_chunked_body_over_64_kib_is_413(client: Client, auth: dict[str, str]) -> None:
    async def chunks() -> Any:
        for _ in range(70):
            yield b"x" * 1024

    r = await client.post(
        "/api/generate-docs", data=chunks(), headers={**auth, "Content-Type": "application/json"}
    )
    assert r.status == 413
    assert await r.json() == {"error": "Request body is larger than 64 KiB"}


async def test_a_body_that_is_not_json_is_415(client: Client, auth: dict[str, str]) -> None:
    r = await client.post(
        "/api/generate-docs", data="repository_id=1", headers={**auth, "Content-Type": "text/plain"}
    )
    assert r.status == 415
    assert await r.json() == {"error": "Request body must be JSON (Content-Type: application/json)"}


async def test_unknown_route_and_wrong_method_answer_json(client: Client) -> None:
    r = await client.get("/api/nothing-here")
    assert r.status == 404
    assert await r.json() == {"error": "Not found"}
    r = await client.put("/api/generate-docs")
    assert r.status == 405
    assert await r.json() == {"error": "Method not allowed"}
    assert "POST" in r.headers["Allow"]


def test_every_error_a_request_can_meet_has_its_status_in_the_one_table() -> None:
    # Signals inside a run and the embedded database's start-up never reach a request.
    not_answered = {errors.DocsgenError, errors.FenceLost, errors.UpToDate}
    not_answered.add(errors.EmbeddedDatabaseError)
    kinds = [
        kind
        for kind in vars(errors).values()
        if isinstance(kind, type) and issubclass(kind, errors.DocsgenError)
    ]
    assert len(kinds) > 20
    unmapped = [k.__name__ for k in kinds if k not in not_answered and status_of(k) == 500]
    assert unmapped == []
    assert status_of(errors.RepositoryNotFound) == 404
    assert status_of(errors.RepositoryEmpty) == 409  # via GenerationError
    assert status_of(errors.FenceLost) == 500
