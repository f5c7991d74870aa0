"""``POST /webhooks/github``: signed pushes start runs, once, for the default branch only.

GitHub's side is the fake GitHub (``deliver`` signs like GitHub does); runs
fetch from it too, so each test counts what a run downloaded.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL, RUN_DEPS, SETTINGS
from docsgen.db import accounts, jobs
from docsgen.jobs.lifecycle import Run
from tests.support.api import db_row, register_local, start_run, status_of, wait_for_runs
from tests.support.fake_github import FakeGitHub, connect_github, register_github
from tests.support.gitrepo import SAMPLE_FILES, commit, make_repo
from tests.support.on_github import run_held_at
from tests.test_lifecycle import Gate

Client = TestClient[Any, Any]
pytestmark = pytest.mark.on_fake_github


class Runs:
    """Every run that ends, with its outcome (an ``on_finished`` hook)."""

    def __init__(self) -> None:
        self.ended: list[tuple[uuid.UUID, str]] = []
        self._changed = asyncio.Event()

    async def __call__(self, run: Run, outcome: str) -> None:
        self.ended.append((run.run_id, outcome))
        self._changed.set()

    async def until_ended(self, count: int) -> None:
        """Wait (10 s at most) until ``count`` runs have ended."""
        async with asyncio.timeout(10):
            while len(self.ended) < count:
                self._changed.clear()
                await self._changed.wait()


@pytest.fixture
def runs(app: web.Application, client: Client) -> Runs:
    recorder = Runs()
    # First: it sees each run end before the pending-run hook starts the next.
    app[RUN_DEPS].on_finished.insert(0, recorder)
    return recorder


async def push(client: Client, fake_github: FakeGitHub) -> Any:
    """GitHub delivers a push of alice-gh/sample's default branch, at its current head."""
    return await fake_github.deliver(client, "push", fake_github.push_payload("alice-gh/sample"))


def new_commit(fake_github: FakeGitHub, sample_repo: Path, name: str) -> str:
    """A commit on the source's default branch, now the fake's head; its SHA."""
    sha = commit(sample_repo, {f"notes/{name}.md": f"# {name}\n"}, f"add {name}")
    fake_github.move_head("alice-gh/sample")
    return sha


# --- a push starts a run ---------------------------------------------------------


async def test_a_signed_push_to_the_default_branch_starts_a_run(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
    runs: Runs,
) -> None:
    payload = fake_github.push_payload("alice-gh/sample")
    response = await fake_github.deliver(client, "push", payload)
    assert response.status == 202, await response.text()
    body = await response.json()
    assert [(r["repository_id"], r["outcome"]) for r in body["runs"]] == [(on_github, "started")]
    await wait_for_runs(app)

    assert [outcome for _, outcome in runs.ended] == ["completed"]
    status = await status_of(client, auth, on_github)
    assert (status["status"], status["progress"]) == ("completed", 100)
    assert status["commit_sha"] == payload["after"]
    assert fake_github.count("codeload") == 1


async def test_a_push_starts_a_run_for_every_registration_as_its_owner(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
    runs: Runs,
) -> None:
    # Bob registered the same repository (he collaborates on it) with his own token.
    fake_github.repos["alice-gh/sample"].collaborators.add("bob-gh")
    bob = await accounts.create_user(app[POOL], "bob")
    bob_auth = {"Authorization": f"Bearer {await accounts.issue_token(app[POOL], bob)}"}
    bob_github = fake_github.add_user("bob-gh")
    await connect_github(client, bob_auth, bob_github.token)
    bobs = str((await register_github(client, bob_auth, "Alice-GH/Sample"))["id"])

    payload = fake_github.push_payload("alice-gh/sample")
    payload["repository"]["full_name"] = "ALICE-gh/sample"  # matched without case
    response = await fake_github.deliver(client, "push", payload)
    assert response.status == 202
    outcomes = {r["repository_id"]: r["outcome"] for r in (await response.json())["runs"]}
    assert outcomes == {on_github: "started", bobs: "started"}
    await wait_for_runs(app)

    assert (await status_of(client, auth, on_github))["status"] == "completed"
    assert (await status_of(client, bob_auth, bobs))["status"] == "completed"
    # Each run fetched as its owner.
    tarballs = [r.headers["Authorization"] for r in fake_github.requests if r.route == "tarball"]
    assert sorted(tarballs) == sorted(
        [f"token {fake_github.users[t].token}" for t in fake_github.users]
    )


