"""Fan-out of row changes to this process's subscribers.

Per process and per repository there is ONE row read per notification,
however many subscribers watch it; every subscriber gets the same
:class:`~docsgen.live.sse.Progress` objects in the same order.  Reads are done
by one reader task, so a repository's states are delivered in version order;
notifications that arrive while a read of the same repository is pending are
served by that read (the row is read once, after the latest change).

While the listener is down, watched rows are polled every poll interval; when
it is back, every watched row is read again, so no subscriber misses a state
that outlives a poll interval, and none ever misses the final one.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import uuid
from collections.abc import Iterator

import asyncpg

from docsgen.db import jobs
from docsgen.errors import ServiceUnavailable
from docsgen.live.listener import Listener
from docsgen.live.sse import Progress
from docsgen.settings import Settings

log = logging.getLogger(__name__)

_READ_ERRORS = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


class Subscription:
    """One subscriber's queue of states; wait on it with :meth:`get`.

    There is no timer per subscriber: the hub's keep-alive ticker wakes a
    subscription that has been quiet for the keep-alive interval.
    """

    __slots__ = ("_keepalive_due", "_pending", "_topic", "_waiter", "closed", "quiet_since")

    def __init__(self, topic: _Topic) -> None:
        self._topic = topic
        self._pending: collections.deque[Progress] = collections.deque()
        self._waiter: asyncio.Future[None] | None = None
        self._keepalive_due = False
        self.closed = False
        # Loop time of the subscriber's last write; the ticker reads it.
        self.quiet_since = asyncio.get_running_loop().time()

    @property
    def repository_id(self) -> uuid.UUID:
        return self._topic.repository_id

    async def first(self, wait_seconds: float) -> Progress | None:
        """The first state, or None if the row could not be read within ``wait_seconds``."""
        try:
            async with asyncio.timeout(wait_seconds):
                while not self._pending and not self.closed:
                    await self._wait()
        except TimeoutError:
            pass
        self._keepalive_due = False  # the first state is about to be written
        return self._pending.popleft() if self._pending else None

    async def get(self) -> Progress | None:
        """The next state; None when a keep-alive is due or the subscription is closed."""
        while not self._pending and not self.closed and not self._keepalive_due:
            await self._wait()
        self._keepalive_due = False
        return self._pending.popleft() if self._pending else None

    def sent(self, now: float) -> None:
        """Record a write to the subscriber (it resets the keep-alive clock)."""
        self.quiet_since = now

    async def _wait(self) -> None:
        waiter = self._waiter = asyncio.get_running_loop().create_future()
        try:
            await waiter
        finally:
            self._waiter = None

    def _push(self, progress: Progress) -> None:
        self._pending.append(progress)
        self._wake()

    def _keepalive(self) -> None:
        self._keepalive_due = True
        self._wake()

    def _close(self) -> None:
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class _Topic:
    """A watched repository: its subscribers, its last state read, and counters."""

    __slots__ = ("current", "notifications", "reads", "repository_id", "subscribers")

    def __init__(self, repository_id: uuid.UUID) -> None:
        self.repository_id = repository_id
        self.subscribers: set[Subscription] = set()
        self.current: Progress | None = None
        self.notifications = 0
        self.reads = 0

    def offer(self, status: jobs.DocsStatus) -> None:
        """Deliver a state read from the row if it is newer than the last one."""
        if self.current is not None and status.version <= self.current.version:
            return
        self.current = Progress.of(status)
        for subscriber in self.subscribers:
            subscriber._push(self.current)


class Hub:
    """The per-process fan-out; opened by the app factory, closed at shutdown."""

    def __init__(self, pool: asyncpg.Pool, dsn: str, settings: Settings) -> None:
        self._pool = pool
        self._settings = settings
        self._topics: dict[uuid.UUID, _Topic] = {}
        self._dirty: set[uuid.UUID] = set()
        self._work = asyncio.Event()
        self._down = asyncio.Event()
        self._down.set()  # until the listener first connects
        self._tasks: list[asyncio.Task[None]] = []
        self._unwatched = asyncio.Event()
        self.closing = False
        self.listener = Listener(
            dsn,
            on_notify=self._notified,
            on_up=self._listener_up,
            on_down=self._listener_down,
            check_seconds=settings.listener_check_seconds,
            max_backoff_seconds=settings.poll_interval_seconds,
        )

    async def start(self, connect_timeout: float = 10.0) -> None:
        """Start listening, reading and polling; wait (bounded) for the first LISTEN."""
        self._tasks = [
            asyncio.create_task(self.listener.run(), name="docsgen-live-listener"),
            asyncio.create_task(self._read_forever(), name="docsgen-live-reader"),
            asyncio.create_task(self._poll_while_down(), name="docsgen-live-poller"),
            asyncio.create_task(self._keepalive_forever(), name="docsgen-live-keepalive"),
        ]
        try:
            await asyncio.wait_for(self.listener.wait_up(), connect_timeout)
        except TimeoutError:
            log.warning("live listener not connected yet; watched rows are polled meanwhile")

    def close_subscriptions(self) -> None:
        """End every subscription now (shutdown); new subscribers are refused."""
        self.closing = True
        for topic in self._topics.values():
            for subscriber in topic.subscribers:
                subscriber._close()

    async def stop(self) -> None:
        self.close_subscriptions()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    @contextlib.contextmanager
    def subscribe(self, repository_id: uuid.UUID) -> Iterator[Subscription]:
        """Watch a repository for the ``with`` block; the first state comes at once or soon.

        A subscriber of a repository already watched gets the state last read
        (kept current by notifications) without a read of its own.
        """
        if self.closing:
            raise ServiceUnavailable("The service is shutting down; try again in a moment")
        topic = self._topics.get(repository_id)
        if topic is None:
            topic = self._topics[repository_id] = _Topic(repository_id)
            self._mark(repository_id)
        subscription = Subscription(topic)
        topic.subscribers.add(subscription)
        if topic.current is not None:
            subscription._push(topic.current)
            if self._down.is_set():
                self._mark(repository_id)  # no notifications now: look again
        try:
            yield subscription
        finally:
            topic.subscribers.discard(subscription)
            if not topic.subscribers and self._topics.get(repository_id) is topic:
                del self._topics[repository_id]
                self._unwatched.set()

    async def wait_unwatched(self, repository_id: uuid.UUID) -> None:
        """Wait until no subscriber of this process watches the repository."""
        while repository_id in self._topics:
            self._unwatched.clear()
            await self._unwatched.wait()

    def counters(self, repository_id: uuid.UUID) -> tuple[int, int]:
        """(notifications received, row reads done) for a watched repository."""
        topic = self._topics[repository_id]
        return topic.notifications, topic.reads

    @property
    def subscriber_count(self) -> int:
        return sum(len(t.subscribers) for t in self._topics.values())

    # --- the listener's callbacks ---------------------------------------------

    def _notified(self, payload: str) -> None:
        try:
            repository_id = uuid.UUID(payload)
        except ValueError:
            log.warning("ignoring a notification that is not a repository id: %.80r", payload)
            return
        topic = self._topics.get(repository_id)
        if topic is not None:
            topic.notifications += 1
            self._mark(repository_id)

    def _listener_up(self) -> None:
        self._down.clear()
        for repository_id in self._topics:
            self._mark(repository_id)  # notifications sent while down are lost

    def _listener_down(self) -> None:
        if not self.closing:
            self._down.set()

    # --- reading rows ---------------------------------------------------------

    def _mark(self, repository_id: uuid.UUID) -> None:
        self._dirty.add(repository_id)
        self._work.set()

    async def _read_forever(self) -> None:
        """Read every marked repository's row once, in one statement, and deliver."""
        while True:
            await self._work.wait()
            self._work.clear()
            wanted = [rid for rid in self._dirty if rid in self._topics]
            self._dirty.clear()
            if not wanted:
                continue
            try:
                statuses = await jobs.read_statuses(
                    self._pool, wanted, self._settings.lease_seconds
                )
            except Exception as exc:
                # Keep the marks and try again shortly: a reader that gave up
                # would silently freeze every stream of this process.
                if isinstance(exc, _READ_ERRORS):
                    log.warning("live hub could not read %d row(s): %s", len(wanted), exc)
                else:
                    log.exception("live hub failed to read %d row(s)", len(wanted))
                self._dirty.update(wanted)
                await asyncio.sleep(min(1.0, self._settings.poll_interval_seconds))
                self._work.set()
                continue
            for repository_id, status in statuses.items():
                topic = self._topics.get(repository_id)
                if topic is not None:
                    topic.reads += 1
                    topic.offer(status)

    async def _poll_while_down(self) -> None:
        """While the listener is down, read every watched row each poll interval."""
        while True:
            await self._down.wait()
            await asyncio.sleep(self._settings.poll_interval_seconds)
            if self._down.is_set():
                for repository_id in self._topics:
                    self._mark(repository_id)

    async def _keepalive_forever(self) -> None:
        """Wake subscribers that have been quiet for about the keep-alive interval.

        One ticker for all subscribers instead of a timer each; ticking four
        times per interval spreads the keep-alive writes of many subscribers.
        """
        interval = self._settings.sse_keepalive_seconds
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(interval / 4)
            due = loop.time() - interval * 3 / 4
            for topic in self._topics.values():
                for subscriber in topic.subscribers:
                    if subscriber.quiet_since <= due:
                        subscriber._keepalive()
