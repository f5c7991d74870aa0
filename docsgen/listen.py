"""The service's listening sockets, bound before ``serve`` starts anything else.

Binding first means a port that is taken stops ``serve`` at once, with a message
naming the setting that moves it, before a database is started or a sign-in
link is printed that no server of ours would answer.
"""

from __future__ import annotations

import errno
import socket

from docsgen.errors import CannotListen

BACKLOG = 128


def _addresses(host: str, port: int) -> list[tuple[int, tuple[object, ...]]]:
    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as exc:
        raise CannotListen(
            f"DOCSGEN_HOST {host!r} is not an address of this machine ({exc.strerror})"
        ) from None
    return list(dict.fromkeys((family, tuple(address)) for family, *_, address in infos))


def bind(host: str, port: int) -> list[socket.socket]:
    """Listening sockets for every address ``host`` resolves to, or ``CannotListen``."""
    bound: list[socket.socket] = []
    try:
        for family, address in _addresses(host, port):
            sock = socket.socket(family, socket.SOCK_STREAM)
            bound.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
            sock.listen(BACKLOG)
    except OSError as exc:
        for sock in bound:
            sock.close()
        where = f"{host or '*'}:{port}"
        if exc.errno == errno.EADDRINUSE:
            raise CannotListen(
                f"port {port} is already in use on {host or 'this machine'} (is docsgen already "
                "running?); set DOCSGEN_PORT to serve on another port"
            ) from None
        raise CannotListen(
            f"cannot listen on {where}: {exc.strerror}; set DOCSGEN_HOST and DOCSGEN_PORT "
            "to an address and port this machine lets docsgen use"
        ) from None
    return bound


def bound_port(sockets: list[socket.socket]) -> int:
    """The port actually bound (``DOCSGEN_PORT=0`` asks the system for a free one)."""
    port: int = sockets[0].getsockname()[1]
    return port
