"""A real PostgreSQL for tests: a migrated template database per session, a copy per test.

The server is the one at ``DOCSGEN_TEST_DATABASE_URL`` (or ``DATABASE_URL``,
or 127.0.0.1:5432).  When none was configured and nothing answers there, the
session starts the embedded PostgreSQL (the one ``docsgen serve`` uses) in a
temporary folder, so the suite runs on a machine with no PostgreSQL at all.
``DOCSGEN_TEST_EMBEDDED`` tunes that: ``1`` also falls back when a configured
server does not answer, ``0`` never falls back.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import asyncpg

from docsgen.db.migrations import apply_migrations
from docsgen.embedded import EmbeddedPostgres

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    """The server tests create their databases on."""
    return (
        os.environ.get("DOCSGEN_TEST_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or DEFAULT_ADMIN_URL
    )


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether something accepts TCP connections where ``url`` points."""
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def admin_server(scratch: Path) -> Iterator[str]:
    """The admin URL for the session; starts the embedded server in ``scratch`` if needed."""
    configured = os.environ.get("DOCSGEN_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    url = admin_url()
    policy = os.environ.get("DOCSGEN_TEST_EMBEDDED", "auto")
    fallback = policy == "1" or (policy == "auto" and configured is None)
    if not fallback or answers(url):
        yield url
        return
    with EmbeddedPostgres(scratch, durable=False) as embedded:
        yield with_database(embedded, "postgres")


def with_database(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/" + name))


def unique_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"


async def create_template(admin: str) -> str:
    name = unique_name("docsgen_tpl")
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    conn = await asyncpg.connect(with_database(admin, name))
    try:
        await apply_migrations(conn)
    finally:
        await conn.close()
    return name


async def create_from_template(admin: str, template: str) -> str:
    name = unique_name("docsgen_t")
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await conn.close()
    return name


async def drop(admin: str, name: str) -> None:
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
