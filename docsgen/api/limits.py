"""Per-user limits that hold across processes: the rate of state-changing API requests
and the number of open event streams.

Both are counted in PostgreSQL (``docsgen.db.limits``), not in each process, so
that a user behind a load balancer over N processes gets each allowance once,
not N times.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import uuid
from collections.abc import AsyncIterator

import asyncpg
from aiohttp import web
from aiohttp.typedefs import Handler

from docsgen.api.auth import authenticate
from docsgen.api.keys import POOL, SETTINGS
from docsgen.db import DATABASE_ERRORS, limits
from docsgen.errors import Forbidden, TooManyRequests, Unauthorized
from docsgen.settings import Settings

log = logging.getLogger(__name__)

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@web.middleware
async def rate_limit_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """``DOCSGEN_STATE_CHANGES_PER_MINUTE`` state-changing ``/api/`` requests a minute per
    user, with bursts up to as many; 429 with ``Retry-After`` past it."""
    if request.method in STATE_CHANGING and request.path.startswith("/api/"):
        try:
            user = await authenticate(request)
        except (Unauthorized, Forbidden):
            # The handler answers 401 (or 403: a cookie without its CSRF token) itself,
            # or needs no caller at all (sign-in, CSP reports).
            return await handler(request)
        per_minute = request.app[SETTINGS].state_changes_per_minute
        await limits.spend_or_refuse(request.app[POOL], user.id, per_minute)
    return await handler(request)


class StreamSlots:
    """This process's open event streams, counted per user with every process's
    (``DOCSGEN_MAX_STREAMS_PER_USER``).

    The process's heartbeat (every heartbeat interval) keeps its streams counting;
    if the process dies they stop counting one lease later and any process deletes
    them.  A stream whose row could not be deleted as it closed (the database was
    away) is deleted at a later heartbeat.
    """

    def __init__(self, pool: asyncpg.Pool, settings: Settings) -> None:
        self.pool = pool
        self.settings = settings
        self.process_id = uuid.uuid4()
        self._open: dict[uuid.UUID, uuid.UUID] = {}  # stream id: user id
        self._unclosed: set[uuid.UUID] = set()
        self._beating: asyncio.Task[None] | None = None
        self._stopping = False

    async def start(self) -> None:
        await limits.beat_process(self.pool, self.process_id, {})
        self._beating = asyncio.create_task(self._beat_forever(), name="docsgen-stream-slots")

    def stopping(self) -> None:
        """The process is shutting down: its streams' rows go all at once in ``stop``,
        so that hundreds of streams ending together do not queue for the database."""
        self._stopping = True

    async def stop(self) -> None:
        if self._beating is not None:
            self._beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._beating
        with contextlib.suppress(*DATABASE_ERRORS):  # then its streams stop counting in a lease
            await limits.forget_process(self.pool, self.process_id)

    @contextlib.asynccontextmanager
    async def hold(self, user_id: uuid.UUID) -> AsyncIterator[None]:
        """A slot for one stream of the user's for the ``async with`` block; 429 if none."""
        settings = self.settings
        stream_id = uuid.uuid4()
        count = await limits.open_stream(
            self.pool,
            stream_id,
            user_id,
            self.process_id,
            settings.max_streams_per_user,
            settings.lease_seconds,
        )
        if count is not None:
            raise TooManyRequests(
                f"You already have {count} progress streams open (the limit is "
                f"{settings.max_streams_per_user}); close one, or poll the status instead",
                # A stream's slot frees at the latest one keep-alive after its client left.
                headers={"Retry-After": str(math.ceil(settings.sse_keepalive_seconds))},
            )
        self._open[stream_id] = user_id
        try:
            yield
        finally:
            del self._open[stream_id]
            if not self._stopping:
                await self._close({stream_id})

    async def _close(self, stream_ids: set[uuid.UUID]) -> None:
        try:
            await asyncio.shield(limits.close_streams(self.pool, stream_ids))
        except DATABASE_ERRORS as exc:
            log.warning("could not uncount %d closed stream(s) yet: %s", len(stream_ids), exc)
            self._unclosed |= stream_ids
        else:
            self._unclosed -= stream_ids

    async def _beat_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.heartbeat_seconds)
            try:
                opened = dict(self._open)
                await limits.beat_process(self.pool, self.process_id, opened)
                # Streams that closed while the beat counted them again, and any whose
                # row the close could not delete.
                closed = (opened.keys() - self._open.keys()) | self._unclosed
                if closed:
                    await self._close(closed)
                await limits.forget_dead_processes(self.pool, self.settings.lease_seconds)
            except DATABASE_ERRORS as exc:
                log.warning("stream slots: could not reach the database: %s", exc)


STREAM_SLOTS = web.AppKey("stream_slots", StreamSlots)
