"""The answers about repositories and their runs: which there are, where a run stands,
and starting one.  Markdown, for a model to read."""

from __future__ import annotations

import json
import uuid

from docsgen.db import Queryable, jobs
from docsgen.db.jobs import DocsStatus
from docsgen.db.repositories import Repository, list_repositories
from docsgen.generator.markdown import code
from docsgen.generator.markdown.cells import cell_code


def call(tool: str, **arguments: object) -> str:
    """How a tool call reads in an answer: ``read_page(repository="x", slug="y")``."""
    written = ", ".join(f"{name}={json.dumps(value)}" for name, value in arguments.items())
    return f"{tool}({written})"


async def repositories_answer(conn: Queryable, user_id: uuid.UUID, lease_seconds: float) -> str:
    repositories = await list_repositories(conn, user_id)
    if not repositories:
        return (
            "# Your repositories\n\nYou have no repositories yet. Register one in docsgen "
            "(the web page, or `POST /api/repositories`), then `generate_docs` documents it.\n"
        )
    statuses = await jobs.read_statuses(conn, [r.id for r in repositories], lease_seconds)
    lines = [
        f"# Your repositories ({len(repositories)})",
        "",
        "Every tool takes a repository's name or its id as `repository`.",
        "",
        "| name | id | source | documentation |",
        "|---|---|---|---|",
    ]
    for repository in repositories:
        status = statuses.get(repository.id) or DocsStatus.idle(repository.id)
        source = "GitHub" if repository.provider == "github" else "local checkout"
        lines.append(
            f"| {cell_code(repository.name)} | `{repository.id}` | {source} "
            f"| {_docs_cell(status)} |"
        )
    return "\n".join(lines) + "\n"


def _docs_cell(status: DocsStatus) -> str:
    readable = f"of commit `{status.commit_sha[:12]}`" if status.commit_sha else "none yet"
    if status.status == "generating":
        return f"generating ({status.progress} %); readable: {readable}"
    if status.status == "failed":
        return f"last run failed; readable: {readable}"
    return f"readable: {readable}" if status.commit_sha else "not generated yet"


def status_answer(repository: Repository, status: DocsStatus) -> str:
    """Where the repository's latest run stands, and what can be read meanwhile."""
    lines = [f"# Documentation status of {code(repository.name)}", ""]
    lines.append(f"- repository id: `{repository.id}`")
    lines.append(f"- status: **{status.status}**, {status.progress} %")
    if status.current_step:
        lines.append(f"- current step: {code(status.current_step)}")
    if status.error_message:
        lines.append(f"- error: {code(status.error_message)}")
    for label, moment in (
        ("started", status.started_at),
        ("updated", status.updated_at),
        ("completed", status.completed_at),
    ):
        if moment is not None:
            lines.append(f"- {label} at {moment.isoformat(timespec='seconds')}")
    if status.commit_sha:
        lines.append(f"- the readable documentation describes commit `{status.commit_sha}`")
        if status.commits_behind:
            lines.append(
                f"- it is {status.commits_behind} commit(s) behind the default branch's head "
                f"`{status.head_sha}`"
            )
    else:
        lines.append("- no documentation has been generated yet")
    lines.append("")
    name = repository.name
    if status.status == "generating":
        again = code(call("get_status", repository=name))
        lines.append(f"A run is going: call {again} again later.")
    elif status.commit_sha:
        lines.append(
            f"Read it with {code(call('read_page', repository=name))} (its pages) or "
            f"{code(call('search_docs', repository=name, query='...'))}."
        )
    else:
        lines.append(f"Start a run with {code(call('generate_docs', repository=name))}.")
    return "\n".join(lines) + "\n"


def started_answer(repository: Repository) -> str:
    """The 202 of ``POST /api/generate-docs``, for a model."""
    name = repository.name
    return (
        f"Documentation generation started for {code(name)} (`{repository.id}`): "
        "status **generating**.\n\n"
        f"Follow it with {code(call('get_status', repository=name))}; "
        "the documentation of the last successful run stays readable meanwhile.\n"
    )
