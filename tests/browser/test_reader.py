"""The documentation as a reader in Chromium: the tree of pages, search from the keyboard,
permalinks to symbols, previous and next, links between pages without a reload.

The repository is the sample plus a module long enough that its last symbol is
far below the top of its page; its documentation is generated for real.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.browser.support import Context, Service, detail_page, detail_url, screenshot
from tests.support.gitrepo import SAMPLE_FILES, make_repo


def measures(numbers: range) -> str:
    return "".join(
        f'\n\ndef measure_{i:02d}(size: float) -> float:\n    """Measure number {i} of a shape, '
        f'in the units the shape was drawn in."""\n    return size * {i}\n'
        for i in numbers
    )


# zenith_of is far from both ends of its page: its heading can reach the top of the window.
SHAPES = (
    '"""Shapes to measure."""\n\n\nclass Circle:\n    """A circle of a given radius."""\n\n'
    "    def __init__(self, radius: float) -> None:\n        self.radius = radius\n\n"
    '    def area(self) -> float:\n        """The area of the circle."""\n'
    "        return 3.14159 * self.radius**2\n"
    f"{measures(range(25))}\n\ndef zenith_of(shape: Circle) -> float:\n"
    '    """The highest point of ``shape``, measured from its centre."""\n'
    f"    return shape.radius\n{measures(range(25, 50))}"
)
SHAPES_PAGE = "api-sample.shapes"
ZENITH = "sample.shapes.zenith_of"


@pytest.fixture
async def documented(service: Service, context: Context, repos_root: Path) -> tuple[str, Page]:
    """The repository registered and its documentation generated; the page showing it."""
    path = repos_root / "shapes"
    make_repo(path, {**SAMPLE_FILES, "sample/shapes.py": SHAPES})
    repository_id = await service.register_local(path)
    page = await detail_page(context, service, repository_id)
    await page.locator("#generate").click()
    await expect(page.locator(".badge-completed")).to_be_visible()
    await expect(article(page).get_by_role("heading", name="Overview", level=1)).to_be_visible()
    return repository_id, page


def article(page: Page) -> Any:
    return page.get_by_role("article", name="Documentation")


def tree(page: Page) -> Any:
    return page.get_by_role("navigation", name="Pages")


async def mark_document(page: Page) -> None:
    """Mark this document: a full reload would lose the mark."""
    await page.evaluate("window.__sameDocument = true")


async def same_document(page: Page) -> bool:
    return bool(await page.evaluate("window.__sameDocument === true"))


async def table_of_contents(page: Page, repository_id: str) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = await page.evaluate(
        "(id) => fetch(`/api/repositories/${id}/docs`).then((r) => r.json()).then((d) => d.pages)",
        repository_id,
    )
    return pages


async def near_the_top(page: Page, selector: str) -> None:
    """The element is scrolled to just under the sticky top bar, the window scrolled."""
    await expect(page.locator(selector)).to_be_in_viewport()
    top = await page.locator(selector).evaluate("(el) => el.getBoundingClientRect().top")
    assert 0 <= top <= 160, top
    assert await page.evaluate("window.scrollY") > 0


