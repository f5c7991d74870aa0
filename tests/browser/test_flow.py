"""The whole flow in Chromium: sign in with the printed link, add a repository,
generate while watching every step of the contract's schedule, read the docs.

A screenshot of each state is saved under ``test-artifacts/``.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from aiohttp import web
from playwright.async_api import Page, Route, expect

from docsgen.api.routes.sessions import print_signin_link
from tests.browser.support import Context, new_page, screenshot, start_service

CONTRACT_START = [
    (20, "Fetching repository metadata"),
    (30, "Fetching GitHub authentication"),
    (40, "Fetching repository file tree"),
    (50, "Analyzing code structure"),
]


async def press_by_keyboard(page: Page, name: str) -> None:
    """Reach a button with Tab alone and press it with Enter, as a keyboard user would."""
    await page.locator("body").focus()
    for _ in range(30):
        await page.keyboard.press("Tab")
        focused = await page.evaluate("document.activeElement.textContent.trim()")
        if focused == name:
            await page.keyboard.press("Enter")
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")


async def test_sign_in_add_generate_and_read_the_docs(
    app: web.Application, aiohttp_server: Any, context: Context, sample_repo: Path
) -> None:
    printed: list[str] = []
    print_signin_link(app, out=printed.append)
    service = await start_service(app, aiohttp_server)
    assert len(printed) == 1
    match = re.fullmatch(r"Sign in: http://127\.0\.0\.1:\d+(/signin\?token=\S+)", printed[0])
    assert match, printed
    page = await new_page(context)

    # Sign in with the printed link (the test server's port replaces the configured one).
    await page.goto(service.base + match.group(1))
    await expect(page.get_by_role("heading", name="Repositories", exact=True)).to_be_visible()
    await expect(page.locator("#account-login")).to_have_text("admin")
    await expect(page.get_by_text("No repositories yet")).to_be_visible()
    await screenshot(page, "flow-01-repositories-empty.png")

    # Add the local repository through the form.
    await page.get_by_role("radio", name="Local folder").check()
    await page.get_by_label("Folder of a git checkout").fill(str(sample_repo))
    await page.get_by_role("button", name="Add repository").click()
    await expect(page.get_by_role("heading", name="sample", exact=True)).to_be_visible()
    await expect(page.locator(".repo-where")).to_have_text(str(sample_repo))
    generate = page.locator("#generate")
    await expect(generate).to_have_text("Generate Documentation")
    await expect(generate).to_be_enabled()
    await expect(page.get_by_text("No documentation yet")).to_be_visible()
    await screenshot(page, "flow-02-not-started.png")

    gate = service.step_gate()
    bar = page.get_by_role("progressbar")
    step_line = page.locator(".progress-step")

    # Hold the page's first status poll so the 0 % state can be seen before the run moves.
    first_poll = asyncio.Event()

    async def hold_poll(route: Route) -> None:
        await first_poll.wait()
        await route.continue_()

    await page.route("**/docs/status", hold_poll)
    await press_by_keyboard(page, "Generate Documentation")
    await expect(bar).to_have_attribute("aria-valuenow", "0")
    await expect(step_line).to_have_text("Initializing...")
    await expect(page.locator(".progress-percent")).to_have_text("0%")
    await expect(generate).to_be_disabled()
    await screenshot(page, "flow-03-progress-000.png")
    # Later polls pass the open gate at once.  The route stays: taking it away while the
    # held poll is being let through would hand that request over twice.
    first_poll.set()

    seen: list[tuple[int, str]] = []
    while True:
        progress, step, go = await gate.next()
        await expect(bar).to_have_attribute("aria-valuenow", str(progress))
        await expect(step_line).to_have_text(step)
        await expect(page.locator(".progress-percent")).to_have_text(f"{progress}%")
        await expect(generate).to_be_disabled()
        await expect(page.locator(".badge-generating")).to_have_text(f"Generating {progress}%")
        seen.append((progress, step))
        await screenshot(page, f"flow-04-progress-{progress:03d}.png")
        go.set()
        if step == "Saving documentation":
            break

    assert seen[:4] == CONTRACT_START
    assert seen[-1] == (90, "Saving documentation")
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
    sections = seen[4:-1]
    assert sections and all(s.startswith("Generating documentation: ") for _, s in sections)
    assert sections[-1][0] == 80

    # Completed: the bar reaches 100, the docs appear, the button is usable again.
    await expect(bar).to_have_attribute("aria-valuenow", "100")
    await expect(step_line).to_have_text("Completed")
    await expect(page.locator(".badge-completed")).to_have_text("Completed")
    await expect(generate).to_be_enabled()
    await expect(generate).to_have_text("Regenerate Documentation")
    article = page.get_by_role("article", name="Documentation")
    await expect(article.get_by_role("heading", name="Overview")).to_be_visible()
    await expect(article).to_contain_text("Sample is a tiny library that greets people.")
    # The tree of pages: a page per section, the API Reference's (its modules under it) last.
    toc = page.get_by_role("navigation", name="Pages")
    titles = [s.removeprefix("Generating documentation: ").removesuffix("...") for _, s in sections]
    in_order = [t for t in titles if t != "API Reference"] + ["API Reference"]
    await expect(toc.get_by_role("link")).to_have_text(in_order)
    await expect(page.locator(".repo-meta")).to_contain_text("Documentation of commit")
    await expect(page.locator(".banner")).to_be_hidden()
    await screenshot(page, "flow-05-completed.png")

    # A section's link opens its page.
    await toc.get_by_role("link", name="Project Structure").click()
    await expect(page).to_have_url(re.compile(r"/docs/project-structure$"))
    await expect(article.get_by_role("heading", name="Project Structure", level=1)).to_be_visible()

    # The Markdown download.
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Download Markdown").click()
    download = await download_info.value
    assert download.suggested_filename == "sample-docs.md"
    markdown = await asyncio.to_thread(Path(await download.path()).read_text, encoding="utf-8")
    assert markdown.startswith("# sample\n")

    # Phone width: nothing overflows sideways.
    await page.set_viewport_size({"width": 390, "height": 844})
    await screenshot(page, "flow-06-completed-phone.png")
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The list shows the status badge and when the docs were generated.
    await page.set_viewport_size({"width": 1280, "height": 860})
    await page.get_by_role("link", name="Repositories").first.click()
    card = page.locator(".repo-card")
    await expect(card.locator(".badge-completed")).to_have_text("Completed")
    await expect(card).to_contain_text("Docs generated")
    await screenshot(page, "flow-07-repositories.png")
    await page.set_viewport_size({"width": 390, "height": 844})
    await screenshot(page, "flow-07-repositories-phone.png")
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    await page.set_viewport_size({"width": 1280, "height": 860})

    # Signing out ends the session: the page asks to sign in, and the cookie no longer works.
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="Sign in to docsgen")).to_be_visible()
    await screenshot(page, "flow-08-signed-out.png")
    await context[1].assert_clean()
    answer = await page.evaluate("fetch('/api/repositories').then((r) => r.status)")
    assert answer == 401
