// Following a generation: the original design's poll of the status every
// `poll_interval_seconds` (5 s by default), always, and beside it Server-Sent
// Events when the server offers them, which only make a change show sooner: the
// poll stays the source of truth (CONTRACT §8).  Both stop at a terminal status.

const TERMINAL = new Set(["completed", "failed"]);

export const isTerminal = (status) => TERMINAL.has(status);

/**
 * Watch a repository's docs status until it is terminal or stop() is called.
 *   onStatus(status)      every new status JSON
 *   onTrouble(message)    the server cannot be reached (message) or is back (null)
 *   onUnauthorized()      the session ended
 * Returns stop().
 */
export function watchStatus(repositoryId, config, { onStatus, onTrouble, onUnauthorized }) {
  const statusUrl = `/api/repositories/${repositoryId}/docs/status`;
  const eventsUrl = `/api/repositories/${repositoryId}/docs/events`;
  const intervalMs = Math.max(50, config.poll_interval_seconds * 1000);
  let stopped = false;
  let timer = null;
  let source = null;
  let etag = null;

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    if (source) source.close();
  };

  let shownAt = -Infinity;

  const deliver = (status) => {
    if (stopped) return;
    // The poll and the stream both deliver: an answer older than what the other one
    // has already shown is dropped, so the page never steps back.
    const at = Date.parse(status.updated_at);
    if (at < shownAt) return;
    if (!Number.isNaN(at)) shownAt = at;
    onTrouble(null);
    onStatus(status);
    if (isTerminal(status.status)) stop();
  };

  // One request per interval, at a steady cadence: the next one is due one
  // interval after this one started, and requests never overlap.
  const poll = async () => {
    const started = performance.now();
    try {
      const response = await fetch(statusUrl, {
        headers: etag ? { "If-None-Match": etag, Accept: "application/json" } : {},
        credentials: "same-origin",
        cache: "no-store",
      });
      if (stopped) return;
      if (response.status === 401) {
        stop();
        onUnauthorized();
        return;
      }
      if (response.status === 304) {
        onTrouble(null);
      } else if (response.ok) {
        etag = response.headers.get("ETag");
        deliver(await response.json());
      } else {
        onTrouble(`The server answered ${response.status}; still checking.`);
      }
    } catch {
      if (!stopped) onTrouble("Connection to the server lost; still checking.");
    }
    if (!stopped) timer = setTimeout(poll, Math.max(0, intervalMs - (performance.now() - started)));
  };

  // A stream that fails or says something malformed is closed; the poll goes on.
  const closeStream = () => {
    if (!source) return;
    source.close();
    source = null;
  };

  if (config.sse && typeof EventSource === "function") {
    source = new EventSource(eventsUrl, { withCredentials: true });
    source.addEventListener("progress", (event) => {
      let status;
      try {
        status = JSON.parse(event.data);
      } catch {
        closeStream();
        return;
      }
      deliver(status);
    });
    source.addEventListener("error", () => {
      if (!stopped) closeStream();
    });
  }
  timer = setTimeout(poll, intervalMs);
  return stop;
}
