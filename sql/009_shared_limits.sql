-- Limits that hold across processes: counted here rather than in each process's
-- memory, so that N processes behind a load balancer allow what one would.
--
-- The per-user request rate (DOCSGEN_STATE_CHANGES_PER_MINUTE) as a generic cell
-- rate algorithm: one time per user, when their allowance is whole again.  A
-- request is allowed if, after adding one request's worth of time, that is at
-- most a minute ahead; one statement decides and records it.  UNLOGGED: it is
-- written on every state-changing request, and losing it in a crash of the
-- database only makes every user's allowance whole again, as a restart would.
CREATE UNLOGGED TABLE request_allowances (
    user_id  uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    full_at  timestamptz NOT NULL,
    -- Whether the latest request was refused (then `full_at` was left as it was).
    refused  boolean NOT NULL DEFAULT false
);

-- The processes that serve event streams, each with a heartbeat.  A process whose
-- heartbeat is older than the lease (DOCSGEN_LEASE_SECONDS) is dead: its streams
-- no longer count, and any process deletes it, and them by the cascade.
CREATE TABLE service_processes (
    id            uuid PRIMARY KEY,
    heartbeat_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_processes_heartbeat_idx ON service_processes (heartbeat_at);

-- The open event streams (GET /api/repositories/{id}/docs/events), for the
-- per-user cap DOCSGEN_MAX_STREAMS_PER_USER.  Each belongs to the process that
-- serves it and counts while that process is alive.
CREATE TABLE event_streams (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    process_id  uuid NOT NULL REFERENCES service_processes (id) ON DELETE CASCADE,
    opened_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_streams_user_idx ON event_streams (user_id);
CREATE INDEX event_streams_process_idx ON event_streams (process_id);

-- Count a new stream of a user's, served by a process, unless the user has `cap`
-- streams open in live processes: NULL if counted, else how many are open.  The
-- user's opens take turns (an advisory lock until the transaction ends) and each
-- statement of a function sees what committed before it, so the count is exact
-- across processes; as a function it costs one round trip.
CREATE FUNCTION open_event_stream(
    stream_id uuid, stream_user uuid, stream_process uuid, cap integer, lease interval
) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    open_now integer;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(stream_user::text, 2));
    -- The process is alive (it serves this request), though its row may have been
    -- taken for dead; not updated, so that opens of other users do not queue on it.
    INSERT INTO service_processes (id) VALUES (stream_process) ON CONFLICT (id) DO NOTHING;
    SELECT count(*) INTO open_now
    FROM event_streams s JOIN service_processes p ON p.id = s.process_id
    WHERE s.user_id = stream_user AND p.heartbeat_at >= now() - lease;
    IF open_now >= cap THEN
        RETURN open_now;
    END IF;
    INSERT INTO event_streams (id, user_id, process_id)
    VALUES (stream_id, stream_user, stream_process);
    RETURN NULL;
END;
$$;

-- A push that could not start its run at once (a run in progress, or a run cap
-- reached) leaves `pending_sha`; since when, so that the oldest request starts
-- first when a slot frees.  Any process looks for such rows when a run ends and
-- every reaper interval.
ALTER TABLE generated_docs ADD COLUMN pending_at timestamptz;
CREATE INDEX generated_docs_pending_idx ON generated_docs (pending_at)
    WHERE pending_sha IS NOT NULL;
