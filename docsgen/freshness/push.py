"""What a push to a registered repository's default branch does, per registration.

Each registration (several users may register one repository) gets a run as
``POST /api/generate-docs`` would start it, as its owner; if a run is in
progress, one more run is asked for after it (``pending_sha``); the head the
status shows becomes the pushed commit at once.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from docsgen.db import jobs
from docsgen.db.repositories import Repository
from docsgen.errors import BadRequest, DocsgenError, GenerationInProgress
from docsgen.jobs.lifecycle import RunDeps, start_generation

_SHA = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_CLAIM_ATTEMPTS = 3


@dataclass(frozen=True)
class Push:
    full_name: str
    ref: str
    after: str
    default_branch: str | None
    deleted: bool

    @property
    def to_default_branch(self) -> bool:
        return self.default_branch is not None and self.ref == f"refs/heads/{self.default_branch}"


def parse_push(data: Any) -> Push:
    """The fields a push payload must carry; ``BadRequest`` naming what is missing."""
    if not isinstance(data, dict):
        raise BadRequest("push payload must be a JSON object")
    repository = data.get("repository")
    full_name = repository.get("full_name") if isinstance(repository, dict) else None
    if not isinstance(full_name, str) or "/" not in full_name:
        raise BadRequest("push payload lacks repository.full_name")
    ref, after = data.get("ref"), data.get("after")
    if not isinstance(ref, str):
        raise BadRequest("push payload lacks ref")
    if not isinstance(after, str) or not _SHA.match(after):
        raise BadRequest("push payload lacks a commit SHA in after")
    assert isinstance(repository, dict)
    branch = repository.get("default_branch")
    return Push(
        full_name=full_name,
        ref=ref,
        after=after,
        default_branch=branch if isinstance(branch, str) and branch else None,
        deleted=bool(data.get("deleted")) or set(after) == {"0"},
    )


@dataclass(frozen=True)
class PushOutcome:
    repository_id: uuid.UUID
    outcome: str  # "started", "queued" (after the run in progress) or "refused"
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "repository_id": str(self.repository_id),
            "outcome": self.outcome,
            "detail": self.detail,
        }


async def act_on_push(
    deps: RunDeps, push: Push, registrations: list[Repository]
) -> list[PushOutcome]:
    outcomes = []
    for repository in registrations:
        await jobs.record_pushed_head(deps.pool, repository.id, push.after)
        outcomes.append(await _run_or_queue(deps, repository, push.after))
    return outcomes


async def _run_or_queue(deps: RunDeps, repository: Repository, after: str) -> PushOutcome:
    lease = deps.settings.lease_seconds
    for _ in range(_CLAIM_ATTEMPTS):
        if await jobs.mark_pending(deps.pool, repository.id, after, lease):
            return PushOutcome(repository.id, "queued", "one more run follows the run in progress")
        try:
            run_id = await start_generation(deps, repository)
        except GenerationInProgress:
            continue  # a run was claimed between the two statements: queue behind it
        except DocsgenError as exc:
            return PushOutcome(repository.id, "refused", exc.message)
        return PushOutcome(repository.id, "started", f"run {run_id}")
    return PushOutcome(repository.id, "refused", "the repository kept changing hands; redeliver")
