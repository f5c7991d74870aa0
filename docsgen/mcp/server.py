"""The MCP server: docsgen's grounded documentation as tools for coding assistants.

One server, two front doors: ``docsgen mcp`` over stdio (``docsgen.mcp.stdio``)
and Streamable HTTP at ``/mcp`` on ``docsgen serve`` (``docsgen.mcp.http``).  The
tools never know which: they ask ``caller`` who is calling, and act for that user
on that user's repositories only.  A refusal (``DocsgenError``) is answered as a
tool error carrying its message, never as a crash.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, ParamSpec

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from docsgen import __version__
from docsgen.db import DATABASE_ERRORS, jobs
from docsgen.db.limits import spend_or_refuse
from docsgen.errors import DocsgenError, GenerationInProgress, InvalidInput
from docsgen.jobs.lifecycle import RunDeps, generate_for_caller
from docsgen.mcp import reading
from docsgen.mcp.lookup import find_repository
from docsgen.mcp.paging import paged
from docsgen.mcp.status import call, repositories_answer, started_answer, status_answer

log = logging.getLogger(__name__)

# Who is calling: the user id for this tool call (stdio: fixed; HTTP: from its token).
Caller = Callable[[Context], uuid.UUID]

INSTRUCTIONS = (
    "docsgen holds documentation generated from the code of the user's repositories. "
    "Every claim in it cites `path:line` in the repository (a link where the source has "
    "one), and a ⚠️ marks what the generator could not verify. Start with "
    "list_repositories, then search_docs or read_page; get_symbol explains one symbol. "
    "Long answers come in parts: the last line of a part names the call for the next."
)

Repository = Annotated[
    str, Field(description="The repository's name (as list_repositories shows it) or its id")
]
Page = Annotated[int, Field(ge=1, description="Which part of a long answer, from 1")]

P = ParamSpec("P")


def _tool_errors(fn: Callable[P, Awaitable[str]]) -> Callable[P, Awaitable[str]]:
    """Refusals become tool errors with their message (the model reads it and can act)."""

    @functools.wraps(fn)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> str:
        try:
            return await fn(*args, **kwargs)
        except GenerationInProgress as exc:
            raise ToolError(_in_progress(exc)) from exc
        except DocsgenError as exc:
            retry = exc.headers.get("Retry-After")
            suffix = f" (retry after {retry} s)" if retry else ""
            raise ToolError(exc.message + suffix) from exc
        except DATABASE_ERRORS as exc:
            log.warning("an MCP tool could not reach the database: %s", exc)
            raise ToolError("The documentation database is unreachable; try again shortly") from exc

    return wrapped


def _in_progress(exc: GenerationInProgress) -> str:
    """The 409 of ``POST /api/generate-docs``: its message, repository and status."""
    repository_id = exc.extra.get("repository_id")
    return (
        f"{exc.message} (repository `{repository_id}`, status {exc.extra.get('status')}): "
        f"wait for it to end; {call('get_status', repository=str(repository_id))} follows it."
    )


def build_server(deps: Callable[[], RunDeps], caller: Caller) -> MCPServer[Any]:
    """The server with every tool; ``deps`` gives the process's run dependencies (its
    database pool and settings among them) when a tool is called."""
    server: MCPServer[Any] = MCPServer(
        "docsgen", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING"
    )
    read_only = ToolAnnotations(read_only_hint=True, open_world_hint=False)

    async def list_repositories(ctx: Context, page: Page = 1) -> str:
        """The repositories you can read, with the state of their documentation."""
        d = deps()
        text = await repositories_answer(d.pool, caller(ctx), d.settings.lease_seconds)
        return paged(text, page, lambda n: call("list_repositories", page=n))

    async def get_status(repository: Repository, ctx: Context) -> str:
        """Where a repository's documentation run stands: status, progress, current step,
        error, and which commit the readable documentation describes."""
        d = deps()
        found = await find_repository(d.pool, caller(ctx), repository)
        status = await jobs.read_status(d.pool, found.id, d.settings.lease_seconds)
        return status_answer(found, status)

    async def generate_docs(
        repository: Repository,
        ctx: Context,
        force: Annotated[
            bool, Field(description="Regenerate even when the docs describe the current head")
        ] = False,
    ) -> str:
        """Start generating a repository's documentation (as POST /api/generate-docs):
        refused while a run of it is going, and past the per-user caps."""
        d = deps()
        user_id = caller(ctx)
        # Counted as every state-changing request of the HTTP API is, found or not.
        await spend_or_refuse(d.pool, user_id, d.settings.state_changes_per_minute)
        found = await find_repository(d.pool, user_id, repository)
        started = await generate_for_caller(d, user_id, found.id, force=force)
        return started_answer(started)

    async def search_docs(
        repository: Repository,
        query: Annotated[str, Field(description="Words, or a symbol's (qualified) name")],
        ctx: Context,
        page: Page = 1,
    ) -> str:
        """Search a repository's documentation: symbols (an exact name ranks first),
        pages and text, each with its page slug, anchor and citation."""
        if not query.strip():
            raise InvalidInput("query must not be empty: give words or a symbol's name")
        d = deps()
        found = await find_repository(d.pool, caller(ctx), repository)
        text = await reading.search_answer(d.pool, found, query)
        return paged(
            text, page, lambda n: call("search_docs", repository=repository, query=query, page=n)
        )

    async def read_page(
        repository: Repository,
        ctx: Context,
        slug: Annotated[
            str | None, Field(description="The page's slug; leave out for the table of contents")
        ] = None,
        page: Page = 1,
    ) -> str:
        """Read one page of a repository's documentation as Markdown with its citations;
        without a slug, the table of contents (every page's slug and title)."""
        d = deps()
        found = await find_repository(d.pool, caller(ctx), repository)
        if slug is None:
            text = await reading.contents_answer(d.pool, d.settings, found)
            return paged(text, page, lambda n: call("read_page", repository=repository, page=n))
        text = await reading.page_answer(d.pool, found, slug)
        return paged(
            text, page, lambda n: call("read_page", repository=repository, slug=slug, page=n)
        )

    async def get_symbol(
        repository: Repository,
        qualified_name: Annotated[
            str, Field(description="The symbol's qualified name, e.g. package.module.Class.method")
        ],
        ctx: Context,
        page: Page = 1,
    ) -> str:
        """One symbol: its signature and documentation, its citation (with a source link
        where the repository has one), and where the documentation mentions it."""
        d = deps()
        found = await find_repository(d.pool, caller(ctx), repository)
        text = await reading.symbol_answer(d.pool, d.settings, found, qualified_name)
        return paged(
            text,
            page,
            lambda n: call(
                "get_symbol", repository=repository, qualified_name=qualified_name, page=n
            ),
        )

    for fn, hints in (
        (list_repositories, read_only),
        (search_docs, read_only),
        (read_page, read_only),
        (get_symbol, read_only),
        (get_status, read_only),
        (generate_docs, ToolAnnotations(read_only_hint=False, destructive_hint=False)),
    ):
        server.add_tool(_tool_errors(fn), annotations=hints, structured_output=False)
    return server
