"""Live updates: with the progress stream advertised the page follows it instead of
polling, and falls back to the poll when the stream fails.

The stream (``GET /api/repositories/{id}/docs/events``, CONTRACT §5) is the
service's own when the app has it; where it does not (yet), these tests serve a
minimal stand-in that speaks the same protocol from the same row, so the
page's side of it is tested either way.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import Route, expect

from docsgen.api.keys import POOL, RUN_DEPS
from docsgen.api.routes.pages import EVENTS_ROUTE, has_route
from docsgen.api.routes.repositories import caller_repository
from docsgen.db import jobs
from docsgen.settings import Settings
from tests.browser.support import Context, Service, StepGate, detail_url, signed_in_page


async def stand_in_events(request: web.Request) -> web.StreamResponse:
    """CONTRACT §5's stream, reduced: event ``progress`` with the status JSON on
    connect and on every change, ending after a terminal status."""
    repository = await caller_repository(request)
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    sent = None
    while True:
        status = await jobs.read_status(request.app[POOL], repository.id, 60)
        body = json.dumps(status.to_json())
        if body != sent:
            await response.write(f"event: progress\ndata: {body}\n\n".encode())
            sent = body
        if status.status in ("completed", "failed"):
            return response
        await asyncio.sleep(0.05)  # the stand-in reads the row; the real one is notified


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, page_sse=True)


@pytest.fixture
def app(app: web.Application) -> web.Application:
    if not has_route(app, EVENTS_ROUTE):
        app.router.add_get(EVENTS_ROUTE, stand_in_events)
    return app


def events_path(repository_id: str) -> str:
    return f"/api/repositories/{repository_id}/docs/events"


async def test_the_page_follows_the_stream_instead_of_polling(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    gate = StepGate()
    service.app[RUN_DEPS].on_progress.append(gate)
    page = await signed_in_page(context, service)
    await page.goto(detail_url(service, repository_id))
    await page.locator("#generate").click()
    for _ in range(3):
        progress, step, go = await gate.next()
        bar = page.get_by_role("progressbar")
        await expect(bar).to_have_attribute("aria-valuenow", str(progress))
        await expect(page.locator(".progress-step")).to_have_text(step)
        go.set()
    gate.open()
    await expect(page.locator(".badge-completed")).to_be_visible()
    await expect(page.get_by_role("article", name="Documentation")).to_contain_text("Overview")
    assert service.status_polls(repository_id) == []
    assert service.count("GET", events_path(repository_id)) >= 1
    await context[1].assert_clean()


async def test_a_failing_stream_falls_back_to_polling(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    gate = StepGate()
    service.app[RUN_DEPS].on_progress.append(gate)
    page = await signed_in_page(context, service)

    async def broken(route: Route) -> None:
        await route.abort("connectionreset")

    await page.route("**/docs/events", broken)
    await page.goto(detail_url(service, repository_id))
    await page.locator("#generate").click()
    await gate.next()
    await service.wait_for(lambda: len(service.status_polls(repository_id)) >= 2)
    gate.open()
    await expect(page.locator(".badge-completed")).to_be_visible()
    await expect(page.get_by_role("article", name="Documentation")).to_contain_text("Overview")
    await context[1].assert_clean(allow_console=("ERR_CONNECTION_RESET",))
