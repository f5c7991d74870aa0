"""Repository content is untrusted: nothing from a repository runs script in the page.

Three walls, each tested: the server renders Markdown without raw HTML and
cleans it with an allowlist; the page cleans it again before adopting it;
the CSP forbids inline script and reports what it blocks.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.browser.support import (
    Context,
    Service,
    detail_page,
    detail_url,
    screenshot,
    signed_in_page,
)
from tests.support.gitrepo import make_repo

PAYLOADS = (
    "<script>alert('script')</script> <img src=x onerror=\"alert('img')\"> "
    "<a href=\"javascript:alert('a')\">raw link</a> [md link](javascript:alert('md')) "
    "<svg onload=\"alert('svg')\"></svg> <iframe src=\"javascript:alert('frame')\"></iframe> "
    "<style>body{display:none}</style> <b onmouseover=\"alert('b')\">bold</b>"
)

HOSTILE_FILES: dict[str, str | bytes] = {
    "README.md": (
        f"# Evil <script>alert('title')</script>\n\nHostile project {PAYLOADS}\n\n"
        "<div onclick=\"alert('div')\">raw html block</div>\n"
    ),
    "pyproject.toml": '[project]\nname = "<script>alert(\'name\')</script>"\nversion = "1"\n',
    "evil/__init__.py": f'"""{PAYLOADS}"""\n\n\ndef run() -> None:\n    """{PAYLOADS}"""\n',
    "evil/<img src=x onerror=alert('file')>.py": "X = 1\n",
    "javascript:alert('dir')/index.js": "export const x = 1;\n",
}

# What a sanitizer that failed would let through: the page must still run none of it.
HOSTILE_HTML = """
<h2 id="overview">Overview</h2>
<p>Before <script>alert('inline')</script> after</p>
<p><img src="x" onerror="alert('img')"> <a href="javascript:alert('link')">link</a>
<a href="#overview" onclick="alert('click')">anchor</a>
<a href="  JaVaScRiPt:alert('spaced')">spaced</a></p>
<svg><script>alert('svg')</script><a xlink:href="javascript:alert('xlink')"><text>t</text></a></svg>
<iframe srcdoc="<script>parent.alert('srcdoc')</script>"></iframe>
<form action="javascript:alert('form')"><button>go</button></form>
<meta http-equiv="refresh" content="0;url=javascript:alert('meta')">
<details open ontoggle="alert('toggle')"><summary>s</summary></details>
<object data="javascript:alert('object')"></object>
<table><tr><td style="background:url(javascript:alert('css'))">cell</td></tr></table>
<pre><code class="language-mermaid">graph TD
  A[Start] --> B[End]
  click A call alert('mermaid-call')
  click B "javascript:alert('mermaid-href')"