async def test_the_tree_leads_from_page_to_page(
    service: Service, context: Context, documented: tuple[str, Page]
) -> None:
    repository_id, page = documented
    await mark_document(page)
    pages = tree(page)
    await expect(pages.get_by_role("link", name="Overview")).to_have_attribute(
        "aria-current", "page"
    )
    # The API Reference's modules are under it, closed until asked for.
    await expect(pages.get_by_role("link", name="sample.shapes")).to_have_count(0)
    toggle = pages.get_by_role(
        "button", name=re.compile(r"^API Reference: (show|hide) its \d+ pages$")
    )
    await expect(toggle).to_have_attribute("aria-expanded", "false")
    await toggle.click()
    await expect(toggle).to_have_attribute("aria-expanded", "true")
    await pages.get_by_role("link", name="sample.shapes").click()

    await expect(page).to_have_url(detail_url(service, repository_id) + f"/docs/{SHAPES_PAGE}")
    await expect(
        article(page).get_by_role("heading", name="sample.shapes", level=1)
    ).to_be_visible()
    await expect(pages.get_by_role("link", name="sample.shapes")).to_have_attribute(
        "aria-current", "page"
    )
    await expect(pages.locator("[aria-current=page]")).to_have_count(1)
    await expect(page).to_have_title(re.compile(r"^sample\.shapes · shapes · docsgen$"))
    await expect(article(page).get_by_role("navigation", name="Page parents")).to_have_text(
        re.compile(r"^API Reference")
    )
    assert await same_document(page)
    await screenshot(page, "reader-tree.png")

    # Closing the branch hides the current page's link; opening it shows it again.
    await toggle.click()
    await expect(pages.get_by_role("link", name="sample.shapes")).to_be_hidden()
    await toggle.click()
    await expect(pages.get_by_role("link", name="sample.shapes")).to_be_visible()

    # A link between pages inside the content (the API Reference's list of modules).
    await pages.get_by_role("link", name="API Reference", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/docs/api-reference$"))
    modules = article(page).get_by_role("link", name="sample.greet", exact=True)
    await expect(modules).to_have_attribute(
        "href", f"/repositories/{repository_id}/docs/api-sample.greet"
    )
    await modules.click()
    await expect(page).to_have_url(re.compile(r"/docs/api-sample\.greet$"))
    await expect(article(page).get_by_role("heading", name="sample.greet", level=1)).to_be_visible()
    assert await same_document(page)

    # Back and forward walk the pages seen; reloading keeps the page and opens its branch.
    await page.go_back()
    await expect(page).to_have_url(re.compile(r"/docs/api-reference$"))
    await expect(
        article(page).get_by_role("heading", name="API Reference", level=1)
    ).to_be_visible()
    await page.go_back()
    await expect(page).to_have_url(re.compile(rf"/docs/{re.escape(SHAPES_PAGE)}$"))
    await expect(
        article(page).get_by_role("heading", name="sample.shapes", level=1)
    ).to_be_visible()
    await page.go_forward()
    await expect(
        article(page).get_by_role("heading", name="API Reference", level=1)
    ).to_be_visible()
    assert await same_document(page)
    await page.goto(detail_url(service, repository_id) + f"/docs/{SHAPES_PAGE}")
    await expect(pages.get_by_role("link", name="sample.shapes")).to_have_attribute(
        "aria-current", "page"
    )
    await expect(pages.get_by_role("link", name="sample.shapes")).to_be_visible()
    await context[1].assert_clean()


async def test_search_from_the_keyboard_lands_on_the_symbol(
    service: Service, context: Context, documented: tuple[str, Page]
) -> None:
    repository_id, page = documented
    await mark_document(page)
    await page.locator("body").click(position={"x": 5, "y": 300})
    await page.keyboard.press("/")
    search = page.get_by_role("combobox", name="Search the documentation")
    await expect(search).to_be_focused()
    await page.keyboard.type("zenith")
    options = page.get_by_role("option")
    await expect(options.first).to_contain_text(ZENITH)
    await expect(search).to_have_attribute("aria-expanded", "true")
    await screenshot(page, "reader-search.png")

    # The arrows move the choice (and wrap around), Enter follows it.
    count = await options.count()
    await page.keyboard.press("ArrowDown")
    if count > 1:
        await expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    await page.keyboard.press("ArrowUp")
    await expect(options.first).to_have_attribute("aria-selected", "true")
    await expect(search).to_have_attribute(
        "aria-activedescendant", await options.first.get_attribute("id") or ""
    )
    await page.keyboard.press("Enter")

    await expect(page).to_have_url(
        detail_url(service, repository_id) + f"/docs/{SHAPES_PAGE}#{ZENITH}"
    )
    await near_the_top(page, f'[id="{ZENITH}"]')
    await expect(page.locator(f'[id="{ZENITH}"]')).to_be_focused()
    await expect(options).to_have_count(0)
    assert await same_document(page)

    # A search that finds nothing says so; Escape closes the results.
    await page.keyboard.press("/")
    await page.keyboard.type("qqqxxyyzz")
    await expect(page.locator(".search-status")).to_have_text("Nothing found for “qqqxxyyzz”")
    await page.keyboard.press("Control+A")
    await page.keyboard.type("Circle")
    await expect(options.first).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(options.first).to_be_hidden()
    await expect(search).to_have_attribute("aria-expanded", "false")
    await context[1].assert_clean()


async def test_a_permalink_opens_the_page_at_its_symbol(
    service: Service, context: Context, documented: tuple[str, Page]
) -> None:
    repository_id, page = documented
    address = detail_url(service, repository_id) + f"/docs/{SHAPES_PAGE}#{ZENITH}"
    await page.goto(address)
    await expect(
        article(page).get_by_role("heading", name="sample.shapes", level=1)
    ).to_be_visible()
    await near_the_top(page, f'[id="{ZENITH}"]')
    await screenshot(page, "reader-permalink.png")

    # Each symbol's heading has a control that copies its permalink.
    browser_context, _ = context
    await browser_context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = article(page).get_by_role("link", name=re.compile(r"^Copy link to .*zenith_of"))
    await expect(copy).to_have_attribute(
        "href", f"/repositories/{repository_id}/docs/{SHAPES_PAGE}#{ZENITH}"
    )
    await copy.click()
    assert await page.evaluate("navigator.clipboard.readText()") == address
    await expect(page.get_by_role("status").filter(has_text="Link copied")).to_have_count(1)
    await expect(page).to_have_url(address)  # copying changes nothing else

    # An address of a page that does not exist says so, and leads to the first page.
    await page.goto(detail_url(service, repository_id) + "/docs/no-such-page")
    await expect(article(page).get_by_role("heading", name="Page not found")).to_be_visible()
    await article(page).get_by_role("link", name="Go to Overview").click()
    await expect(article(page).get_by_role("heading", name="Overview", level=1)).to_be_visible()
    # The page named by the address was asked for ahead of the table of contents: a 404.
    await context[1].assert_clean(allow_console=("404 (Not Found)",))


async def test_previous_and_next_follow_the_reading_order(
    service: Service, context: Context, documented: tuple[str, Page]
) -> None:
    repository_id, page = documented
    await mark_document(page)
    order = await table_of_contents(page, repository_id)
    assert len(order) >= 5
    pager = article(page).get_by_role("navigation", name="Previous and next page")
    await expect(pager.get_by_role("link", name=re.compile("^Previous"))).to_have_count(0)
    for i, entry in enumerate(order[1:], start=1):
        await pager.get_by_role("link", name=re.compile("^Next")).click()
        await expect(page).to_have_url(re.compile(rf"/docs/{re.escape(entry['slug'])}$"))
        # Each page opens at its top (the link was at the bottom of the one before).
        await expect(article(page).get_by_role("heading", level=1)).to_have_text(entry["title"])
        await expect(article(page).get_by_role("heading", level=1)).to_be_in_viewport()
        await expect(pager.get_by_role("link", name=re.compile("^Previous"))).to_contain_text(
            order[i - 1]["title"]
        )
    await expect(pager.get_by_role("link", name=re.compile("^Next"))).to_have_count(0)
    await pager.get_by_role("link", name=re.compile("^Previous")).click()
    await expect(page).to_have_url(re.compile(rf"/docs/{re.escape(order[-2]['slug'])}$"))
    assert await same_document(page)
    await context[1].assert_clean()
