"""The secrets guard itself: it must catch what it is there to catch."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from docsgen.db.accounts import new_token
from tests.support.secrets_guard import find_secrets
from tests.support.service import REPO_ROOT


def test_it_finds_api_and_github_tokens_and_literals() -> None:
    token = new_token()
    assert find_secrets(f"user sent {token} today") == [token]
    assert find_secrets("Authorization: token ghp_" + "a" * 36) == ["ghp_" + "a" * 36]
    assert find_secrets("github_pat_" + "B1" * 20) == ["github_pat_" + "B1" * 20]
    assert find_secrets("the key is s3cret-key", ["s3cret-key"]) == ["s3cret-key"]
    assert find_secrets("nothing to see: dg_short ghp_x") == []


async def test_our_own_answers_and_logs_carry_no_token(
    client: TestClient[Any, Any], auth: dict[str, str], caplog: Any, http_answers: list[str]
) -> None:
    await client.get("/api/repositories", headers=auth)
    await client.get("/api/repositories", headers={"Authorization": auth["Authorization"] + "x"})
    logging.getLogger("docsgen.test").info("a log line")
    assert http_answers, "the recorder saw the answers"
    token = auth["Authorization"].split()[1]
    assert all(token not in a for a in http_answers)
    assert token not in caplog.text


def test_no_source_file_logs_a_token_variable() -> None:
    """A cheap static net: no log call in the package formats a token or secret."""
    offenders = []
    for path in (REPO_ROOT / "docsgen").rglob("*.py"):
        for number, line in enumerate(Path(path).read_text().splitlines(), 1):
            if "log." in line and any(w in line for w in ("token)", "secret_key", "password")):
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}")
    assert offenders == []
