"""``llms.txt`` and ``llms-full.txt``: the documentation as a language model reads it.

The llmstxt.org convention: an H1 with the project's name, a blockquote that
sums it up, a paragraph, then H2 sections of link lists, ``- [name](url): notes``,
each link to the Markdown of one page.  ``llms-full.txt`` is every page's
Markdown in reading order.  Both are built from pages alone, so the static site
and the service write them the same way, each with its own URLs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from docsgen.generator.markdown import code, printable
from docsgen.generator.pages import Page
from docsgen.publish.links import rewrite_markdown
from docsgen.publish.plain import first_paragraph, shorten
from docsgen.publish.toc import Entry, tree, walk

NOTE_LIMIT = 160
SUMMARY_LIMIT = 300
_NAMES_IN_NOTE = 6
GUIDE = "Guide"
_PARTS = re.compile(r"\.|::")


class Readable(Protocol):
    """A page with its Markdown (a generated page, or a stored one)."""

    @property
    def slug(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def markdown(self) -> str: ...


@dataclass(frozen=True)
class Link:
    """A page as ``llms.txt`` lists it; ``note`` says what it holds, or is empty."""

    slug: str
    title: str
    parent: str | None
    note: str = ""


def summary(title: str, first_page: Readable | None) -> str:
    """The blockquote's line: the first page's first paragraph, else what the docs are."""
    text = first_paragraph(first_page.markdown) if first_page is not None else ""
    if text:
        return shorten(text, SUMMARY_LIMIT)
    return f"Documentation of {printable(title)}, generated from its source code."


def note(page: Page) -> str:
    """What a page holds, on one line: the symbols it documents (the outermost first,
    the module itself aside), or its first sentence."""
    symbols = [s for s in page.symbols if s.kind != "module"]
    if symbols:
        depth = {s.qualname: len(_PARTS.split(s.qualname)) for s in symbols}
        outermost = sorted(symbols, key=lambda s: depth[s.qualname])  # stable: page order
        names = [code(s.qualname) for s in outermost[:_NAMES_IN_NOTE]]
        more = len(symbols) - len(names)
        listed = ", ".join(names) + (f" and {more} more" if more else "")
        return f"{len(symbols)} symbol{'s' if len(symbols) != 1 else ''}: {listed}"
    text = first_paragraph(page.markdown)
    return _line(shorten(text, NOTE_LIMIT)) if text else ""


def links_of(pages: Sequence[Page]) -> list[Link]:
    """Generated pages as listed, each with its note."""
    return [Link(p.slug, p.title, p.parent, note(p)) for p in pages]


def _line(text: str) -> str:
    """Text on one line as a reader (a model) reads it: Markdown that means itself."""
    return printable(text)


def _link_text(text: str) -> str:
    """A link's text: only what would end it early is escaped."""
    return re.sub(r"([\\\[\]])", r"\\\1", printable(text))


def _item(entry: Entry, notes: dict[str, str], url_of: Callable[[str], str]) -> str:
    item = f"- [{_link_text(entry.page.title)}]({url_of(entry.page.slug)})"
    found = notes.get(entry.page.slug, "")
    return f"{item}: {found}" if found else item


def llms_txt(
    title: str,
    summary_line: str,
    links: Sequence[Link],
    url_of: Callable[[str], str],
    full_url: str,
) -> str:
    """The ``llms.txt`` listing ``links``; ``url_of(slug)`` is where a page's Markdown is.

    Top-level pages without pages under them are listed under "Guide"; each page
    with pages under it heads a section of its own that lists it and them.
    """
    entries = tree(links)
    notes = {link.slug: link.note for link in links}
    guide = [e for e in entries if not e.children]
    parts = [
        f"# {_line(title)}",
        f"> {_line(summary_line)}",
        "Documentation generated from the source code: each claim cites the file and "
        "line it comes from (`path:line`), and ⚠️ marks what could not be verified. "
        "Every page below is a Markdown file; all of them in one file: "
        f"[llms-full.txt]({full_url}).",
    ]
    if guide:
        parts.append(f"## {GUIDE}\n\n" + "\n".join(_item(e, notes, url_of) for e in guide))
    for entry in entries:
        if entry.children:
            items = "\n".join(_item(e, notes, url_of) for e in walk([entry]))
            parts.append(f"## {_line(entry.page.title)}\n\n{items}")
    return "\n\n".join(parts) + "\n"


def page_markdown(page: Readable, slugs: Collection[str], url_of: Callable[[str], str]) -> str:
    """One page's Markdown with its links to other pages pointing at their Markdown."""
    return rewrite_markdown(page.markdown, slugs, url_of)


def llms_full_txt(title: str, summary_line: str, bodies: Iterable[str]) -> str:
    """Every page's Markdown (``page_markdown``, in reading order) under the project's
    title and summary."""
    parts = [f"# {_line(title)}\n\n> {_line(summary_line)}\n"]
    parts += [body.rstrip("\n") + "\n" for body in bodies]
    return "\n".join(parts)
