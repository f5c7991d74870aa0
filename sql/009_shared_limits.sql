-- Limits that hold across processes: counted here rather than in each process's
-- memory, so that N processes behind a load balancer allow what one would.
--
-- The counters are UNLOGGED: they are written on every state-changing request,
-- and losing them in a crash of the database only gives every user a whole
-- allowance, which is what a restart would do.

-- The per-user request rate (DOCSGEN_STATE_CHANGES_PER_MINUTE) as a generic cell
-- rate algorithm: one time per user, when their allowance is whole again.  A
-- request is allowed if, after adding one request's worth of time, that is at
-- most a minute ahead; one statement decides and records it.
CREATE UNLOGGED TABLE request_allowances (
    user_id  uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    full_at  timestamptz NOT NULL,
    -- Whether the latest request was refused (then `full_at` was left as it was).
    refused  boolean NOT NULL DEFAULT false
);

-- A push that could not start its run at once (a run in progress, or a run cap
-- reached) leaves `pending_sha`; since when, so that the oldest request starts
-- first when a slot frees.  Any process looks for such rows when a run ends and
-- every reaper interval.
ALTER TABLE generated_docs ADD COLUMN pending_at timestamptz;
CREATE INDEX generated_docs_pending_idx ON generated_docs (pending_at)
    WHERE pending_sha IS NOT NULL;
