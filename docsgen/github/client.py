"""The one module through which all GitHub I/O goes: the requests and their loop.

API calls use gidgethub's aiohttp ``GitHubAPI`` against the configured base URL
(github.com, GitHub Enterprise, or a test fake); the tarball is fetched with the
raw aiohttp session, because gidgethub decodes bodies as text.  What an answer
that is no success means (an error, a retry, a rate-limit wait reported through
``on_wait``) is decided by ``docsgen.github.rules``, without I/O; this module
only carries its decisions out.  No token is ever put in a message or a log line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from concurrent.futures import CancelledError as FutureCancelled
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar
from urllib.parse import urlencode

import aiohttp
import gidgethub.aiohttp
from yarl import URL

from docsgen import __version__
from docsgen.errors import GitHubApiFailed, RepositoryTooLarge
from docsgen.github import rules
from docsgen.settings import Settings
from docsgen.snapshot import human_size

log = logging.getLogger(__name__)

T = TypeVar("T")
REQUESTER = f"docsgen/{__version__}"
_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_REDIRECTS = 3
_CHUNK = 64 * 1024
_ERROR_BODY_BYTES = 64 * 1024  # of a failed download's answer, enough for GitHub's message

WaitCallback = Callable[[datetime], Awaitable[None]]
ResumeCallback = Callable[[], Awaitable[None]]


class RawReader(Protocol):
    """A blocking byte source: ``read`` returns up to ``n`` bytes, ``b""`` at the end."""

    def read(self, n: int, /) -> bytes: ...


@dataclass(frozen=True)
class GitHubUser:
    login: str
    id: int | None
    # None when GitHub reports no scopes header (fine-grained tokens, GitHub Apps).
    scopes: tuple[str, ...] | None


class _Refused(Exception):
    """GitHub answered with no success: the answer, for ``rules`` to judge."""

    def __init__(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        super().__init__(status)
        self.status, self.headers, self.body = status, headers, body


class _API(gidgethub.aiohttp.GitHubAPI):
    """gidgethub's adapter with a timeout per request and the last answer's headers kept.

    An answer that is no success is raised as ``_Refused`` before gidgethub
    decodes it, so API calls and the tarball download are judged by one set of rules.
    """

    def __init__(self, session: aiohttp.ClientSession, timeout: float, **kwargs: Any) -> None:
        super().__init__(session, REQUESTER, **kwargs)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self.last_headers: Mapping[str, str] = {}

    async def _request(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes = b""
    ) -> tuple[int, Mapping[str, str], bytes]:
        async with self._session.request(
            method, url, headers=headers, data=body, timeout=self._timeout
        ) as response:
            self.last_headers = response.headers
            answer = response.status, response.headers, await response.read()
        if answer[0] not in rules.SUCCESS:
            raise _Refused(*answer)
        return answer


class GitHubClient:
    """GitHub as one user (or anonymously) sees it; one instance per run or request."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: Settings,
        *,
        token: str | None = None,
        on_wait: WaitCallback | None = None,
        on_resume: ResumeCallback | None = None,
    ) -> None:
        self._session = session
        self._settings = settings
        self._token = token
        self._api = _API(
            session, settings.github_timeout_seconds, oauth_token=token,
            base_url=settings.github_api_url,
        )  # fmt: skip
        self._policy = rules.Policy.from_settings(settings)
        self._on_wait = on_wait
        self._on_resume = on_resume
        self.api_url = settings.github_api_url
        self.web_url = settings.github_web_url

    # --- the REST API --------------------------------------------------------------

    def _url(self, path: str) -> str:
        # Absolute, so a GitHub Enterprise base URL keeps its ``/api/v3`` path.
        return self.api_url + path

    async def user(self) -> GitHubUser:
        """The token's owner and its OAuth scopes (``GET /user``)."""
        data = await self._call(lambda: self._api.getitem(self._url("/user")))
        raw_scopes = self._api.last_headers.get("X-OAuth-Scopes")
        scopes = (
            tuple(s.strip() for s in raw_scopes.split(",") if s.strip())
            if raw_scopes is not None
            else None
        )
        return GitHubUser(str(data["login"]), data.get("id"), scopes)

    async def repository(self, owner: str, name: str) -> dict[str, Any]:
        return await self._repository_item(owner, name, "")

    async def commit(self, owner: str, name: str, ref: str) -> dict[str, Any]:
        """The commit ``ref`` points at; an empty repository answers 409 (→ RepositoryEmpty)."""
        return await self._repository_item(owner, name, "/commits/{ref}", ref=ref)

    async def tree(self, owner: str, name: str, sha: str) -> dict[str, Any]:
        """The recursive tree of a commit; GitHub sets ``truncated`` on very large ones."""
        return await self._repository_item(owner, name, "/git/trees/{sha}?recursive=1", sha=sha)

    async def _repository_item(
        self, owner: str, name: str, path: str, **path_vars: str
    ) -> dict[str, Any]:
        """``GET /repos/{owner}/{name}`` + ``path``; a 404 there is a ``RepositoryNotFound``."""
        url = self._url("/repos/{owner}/{name}" + path)
        vars_ = {"owner": owner, "name": name, **path_vars}
        data: dict[str, Any] = await self._call(
            lambda: self._api.getitem(url, vars_), repository=f"{owner}/{name}"
        )
        return data

    async def compare(self, owner: str, name: str, base: str, head: str) -> dict[str, Any]:
        """``base...head``: ``ahead_by`` is how many commits ``head`` has that ``base`` lacks.

        One commit per page is asked for: only the counts are wanted.  A 404 (a
        commit GitHub no longer has) is a ``GitHubApiFailed``, not a missing repository.
        """
        url = self._url("/repos/{owner}/{name}/compare/{basehead}{?per_page}")
        vars_: dict[str, str | int] = {
            "owner": owner, "name": name, "basehead": f"{base}...{head}", "per_page": 1,
        }  # fmt: skip
        data: dict[str, Any] = await self._call(lambda: self._api.getitem(url, vars_))
        return data

    async def repositories(self, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` repositories the user can see, paged through ``getiter``."""

        async def collect() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = []
            pages: AsyncIterator[Any] = self._api.getiter(
                self._url("/user/repos{?per_page,sort}"), {"per_page": 100, "sort": "full_name"}
            )
            async for item in pages:
                found.append(item)
                if len(found) >= limit:
                    break
            return found

        return await self._call(collect)

    # --- the tarball ---------------------------------------------------------------

    async def tarball(
        self, owner: str, name: str, sha: str, consume: Callable[[RawReader], T]
    ) -> T:
        """Download the tarball of ``sha`` once and hand its bytes to ``consume``.

        ``consume`` runs in a worker thread and reads the compressed stream as it
        arrives (at most ``max_tarball_bytes``); nothing touches the disk.  A
        transient failure restarts the download, as the API calls do.
        """
        url = str(URL(self.api_url + "/repos").joinpath(owner, name, "tarball", sha))
        return await self._call(lambda: self._download(url, consume), repository=f"{owner}/{name}")

    async def _download(self, url: str, consume: Callable[[RawReader], T]) -> T:
        timeout = self._settings.github_timeout_seconds
        # No total timeout: a large repository takes time, but a stalled stream fails.
        client_timeout = aiohttp.ClientTimeout(total=None, sock_connect=timeout, sock_read=timeout)
        target = URL(url)
        for _ in range(_MAX_REDIRECTS + 1):
            headers = {"User-Agent": REQUESTER, "Accept": "application/vnd.github+json"}
            # The token goes to the API's origin only, never to the redirect target.
            if self._token is not None and target.origin() == URL(self.api_url).origin():
                headers["Authorization"] = f"token {self._token}"
            async with self._session.get(
                target, headers=headers, allow_redirects=False, timeout=client_timeout
            ) as response:
                if response.status in _REDIRECTS and "Location" in response.headers:
                    # The location may carry a short-lived token: it is never logged.
                    target = _redirect_target(response.url, response.headers["Location"])
                    continue
                if response.status in rules.SUCCESS - {200}:
                    raise GitHubApiFailed(
                        f"GitHub API request failed: {response.status} for the tarball download"
                    )
                if response.status != 200:
                    body = await response.content.read(_ERROR_BODY_BYTES)
                    raise _Refused(response.status, response.headers, body)
                return await self._stream(response, consume)
        raise GitHubApiFailed("GitHub API request failed: too many redirects for the tarball")

    async def _stream(
        self, response: aiohttp.ClientResponse, consume: Callable[[RawReader], T]
    ) -> T:
        limit = self._settings.max_tarball_bytes
        if response.content_length is not None and response.content_length > limit:
            raise RepositoryTooLarge(tarball_too_large(limit))
        loop = asyncio.get_running_loop()
        bridge = _StreamBridge(loop, response.content, limit)
        # A thread of its own: a slow download must not hold one of the loop's
        # default executor threads (DNS lookups use those).
        thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docsgen-tarball")
        work = loop.run_in_executor(thread, consume, bridge)
        try:
            return await asyncio.shield(work)
        finally:
            if not work.done():
                # Cancelled: unblock the worker thread and let it end before the
                # response (its data source) is closed.
                bridge.abort()
                await asyncio.wait([work])
                if not work.cancelled():
                    work.exception()  # retrieved: it is the abort we caused
            thread.shutdown(wait=False)

    # --- OAuth web flow (on the web URL) ------------------------------------------

    def authorize_url(self, client_id: str, redirect_uri: str, state: str, scope: str) -> str:
        query = urlencode(
            {"client_id": client_id, "redirect_uri": redirect_uri, "scope": scope, "state": state}
        )
        return f"{self.web_url}/login/oauth/authorize?{query}"

    async def exchange_code(
        self, client_id: str, client_secret: str, code: str, redirect_uri: str
    ) -> dict[str, Any]:
        """GitHub's answer to the code exchange: ``access_token`` or ``error``."""
        data = {
            "client_id": client_id,
            "client_secret": client_secret,
            "code": code,
            "redirect_uri": redirect_uri,
        }
        answer = await self._call(
            lambda: self._api.post(
                self.web_url + "/login/oauth/access_token", data=data, accept="application/json"
            )
        )
        if not isinstance(answer, dict):
            raise GitHubApiFailed("GitHub answered the OAuth code exchange with no JSON object")
        return answer

    # --- failures, retries and waits -----------------------------------------------

    async def _call(
        self, operation: Callable[[], Awaitable[T]], *, repository: str | None = None
    ) -> T:
        """Run ``operation`` until it succeeds or ``rules`` decides it has failed."""
        attempts = rules.Attempts(self._policy, repository=repository)
        while True:
            try:
                return await operation()
            except _Refused as refused:
                failure: BaseException = refused
            except (TimeoutError, aiohttp.ClientError) as exc:
                failure = exc
            # Judged outside the handlers: the error raised carries no chained context.
            step = self._judge(attempts, failure)
            if isinstance(step, rules.Wait):
                await self._wait(step)
                continue
            log.info(
                "GitHub request failed (%s); retry %d of %d in %.2f s",
                step.reason, attempts.failures, self._policy.retries, step.delay,
            )  # fmt: skip
            await asyncio.sleep(step.delay)

    @staticmethod
    def _judge(attempts: rules.Attempts, failure: BaseException) -> rules.Retry | rules.Wait:
        if isinstance(failure, _Refused):
            return attempts.answered(
                failure.status, failure.headers, failure.body, now=datetime.now(UTC)
            )
        return attempts.unanswered(
            _short_reason(failure), timed_out=isinstance(failure, TimeoutError)
        )

    async def _wait(self, wait: rules.Wait) -> None:
        log.warning("GitHub secondary rate limit: waiting until %s", rules.utc_clock(wait.until))
        if self._on_wait is not None:
            await self._on_wait(wait.until)
        await asyncio.sleep(wait.seconds)
        if self._on_resume is not None:
            await self._on_resume()


def tarball_too_large(limit: int) -> str:
    return f"Repository is too large: its tarball is over the download limit of {human_size(limit)}"


def _redirect_target(base: URL, location: str) -> URL:
    """Where a redirect points; a malformed one fails without quoting it (it may hold a token)."""
    try:
        target = base.join(URL(location))
    except ValueError:
        target = None
    if target is None or target.scheme not in ("http", "https") or not target.host:
        raise GitHubApiFailed("GitHub redirected the tarball download to an invalid address")
    return target


def _short_reason(exc: BaseException) -> str:
    """A failure without URLs (a redirect target may carry a token)."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect to {exc.host}:{exc.port}"
    return type(exc).__name__


class _StreamBridge:
    """A blocking reader, for a worker thread, over an aiohttp body read on the loop."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, content: aiohttp.StreamReader, limit: int
    ) -> None:
        self._loop = loop
        self._content = content
        self._limit = limit
        self._buffer = b""
        self._received = 0
        self._aborted = False
        self._pending: Any = None

    def read(self, n: int, /) -> bytes:
        if self._aborted:
            raise _Aborted()
        if not self._buffer:
            future = asyncio.run_coroutine_threadsafe(self._content.read(_CHUNK), self._loop)
            self._pending = future
            try:
                chunk = future.result()
            except FutureCancelled:
                raise _Aborted() from None
            finally:
                self._pending = None
            self._received += len(chunk)
            if self._received > self._limit:
                raise RepositoryTooLarge(tarball_too_large(self._limit))
            self._buffer = chunk
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data

    def abort(self) -> None:
        self._aborted = True
        pending = self._pending
        if pending is not None:
            pending.cancel()


class _Aborted(Exception):
    """The download was abandoned (the run was cancelled)."""
