-- Derived results a regeneration reuses when their inputs are unchanged: built sections
-- (keyed by a digest of exactly the inputs each section reads and the generator's version)
-- and citation checks (keyed by the cited file's blob SHA and the citations checked).
-- Kept apart from analysis_cache so that table still counts one row per analysed file.
-- It is a cache: any row may be deleted at any time and will be recomputed when needed.
CREATE TABLE IF NOT EXISTS section_cache (
    key         text PRIMARY KEY,
    version     text NOT NULL,
    value       bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS section_cache_created_at ON section_cache (created_at);
