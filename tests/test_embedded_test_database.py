"""The test suite's database: the configured PostgreSQL, or the embedded one when none answers."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import database
from tests.support.processes import REPO_ROOT, docsgen_env, free_port


def _closed_url() -> str:
    return f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"


def test_a_configured_server_is_used_as_given_even_when_it_does_not_answer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    closed = _closed_url()
    monkeypatch.setenv("DOCSGEN_TEST_DATABASE_URL", closed)
    monkeypatch.delenv("DOCSGEN_TEST_EMBEDDED", raising=False)
    with database.admin_server(tmp_path) as url:
        assert url == closed  # a typo in CI's URL must fail loudly, not switch servers
    assert not (tmp_path / "postgres").exists()


def test_the_suite_passes_on_the_embedded_database_when_no_server_answers(
    tmp_path: Path,
) -> None:
    """A part of the suite, run with its PostgreSQL pointed at a port where nothing listens."""
    closed = _closed_url()
    port = int(closed.rsplit(":", 1)[1].split("/")[0])
    env = docsgen_env({"DOCSGEN_TEST_DATABASE_URL": closed, "DOCSGEN_TEST_EMBEDDED": "1"})
    inner = tmp_path / "inner"
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            f"--basetemp={inner}",
            "tests/test_lifecycle.py::test_a_run_follows_the_contract_schedule_and_completes",
            "tests/test_ops_readiness.py::test_ready_when_the_database_answers_and_migrations_are_applied",
        ],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    text = (inner / "embedded-postgres0" / "postgres.log").read_text()
    assert "database system is ready to accept connections" in text
    assert "database system is shut down" in text, "stopped at the end of the session"
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "nothing was started on the closed port"
