"""GitHub webhook deliveries already handled: every SQL statement about them.

A delivery id is recorded before the delivery is acted on, so a redelivery
(GitHub's "Redeliver", or a retry after a timeout) finds it and does nothing;
a delivery whose handling failed is forgotten again and can be redelivered.
"""

from __future__ import annotations

from docsgen.db import Queryable

# GitHub redelivers on request for a few days; ids older than this are forgotten.
KEEP_DAYS = 30


async def record_delivery(conn: Queryable, delivery_id: str, event: str) -> bool:
    """Record a delivery; False if it was recorded before (a redelivery)."""
    inserted: str | None = await conn.fetchval(
        """
        INSERT INTO github_webhook_deliveries (delivery_id, event) VALUES ($1, $2)
        ON CONFLICT (delivery_id) DO NOTHING
        RETURNING delivery_id
        """,
        delivery_id,
        event,
    )
    return inserted is not None


async def forget_delivery(conn: Queryable, delivery_id: str) -> None:
    """Undo ``record_delivery``: handling failed, a redelivery must act."""
    await conn.execute("DELETE FROM github_webhook_deliveries WHERE delivery_id = $1", delivery_id)


async def forget_old_deliveries(conn: Queryable) -> None:
    await conn.execute(
        "DELETE FROM github_webhook_deliveries "
        "WHERE received_at < now() - make_interval(days => $1)",
        KEEP_DAYS,
    )
