"""Markdown to HTML that is safe to show: rendered, then cleaned by an allowlist.

Repository content is untrusted.  Raw HTML in the Markdown is not rendered
(``html=False``) and the result is cleaned again with nh3, so nothing from a
repository can run script in the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import nh3
from markdown_it import MarkdownIt

from docsgen.generator.markdown import anchor

if TYPE_CHECKING:
    from docsgen.generator.pages import Page

RENDER_VERSION = 1  # bump when the HTML rendered from the same Markdown changes

_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "code": {"class"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "td": {"style"}, "th": {"style"},
    "ol": {"start"},
}  # fmt: skip


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_html(markdown: str, heading_ids: Mapping[int, str] | None = None) -> str:
    """``markdown`` as sanitized HTML.  A heading's id is its GitHub-style anchor, or
    the one ``heading_ids`` gives for its 1-based line (a symbol's qualified name)."""
    md = _parser()
    tokens = md.parse(markdown)
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            given = heading_ids.get(token.map[0] + 1) if heading_ids and token.map else None
            token.attrSet("id", given or anchor(tokens[i + 1].content))
    html = md.renderer.render(tokens, md.options, {})
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )


def page_html(page: Page) -> str:
    """A page's HTML, each symbol's heading carrying its qualified name as its id."""
    return render_html(page.markdown, {s.line: s.qualname for s in page.symbols})
