"""GitHub repositories: metadata, the token, the tree, then ONE tarball of that commit.

The steps follow CONTRACT §3: 20 % metadata (``GET /repos/{owner}/{repo}``),
30 % the user's token, 40 % the default branch's head commit, its recursive
tree and the tarball of exactly that commit, read in memory.  A head equal to
``skip_commit`` (the stored docs' commit) ends there with ``UpToDate``.  All I/O goes
through ``docsgen.github.client``; a rate-limit wait shows as the current step
at the same percentage.

``head_since`` asks for the default branch (``GET /repos/{o}/{r}``), its head
commit, then the compare API (``base...head``, ``ahead_by``) when the head moved.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

import aiohttp

from docsgen.errors import GitHubApiFailed, GitHubTokenMissing, RepositoryEmpty, UpToDate
from docsgen.github.client import GitHubClient
from docsgen.github.rules import utc_clock
from docsgen.progress_schedule import (
    FETCHING_AUTH,
    FETCHING_METADATA,
    FETCHING_TREE,
    ProgressCallback,
)
from docsgen.settings import Settings
from docsgen.snapshot import RepositoryMetadata, Snapshot
from docsgen.sources.base import Head, SourceLimits
from docsgen.sources.github_tarball import TarballLimits, read_tarball

TRUNCATED_TREE_NOTE = (
    "GitHub truncated the file tree of this repository (it is very large); "
    "the list of files comes from the repository's tarball instead."
)


def rate_limit_step(until_text: str) -> str:
    return f"Waiting for GitHub rate limit (until {until_text})"


def citation_template(web_url: str, full_name: str, sha: str) -> str:
    """``{web_url}/{owner}/{repo}/blob/{sha}/{path}#L{line}``: the exact commit described."""
    base = f"{web_url}/{full_name}/blob/{sha}/".replace("{", "{{").replace("}", "}}")
    return base + "{path}#L{line}"


def metadata_from(repo: dict[str, Any]) -> RepositoryMetadata:
    license_ = repo.get("license") or {}
    license_name = license_.get("spdx_id") or license_.get("name")
    if license_name == "NOASSERTION":
        license_name = license_.get("name") or license_name
    return RepositoryMetadata(
        description=repo.get("description") or None,
        default_branch=repo.get("default_branch") or None,
        topics=tuple(str(t) for t in repo.get("topics") or ()),
        license=license_name or None,
        language=repo.get("language") or None,
        private=repo.get("private"),
        archived=repo.get("archived"),
    )


class GitHubSource:
    def __init__(
        self,
        full_name: str,
        *,
        token: str | None,
        session: aiohttp.ClientSession,
        settings: Settings,
        limits: SourceLimits,
        skip_commit: str | None = None,
    ) -> None:
        self.full_name = full_name
        self.owner, self.name = full_name.split("/", 1)
        self.token = token
        self.session = session
        self.settings = settings
        self.limits = limits
        # The stored docs' commit: a head equal to it raises UpToDate before the tarball.
        self.skip_commit = skip_commit
        self._step: tuple[int, str] = FETCHING_METADATA

    async def head_since(self, documented: str) -> Head:
        if self.token is None:
            raise GitHubTokenMissing()
        client = GitHubClient(self.session, self.settings, token=self.token)
        branch = (await client.repository(self.owner, self.name)).get("default_branch")
        if not branch:
            raise RepositoryEmpty()
        head = str((await client.commit(self.owner, self.name, str(branch)))["sha"])
        if head == documented:
            return Head(head, 0)
        try:
            compared = await client.compare(self.owner, self.name, documented, head)
        except GitHubApiFailed:
            # Typically 404: the documented commit was force-pushed away.
            return Head(head, None)
        ahead = compared.get("ahead_by")
        return Head(head, int(ahead) if isinstance(ahead, int) and ahead >= 0 else None)

    async def fetch(self, progress: ProgressCallback) -> Snapshot:
        async def step(at: tuple[int, str]) -> None:
            self._step = at
            await progress(*at)

        async def waiting(until: datetime) -> None:
            await progress(self._step[0], rate_limit_step(utc_clock(until)))

        async def resumed() -> None:
            await progress(*self._step)

        client = GitHubClient(
            self.session, self.settings, token=self.token, on_wait=waiting, on_resume=resumed
        )
        await step(FETCHING_METADATA)
        if self.token is None:
            # Nothing is asked of GitHub without the user's token: the run fails at
            # the authentication step with the contract's message.
            await step(FETCHING_AUTH)
            raise GitHubTokenMissing()
        repo = await client.repository(self.owner, self.name)
        metadata = metadata_from(repo)

        await step(FETCHING_AUTH)
        # The token was read from storage before the run began and GitHub has just
        # accepted it; a rejected one already failed with the reconnect message.

        await step(FETCHING_TREE)
        if metadata.default_branch is None:
            raise RepositoryEmpty()
        commit = await client.commit(self.owner, self.name, metadata.default_branch)
        sha = str(commit["sha"])
        if sha == self.skip_commit:
            raise UpToDate(sha)
        tree = await client.tree(self.owner, self.name, sha)
        truncated = bool(tree.get("truncated"))
        blobs = [
            e
            for e in tree.get("tree") or ()
            if e.get("type") == "blob" and e.get("mode") != "120000"
        ]
        if not truncated:
            if not blobs:
                raise RepositoryEmpty()
            # The tree's own sizes: a repository over a limit fails before any download.
            self.limits.check(sum(int(e.get("size") or 0) for e in blobs), len(blobs))
        shas = {str(e["path"]): str(e["sha"]) for e in blobs}
        limits = TarballLimits(self.limits, self.settings.max_tarball_uncompressed_bytes)
        contents = await client.tarball(
            self.owner,
            self.name,
            sha,
            functools.partial(read_tarball, limits=limits, tree_shas=shas),
        )
        if not contents.files:
            raise RepositoryEmpty()
        notes = ([TRUNCATED_TREE_NOTE] if truncated else []) + contents.notes
        return Snapshot(
            name=self.full_name,
            provider="github",
            commit_sha=sha,
            files=tuple(sorted(contents.files, key=lambda f: f.path)),
            metadata=metadata,
            notes=tuple(notes),
            source_url_template=citation_template(
                self.settings.github_web_url, self.full_name, sha
            ),
        )
