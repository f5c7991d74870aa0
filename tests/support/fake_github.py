"""THE fake GitHub: a real aiohttp server on 127.0.0.1 that speaks GitHub's REST shapes.

It serves users, repositories, commits, recursive trees, ``/user/repos`` with
``Link`` paging, the 302 from ``/repos/{o}/{r}/tarball/{sha}`` to a
codeload-style URL on a second origin serving a real ``tar.gz`` (made with
``git archive`` from a test repository), and GitHub's OAuth web flow.  Every
answer carries rate-limit headers.

It also serves the compare API (``/repos/{o}/{r}/compare/{base}...{head}``,
counted by git in the source repository), moves a repository's head
(``move_head``), and plays GitHub's side of webhooks: ``deliver`` sends a
signed delivery to the service (``webhook_secret`` is in ``settings_for``).

Tests steer it per route (see ``ROUTES``): ``fail`` (any status and message),
``slow`` (hold the answer; with a short client timeout this is a timeout),
``rate_limit`` (primary: 403 with ``x-ratelimit-remaining: 0``),
``secondary_rate_limit`` (403/429 with ``retry-after``), and ``hold`` (a gate
that keeps the next answer until the test releases it).  ``count(route)``
says how many requests a route received.

Use the ``fake_github`` fixture (registered as a pytest plugin in conftest);
mark a test module ``pytest.mark.on_fake_github`` and the ``settings`` fixture
points the service at it (``settings_for``).  Alice's account and the sample
repository there are fixtures in ``tests/support/on_github.py``.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import functools
import hashlib
import hmac
import json
import secrets
import socket
import subprocess
import time
import uuid
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from yarl import URL

from docsgen.settings import Settings
from tests.support.gitrepo import git
from tests.support.secrets_guard import SecretsGuard

# Route names, for faults, gates and counts.
ROUTES = (
    "user",
    "user_repos",
    "repo",
    "commit",
    "tree",
    "tarball",
    "codeload",
    "compare",
    "oauth_authorize",
    "oauth_token",
)
DOCS_URL = "https://docs.github.com/rest"
RATE_LIMIT = 5000
ANONYMOUS_RATE_LIMIT = 60


@dataclass
class FakeUser:
    login: str
    id: int
    token: str
    # None: GitHub sends no X-OAuth-Scopes header (a fine-grained token).
    scopes: tuple[str, ...] | None = ("repo", "read:user")


@dataclass
class FakeRepo:
    owner: str
    name: str
    commit_sha: str | None  # None: an empty repository
    tree: list[dict[str, Any]] = field(default_factory=list)
    tarball: bytes = b""
    private: bool = False
    description: str | None = None
    topics: tuple[str, ...] = ()
    license: str | None = None
    language: str | None = None
    archived: bool = False
    default_branch: str = "main"
    tree_truncated: bool = False
    collaborators: set[str] = field(default_factory=set)
    # The git repository it is served from (the compare API counts commits there).
    source: Path | None = None
    # Commits the default branch pointed at before ``move_head``: sha → (tree, tarball).
    earlier: dict[str, tuple[list[dict[str, Any]], bytes]] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def at(self, ref: str) -> tuple[str, list[dict[str, Any]], bytes] | None:
        """The commit, tree and tarball ``ref`` (the default branch or a SHA) names."""
        if self.commit_sha is not None and ref in (self.default_branch, self.commit_sha):
            return self.commit_sha, self.tree, self.tarball
        if ref in self.earlier:
            return ref, *self.earlier[ref]
        return None


@dataclass
class Fault:
    """What the next ``times`` requests of a route get instead of the normal answer."""

    status: int | None = 500  # None: the normal answer (after ``delay``)
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    times: int | None = 1  # None: every request from now on
    # The tarball download only: send this many bytes, then stall for ``delay``.
    stall_after: int | None = None


class Gate:
    """Holds the next answer of a route until ``release()``; ``reached`` is set on arrival."""

    def __init__(self) -> None:
        self.reached = asyncio.Event()
        self._released = asyncio.Event()

    def release(self) -> None:
        self._released.set()

    async def pass_through(self) -> None:
        self.reached.set()
        await self._released.wait()


@dataclass(frozen=True)
class RecordedRequest:
    route: str
    method: str
    url: str
    headers: dict[str, str]


def _check_route(route: str) -> None:
    if route not in ROUTES:
        raise ValueError(f"unknown route {route!r}; one of {', '.join(ROUTES)}")


Handler = Callable[["FakeGitHub", web.Request], Awaitable[web.StreamResponse]]
# Finds what a handler answers about (the caller, a repository), or GitHub's refusal.
Finder = Callable[["FakeGitHub", web.Request], Any]


def _route(
    route: str, about: Finder | None = None
) -> Callable[[Callable[..., Awaitable[web.StreamResponse]]], Handler]:
    """The handler of ``route``: each request is counted, recorded, held at the route's gate
    and given its fault (``FakeGitHub._enter``) before the handler may answer it.

    ``about`` finds what the handler answers about, passed to it after the request; when
    it finds a response instead (GitHub's 401, 404 or 409), that is the answer.
    """
    _check_route(route)

    def decorate(handler: Callable[..., Awaitable[web.StreamResponse]]) -> Handler:
        @functools.wraps(handler)
        async def answer(self: FakeGitHub, request: web.Request) -> web.StreamResponse:
            if (early := await self._enter(route, request)) is not None:
                return early
            if about is None:
                return await handler(self, request)
            found = about(self, request)
            if isinstance(found, web.StreamResponse):
                return found
            return await handler(self, request, found)

        return answer

    return decorate


class FakeGitHub:
    """``api_prefix`` serves the REST API under a path, as GitHub Enterprise does (``/api/v3``)."""

    def __init__(self, *, api_prefix: str = "") -> None:
        self.api_prefix = api_prefix
        self.users: dict[str, FakeUser] = {}
        self.repos: dict[str, FakeRepo] = {}
        self.counts: collections.Counter[str] = collections.Counter()
        self.requests: list[RecordedRequest] = []
        self.oauth_client_id = "fake-oauth-client-id"
        self.oauth_client_secret = "fake-oauth-client-secret-" + secrets.token_hex(8)
        self.webhook_secret = "fake-webhook-secret-" + secrets.token_hex(8)
        # The account that "approves" in the browser at the authorize page.
        self.oauth_login: str | None = None
        self._codes: dict[str, tuple[str, str]] = {}  # code → (login, redirect_uri)
        self._codeload_tokens: set[str] = set()
        self._faults: dict[str, collections.deque[Fault]] = collections.defaultdict(
            collections.deque
        )
        self._gates: dict[str, collections.deque[Gate]] = collections.defaultdict(collections.deque)
        self._remaining: dict[str, int] = {}
        self._next_id = 1000
        self._account_ids: dict[str, int] = {}
        self._revoked: set[str] = set()
        self._stall: tuple[int, float] | None = None
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""  # the API's base URL (origin and prefix)
        self.web_url = ""  # the web and codeload origin (another port)

    # --- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        api = self.api_prefix
        app.add_routes(
            [
                web.get(f"{api}/user", self._user),
                web.get(f"{api}/user/repos", self._user_repos),
                web.get(api + "/repos/{owner}/{name}", self._repo),
                web.get(api + "/repos/{owner}/{name}/commits/{ref:.+}", self._commit),
                web.get(api + "/repos/{owner}/{name}/git/trees/{sha}", self._tree),
                web.get(api + "/repos/{owner}/{name}/tarball/{ref:.+}", self._tarball),
                web.get(api + "/repos/{owner}/{name}/compare/{basehead:.+}", self._compare),
                web.get("/_codeload/{owner}/{name}/legacy.tar.gz/{sha}", self._codeload),
                web.get("/login/oauth/authorize", self._oauth_authorize),
                web.post("/login/oauth/access_token", self._oauth_token),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        api_socket, web_socket = _listening_socket(), _listening_socket()
        for sock in (api_socket, web_socket):
            await web.SockSite(self._runner, sock).start()
        self.url = f"http://127.0.0.1:{api_socket.getsockname()[1]}{self.api_prefix}"
        self.web_url = f"http://127.0.0.1:{web_socket.getsockname()[1]}"

    async def close(self) -> None:
        self._closing.set()
        for gates in self._gates.values():
            for gate in gates:
                gate.release()
        if self._runner is not None:
            await self._runner.cleanup()

    def settings_for(self, settings: Settings, **overrides: Any) -> Settings:
        """``settings`` pointed at this fake, with short waits for tests."""
        values: dict[str, Any] = {
            "github_api_url": self.url,
            "github_web_url": self.web_url,
            "github_oauth_client_id": self.oauth_client_id,
            "github_oauth_client_secret": self.oauth_client_secret,
            "github_webhook_secret": self.webhook_secret,
            "github_timeout_seconds": 5.0,
            "github_backoff_seconds": 0.01,
            "github_backoff_max_seconds": 0.05,
            "github_secondary_wait_seconds": 0.05,
        }
        values.update(overrides)
        return dataclasses.replace(settings, **values)

    # --- arranging -------------------------------------------------------------------

    def add_user(
        self, login: str, *, scopes: tuple[str, ...] | None = ("repo", "read:user")
    ) -> FakeUser:
        """A new token for the account ``login`` (created on first use)."""
        return self._issue(login, "ghp_", scopes)

    def revoke(self, token: str) -> None:
        """The token stops working (GitHub answers 401); the account stays."""
        self._revoked.add(self.users.pop(token).token)

    def _issue(self, login: str, prefix: str, scopes: tuple[str, ...] | None) -> FakeUser:
        if login not in self._account_ids:
            self._next_id += 1
            self._account_ids[login] = self._next_id
        user = FakeUser(login, self._account_ids[login], prefix + secrets.token_urlsafe(27), scopes)
        self.users[user.token] = user
        return user

    def add_repo(self, owner: str, name: str, source: Path, **attributes: Any) -> FakeRepo:
        """A repository whose default branch is ``source``'s HEAD, served from its git data."""
        sha = git(source, "rev-parse", "HEAD")
        prefix = f"{owner}-{name}-{sha[:7]}/"
        tarball = subprocess.run(
            ["git", "-C", str(source), "archive", "--format=tar.gz", f"--prefix={prefix}", sha],
            check=True,
            capture_output=True,
        ).stdout
        repo = FakeRepo(owner, name, sha, _tree(source, sha), tarball, source=source, **attributes)
        self.repos[repo.full_name.lower()] = repo
        return repo

    def move_head(self, full_name: str) -> FakeRepo:
        """The default branch moves to its source repository's current HEAD (a push)."""
        old = self.repos[full_name.lower()]
        assert old.source is not None, "only repositories added with add_repo can move"
        keep = {
            f.name: getattr(old, f.name)
            for f in dataclasses.fields(FakeRepo)
            if f.name not in ("owner", "name", "commit_sha", "tree", "tarball", "source")
        }
        if old.commit_sha is not None:
            keep["earlier"] = {**old.earlier, old.commit_sha: (old.tree, old.tarball)}
        return self.add_repo(old.owner, old.name, old.source, **keep)

    def add_empty_repo(self, owner: str, name: str, **attributes: Any) -> FakeRepo:
        repo = FakeRepo(owner, name, None, **attributes)
        self.repos[repo.full_name.lower()] = repo
        return repo

    def add_repo_with_tarball(
        self, owner: str, name: str, tarball: bytes, *, tree: list[dict[str, Any]] | None = None,
        truncated: bool = True, **attributes: Any,
    ) -> FakeRepo:  # fmt: skip
        """A repository whose tarball is ``tarball`` as given (hostile ones, for instance)."""
        sha = secrets.token_hex(20)
        repo = FakeRepo(
            owner, name, sha, tree or [], tarball, tree_truncated=truncated, **attributes
        )
        self.repos[repo.full_name.lower()] = repo
        return repo

    def fail(
        self,
        route: str,
        status: int = 500,
        message: str | None = None,
        *,
        times: int | None = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        body = {"message": message or _reason(status), "documentation_url": DOCS_URL}
        self._fault(route, Fault(status, body, headers or {}, times=times))

    def slow(self, route: str, seconds: float, *, times: int | None = None) -> None:
        """Answer normally, but only after ``seconds`` (or when the fake closes)."""
        self._fault(route, Fault(None, delay=seconds, times=times))

    def stall_download(self, after_bytes: int, seconds: float, *, times: int | None = 1) -> None:
        """The codeload download sends ``after_bytes``, then stalls ``seconds`` mid-body."""
        self._fault("codeload", Fault(None, delay=seconds, times=times, stall_after=after_bytes))

    def rate_limit(self, route: str, *, reset_in: float = 1800, times: int | None = 1) -> int:
        """The primary rate limit: 403, ``x-ratelimit-remaining: 0``; returns the reset epoch."""
        reset = int(time.time() + reset_in)
        headers = {
            "x-ratelimit-limit": str(RATE_LIMIT),
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": str(reset),
            "x-ratelimit-used": str(RATE_LIMIT),
        }
        body = {
            "message": "API rate limit exceeded for user ID 1.",
            "documentation_url": DOCS_URL,
        }
        self._fault(route, Fault(403, body, headers, times=times))
        return reset

    def secondary_rate_limit(
        self, route: str, *, retry_after: int | None = 1, status: int = 403, times: int = 1
    ) -> None:
        headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
        body = {
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
            "before you try again.",
            "documentation_url": DOCS_URL,
        }
        self._fault(route, Fault(status, body, headers, times=times))

    def hold(self, route: str) -> Gate:
        """A gate for the next request of ``route``."""
        _check_route(route)
        gate = Gate()
        self._gates[route].append(gate)
        return gate

    def clear_faults(self) -> None:
        self._faults.clear()

    def count(self, route: str) -> int:
        _check_route(route)
        return self.counts[route]

    def secrets(self) -> set[str]:
        """Every credential this fake issued or holds: none may leak from the service."""
        found = {u.token for u in self.users.values()} | self._revoked | self._codeload_tokens
        found.add(self.oauth_client_secret)
        found.add(self.webhook_secret)
        return found

    def _fault(self, route: str, fault: Fault) -> None:
        _check_route(route)
        self._faults[route].append(fault)

    # --- the plumbing every answer goes through --------------------------------------

    async def _enter(self, route: str, request: web.Request) -> web.StreamResponse | None:
        """Count, record, pass the gate, apply a fault; a response means 'answer this'."""
        self._stall = None
        self.counts[route] += 1
        self.requests.append(
            RecordedRequest(route, request.method, str(request.rel_url), dict(request.headers))
        )
        gates = self._gates.get(route)
        if gates:
            await gates.popleft().pass_through()
        faults = self._faults.get(route)
        if not faults:
            return None
        fault = faults[0]
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                faults.popleft()
        if fault.stall_after is not None:
            self._stall = (fault.stall_after, fault.delay)
            return None
        if fault.delay:
            await self._pause(fault.delay)
        if fault.status is None:
            return None
        return self._json(request, fault.body, status=fault.status, extra=fault.headers)

    async def _pause(self, seconds: float) -> None:
        """Hold an answer for ``seconds``, or until the fake closes."""
        try:
            await asyncio.wait_for(self._closing.wait(), seconds)
        except TimeoutError:
            pass

    def _caller(self, request: web.Request) -> FakeUser | web.Response | None:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _, token = header.partition(" ")
        user = self.users.get(token.strip()) if scheme.lower() in ("token", "bearer") else None
        if user is None:
            return self._json(
                request, {"message": "Bad credentials", "documentation_url": DOCS_URL}, status=401
            )
        return user

    def _rate_headers(self, request: web.Request) -> dict[str, str]:
        header = request.headers.get("Authorization", "")
        key = header.partition(" ")[2] or f"anonymous:{request.remote}"
        limit = RATE_LIMIT if header else ANONYMOUS_RATE_LIMIT
        remaining = max(0, self._remaining.get(key, limit) - 1)
        self._remaining[key] = remaining
        return {
            "x-ratelimit-limit": str(limit),
            "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-reset": str(int(time.time()) + 3600),
            "x-ratelimit-used": str(limit - remaining),
            "x-ratelimit-resource": "core",
        }

    def _json(
        self,
        request: web.Request,
        body: Any,
        *,
        status: int = 200,
        extra: dict[str, str] | None = None,
    ) -> web.Response:
        headers = {**self._rate_headers(request), **(extra or {})}
        return web.Response(
            status=status,
            body=json.dumps(body).encode(),
            content_type="application/json",
            charset="utf-8",
            headers=headers,
        )

    def _not_found(self, request: web.Request) -> web.Response:
        return self._json(
            request, {"message": "Not Found", "documentation_url": DOCS_URL}, status=404
        )

    def _signed_in(self, request: web.Request) -> FakeUser | web.Response:
        """The caller, who must have sent a valid token (GitHub's 401s otherwise)."""
        caller = self._caller(request)
        if caller is None:
            return self._json(
                request,
                {"message": "Requires authentication", "documentation_url": DOCS_URL},
                status=401,
            )
        return caller

    def _visible_repo(self, request: web.Request) -> FakeRepo | web.Response:
        caller = self._caller(request)
        if isinstance(caller, web.Response):
            return caller
        key = f"{request.match_info['owner']}/{request.match_info['name']}".lower()
        repo = self.repos.get(key)
        if repo is None or (repo.private and not _member(caller, repo)):
            return self._not_found(request)
        return repo

    def _repo_with_commits(self, request: web.Request) -> FakeRepo | web.Response:
        """``_visible_repo``, where an empty repository answers GitHub's 409."""
        repo = self._visible_repo(request)
        if isinstance(repo, FakeRepo) and repo.commit_sha is None:
            return self._empty(request)
        return repo

    # --- the REST API ----------------------------------------------------------------

    @_route("user", _signed_in)
    async def _user(self, request: web.Request, caller: FakeUser) -> web.StreamResponse:
        extra = {"X-OAuth-Scopes": ", ".join(caller.scopes)} if caller.scopes is not None else {}
        return self._json(
            request,
            {"login": caller.login, "id": caller.id, "type": "User", "name": caller.login.title()},
            extra=extra,
        )

    @_route("user_repos", _signed_in)
    async def _user_repos(self, request: web.Request, caller: FakeUser) -> web.StreamResponse:
        repos = sorted(
            (r for r in self.repos.values() if _member(caller, r)),
            key=lambda r: r.full_name.lower(),
        )
        per_page = min(100, int(request.query.get("per_page", "30")))
        page = int(request.query.get("page", "1"))
        last = max(1, -(-len(repos) // per_page))
        chunk = repos[(page - 1) * per_page : page * per_page]
        links = []
        base = URL(self.url + "/user/repos")

        def page_url(n: int) -> str:
            return str(base.with_query({**request.query, "per_page": per_page, "page": n}))

        if page < last:
            links += [f'<{page_url(page + 1)}>; rel="next"', f'<{page_url(last)}>; rel="last"']
        if page > 1:
            links += [f'<{page_url(page - 1)}>; rel="prev"', f'<{page_url(1)}>; rel="first"']
        extra = {"Link": ", ".join(links)} if links else {}
        return self._json(request, [self._repo_json(r) for r in chunk], extra=extra)

    def _repo_json(self, repo: FakeRepo) -> dict[str, Any]:
        license_ = (
            {"key": repo.license.lower(), "name": repo.license, "spdx_id": repo.license}
            if repo.license
            else None
        )
        return {
            "id": zlib.crc32(repo.full_name.encode()),
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": {"login": repo.owner},
            "private": repo.private,
            "html_url": f"{self.web_url}/{repo.full_name}",
            "description": repo.description,
            "default_branch": repo.default_branch,
            "topics": list(repo.topics),
            "license": license_,
            "language": repo.language,
            "archived": repo.archived,
            "size": 0 if repo.commit_sha is None else max(1, len(repo.tarball) // 1024),
            "updated_at": "2026-01-01T00:00:00Z",
        }

    @_route("repo", _visible_repo)
    async def _repo(self, request: web.Request, repo: FakeRepo) -> web.StreamResponse:
        return self._json(request, self._repo_json(repo))

    def _empty(self, request: web.Request) -> web.Response:
        return self._json(
            request,
            {"message": "Git Repository is empty.", "documentation_url": DOCS_URL},
            status=409,
        )

    @_route("commit", _repo_with_commits)
    async def _commit(self, request: web.Request, repo: FakeRepo) -> web.StreamResponse:
        ref = request.match_info["ref"]
        found = repo.at(ref)
        if found is None:
            return self._json(
                request,
                {"message": f"No commit found for SHA: {ref}", "documentation_url": DOCS_URL},
                status=422,
            )
        sha = found[0]
        return self._json(
            request,
            {
                "sha": sha,
                "commit": {"tree": {"sha": sha}, "message": "initial"},
                "html_url": f"{self.web_url}/{repo.full_name}/commit/{sha}",
            },
        )

    @_route("tree", _repo_with_commits)
    async def _tree(self, request: web.Request, repo: FakeRepo) -> web.StreamResponse:
        found = repo.at(request.match_info["sha"])
        if found is None or found[0] != request.match_info["sha"]:
            return self._not_found(request)
        return self._json(
            request,
            {"sha": found[0], "tree": found[1], "truncated": repo.tree_truncated},
        )

    @_route("tarball", _visible_repo)
    async def _tarball(self, request: web.Request, repo: FakeRepo) -> web.StreamResponse:
        found = repo.at(request.match_info["ref"])
        if found is None:
            return self._not_found(request)
        # Like codeload: a short-lived token in the query, valid on the other origin.
        token = secrets.token_urlsafe(24)
        self._codeload_tokens.add(token)
        location = (
            f"{self.web_url}/_codeload/{repo.owner}/{repo.name}/legacy.tar.gz/"
            f"{found[0]}?token={token}"
        )
        return web.Response(
            status=302, headers={**self._rate_headers(request), "Location": location}
        )

    @_route("codeload")
    async def _codeload(self, request: web.Request) -> web.StreamResponse:
        stall, self._stall = self._stall, None  # set by _enter for this request
        key = f"{request.match_info['owner']}/{request.match_info['name']}".lower()
        repo = self.repos.get(key)
        found = repo.at(request.match_info["sha"]) if repo is not None else None
        if (
            repo is None
            or found is None
            or found[0] != request.match_info["sha"]
            or request.query.get("token") not in self._codeload_tokens
        ):
            return web.Response(status=404, text="404: Not Found")
        tarball = found[2]
        response = web.StreamResponse(
            headers={
                "Content-Type": "application/x-gzip",
                "Content-Disposition": f"attachment; filename={repo.owner}-{repo.name}.tar.gz",
            }
        )
        response.content_length = len(tarball)
        await response.prepare(request)
        view = memoryview(tarball)
        start = 0
        if stall is not None:
            start = min(stall[0], len(view))
            await response.write(view[:start])
            await self._pause(stall[1])
        for offset in range(start, len(view), 64 * 1024):
            await response.write(view[offset : offset + 64 * 1024])
        await response.write_eof()
        return response

    @_route("compare", _visible_repo)
    async def _compare(self, request: web.Request, repo: FakeRepo) -> web.StreamResponse:
        base, sep, head = request.match_info["basehead"].partition("...")
        if not sep or repo.source is None or repo.commit_sha is None:
            return self._not_found(request)
        if head == repo.default_branch:
            head = repo.commit_sha
        per_page = int(request.query.get("per_page", "250"))
        answer = await asyncio.to_thread(_compare, repo.source, base, head, per_page)
        if answer is None:
            return self._not_found(request)
        return self._json(request, answer)

    # --- webhooks: GitHub's side ------------------------------------------------------

    def sign(self, body: bytes, secret: str | None = None) -> str:
        return github_signature(body, secret if secret is not None else self.webhook_secret)

    def push_payload(
        self, full_name: str, *, before: str | None = None, ref: str | None = None
    ) -> dict[str, Any]:
        """What GitHub sends for a push that moved a branch (default: the default branch) to
        the repository's current commit."""
        repo = self.repos[full_name.lower()]
        return {
            "ref": ref or f"refs/heads/{repo.default_branch}",
            "before": before or "0" * 40,
            "after": repo.commit_sha,
            "created": False,
            "deleted": False,
            "forced": False,
            "repository": {
                "id": zlib.crc32(repo.full_name.encode()),
                "name": repo.name,
                "full_name": repo.full_name,
                "private": repo.private,
                "default_branch": repo.default_branch,
                "master_branch": repo.default_branch,
            },
            "pusher": {"name": repo.owner},
            "commits": [],
            "head_commit": {"id": repo.commit_sha},
        }

    async def deliver(
        self,
        client: TestClient[Any, Any],
        event: str,
        payload: dict[str, Any],
        *,
        delivery_id: str | None = None,
        signature: str | None = None,
    ) -> Any:
        """POST a delivery to the service's ``/webhooks/github``, signed like GitHub does."""
        body = json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "GitHub-Hookshot/fake",
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
            "X-Hub-Signature-256": signature if signature is not None else self.sign(body),
        }
        return await client.post("/webhooks/github", data=body, headers=headers)

    # --- the OAuth web flow ----------------------------------------------------------

    @_route("oauth_authorize")
    async def _oauth_authorize(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        if query.get("client_id") != self.oauth_client_id:
            return web.Response(status=404, text="Unknown OAuth application")
        if self.oauth_login not in self._account_ids:
            raise AssertionError("set fake_github.oauth_login to a user: who approves the sign-in")
        code = secrets.token_hex(10)
        redirect_uri = query.get("redirect_uri", "")
        self._codes[code] = (self.oauth_login, redirect_uri)
        target = URL(redirect_uri).update_query({"code": code, "state": query.get("state", "")})
        return web.Response(status=302, headers={"Location": str(target)})

    @_route("oauth_token")
    async def _oauth_token(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        if request.content_type == "application/json":
            form = {k: str(v) for k, v in json.loads(raw or b"{}").items()}
        else:
            form = dict(parse_qsl(raw.decode()))
        answer: dict[str, Any]
        if (
            form.get("client_id") != self.oauth_client_id
            or form.get("client_secret") != self.oauth_client_secret
        ):
            answer = {
                "error": "incorrect_client_credentials",
                "error_description": "The client_id and/or client_secret passed are incorrect.",
            }
        else:
            found = self._codes.pop(form.get("code", ""), None)
            if found is None or (form.get("redirect_uri") and form["redirect_uri"] != found[1]):
                answer = {
                    "error": "bad_verification_code",
                    "error_description": "The code passed is incorrect or expired.",
                }
            else:
                user = self._issue(found[0], "gho_", ("repo", "read:user"))
                answer = {
                    "access_token": user.token,
                    "token_type": "bearer",
                    "scope": "repo,read:user",
                }
        if "application/json" in request.headers.get("Accept", ""):
            return web.json_response(answer)
        return web.Response(
            text=urlencode(answer), content_type="application/x-www-form-urlencoded"
        )


def github_signature(body: bytes, secret: str) -> str:
    """``X-Hub-Signature-256`` of a webhook delivery, as GitHub computes it."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _member(user: FakeUser | None, repo: FakeRepo) -> bool:
    """The user owns or collaborates on the repository (what ``/user/repos`` lists)."""
    return user is not None and (user.login == repo.owner or user.login in repo.collaborators)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def _compare(source: Path, base: str, head: str, per_page: int) -> dict[str, Any] | None:
    """GitHub's compare answer for ``base...head``, counted by git; None if a commit is unknown."""
    for sha in (base, head):
        probe = subprocess.run(
            ["git", "-C", str(source), "cat-file", "-e", f"{sha}^{{commit}}"], capture_output=True
        )
        if probe.returncode != 0:
            return None
    ahead = int(git(source, "rev-list", "--count", f"{base}..{head}"))
    behind = int(git(source, "rev-list", "--count", f"{head}..{base}"))
    status = (
        "identical" if not ahead and not behind
        else "ahead" if not behind
        else "behind" if not ahead
        else "diverged"
    )  # fmt: skip
    listed = git(source, "rev-list", "--reverse", f"{base}..{head}").split()
    return {
        "status": status,
        "ahead_by": ahead,
        "behind_by": behind,
        "total_commits": ahead,
        "base_commit": {"sha": base},
        "merge_base_commit": {"sha": git(source, "merge-base", base, head)},
        "commits": [{"sha": sha} for sha in listed[:per_page]],
        "files": [],
    }


def _tree(source: Path, sha: str) -> list[dict[str, Any]]:
    """GitHub's recursive tree entries for ``sha``, from git itself."""
    raw = subprocess.run(
        ["git", "-C", str(source), "ls-tree", "-r", "-t", "-l", "-z", "--full-tree", sha],
        check=True,
        capture_output=True,
    ).stdout
    entries = []
    for record in raw.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, obj, size = meta.decode().split()
        # JSON carries text: a name that is not UTF-8 reads with replacement characters.
        name = path.decode(errors="replace")
        entry: dict[str, Any] = {"path": name, "mode": mode, "type": kind, "sha": obj}
        if kind == "blob":
            entry["size"] = int(size)
        entries.append(entry)
    return entries


# --- using the fake through the service's API ------------------------------------


async def connect_github(
    client: TestClient[Any, Any], headers: dict[str, str], token: str
) -> dict[str, Any]:
    """Connect the caller's GitHub account with ``token`` (``PUT /api/github/connection``)."""
    response = await client.put("/api/github/connection", json={"token": token}, headers=headers)
    assert response.status == 200, await response.text()
    body: dict[str, Any] = await response.json()
    return body


async def register_github(
    client: TestClient[Any, Any], headers: dict[str, str], full_name: str
) -> dict[str, Any]:
    response = await client.post(
        "/api/repositories", json={"provider": "github", "full_name": full_name}, headers=headers
    )
    assert response.status == 201, await response.text()
    body: dict[str, Any] = await response.json()
    return body


@pytest.fixture
def github_overrides() -> dict[str, Any]:
    """Settings a test changes for GitHub runs; parametrize it to override."""
    return {}


@pytest.fixture
async def fake_github(secrets_guard: SecretsGuard) -> AsyncIterator[FakeGitHub]:
    """A started fake GitHub, closed after the test; none of its secrets may leak."""
    fake = FakeGitHub()
    secrets_guard.watch_for(fake.secrets)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
