-- The documentation as pages, its symbols and its text for search (CONTRACT §11).
-- Written by the transaction that completes a run, with generated_docs.content, so
-- that what search finds is always what the pages show; a failed run writes none.
-- A page whose digest is unchanged is left as it is (its ETag stays the same).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE doc_pages (
    repository_id  uuid NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    slug           text NOT NULL,
    position       integer NOT NULL,           -- reading order
    title          text NOT NULL,
    parent         text,                       -- the slug of the page it belongs under
    markdown       text NOT NULL,
    html           text NOT NULL,              -- sanitized
    warnings       integer NOT NULL,
    digest         text NOT NULL,              -- of everything the page shows: its ETag
    PRIMARY KEY (repository_id, slug)
);
CREATE INDEX doc_pages_order ON doc_pages (repository_id, position);

-- Every documented symbol, by its qualified name (its anchor on its page).
CREATE TABLE doc_symbols (
    repository_id  uuid NOT NULL,
    qualname       text NOT NULL,
    name           text NOT NULL,              -- its last component: ``route``
    slug           text NOT NULL,
    kind           text,
    citation       text,                       -- path:line
    summary        text NOT NULL,
    line           integer NOT NULL,           -- of its heading in the page's markdown
    -- Lower case, for matching parts of names (LIKE on it is cheaper than ILIKE).
    key            text GENERATED ALWAYS AS (lower(qualname)) STORED,
    PRIMARY KEY (repository_id, qualname),
    FOREIGN KEY (repository_id, slug) REFERENCES doc_pages (repository_id, slug)
        ON DELETE CASCADE
);
CREATE INDEX doc_symbols_page ON doc_symbols (repository_id, slug);
CREATE INDEX doc_symbols_name ON doc_symbols (repository_id, lower(name));
CREATE INDEX doc_symbols_key_trgm ON doc_symbols USING gin (key gin_trgm_ops);
CREATE INDEX doc_symbols_name_trgm ON doc_symbols USING gin (lower(name) gin_trgm_ops);

-- Each page's text cut at its headings, as plain text, for full-text search: a
-- phrase found leads to the heading (the symbol) it is under.
CREATE TABLE doc_text (
    repository_id  uuid NOT NULL,
    slug           text NOT NULL,
    seq            integer NOT NULL,           -- order on the page
    anchor         text,                       -- the heading's id; NULL: the page's top
    title          text NOT NULL,
    body           text NOT NULL,
    search         tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', body), 'B')
    ) STORED,
    PRIMARY KEY (repository_id, slug, seq),
    FOREIGN KEY (repository_id, slug) REFERENCES doc_pages (repository_id, slug)
        ON DELETE CASCADE
);
CREATE INDEX doc_text_search ON doc_text USING gin (search);
