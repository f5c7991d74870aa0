"""The secrets guard itself: it must catch what it is there to catch."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.db.accounts import new_token
from tests.support.processes import REPO_ROOT
from tests.support.secrets_guard import SecretsGuard, find_secrets


def test_it_finds_api_and_github_tokens_and_literals() -> None:
    token = new_token()
    assert find_secrets(f"user sent {token} today") == [token]
    assert find_secrets("Authorization: token ghp_" + "a" * 36) == ["ghp_" + "a" * 36]
    assert find_secrets("github_pat_" + "B1" * 20) == ["github_pat_" + "B1" * 20]
    assert find_secrets("the key is s3cret-key", ["s3cret-key"]) == ["s3cret-key"]
    assert find_secrets("nothing to see: dg_short ghp_x") == []


async def test_our_own_answers_and_logs_carry_no_token(
    client: TestClient[Any, Any], auth: dict[str, str], caplog: Any, secrets_guard: SecretsGuard
) -> None:
    await client.get("/api/repositories", headers=auth)
    await client.get("/api/repositories", headers={"Authorization": auth["Authorization"] + "x"})
    logging.getLogger("docsgen.test").info("a log line")
    assert len(secrets_guard.answers) == 2, "the guard saw the answers"
    token = auth["Authorization"].split()[1]
    assert all(token not in a for a in secrets_guard.answers)
    assert token not in caplog.text


def test_no_source_file_logs_a_token_variable() -> None:
    """A cheap static net: no log call in the package formats a token or secret."""
    offenders = []
    for path in (REPO_ROOT / "docsgen").rglob("*.py"):
        for number, line in enumerate(Path(path).read_text().splitlines(), 1):
            if "log." in line and any(w in line for w in ("token)", "secret_key", "password")):
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}")
    assert offenders == []


async def test_it_sees_redirects_cookies_and_streams_too(
    secrets_guard: SecretsGuard, aiohttp_client: Any
) -> None:
    """Answers made by raising, headers of any kind, streamed answers: all are searched."""
    token = new_token()
    leaky = web.Application()

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(f"/next?t={token}")

    async def cookie(request: web.Request) -> web.Response:
        response = web.Response(text="ok")
        response.set_cookie("c", token)
        return response

    async def stream(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"X-Debug": token})
        await response.prepare(request)
        return response

    for path, handler in (("/r", redirect), ("/c", cookie), ("/s", stream)):
        leaky.router.add_get(path, handler)
    secrets_guard.attach(leaky)
    client = await aiohttp_client(leaky)
    for path in ("/r", "/c", "/s"):
        await client.get(path, allow_redirects=False)
        assert len(secrets_guard.leaks()) == 1, path
        secrets_guard.reset()


def test_it_searches_the_output_of_service_subprocesses_too(secrets_guard: SecretsGuard) -> None:
    output = [f"INFO request with {new_token()}"]
    secrets_guard.read_also(lambda: "\n".join(output))  # as the services fixture does
    assert len(secrets_guard.leaks()) == 1
    output.clear()
    assert secrets_guard.leaks() == []
