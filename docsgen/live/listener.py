"""One dedicated LISTEN connection per process, outside the pool, that heals itself.

asyncpg has no TCP keep-alive, so a connection can die silently.  The listener
notices a loss two ways: asyncpg's termination callback (the server closed
it, e.g. ``pg_terminate_backend``), and a periodic ``SELECT 1`` that must
answer within the check interval (a half-open connection, a frozen server).
It then reconnects with capped exponential backoff.  Whoever uses it is told
when it goes down (poll instead) and when it is back (re-read what you watch:
notifications sent while it was down are lost for good).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable

import asyncpg

log = logging.getLogger(__name__)

# The channel sql/005_live_notify.sql notifies on.
CHANNEL = "generated_docs"

_CONNECT_ERRORS = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


class Listener:
    """LISTEN on ``channel`` for as long as :meth:`run` runs."""

    def __init__(
        self,
        dsn: str,
        *,
        on_notify: Callable[[str], None],
        on_up: Callable[[], None],
        on_down: Callable[[], None],
        check_seconds: float,
        max_backoff_seconds: float,
        channel: str = CHANNEL,
    ) -> None:
        self._dsn = dsn
        self._channel = channel
        self._on_notify = on_notify
        self._on_up = on_up
        self._on_down = on_down
        self._check_seconds = check_seconds
        self._max_backoff = max_backoff_seconds
        self._changed = asyncio.Event()
        # How many times the connection has come up; tests and health checks
        # wait for it to pass a value they saw.
        self.generation = 0
        self.connected = False
        # The server process of the current connection (None while down).
        self.backend_pid: int | None = None

    async def wait_up(self, after_generation: int = 0) -> int:
        """Wait until the listener is connected with a generation above the given one."""
        while not (self.connected and self.generation > after_generation):
            self._changed.clear()
            await self._changed.wait()
        return self.generation

    async def wait_down(self) -> None:
        """Wait until the listener has noticed that its connection is gone."""
        while self.connected:
            self._changed.clear()
            await self._changed.wait()

    async def run(self) -> None:
        """Listen until cancelled, reconnecting after every loss."""
        backoff = min(0.1, self._max_backoff)
        while True:
            conn = await self._connect()
            if conn is None:
                await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
                backoff = min(backoff * 2, self._max_backoff)
                continue
            backoff = min(0.1, self._max_backoff)
            try:
                await self._serve(conn)
            finally:
                self._set_state(connected=False)
                self._on_down()
                conn.terminate()

    async def _connect(self) -> asyncpg.Connection | None:
        conn: asyncpg.Connection | None = None
        try:
            conn = await asyncpg.connect(self._dsn, timeout=max(self._check_seconds, 1.0))
            await conn.add_listener(self._channel, self._notified)
            return conn
        except _CONNECT_ERRORS as exc:
            log.warning("live listener cannot connect to the database: %s", exc)
            if conn is not None:
                conn.terminate()
            return None

    async def _serve(self, conn: asyncpg.Connection) -> None:
        """Return when the connection is lost (termination callback or failed check)."""
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        self.backend_pid = conn.get_server_pid()
        self.generation += 1
        self._set_state(connected=True)
        self._on_up()
        log.info("live listener connected (backend %s)", self.backend_pid)
        while not lost.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), self._check_seconds)
            if lost.is_set() or conn.is_closed():
                log.warning("live listener lost its connection; reconnecting")
                return
            try:
                await conn.fetchval("SELECT 1", timeout=self._check_seconds)
            except _CONNECT_ERRORS as exc:
                log.warning("live listener failed its liveness check (%r); reconnecting", exc)
                return

    def _notified(
        self,
        _conn: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy,
        _pid: int,
        _channel: str,
        payload: object,
    ) -> None:  # asyncpg's listener signature
        self._on_notify(str(payload))

    def _set_state(self, *, connected: bool) -> None:
        self.connected = connected
        if not connected:
            self.backend_pid = None
        self._changed.set()
