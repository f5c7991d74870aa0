"""Connecting a GitHub account with a token, storing it encrypted, listing repositories."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.app import openapi_paths
from docsgen.api.keys import POOL
from docsgen.api.routes import github as github_routes
from docsgen.db import accounts
from docsgen.github.crypto import Sealed, TokenCipher
from docsgen.github.tokens import load_token
from docsgen.settings import Settings
from tests.support.fake_github import FakeGitHub, FakeUser, connect_github, register_github

Client = TestClient[Any, Any]
pytestmark = pytest.mark.on_fake_github


async def stored_row(app: web.Application, user_id: uuid.UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await app[POOL].fetchrow(
        "SELECT * FROM github_connections WHERE user_id = $1", user_id
    )
    return row


# --- PUT / GET / DELETE ---------------------------------------------------------------


async def test_a_token_connects_the_account_and_is_stored_as_ciphertext(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    user: tuple[accounts.User, str],
    settings: Settings,
    fake_github: FakeGitHub,
    alice_github: FakeUser,
) -> None:
    body = await connect_github(client, auth, alice_github.token)
    assert body["connected"] is True
    assert body["login"] == "alice-gh"
    assert body["github_user_id"] == alice_github.id
    assert body["scopes"] == ["repo", "read:user"]
    assert body["method"] == "token"
    assert fake_github.count("user") == 1  # validated against GET /user

    shown = await (await client.get("/api/github/connection", headers=auth)).json()
    assert shown == body
    assert alice_github.token not in str(shown)

    row = await stored_row(app, user[0].id)
    assert row is not None
    ciphertext = bytes(row["token_ciphertext"])
    assert alice_github.token.encode() not in ciphertext
    assert alice_github.token not in str(dict(row))
    cipher = TokenCipher.required(settings)
    assert row["token_key_id"] == cipher.key_id
    assert cipher.open(Sealed(row["token_key_id"], ciphertext), user[0].id) == alice_github.token

    # Connecting again replaces the row; a fresh nonce gives a different ciphertext.
    await connect_github(client, auth, alice_github.token)
    again = await stored_row(app, user[0].id)
    assert again is not None and bytes(again["token_ciphertext"]) != ciphertext
    assert await app[POOL].fetchval("SELECT count(*) FROM github_connections") == 1


async def test_a_fine_grained_token_reports_no_scopes(
    client: Client, auth: dict[str, str], fake_github: FakeGitHub
) -> None:
    fine = fake_github.add_user("alice-gh", scopes=None)
    assert (await connect_github(client, auth, fine.token))["scopes"] is None


async def test_a_token_github_rejects_is_refused_and_nothing_is_stored(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    user: tuple[accounts.User, str],
) -> None:
    response = await client.put(
        "/api/github/connection", json={"token": "ghp_not_a_real_token"}, headers=auth
    )
    assert response.status == 400
    assert await response.json() == {
        "error": "GitHub rejected this token (401 Bad credentials); check that it is a valid, "
        "unexpired personal access token"
    }
    assert await stored_row(app, user[0].id) is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "token is required: a GitHub personal access token"),
        ({"token": ""}, "token is required: a GitHub personal access token"),
        ({"token": 42}, "token is required: a GitHub personal access token"),
        ({"token": "two words"}, "token does not look like a GitHub token (printable, no spaces)"),
    ],
)
async def test_a_missing_or_malformed_token_gets_400(
    client: Client, auth: dict[str, str], fake_github: FakeGitHub, body: Any, message: str
) -> None:
    response = await client.put("/api/github/connection", json=body, headers=auth)
    assert response.status == 400
    assert await response.json() == {"error": message}
    assert fake_github.count("user") == 0


async def test_connection_routes_need_credentials(client: Client) -> None:
    for method, path in [
        ("PUT", "/api/github/connection"),
        ("GET", "/api/github/connection"),
        ("DELETE", "/api/github/connection"),
        ("GET", "/api/github/repos"),
    ]:
        response = await client.request(method, path, json={"token": "x"})
        assert response.status == 401, (method, path)


async def test_delete_disconnects_and_a_run_then_lacks_the_token(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    user: tuple[accounts.User, str],
    connected: FakeUser,
) -> None:
    response = await client.delete("/api/github/connection", headers=auth)
    assert response.status == 204
    assert await stored_row(app, user[0].id) is None
    assert await (await client.get("/api/github/connection", headers=auth)).json() == {
        "connected": False
    }
    assert (await client.delete("/api/github/connection", headers=auth)).status == 204


@pytest.mark.parametrize("github_overrides", [{"secret_key": None}])
async def test_without_a_secret_key_tokens_are_refused_not_stored_in_plain(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    user: tuple[accounts.User, str],
    fake_github: FakeGitHub,
    alice_github: FakeUser,
) -> None:
    response = await client.put(
        "/api/github/connection", json={"token": alice_github.token}, headers=auth
    )
    assert response.status == 503
    assert await response.json() == {
        "error": "GitHub tokens cannot be stored: DOCSGEN_SECRET_KEY is not set on this server, "
        "and tokens are never stored unencrypted"
    }
    assert await stored_row(app, user[0].id) is None
    assert fake_github.count("user") == 0


async def test_registering_a_github_repository_needs_no_network(
    client: Client, auth: dict[str, str], fake_github: FakeGitHub
) -> None:
    repo = await register_github(client, auth, "https://github.com/someone/project.git")
    assert repo["full_name"] == "someone/project"
    assert sum(fake_github.counts.values()) == 0


# --- key rotation and binding ---------------------------------------------------------


async def test_a_rotated_key_still_opens_old_tokens_and_reseals_them(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    user: tuple[accounts.User, str],
    settings: Settings,
    connected: FakeUser,
) -> None:
    pool = app[POOL]
    old_id = TokenCipher.required(settings).key_id
    assert settings.secret_key is not None

    rotated = dataclasses.replace(
        settings, secret_key="a-brand-new-secret-key", previous_secret_keys=(settings.secret_key,)
    )
    new_id = TokenCipher.required(rotated).key_id
    assert new_id != old_id
    assert await load_token(pool, rotated, user[0].id) == connected.token
    row = await stored_row(app, user[0].id)
    assert row is not None and row["token_key_id"] == new_id  # sealed again with the new key
    assert await load_token(pool, rotated, user[0].id) == connected.token

    # A server that has lost the key cannot open the token: it reads as missing.
    forgotten = dataclasses.replace(settings, secret_key="yet-another-key")
    assert await load_token(pool, forgotten, user[0].id) is None
    assert (
        await load_token(pool, dataclasses.replace(settings, secret_key=None), user[0].id) is None
    )


async def test_a_ciphertext_copied_to_another_user_does_not_open(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    user: tuple[accounts.User, str],
    settings: Settings,
    connected: FakeUser,
) -> None:
    pool = app[POOL]
    mallory = await accounts.create_user(pool, "mallory")
    await pool.execute(
        "INSERT INTO github_connections (user_id, github_login, method, token_key_id, "
        "token_ciphertext) SELECT $2, github_login, method, token_key_id, token_ciphertext "
        "FROM github_connections WHERE user_id = $1",
        user[0].id,
        mallory.id,
    )
    assert await load_token(pool, settings, mallory.id) is None
    assert await load_token(pool, settings, user[0].id) == connected.token


# --- GET /api/github/repos --------------------------------------------------------------


async def test_repos_lists_every_page_and_marks_registered_ones(
    client: Client, auth: dict[str, str], fake_github: FakeGitHub, connected: FakeUser
) -> None:
    for i in range(150):
        fake_github.add_empty_repo("alice-gh", f"project-{i:03}", private=i % 2 == 0)
    fake_github.add_empty_repo("stranger", "not-mine")
    registered = await register_github(client, auth, "alice-gh/project-007")

    response = await client.get("/api/github/repos", headers=auth)
    assert response.status == 200
    body = await response.json()
    names = [r["full_name"] for r in body["repositories"]]
    assert names == [f"alice-gh/project-{i:03}" for i in range(150)]
    assert fake_github.count("user_repos") == 2  # 100 per page, following Link: rel="next"
    assert body["truncated"] is False
    by_name = {r["full_name"]: r for r in body["repositories"]}
    assert by_name["alice-gh/project-007"]["registered_id"] == registered["id"]
    assert by_name["alice-gh/project-008"]["registered_id"] is None
    assert by_name["alice-gh/project-008"]["private"] is True
    assert by_name["alice-gh/project-008"]["default_branch"] == "main"


async def test_repos_without_a_connection_says_to_reconnect(
    client: Client, auth: dict[str, str], fake_github: FakeGitHub
) -> None:
    response = await client.get("/api/github/repos", headers=auth)
    assert response.status == 409
    assert await response.json() == {
        "error": "GitHub token missing. Please reconnect your GitHub account"
    }
    assert fake_github.count("user_repos") == 0


async def test_repos_with_a_revoked_token_says_to_reconnect(
    client: Client, auth: dict[str, str], fake_github: FakeGitHub, connected: FakeUser
) -> None:
    fake_github.revoke(connected.token)
    response = await client.get("/api/github/repos", headers=auth)
    assert response.status == 409
    assert await response.json() == {
        "error": "GitHub rejected the stored token. Please reconnect your GitHub account"
    }


async def test_repos_reports_githubs_failures(
    client: Client, auth: dict[str, str], fake_github: FakeGitHub, connected: FakeUser
) -> None:
    fake_github.fail("user_repos", 503, "Unicorns ate the server", times=None)
    response = await client.get("/api/github/repos", headers=auth)
    assert response.status == 502
    assert await response.json() == {
        "error": "GitHub API request failed: 503 Service Unavailable: Unicorns ate the server "
        "(after 4 attempts)"
    }
    fake_github.clear_faults()
    fake_github.rate_limit("user_repos", reset_in=600)
    limited = await client.get("/api/github/repos", headers=auth)
    assert limited.status == 429
    assert (await limited.json())["error"].startswith(
        "GitHub API rate limit exceeded; it resets at "
    )


# --- the OpenAPI document ------------------------------------------------------------------


def test_every_github_route_is_described_in_openapi() -> None:
    described = openapi_paths()
    for route in github_routes.routes:
        assert isinstance(route, web.RouteDef)
        assert route.path in described, route.path
        assert route.method.lower() in described[route.path], (route.method, route.path)
    assert set(github_routes.OPENAPI_PATHS) == {
        r.path for r in github_routes.routes if isinstance(r, web.RouteDef)
    }
