"""A TCP proxy in front of PostgreSQL that a test can take down, black-hole and restore.

``cut()`` is a server that went down: every open connection drops and new ones
are refused at once.  ``blackhole()`` is a host that vanished behind a
firewall: open connections drop and new ones are accepted and never answered.
``freeze()`` is a silent partition: open connections stay open but nothing
gets through either way, and new ones are never answered.  ``restore()`` lets
connections through again (a frozen one carries on where it stopped).  The database itself is never
touched.  Use ``proxy_for(database_url)`` and ``proxy.url(database_url)``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlparse, urlunparse

FORWARD, REFUSE, BLACKHOLE, FREEZE = "forward", "refuse", "blackhole", "freeze"


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode = FORWARD
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._flowing = asyncio.Event()
        self._flowing.set()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the proxy first"
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    def url(self, database_url: str) -> str:
        """``database_url`` (user, password, database) pointed at this proxy."""
        parts = urlparse(database_url)
        credentials, _, _ = parts.netloc.rpartition("@")
        host = f"127.0.0.1:{self.port}"
        return urlunparse(parts._replace(netloc=f"{credentials}@{host}" if credentials else host))

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut(self) -> None:
        """The database goes down: drop every connection, refuse new ones."""
        self._switch(REFUSE)

    def blackhole(self) -> None:
        """The database's host vanishes: drop every connection, new ones hang."""
        self._switch(BLACKHOLE)

    def freeze(self) -> None:
        """Nothing gets through, and no connection is closed."""
        self.mode = FREEZE
        self._flowing.clear()

    def restore(self) -> None:
        self.mode = FORWARD
        self._flowing.set()

    def _switch(self, mode: str) -> None:
        self.mode = mode
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == REFUSE:
            writer.transport.abort()
            return
        self._open.add(writer)
        try:
            if self.mode in (BLACKHOLE, FREEZE):
                while await reader.read(65536):
                    pass
                return
            up_reader, up_writer = await asyncio.open_connection(*self.target)
            self._open.add(up_writer)
            await asyncio.gather(
                _pipe(reader, up_writer, self._flowing), _pipe(up_reader, writer, self._flowing)
            )
        except OSError:
            pass  # a cut connection ends its pipes; an unreachable target ends this one
        finally:
            self._open.discard(writer)
            writer.transport.abort()


async def _pipe(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, flowing: asyncio.Event
) -> None:
    try:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                await flowing.wait()  # frozen: held, not lost
                writer.write(data)
                await writer.drain()
    finally:
        writer.transport.abort()


@contextlib.asynccontextmanager
async def proxy_for(database_url: str) -> AsyncIterator[TcpProxy]:
    """A started proxy in front of ``database_url``'s server, closed afterwards."""
    parts = urlparse(database_url)
    proxy = await TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432).start()
    try:
        yield proxy
    finally:
        await proxy.close()
