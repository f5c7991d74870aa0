-- Keeping documentation fresh: which generator produced the stored docs, one
-- pending run per repository (a push that arrived during a run), what is known
-- of the repository's current head, and the GitHub webhook deliveries already
-- handled (a redelivery does nothing).

ALTER TABLE generated_docs
    -- docsgen.generator.GENERATOR_VERSION of the run that wrote `content`: a run on
    -- the same commit with the same generator completes from the stored docs.
    ADD COLUMN generator_version text,
    -- The `after` SHA of the latest push received while a run was in progress;
    -- when that run ends, one more run starts if the docs do not describe it.
    -- A new claim clears it (the new run fetches the current head anyway).
    ADD COLUMN pending_sha text,
    -- The head of the repository's default branch as last learned (a push, a
    -- check, or a run), and how many commits it is ahead of `commit_sha`
    -- (NULL: not known yet).
    ADD COLUMN head_sha text,
    ADD COLUMN commits_behind integer
        CONSTRAINT generated_docs_commits_behind_check CHECK (commits_behind >= 0),
    -- When a process last set out to learn the head: checks are throttled by it.
    ADD COLUMN head_checked_at timestamptz;

-- Pushes name repositories by owner/name: every registration of one is found at once.
CREATE INDEX repositories_source_key_idx ON repositories (source_key);

CREATE TABLE github_webhook_deliveries (
    -- GitHub's X-GitHub-Delivery: the same for a redelivery of the same event.
    delivery_id  text PRIMARY KEY,
    event        text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX github_webhook_deliveries_received_idx ON github_webhook_deliveries (received_at);
