"""Signing in to the page: one-time links, API tokens, session cookies, CSRF, signing out."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL
from docsgen.api.routes.sessions import ensure_admin, print_signin_link
from docsgen.db import accounts
from docsgen.db.sessions import create_signin_token

ROOT = Path(__file__).resolve().parents[1]
COOKIE = "docsgen_session"


async def signin_link_token(app: web.Application) -> str:
    return await create_signin_token(app[POOL], await ensure_admin(app[POOL]), 60)


async def open_session(client: TestClient[Any, Any], app: web.Application) -> tuple[str, str]:
    """Sign in with a one-time link; the session cookie's value and its CSRF token."""
    response = await client.get(
        "/signin", params={"token": await signin_link_token(app)}, allow_redirects=False
    )
    assert response.status == 303
    session_id = response.cookies[COOKIE].value
    client.session.cookie_jar.clear()  # every request below names its cookie itself
    me = await client.get("/api/session", headers=cookie(session_id))
    assert me.status == 200
    body = await me.json()
    return session_id, body["csrf_token"]


def cookie(session_id: str) -> dict[str, str]:
    return {"Cookie": f"{COOKIE}={session_id}"}


async def test_a_signin_link_opens_a_session_once(
    app: web.Application, client: TestClient[Any, Any]
) -> None:
    token = await signin_link_token(app)
    response = await client.get("/signin", params={"token": token}, allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    morsel = response.cookies[COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == "/"
    assert int(morsel["max-age"]) == 14 * 24 * 3600
    client.session.cookie_jar.clear()

    me = await client.get("/api/session", headers=cookie(morsel.value))
    assert me.status == 200
    body = await me.json()
    assert body["login"] == "admin"
    assert body["auth"] == "session"
    assert len(body["csrf_token"]) >= 32

    again = await client.get("/signin", params={"token": token}, allow_redirects=False)
    assert again.status == 400
    assert again.content_type == "text/html"
    assert COOKIE not in again.cookies


async def test_an_unknown_or_expired_link_is_refused(
    app: web.Application, client: TestClient[Any, Any]
) -> None:
    token = await signin_link_token(app)
    await app[POOL].execute("UPDATE signin_tokens SET expires_at = now() - interval '1 second'")
    expired = await client.get("/signin", params={"token": token}, allow_redirects=False)
    assert expired.status == 400
    assert COOKIE not in expired.cookies
    unknown = await client.get("/signin", params={"token": "dgs_nope"}, allow_redirects=False)
    assert unknown.status == 400
    missing = await client.get("/signin", allow_redirects=False)
    assert missing.status == 400


async def test_a_link_followed_from_another_site_is_not_spent(
    app: web.Application, client: TestClient[Any, Any]
) -> None:
    token = await signin_link_token(app)
    crossed = await client.get(
        "/signin",
        params={"token": token},
        headers={"Sec-Fetch-Site": "cross-site"},
        allow_redirects=False,
    )
    assert crossed.status == 200
    assert COOKIE not in crossed.cookies
    confirmed = await client.get(
        "/signin",
        params={"token": token},
        headers={"Sec-Fetch-Site": "same-origin"},
        allow_redirects=False,
    )
    assert confirmed.status == 303
    assert COOKIE in confirmed.cookies


async def test_only_the_digest_of_a_session_is_stored(
    app: web.Application, client: TestClient[Any, Any]
) -> None:
    session_id, _ = await open_session(client, app)
    stored = await app[POOL].fetchval("SELECT id_hash FROM sessions")
    assert stored == hashlib.sha256(session_id.encode()).digest()
    tokens = await app[POOL].fetchval("SELECT count(*) FROM signin_tokens")
    assert tokens == 0


async def test_cookie_requests_that_change_state_need_the_csrf_token(
    app: web.Application, client: TestClient[Any, Any], sample_repo: Path
) -> None:
    session_id, csrf = await open_session(client, app)
    body = {"provider": "local", "path": str(sample_repo)}

    missing = await client.post("/api/repositories", json=body, headers=cookie(session_id))
    assert missing.status == 403
    assert "X-CSRF-Token" in (await missing.json())["error"]
    wrong = await client.post(
        "/api/repositories",
        json=body,
        headers={**cookie(session_id), "X-CSRF-Token": "x" * len(csrf)},
    )
    assert wrong.status == 403
    listed = await client.get("/api/repositories", headers=cookie(session_id))
    assert (await listed.json())["repositories"] == []

    right = await client.post(
        "/api/repositories", json=body, headers={**cookie(session_id), "X-CSRF-Token": csrf}
    )
    assert right.status == 201
    listed = await client.get("/api/repositories", headers=cookie(session_id))
    assert [r["path"] for r in (await listed.json())["repositories"]] == [str(sample_repo)]


async def test_a_csrf_token_belongs_to_its_session(
    app: web.Application, client: TestClient[Any, Any], sample_repo: Path
) -> None:
    first, _ = await open_session(client, app)
    _, other_csrf = await open_session(client, app)
    response = await client.post(
        "/api/repositories",
        json={"provider": "local", "path": str(sample_repo)},
        headers={**cookie(first), "X-CSRF-Token": other_csrf},
    )
    assert response.status == 403


async def test_bearer_tokens_keep_working_without_csrf(
    client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    response = await client.post(
        "/api/repositories",
        json={"provider": "local", "path": str(sample_repo)},
        headers={**auth, "Cookie": f"{COOKIE}=not-a-session"},
    )
    assert response.status == 201
    me = await client.get("/api/session", headers=auth)
    assert await me.json() == {"login": "alice", "auth": "token", "csrf_token": None}


async def test_unknown_and_expired_sessions_are_refused(
    app: web.Application, client: TestClient[Any, Any]
) -> None:
    unknown = await client.get("/api/repositories", headers=cookie("made-up"))
    assert unknown.status == 401
    assert await unknown.json() == {"error": "Your session has ended; sign in again"}
    session_id, _ = await open_session(client, app)
    await app[POOL].execute("UPDATE sessions SET expires_at = now() - interval '1 second'")
    expired = await client.get("/api/repositories", headers=cookie(session_id))
    assert expired.status == 401


async def test_signing_in_with_an_api_token(
    client: TestClient[Any, Any], user: tuple[accounts.User, str]
) -> None:
    _, token = user
    response = await client.post("/api/session", json={"token": token})
    assert response.status == 201
    body = await response.json()
    assert body["login"] == "alice"
    session_id = response.cookies[COOKIE].value
    assert response.cookies[COOKIE]["httponly"] is True
    client.session.cookie_jar.clear()
    me = await client.get("/api/session", headers=cookie(session_id))
    assert (await me.json())["csrf_token"] == body["csrf_token"]

    bad = await client.post("/api/session", json={"token": "dg_wrong"})
    assert bad.status == 401
    assert await bad.json() == {"error": "Invalid API token"}
    assert COOKIE not in bad.cookies
    empty = await client.post("/api/session", json={})
    assert empty.status == 400
    assert await empty.json() == {"error": "token is required"}
    form = await client.post("/api/session", data={"token": token})
    assert form.status == 415
    foreign = await client.post(
        "/api/session", json={"token": token}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status == 403
    assert COOKIE not in foreign.cookies


async def test_signing_out_ends_the_session(
    app: web.Application, client: TestClient[Any, Any]
) -> None:
    session_id, csrf = await open_session(client, app)
    forged = await client.delete("/api/session", headers=cookie(session_id))
    assert forged.status == 403
    assert (await client.get("/api/session", headers=cookie(session_id))).status == 200

    response = await client.delete(
        "/api/session", headers={**cookie(session_id), "X-CSRF-Token": csrf}
    )
    assert response.status == 204
    assert response.cookies[COOKIE].value == ""
    assert (await client.get("/api/session", headers=cookie(session_id))).status == 401
    assert await app[POOL].fetchval("SELECT count(*) FROM sessions") == 0


async def test_start_prints_one_signin_line_for_admin(
    app: web.Application, aiohttp_client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    print_signin_link(app)
    client = await aiohttp_client(app)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    match = re.fullmatch(
        r"Sign in: http://127\.0\.0\.1:8080/signin\?token=(dgs_[\w-]{43})", lines[0]
    )
    assert match, lines
    response = await client.get("/signin", params={"token": match.group(1)}, allow_redirects=False)
    assert response.status == 303
    admins = await app[POOL].fetchval("SELECT count(*) FROM users WHERE login = 'admin'")
    assert admins == 1


async def test_admin_is_created_once(app: web.Application, client: TestClient[Any, Any]) -> None:
    first, second = await asyncio.gather(ensure_admin(app[POOL]), ensure_admin(app[POOL]))
    assert first == second
    assert await app[POOL].fetchval("SELECT count(*) FROM users") == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def test_docsgen_serve_prints_a_working_signin_link(
    database_url: str, tmp_path: Path
) -> None:
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "DOCSGEN_PORT": str(port),
        "DOCSGEN_DATA_DIR": str(tmp_path / "data"),
        "DOCSGEN_ANALYSIS_WORKERS": "1",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "docsgen", "serve",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    try:
        signin: list[str] = []
        async with asyncio.timeout(60):
            while True:
                line = (await proc.stdout.readline()).decode()
                assert line, "docsgen serve exited before printing a sign-in link"
                if line.startswith("Sign in: "):
                    signin.append(line.strip())
                if line.startswith("docsgen ") and "listening" in line:
                    break
        assert len(signin) == 1
        url = signin[0].removeprefix("Sign in: ")
        assert url.startswith(f"http://127.0.0.1:{port}/signin?token=dgs_")
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            async with http.get(url, allow_redirects=False) as response:
                assert response.status == 303
            async with http.get(f"http://127.0.0.1:{port}/api/session") as response:
                assert response.status == 200
                assert (await response.json())["login"] == "admin"
            async with http.get(url, allow_redirects=False) as response:
                assert response.status == 400
    finally:
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            await proc.wait()


async def test_requests_that_need_no_caller_ignore_the_session_cookie(
    app: web.Application, client: TestClient[Any, Any], user: tuple[accounts.User, str]
) -> None:
    """A browser sends its cookie with everything: a CSP report, or signing in
    again, must not be refused for the missing CSRF token they never carry."""
    session_id, _ = await open_session(client, app)
    report = await client.post(
        "/api/csp-report",
        json={"csp-report": {"violated-directive": "script-src-elem", "blocked-uri": "inline"}},
        headers=cookie(session_id),
    )
    assert report.status == 204
    again = await client.post("/api/session", json={"token": user[1]}, headers=cookie(session_id))
    assert again.status == 201
    client.session.cookie_jar.clear()
    # The new session replaced the old one.
    assert (await client.get("/api/session", headers=cookie(session_id))).status == 401
