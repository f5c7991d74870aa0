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

# A page's slug becomes a file name: no folder, no hidden file, nothing a shell quotes.
_SAFE_SLUG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
_HREF = re.compile(r'( ?)href="([^"]*)"')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DESTINATION = re.compile(r"\]\(([^()\s]+)\)")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")


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


def rewrite_markdown(markdown: str, slugs: Collection[str], file_of: Callable[[str], str]) -> str:
    """Markdown with its links to other pages pointing at their files.

    Read line by line, as the pages were written: a link is ``](destination)`` on a
    line outside a fenced code block (the largest documentation is tens of
    megabytes; a full Markdown parse of it takes minutes).
    """
    if "](" not in markdown:
        return markdown

    def one(match: re.Match[str]) -> str:
        return f"]({retarget(match.group(1), slugs, file_of)})"

    lines = markdown.split("\n")
    fence = ""
    for i, line in enumerate(lines):
        if fence:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
            continue
        opening = _FENCE.match(line)
        if opening is not None:
            fence = opening.group(1)
        elif "](" in line:
            lines[i] = _outside_code(line, lambda text: _DESTINATION.sub(one, text))
    return "\n".join(lines)


def _outside_code(line: str, change: Callable[[str], str]) -> str:
    """``line`` with ``change`` applied to its text outside inline code spans."""
    if "`" not in line:
        return change(line)
    parts, at = [], 0
    for span in _CODE_SPAN.finditer(line):
        parts += [change(line[at : span.start()]), span.group(0)]
        at = span.end()
    parts.append(change(line[at:]))
    return "".join(parts)
