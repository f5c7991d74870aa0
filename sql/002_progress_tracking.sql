-- The four columns of the original design's progress tracking (CONTRACT §2).
ALTER TABLE generated_docs
    ADD COLUMN status text NOT NULL DEFAULT 'idle'
        CONSTRAINT generated_docs_status_check
        CHECK (status IN ('idle', 'generating', 'completed', 'failed')),
    ADD COLUMN progress integer NOT NULL DEFAULT 0
        CONSTRAINT generated_docs_progress_check
        CHECK (progress BETWEEN 0 AND 100),
    ADD COLUMN current_step text,
    ADD COLUMN error_message text;

-- The reaper looks only at running rows.
CREATE INDEX generated_docs_generating_idx ON generated_docs (heartbeat_at)
    WHERE status = 'generating';
