"""Learning a repository's current head and how far the docs are behind it.

GitHub: the default branch (``GET /repos/{o}/{r}``), its head commit, then the
compare API (``base...head``, ``ahead_by``) when the head moved; local: ``git
rev-parse HEAD`` and ``git rev-list --count base..HEAD``.  A documented commit
the source no longer has (history rewritten) gives a head with no count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docsgen.db.repositories import Repository
from docsgen.errors import GenerationError, GitHubApiFailed, GitHubTokenMissing, RepositoryEmpty
from docsgen.github.client import GitHubClient
from docsgen.github.connections import load_token
from docsgen.sources.base import SourceLimits
from docsgen.sources.local import LocalSource

if TYPE_CHECKING:
    from docsgen.jobs.lifecycle import RunDeps


@dataclass(frozen=True)
class Head:
    sha: str
    commits_behind: int | None  # None: the documented commit is unknown to the source


async def github_head(client: GitHubClient, full_name: str, documented: str) -> Head:
    owner, name = full_name.split("/", 1)
    branch = (await client.repository(owner, name)).get("default_branch")
    if not branch:
        raise RepositoryEmpty()
    head = str((await client.commit(owner, name, str(branch)))["sha"])
    if head == documented:
        return Head(head, 0)
    try:
        compared = await client.compare(owner, name, documented, head)
    except GitHubApiFailed:
        # Typically 404: the documented commit was force-pushed away.
        return Head(head, None)
    ahead = compared.get("ahead_by")
    return Head(head, int(ahead) if isinstance(ahead, int) and ahead >= 0 else None)


async def learn_head(deps: RunDeps, repository: Repository, documented: str) -> Head:
    """The head now; raises the ``GenerationError`` a run would (token missing, ...)."""
    settings = deps.settings
    if repository.provider == "local":
        assert repository.path is not None
        path = Path(repository.path)
        source = LocalSource(
            path,
            name=path.name,
            roots=settings.local_roots,
            limits=SourceLimits.from_settings(settings),
        )
        sha, behind = await source.head_since(documented)
        return Head(sha, behind)
    if repository.provider == "github":
        assert repository.full_name is not None
        token = await load_token(deps.pool, settings, repository.user_id)
        if token is None:
            raise GitHubTokenMissing()
        client = GitHubClient(deps.http, settings, token=token)
        return await github_head(client, repository.full_name, documented)
    raise GenerationError(f"Repositories from {repository.provider} are not supported yet")
