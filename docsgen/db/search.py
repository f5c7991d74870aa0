"""Search in a repository's documentation, in PostgreSQL (CONTRACT §11).

Best first:

1. ``symbol``: a qualified name equal to the query (``flask.Flask.route``), then
   one whose last components are the query (``route``, ``Flask.route``), then
   the same ignoring case, shortest name first;
2. ``page``: a page whose title is the query;
3. ``symbol``: a partial identifier (``open_res``), by trigram (``pg_trgm``):
   names that contain it, then names whose last component is like the query's
   (``open_resorce``);
4. ``page``: a page whose title contains the query;
5. ``text``: the query's words in the pages' text (full-text search, English
   stemming; the words as a phrase first), leading to the heading they are
   under.

Each result carries the page's slug, the anchor on it (a symbol's qualified
name, a heading's id, or None for the page's top), a plain-text snippet and,
for a symbol, the ``path:line`` of its declaration.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import asyncpg

from docsgen.db import Connection

SNIPPET_OPTIONS = 'MaxWords=30, MinWords=12, MaxFragments=1, StartSel="", StopSel=""'
_SNIPPET_CHARS = 240


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "symbol", "page" or "text"
    title: str  # a symbol's qualified name, a page's title, or the heading
    slug: str
    anchor: str | None
    snippet: str
    citation: str | None

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "title": self.title, "slug": self.slug,
                "anchor": self.anchor, "snippet": self.snippet,
                "citation": self.citation}  # fmt: skip


def like_pattern(text: str) -> str:
    """``text`` matched literally by LIKE (``_`` is common in identifiers)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# By the primary key and the index of last components: ``$5`` is the query's last
# component in lower case, ``$3`` the query as a LIKE pattern, ``$6`` that in lower case.
_EXACT_SYMBOLS = """
    SELECT qualname, slug, kind, citation, summary FROM doc_symbols
    WHERE repository_id = $1 AND (qualname = $2 OR lower(name) = $5)
      AND (qualname = $2 OR key = lower($2) OR key LIKE '%.' || $6 OR key LIKE '%::' || $6)
    ORDER BY qualname <> $2,
             NOT (qualname LIKE '%.' || $3 OR qualname LIKE '%::' || $3),
             key <> lower($2), length(qualname), qualname
    LIMIT $4
"""

# By the trigram indexes: names that contain the query, then names whose last component
# is like the query's.  The candidates are found by the trigram index alone (MATERIALIZED:
# the planner would otherwise start from the repository's rows and test each).
_CONTAINING_SYMBOLS = """
    WITH found AS MATERIALIZED (
        SELECT repository_id, qualname FROM doc_symbols WHERE key LIKE '%' || $2 || '%'
    )
    SELECT s.qualname, s.slug, s.kind, s.citation, s.summary
    FROM found f JOIN doc_symbols s USING (repository_id, qualname)
    WHERE f.repository_id = $1
    ORDER BY length(s.qualname), s.qualname
    LIMIT $3
"""

_SIMILAR_SYMBOLS = """
    WITH found AS MATERIALIZED (
        SELECT repository_id, qualname, similarity(lower(name), $2) AS alike
        FROM doc_symbols WHERE lower(name) % $2
    )
    SELECT s.qualname, s.slug, s.kind, s.citation, s.summary
    FROM found f JOIN doc_symbols s USING (repository_id, qualname)
    WHERE f.repository_id = $1
    ORDER BY f.alike DESC, length(s.qualname), s.qualname
    LIMIT $3
"""

_PAGES = """
    SELECT p.slug, p.title, lower(p.title) = lower($2) AS exact,
        coalesce((SELECT left(t.body, 240) FROM doc_text t
                  WHERE t.repository_id = p.repository_id AND t.slug = p.slug
                  ORDER BY t.seq LIMIT 1), '') AS snippet
    FROM doc_pages p
    WHERE p.repository_id = $1 AND p.title ILIKE '%' || $3 || '%'
    ORDER BY lower(p.title) <> lower($2), length(p.title), p.position
    LIMIT $4
"""

_TEXT = """
    WITH q AS (SELECT websearch_to_tsquery('english', $2) AS words,
                      phraseto_tsquery('english', $2) AS phrase),
    found AS (
        SELECT t.slug, t.seq, t.anchor, t.title, t.body, t.search @@ q.phrase AS as_phrase,
               ts_rank_cd(t.search, q.words) AS rank
        FROM doc_text t, q
        WHERE t.repository_id = $1 AND t.search @@ q.words
        ORDER BY as_phrase DESC, rank DESC, t.slug, t.seq
        LIMIT $3
    )
    SELECT f.slug, f.anchor, f.title,
           ts_headline('english', f.body, q.words, $4) AS snippet, s.citation
    FROM found f CROSS JOIN q
    LEFT JOIN doc_symbols s ON s.repository_id = $1 AND s.qualname = f.anchor
    ORDER BY f.as_phrase DESC, f.rank DESC, f.slug, f.seq
"""


async def search(
    conn: Connection, repository_id: uuid.UUID, q: str, limit: int
) -> list[SearchResult]:
    """The best ``limit`` results for ``q`` (see the module's docstring for the order).

    Every step has an index (the primary key, last components, trigrams, the text's
    ``tsvector``), but the planner prices a trigram index above reading the whole
    table, which is a hundred times slower on a large repository: sequential scans
    are turned off for the search's own read-only transaction.
    """
    async with conn.transaction(readonly=True):
        await conn.execute("SET LOCAL enable_seqscan = off")
        return await _search(conn, repository_id, q, limit)


async def _search(
    conn: Connection, repository_id: uuid.UUID, q: str, limit: int
) -> list[SearchResult]:
    query = " ".join(q.split())
    like = like_pattern(query)
    lower = query.lower()
    last = re.split(r"::|[./#]", lower.rstrip(".:/#"))[-1]
    results: list[SearchResult] = []
    seen: set[tuple[str, str, str | None]] = set()

    def add(found: SearchResult) -> None:
        key = (found.kind, found.slug, found.anchor)
        if key not in seen and len(results) < limit:
            seen.add(key)
            results.append(found)

    def symbol(r: asyncpg.Record) -> SearchResult:
        return SearchResult("symbol", r["qualname"], r["slug"], r["qualname"], r["summary"],
                            r["citation"])  # fmt: skip

    exact = await conn.fetch(
        _EXACT_SYMBOLS, repository_id, query, like, limit, last, like_pattern(lower)
    )
    for r in exact:
        add(symbol(r))
    pages = await conn.fetch(_PAGES, repository_id, query, like, limit)
    for r in pages:
        if r["exact"]:
            add(SearchResult("page", r["title"], r["slug"], None, r["snippet"], None))
    # A part of a name holds no space, and trigrams need three characters.
    identifier = len(query) >= 3 and not any(c.isspace() for c in query)
    if identifier and len(results) < limit:
        containing = _CONTAINING_SYMBOLS, repository_id, like_pattern(lower), limit
        for r in await conn.fetch(*containing):
            add(symbol(r))
    if identifier and len(results) < limit:
        for r in await conn.fetch(_SIMILAR_SYMBOLS, repository_id, last, limit):
            add(symbol(r))
    for r in pages:
        add(SearchResult("page", r["title"], r["slug"], None, r["snippet"], None))
    if len(results) < limit:
        for r in await conn.fetch(_TEXT, repository_id, query, limit, SNIPPET_OPTIONS):
            snippet = r["snippet"][:_SNIPPET_CHARS]
            add(SearchResult("text", r["title"], r["slug"], r["anchor"], snippet, r["citation"]))
    return results
