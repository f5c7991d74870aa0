"""Links between pages, rewritten for where the pages are written.

The generator links a symbol on another page relatively, ``{slug}#{anchor}`` (on the
same page, ``#{anchor}``).  Written as files, a page is ``{slug}.html`` or
``{slug}.md``, so each link to a known page gets that name; every other link (a
citation's URL, a same-page anchor) is left as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

# A page's slug becomes a file name: no folder, no hidden file, nothing a shell quotes.
_SAFE_SLUG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
_HREF = re.compile(r'( ?)href="([^"]*)"')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DESTINATION = re.compile(r"\]\(([^()\s]+)\)")


def check_slug(slug: str) -> str:
    """``slug`` if it can name a file in the site's folder, else ValueError."""
    if not _SAFE_SLUG.match(slug) or slug in {"index", "assets"}:
        raise ValueError(f"page slug {slug!r} cannot name a file of the site")
    return slug


def retarget(href: str, slugs: Collection[str], file_of: Callable[[str], str]) -> str:
    """``href`` pointing at the file of its page when it names one of ``slugs``."""
    path, hash_, fragment = href.partition("#")
    if path not in slugs:
        return href
    return file_of(path) + hash_ + fragment


def rewrite_html(page_html: str, slugs: Collection[str], file_of: Callable[[str], str]) -> str:
    """Sanitized HTML with its links to other pages pointing at their files.

    A relative link that names no page (a doc comment's ``../enum.Value.html``,
    written for another documentation tool) would lead nowhere in the folder: it
    loses its ``href`` and reads as plain text.
    """

    def one(match: re.Match[str]) -> str:
        href = html.unescape(match.group(2))
        new = retarget(href, slugs, file_of)
        if new != href:
            return f'{match.group(1)}href="{html.escape(new)}"'
        if _leads_nowhere(href):
            return ""
        return match.group(0)

    return _HREF.sub(one, page_html)


def _leads_nowhere(href: str) -> bool:
    """A relative link to a file (not a fragment, not another host) that is no page."""
    return bool(href) and not href.startswith(("#", "//")) and not _SCHEME.match(href)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _link_targets(tokens: list[Token]) -> set[str]:
    found: set[str] = set()
    for token in tokens:
        if token.children:
            found |= _link_targets(token.children)
        elif token.type == "link_open":
            found.add(str(token.attrGet("href") or ""))
    return found


def rewrite_markdown(markdown: str, slugs: Collection[str], file_of: Callable[[str], str]) -> str:
    """Markdown with its links to other pages pointing at their files.

    Only destinations that Markdown reads as links are touched (the same text in
    a code span is not a link when nothing else links there).
    """
    if "](" not in markdown:
        return markdown
    md = _parser()
    targets = _link_targets(md.parse(markdown))

    def one(match: re.Match[str]) -> str:
        raw = match.group(1)
        if md.normalizeLink(raw) not in targets:
            return match.group(0)
        return f"]({retarget(raw, slugs, file_of)})"

    return _DESTINATION.sub(one, markdown)
