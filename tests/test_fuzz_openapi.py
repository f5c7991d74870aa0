"""schemathesis against ``/api/openapi.json`` of a running service: no 5xx, every answer as documented.

The service is the in-process app of the ``app`` fixture, served on 127.0.0.1
by aiohttp's test server, with its GitHub pointed at the fake GitHub.  The
fuzzer is schemathesis's own command line in a subprocess, signed in with a
user's API token, and runs every phase (examples, coverage, fuzzing, and
stateful sequences along the links it infers) with every check.  The run is
reproducible: a fixed seed, one worker, no example database; its seed and
settings are the constants below, and the configuration file it reads is
written from them (``fuzz_config``).  With these settings the run generates
about 2,000 test cases in about 20 s.

On failure the assertion shows schemathesis's report (also kept as
``schemathesis.txt`` in the test's temporary folder), with a curl command per
failing case.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL
from docsgen.api.openapi import METHODS, OPENAPI_DOCUMENT
from docsgen.db import sessions
from docsgen.db.accounts import User
from tests.support import fuzz_hooks
from tests.support.api import db_row, register_local, wait_for_runs
from tests.support.fake_github import FakeGitHub, connect_github, register_github

REPO_ROOT = Path(__file__).resolve().parents[1]
# The run's seed and settings; change them only together with a passing run.
SEED = 20260417
MAX_EXAMPLES = 60  # test cases per operation and phase
STATEFUL_MAX_STEPS = 6
PHASES = ("examples", "coverage", "fuzzing", "stateful")
REQUEST_TIMEOUT_SECONDS = 10.0
# The per-user rate limit would answer most state-changing requests with a (documented)
# 429 and hide the handlers behind it: the fuzzer gets an allowance it cannot exhaust.
FUZZ_STATE_CHANGES_PER_MINUTE = 1_000_000

# One-time sign-in links the fuzzer may spend.
SIGNIN_LINKS = 3
# Files of the page, so ``/assets/{path}`` is reached past its 404.
ASSETS = ["favicon.svg", "css/app.css", "js/main.js"]
# ``positive_data_acceptance`` expects a request the document allows to be accepted.
# These operations refuse schema-valid input for reasons no schema can state, with 400:
SEMANTIC_400 = {
    "/signin": "an unknown, used or expired sign-in link",
    "/auth/github/callback": "an OAuth state this browser was not given",
    "/api/repositories": "a local path outside the configured roots, or not a folder",
    "/api/github/connection": "a token GitHub rejects",
    "/webhooks/github": "a payload lacking what its event (a header) must carry",
}

pytestmark = pytest.mark.on_fake_github(state_changes_per_minute=FUZZ_STATE_CHANGES_PER_MINUTE)


async def known_repositories(
    app: web.Application,
    client: TestClient[Any, Any],
    auth: dict[str, str],
    sample_repo: Path,
    fake_github: FakeGitHub,
    github_token: str,
) -> dict[str, str]:
    """Repositories in every state, so the fuzzer reaches past 404: status → id."""
    fake_github.add_repo("octo", "hello", sample_repo)
    await connect_github(client, auth, github_token)
    completed = (await register_local(client, auth, sample_repo))["id"]
    failed = (await register_github(client, auth, "octo/missing"))["id"]
    for repository_id in (completed, failed):
        r = await client.post(
            "/api/generate-docs", json={"repository_id": repository_id}, headers=auth
        )
        assert r.status == 202, await r.text()
    await wait_for_runs(app)
    idle = (await register_github(client, auth, "octo/hello"))["id"]
    ids = {"completed": completed, "failed": failed, "idle": idle}
    for status, repository_id in ids.items():
        row = await db_row(app, repository_id)
        assert (row["status"] if row else "idle") == status
    return ids


@dataclass(frozen=True)
class Known:
    """Real values the fuzzer draws from besides what it generates, to get past refusals."""

    repository_ids: list[str]
    api_token: str
    github_token: str
    signin_links: list[str]


def fuzz_config(token_variable: str, known: Known) -> str:
    """The schemathesis.toml of the run (TOML written by hand: the stdlib only reads it).

    Beside what it generates, the fuzzer draws ids of real repositories, real
    tokens and one-time sign-in links from dictionaries, half of the time, so
    it gets past "not found" and "invalid token".
    """
    dictionaries = {
        "repository_ids": known.repository_ids,
        "asset_paths": ASSETS,
        "api_tokens": [known.api_token],
        "github_tokens": [known.github_token],
        "signin_links": known.signin_links,
        "github_events": ["push", "ping"],
    }
    lines = [
        f"seed = {SEED}",
        f'hooks = "{fuzz_hooks.__name__}"',
        "workers = 1",
        f"request-timeout = {REQUEST_TIMEOUT_SECONDS}",
        f'headers = {{ Authorization = "Bearer ${{{token_variable}}}" }}',
        "[generation]",
        f"max-examples = {MAX_EXAMPLES}",
        'database = "none"',
        'mode = "all"',
        "[phases]",
        *(f"{phase}.enabled = true" for phase in PHASES),
        f"stateful.max-steps = {STATEFUL_MAX_STEPS}",
        "[checks]",
        "enabled = true",
        "[dictionaries]",
        *(f"{name} = {{ values = {json.dumps(values)} }}" for name, values in dictionaries.items()),
        "[parameters]",
        _drawn("path.id", "repository_ids"),
        _drawn("body.repository_id", "repository_ids"),
        _drawn("path.path", "asset_paths"),
        _drawn("query.token", "signin_links"),
    ]
    operations: dict[str, list[str]] = {
        "/api/session": [_drawn("parameters.'body.token'", "api_tokens")],
        "/api/github/connection": [_drawn("parameters.'body.token'", "github_tokens")],
        # Signed by the hooks; the document's example is a push to "octo/hello".
        "/webhooks/github": [_drawn("parameters.'header.X-GitHub-Event'", "github_events")],
        # A stream of a repository that is not generating stays open (keep-alives
        # only): its first event is the answer to check.
        "/api/repositories/{id}/docs/events": ["max-stream-events = 1"],
    }
    for path in SEMANTIC_400:
        operations.setdefault(path, []).append(
            "checks.positive_data_acceptance.expected-statuses = "
            '["2XX", "3XX", 400, 401, 403, 404, 409, 429]'
        )
    for path, settings in operations.items():
        lines += ["[[operations]]", f'include-path = "{path}"', *settings]
    return "\n".join(lines) + "\n"


def _drawn(key: str, dictionary: str) -> str:
    quoted = key if key.startswith("parameters.") else f'"{key}"'
    return f'{quoted} = {{ dictionary = "{dictionary}", probability = 0.5 }}'


async def run_schemathesis(
    base_url: str, config: Path, report: Path, env: dict[str, str]
) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "schemathesis.cli",
        "--config-file", str(config), "--no-color",
        "run", f"{base_url}/api/openapi.json",
        "--report", "json", "--report-json-path", str(report),
        cwd=config.parent,  # its caches go to the test's folder, not the checkout
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=env,
    )  # fmt: skip
    output, _ = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, output.decode(errors="replace")


async def test_schemathesis_finds_no_failure(
    app: web.Application,
    client: TestClient[Any, Any],
    user: tuple[User, str],
    auth: dict[str, str],
    sample_repo: Path,
    fake_github: FakeGitHub,
    tmp_path: Path,
) -> None:
    github_token = fake_github.add_user("octo").token
    ids = await known_repositories(app, client, auth, sample_repo, fake_github, github_token)
    links = [
        await sessions.create_signin_token(app[POOL], user[0], 600) for _ in range(SIGNIN_LINKS)
    ]
    config = tmp_path / "schemathesis.toml"
    known = Known(list(ids.values()), user[1], github_token, links)
    config.write_text(fuzz_config("DOCSGEN_FUZZ_TOKEN", known))
    report = tmp_path / "report.json"
    env = {
        **os.environ,
        "DOCSGEN_FUZZ_TOKEN": auth["Authorization"].removeprefix("Bearer "),
        fuzz_hooks.SECRET_VARIABLE: fake_github.webhook_secret,
        "PYTHONPATH": str(REPO_ROOT),
        "NO_COLOR": "1",
    }
    base_url = str(client.make_url("")).rstrip("/")

    code, output = await run_schemathesis(base_url, config, report, env)
    (tmp_path / "schemathesis.txt").write_text(output)

    assert code == 0, output
    run = json.loads(report.read_text())
    assert (run["seed"], run["failures"], run["errors"]) == (SEED, [], []), output
    assert run["test_cases"]["with_failures"] == 0
    assert {name: p["status"] for name, p in run["phases"].items()} == dict.fromkeys(
        PHASES, "success"
    )
    # Every documented operation was fuzzed (but the document itself, which it reads).
    operations = documented_operations(app) - {"GET /api/openapi.json"}
    assert run["operations"]["tested"] == run["operations"]["total"] == len(operations)
    # ... and reached past its refusals: some request of each was accepted.
    for operation in operations:
        if operation == "GET /auth/github/callback":
            continue  # a valid state needs the OAuth cookie of a browser that began the flow
        rates = run["valid_rates"].get(operation, {})
        accepted = sum(phase["accepted"] for phase in rates.values())
        assert accepted > 0, (operation, rates)
    await wait_for_runs(app)  # runs the fuzzer started end before the app does


def documented_operations(app: web.Application) -> set[str]:
    return {
        f"{method.upper()} {path}"
        for path, item in app[OPENAPI_DOCUMENT]["paths"].items()
        for method in item
        if method in METHODS
    }
