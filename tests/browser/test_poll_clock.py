"""The default cadence, exactly: one status request per 5 s of the page's clock,
with or without the event stream open (CONTRACT §8).

The page's timers run on Playwright's controllable clock, so five seconds pass
in an instant and the count is exact; requests are counted in the page (every
call of fetch) and at the server.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from playwright.async_api import expect

from docsgen.settings import Settings
from tests.browser.support import Context, Service, detail_url, signed_in_page
from tests.support.api import wait_for_runs

COUNT_FETCHES = """
window.__statusFetches = 0;
const originalFetch = window.fetch;
window.fetch = (input, init) => {
  if (String(input).endsWith("/docs/status")) window.__statusFetches += 1;
  return originalFetch(input, init);
};
"""


START = 1_800_000_000_000  # the page's clock, in milliseconds since the epoch


@pytest.fixture
def page_sse() -> bool:
    """Whether the page is offered the event stream (a test parametrizes it to say yes)."""
    return False


@pytest.fixture
def settings(settings: Settings, page_sse: bool) -> Settings:
    return dataclasses.replace(
        settings, poll_interval_seconds=Settings().poll_interval_seconds, page_sse=page_sse
    )


def events_path(repository_id: str) -> str:
    return f"/api/repositories/{repository_id}/docs/events"


async def test_the_page_asks_every_five_seconds_and_never_after_the_end(
    service: Service, context: Context, sample_repo: Path
) -> None:
    assert Settings().poll_interval_seconds == 5.0
    repository_id = await service.register_local(sample_repo)
    gate = service.step_gate()
    page = await signed_in_page(context, service)
    await page.clock.install(time=START)
    await page.add_init_script(COUNT_FETCHES)
    await page.goto(detail_url(service, repository_id))
    # From here the page's time moves only when the test moves it: installed, it would
    # also flow with real time, and a slow machine would fire a poll early.
    await page.clock.pause_at(START + 1_000)
    await page.locator("#generate").click()
    await gate.next()
    # The page shows the run as started, then sets its first poll in the same turn:
    # the clock must not move before that (the 202 may reach the page after the gate).
    await expect(page.locator(".badge-generating")).to_be_visible()

    async def fetches() -> int:
        count: int = await page.evaluate("window.__statusFetches")
        return count

    for expected in (1, 2, 3):
        await page.clock.run_for(4_900)
        assert await fetches() == expected - 1
        await page.clock.run_for(100)
        assert await fetches() == expected
        await service.wait_for(lambda n=expected: len(service.status_polls(repository_id)) == n)

    gate.open()
    await wait_for_runs(service.app)
    await expect(page.locator(".badge-completed")).to_be_hidden()  # not until it asks again
    await page.clock.run_for(5_000)
    await expect(page.locator(".badge-completed")).to_be_visible()
    final = await fetches()
    await page.clock.run_for(60_000)
    assert await fetches() == final
    assert len(service.status_polls(repository_id)) == final
    await context[1].assert_clean()


@pytest.mark.parametrize("page_sse", [True])
async def test_with_its_event_stream_open_the_page_still_asks_every_five_seconds(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    gate = service.step_gate()
    page = await signed_in_page(context, service)
    await page.clock.install(time=START)
    await page.add_init_script(COUNT_FETCHES)
    await page.goto(detail_url(service, repository_id))
    await page.clock.pause_at(START + 1_000)
    await page.locator("#generate").click()
    _, _, go = await gate.next()
    await expect(page.locator(".badge-generating")).to_be_visible()
    await service.wait_for(lambda: service.count("GET", events_path(repository_id), 200) == 1)

    async def fetches() -> int:
        count: int = await page.evaluate("window.__statusFetches")
        return count

    bar = page.get_by_role("progressbar")
    for expected in (1, 2, 3):
        # The stream shows the next step at once, the page's clock standing still...
        go.set()
        progress, _, go = await gate.next()
        await expect(bar).to_have_attribute("aria-valuenow", str(progress))
        # ...and the poll asks all the same, once per five seconds.
        await page.clock.run_for(4_900)
        assert await fetches() == expected - 1
        await page.clock.run_for(100)
        assert await fetches() == expected
        await service.wait_for(lambda n=expected: len(service.status_polls(repository_id)) == n)
    assert service.count("GET", events_path(repository_id)) == 1  # the one stream, still open

    gate.open()
    await expect(page.locator(".badge-completed")).to_be_visible()  # shown by the stream
    final = await fetches()
    await page.clock.run_for(60_000)
    assert await fetches() == final
    assert len(service.status_polls(repository_id)) == final
    await context[1].assert_clean()
