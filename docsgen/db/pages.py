"""The documentation's pages, their symbols and their text, stored and read (CONTRACT §11).

``store_pages`` runs inside the transaction that completes a run
(``jobs.complete_run``): pages, symbols and the text search reads change
together with the documentation, or not at all.  A page whose digest is
unchanged keeps its row (its ETag stays the same); only its place in the order
is updated.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from docsgen.db import Queryable


@dataclass(frozen=True)
class PageRow:
    """A page to store; ``html`` None: the page is stored already under this digest."""

    slug: str
    title: str
    parent: str | None
    markdown: str
    html: str | None
    warnings: int
    digest: str


@dataclass(frozen=True)
class SymbolRow:
    qualname: str
    name: str  # its last component
    slug: str
    kind: str | None
    citation: str | None
    summary: str
    line: int


@dataclass(frozen=True)
class TextRow:
    slug: str
    seq: int
    anchor: str | None
    title: str
    body: str


@dataclass(frozen=True)
class PagesToStore:
    """Every page in reading order, and the symbols and text of those to (re)write."""

    pages: tuple[PageRow, ...] = ()
    symbols: tuple[SymbolRow, ...] = ()
    text: tuple[TextRow, ...] = ()


NO_PAGES = PagesToStore()


@dataclass(frozen=True)
class PageEntry:
    """A page as the table of contents shows it."""

    slug: str
    title: str
    parent: str | None
    warnings: int

    def to_json(self) -> dict[str, object]:
        return {
            "slug": self.slug,
            "title": self.title,
            "parent": self.parent,
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class StoredPage:
    slug: str
    title: str
    parent: str | None
    markdown: str
    html: str
    warnings: int
    digest: str
    prev: str | None = None
    next: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "slug": self.slug,
            "title": self.title,
            "parent": self.parent,
            "markdown": self.markdown,
            "html": self.html,
            "warnings": self.warnings,
            "prev": self.prev,
            "next": self.next,
        }


@dataclass(frozen=True)
class StoredSymbol:
    qualname: str
    slug: str
    kind: str | None
    citation: str | None
    summary: str
    line: int


class StalePages(RuntimeError):
    """A page meant to be kept as stored is not stored under its digest."""


@dataclass
class _Plan:
    keep: set[str] = field(default_factory=set)
    write: list[PageRow] = field(default_factory=list)


async def stored_digests(conn: Queryable, repository_id: uuid.UUID) -> dict[str, str]:
    """Each stored page's digest, by slug: the pages a new run need not render again."""
    rows = await conn.fetch(
        "SELECT slug, digest FROM doc_pages WHERE repository_id = $1", repository_id
    )
    return {r["slug"]: r["digest"] for r in rows}


# Storing a large repository's pages indexes megabytes of text: longer than a request's
# statement may take (``database_timeout_seconds``), and done once per run.
STORE_TIMEOUT = 600.0
# What a bulk insert leaves in a GIN index's pending list is read by every search until
# it is merged (by autovacuum, some time later): searches on Django's sdist took five
# times as long.  The run merges it before it commits.
_SEARCH_INDEXES = ["doc_symbols_key_trgm", "doc_symbols_name_trgm", "doc_text_search"]


