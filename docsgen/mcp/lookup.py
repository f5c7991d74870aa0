"""The ``repository`` argument of every tool: the repository's id, or its name.

A name is what ``list_repositories`` shows (``owner/name`` for GitHub, a local
checkout's folder name) or a local checkout's full path.  Only the caller's own
repositories are looked at, so another user's repository, by id or by name, is
answered exactly as a missing one.
"""

from __future__ import annotations

import uuid

from docsgen.db import Queryable
from docsgen.db.repositories import Repository, get_repository, list_repositories
from docsgen.errors import InvalidInput, NotFound


async def find_repository(conn: Queryable, user_id: uuid.UUID, reference: str) -> Repository:
    """The caller's repository ``reference`` names, or ``NotFound`` (``InvalidInput`` when
    a name fits several: the message lists their ids)."""
    wanted = reference.strip()
    if not wanted:
        raise InvalidInput("repository must not be empty: give its id or its name")
    try:
        repository_id = uuid.UUID(wanted)
    except ValueError:
        pass
    else:
        try:
            return await get_repository(conn, user_id, repository_id)
        except NotFound:
            raise _missing(wanted) from None
    matches = [r for r in await list_repositories(conn, user_id) if _is_called(r, wanted)]
    if not matches:
        raise _missing(wanted)
    if len(matches) > 1:
        ids = ", ".join(f"{r.id} ({r.display_name})" for r in matches)
        raise InvalidInput(
            f"Several of your repositories are called {wanted!r}; give its id: {ids}"
        )
    return matches[0]


def _is_called(repository: Repository, name: str) -> bool:
    if repository.full_name is not None:  # GitHub names ignore case
        return repository.full_name.lower() == name.lower()
    return name in (repository.name, repository.path)


def _missing(reference: str) -> NotFound:
    return NotFound(
        f"Repository not found: {reference!r}. "
        "list_repositories names the repositories you can read."
    )
