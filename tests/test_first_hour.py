"""The README's two commands on a clean clone, as a newcomer runs them.

A fresh HOME, no DATABASE_URL, nothing installed by hand: the clone holds this
checkout as it is (tracked and new files, what .gitignore leaves out left out),
so the test checks what is about to be committed.  pip may reuse the machine's
download cache (a fresh HOME has none); what is installed, and how, is
otherwise what a newcomer gets.  The test command runs one test of each group
that needs something of the machine, and none of them may skip.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.http import assert_signin_link_works_once, call
from tests.support.processes import REPO_ROOT, Service, free_port
from tests.support.secrets_guard import SecretsGuard

# One test of each group (tests/support/groups.py): the run proves none is skipped.
ONE_OF_EACH_GROUP = (
    "tests/browser/test_signin.py::test_signing_in_with_an_api_token",
    "tests/test_pages.py::test_the_vendored_diagram_library_is_served_when_fetched",
    "tests/test_nginx_proxy.py::test_server_sent_events_pass_through_the_proxy_unbuffered",
)
SERVE, TEST = "./scripts/dev serve", "./scripts/dev test"
DEV = REPO_ROOT / "scripts" / "dev"


def readme_commands() -> list[str]:
    """The commands of the README's first shell block."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block, "the README opens with no shell block"
    return block.group(1).strip().splitlines()


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=newcomer", "-c", "user.email=newcomer@example.org",
         "-c", "commit.gpgsign=false", "-c", "safe.directory=*", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def clean_clone(scratch: Path) -> Path:
    """A clone of this checkout as it is: committed to a scratch repository first."""
    snapshot = f"--git-dir={scratch / 'snapshot.git'}"
    tree = f"--work-tree={REPO_ROOT}"
    git(snapshot, tree, "init", "-q")
    git(snapshot, tree, "add", "-A")
    git(snapshot, tree, "commit", "-q", "-m", "the checkout as it is")
    clone = scratch / "docsgen"
    git("clone", "-q", str(scratch / "snapshot.git"), str(clone))
    return clone


def pip_cache() -> str | None:
    found = subprocess.run(
        [sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True, check=False
    )
    return found.stdout.strip() if found.returncode == 0 else None


def newcomer_env(home: Path) -> dict[str, str]:
    """The machine's environment as a new user's shell has it: no docsgen settings, no
    DATABASE_URL, no virtual environment, a HOME of its own."""
    ours = ("DOCSGEN_", "GITHUB_", "XDG_", "PYTEST_")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(ours)
        and k not in ("DATABASE_URL", "HOME", "PYTHONPATH", "VIRTUAL_ENV", "PIP_CACHE_DIR")
    }
    outer = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != outer)
    env["HOME"] = str(home)
    cache = pip_cache()
    if cache:
        env["PIP_CACHE_DIR"] = cache
    return env


def installed(venv: Path, module: str) -> bool:
    probe = [str(venv / "bin" / "python"), "-c", f"import {module}"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


@pytest.mark.needs("browser", "diagrams", "nginx")
@pytest.mark.timeout(900)
def test_the_readme_commands_work_on_a_clean_clone_with_a_fresh_home(
    tmp_path: Path, secrets_guard: SecretsGuard
) -> None:
    assert readme_commands() == [SERVE, TEST], "the README's commands changed: change this test"
    clone = clean_clone(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = {**newcomer_env(home), "DOCSGEN_PORT": str(free_port())}  # CI runs tests side by side

    served = Service(env, tmp_path / "serve.log", argv=SERVE.split(), cwd=clone)
    secrets_guard.read_also(served.output)
    try:
        served.wait_started(timeout=600)
        [link] = [x for x in served.output().splitlines() if x.startswith("Sign in: ")]
        ready = call("GET", f"{served.url}/readyz")
        assert ready.status == 200, ready.body
        assert_signin_link_works_once(link.removeprefix("Sign in: "))
    finally:
        assert served.terminate() == 0, served.output()
    log = served.output()
    assert "Traceback" not in log and "Warning" not in log, log
    assert "database: embedded in " + str(home / ".local" / "share" / "docsgen") in log
    assert "for another: ./scripts/dev users signin-link admin" in log
    venv = clone / ".venv"
    assert installed(venv, "aiohttp") and not installed(venv, "pytest"), "serve installs lean"

    tests = subprocess.run(
        [*TEST.split(), "-q", "-rs", *ONE_OF_EACH_GROUP],
        cwd=clone, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    shown = tests.stdout + tests.stderr
    assert tests.returncode == 0, shown
    assert "mermaid" in tests.stderr and "fetched into web/vendor/mermaid" in tests.stderr, shown
    summary = tests.stdout.strip().splitlines()[-1]
    assert re.fullmatch(rf"{len(ONE_OF_EACH_GROUP)} passed in [\d.]+s(?: \(.*\))?", summary), shown


def test_a_mistyped_test_command_suggests_test() -> None:
    for typo in ("tests", "pytest"):
        result = subprocess.run([DEV, typo], capture_output=True, text=True, check=False)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == (
            f"scripts/dev: there is no command '{typo}'; did you mean: ./scripts/dev test\n"
        )


def test_scripts_dev_alone_says_how_to_use_it() -> None:
    result = subprocess.run([DEV], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: ./scripts/dev COMMAND [ARGS...]\n")
    for line in ("./scripts/dev serve ", "./scripts/dev test [ARGS] ", "--no-browser"):
        assert line in result.stdout
