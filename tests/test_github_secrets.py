"""No token in any log line or answer (CONTRACT §6).

The test-wide ``secrets_guard`` (tests/conftest.py) captures every log record
(DEBUG and up) and every answer of the service, and fails the test if a token
or a secret of the fake GitHub shows up.  Here: proof that it catches a leak
of the fake's secrets, and one long session through every GitHub path.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlparse

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL
from docsgen.redaction import REDACTED, redact
from tests.support.api import docs_of, generate, run_to_end
from tests.support.fake_github import FakeGitHub, FakeUser, connect_github, register_github
from tests.support.secrets_guard import SecretsGuard
from tests.test_github_oauth import approve_on_github, path_and_query, start_login

Client = TestClient[Any, Any]
AiohttpClient = Any

pytestmark = pytest.mark.on_fake_github(github_timeout_seconds=0.3, github_retries=1)


async def test_the_guard_catches_the_fakes_secrets_in_a_log_line_or_an_answer(
    secrets_guard: SecretsGuard, fake_github: FakeGitHub, aiohttp_client: AiohttpClient
) -> None:
    # Not token-shaped: found only because the fake GitHub told the guard of them.
    planted = [fake_github.webhook_secret, fake_github.oauth_client_secret]
    leaky = web.Application()

    async def echo(request: web.Request) -> web.Response:
        return web.json_response({"oops": f"secret {request.query['s']}"})

    leaky.router.add_get("/leak", echo)
    secrets_guard.attach(leaky)
    client = await aiohttp_client(leaky)
    for secret in planted:
        assert (await client.get("/leak", params={"s": secret})).status == 200
        [leak] = [x for x in secrets_guard.leaks() if "oops" in x]
        assert secret not in leak, "the report never repeats the secret"
        secrets_guard.reset()
        logging.getLogger("docsgen.test").debug("calling GitHub with %s", secret)
        assert len(secrets_guard.leaks()) == 1
        secrets_guard.reset()  # the planted leaks must not fail this test's own guard
    assert secrets_guard.leaks() == []


async def test_no_token_in_any_log_or_answer_of_a_whole_github_session(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    secrets_guard: SecretsGuard,
    alice_github: FakeUser,
    sample_on_github: str,
) -> None:
    async def run(repo_id: str) -> Any:
        # Forced: every run fetches everything, even when the docs are up to date.
        await run_to_end(app, client, auth, repo_id, force=True)
        return await docs_of(client, auth, repo_id)

    # Connect with a token (and fail to, with a bad one), list, generate.
    bad = await client.put(
        "/api/github/connection", json={"token": alice_github.token + "x"}, headers=auth
    )
    assert bad.status == 400
    await connect_github(client, auth, alice_github.token)
    assert (await client.get("/api/github/connection", headers=auth)).status == 200
    assert (await client.get("/api/github/repos", headers=auth)).status == 200
    repo = await register_github(client, auth, sample_on_github)
    assert (await run(repo["id"]))["status"] == "completed"

    # Every kind of failure, each logged and answered.
    fake_github.fail("repo", 500, times=None)
    assert (await run(repo["id"]))["status"] == "failed"
    fake_github.clear_faults()
    fake_github.slow("tree", 30, times=None)
    assert (await run(repo["id"]))["status"] == "failed"
    fake_github.clear_faults()
    fake_github.fail("codeload", 502, times=None)
    assert (await run(repo["id"]))["status"] == "failed"
    fake_github.clear_faults()
    fake_github.rate_limit("commit")
    assert (await run(repo["id"]))["status"] == "failed"
    fake_github.revoke(alice_github.token)
    assert (await run(repo["id"]))["status"] == "failed"
    assert (await client.get("/api/github/repos", headers=auth)).status == 409

    # Reconnect through OAuth, and generate with that token.
    login = await client.get("/auth/github/login", headers=auth, allow_redirects=False)
    async with (
        aiohttp.ClientSession() as browser,
        browser.get(login.headers["Location"], allow_redirects=False) as approved,
    ):
        callback = urlparse(approved.headers["Location"])
    done = await client.get(
        f"{callback.path}?{callback.query}", headers=auth, allow_redirects=False
    )
    assert done.status == 302
    assert (await run(repo["id"]))["status"] == "completed"

    secrets = fake_github.secrets()
    assert len(secrets) >= 4  # two user tokens, codeload tokens, the OAuth client secret
    assert secrets <= secrets_guard.secrets()
    assert len(secrets_guard.answers) > 20
    assert any("GET /api/github/repos" in line for line in secrets_guard.logs())
    assert secrets_guard.leaks() == []
    stored = await app[POOL].fetch("SELECT error_message, content FROM generated_docs")
    assert not any(s in str(list(map(dict, stored))) for s in secrets)


async def test_a_token_github_echoes_in_its_error_reaches_no_row_answer_or_log(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    secrets_guard: SecretsGuard,
    alice_github: FakeUser,
    sample_on_github: str,
) -> None:
    """GitHub's error messages are passed on, redacted: here each one echoes the token."""
    token = alice_github.token
    echo = f"Problems parsing token {token}; sent Authorization: Bearer {token}"
    await connect_github(client, auth, token)
    repo = await register_github(client, auth, sample_on_github)

    # A run fails with GitHub's message: the row stores it, the status answers it.
    fake_github.fail("repo", 422, echo, times=None)
    status = await generate(app, client, auth, repo["id"])
    assert status["status"] == "failed"
    assert status["error_message"] == (
        f"GitHub API request failed: 422 Unprocessable Entity: Problems parsing token "
        f"{REDACTED}; sent Authorization: Bearer {REDACTED}"
    )
    # Answered: a failure checking a new token, after a retry that is logged.
    fake_github.fail("user", 500, echo, times=None)
    answer = await client.put("/api/github/connection", json={"token": token}, headers=auth)
    assert answer.status == 502
    assert REDACTED in (await answer.json())["error"]
    assert any(f"token {REDACTED}" in line for line in secrets_guard.logs())
    # Answered: listing the account's repositories.
    fake_github.fail("user_repos", 403, echo, times=None)
    answer = await client.get("/api/github/repos", headers=auth)
    assert answer.status == 502
    assert REDACTED in (await answer.json())["error"]
    # Answered: the OAuth code exchange.
    fake_github.fail("oauth_token", 422, echo, times=None)
    callback = await approve_on_github(await start_login(client, auth))
    answer = await client.get(path_and_query(callback), headers=auth)
    assert answer.status == 502
    assert REDACTED in (await answer.json())["error"]

    stored = await app[POOL].fetch("SELECT error_message FROM generated_docs")
    assert [row["error_message"] for row in stored] == [status["error_message"]]
    assert secrets_guard.leaks() == []  # no token in any answer or log record


@pytest.mark.parametrize(
    ("upstream", "redacted"),
    [
        (f"bad {prefix}{'A1b2' * 9} here", f"bad {REDACTED} here")
        for prefix in ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_11AB_")
    ]
    + [
        ("Authorization: token abc123", f"Authorization: token {REDACTED}"),
        ("sent 'Bearer eyJ0.eyJz.c2ln', refused", f"sent 'Bearer {REDACTED}', refused"),
        ("?access_token=abc&scope=repo", f"?access_token={REDACTED}&scope=repo"),
        ('{"client_secret": "abc"}', f'{{"client_secret": "{REDACTED}"}}'),
        # What is not a credential stays as GitHub wrote it.
        ("Bad credentials", "Bad credentials"),
        (
            "the token was revoked; authorization failed",
            "the token was revoked; authorization failed",
        ),
    ],
)
def test_upstream_messages_lose_every_credential_shape(upstream: str, redacted: str) -> None:
    assert redact(upstream) == redacted
