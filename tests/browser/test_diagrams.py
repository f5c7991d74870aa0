"""Mermaid diagrams in the docs are drawn by the vendored library, or shown as source.

The first test generates the docs of the test repositories for real and
requires every ```mermaid block in them (the Architecture section's module
graph) to be drawn without a Mermaid error, on the page that holds it.
The others store docs rendered by ``render_html`` from Markdown with diagrams
of the Architecture section's shape, so the drawing path is exercised whatever
sections the generator has.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from docsgen.api.keys import POOL
from docsgen.db import jobs
from docsgen.generator.model import build_model
from docsgen.generator.sections import architecture, how_it_works
from docsgen.render import render_html
from tests.browser.support import (
    Context,
    Service,
    detail_page,
    detail_url,
    screenshot,
    signed_in_page,
)
from tests.support import projects
from tests.support.generation import snapshot_of
from tests.support.gitrepo import make_repo

needs_mermaid = pytest.mark.needs("diagrams")

PACKAGE_FILES: dict[str, str | bytes] = {
    "README.md": "# Shop\n\nShop sells things through a small web API.\n",
    "pyproject.toml": '[project]\nname = "shop"\nversion = "0.1"\n',
    "shop/__init__.py": '"""The shop."""\n',
    "shop/api.py": '"""HTTP routes."""\n\nfrom shop import db, orders\n\n\ndef serve() -> None:\n'
    '    """Serve the API."""\n    db.connect()\n    orders.list_orders()\n',
    "shop/orders.py": '"""Orders."""\n\nfrom shop.db import connect\n\n\n'
    'def list_orders() -> list:\n    """All orders."""\n    return connect().fetch()\n',
    "shop/db.py": '"""The database."""\n\n\ndef connect():\n    """Open a connection."""\n',
    "shop/cli.py": '"""Command line."""\n\nfrom shop.api import serve\n\n\ndef main() -> None:\n'
    "    serve()\n",
}

ARCHITECTURE = """# shop

## Architecture

How the modules depend on each other (an arrow points at what a module imports):

```mermaid
flowchart LR
  shop_cli["shop.cli"] --> shop_api["shop.api"]
  shop_api --> shop_db["shop.db"]
  shop_api --> shop_orders["shop.orders"]
  shop_orders --> shop_db
```

Entry point: `shop/cli.py:7`.

```mermaid
graph TD
  subgraph shop
    a["api (3 modules)"] --> b["db"]
  end
```
"""

BROKEN = """# broken

## Architecture

```mermaid
flowchart LR
  a --> --> ]]
```
"""


async def store_docs(service: Service, repository_id: str, markdown: str) -> None:
    """Docs of a completed run, rendered by the server's own renderer."""
    await service.store_docs(
        repository_id,
        commit_sha="a" * 40,
        content=markdown,
        section="Architecture",
        html=render_html(markdown),
    )


MERMAID_BLOCK = r"^`{3,}mermaid\s*$"


async def slugs_of(page: Page, repository_id: str) -> list[str]:
    """The slugs of the documentation's pages, in reading order."""
    slugs: list[str] = await page.evaluate(
        "(id) => fetch(`/api/repositories/${id}/docs`).then((r) => r.json())"
        ".then((d) => d.pages.map((p) => p.slug))",
        repository_id,
    )
    return slugs


async def drawn_diagrams(page: Page, expected: int) -> None:
    """Exactly ``expected`` diagrams, each drawn as an SVG, none with an error."""
    figures = page.locator("article.docs figure.diagram")
    await expect(figures).to_have_count(expected)
    for i in range(expected):
        figure = figures.nth(i)
        await expect(figure).to_have_attribute("data-diagram", "drawn", timeout=20_000)
        await expect(figure.locator(".diagram-svg svg")).to_have_count(1)
    await expect(page.locator(".diagram-error")).to_have_count(0)


