"""What the pages are: each page, and the symbols documented on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from docsgen.generator.markdown import anchor
from docsgen.generator.sections.api_reference import TITLE as API_TITLE

API_SLUG = anchor(API_TITLE)  # "api-reference"
# A module page of more Markdown than this is split at its entries.  A page is read as
# its Markdown and its HTML together (about three times the Markdown, in JSON), and that
# answer should stay within 512 KB.
MAX_PAGE_BYTES = 160 * 1024
SUMMARY_CHARS = 240


class DocSymbol(NamedTuple):
    """A documented symbol: where it is, and enough to find it by name (a named tuple:
    a large repository has tens of thousands, made at every run)."""

    qualname: str  # e.g. "flask.Flask.route", "serde_json::from_str" — also its anchor
    slug: str  # the page it is on
    kind: str | None  # "class", "function", "method", ... when the entry says it
    citation: str | None  # "path:line" of its declaration, or None
    summary: str  # first sentence of its documentation as plain text, or ""
    line: int  # 1-based line of its heading in the page's markdown


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    parent: str | None
    markdown: str
    warnings: int
    symbols: tuple[DocSymbol, ...]


def is_page_link(href: str) -> bool:
    """Whether ``href`` names another page in this module's link form (``slug#anchor``)."""
    return (
        bool(href)
        and not href.startswith("#")
        and ":" not in href.split("#", 1)[0]
        and ("/" not in href.split("#", 1)[0])
    )
