"""The docsgen command: serve, migrate, users, generate, mcp.

Exit codes: 0 done; 1 the work failed (the reason on stderr, for ``generate``
the contract's run failure message); 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import asyncpg
from aiohttp import web

from docsgen import __version__
from docsgen.cli_progress_bar import display_for
from docsgen.datadir import with_secret_key
from docsgen.db import accounts
from docsgen.db.migrations import apply_migrations
from docsgen.errors import AlreadyExists, DocsgenError, GenerationError, InvalidInput
from docsgen.generator.pipeline import GeneratedDocs
from docsgen.jobs.lifecycle import failure_message
from docsgen.listen import bind, bound_port
from docsgen.oneshot import docs_json, docs_title, generate_once
from docsgen.ops.logs import configure_logging
from docsgen.publish.folder import check_folder, write_folder
from docsgen.publish.markdown_dir import markdown_files
from docsgen.publish.site import Site, site_files
from docsgen.render import page_html
from docsgen.settings import Settings, SettingsError, load_settings
from docsgen.sources.factory import Origin

log = logging.getLogger("docsgen")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_GITHUB_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


class UsageError(Exception):
    """The command line is wrong (exit 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="docsgen",
        description="Generate documentation grounded in the code of repositories: "
        "run the service, manage its users, or generate once.",
    )
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
    link = users.add_parser(
        "signin-link", help="print a new one-time sign-in link for the page (serve may be running)"
    )
    link.add_argument("login")
    gen = sub.add_parser(
        "generate",
        help="generate documentation once, without server or database",
        description="Generate documentation for SOURCE once and write it to --out or "
        "stdout: one Markdown file, a folder of Markdown pages (--out DIR/), a static "
        "HTML site (--format html --out DIR), or JSON. Exit codes: 0 done, 1 generation "
        "failed (the reason on stderr), 2 usage error.",
    )
    gen.add_argument("source", metavar="SOURCE", help="a local git checkout, or owner/name")
    gen.add_argument(
        "--out",
        metavar="PATH",
        help="markdown: a file, or a folder (existing, or ending in /) that receives one "
        "file per page plus index.md; html: the folder of the site; json: a file, or a "
        "folder that receives index.json",
    )
    gen.add_argument("--format", choices=("markdown", "html", "json"), default="markdown")
    _add_mcp_parser(sub)
    return parser


# --- mcp: the documentation as tools for a coding assistant, over stdio ------------


def _add_mcp_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mcp = sub.add_parser(
        "mcp",
        help="serve a user's documentation as MCP tools over stdin/stdout",
        description="Answer a coding assistant's MCP requests on stdin/stdout, acting for "
        "the user named by --user or by the API token in DOCSGEN_API_TOKEN, with the "
        "database the other commands use.",
    )
    mcp.add_argument("--user", metavar="LOGIN", help="act for this user (else: the token's)")


def _mcp(settings: Settings, login: str | None) -> None:
    from docsgen.mcp.stdio import TOKEN_VARIABLE, serve_stdio

    token = os.environ.get(TOKEN_VARIABLE, "").strip() or None
    if login is None and token is None:
        raise UsageError(f"docsgen mcp needs --user LOGIN or an API token in {TOKEN_VARIABLE}")
    settings = with_secret_key(settings)
    with database(settings) as dsn:
        asyncio.run(serve_stdio(settings, dsn, login=login, token=token))


# --- the database: DATABASE_URL, or the embedded one in the data folder ------------


@contextlib.contextmanager
def database(settings: Settings) -> Iterator[str]:
    """The database URL to use, attaching to (or starting) the embedded server if needed.

    The embedded server is released on exit; the last process using it stops it.
    """
    if settings.database_url is not None:
        yield settings.database_url
        return
    from docsgen.embedded import EmbeddedPostgres  # POSIX only: imported when needed

    with EmbeddedPostgres(settings.data_dir) as url:
        yield url


async def _migrate(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        applied = await apply_migrations(conn)
    finally:
        await conn.close()
    print(f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else ""))


async def _users(dsn: str, settings: Settings, action: str, login: str) -> None:
    from docsgen.api.routes.sessions import ADMIN_LOGIN, ensure_admin, signin_line

    conn = await asyncpg.connect(dsn)
    try:
        await apply_migrations(conn)
        if action == "create":
            try:
                user = await accounts.create_user(conn, login)
            except AlreadyExists as exc:
                raise AlreadyExists(
                    f"{exc.message}; print another API token for it with "
                    f"`{settings.command} users token {login}`"
                ) from None
            print(f"created user {user.login}; API token:", file=sys.stderr)
        elif login == ADMIN_LOGIN:  # the page's own user, there once the service has started
            user = await ensure_admin(conn)
        else:
            user = await accounts.find_user(conn, login)
        if action == "signin-link":
            print(await signin_line(conn, settings, user))
        else:
            print(await accounts.issue_token(conn, user))
    finally:
        await conn.close()