@needs_mermaid
async def test_every_diagram_in_generated_docs_is_drawn(
    service: Service, context: Context, sample_repo: Path, repos_root: Path
) -> None:
    shop = repos_root / "shop"
    make_repo(shop, PACKAGE_FILES)
    page = await signed_in_page(context, service)
    total = 0
    for path in (sample_repo, shop):
        repository_id = await service.register_local(path)
        await page.goto(detail_url(service, repository_id))
        await page.locator("#generate").click()
        await expect(page.locator(".badge-completed")).to_be_visible()
        stored = await jobs.read_docs(service.app[POOL], uuid.UUID(repository_id))
        assert stored is not None
        blocks = len(re.findall(MERMAID_BLOCK, stored.content, flags=re.MULTILINE))
        # Each page with diagrams, opened at its address, draws its own.
        on_pages = 0
        for slug in await slugs_of(page, repository_id):
            markdown = await page.evaluate(
                "(url) => fetch(url).then((r) => r.json()).then((p) => p.markdown)",
                f"/api/repositories/{repository_id}/docs/pages/{slug}",
            )
            here = len(re.findall(MERMAID_BLOCK, markdown, flags=re.MULTILINE))
            if here:
                await page.goto(f"{detail_url(service, repository_id)}/docs/{slug}")
                await drawn_diagrams(page, here)
                await screenshot(page, f"diagrams-generated-{path.name}-{slug}.png")
            on_pages += here
        assert on_pages == blocks  # every diagram of docs.md is on a page
        total += blocks
    assert total >= 1  # the Architecture section draws the shop's module graph
    await context[1].assert_clean()


@needs_mermaid
async def test_diagrams_are_drawn_from_rendered_markdown(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    await store_docs(service, repository_id, ARCHITECTURE)
    page = await detail_page(context, service, repository_id)
    await drawn_diagrams(page, 2)
    first = page.locator("figure.diagram").first
    for label in ("shop.cli", "shop.api", "shop.db", "shop.orders"):
        await expect(first.locator(".diagram-svg")).to_contain_text(label)
    # The source stays one click away.
    await first.get_by_text("Diagram source").click()
    await expect(first.locator("pre code")).to_contain_text('shop_cli["shop.cli"]')
    await screenshot(page, "diagrams-drawn.png")
    await context[1].assert_clean()


@needs_mermaid
async def test_a_diagram_mermaid_rejects_shows_its_source_and_the_reason(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    await store_docs(service, repository_id, BROKEN)
    page = await detail_page(context, service, repository_id)
    figure = page.locator("figure.diagram")
    await expect(figure).to_have_attribute("data-diagram", "error", timeout=20_000)
    await expect(figure.locator(".diagram-error")).to_contain_text(
        "This diagram could not be drawn"
    )
    await expect(figure.locator("pre code")).to_contain_text("a --> --> ]]")
    # Mermaid's own error drawing is not left behind in the page.
    await expect(page.locator("body > svg, body > div[id^='ddocsgen-diagram']")).to_have_count(0)
    await context[1].assert_clean()


async def test_without_the_library_diagrams_are_shown_as_source(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    await store_docs(service, repository_id, ARCHITECTURE)
    page = await signed_in_page(context, service)
    await page.route("**/assets/vendor/**", lambda route: route.abort())
    await page.goto(detail_url(service, repository_id))
    figures = page.locator("figure.diagram")
    await expect(figures).to_have_count(2)
    for i in range(2):
        await expect(figures.nth(i)).to_have_attribute("data-diagram", "source")
        await expect(figures.nth(i).locator("figcaption")).to_have_text(
            "Diagram source: the diagram library is not available on this server."
        )
    await expect(figures.first.locator("pre code")).to_contain_text("flowchart LR")
    await expect(page.get_by_role("article", name="Documentation")).to_contain_text("Entry point:")
    await screenshot(page, "diagrams-as-source.png")
    await context[1].assert_clean(allow_console=("Failed to load resource",))


@needs_mermaid
@pytest.mark.parametrize("project", ["flask", "httpx", "rich", "express", "serde_json", "go-cmp"])
async def test_every_diagram_of_real_projects_orientation_is_drawn(
    service: Service, context: Context, sample_repo: Path, project: str
) -> None:
    """The Architecture's and How it works' diagrams of real projects, as generated."""
    model = build_model(snapshot_of(projects.checkout(project), project))
    parts = [f"# {project}"]
    for section in (architecture, how_it_works):
        if section.SECTION.applies(model):
            parts.append(f"## {section.TITLE}\n\n{section.build(model).markdown}")
    markdown = "\n\n".join(parts)
    blocks = len(re.findall(r"^`{3,}mermaid\s*$", markdown, flags=re.MULTILINE))
    assert blocks >= 1
    repository_id = await service.register_local(sample_repo)
    await store_docs(service, repository_id, markdown)
    page = await detail_page(context, service, repository_id)
    await drawn_diagrams(page, blocks)
    await screenshot(page, f"diagrams-orientation-{project}.png")
    await context[1].assert_clean()
