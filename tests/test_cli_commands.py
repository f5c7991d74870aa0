"""``docsgen --version``, ``migrate`` and ``users`` with DATABASE_URL or the embedded database."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from docsgen import __version__
from docsgen.db.migrations import migration_files
from docsgen.embedded import EmbeddedPostgres
from tests.support import database
from tests.support.http import assert_signin_link_works_once
from tests.support.processes import docsgen, docsgen_env, serve
from tests.support.secrets_guard import SecretsGuard


@pytest.fixture
async def empty_database_url(admin_database_url: str) -> AsyncIterator[str]:
    name = await database.create_from_template(admin_database_url, "template0")
    yield database.with_database(admin_database_url, name)
    await database.drop(admin_database_url, name)


def test_version() -> None:
    result = docsgen("--version", env=docsgen_env({}))
    assert result.returncode == 0
    assert result.stdout.strip() == f"docsgen {__version__}"


def test_migrate_applies_each_migration_once(empty_database_url: str) -> None:
    env = docsgen_env({"DATABASE_URL": empty_database_url})
    first = docsgen("migrate", env=env)
    assert first.returncode == 0, first.stderr
    names = [p.name for p in migration_files()]
    assert first.stdout.strip() == f"applied {len(names)} migration(s): " + ", ".join(names)
    again = docsgen("migrate", env=env)
    assert again.stdout.strip() == "applied 0 migration(s)"


def test_users_create_and_token_print_a_token_alone_on_the_last_line(database_url: str) -> None:
    env = docsgen_env({"DATABASE_URL": database_url})
    created = docsgen("users", "create", "carol", env=env)
    assert created.returncode == 0, created.stderr
    first = created.stdout.strip().splitlines()[-1]
    another = docsgen("users", "token", "carol", env=env)
    second = another.stdout.strip().splitlines()[-1]
    assert first.startswith("dg_") and second.startswith("dg_") and first != second
    unknown = docsgen("users", "token", "nobody-here", env=env)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "docsgen: No user named 'nobody-here'"


def test_without_database_url_migrate_and_users_start_and_stop_the_embedded_database(
    tmp_path: Path,
) -> None:
    env = docsgen_env({"DOCSGEN_DATA_DIR": str(tmp_path / "data")})
    result = docsgen("migrate", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(f"applied {len(migration_files())} migration(s)")
    assert (tmp_path / "data" / "postgres" / "PG_VERSION").exists()
    assert EmbeddedPostgres(tmp_path / "data").running() is None, "stopped again"

    created = docsgen("users", "create", "bob", env=env)
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip().splitlines()[-1].startswith("dg_")
    again = docsgen("users", "create", "bob", env=env)
    assert again.returncode == 1, "the user was kept in the data folder's database"
    assert again.stderr.strip() == (
        "docsgen: A user named 'bob' already exists; "
        "print another API token for it with `docsgen users token bob`"
    )
    assert EmbeddedPostgres(tmp_path / "data").running() is None


def test_a_malformed_setting_exits_2_naming_it() -> None:
    result = docsgen("migrate", env=docsgen_env({"DOCSGEN_PORT": "eighty"}))
    assert result.returncode == 2
    assert "DOCSGEN_PORT must be a whole number" in result.stderr


def test_an_unreachable_database_exits_1_with_a_database_error() -> None:
    env = docsgen_env({"DATABASE_URL": "postgresql://postgres@127.0.0.1:9/postgres"})
    result = docsgen("migrate", env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("docsgen: database error:")
    assert "Traceback" not in result.stderr


def test_serve_on_a_taken_port_exits_1_naming_docsgen_port_and_prints_no_link(
    database_url: str,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = docsgen_env({"DATABASE_URL": database_url, "DOCSGEN_PORT": str(port)})
        result = docsgen("serve", env=env)
    assert result.returncode == 1
    assert "Sign in" not in result.stdout + result.stderr, "no link that nothing would answer"
    assert result.stderr.splitlines()[-1] == (
        f"docsgen: port {port} is already in use on 127.0.0.1 (is docsgen already running?); "
        "set DOCSGEN_PORT to serve on another port"
    )


def test_serve_on_an_address_it_cannot_use_names_the_settings(database_url: str) -> None:
    env = docsgen_env({"DATABASE_URL": database_url, "DOCSGEN_HOST": "192.0.2.1"})
    result = docsgen("serve", env=env)
    assert result.returncode == 1
    assert "Sign in" not in result.stdout
    assert result.stderr.splitlines()[-1] == (
        "docsgen: cannot listen on 192.0.2.1:8080: Cannot assign requested address; "
        "set DOCSGEN_HOST and DOCSGEN_PORT to an address and port this machine lets docsgen use"
    )


def test_signin_link_prints_a_fresh_link_while_the_service_runs(
    database_url: str, secrets_guard: SecretsGuard
) -> None:
    env = docsgen_env({"DATABASE_URL": database_url, "DOCSGEN_ANALYSIS_WORKERS": "1"})
    with serve(env, secrets_guard) as served:
        env = {**env, "DOCSGEN_PORT": str(served.port)}
        hint = served.read_until("sign-in link", 10).strip()
        assert hint == "The sign-in link works once; for another: docsgen users signin-link admin"
        printed = docsgen("users", "signin-link", "admin", env=env)
        assert printed.returncode == 0, printed.stderr
        [line] = printed.stdout.splitlines()
        assert line.startswith(f"Sign in: {served.url}/signin?token=dgs_")
        assert_signin_link_works_once(line.removeprefix("Sign in: "))

        unknown = docsgen("users", "signin-link", "nobody-here", env=env)
        assert (unknown.returncode, unknown.stdout) == (1, "")
        assert unknown.stderr.strip() == "docsgen: No user named 'nobody-here'"


def test_help_reads_as_plain_text() -> None:
    result = docsgen("--help", env=docsgen_env({}))
    assert result.returncode == 0
    assert "``" not in result.stdout
    assert "signin-link" in docsgen("users", "--help", env=docsgen_env({})).stdout
