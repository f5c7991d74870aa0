"""Per-user limits that hold across processes (sql/009): every SQL statement about them.

The request rate is a generic cell rate algorithm, the token bucket written as
one time per user, ``full_at``: when the user's allowance is whole again.  Each
request moves it one request's worth of time later; a request that would put it
more than the burst ahead of now is refused and moves nothing.  One statement
decides and records, under the row's lock, so any number of processes count
exactly as one.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from docsgen.db import Queryable


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
