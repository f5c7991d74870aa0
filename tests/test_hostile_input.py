"""Bad input is the caller's error: a 4xx with a JSON error, never a 5xx (issue 14, items 2, 12).

Every route that reads a JSON body is taken from the app's router (a new one is
covered at once) and gets bodies nested thousands of levels deep and strings
that are not Unicode, signed in and not, and signed as GitHub signs for the
webhook.  Local paths the filesystem refuses (a NUL, a lone surrogate, a
symbolic-link loop, a name too long) are the caller's error too, not the
database's.
"""

from __future__ import annotations

import errno
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.bodies import MAX_JSON_DEPTH
from docsgen.api.openapi import OPENAPI_DOCUMENT
from docsgen.db import DATABASE_ERRORS
from docsgen.db.pool import create_pool
from docsgen.settings import Settings
from tests.support.api import register_local
from tests.support.fake_github import FakeGitHub
from tests.test_access_matrix import router_routes

Client = TestClient[Any, Any]
pytestmark = pytest.mark.on_fake_github

# Changes that read no body at all (what they act on is in the path).
READS_NO_BODY = {("POST", "/api/repositories/{id}/docs/check")}
WEBHOOK = ("POST", "/webhooks/github")


def nested(depth: int, inner: bytes = b"1") -> bytes:
    """``[[[...1...]]]``, ``depth`` arrays deep."""
    return b"[" * depth + inner + b"]" * depth


def nested_objects(depth: int) -> bytes:
    return b'{"a": ' * depth + b"1" + b"}" * depth


# Each a body and what it is; all of them fit the 64 KiB limit of API bodies.
HOSTILE_BODIES: list[tuple[str, bytes]] = [
    ("8,000-deep arrays", nested(8_000)),
    ("20,000-deep arrays", nested(20_000)),
    ("5,000-deep objects in a field", b'{"token": ' + nested_objects(5_000) + b"}"),
    ("one level too deep", b'{"token": ' + nested(MAX_JSON_DEPTH) + b"}"),
    ("a lone surrogate as a value", b'{"token": "\\ud800", "repository_id": "\\udfff"}'),
    ("a lone surrogate as a key", b'{"\\ud800": 1}'),
    ("a surrogate in raw bytes", b'{"token": "\xed\xa0\x80"}'),
]


def json_routes(app: web.Application) -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path in router_routes(app)
        if method in ("POST", "PUT", "PATCH") and (method, path) not in READS_NO_BODY
    ]


def test_the_json_routes_are_the_operations_the_document_gives_a_body(
    app: web.Application,
) -> None:
    """The router's changes and the OpenAPI document agree on which routes read JSON."""
    documented = {
        (method.upper(), path)
        for path, item in app[OPENAPI_DOCUMENT]["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "requestBody" in operation
    }
    assert set(json_routes(app)) == documented


async def test_every_json_route_answers_hostile_bodies_with_a_4xx_json_error(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    sample_repo: Path,
    fake_github: FakeGitHub,
) -> None:
    repository_id = (await register_local(client, auth, sample_repo))["id"]
    routes = json_routes(app)
    assert WEBHOOK in routes and ("POST", "/api/session") in routes
    checked = 0
    for method, path in routes:
        url = path.replace("{id}", repository_id)
        for what, body in HOSTILE_BODIES:
            for caller, headers in (("signed in", auth), ("nobody", {})):
                headers = {**headers, "Content-Type": "application/json"}
                if (method, path) == WEBHOOK:
                    headers.update(
                        {
                            "X-GitHub-Event": "push",
                            "X-GitHub-Delivery": str(uuid.uuid4()),
                            "X-Hub-Signature-256": fake_github.sign(body),
                        }
                    )
                where = f"{method} {path}, {what}, {caller}"
                response = await client.request(method, url, data=body, headers=headers)
                answer = await response.json()
                assert 400 <= response.status < 500, f"{where}: {response.status} {answer}"
                assert isinstance(answer.get("error"), str), where
                if caller == "signed in" and len(body) <= 16 * 1024:  # under every body limit
                    # The body itself is refused, whoever sends it (the webhook: GitHub).
                    assert response.status == 400, f"{where}: {response.status} {answer}"
                checked += 1
    assert checked == len(routes) * len(HOSTILE_BODIES) * 2


async def test_a_lone_surrogate_token_to_sign_in_is_400(client: Client) -> None:
    response = await client.post(
        "/api/session",
        data=b'{"token": "\\ud800"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 400
    assert await response.json() == {
        "error": "Request body holds a string that is not valid Unicode (a lone surrogate)"
    }


async def test_deep_nesting_is_refused_with_a_message_that_says_so(
    client: Client, auth: dict[str, str]
) -> None:
    for body in (nested(20_000), nested(MAX_JSON_DEPTH + 1)):
        response = await client.post(
            "/api/generate-docs", data=body, headers={**auth, "Content-Type": "application/json"}
        )
        assert response.status == 400
        assert await response.json() == {
            "error": f"Request body is nested too deeply (at most {MAX_JSON_DEPTH} levels)"
        }
    # As deep as allowed is read, and answered for what it says.
    response = await client.post(
        "/api/generate-docs",
        data=b'{"repository_id": ' + nested(MAX_JSON_DEPTH - 1, b'"x"') + b"}",
        headers={**auth, "Content-Type": "application/json"},
    )
    assert (response.status, await response.json()) == (
        400,
        {"error": "repository_id must be a UUID string"},
    )


async def test_local_paths_the_filesystem_refuses_are_400(
    client: Client, auth: dict[str, str], repos_root: Path
) -> None:
    loop = repos_root / "loop"
    loop.symlink_to(repos_root / "loop")
    long_path = str(repos_root) + ("/" + "a" * 250) * 24
    assert len(long_path) > 6_000
    cases = {
        "a NUL": (str(repos_root / "a\u0000b"), "Local repository path cannot be used:"),
        "a lone surrogate": (str(repos_root / "a\ud800b"), "Request body holds a string"),
        # The roots check resolves the path first and names the loop itself.
        "a symbolic-link loop": (str(loop), "A symlink loop or unreadable folder at "),
        "a 6,000-character path": (long_path, "Local repository path cannot be used:"),
    }
    for what, (path, error) in cases.items():
        body = json.dumps({"provider": "local", "path": path}).encode()
        response = await client.post(
            "/api/repositories", data=body, headers={**auth, "Content-Type": "application/json"}
        )
        answer = await response.json()
        assert response.status == 400, f"{what}: {response.status} {answer}"
        assert answer["error"].startswith(error), f"{what}: {answer}"
    listed = await (await client.get("/api/repositories", headers=auth)).json()
    assert listed["repositories"] == []


def test_a_file_name_too_long_is_not_a_database_failure() -> None:
    assert not isinstance(OSError(errno.ENAMETOOLONG, "File name too long"), DATABASE_ERRORS)
    assert not isinstance(
        OSError(errno.ELOOP, "Too many levels of symbolic links"), DATABASE_ERRORS
    )


async def test_a_database_that_cannot_be_reached_is_still_a_database_failure(
    settings: Settings, tmp_path: Path
) -> None:
    """Connecting over a socket that is not there (an OSError that is no ConnectionError)."""
    missing = tmp_path / "no-server-here"
    with pytest.raises(DATABASE_ERRORS):
        await create_pool(f"postgresql://postgres@/docsgen?host={missing}", settings)
