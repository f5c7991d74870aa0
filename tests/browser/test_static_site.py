"""The static site (``docsgen generate --format html``) opened from ``file://`` in Chromium.

flask's site, as a reader uses it: the sidebar tree and prev/next lead from page
to page, the search box answers the keyboard and lands on a symbol's anchor.
Every request the pages make stays inside the site's folder, and nothing goes
wrong in the console.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Page, Request, expect

from tests.browser.support import Context, new_page, screenshot
from tests.support import projects
from tests.support.processes import docsgen


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("static") / "flask site"  # a space: addresses are escaped
    result = docsgen(
        "generate", str(projects.checkout("flask")), "--format", "html", "--out", str(out),
        env={"DOCSGEN_ANALYSIS_WORKERS": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    yield out


async def open_site(context: Context, site: Path, requests: list[str]) -> Page:
    page = await new_page(context)

    def record(request: Request) -> None:
        requests.append(request.url)

    page.on("request", record)
    await page.goto((site / "index.html").as_uri())
    return page


def outside(site: Path, requests: list[str]) -> list[str]:
    folder = site.as_uri() + "/"
    return [url for url in requests if not url.startswith(folder)]


async def test_the_sidebar_and_prev_next_lead_from_page_to_page(
    context: Context, site: Path
) -> None:
    requests: list[str] = []
    page = await open_site(context, site, requests)
    await expect(page.locator("article.docs h1")).to_have_text("Overview")
    sidebar = page.get_by_role("navigation", name="Pages")
    await expect(sidebar.locator('[aria-current="page"]')).to_have_text("Overview")

    await sidebar.get_by_role("link", name="API Reference", exact=True).click()
    await expect(page).to_have_url((site / "api-reference.html").as_uri())
    module = sidebar.get_by_role("link", name="flask.app", exact=True)
    await expect(module).to_be_visible()  # the current page's branch is open
    await module.click()
    await expect(page).to_have_url((site / "api-flask.app.html").as_uri())
    await expect(page.locator("article.docs h1")).to_have_text("flask.app")
    await expect(sidebar.locator('[aria-current="page"]')).to_have_text("flask.app")
    await expect(page.get_by_role("navigation", name="Breadcrumbs")).to_contain_text(
        "API Reference"
    )

    pager = page.get_by_role("navigation", name="Previous and next page")
    following = await pager.locator('a[rel="next"]').get_attribute("href")
    await pager.locator('a[rel="next"]').click()
    await expect(page).to_have_url((site / str(following)).as_uri())
    await pager.locator('a[rel="prev"]').click()
    await expect(page).to_have_url((site / "api-flask.app.html").as_uri())
    await screenshot(page, "static-site-module.png")

    _, watch = context
    await watch.assert_clean()
    assert outside(site, requests) == []


async def test_search_with_the_keyboard_lands_on_the_symbols_anchor(
    context: Context, site: Path
) -> None:
    requests: list[str] = []
    page = await open_site(context, site, requests)
    box = page.get_by_role("combobox", name="Search")
    await page.locator("body").press("/")
    await expect(box).to_be_focused()

    await page.keyboard.type("flask.Flask")
    results = page.get_by_role("option")
    await expect(results.first).to_contain_text("flask.Flask")
    await expect(results.first).to_have_attribute("aria-selected", "true")
    assert await results.first.locator(".result-name").text_content() == "flask.Flask"
    await page.keyboard.press("ArrowDown")
    await expect(results.nth(1)).to_have_attribute("aria-selected", "true")
    await expect(results.first).to_have_attribute("aria-selected", "false")
    await page.keyboard.press("ArrowUp")
    await screenshot(page, "static-site-search.png")
    await page.keyboard.press("Enter")

    await expect(page).to_have_url((site / "api-flask.html").as_uri() + "#flask.Flask")
    target = page.locator('[id="flask.Flask"]')
    await expect(target).to_be_in_viewport()
    assert await target.evaluate("el => el.matches(':target')")

    # a partial name finds a symbol of another page
    await page.locator("body").press("/")
    await page.keyboard.type("routes_comm")
    await expect(results.first).to_contain_text("flask.cli.routes_command")
    file, _, fragment = str(await results.first.get_attribute("href")).partition("#")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{(site / file).as_uri()}#{fragment}")
    await expect(page.locator('[id="flask.cli.routes_command"]')).to_be_in_viewport()

    await page.locator("body").press("/")
    await page.keyboard.type("no such thing at all")
    await expect(page.get_by_text("Nothing found for")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(page.get_by_role("listbox")).to_be_hidden()

    _, watch = context
    await watch.assert_clean()
    assert outside(site, requests) == []
    assert any(url.endswith("/assets/search-index.js") for url in requests)


@pytest.mark.needs("diagrams")
async def test_diagrams_are_drawn_from_file_and_only_their_pages_load_the_library(
    context: Context, site: Path
) -> None:
    # The service's page loads the library as a module, which a browser refuses over
    # file://: the site carries its classic build, loaded by the pages with a diagram.
    assert (site / "assets" / "mermaid.min.js").is_file()
    assert "mermaid.min.js" in (site / "how-it-works.html").read_text()
    assert "mermaid.min.js" not in (site / "api-flask.html").read_text()
    requests: list[str] = []
    page = await new_page(context)
    page.on("request", lambda request: requests.append(request.url))
    await page.goto((site / "how-it-works.html").as_uri())
    figures = page.locator("article.docs figure.diagram")
    await expect(figures.first).to_have_attribute("data-diagram", "drawn")
    count = await figures.count()
    assert count == len((site / "how-it-works.md").read_text().split("```mermaid\n")) - 1
    for n in range(count):
        await expect(figures.nth(n)).to_have_attribute("data-diagram", "drawn")
        await expect(figures.nth(n).locator(".diagram-svg svg")).to_be_visible()
    # The source stays below each drawing, folded.
    source = figures.first.locator("details.diagram-source")
    await expect(source.locator("summary")).to_have_text("Diagram source")
    assert "flowchart" in str(await source.locator("code").text_content())
    await screenshot(page, "static-site-diagram.png")

    _, watch = context
    await watch.assert_clean()
    assert outside(site, requests) == []
