"""The static HTML site: the same pages as the service, as files any host can serve.

``index.html`` is the first page (the Overview) with the table of contents; each
page is ``{slug}.html`` and also ``{slug}.md`` (what ``llms.txt`` links to).  The
pages' HTML is the service's sanitized rendering, with links to other pages
pointing at their files.  The site's CSS and script are its own files in
``assets/``; the sidebar and the search index are scripts too (``toc.js``,
``search-index.js``), since a browser refuses ``fetch`` over ``file://``.  Every
page forbids, by its Content-Security-Policy, anything but the folder's own files.
The diagram library, when the caller has it, is one more file of the folder
(``assets/mermaid.min.js``, its classic build: a browser refuses modules over
``file://`` too), loaded only by the pages that hold a diagram.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from importlib import resources
from string import Template

from docsgen import __version__
from docsgen.generator.pages import Page
from docsgen.publish.links import check_slug, rewrite_html
from docsgen.publish.llms import links_of, llms_full_txt, llms_txt, summary
from docsgen.publish.markdown_dir import markdown_file, markdown_files
from docsgen.publish.search_index import search_script
from docsgen.publish.toc import Entry, tree, walk

INDEX = "index.html"  # the page template links to it by this name
ASSETS = ("docsgen.css", "docsgen.js")
DIAGRAM_LIBRARY = "assets/mermaid.min.js"
_DIAGRAM_FENCE = "```mermaid\n"  # how a page's Markdown opens a diagram
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # table cells' alignment; style runs no script
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)


def html_file(slug: str) -> str:
    return f"{check_slug(slug)}.html"


@dataclass(frozen=True)
class Site:
    """What every page of the site shows around its content."""

    title: str
    commit_sha: str
    pages: tuple[Page, ...]

    @property
    def slugs(self) -> set[str]:
        return {p.slug for p in self.pages}


def _pager(site: Site, index: int) -> str:
    links = []
    if index > 0:
        prev = site.pages[index - 1]
        links.append(
            f'<a rel="prev" href="{escape(html_file(prev.slug))}">'
            f'<span class="pager-label">Previous</span>{escape(prev.title)}</a>'
        )
    if index + 1 < len(site.pages):
        nxt = site.pages[index + 1]
        links.append(
            f'<a rel="next" href="{escape(html_file(nxt.slug))}">'
            f'<span class="pager-label">Next</span>{escape(nxt.title)}</a>'
        )
    return f'<nav class="pager" aria-label="Previous and next page">{"".join(links)}</nav>'


def _breadcrumbs(site: Site, page: Page) -> str:
    by_slug = {p.slug: p for p in site.pages}
    chain: list[Page] = []
    parent = page.parent
    while parent in by_slug and parent not in {p.slug for p in chain} and parent != page.slug:
        chain.insert(0, by_slug[parent])
        parent = by_slug[parent].parent
    if not chain:
        return ""
    links = " › ".join(
        f'<a href="{escape(html_file(p.slug))}">{escape(p.title)}</a>' for p in chain
    )
    return f'<nav class="breadcrumbs" aria-label="Breadcrumbs">{links} ›</nav>'


def contents_html(entries: Sequence[Entry]) -> str:
    """The table of contents as nested lists (index.html, and without script)."""
    if not entries:
        return ""
    items = "".join(
        f'<li><a href="{escape(html_file(e.page.slug))}">{escape(e.page.title)}</a>'
        f"{contents_html(e.children)}</li>"
        for e in entries
    )
    return f"<ul>{items}</ul>"


def page_document(
    site: Site, index: int, body_html: str, *, with_contents: bool, diagrams: bool = False
) -> str:
    """One HTML file of the site; ``body_html`` is the page's sanitized HTML.  With
    ``diagrams``, the page loads the diagram library (``DIAGRAM_LIBRARY``)."""
    page = site.pages[index]
    article = rewrite_html(body_html, site.slugs, html_file)
    if not article.lstrip().startswith("<h1"):
        article = f"<h1>{escape(page.title)}</h1>\n{article}"
    contents = ""
    if with_contents:
        contents = (
            '<section class="contents" aria-labelledby="docsgen-contents">'
            '<h2 id="docsgen-contents">Contents</h2>'
            f"{contents_html(tree(site.pages))}</section>"
        )
    title = escape(site.title)
    head_title = title if with_contents else f"{escape(page.title)} · {title}"
    commit = f" from commit <code>{escape(site.commit_sha[:12])}</code>" if site.commit_sha else ""
    return _template().substitute(
        csp=CONTENT_SECURITY_POLICY,
        version=escape(__version__),
        head_title=head_title,
        markdown=escape(f"{page.slug}.md"),
        slug=escape(page.slug),
        title=title,
        breadcrumbs=_breadcrumbs(site, page),
        article=article,
        contents=contents,
        pager=_pager(site, index),
        commit=commit,
        scripts=f'<script src="{DIAGRAM_LIBRARY}" defer></script>\n' if diagrams else "",
    )


@lru_cache(maxsize=1)
def _template() -> Template:
    return Template((resources.files("docsgen.publish") / "templates" / "page.html").read_text())


def toc_script(site: Site) -> str:
    """``assets/toc.js``: the tree the sidebar is built from, once for every page."""
    position = {p.slug: i for i, p in enumerate(site.pages)}
    rows = [
        [p.slug, p.title, position.get(p.parent, -1) if p.parent is not None else -1]
        for p in site.pages
    ]
    order = [position[e.page.slug] for e in walk(tree(site.pages))]
    data = json.dumps(
        {"title": site.title, "pages": rows, "order": order},
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return f"window.DOCSGEN_TOC = {data};\n"


def asset(name: str) -> bytes:
    return (resources.files("docsgen.publish") / "assets" / name).read_bytes()


def site_files(
    site: Site, html_of: Callable[[Page], str], diagram_library: bytes | None = None
) -> dict[str, str | bytes]:
    """File name → content of the whole site; ``html_of`` renders a page (sanitized).
    ``diagram_library`` is Mermaid's classic build: without it, diagrams show as their
    source."""
    if not site.pages:
        raise ValueError("a site needs at least one page")
    files: dict[str, str | bytes] = {}
    for i, page in enumerate(site.pages):
        body = html_of(page)
        drawn = diagram_library is not None and _DIAGRAM_FENCE in page.markdown
        if drawn:
            files[DIAGRAM_LIBRARY] = diagram_library or b""
        files[html_file(page.slug)] = page_document(
            site, i, body, with_contents=False, diagrams=drawn
        )
        if i == 0:
            files[INDEX] = page_document(site, i, body, with_contents=True, diagrams=drawn)
    markdown = markdown_files(site.title, site.pages)
    files.update(markdown)
    line = summary(site.title, site.pages[0])
    links = links_of(site.pages)
    files["llms.txt"] = llms_txt(site.title, line, links, markdown_file, "llms-full.txt")
    bodies = (markdown[markdown_file(p.slug)] for p in site.pages)
    files["llms-full.txt"] = llms_full_txt(site.title, line, bodies)
    files["assets/toc.js"] = toc_script(site)
    files["assets/search-index.js"] = search_script(site.pages)
    for name in ASSETS:
        files[f"assets/{name}"] = asset(name)
    files[".nojekyll"] = ""  # GitHub Pages: serve the folder as it is
    return files
