"""Who may do what: every route of the app × six callers gets the intended answer.

The routes come from the app's router, so a route added later is covered at
once, and each must have an entry in ``EXPECTED`` (its kind and what its owner
gets): a test fails naming any route without one.  The callers are the owner
(API token), another user (their own API token), no credentials, a bad token,
an expired session cookie, and the owner's live session cookie without the
CSRF header.  Another user's repository must be indistinguishable from a
missing one (same status and body), in every state a repository can be in;
and no caller but the owner changes or sees anything of the owner's.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.auth import CSRF_HEADER, SESSION_COOKIE
from docsgen.api.keys import POOL, RUN_DEPS
from docsgen.db import accounts, sessions
from docsgen.db.accounts import hash_token
from tests.conftest import AiohttpClient
from tests.support.api import register_local, wait_for_runs
from tests.support.fake_github import FakeGitHub, connect_github, register_github
from tests.support.gitrepo import SAMPLE_FILES, make_repo
from tests.test_lifecycle import Gate

pytestmark = pytest.mark.on_fake_github

# --- the callers --------------------------------------------------------------------

OWNER = "owner"
OTHER = "another user"
NONE = "no credentials"
BAD_TOKEN = "bad token"
EXPIRED = "expired session"
NO_CSRF = "cookie without CSRF token"
CALLERS = (OTHER, NONE, BAD_TOKEN, EXPIRED, NO_CSRF, OWNER)  # the owner last: it may change things
# Callers who are not the owner in any way (the cookie without CSRF is the owner's session).
STRANGERS = (OTHER, NONE, BAD_TOKEN, EXPIRED)

NOT_SIGNED_IN = {"error": "Authentication required: send 'Authorization: Bearer <token>'"}
INVALID_TOKEN = {"error": "Invalid API token"}
SESSION_ENDED = {"error": "Your session has ended; sign in again"}
CSRF_MISSING = {
    "error": f"Missing or wrong {CSRF_HEADER} header: a request signed in by the session "
    "cookie must carry the session's CSRF token"
}
NOT_FOUND = {"error": "Repository not found"}
UNSIGNED = {"error": "Webhook deliveries must be signed (X-Hub-Signature-256)"}
# What a caller who is not signed in gets, whatever the route (for a change, see CSRF).
REFUSED = {NONE: NOT_SIGNED_IN, BAD_TOKEN: INVALID_TOKEN, EXPIRED: SESSION_ENDED}

# --- what each route is ----------------------------------------------------------------

PUBLIC = "public"  # anyone; the answer does not depend on the caller
USER = "user"  # the caller's own account; the owner and another user get the same kind of answer
REPOSITORY = "repository"  # one repository of the caller, named in the path
REPOSITORY_IN_BODY = "repository in body"  # ... named in the JSON body
SIGNED = "signed"  # GitHub's signature, not a user: no user credential opens it
BEARER = "bearer"  # an API token and nothing else, a session cookie neither (MCP)

SAFE = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Expected:
    kind: str
    owner: int  # the status the owner gets (for USER routes, any signed-in user)
    body: Callable[[World, str], Any] | None = None  # the JSON body a caller sends
    query: dict[str, str] = field(default_factory=dict)
    fresh: bool = False  # the owner's call uses up its repository: a new one per call


EXPECTED: dict[tuple[str, str], Expected] = {
    ("GET", "/healthz"): Expected(PUBLIC, 200),
    ("GET", "/readyz"): Expected(PUBLIC, 200),
    ("GET", "/metrics"): Expected(PUBLIC, 200),
    ("GET", "/api/openapi.json"): Expected(PUBLIC, 200),
    ("GET", "/api/config"): Expected(PUBLIC, 200),
    ("GET", "/"): Expected(PUBLIC, 200),
    # The page shell: it holds nothing of the repository; its script asks the API.
    ("GET", "/repositories/{id}"): Expected(PUBLIC, 200),
    ("GET", "/repositories/{id}/docs/{slug}"): Expected(PUBLIC, 200),
    ("GET", "/assets/{path}"): Expected(PUBLIC, 200),
    ("GET", "/signin"): Expected(PUBLIC, 400, query={"token": "not-a-sign-in-link"}),
    ("POST", "/api/session"): Expected(PUBLIC, 401, body=lambda w, c: {"token": "not-a-token"}),
    ("POST", "/api/csp-report"): Expected(
        PUBLIC, 204, body=lambda w, c: {"csp-report": {"violated-directive": "script-src"}}
    ),
    ("GET", "/api/session"): Expected(USER, 200),
    ("DELETE", "/api/session"): Expected(USER, 204),
    ("GET", "/api/repositories"): Expected(USER, 200),
    ("POST", "/api/repositories"): Expected(
        USER, 201, body=lambda w, c: {"provider": "local", "path": str(w.unregistered)}
    ),
    ("GET", "/api/github/connection"): Expected(USER, 200),
    ("PUT", "/api/github/connection"): Expected(
        USER, 200, body=lambda w, c: {"token": w.github_tokens[OTHER if c == OTHER else OWNER]}
    ),
    ("DELETE", "/api/github/connection"): Expected(USER, 204),
    ("GET", "/api/github/repos"): Expected(USER, 200),
    ("GET", "/auth/github/login"): Expected(USER, 302),
    # No browser began this flow: the state is refused, for anyone signed in.
    ("GET", "/auth/github/callback"): Expected(USER, 400, query={"state": "forged", "code": "c"}),
    ("POST", "/api/generate-docs"): Expected(
        REPOSITORY_IN_BODY, 202, body=lambda w, c: {"repository_id": w.target}, fresh=True
    ),
    ("GET", "/api/repositories/{id}"): Expected(REPOSITORY, 200),
    ("DELETE", "/api/repositories/{id}"): Expected(REPOSITORY, 204, fresh=True),
    ("GET", "/api/repositories/{id}/docs/status"): Expected(REPOSITORY, 200),
    ("GET", "/api/repositories/{id}/docs"): Expected(REPOSITORY, 200),
    ("GET", "/api/repositories/{id}/docs/pages/{slug}"): Expected(REPOSITORY, 200),
    ("GET", "/api/repositories/{id}/docs/search"): Expected(REPOSITORY, 200, query={"q": "sample"}),
    ("GET", "/api/repositories/{id}/docs.md"): Expected(REPOSITORY, 200),
    ("GET", "/api/repositories/{id}/docs/pages/{slug}.md"): Expected(REPOSITORY, 200),
    ("GET", "/api/repositories/{id}/llms.txt"): Expected(REPOSITORY, 200),
    ("GET", "/api/repositories/{id}/llms-full.txt"): Expected(REPOSITORY, 200),
    ("GET", "/api/repositories/{id}/docs/events"): Expected(REPOSITORY, 200),
    ("POST", "/api/repositories/{id}/docs/check"): Expected(REPOSITORY, 200),
    # Only GitHub's signature opens it (tests/test_webhooks.py): a user's credentials do not.
    ("POST", "/webhooks/github"): Expected(SIGNED, 401, body=lambda w, c: w.push),
    # Every method reaches the MCP endpoint, which reads POSTs (tests/test_mcp_http.py).
    ("*", "/mcp"): Expected(BEARER, 200, body=lambda w, c: MCP_INITIALIZE),
}
MCP_INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {},
               "clientInfo": {"name": "matrix", "version": "1"}},
}  # fmt: skip
MCP_ACCEPT = {"Accept": "application/json, text/event-stream"}


def router_routes(app: web.Application) -> list[tuple[str, str]]:
    """Every (method, path) the app answers; HEAD is answered wherever GET is."""
    found = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        assert path is not None, f"a route the matrix cannot name: {route}"
        found.append((route.method, path))
    return sorted(found)


def expectation(method: str, path: str) -> Expected | None:
    return EXPECTED.get(("GET" if method == "HEAD" else method, path))


# --- the world the callers act in -------------------------------------------------------


@dataclass
class World:
    owner_token: str
    other_token: str
    owner_session: str
    expired_session: str
    github_tokens: dict[str, str]
    completed: str  # the owner's repository with generated documentation
    unregistered: Path  # a folder nobody has registered yet
    push: dict[str, Any]  # a push to a repository the owner registered
    owner_marks: list[str]  # what no one else may ever see
    target: str = ""  # the repository of the current call
    spare: list[Path] = field(default_factory=list)  # folders for fresh repositories

    def headers(self, caller: str) -> dict[str, str]:
        return {
            OWNER: {"Authorization": f"Bearer {self.owner_token}"},
            OTHER: {"Authorization": f"Bearer {self.other_token}"},
            NONE: {},
            BAD_TOKEN: {"Authorization": "Bearer not-a-valid-token"},
            EXPIRED: {"Cookie": f"{SESSION_COOKIE}={self.expired_session}"},
            NO_CSRF: {"Cookie": f"{SESSION_COOKIE}={self.owner_session}"},
        }[caller]


@pytest.fixture
async def client(app: web.Application, aiohttp_client: AiohttpClient) -> TestClient[Any, Any]:
    # Every request names its own credentials: nothing may ride along in a cookie jar.
    return await aiohttp_client(app, cookie_jar=aiohttp.DummyCookieJar())


async def expired_session(app: web.Application, user: accounts.User) -> str:
    """A session that was opened and has since run out."""
    session_id, _ = await sessions.create_session(app[POOL], user, 3600)
    await app[POOL].execute(
        "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1",
        hash_token(session_id),
    )
    return session_id


@pytest.fixture
async def world(
    app: web.Application,
    client: TestClient[Any, Any],
    user: tuple[accounts.User, str],
    repos_root: Path,
    sample_repo: Path,
    fake_github: FakeGitHub,
) -> World:
    owner, owner_token = user
    other = await accounts.create_user(app[POOL], "bob")
    owner_auth = {"Authorization": f"Bearer {owner_token}"}
    completed = (await register_local(client, owner_auth, sample_repo))["id"]
    r = await client.post(
        "/api/generate-docs", json={"repository_id": completed}, headers=owner_auth
    )
    assert r.status == 202
    await wait_for_runs(app)
    fake_github.add_repo("alice-gh", "hello", sample_repo)
    github_tokens = {
        OWNER: fake_github.add_user("alice-gh").token,
        OTHER: fake_github.add_user("bob-gh").token,
    }
    await connect_github(client, owner_auth, github_tokens[OWNER])
    on_github = (await register_github(client, owner_auth, "alice-gh/hello"))["id"]
    unregistered = repos_root / "unregistered"
    make_repo(unregistered, SAMPLE_FILES)
    spare = []
    for i in range(4):
        make_repo(repos_root / f"spare{i}", SAMPLE_FILES)
        spare.append(repos_root / f"spare{i}")
    owner_session, _ = await sessions.create_session(app[POOL], owner, 3600)
    return World(
        owner_token=owner_token,
        other_token=await accounts.issue_token(app[POOL], other),
        owner_session=owner_session,
        expired_session=await expired_session(app, owner),
        github_tokens=github_tokens,
        completed=completed,
        unregistered=unregistered,
        push=fake_github.push_payload("alice-gh/hello"),
        owner_marks=[completed, on_github, str(sample_repo), "alice"],
        spare=spare,
    )


# --- asking ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


async def call(
    client: TestClient[Any, Any],
    world: World,
    method: str,
    path: str,
    caller: str,
    expected: Expected,
    repository_id: str,
) -> Answer:
    world.target = repository_id
    headers = world.headers(caller)
    if method == "*":  # a route for every method: the one it reads
        method, headers = "POST", {**headers, **MCP_ACCEPT}
    url = path.replace("{id}", repository_id).replace("{path}", "css/app.css")
    url = url.replace("{slug}", "overview")
    body = expected.body(world, caller) if expected.body else None
    async with client.request(
        method,
        url,
        headers=headers,
        json=body,
        params=expected.query,
        allow_redirects=False,
    ) as response:
        if method == "HEAD":
            text = ""
        elif response.content_type == "text/event-stream":
            text = (await response.content.readuntil(b"\n\n")).decode()  # the first event
        else:
            text = await response.text()
        return Answer(response.status, response.content_type, text)


async def owners_view(client: TestClient[Any, Any], world: World) -> Any:
    """What the owner has: repositories (and their runs), GitHub connection, session."""
    auth = world.headers(OWNER)
    listed = await (await client.get("/api/repositories", headers=auth)).json()
    connection = await (await client.get("/api/github/connection", headers=auth)).json()
    session = (await client.get("/api/session", headers=world.headers(NO_CSRF))).status
    return (
        sorted(
            (r["id"], r["path"], r["full_name"], r["docs"]["status"], r["docs"]["progress"])
            for r in listed["repositories"]
        ),
        connection.get("login"),
        session,
    )


async def connect_both(client: TestClient[Any, Any], world: World) -> None:
    """The owner and the other user each have their GitHub account connected."""
    for caller in (OWNER, OTHER):
        await connect_github(client, world.headers(caller), world.github_tokens[caller])


async def fresh_repository(client: TestClient[Any, Any], world: World) -> str:
    repository: dict[str, Any] = await register_local(
        client, world.headers(OWNER), world.spare.pop()
    )
    return str(repository["id"])


# --- the tests -------------------------------------------------------------------------


def test_every_route_has_an_expected_answer(app: web.Application) -> None:
    routes = router_routes(app)
    missing = [f"{m} {p}" for m, p in routes if expectation(m, p) is None]
    assert not missing, f"routes without an entry in EXPECTED (add one): {missing}"
    stale = {f"{m} {p}" for m, p in EXPECTED} - {f"{m} {p}" for m, p in routes}
    assert not stale, f"EXPECTED names routes the app no longer has: {sorted(stale)}"


async def test_every_route_gives_every_caller_the_intended_answer(
    app: web.Application, client: TestClient[Any, Any], world: World
) -> None:
    checked = 0
    for method, path in router_routes(app):
        expected = expectation(method, path)
        assert expected is not None, f"{method} {path} has no entry in EXPECTED"
        target = world.completed
        if expected.fresh and method not in SAFE:
            target = await fresh_repository(client, world)
        if "github" in path:
            await connect_both(client, world)
        before = await owners_view(client, world)
        for caller in CALLERS:
            if caller == OWNER:
                assert await owners_view(client, world) == before, (method, path)
            where = f"{method} {path} as {caller}"
            answer = await call(client, world, method, path, caller, expected, target)
            check_answer(method, expected, caller, answer, where)
            if caller in STRANGERS:
                for mark in world.owner_marks:
                    assert mark not in answer.body, f"{where}: the owner's {mark!r} in the answer"
            if caller in STRANGERS and expected.kind in (REPOSITORY, REPOSITORY_IN_BODY):
                missing = await call(
                    client, world, method, path, caller, expected, str(uuid.uuid4())
                )
                assert answer == missing, (
                    f"{where}: the owner's repository is not like a missing one"
                )
            checked += 1
        await wait_for_runs(app)  # a run the owner started settles before the next route
    assert checked == len(router_routes(app)) * len(CALLERS)


def check_answer(method: str, expected: Expected, caller: str, answer: Answer, where: str) -> None:
    """The intended answer of ``caller`` on a route of ``expected.kind``."""
    head = method == "HEAD"
    changes = method not in SAFE
    status: int
    body: Any = None  # None: not compared (the route's own answer)
    if expected.kind == PUBLIC:
        status = expected.owner
    elif expected.kind == SIGNED:
        status, body = 401, UNSIGNED
    elif expected.kind == BEARER:
        status = expected.owner if caller in (OWNER, OTHER) else 401
        body = INVALID_TOKEN if caller == BAD_TOKEN else None
    elif caller in REFUSED:
        status, body = 401, REFUSED[caller]
    elif caller == NO_CSRF and changes:
        status, body = 403, CSRF_MISSING
    elif caller == OTHER and expected.kind in (REPOSITORY, REPOSITORY_IN_BODY):
        status, body = 404, NOT_FOUND
    else:  # the owner, another user on their own account, or the owner's cookie reading
        status = expected.owner
    assert answer.status == status, f"{where}: {answer.status} {answer.body[:300]}"
    if body is not None and not head:
        assert answer.json() == body, where


async def test_another_users_repository_is_like_a_missing_one_in_every_state(
    app: web.Application,
    client: TestClient[Any, Any],
    world: World,
    repos_root: Path,
) -> None:
    """idle, generating, completed and failed: no answer tells that it exists."""
    owner = world.headers(OWNER)
    idle = await fresh_repository(client, world)
    failed = (await register_github(client, owner, "alice-gh/gone"))["id"]
    r = await client.post("/api/generate-docs", json={"repository_id": failed}, headers=owner)
    assert r.status == 202
    await wait_for_runs(app)
    generating = await fresh_repository(client, world)
    gate = Gate(hold_at="Analyzing code structure")
    app[RUN_DEPS].on_progress.append(gate)
    r = await client.post("/api/generate-docs", json={"repository_id": generating}, headers=owner)
    assert r.status == 202
    await gate.reached.wait()
    states = {
        "idle": idle,
        "generating": generating,
        "completed": world.completed,
        "failed": failed,
    }
    for state, repository_id in states.items():
        status = await (
            await client.get(f"/api/repositories/{repository_id}/docs/status", headers=owner)
        ).json()
        assert status["status"] == state
    routes = [
        (m, p)
        for m, p in router_routes(app)
        if (e := expectation(m, p)) is not None and e.kind in (REPOSITORY, REPOSITORY_IN_BODY)
    ]
    assert routes
    try:
        for method, path in routes:
            expected = expectation(method, path)
            assert expected is not None
            missing = await call(client, world, method, path, OTHER, expected, str(uuid.uuid4()))
            assert (missing.status, missing.json() if method != "HEAD" else None) == (
                404,
                NOT_FOUND if method != "HEAD" else None,
            )
            for state, repository_id in states.items():
                answer = await call(client, world, method, path, OTHER, expected, repository_id)
                assert answer == missing, f"{method} {path}, {state}: {answer} != {missing}"
        for state, repository_id in states.items():  # and nothing happened to any of them
            status = await (
                await client.get(f"/api/repositories/{repository_id}/docs/status", headers=owner)
            ).json()
            assert status["status"] == state
    finally:
        gate.release.set()
        await wait_for_runs(app)


async def test_head_of_the_event_stream_answers_headers_only(
    client: TestClient[Any, Any], world: World
) -> None:
    """aiohttp answers HEAD wherever GET is; a stream body there would desync the connection."""
    url = f"/api/repositories/{world.completed}/docs/events"
    head = await client.head(url, headers=world.headers(OWNER))
    assert (head.status, head.content_type, await head.read()) == (200, "text/event-stream", b"")
    # The next answer on the same connection is the next request's own.
    assert (await client.get("/healthz")).status == 200
    missing = await client.head(
        f"/api/repositories/{uuid.uuid4()}/docs/events", headers=world.headers(OWNER)
    )
    assert missing.status == 404
