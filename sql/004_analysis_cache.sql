-- Per-file analysis results (the analysis and its rendered API entries), content-addressed.
-- The key hashes the file's git blob SHA, its path and the versions of the code that
-- produced the value, so an entry never goes stale: a new version simply reads other keys.
-- It is a cache: any row may be deleted at any time (for example those older than a month)
-- and will be recomputed when needed.
CREATE TABLE IF NOT EXISTS analysis_cache (
    key         text PRIMARY KEY,
    version     text NOT NULL,
    value       bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS analysis_cache_created_at ON analysis_cache (created_at);
