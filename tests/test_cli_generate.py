"""``docsgen generate``: the service's Markdown, the same steps, a bar on a terminal, exit codes."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.generator.sections import SECTIONS
from docsgen.progress_schedule import (
    ANALYZING,
    COMPLETED,
    FETCHING_AUTH,
    FETCHING_METADATA,
    FETCHING_TREE,
    INITIALIZING,
    SAVING,
    section_step,
)
from tests.support.api import db_row, register_local, wait_for_runs
from tests.support.fake_github import FakeGitHub
from tests.support.gitrepo import git
from tests.support.processes import docsgen, docsgen_env


def contract_lines(section_titles: list[str]) -> list[str]:
    """CONTRACT §3's schedule as plain lines, for these sections."""
    n = len(section_titles)
    sections = [section_step(i, n, title) for i, title in enumerate(section_titles, 1)]
    steps = [INITIALIZING, FETCHING_METADATA, FETCHING_AUTH, FETCHING_TREE, ANALYZING,
             *sections, SAVING, COMPLETED]  # fmt: skip
    return [f"[{p:3d}%] {text}" for p, text in steps]


def _env() -> dict[str, str]:
    return docsgen_env({"DOCSGEN_ANALYSIS_WORKERS": "1"})


async def test_writes_the_markdown_the_service_stores_for_the_repository(
    app: web.Application,
    client: TestClient[Any, Any],
    auth: dict[str, str],
    sample_repo: Path,
    tmp_path: Path,
) -> None:
    repo = await register_local(client, auth, sample_repo)
    response = await client.post(
        "/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth
    )
    assert response.status == 202
    await wait_for_runs(app)
    row = await db_row(app, repo["id"])
    assert row is not None and row["status"] == "completed"

    out = tmp_path / "docs.md"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "docsgen", "generate", str(sample_repo), "--out", str(out),
        env=_env(), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await proc.communicate()
    assert proc.returncode == 0, stderr.decode()
    assert stdout == b"", "with --out, nothing but the file is written"
    assert out.read_text(encoding="utf-8") == row["content"]


def test_without_a_terminal_it_prints_the_contract_steps_and_markdown_to_stdout(
    sample_repo: Path,
) -> None:
    result = docsgen("generate", str(sample_repo), env=_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# sample\n")
    titles = re.findall(r"^## (.+)$", result.stdout, re.MULTILINE)
    assert titles[0] == "Overview" and "Project Structure" in titles
    # The sections are built in their order; the Markdown reads the API Reference last.
    built = [s.title for s in SECTIONS if s.title in titles]
    assert titles == [t for t in built if t != "API Reference"] + ["API Reference"]
    assert result.stderr.splitlines() == contract_lines(built)
    assert result.stderr.splitlines()[4] == "[ 50%] Analyzing code structure"


def test_on_a_terminal_it_draws_a_progress_bar(sample_repo: Path, tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    out = tmp_path / "docs.md"
    env = {**_env(), "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "docsgen", "generate", str(sample_repo), "--out", str(out)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    screen = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 1.0)
            if not ready:
                continue
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the program closed the terminal
                break
            if not chunk:
                break
            screen += chunk
    finally:
        os.close(controller)
        assert proc.wait(30) == 0, screen.decode(errors="replace")
    text = screen.decode(errors="replace")
    assert "━" in text, f"no bar drawn: {text!r}"
    assert "\x1b[" in text, "drawn with terminal control sequences"
    assert "100%" in text and "Completed" in text
    assert "[ 40%]" not in text, "plain lines are for non-terminals"
    assert out.read_text(encoding="utf-8").startswith("# sample\n")


def test_json_format_carries_the_markdown_and_sections(sample_repo: Path, tmp_path: Path) -> None:
    markdown = docsgen("generate", str(sample_repo), env=_env())
    result = docsgen(
        "generate", str(sample_repo), "--format", "json", "--out", f"{tmp_path}/", env=_env()
    )
    assert result.returncode == 0, result.stderr
    body = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert body["content"] == markdown.stdout
    assert body["repository"] == "sample" and body["provider"] == "local"
    assert body["commit_sha"] == git(sample_repo, "rev-parse", "HEAD")
    titles = [s["title"] for s in body["sections"]]
    assert titles == re.findall(r"^## (.+)$", markdown.stdout, re.MULTILINE)
    assert titles[0] == "Overview" and "Project Structure" in titles


def test_an_existing_folder_as_out_receives_index_md(sample_repo: Path, tmp_path: Path) -> None:
    result = docsgen("generate", str(sample_repo), "--out", str(tmp_path), env=_env())
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "index.md").read_text(encoding="utf-8").startswith("# sample\n")


def test_a_failed_generation_exits_1_with_the_contract_message_and_keeps_old_output(
    repos_root: Path, tmp_path: Path
) -> None:
    empty = repos_root / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    out = tmp_path / "docs.md"
    out.write_text("previous docs\n")
    result = docsgen("generate", str(empty), "--out", str(out), env=_env())
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "docsgen: Repository appears to be empty"
    assert out.read_text() == "previous docs\n", "a failed run loses nothing"

    plain = repos_root / "plain"
    plain.mkdir()
    result = docsgen("generate", str(plain), env=_env())
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"docsgen: Not a git repository: {plain}"
    assert result.stdout == ""


def test_a_github_name_without_a_token_exits_1_saying_to_set_github_token() -> None:
    result = docsgen("generate", "octocat/hello-world", env=_env())
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "docsgen: GitHub token missing: set GITHUB_TOKEN to a GitHub token that can read "
        "octocat/hello-world"
    )


async def test_a_rejected_github_token_exits_1_saying_to_set_github_token(
    fake_github: FakeGitHub, sample_repo: Path
) -> None:
    account = fake_github.add_user("octo")
    fake_github.add_repo("octo", "hello", sample_repo)
    fake_github.revoke(account.token)
    env = {**_env(), "GITHUB_TOKEN": account.token, "GITHUB_API_URL": fake_github.url}
    result = await asyncio.to_thread(docsgen, "generate", "octo/hello", env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "docsgen: GitHub rejected the token in GITHUB_TOKEN: set GITHUB_TOKEN to a valid token"
    )
    assert result.stdout == ""


def test_usage_errors_exit_2(tmp_path: Path, sample_repo: Path) -> None:
    cases = {
        ("generate",): "the following arguments are required: SOURCE",
        ("generate", str(tmp_path / "missing")): "does not exist",
        ("generate", "not a source!"): "SOURCE must be an existing folder or a GitHub owner/name",
        ("generate", str(sample_repo), "--format", "html"): "invalid choice: 'html'",
        ("generate", str(sample_repo), "--out", str(tmp_path / "no" / "x.md")): "does not exist",
    }
    for args, message in cases.items():
        result = docsgen(*args, env=_env())
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert result.stdout == ""
