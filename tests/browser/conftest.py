"""Browser tests: Debian's chromium driven by Playwright against the service on 127.0.0.1.

The service is the ``app`` fixture served by an in-process aiohttp test server,
so a test can hold a run at a step (``RunDeps.on_progress``) and count requests
at the server (``app.on_response_prepare``).  Every page is watched for what
must never happen: a dialog, a script error, a console error, a CSP violation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from playwright.async_api import Browser, async_playwright

from docsgen.settings import Settings
from tests.browser.support import (
    CHROMIUM_ARGS,
    POLL_SECONDS,
    WATCH_SCRIPT,
    Context,
    Service,
    Watch,
    start_service,
)
from tests.support.groups import chromium


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings with a short status poll and no SSE (the poll is under test)."""
    return dataclasses.replace(settings, poll_interval_seconds=POLL_SECONDS, page_sse=False)


@pytest.fixture
async def service(app: web.Application, aiohttp_server: Any) -> Service:
    return await start_service(app, aiohttp_server)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium(), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        await launched.close()


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[Context]:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 860})
    await ctx.add_init_script(WATCH_SCRIPT)
    watch = Watch()
    ctx.on("page", watch.attach)
    ctx.set_default_timeout(15_000)
    yield ctx, watch
    await ctx.close()
