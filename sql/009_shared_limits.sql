-- Limits that hold across processes.

-- A push that could not start its run at once (a run in progress, or a run cap
-- reached) leaves `pending_sha`; since when, so that the oldest request starts
-- first when a slot frees.  Any process looks for such rows when a run ends and
-- every reaper interval.
ALTER TABLE generated_docs ADD COLUMN pending_at timestamptz;
CREATE INDEX generated_docs_pending_idx ON generated_docs (pending_at)
    WHERE pending_sha IS NOT NULL;
