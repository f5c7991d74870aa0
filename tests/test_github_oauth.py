"""GitHub's OAuth web flow against the fake's authorize and token endpoints.

The browser is played by hand: the test follows each redirect itself, so it can
replay, forge or drop the ``state`` at will.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL
from docsgen.db import accounts
from docsgen.github.oauth import STATE_COOKIE
from tests.support.api import generate
from tests.support.fake_github import FakeGitHub, FakeUser, register_github

Client = TestClient[Any, Any]
pytestmark = pytest.mark.on_fake_github

BAD_STATE = {
    "error": "This GitHub sign-in is invalid, expired or already used; start again from "
    "/auth/github/login"
}


async def start_login(client: Client, auth: dict[str, str]) -> str:
    """``/auth/github/login``: the authorize URL it redirects to."""
    response = await client.get("/auth/github/login", headers=auth, allow_redirects=False)
    assert response.status == 302, await response.text()
    return response.headers["Location"]


async def approve_on_github(authorize_url: str) -> str:
    """The user approves on (fake) GitHub: the callback URL GitHub redirects back to."""
    async with (
        aiohttp.ClientSession() as browser,
        browser.get(authorize_url, allow_redirects=False) as response,
    ):
        assert response.status == 302, await response.text()
        return response.headers["Location"]


def path_and_query(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.path}?{parsed.query}"


async def test_the_oauth_flow_connects_the_account(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    alice_github: FakeUser,
    sample_repo: Any,
) -> None:
    login = await client.get("/auth/github/login", headers=auth, allow_redirects=False)
    assert login.status == 302
    authorize = urlparse(login.headers["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}" == fake_github.web_url
    assert authorize.path == "/login/oauth/authorize"
    query = parse_qs(authorize.query)
    assert query["client_id"] == [fake_github.oauth_client_id]
    assert query["scope"] == ["repo read:user"]
    assert query["redirect_uri"] == [str(client.make_url("/auth/github/callback"))]
    cookie = login.cookies[STATE_COOKIE]
    assert cookie.value == query["state"][0]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/auth/github"

    callback = await approve_on_github(login.headers["Location"])
    done = await client.get(path_and_query(callback), headers=auth, allow_redirects=False)
    assert done.status == 302, await done.text()
    assert done.headers["Location"] == "/"
    assert done.cookies[STATE_COOKIE].value == ""  # the state cookie is cleared
    assert fake_github.count("oauth_token") == 1

    connection = await (await client.get("/api/github/connection", headers=auth)).json()
    assert connection["connected"] is True
    assert connection["login"] == "alice-gh"
    assert connection["method"] == "oauth"
    assert connection["scopes"] == ["repo", "read:user"]
    assert await app[POOL].fetchval("SELECT count(*) FROM github_oauth_states") == 0

    # The OAuth token works for a run.
    fake_github.add_repo("alice-gh", "sample", sample_repo, private=True)
    repo = await register_github(client, auth, "alice-gh/sample")
    assert (await generate(app, client, auth, repo["id"]))["status"] == "completed"


async def test_a_replayed_state_is_refused(
    app: web.Application, client: Client, auth: dict[str, str], alice_github: FakeUser
) -> None:
    callback = await approve_on_github(await start_login(client, auth))
    first = await client.get(path_and_query(callback), headers=auth, allow_redirects=False)
    assert first.status == 302
    client.session.cookie_jar.update_cookies(
        {STATE_COOKIE: parse_qs(urlparse(callback).query)["state"][0]},
        response_url=client.make_url("/auth/github/"),
    )
    replay = await client.get(path_and_query(callback), headers=auth, allow_redirects=False)
    assert replay.status == 400
    assert await replay.json() == BAD_STATE


async def test_a_wrong_state_is_refused_and_the_right_one_still_works(
    client: Client, auth: dict[str, str], fake_github: FakeGitHub, alice_github: FakeUser
) -> None:
    callback = await approve_on_github(await start_login(client, auth))
    parsed = urlparse(callback)
    code = parse_qs(parsed.query)["code"][0]
    forged = await client.get(
        parsed.path, params={"code": code, "state": "forged-state"}, headers=auth
    )
    assert forged.status == 400
    assert await forged.json() == BAD_STATE
    assert fake_github.count("oauth_token") == 0  # refused before GitHub is asked
    right = await client.get(path_and_query(callback), headers=auth, allow_redirects=False)
    assert right.status == 302


async def test_a_state_without_its_cookie_is_refused(
    client: Client, auth: dict[str, str], alice_github: FakeUser
) -> None:
    callback = await approve_on_github(await start_login(client, auth))
    client.session.cookie_jar.clear()
    response = await client.get(path_and_query(callback), headers=auth)
    assert response.status == 400
    assert await response.json() == BAD_STATE


async def test_a_state_started_by_another_user_is_refused(
    app: web.Application, client: Client, auth: dict[str, str], alice_github: FakeUser
) -> None:
    pool = app[POOL]
    bob = await accounts.create_user(pool, "bob")
    bob_auth = {"Authorization": f"Bearer {await accounts.issue_token(pool, bob)}"}
    callback = await approve_on_github(await start_login(client, bob_auth))
    stolen = await client.get(path_and_query(callback), headers=auth)
    assert stolen.status == 400
    assert await stolen.json() == BAD_STATE
    assert await (await client.get("/api/github/connection", headers=auth)).json() == {
        "connected": False
    }


async def test_an_expired_state_is_refused(
    app: web.Application, client: Client, auth: dict[str, str], alice_github: FakeUser
) -> None:
    callback = await approve_on_github(await start_login(client, auth))
    await app[POOL].execute(
        "UPDATE github_oauth_states SET expires_at = now() - interval '1 second'"
    )
    response = await client.get(path_and_query(callback), headers=auth)
    assert response.status == 400
    assert await response.json() == BAD_STATE


async def test_a_code_github_refuses_is_reported(
    client: Client, auth: dict[str, str], fake_github: FakeGitHub, alice_github: FakeUser
) -> None:
    callback = await approve_on_github(await start_login(client, auth))
    parsed = urlparse(callback)
    state = parse_qs(parsed.query)["state"][0]
    response = await client.get(
        parsed.path, params={"code": "not-the-code", "state": state}, headers=auth
    )
    assert response.status == 400
    assert await response.json() == {
        "error": "GitHub refused the sign-in: The code passed is incorrect or expired."
    }


async def test_a_sign_in_the_user_declined_is_reported(
    client: Client, auth: dict[str, str], alice_github: FakeUser
) -> None:
    authorize = await start_login(client, auth)
    state = parse_qs(urlparse(authorize).query)["state"][0]
    response = await client.get(
        "/auth/github/callback",
        params={"error": "access_denied", "state": state},
        headers=auth,
    )
    assert response.status == 400
    assert await response.json() == {"error": "GitHub sign-in was not completed: access_denied"}


async def test_login_needs_credentials(client: Client, alice_github: FakeUser) -> None:
    response = await client.get("/auth/github/login", allow_redirects=False)
    assert response.status == 401


@pytest.mark.parametrize(
    "github_overrides",
    [{"github_oauth_client_id": None, "github_oauth_client_secret": None}],
)
async def test_oauth_is_off_without_client_credentials(
    client: Client, auth: dict[str, str]
) -> None:
    response = await client.get("/auth/github/login", headers=auth, allow_redirects=False)
    assert response.status == 404
    assert await response.json() == {
        "error": "GitHub sign-in is not configured on this server "
        "(set GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET)"
    }