async def store_pages(conn: Queryable, repository_id: uuid.UUID, batch: PagesToStore) -> None:
    """Make the stored pages ``batch``'s (call inside a transaction)."""
    stored = await stored_digests(conn, repository_id)
    plan = _Plan()
    for page in batch.pages:
        if stored.get(page.slug) == page.digest:
            plan.keep.add(page.slug)
        elif page.html is None:
            raise StalePages(f"page {page.slug!r} is not stored under its digest")
        else:
            plan.write.append(page)
    gone = [slug for slug in stored if slug not in plan.keep]
    await conn.execute(  # its symbols and text go with it
        "DELETE FROM doc_pages WHERE repository_id = $1 AND slug = ANY($2::text[])",
        repository_id,
        gone,
        timeout=STORE_TIMEOUT,
    )
    positions = {page.slug: i for i, page in enumerate(batch.pages)}
    await conn.copy_records_to_table(
        "doc_pages",
        timeout=STORE_TIMEOUT,
        columns=[
            "repository_id",
            "slug",
            "position",
            "title",
            "parent",
            "markdown",
            "html",
            "warnings",
            "digest",
        ],
        records=[
            (
                repository_id,
                p.slug,
                positions[p.slug],
                p.title,
                p.parent,
                p.markdown,
                p.html,
                p.warnings,
                p.digest,
            )
            for p in plan.write
        ],
    )
    written = {p.slug for p in plan.write}
    await conn.copy_records_to_table(
        "doc_symbols",
        timeout=STORE_TIMEOUT,
        columns=[
            "repository_id",
            "qualname",
            "name",
            "slug",
            "kind",
            "citation",
            "summary",
            "line",
        ],
        records=[
            (repository_id, s.qualname, s.name, s.slug, s.kind, s.citation, s.summary, s.line)
            for s in batch.symbols
            if s.slug in written
        ],
    )
    await conn.copy_records_to_table(
        "doc_text",
        timeout=STORE_TIMEOUT,
        columns=["repository_id", "slug", "seq", "anchor", "title", "body"],
        records=[
            (repository_id, t.slug, t.seq, t.anchor, t.title, t.body)
            for t in batch.text
            if t.slug in written
        ],
    )
    kept = [p for p in batch.pages if p.slug in plan.keep]
    await conn.execute(
        """
        UPDATE doc_pages p SET position = u.position, parent = u.parent
        FROM unnest($2::text[], $3::int[], $4::text[]) AS u (slug, position, parent)
        WHERE p.repository_id = $1 AND p.slug = u.slug
          AND (p.position, p.parent) IS DISTINCT FROM (u.position, u.parent)
        """,
        repository_id,
        [p.slug for p in kept],
        [positions[p.slug] for p in kept],
        [p.parent for p in kept],
        timeout=STORE_TIMEOUT,
    )
    await conn.execute(
        "SELECT gin_clean_pending_list(i) FROM unnest($1::regclass[]) AS i",
        _SEARCH_INDEXES,
        timeout=STORE_TIMEOUT,
    )


async def read_toc(conn: Queryable, repository_id: uuid.UUID) -> list[PageEntry]:
    """The table of contents: every page, in reading order."""
    rows = await conn.fetch(
        "SELECT slug, title, parent, warnings FROM doc_pages WHERE repository_id = $1 "
        "ORDER BY position",
        repository_id,
    )
    return [PageEntry(r["slug"], r["title"], r["parent"], r["warnings"]) for r in rows]


_PAGE = """
    SELECT p.slug, p.title, p.parent, p.markdown, p.html, p.warnings, p.digest,
        (SELECT slug FROM doc_pages b WHERE b.repository_id = p.repository_id
            AND b.position < p.position ORDER BY b.position DESC LIMIT 1) AS prev,
        (SELECT slug FROM doc_pages a WHERE a.repository_id = p.repository_id
            AND a.position > p.position ORDER BY a.position LIMIT 1) AS next
    FROM doc_pages p
"""


async def read_page(conn: Queryable, repository_id: uuid.UUID, slug: str) -> StoredPage | None:
    """One page with the slugs of the pages before and after it; None: no such page."""
    row = await conn.fetchrow(
        _PAGE + "WHERE p.repository_id = $1 AND p.slug = $2", repository_id, slug
    )
    return StoredPage(*row.values()) if row else None


async def read_first_page(conn: Queryable, repository_id: uuid.UUID) -> StoredPage | None:
    row = await conn.fetchrow(
        _PAGE + "WHERE p.repository_id = $1 ORDER BY p.position LIMIT 1", repository_id
    )
    return StoredPage(*row.values()) if row else None


async def read_symbol(
    conn: Queryable, repository_id: uuid.UUID, qualname: str
) -> StoredSymbol | None:
    row = await conn.fetchrow(
        "SELECT qualname, slug, kind, citation, summary, line FROM doc_symbols "
        "WHERE repository_id = $1 AND qualname = $2",
        repository_id,
        qualname,
    )
    return StoredSymbol(*row.values()) if row else None
