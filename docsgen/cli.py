"""The ``docsgen`` command: serve, migrate, users."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

import asyncpg
from aiohttp import web

from docsgen import __version__
from docsgen.db import accounts
from docsgen.db.migrations import apply_migrations
from docsgen.errors import DocsgenError
from docsgen.settings import Settings, SettingsError, load_settings

log = logging.getLogger("docsgen")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="docsgen", description=__doc__)
    parser.add_argument("--version", action="version", version=f"docsgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the service (applies migrations first)")
    sub.add_parser("migrate", help="apply database migrations and exit")
    users = sub.add_parser("users", help="manage users").add_subparsers(
        dest="action", required=True
    )
    create = users.add_parser("create", help="create a user and print a new API token")
    create.add_argument("login")
    token = users.add_parser("token", help="print another API token for a user")
    token.add_argument("login")
    return parser


def _database_url(settings: Settings) -> str:
    if settings.database_url is None:
        raise SettingsError("DATABASE_URL is not set: point it at a PostgreSQL database")
    return settings.database_url


async def _migrate(settings: Settings) -> None:
    conn = await asyncpg.connect(_database_url(settings))
    try:
        applied = await apply_migrations(conn)
    finally:
        await conn.close()
    print(f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else ""))


async def _users(settings: Settings, action: str, login: str) -> None:
    conn = await asyncpg.connect(_database_url(settings))
    try:
        await apply_migrations(conn)
        if action == "create":
            user = await accounts.create_user(conn, login)
            print(f"created user {user.login}; API token:", file=sys.stderr)
        else:
            user = await accounts.find_user(conn, login)
        print(await accounts.issue_token(conn, user))
    finally:
        await conn.close()


def _serve(settings: Settings) -> None:
    from docsgen.api.app import create_app
    from docsgen.api.sessions import print_signin_link

    app = create_app(settings, database_url=_database_url(settings))
    print_signin_link(app)
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        print=lambda _: print(
            f"docsgen {__version__} listening on http://{settings.host}:{settings.port}", flush=True
        ),
        shutdown_timeout=settings.shutdown_grace_seconds,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = load_settings()
        if args.command == "serve":
            _serve(settings)
        elif args.command == "migrate":
            asyncio.run(_migrate(settings))
        elif args.command == "users":
            asyncio.run(_users(settings, args.action, args.login))
    except SettingsError as exc:
        print(f"docsgen: configuration error: {exc}", file=sys.stderr)
        return 2
    except DocsgenError as exc:
        print(f"docsgen: {exc.message}", file=sys.stderr)
        return 1
    return 0
