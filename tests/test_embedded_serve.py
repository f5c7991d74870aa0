"""``docsgen serve`` on a fresh machine: no DATABASE_URL, nothing configured, data kept."""

from __future__ import annotations

import stat
from pathlib import Path

from docsgen.embedded import EmbeddedPostgres
from tests.support.gitrepo import SAMPLE_FILES, make_repo
from tests.support.http import call, wait_for_status
from tests.support.processes import docsgen, docsgen_env, serve
from tests.support.secrets_guard import SecretsGuard


def test_serve_with_nothing_configured_keeps_its_data_across_restarts(
    tmp_path: Path, secrets_guard: SecretsGuard
) -> None:
    home = tmp_path / "home"
    repo = home / "code" / "sample"
    make_repo(repo, SAMPLE_FILES)
    env = docsgen_env({"HOME": str(home), "DOCSGEN_ANALYSIS_WORKERS": "1"})
    data_dir = home / ".local" / "share" / "docsgen"  # the per-user data folder

    with serve(env, secrets_guard) as served:
        assert "database: embedded in" in served.read_until("database:", 10)
        key_file = data_dir / "secret_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        secret_key = key_file.read_text()
        server = EmbeddedPostgres(data_dir).running()
        assert server is not None

        # The CLI attaches to the database the running service started.
        created = docsgen("users", "create", "alice", env=env)
        assert created.returncode == 0, created.stderr
        token = created.stdout.strip().splitlines()[-1]
        assert EmbeddedPostgres(data_dir).running() == server, "still the same server"

        # Local repositories from the user's home are allowed with nothing configured.
        registered = call(
            "POST",
            f"{served.url}/api/repositories",
            token=token,
            body={"provider": "local", "path": str(repo)},
        )
        assert registered.status == 201, registered.body
        repository_id = registered.json()["id"]
        started = call(
            "POST",
            f"{served.url}/api/generate-docs",
            token=token,
            body={"repository_id": repository_id},
        )
        assert started.status == 202, started.body
        final = wait_for_status(served.url, token, repository_id)
        assert (final["status"], final["progress"]) == ("completed", 100), final
        markdown = call(
            "GET", f"{served.url}/api/repositories/{repository_id}/docs.md", token=token
        )
        assert markdown.status == 200 and markdown.body.startswith(b"# sample")

    assert EmbeddedPostgres(data_dir).running() is None, "stopped with the service"

    with serve(env, secrets_guard) as served:
        listed = call("GET", f"{served.url}/api/repositories", token=token)
        assert listed.status == 200, listed.body
        [kept] = listed.json()["repositories"]
        assert kept["id"] == repository_id
        assert kept["docs"]["status"] == "completed"
        again = call("GET", f"{served.url}/api/repositories/{repository_id}/docs.md", token=token)
        assert again.body == markdown.body
    assert key_file.read_text() == secret_key, "the secret key is generated once"
    assert EmbeddedPostgres(data_dir).running() is None
