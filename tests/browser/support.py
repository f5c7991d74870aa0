"""What the browser tests share: the service under test, page watching, a step gate."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import BrowserContext, Page

from docsgen.api.keys import POOL, RUN_DEPS
from docsgen.api.routes.sessions import ensure_admin
from docsgen.db import jobs
from docsgen.db.pages import PageRow, PagesToStore
from docsgen.db.repositories import create_repository
from docsgen.db.sessions import create_signin_token
from docsgen.jobs.lifecycle import Run

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Shortened for tests; the default (5 s) is checked by test_pages.py.
POLL_SECONDS = 0.3
# How long a test waits for the browser or a run before it fails.
WAIT_SECONDS = 15.0

# Runs in every page before its own scripts: records what a hostile document
# might try (dialogs, CSP violations) where the test can read it.
WATCH_SCRIPT = """
window.__dialogs = [];
window.__csp = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__dialogs.push([name, ...args.map(String)]); };
}
document.addEventListener("securitypolicyviolation", (e) => {
  const target = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 300) : null;
  window.__csp.push({directive: e.violatedDirective, blocked: e.blockedURI,
                     source: `${e.sourceFile}:${e.lineNumber}`, target});
});
"""


@dataclasses.dataclass
class Hit:
    method: str
    path: str
    status: int
    at: float


@dataclasses.dataclass
class Service:
    """The running service: its app, base URL, and every request it answered."""

    app: web.Application
    server: TestServer
    hits: list[Hit]
    answered: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)

    @property
    def base(self) -> str:
        return str(self.server.make_url("")).rstrip("/")

    def count(self, method: str, path: str, status: int | None = None) -> int:
        return sum(
            1
            for h in self.hits
            if h.method == method and h.path == path and (status is None or h.status == status)
        )

    async def wait_for(self, predicate: Callable[[], bool]) -> None:
        """Wait until the requests answered so far satisfy ``predicate`` (15 s at most)."""
        async with asyncio.timeout(WAIT_SECONDS):
            while not predicate():
                self.answered.clear()
                await self.answered.wait()

    def status_polls(self, repository_id: str) -> list[Hit]:
        path = f"/api/repositories/{repository_id}/docs/status"
        return [h for h in self.hits if h.method == "GET" and h.path == path]

    async def register_local(self, path: Path) -> str:
        """Register a local repository for ``admin``; its id."""
        pool = self.app[POOL]
        admin = await ensure_admin(pool)
        repository = await create_repository(pool, admin.id, "local", path=str(path))
        return str(repository.id)

    async def store_docs(
        self, repository_id: str, *, commit_sha: str, content: str, section: str, html: str
    ) -> None:
        """Docs of a completed run, stored as given (no generator): one page, titled
        ``section``, of ``content`` shown as ``html``."""
        pool = self.app[POOL]
        run_id = await jobs.claim_run(pool, uuid.UUID(repository_id), 60)
        assert run_id is not None
        digest = hashlib.sha256(f"{content}\0{html}".encode()).hexdigest()[:32]
        page = PageRow(section.lower(), section, None, content, html, 0, digest)
        stored = await jobs.complete_run(
            pool, run_id, commit_sha=commit_sha, content=content, pages=PagesToStore((page,))
        )
        assert stored

    def step_gate(self) -> StepGate:
        """A new ``StepGate`` that every run of the service passes its steps through."""
        gate = StepGate()
        self.app[RUN_DEPS].on_progress.append(gate)
        return gate

    async def signin_link(self) -> str:
        pool = self.app[POOL]
        admin = await ensure_admin(pool)
        token = await create_signin_token(pool, admin, 60)
        return f"{self.base}/signin?token={token}"


class Watch:
    """What went wrong in a browser context: errors, console errors, dialogs, CSP."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        self.pages: list[Page] = []

    def attach(self, page: Page) -> None:
        self.pages.append(page)
        page.on(
            "console",
            lambda m: self.console_errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

        async def on_dialog(dialog: Any) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            await dialog.dismiss()

        page.on("dialog", on_dialog)

    async def assert_clean(
        self, allow_console: tuple[str, ...] = (), blocked_by_csp: tuple[str, ...] = ()
    ) -> None:
        """Nothing ran that should not have, and nothing broke.

        ``blocked_by_csp``: directives whose blocks of inline script are expected
        (hostile markup the CSP stopped); anything else the CSP reports fails.
        """
        for page in self.pages:
            if page.is_closed():
                continue
            assert await page.evaluate("window.__dialogs") == []
            violations = await page.evaluate("window.__csp")
            unexpected_csp = [
                v
                for v in violations
                if not (v["directive"] in blocked_by_csp and v["blocked"] == "inline")
            ]
            assert unexpected_csp == []
        assert self.dialogs == []
        assert self.page_errors == []
        unexpected = [e for e in self.console_errors if not any(a in e for a in allow_console)]
        assert unexpected == []


async def start_service(app: web.Application, aiohttp_server: Any) -> Service:
    """Serve ``app`` on 127.0.0.1, recording every answer."""
    hits: list[Hit] = []
    answered = asyncio.Event()

    async def record(request: web.Request, response: web.StreamResponse) -> None:
        hits.append(Hit(request.method, request.path, response.status, time.monotonic()))
        answered.set()

    app.on_response_prepare.append(record)
    server = await aiohttp_server(app, host="127.0.0.1")
    return Service(app, server, hits, answered)


class StepGate:
    """Holds a run at every step it reaches until the test lets it go on (or opens it)."""

    def __init__(self) -> None:
        self.arrived: asyncio.Queue[tuple[int, str, asyncio.Event]] = asyncio.Queue()
        self.steps: list[tuple[int, str]] = []
        self._held: list[asyncio.Event] = []
        self._open = False

    async def __call__(self, run: Run, progress: int, step: str) -> None:
        self.steps.append((progress, step))
        if self._open:
            return
        go = asyncio.Event()
        self._held.append(go)
        await self.arrived.put((progress, step, go))
        await go.wait()

    async def next(self) -> tuple[int, str, asyncio.Event]:
        """The next step the run reached, with the event that lets it go on."""
        async with asyncio.timeout(WAIT_SECONDS):
            return await self.arrived.get()

    def open(self) -> None:
        """Let every run go on, now and from now on."""
        self._open = True
        for go in self._held:
            go.set()


Context = tuple[BrowserContext, Watch]


async def new_page(context: Context) -> Page:
    ctx, _ = context
    return await ctx.new_page()


async def signed_in_page(context: Context, service: Service) -> Page:
    """A page of a browser signed in as ``admin`` through a one-time link."""
    page = await new_page(context)
    await page.goto(await service.signin_link())
    await page.get_by_role("heading", name="Repositories", exact=True).wait_for()
    return page


async def detail_page(context: Context, service: Service, repository_id: str) -> Page:
    """A signed-in page showing the repository's detail."""
    page = await signed_in_page(context, service)
    await page.goto(detail_url(service, repository_id))
    return page


def artifact(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / name)


async def screenshot(page: Page, name: str) -> None:
    """Save the whole page, transitions finished, as a test artifact."""
    await page.screenshot(path=artifact(name), full_page=True, animations="disabled")


def detail_url(service: Service, repository_id: str) -> str:
    return f"{service.base}/repositories/{repository_id}"
