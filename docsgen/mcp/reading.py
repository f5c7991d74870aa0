"""The answers that read a repository's documentation: its contents, a page, a search,
one symbol.  Markdown with the documentation's own citations (``path:line``, a link
where the source has one), for a model to read and cite in turn."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

import asyncpg

from docsgen.db import Connection, Queryable, jobs
from docsgen.db import pages as stored
from docsgen.db.repositories import Repository
from docsgen.db.search import search
from docsgen.errors import NotFound
from docsgen.generator.markdown import code
from docsgen.mcp.status import call
from docsgen.settings import Settings
from docsgen.sources.github import citation_template

# Search results shown per answer (the search's own cap is 100).
RESULTS = 20
# Mentions of a symbol get_symbol lists.
MENTIONS = 10

_HEADING = re.compile(r"^(#{1,6}) ")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CITATION = re.compile(r"^(.*):(\d+)$")


def _not_generated() -> NotFound:
    return NotFound("Documentation not generated yet: generate_docs starts a run")


async def described_commit(conn: Queryable, settings: Settings, repository: Repository) -> str:
    """The commit the readable documentation describes (``NotFound`` before the first)."""
    status = await jobs.read_status(conn, repository.id, settings.lease_seconds)
    if status.commit_sha is None:
        raise _not_generated()
    return status.commit_sha


async def contents_answer(conn: Queryable, settings: Settings, repository: Repository) -> str:
    """The table of contents: every page's slug and title, in reading order."""
    commit = await described_commit(conn, settings, repository)
    toc = await stored.read_toc(conn, repository.id)
    if not toc:
        raise _not_generated()
    name = repository.name
    lines = [
        f"# Documentation of {code(name)}: contents",
        "",
        f"Commit `{commit}`, {len(toc)} pages in reading order. Read one with "
        f"{code(call('read_page', repository=name, slug='<slug>'))}.",
        "",
    ]
    for entry in toc:
        indent = "  " if entry.parent else ""
        flag = f" (⚠️ {entry.warnings})" if entry.warnings else ""
        lines.append(f"{indent}- `{entry.slug}`: {code(entry.title)}{flag}")
    return "\n".join(lines) + "\n"


async def page_answer(conn: Queryable, repository: Repository, slug: str) -> str:
    """One page's Markdown, then where the previous and next pages are."""
    page = await stored.read_page(conn, repository.id, slug)
    if page is None:
        if await stored.read_first_page(conn, repository.id) is None:
            raise _not_generated()
        raise NotFound(
            f"Page not found: {slug!r}. read_page without a slug lists the pages of "
            f"{repository.name!r}."
        )
    name = repository.name
    around = [
        f"{label}: {code(call('read_page', repository=name, slug=target))}"
        for label, target in (("previous page", page.prev), ("next page", page.next))
        if target is not None
    ]
    footer = "\n\n---\n" + " · ".join(around) + "\n" if around else ""
    return page.markdown.rstrip("\n") + "\n" + footer


async def search_answer(pool: asyncpg.Pool, repository: Repository, query: str) -> str:
    """The search's results, best first, each with how to read it."""
    async with pool.acquire() as conn:
        results = await search(conn, repository.id, query, RESULTS)
    name = repository.name
    if not results:
        return (
            f"# Search {code(query)} in {code(name)}: no results\n\n"
            "Try other words, a symbol's short name, or "
            f"{code(call('read_page', repository=name))} for the contents.\n"
        )
    count = f"{len(results)} result" + ("s, best first" if len(results) > 1 else "")
    lines = [f"# Search {code(query)} in {code(name)}: {count}", ""]
    for number, result in enumerate(results, 1):
        where = f"page `{result.slug}`" + (f", anchor `{result.anchor}`" if result.anchor else "")
        cited = f", {code(result.citation)}" if result.citation else ""
        lines.append(f"{number}. **{result.kind}** {code(result.title)}: {where}{cited}")
        if result.snippet:
            lines.append(f"   > {' '.join(result.snippet.split())}")
        if result.kind == "symbol":
            follow = call("get_symbol", repository=name, qualified_name=result.title)
        else:
            follow = call("read_page", repository=name, slug=result.slug)
        lines.append(f"   {code(follow)}")
    return "\n".join(lines) + "\n"


async def symbol_answer(
    pool: asyncpg.Pool, settings: Settings, repository: Repository, qualname: str
) -> str:
    """One symbol: signature, documentation (its slice of its page), citation with a
    source link where there is one, and the other places the documentation mentions it."""
    async with pool.acquire() as conn:
        return await _symbol_answer(conn, settings, repository, qualname)


