"""A real PostgreSQL for tests: a migrated template database per session, a copy per test."""

from __future__ import annotations

import os
import secrets
from urllib.parse import urlparse, urlunparse

import asyncpg

from docsgen.db.migrations import apply_migrations

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    """The server tests create their databases on."""
    return (
        os.environ.get("DOCSGEN_TEST_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or DEFAULT_ADMIN_URL
    )


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
