"""The static site's search index, a script: browsers refuse ``fetch`` over ``file://``.

The script sets ``window.DOCSGEN_SEARCH`` to the pages (slug, title) and the
symbols (qualified name, index of its page, kind, summary, citation); the
site's own script loads it on first use of the search box and ranks in the
browser, as the service's search does: an exact name first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from docsgen.generator.pages import Page
from docsgen.publish.plain import shorten

SUMMARY_LIMIT = 140
GLOBAL = "DOCSGEN_SEARCH"


def search_index(pages: Sequence[Page]) -> dict[str, Any]:
    """The index as JSON-ready data; a symbol's page is the page that documents it."""
    position = {page.slug: i for i, page in enumerate(pages)}
    symbols = [
        [s.qualname, position[page.slug], s.kind, shorten(s.summary, SUMMARY_LIMIT), s.citation]
        for page in pages
        for s in page.symbols
    ]
    return {"pages": [[p.slug, p.title] for p in pages], "symbols": symbols}


def search_script(pages: Sequence[Page]) -> str:
    """The index as a script; ASCII only, so no character can end a string early."""
    data = json.dumps(search_index(pages), ensure_ascii=True, separators=(",", ":"))
    return f"window.{GLOBAL} = {data};\n"
