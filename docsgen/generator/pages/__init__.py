"""The documentation as pages: what a reader opens one at a time (CONTRACT §11).

The sections stay what the generator builds and ``docs.md`` shows whole; this
module cuts them into pages, in reading order: the Overview, every guide
section, then the API Reference — a parent page (its opening: what is
documented and why, and the list of modules) and one page per public module,
a module too large for one page split at its entries' boundaries.

Every page starts with its own ``#`` heading; the headings under it move up so
that the page reads as a document (a module's entries, ``####`` in the whole
document, are ``##`` on its page).  Each documented symbol is a ``DocSymbol``
whose anchor is its qualified name (``flask.Flask.route``,
``serde_json::from_str``): ``page_html`` gives its heading that id.

Links.  In the whole document every link to a symbol or a section is a
fragment (``#flask.Flask.route``).  On a page, a fragment whose target is on
the same page stays ``#anchor``; one whose target is on another page becomes
``{slug}#anchor`` (or ``{slug}`` for the page itself: a section, a module),
relative, so that it resolves against the reader's address
``/repositories/{id}/docs/{slug}``.  Publishers that write one file per page
rewrite ``{slug}#…`` hrefs to ``{slug}.html#…`` or ``{slug}.md#…``; an href
that holds no ``:``, no ``/`` and does not start with ``#`` is always such a
slug (``is_page_link``).
"""

from docsgen.generator.pages.model import (
    API_SLUG,
    MAX_PAGE_BYTES,
    SUMMARY_CHARS,
    DocSymbol,
    Page,
    is_page_link,
)
from docsgen.generator.pages.modules import (
    PieceCut,
    cut_pieces,
    pieces_to_cut,
    remember_piece_cuts,
)
from docsgen.generator.pages.paginate import paginate, reading_order
from docsgen.generator.pages.text import TextPart, plain_text, text_parts

__all__ = [
    "API_SLUG",
    "MAX_PAGE_BYTES",
    "SUMMARY_CHARS",
    "DocSymbol",
    "Page",
    "PieceCut",
    "TextPart",
    "cut_pieces",
    "is_page_link",
    "paginate",
    "pieces_to_cut",
    "plain_text",
    "reading_order",
    "remember_piece_cuts",
    "text_parts",
]
