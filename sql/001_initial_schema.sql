-- Users, their API tokens (stored hashed), their repositories, and one
-- generated_docs row per repository.  The progress columns of the contract
-- come in 002_progress_tracking.sql.

CREATE TABLE users (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    login       text NOT NULL UNIQUE CHECK (login ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a token is kept: tokens are 256-bit random strings, so a
-- fast hash is enough and lets the lookup be an index scan.
CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    bytea NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE repositories (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider    text NOT NULL CHECK (provider IN ('github', 'local')),
    full_name   text,
    path        text,
    -- 'github:owner/name' (lower case) or 'local:/abs/path': one registration each.
    source_key  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT repositories_source_shape CHECK (
        (provider = 'github' AND full_name IS NOT NULL AND path IS NULL)
        OR (provider = 'local' AND path IS NOT NULL)
    ),
    CONSTRAINT repositories_user_source_key UNIQUE (user_id, source_key)
);

CREATE TABLE generated_docs (
    repository_id  uuid PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
    -- Fencing token of the latest run: every write of a run names it.
    run_id         uuid,
    -- Incremented by every write, so readers can tell rows apart (ETag, SSE ids).
    version        bigint NOT NULL DEFAULT 1,
    started_at     timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    heartbeat_at   timestamptz,
    -- The documentation of the last successful run; a failed or running
    -- regeneration never touches these columns.
    completed_at   timestamptz,
    commit_sha     text,
    content        text,
    sections       jsonb,
    html           text
);