</code></pre>
<p onmouseover="alert('hover')">hover me</p>
"""


async def article_is_inert(page: Page) -> None:
    """Nothing active is left in the rendered docs."""
    found = await page.evaluate(
        """() => {
          const article = document.querySelector("article.docs");
          const bad = [];
          for (const el of article.querySelectorAll("*")) {
            const tag = el.localName;
            if (["script", "iframe", "object", "embed", "form", "meta", "style", "img"]
                .includes(tag) && !el.closest(".diagram-svg")) bad.push(tag);
            for (const attr of el.attributes) {
              if (attr.name.startsWith("on")) bad.push(`${tag}[${attr.name}]`);
              if (/^\\s*javascript:/i.test(attr.value)) bad.push(`${tag}[${attr.name}=js]`);
            }
          }
          return bad;
        }"""
    )
    assert found == []


def still_on(url: str) -> re.Pattern[str]:
    """The page's own address, or one of its documentation's pages, at most with a
    section's or a symbol's fragment (a symbol's anchor is its qualified name, whatever
    the repository named it: ``#serde_json::from_str``, ``#javascript:alert('x').y`` — a
    fragment of this page, never a URL of its own)."""
    return re.compile(re.escape(url) + r"(/docs/[\w.-]+)?(#[^#\s]*)?$")


async def hover_and_click_everything(page: Page) -> None:
    """Give every event handler that might have survived its chance to fire.

    Links to the documentation's own pages (``data-link``) are not followed: the
    page wrote their addresses itself, and each must be one of its pages.
    """
    repository = page.url.split("/repositories/")[1][:36]
    for href in await page.locator("article.docs a[data-link]").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))"
    ):
        assert re.fullmatch(rf"/repositories/{repository}/docs/[\w.-]+(#[\w.%-]*)?", href), href
    # Clicking a cell or paragraph that holds such a link would follow it (and leave the page).
    targets = (
        "article.docs :is(:is(p, b, td):not(:has(a[data-link])), "
        "a:not([target]):not([data-link]), svg .node, svg a)"
    )
    for target in await page.locator(targets).all():
        if await target.is_visible():
            await target.hover(force=True)
            await target.click(force=True)


async def test_a_hostile_repository_renders_without_running_script(
    service: Service, context: Context, repos_root: Path
) -> None:
    path = repos_root / "evil"
    make_repo(path, HOSTILE_FILES)
    repository_id = await service.register_local(path)
    page = await detail_page(context, service, repository_id)
    await page.locator("#generate").click()
    article = page.get_by_role("article", name="Documentation")
    await expect(page.locator(".badge-completed")).to_be_visible()
    # The README's words arrive as text, tags and all; so do the files' names, on their page.
    await expect(article).to_contain_text("Hostile project <script>alert('script')</script>")
    await screenshot(page, "hostile-repository.png")
    await article_is_inert(page)
    await hover_and_click_everything(page)
    await expect(page).to_have_url(still_on(detail_url(service, repository_id)))
    await page.goto(detail_url(service, repository_id) + "/docs/project-structure")
    await expect(article).to_contain_text("<img src=x onerror=alert('file')>.py")
    await article_is_inert(page)
    await hover_and_click_everything(page)
    await expect(page).to_have_url(still_on(detail_url(service, repository_id)))
    await context[1].assert_clean()


async def test_html_that_slipped_past_the_server_still_runs_nothing(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    await service.store_docs(
        repository_id,
        commit_sha="0" * 40,
        content="# hostile\n",
        section="Overview",
        html=HOSTILE_HTML,
    )
    page = await detail_page(context, service, repository_id)
    article = page.get_by_role("article", name="Documentation")
    await expect(article).to_contain_text("Before after")
    await expect(article).to_contain_text("hover me")
    await expect(page.locator("figure.diagram")).not_to_have_attribute("data-diagram", "pending")
    await article_is_inert(page)
    await hover_and_click_everything(page)
    await screenshot(page, "hostile-html.png")
    await expect(page).to_have_url(still_on(detail_url(service, repository_id)))
    # Parsing markup with on* attributes, even into an inert document, makes
    # Chromium check them against the CSP: it refuses them (and reports it)
    # before the page's own cleaning removes them.  Nothing may run either way.
    await context[1].assert_clean(
        allow_console=("Executing inline event handler violates",),
        blocked_by_csp=("script-src-attr",),
    )


async def test_the_csp_blocks_inline_script_and_reports_it(
    service: Service, context: Context, caplog: pytest.LogCaptureFixture
) -> None:
    page = await signed_in_page(context, service)
    with caplog.at_level(logging.WARNING, logger="docsgen.api.routes.pages"):
        await page.evaluate(
            """() => {
              const s = document.createElement("script");
              s.textContent = "window.__ran = true";
              document.body.append(s);
              const d = document.createElement("div");
              d.setAttribute("onclick", "window.__ran = true");
              document.body.append(d);
              d.click();
            }"""
        )
        await service.wait_for(lambda: service.count("POST", "/api/csp-report", 204) >= 2)
    assert await page.evaluate("window.__ran") is None
    violations = await page.evaluate("window.__csp")
    assert {v["directive"] for v in violations} == {"script-src-elem", "script-src-attr"}
    logged = [r.getMessage() for r in caplog.records if "Content-Security-Policy" in r.getMessage()]
    assert any("script-src-elem blocked inline" in m for m in logged), logged
