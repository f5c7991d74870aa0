"""Per-user limits that hold across processes (sql/009): every SQL statement about them.

The request rate is a generic cell rate algorithm, the token bucket written as
one time per user, ``full_at``: when the user's allowance is whole again.  Each
request moves it one request's worth of time later; a request that would put it
more than the burst ahead of now is refused and moves nothing.  One statement
decides and records, under the row's lock, so any number of processes count
exactly as one.

Open event streams are rows, each tied to the process serving it; a process
proves it is alive by its heartbeat, and the streams of a process whose
heartbeat is older than the lease do not count (and are deleted with it).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Collection, Mapping
from datetime import timedelta

from docsgen.db import Queryable
from docsgen.errors import TooManyRequests


async def spend_request(conn: Queryable, user_id: uuid.UUID, per_minute: int) -> float:
    """Spend one of the user's ``per_minute`` requests a minute (bursts up to as many).

    0 if the request is allowed, else the seconds until one will be.
    """
    interval = timedelta(microseconds=round(60_000_000 / per_minute))
    burst = interval * (per_minute - 1)  # how far ahead of now ``full_at`` may be
    row = await conn.fetchrow(
        """
        INSERT INTO request_allowances AS a (user_id, full_at)
        VALUES ($1, statement_timestamp() + $2)
        ON CONFLICT (user_id) DO UPDATE SET
            refused = a.full_at > statement_timestamp() + $3,
            full_at = CASE WHEN a.full_at > statement_timestamp() + $3 THEN a.full_at
                           ELSE GREATEST(a.full_at, statement_timestamp()) + $2 END
        RETURNING refused,
                  extract(epoch FROM full_at - $3 - statement_timestamp())::float8 AS wait
        """,
        user_id,
        interval,
        burst,
    )
    assert row is not None  # an upsert always returns its row
    return max(float(row["wait"]), 0.0) if row["refused"] else 0.0


async def spend_or_refuse(conn: Queryable, user_id: uuid.UUID, per_minute: int) -> None:
    """``spend_request``, refused with ``TooManyRequests`` (and when to retry) past the rate."""
    wait = await spend_request(conn, user_id, per_minute)
    if wait > 0:
        raise TooManyRequests(
            "Too many requests: slow down and try again shortly",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )


async def open_stream(
    conn: Queryable,
    stream_id: uuid.UUID,
    user_id: uuid.UUID,
    process_id: uuid.UUID,
    cap: int,
    lease_seconds: float,
) -> int | None:
    """Count a new stream of the user's, served by ``process_id``, unless the user has
    ``cap`` open already: None if counted, else how many are open.

    Exact across processes (sql/009 ``open_event_stream``: the count and the insert
    under a per-user lock).  Called outside a transaction, so the lock ends with it.
    """
    count: int | None = await conn.fetchval(
        "SELECT open_event_stream($1, $2, $3, $4, make_interval(secs => $5))",
        stream_id,
        user_id,
        process_id,
        cap,
        lease_seconds,
    )
    return count


async def close_streams(conn: Queryable, stream_ids: Collection[uuid.UUID]) -> None:
    await conn.execute("DELETE FROM event_streams WHERE id = ANY($1::uuid[])", list(stream_ids))


async def beat_process(
    conn: Queryable, process_id: uuid.UUID, streams: Mapping[uuid.UUID, uuid.UUID]
) -> None:
    """Prove the process alive, and count again any of its open ``streams`` (id: user)
    whose row is gone (another process took it for dead while it could not beat)."""
    await conn.execute(
        """
        INSERT INTO service_processes (id, heartbeat_at) VALUES ($1, now())
        ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()
        """,
        process_id,
    )
    if not streams:
        return
    await conn.execute(
        """
        INSERT INTO event_streams (id, user_id, process_id)
        SELECT s.id, s.user_id, $1
        FROM unnest($2::uuid[], $3::uuid[]) AS s (id, user_id)
        JOIN users u ON u.id = s.user_id
        ON CONFLICT (id) DO NOTHING
        """,
        process_id,
        list(streams),
        list(streams.values()),
    )


async def forget_dead_processes(conn: Queryable, lease_seconds: float) -> None:
    """Delete processes whose heartbeat is older than the lease, and their streams."""
    await conn.execute(
        "DELETE FROM service_processes WHERE heartbeat_at < now() - make_interval(secs => $1)",
        lease_seconds,
    )


async def forget_process(conn: Queryable, process_id: uuid.UUID) -> None:
    """A process that stops: it and its streams are gone at once."""
    await conn.execute("DELETE FROM service_processes WHERE id = $1", process_id)
