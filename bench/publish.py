"""The static site of a large project: how long it takes to write, how large it is, how it opens.

    python bench/publish.py [--project django] [--out DIR]

Generates the project's documentation once (``tests/support/projects.py``: the
pinned real projects, fetched on first use), then times each step of
``docsgen generate --format html`` after the generation: rendering the pages'
sanitized HTML, building the site's files, writing them.  It prints the site's
size, its largest page, its search index and table of contents, ``llms.txt`` and
``llms-full.txt``; then, in headless Chromium from ``file://``, the time until
``index.html`` has shown its content and until the first search results show
(the index is loaded on the first use of the search box).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docsgen.generator.pipeline import GeneratedDocs  # noqa: E402
from docsgen.oneshot import docs_title, generate_once  # noqa: E402
from docsgen.publish.folder import write_folder  # noqa: E402
from docsgen.publish.site import Site, site_files  # noqa: E402
from docsgen.render import page_html  # noqa: E402
from docsgen.settings import load_settings  # noqa: E402
from docsgen.sources.factory import Origin  # noqa: E402
from tests.support import projects  # noqa: E402
from tests.support.groups import chromium  # noqa: E402


async def _generated(repo: Path) -> tuple[Origin, GeneratedDocs]:
    origin = Origin("local", repo.name, repo)
    found: list[GeneratedDocs] = []

    async def quiet(progress: int, step: str) -> None:
        return None

    async def keep(docs: GeneratedDocs) -> None:
        found.append(docs)

    await generate_once(origin, load_settings(), quiet, keep)
    return origin, found[0]


def _size(path: Path) -> str:
    size = (
        path.stat().st_size
        if path.is_file()
        else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    )
    return f"{size / 1024 / 1024:.1f} MB" if size > 1024 * 1024 else f"{size / 1024:.0f} KB"


async def _browser(site: Path) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium(), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = await browser.new_page()
        started = time.perf_counter()
        await page.goto((site / "index.html").as_uri())
        await page.locator("#docsgen-sidebar a[aria-current]").wait_for()
        shown = time.perf_counter() - started
        nodes = await page.evaluate("document.getElementsByTagName('*').length")
        await page.locator("body").press("/")
        started = time.perf_counter()
        await page.keyboard.type("get")
        await page.locator(".search-result").first.wait_for()
        searched = time.perf_counter() - started
        await browser.close()
    print(f"index.html shown with its sidebar: {shown:.2f} s, {nodes} DOM nodes")
    print(f"first search results (index loaded on first use): {searched:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", default="django", choices=sorted(projects.PROJECTS))
    parser.add_argument("--out", type=Path, help="where to write the site (default: a temp folder)")
    args = parser.parse_args()
    repo = projects.checkout(args.project)
    started = time.perf_counter()
    origin, docs = asyncio.run(_generated(repo))
    print(f"{args.project}: generated in {time.perf_counter() - started:.1f} s, "
          f"{len(docs.pages)} pages")  # fmt: skip

    started = time.perf_counter()
    rendered = {page.slug: page_html(page) for page in docs.pages}
    print(f"pages' HTML rendered: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    files = site_files(Site(docs_title(origin), docs.commit_sha, docs.pages),
                       lambda page: rendered[page.slug])  # fmt: skip
    print(f"site's files built: {time.perf_counter() - started:.1f} s")
    scratch = Path(tempfile.mkdtemp(prefix="docsgen-site-"))
    out = args.out or scratch / "site"
    started = time.perf_counter()
    write_folder(out, files)
    print(f"written: {time.perf_counter() - started:.1f} s, {len(files)} files, {_size(out)}")
    largest = max(out.glob("*.html"), key=lambda p: p.stat().st_size)
    print(f"largest page: {largest.name}, {_size(largest)}")
    for name in ("assets/search-index.js", "assets/toc.js", "llms.txt", "llms-full.txt"):
        print(f"{name}: {_size(out / name)}")
    asyncio.run(_browser(out))
    shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