def _serve(settings: Settings) -> None:
    from docsgen.api.app import create_app
    from docsgen.api.routes.sessions import ADMIN_LOGIN, print_signin_link

    settings = with_secret_key(settings)
    sockets = bind(settings.host, settings.port)  # a taken port stops here, before any link
    settings = dataclasses.replace(settings, port=bound_port(sockets))
    with database(settings) as dsn:
        app = create_app(settings, database_url=dsn)
        print_signin_link(app)
        where = "DATABASE_URL" if settings.database_url else f"embedded in {settings.data_dir}"

        def announce(_: str) -> None:
            print(
                f"docsgen {__version__} listening on http://{settings.host}:{settings.port}",
                flush=True,
            )
            print(f"database: {where}", flush=True)
            print(
                "The sign-in link works once; for another: "
                f"{settings.command} users signin-link {ADMIN_LOGIN}",
                flush=True,
            )

        web.run_app(
            app,
            sock=sockets,
            print=announce,
            access_log=None,  # one line per request comes from docsgen.ops.requests
            shutdown_timeout=settings.shutdown_grace_seconds,
        )


# --- generate -------------------------------------------------------------------------


def parse_source(raw: str) -> Origin:
    """A folder (that exists, or is written as a path) or ``owner/name``."""
    path = Path(raw).expanduser()
    if path.exists() or raw.startswith(("/", ".", "~")):
        if not path.exists():
            raise UsageError(f"SOURCE {raw} does not exist")
        if not path.is_dir():
            raise UsageError(f"SOURCE {raw} is not a folder")
        folder = path.resolve()
        return Origin("local", folder.name, folder)
    name = raw.strip().removesuffix(".git")
    if _GITHUB_NAME.match(name):
        return Origin("github", name)
    raise UsageError(f"SOURCE must be an existing folder or a GitHub owner/name, got {raw!r}")


@dataclasses.dataclass(frozen=True)
class Output:
    """Where ``generate`` writes: stdout (``path`` None), one file, or a folder."""

    fmt: str
    path: Path | None = None
    folder: bool = False


def output_for(out: str | None, fmt: str) -> Output:
    """The output ``--out`` and ``--format`` name, checked before any work is done."""
    if out is None:
        if fmt == "html":
            raise UsageError("--format html writes a site into a folder: add --out DIR")
        return Output(fmt)
    path = Path(out).expanduser()
    as_folder = path.is_dir() or out.endswith(("/", os.sep))
    if fmt == "json":
        return Output(fmt, path / "index.json" if as_folder else _file(out, path))
    if fmt == "html" or as_folder:
        if path.exists() and not path.is_dir():
            raise UsageError(f"--out {out} is a file; --format {fmt} writes a folder there")
        try:
            check_folder(path, ["index.html" if fmt == "html" else "index.md"])
        except InvalidInput as exc:
            raise UsageError(exc.message) from None
        return Output(fmt, path, folder=True)
    return Output(fmt, _file(out, path))


def _file(out: str, path: Path) -> Path:
    if not path.parent.is_dir():
        raise UsageError(f"--out {out}: folder {path.parent} does not exist")
    return path


def _write(path: Path | None, text: str) -> None:
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.partial")
    draft.write_text(text, encoding="utf-8")
    draft.replace(path)  # the old file stays whole until the new one is complete


def _save(output: Output, origin: Origin, docs: GeneratedDocs) -> None:
    """Write the generated docs where ``output`` says, in its format."""
    if output.fmt == "json":
        _write(output.path, docs_json(origin, docs))
    elif not output.folder:
        _write(output.path, docs.content)
    else:
        assert output.path is not None
        title = docs_title(origin)
        if output.fmt == "html":
            site = Site(title, docs.commit_sha, docs.pages)
            from docsgen.api.routes.pages import mermaid_library  # the vendored web files

            write_folder(output.path, site_files(site, page_html, mermaid_library()))
        else:
            write_folder(output.path, markdown_files(title, docs.pages))


def _generate(settings: Settings, source: str, out: str | None, fmt: str) -> int:
    origin = parse_source(source)
    output = output_for(out, fmt)

    async def save(docs: GeneratedDocs) -> None:
        _save(output, origin, docs)

    display = display_for(sys.stderr)
    try:
        with display:
            asyncio.run(generate_once(origin, settings, display, save))
    except GenerationError as exc:
        print(f"docsgen: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    except InvalidInput as exc:  # the folder changed while the docs were generated
        print(f"docsgen: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    except Exception:  # a run's catch-all, as in the service (CONTRACT §6)
        log.exception("generation failed")  # the details, on stderr above the message
        reason = "an internal error occurred (the details are above)"
        message = failure_message(display.step or "Initializing...", reason)
        print(f"docsgen: {message}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        quiet = args.command == "generate"  # stderr belongs to the progress display
        configure_logging(
            json_lines=settings.log_json, level=logging.WARNING if quiet else logging.INFO
        )
        if args.command == "serve":
            _serve(settings)
        elif args.command == "migrate":
            with database(settings) as dsn:
                asyncio.run(_migrate(dsn))
        elif args.command == "users":
            with database(settings) as dsn:
                asyncio.run(_users(dsn, settings, args.action, args.login))
        elif args.command == "generate":
            return _generate(settings, args.source, args.out, args.format)
        elif args.command == "mcp":
            _mcp(settings, args.user)
    except (SettingsError, UsageError) as exc:
        kind = "usage" if isinstance(exc, UsageError) else "configuration error"
        print(f"docsgen: {kind}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DocsgenError as exc:
        print(f"docsgen: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    except (OSError, asyncpg.PostgresError) as exc:
        what = "cannot serve" if args.command == "serve" else "database error"
        print(f"docsgen: {what}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    return EXIT_OK
