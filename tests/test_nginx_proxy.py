"""The nginx configuration of docs/deploy.md, run by Debian's nginx in front of two processes."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.gitrepo import SAMPLE_FILES, make_repo
from tests.support.groups import nginx
from tests.support.http import call, wait_for_status
from tests.support.processes import REPO_ROOT, docsgen, docsgen_env, free_port, serve
from tests.support.secrets_guard import SecretsGuard

NGINX = nginx()

pytestmark = pytest.mark.needs("nginx")


def guide_config() -> str:
    """The ```nginx block of the deployment guide."""
    text = (REPO_ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    found = re.search(r"```nginx\n(.*?)```", text, re.S)
    assert found, "docs/deploy.md has no nginx configuration"
    return found.group(1)


def _substitute(config: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in config, f"the guide's configuration no longer contains {old!r}"
        config = config.replace(old, new)
    return config


@dataclass
class Site:
    url: str
    upstreams: list[str]
    token: str
    repo: Path


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "nginx exited"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)  # polling an external process, with a deadline
    raise TimeoutError(f"nginx did not listen on {port}")


@pytest.fixture
def site(
    database_url: str, tmp_path: Path, repos_root: Path, secrets_guard: SecretsGuard
) -> Iterator[Site]:
    repo = repos_root / "sample"
    make_repo(repo, SAMPLE_FILES)
    env = docsgen_env(
        {
            "DATABASE_URL": database_url,
            "DOCSGEN_SECRET_KEY": "nginx-test-secret-key-0123456789",
            "DOCSGEN_LOCAL_ROOTS": str(repos_root),
            "DOCSGEN_DATA_DIR": str(tmp_path / "data"),
            "DOCSGEN_ANALYSIS_WORKERS": "1",
            "DOCSGEN_POOL_MIN_SIZE": "1",
        }
    )
    created = docsgen("users", "create", "proxyuser", env=env)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    first, second, listen = free_port(), free_port(), free_port()
    with (
        serve({**env, "DOCSGEN_PORT": str(first)}, secrets_guard) as a,
        serve({**env, "DOCSGEN_PORT": str(second)}, secrets_guard) as b,
    ):
        site_config = _substitute(
            guide_config(),
            {
                "127.0.0.1:8081": f"127.0.0.1:{first}",
                "127.0.0.1:8082": f"127.0.0.1:{second}",
                "listen 80;": f"listen 127.0.0.1:{listen};",
            },
        )
        work = tmp_path / "nginx"
        work.mkdir()
        temp_paths = "\n".join(
            f"    {kind}_temp_path {work}/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        conf = work / "nginx.conf"
        conf.write_text(
            ("user root root;\n" if os.geteuid() == 0 else "")
            + f"daemon off;\npid {work}/nginx.pid;\nerror_log {work}/error.log info;\n"
            + "events { worker_connections 256; }\n"
            + f"http {{\n    access_log {work}/access.log;\n{temp_paths}\n{site_config}\n}}\n"
        )
        checked = subprocess.run(
            [NGINX, "-t", "-c", str(conf), "-p", str(work), "-e", "stderr"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stderr
        nginx = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(work), "-e", str(work / "startup.log")],
            stdin=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(listen, nginx)
            yield Site(f"http://127.0.0.1:{listen}", [a.url, b.url], token, repo)
        finally:
            nginx.terminate()
            nginx.wait(30)


def _register_and_start(site: Site) -> str:
    registered = call(
        "POST",
        f"{site.url}/api/repositories",
        token=site.token,
        body={"provider": "local", "path": str(site.repo)},
    )
    assert registered.status == 201, registered.body
    repository_id: str = registered.json()["id"]
    return repository_id


def _requests_served(upstream: str) -> float:
    metrics = call("GET", f"{upstream}/metrics").body.decode()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("docsgen_http_request_duration_seconds_count{")
    )


def test_status_polling_through_the_proxy_follows_a_generation_to_the_end(site: Site) -> None:
    repository_id = _register_and_start(site)
    started = call(
        "POST",
        f"{site.url}/api/generate-docs",
        token=site.token,
        body={"repository_id": repository_id},
        headers={"X-Request-Id": "through-nginx-1"},
    )
    assert started.status == 202, started.body
    assert started.headers["X-Request-Id"] == "through-nginx-1", "the caller's id is kept"

    final = wait_for_status(site.url, site.token, repository_id)
    assert (final["status"], final["progress"], final["current_step"]) == (
        "completed",
        100,
        "Completed",
    )
    status_url = f"{site.url}/api/repositories/{repository_id}/docs/status"
    fresh = call("GET", status_url, token=site.token)
    assert len(fresh.headers["X-Request-Id"]) == 32, "nginx made an id when none was sent"
    unchanged = call(
        "GET", status_url, token=site.token, headers={"If-None-Match": fresh.headers["ETag"]}
    )
    assert unchanged.status == 304, "conditional polling passes through the proxy"
    markdown = call("GET", f"{site.url}/api/repositories/{repository_id}/docs.md", token=site.token)
    assert markdown.status == 200 and markdown.body.startswith(b"# sample")

    assert all(_requests_served(upstream) > 0 for upstream in site.upstreams), (
        "both processes answered requests"
    )
    assert call("GET", f"{site.url}/metrics").status == 200  # allowed from 127.0.0.1


def _next_event(response: http.client.HTTPResponse) -> dict[str, Any] | None:
    """The next ``progress`` event's data, or None when the stream ended."""
    event, data = "", ""
    while True:
        line = response.fp.readline()
        if not line:
            return None
        text = line.decode().rstrip("\r\n")
        if text.startswith(":"):
            continue  # keep-alive comment
        if text.startswith("event:"):
            event = text.split(":", 1)[1].strip()
        elif text.startswith("data:"):
            data += text.split(":", 1)[1].strip()
        elif text == "" and data:
            if event in ("", "progress"):
                parsed: dict[str, Any] = json.loads(data)
                return parsed
            event, data = "", ""


def test_server_sent_events_pass_through_the_proxy_unbuffered(site: Site) -> None:
    repository_id = _register_and_start(site)
    host, port = site.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=15)
    connection.request(
        "GET",
        f"/api/repositories/{repository_id}/docs/events",
        headers={
            "Authorization": f"Bearer {site.token}",
            "Accept": "text/event-stream",
            "Accept-Encoding": "gzip, deflate",  # as a browser sends it
        },
    )
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type", "").startswith("text/event-stream")
    assert response.getheader("Content-Encoding") is None

    # The first event must arrive while the stream is open and nothing else happens:
    # a buffering proxy would hold it until the stream ends (a socket timeout here).
    first = _next_event(response)
    assert first is not None and first["status"] == "idle"

    started = call(
        "POST",
        f"{site.url}/api/generate-docs",
        token=site.token,
        body={"repository_id": repository_id},
    )
    assert started.status == 202
    seen: list[dict[str, Any]] = []
    while (event := _next_event(response)) is not None:
        seen.append(event)
        if event["status"] in ("completed", "failed"):
            break
    connection.close()
    assert seen and seen[-1]["status"] == "completed"
    progress = [e["progress"] for e in seen]
    assert progress == sorted(progress) and progress[-1] == 100
