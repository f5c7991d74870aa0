"""Live updates: with the progress stream advertised the page shows each change as the
stream brings it, and goes on with the poll alone when the stream fails.  That it
polls all the while the stream is open is counted in test_poll_clock.py.

The stream is the service's own ``GET /api/repositories/{id}/docs/events``
(CONTRACT §5), fed by PostgreSQL notifications.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from playwright.async_api import Route, expect

from docsgen.settings import Settings
from tests.browser.support import (
    Context,
    Service,
    detail_page,
    detail_url,
    signed_in_page,
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, page_sse=True)


def events_path(repository_id: str) -> str:
    return f"/api/repositories/{repository_id}/docs/events"


async def test_the_page_shows_each_step_the_stream_brings(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    gate = service.step_gate()
    page = await detail_page(context, service, repository_id)
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
    assert service.count("GET", events_path(repository_id)) >= 1
    await context[1].assert_clean()


async def test_a_failing_stream_falls_back_to_polling(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    gate = service.step_gate()
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