async def _symbol_answer(
    conn: Connection, settings: Settings, repository: Repository, qualname: str
) -> str:
    name = repository.name
    commit = await described_commit(conn, settings, repository)
    symbol = await stored.read_symbol(conn, repository.id, qualname.strip())
    if symbol is None:
        raise NotFound(
            f"Symbol not found: {qualname!r}. Give its qualified name as search_docs shows it, "
            f"e.g. {code(call('search_docs', repository=name, query=qualname.split('.')[-1]))}."
        )
    page = await stored.read_page(conn, repository.id, symbol.slug)
    if page is None:  # the documentation was replaced between the two reads
        raise _not_generated()
    signature, docs = signature_and_docs(symbol_slice(page.markdown, symbol.line))
    lines = [f"# {code(symbol.qualname)}" + (f" ({symbol.kind})" if symbol.kind else ""), ""]
    if symbol.citation:
        cited = _cited(settings, repository, commit, symbol.citation)
        lines.append(f"- declared at {cited}")
    else:
        lines.append("- declared at: ⚠️ no citation (the generator could not place it)")
    lines.append(
        f"- documented on page `{symbol.slug}` at anchor `{symbol.qualname}`: "
        f"{code(call('read_page', repository=name, slug=symbol.slug))}"
    )
    if signature is not None:
        lines += ["", "## Signature", "", signature.rstrip("\n")]
    lines += ["", "## Documentation", "", docs.rstrip("\n") or "(none)"]
    mentions = await _mentions(conn, repository, symbol.qualname)
    lines += ["", "## Where the documentation mentions it", ""]
    lines += mentions or ["No other page or symbol of the documentation mentions it."]
    return "\n".join(lines) + "\n"


def _cited(settings: Settings, repository: Repository, commit: str, citation: str) -> str:
    """``path:line``, with a link to that line of the described commit where there is one."""
    match = _CITATION.match(citation)
    label = code(citation)
    if match is None:
        return label
    path, line = match.group(1), int(match.group(2))
    if repository.provider == "github" and repository.full_name:
        template = citation_template(settings.github_web_url, repository.full_name, commit)
        return f"[{label}]({template.format(path=path, line=line)})"
    if repository.path:
        return f"{label} (the file {code(str(PurePosixPath(repository.path) / path))})"
    return label


async def _mentions(conn: Connection, repository: Repository, qualname: str) -> list[str]:
    """Other symbols, pages and text the search finds for the symbol's name, where that
    name stands as a word (a search for ``greet`` also finds "greets", which is not it)."""
    short = re.split(r"::|\.|/", qualname)[-1] or qualname
    named = re.compile(rf"(?<![\w$]){re.escape(short)}(?![\w$])")
    seen: set[tuple[str, str | None]] = set()
    lines: list[str] = []
    for query in dict.fromkeys((qualname, short)):
        for result in await search(conn, repository.id, query, RESULTS):
            key = (result.slug, result.anchor)
            if result.anchor == qualname or key in seen or len(lines) >= MENTIONS:
                continue
            if not named.search(result.title) and not named.search(result.snippet or ""):
                continue
            seen.add(key)
            where = f"page `{result.slug}`" + (f" at `{result.anchor}`" if result.anchor else "")
            cited = f" ({code(result.citation)})" if result.citation else ""
            snippet = " ".join((result.snippet or "").split())
            lines.append(
                f"- **{result.kind}** {code(result.title)} on {where}{cited}"
                + (f": {snippet}" if snippet else "")
            )
    return lines


def symbol_slice(markdown: str, line: int) -> str:
    """The page's lines from the symbol's heading (``line``, from 1) to the next heading
    of the same or a higher level, headings inside code fences not counting."""
    lines = markdown.split("\n")
    start = line - 1
    heading = _HEADING.match(lines[start]) if 0 <= start < len(lines) else None
    if heading is None:
        return ""
    level = len(heading.group(1))
    end = len(lines)
    for index, text, fenced in _scan(lines, start + 1):
        other = None if fenced else _HEADING.match(text)
        if other is not None and len(other.group(1)) <= level:
            end = index
            break
    return "\n".join(lines[start:end]).strip("\n") + "\n"


def signature_and_docs(piece: str) -> tuple[str | None, str]:
    """A symbol's slice without its heading: its signature (the code block it opens
    with, if it does) and the rest, whose headings sit under a ``##`` heading."""
    lines = piece.split("\n")
    heading = _HEADING.match(lines[0]) if lines else None
    if heading is None:
        return None, piece
    level = len(heading.group(1))
    body = lines[1:]
    while body and not body[0].strip():
        body.pop(0)
    signature = None
    if body and _FENCE.match(body[0]):
        closing = _fence_end(body, 0)
        if closing is not None:
            signature = "\n".join(body[: closing + 1]) + "\n"
            body = body[closing + 1 :]
    out = []
    for _index, text, fenced in _scan(body, 0):
        deeper = None if fenced else _HEADING.match(text)
        if deeper is not None:
            depth = min(max(len(deeper.group(1)) - level + 2, 3), 6)
            text = "#" * depth + text[len(deeper.group(1)) :]
        out.append(text)
    return signature, "\n".join(out).strip("\n") + "\n"


def _scan(lines: list[str], start: int) -> Iterator[tuple[int, str, bool]]:
    """``(index, line, in a code block)`` from ``start``; fence lines count as in."""
    marker: str | None = None
    for index in range(start, len(lines)):
        text = lines[index]
        if marker is not None:
            if _closes(text, marker):
                marker = None
            yield index, text, True
            continue
        opening = _FENCE.match(text)
        if opening is not None:
            marker = opening.group(1)
        yield index, text, opening is not None


def _fence_end(lines: list[str], start: int) -> int | None:
    """The index of the line closing the code block ``lines[start]`` opens."""
    opening = _FENCE.match(lines[start])
    assert opening is not None
    marker = opening.group(1)
    return next((i for i in range(start + 1, len(lines)) if _closes(lines[i], marker)), None)


def _closes(text: str, marker: str) -> bool:
    match = _FENCE.match(text)
    if match is None:
        return False
    run = match.group(1)
    return run[0] == marker[0] and len(run) >= len(marker) and not text.strip()[len(run) :]
