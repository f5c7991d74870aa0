"""What a completed run stores: its pages rendered, digested, and cut for search.

Runs in a worker process (the HTML of a large repository's pages takes
seconds).  A page whose digest equals the stored page's is not rendered again:
its row stays as it is, and so does its ETag.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence

from docsgen.db.pages import PageRow, PagesToStore, SymbolRow, TextRow
from docsgen.generator.pages import Page, text_parts
from docsgen.render import RENDER_VERSION, page_html

MAX_TEXT = 200_000  # characters of one part's text indexed (a tsvector holds < 1 MB)
_LAST_PART = re.compile(r"(?:::|[./#])([^./#:]+)$")


def page_digest(page: Page) -> str:
    """A digest of everything a page shows and its search reads (and of how it is
    rendered): equal digests, equal answers."""
    symbols = [[s.qualname, s.kind, s.citation, s.summary, s.line] for s in page.symbols]
    facts = [RENDER_VERSION, page.title, page.markdown, page.warnings, symbols]
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode()).hexdigest()[:32]


def pages_to_store(pages: Sequence[Page], stored: Mapping[str, str]) -> PagesToStore:
    """The rows of ``pages``; those whose digest ``stored`` (slug -> digest) holds
    already are neither rendered nor cut again."""
    rows: list[PageRow] = []
    symbols: list[SymbolRow] = []
    text: list[TextRow] = []
    for page in pages:
        digest = page_digest(page)
        if stored.get(page.slug) == digest:
            rows.append(
                PageRow(
                    page.slug, page.title, page.parent, page.markdown, None, page.warnings, digest
                )
            )
            continue
        rows.append(
            PageRow(
                page.slug,
                page.title,
                page.parent,
                page.markdown,
                page_html(page),
                page.warnings,
                digest,
            )
        )
        symbols += (
            SymbolRow(
                s.qualname, last_part(s.qualname), s.slug, s.kind, s.citation, s.summary, s.line
            )
            for s in page.symbols
        )
        text += (
            TextRow(page.slug, seq, part.anchor, part.title, part.text[:MAX_TEXT])
            for seq, part in enumerate(text_parts(page))
        )
    return PagesToStore(tuple(rows), tuple(symbols), tuple(text))


def last_part(qualname: str) -> str:
    """A qualified name's last component: ``route`` of ``flask.Flask.route``."""
    found = _LAST_PART.search(qualname)
    return found.group(1) if found else qualname