# --- refused and ignored deliveries ------------------------------------------------


async def test_a_bad_signature_is_refused_with_401_and_starts_nothing(
    app: web.Application,
    client: Client,
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    payload = fake_github.push_payload("alice-gh/sample")
    body = json.dumps(payload).encode()
    wrong_secret = fake_github.sign(body, secret="not-the-secret")
    response = await fake_github.deliver(client, "push", payload, signature=wrong_secret)
    assert response.status == 401
    assert await response.json() == {
        "error": "Webhook signature does not match the configured secret"
    }
    # Signed for another body (the payload was altered on the way).
    tampered = fake_github.sign(body + b" ")
    response = await fake_github.deliver(client, "push", payload, signature=tampered)
    assert response.status == 401

    response = await fake_github.deliver(client, "push", payload, signature="")
    assert response.status == 401
    assert await response.json() == {
        "error": "Webhook deliveries must be signed (X-Hub-Signature-256)"
    }
    sha1 = "sha1=" + "0" * 40
    response = await fake_github.deliver(client, "push", payload, signature=sha1)
    assert response.status == 401
    assert await response.json() == {"error": "X-Hub-Signature-256 must be 'sha256=<hex digest>'"}

    assert len(app[RUN_DEPS].registry) == 0
    assert await db_row(app, on_github) is None
    assert fake_github.count("repo") == 0


@pytest.mark.parametrize("github_overrides", [{"github_webhook_secret": None}])
async def test_webhooks_are_refused_while_no_secret_is_configured(
    app: web.Application, client: Client, fake_github: FakeGitHub, on_github: str
) -> None:
    payload = fake_github.push_payload("alice-gh/sample")
    response = await fake_github.deliver(client, "push", payload)
    assert response.status == 503
    assert await response.json() == {
        "error": "GitHub webhooks are not configured on this server (set GITHUB_WEBHOOK_SECRET "
        "to the secret of the repository's webhook)"
    }
    assert await db_row(app, on_github) is None


async def test_a_push_to_another_branch_does_nothing(
    app: web.Application, client: Client, fake_github: FakeGitHub, on_github: str
) -> None:
    payload = fake_github.push_payload("alice-gh/sample", ref="refs/heads/feature")
    response = await fake_github.deliver(client, "push", payload)
    assert response.status == 202
    assert await response.json() == {
        "message": "Push to refs/heads/feature is ignored: not the default branch"
    }
    tag = fake_github.push_payload("alice-gh/sample", ref="refs/tags/main")
    assert (await fake_github.deliver(client, "push", tag)).status == 202
    deleted = {**fake_github.push_payload("alice-gh/sample"), "deleted": True, "after": "0" * 40}
    assert (await fake_github.deliver(client, "push", deleted)).status == 202

    assert len(app[RUN_DEPS].registry) == 0
    assert await db_row(app, on_github) is None
    assert fake_github.count("repo") == 0
    deliveries = await app[POOL].fetchval("SELECT count(*) FROM github_webhook_deliveries")
    assert deliveries == 0


async def test_ping_is_answered_and_other_events_and_unknown_repositories_are_ignored(
    app: web.Application,
    client: Client,
    fake_github: FakeGitHub,
    on_github: str,
    sample_repo: Path,
) -> None:
    ping = await fake_github.deliver(client, "ping", {"zen": "Keep it logically awesome."})
    assert (ping.status, await ping.json()) == (200, {"message": "pong"})

    issues = await fake_github.deliver(client, "issues", {"action": "opened"})
    assert (issues.status, await issues.json()) == (202, {"message": "Event 'issues' is ignored"})

    fake_github.add_repo("someone", "else", sample_repo)
    unknown = await fake_github.deliver(client, "push", fake_github.push_payload("someone/else"))
    assert unknown.status == 202
    assert await unknown.json() == {"message": "No registered repository matches; ignored"}

    assert await db_row(app, on_github) is None
    assert fake_github.count("repo") == 0


async def test_malformed_deliveries_get_clear_errors(
    app: web.Application, client: Client, fake_github: FakeGitHub, on_github: str
) -> None:
    body = json.dumps(fake_github.push_payload("alice-gh/sample")).encode()
    signed = {"X-Hub-Signature-256": fake_github.sign(body), "Content-Type": "application/json"}

    no_ids = await client.post("/webhooks/github", data=body, headers=signed)
    assert no_ids.status == 400
    assert await no_ids.json() == {
        "error": "X-GitHub-Event and X-GitHub-Delivery headers are required"
    }

    headers = {**signed, "X-GitHub-Event": "push", "X-GitHub-Delivery": str(uuid.uuid4())}
    as_text = await client.post(
        "/webhooks/github", data=body, headers={**headers, "Content-Type": "text/plain"}
    )
    assert as_text.status == 415

    not_an_object = "Webhook body must be a JSON object, as GitHub sends"
    shapeless = json.dumps({"ref": "refs/heads/main", "after": "abc"}).encode()
    for event, data, error in [
        ("push", b'{"ref": ', "Webhook body is not valid JSON"),
        # Whatever the event, GitHub sends an object.
        ("ping", b"[1, 2]", not_an_object),
        ("issues", b"[1, 2]", not_an_object),
        ("push", shapeless, "push payload lacks repository.full_name"),
    ]:
        answer = await client.post(
            "/webhooks/github",
            data=data,
            headers={
                **headers,
                "X-GitHub-Event": event,
                "X-Hub-Signature-256": fake_github.sign(data),
            },
        )
        assert (answer.status, await answer.json()) == (400, {"error": error}), (event, data)

    # Over the limit (GitHub's own cap is 25 MB): refused from its Content-Length, unread.
    huge = b"x" * (app[SETTINGS].max_webhook_bytes + 1)
    too_big = await client.post("/webhooks/github", data=huge, headers=headers)
    assert too_big.status == 413
    assert await db_row(app, on_github) is None


# --- a push during a run: exactly one more run after it ---------------------------


async def test_a_push_during_a_run_leads_to_exactly_one_more_run_after_it(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    sample_repo: Path,
    on_github: str,
    runs: Runs,
) -> None:
    first_head = fake_github.repos["alice-gh/sample"].commit_sha
    # The run has resolved the first head and is downloading.
    gate = await run_held_at("codeload", fake_github, client, auth, on_github)

    # Two pushes while it runs: at most one more run, for the latest head.
    new_commit(fake_github, sample_repo, "one")
    first = await push(client, fake_github)
    latest = new_commit(fake_github, sample_repo, "two")
    second = await push(client, fake_github)
    for response in (first, second):
        assert response.status == 202
        assert [r["outcome"] for r in (await response.json())["runs"]] == ["queued"]
    during = await status_of(client, auth, on_github)
    assert (during["status"], during["head_sha"]) == ("generating", latest)
    row = await db_row(app, on_github)
    assert row is not None and row["pending_sha"] == latest

    gate.release()
    await wait_for_runs(app)

    assert [outcome for _, outcome in runs.ended] == ["completed", "completed"]
    assert fake_github.count("codeload") == 2
    downloads = [r.url for r in fake_github.requests if r.route == "tarball"]
    assert first_head is not None and first_head in downloads[0] and latest in downloads[1]
    status = await status_of(client, auth, on_github)
    assert status["status"] == "completed"
    assert (status["commit_sha"], status["head_sha"], status["commits_behind"]) == (
        latest,
        latest,
        0,
    )
    row = await db_row(app, on_github)
    assert row is not None and row["pending_sha"] is None


async def test_a_push_the_running_run_already_includes_starts_nothing_more(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    sample_repo: Path,
    on_github: str,
    runs: Runs,
) -> None:
    # Claimed, but the head is not resolved yet.
    gate = await run_held_at("repo", fake_github, client, auth, on_github)
    pushed = new_commit(fake_github, sample_repo, "early")
    queued = await push(client, fake_github)
    assert [r["outcome"] for r in (await queued.json())["runs"]] == ["queued"]
    gate.release()
    await wait_for_runs(app)

    assert [outcome for _, outcome in runs.ended] == ["completed"]
    assert (await status_of(client, auth, on_github))["commit_sha"] == pushed
    assert fake_github.count("codeload") == 1


async def test_a_failed_run_with_a_push_pending_is_followed_by_one_run(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    sample_repo: Path,
    on_github: str,
    runs: Runs,
) -> None:
    gate = await run_held_at("codeload", fake_github, client, auth, on_github)
    fake_github.fail("codeload", 404, times=1)  # the held download will answer 404
    pushed = new_commit(fake_github, sample_repo, "after-failure")
    await push(client, fake_github)
    gate.release()
    await wait_for_runs(app)

    assert [outcome for _, outcome in runs.ended] == ["failed", "completed"]
    assert (await status_of(client, auth, on_github))["commit_sha"] == pushed


@pytest.mark.on_fake_github(max_runs_per_user=1)
async def test_a_push_refused_by_the_run_cap_runs_when_a_slot_frees(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    sample_repo: Path,
    repos_root: Path,
    on_github: str,
    runs: Runs,
) -> None:
    # Alice's one run slot is taken by a run of another of her repositories.
    make_repo(repos_root / "other", SAMPLE_FILES)
    other = await register_local(client, auth, repos_root / "other")
    gate = Gate(hold_at="Fetching repository metadata")
    app[RUN_DEPS].on_progress.append(gate)
    await start_run(client, auth, other["id"])
    await gate.reached.wait()

    pushed = new_commit(fake_github, sample_repo, "while-full")
    response = await push(client, fake_github)
    assert response.status == 202
    [outcome] = (await response.json())["runs"]
    assert outcome["outcome"] == "queued"
    assert "the limit is 1" in outcome["detail"]
    row = await db_row(app, on_github)
    assert row is not None and (row["status"], row["pending_sha"]) == ("idle", pushed)

    gate.release.set()  # the slot frees: the push's run starts, as Alice's
    await wait_for_runs(app)

    assert [outcome for _, outcome in runs.ended] == ["completed", "completed"]
    status = await status_of(client, auth, on_github)
    assert (status["status"], status["commit_sha"]) == ("completed", pushed)
    row = await db_row(app, on_github)
    assert row is not None and row["pending_sha"] is None


@pytest.mark.on_fake_github(reaper_interval_seconds=0.1)
async def test_a_run_asked_for_and_left_by_a_process_that_went_away_is_started_by_another(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
    runs: Runs,
) -> None:
    head = fake_github.repos["alice-gh/sample"].commit_sha
    assert head is not None
    # What a process leaves that recorded a push and stopped (or died) before a slot
    # freed in it: the request, and no run in progress.
    await jobs.request_run(app[POOL], uuid.UUID(on_github), head)
    await runs.until_ended(1)
    await wait_for_runs(app)

    assert [outcome for _, outcome in runs.ended] == ["completed"]
    status = await status_of(client, auth, on_github)
    assert (status["status"], status["commit_sha"]) == ("completed", head)
    row = await db_row(app, on_github)
    assert row is not None and row["pending_sha"] is None


# --- deliveries are idempotent -------------------------------------------------------


async def test_a_redelivered_push_does_nothing(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    sample_repo: Path,
    on_github: str,
    runs: Runs,
) -> None:
    payload = fake_github.push_payload("alice-gh/sample")
    delivery = str(uuid.uuid4())
    first = await fake_github.deliver(client, "push", payload, delivery_id=delivery)
    assert first.status == 202
    await wait_for_runs(app)
    before = await db_row(app, on_github)
    assert before is not None

    # The head has moved since: a new delivery would start a run; a redelivery must not.
    new_commit(fake_github, sample_repo, "later")
    again = await fake_github.deliver(client, "push", payload, delivery_id=delivery)
    assert again.status == 202
    assert await again.json() == {"message": "Delivery already handled; ignored", "duplicate": True}
    await wait_for_runs(app)

    assert len(runs.ended) == 1
    after = await db_row(app, on_github)
    assert after is not None
    assert (after["version"], after["run_id"]) == (before["version"], before["run_id"])
    assert fake_github.count("repo") == 1


async def test_a_redelivery_while_the_first_is_handled_does_nothing(
    app: web.Application,
    client: Client,
    fake_github: FakeGitHub,
    on_github: str,
    runs: Runs,
) -> None:
    payload = fake_github.push_payload("alice-gh/sample")
    delivery = str(uuid.uuid4())
    answers = await asyncio.gather(
        *(fake_github.deliver(client, "push", payload, delivery_id=delivery) for _ in range(3))
    )
    bodies = [await a.json() for a in answers]
    await wait_for_runs(app)
    assert sorted("runs" in b for b in bodies) == [False, False, True]
    assert len(runs.ended) == 1
