"""ProjectDetail while generating: one run for two tabs, the poll's cadence and its end,
a lost connection, a failure with Retry, and the last docs kept on screen meanwhile."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import statistics
from pathlib import Path

from playwright.async_api import Page, Route, expect

from tests.browser.support import (
    POLL_SECONDS,
    Context,
    Service,
    detail_page,
    detail_url,
    new_page,
    screenshot,
)
from tests.support.gitrepo import SAMPLE_FILES, make_repo

IN_PROGRESS = "Documentation generation is already in progress"


async def open_detail(context: Context, service: Service, repository_id: str) -> Page:
    page = await detail_page(context, service, repository_id)
    await expect(page.locator("#generate")).to_be_enabled()
    return page


async def test_two_tabs_pressing_generate_at_once_start_one_run(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    gate = service.step_gate()
    first = await open_detail(context, service, repository_id)
    second = await new_page(context)
    await second.goto(detail_url(service, repository_id))
    await expect(second.locator("#generate")).to_be_enabled()

    await asyncio.gather(first.locator("#generate").click(), second.locator("#generate").click())
    await service.wait_for(lambda: service.count("POST", "/api/generate-docs") == 2)
    assert service.count("POST", "/api/generate-docs", 202) == 1
    assert service.count("POST", "/api/generate-docs", 409) == 1

    # The tab that lost explains (once it has shown its 409), the other does not, and
    # both follow the one run.  Which tab lost is the race's: wait for either.
    held = await gate.next()
    explaining = {
        asyncio.ensure_future(expect(p.locator(".notices")).to_contain_text(IN_PROGRESS)): p
        for p in (first, second)
    }
    done, pending = await asyncio.wait(explaining, return_when=asyncio.FIRST_COMPLETED)
    for waiting in pending:
        waiting.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    shown = done.pop()
    shown.result()  # the first to finish must be a tab that explains
    loser = explaining[shown]
    winner = second if loser is first else first
    assert IN_PROGRESS not in await winner.locator(".notices").inner_text()
    for page in (first, second):
        await expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "20")
        await expect(page.locator("#generate")).to_be_disabled()
    await screenshot(loser, "two-tabs-second-explains.png")

    held[2].set()
    gate.open()
    for page in (first, second):
        await expect(page.locator(".badge-completed")).to_be_visible()
        await expect(page.get_by_role("article", name="Documentation")).to_contain_text("Overview")
    assert gate.steps.count((20, "Fetching repository metadata")) == 1
    await context[1].assert_clean(allow_console=("409 (Conflict)",))


async def test_the_page_polls_at_its_interval_and_stops_at_the_end(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    gate = service.step_gate()
    page = await open_detail(context, service, repository_id)
    await page.locator("#generate").click()
    await gate.next()  # the run is held at 20 % while the page polls

    await service.wait_for(lambda: len(service.status_polls(repository_id)) >= 8)
    polls = service.status_polls(repository_id)
    gaps = [b.at - a.at for a, b in itertools.pairwise(polls)]
    # Never faster than the interval (timers may fire a little early or late)...
    assert min(gaps) >= POLL_SECONDS * 0.8, gaps
    # ...and at its cadence, allowing for a busy machine.
    assert statistics.median(gaps) <= POLL_SECONDS * 2, gaps

    gate.open()
    await expect(page.locator(".badge-completed")).to_be_visible()
    after_end = len(service.status_polls(repository_id))
    # Give a still-running poll five intervals to show itself: none may come.
    await page.wait_for_timeout(POLL_SECONDS * 5 * 1000)
    assert len(service.status_polls(repository_id)) == after_end
    assert service.status_polls(repository_id)[-1].status == 200
    await context[1].assert_clean()


async def test_a_lost_connection_shows_a_notice_and_polling_goes_on(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    gate = service.step_gate()
    page = await open_detail(context, service, repository_id)
    await page.locator("#generate").click()
    await gate.next()

    failed: list[str] = []
    three_failed = asyncio.Event()

    async def cut(route: Route) -> None:
        failed.append(route.request.url)
        if len(failed) >= 3:
            three_failed.set()
        await route.abort("internetdisconnected")

    await page.route("**/docs/status", cut)
    notice = page.locator(".notice-warning")
    await expect(notice).to_have_text("Connection to the server lost; still checking.")
    await expect(page.locator("#generate")).to_be_disabled()
    await screenshot(page, "network-lost.png")
    async with asyncio.timeout(10):  # the page keeps asking while the connection is down
        await three_failed.wait()

    await page.unroute("**/docs/status")
    gate.open()
    await expect(page.locator(".badge-completed")).to_be_visible()
    await expect(notice).to_be_hidden()
    await expect(page.get_by_role("article", name="Documentation")).to_contain_text("Overview")
    await context[1].assert_clean(allow_console=("ERR_INTERNET_DISCONNECTED",))


async def test_a_failure_shows_its_message_and_retry_starts_a_new_run(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    page = await open_detail(context, service, repository_id)
    await page.locator("#generate").click()
    article = page.get_by_role("article", name="Documentation")
    await expect(page.locator(".badge-completed")).to_be_visible()
    await expect(article).to_contain_text("Sample is a tiny library that greets people.")
    first_commit = await page.locator(".repo-meta code").inner_text()

    # The folder disappears: the next run fails for real.
    shutil.rmtree(sample_repo)
    await page.locator("#generate").click()
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text(f"Local repository folder not found: {sample_repo}")
    retry = page.get_by_role("button", name="Retry")
    await expect(retry).to_be_enabled()
    await expect(page.locator(".badge-failed")).to_have_text("Failed")
    banner = page.locator(".banner")
    await expect(banner).to_contain_text("The latest generation failed")
    await expect(article).to_contain_text("Sample is a tiny library that greets people.")
    await screenshot(page, "failed-with-last-docs.png")

    # Fixed, and retried: a new run starts; the old docs stay up while it runs.
    make_repo(sample_repo, {**SAMPLE_FILES, "README.md": "# Sample\n\nSample now waves.\n"})
    gate = service.step_gate()
    await retry.click()
    await gate.next()
    await expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "20")
    await expect(banner).to_contain_text("A new version is being generated")
    await expect(article).to_contain_text("Sample is a tiny library that greets people.")
    await expect(alert).to_be_hidden()
    await screenshot(page, "regenerating-with-last-docs.png")
    gate.open()

    await expect(article).to_contain_text("Sample now waves.")
    await expect(page.locator(".badge-completed")).to_be_visible()
    await expect(banner).to_be_hidden()
    assert await page.locator(".repo-meta code").inner_text() != first_commit
    assert service.count("POST", "/api/generate-docs", 202) == 3
    await context[1].assert_clean()
