-- Live progress: every change a reader can see announces itself on the
-- channel `generated_docs` with the repository id as the whole payload (well
-- under NOTIFY's 8000-byte limit).  Listeners then read the row itself: the
-- database stays the only source of truth, the notification only says "look".
--
-- Every write a reader can see bumps `version`; heartbeats do not, and they
-- do not notify either, so a run's heartbeat never wakes any listener.

CREATE FUNCTION generated_docs_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('generated_docs', NEW.repository_id::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER generated_docs_notify_insert
    AFTER INSERT ON generated_docs
    FOR EACH ROW EXECUTE FUNCTION generated_docs_notify();

CREATE TRIGGER generated_docs_notify_update
    AFTER UPDATE ON generated_docs
    FOR EACH ROW
    WHEN (OLD.version IS DISTINCT FROM NEW.version)
    EXECUTE FUNCTION generated_docs_notify();
