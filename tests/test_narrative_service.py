"""Summaries through the service and the command line: shown with the model's name, counted
in /metrics, the key in no log or answer, and nothing asked when no model is configured."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.settings import Settings
from tests.support.api import register_local, run_to_end, scrape_metrics
from tests.support.fake_llm import MODEL, FakeLanguageModel
from tests.support.generation import FIXTURES
from tests.support.gitrepo import make_repo
from tests.support.processes import docsgen
from tests.support.secrets_guard import SecretsGuard

Client = TestClient[Any, Any]


@pytest.fixture
def llm_overrides() -> dict[str, Any] | None:
    """The language model's settings a test changes; None: no model configured."""
    return {}


@pytest.fixture
def settings(
    settings: Settings, fake_llm: FakeLanguageModel, llm_overrides: dict[str, Any] | None
) -> Settings:
    if llm_overrides is None:
        return settings
    return fake_llm.settings_for(settings, **llm_overrides)


@pytest.fixture
def shop_repo(repos_root: Path) -> Path:
    path = repos_root / "shop"
    shutil.copytree(FIXTURES / "shop", path)
    make_repo(path, {})
    return path


async def documented(
    app: web.Application, client: Client, auth: dict[str, str], path: Path
) -> dict[str, Any]:
    repo = await register_local(client, auth, path)
    await run_to_end(app, client, auth, repo["id"])
    response = await client.get(f"/api/repositories/{repo['id']}/docs.md", headers=auth)
    assert response.status == 200, await response.text()
    status = await client.get(f"/api/repositories/{repo['id']}/docs/status", headers=auth)
    return {"markdown": await response.text(), **(await status.json())}


async def test_a_run_writes_summaries_marked_with_the_model_and_counts_them(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    shop_repo: Path,
    fake_llm: FakeLanguageModel,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_llm.script(lambda body: "`Cart.total` calls `add_tax` (`shop/cart.py:14`).")
    docs = await documented(app, client, auth, shop_repo)
    assert docs["status"] == "completed", docs["error_message"]
    assert "### What it is\n\n`Cart.total` calls `add_tax` (`shop/cart.py:14`)." in docs["markdown"]
    assert f"*Written by the language model `{MODEL}`" in docs["markdown"]
    samples = await scrape_metrics(client)
    requests = len(fake_llm.requests)
    assert requests > 0
    assert samples[("docsgen_llm_requests_total", ())] == requests
    prompt = samples[("docsgen_llm_tokens_total", (("kind", "prompt"),))]
    completion = samples[("docsgen_llm_tokens_total", (("kind", "completion"),))]
    assert prompt > 0 and completion == requests * (len("`Cart.total` calls `add_tax` "
                                                         "(`shop/cart.py:14`).") // 4)  # fmt: skip
    assert any(
        f"language model {MODEL}: {requests} requests" in r.getMessage() for r in caplog.records
    )


@pytest.mark.parametrize("llm_overrides", [{"api_key": "sk-wrong-" + "z" * 32}])
async def test_the_key_appears_in_no_log_or_answer_even_when_the_server_repeats_it(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    shop_repo: Path,
    fake_llm: FakeLanguageModel,
    secrets_guard: SecretsGuard,
) -> None:
    docs = await documented(app, client, auth, shop_repo)
    assert docs["status"] == "completed", docs["error_message"]
    assert "Incorrect API key provided: \\<key\\>." in docs["markdown"]
    assert fake_llm.rejected_keys == {"sk-wrong-" + "z" * 32}
    assert secrets_guard.leaks() == []


@pytest.mark.parametrize("llm_overrides", [None])
async def test_without_the_setting_no_request_is_made(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    shop_repo: Path,
    fake_llm: FakeLanguageModel,
) -> None:
    docs = await documented(app, client, auth, shop_repo)
    assert docs["status"] == "completed", docs["error_message"]
    assert fake_llm.requests == []
    assert "language model" not in docs["markdown"]
    assert (await scrape_metrics(client))[("docsgen_llm_requests_total", ())] == 0


async def test_the_command_line_writes_summaries_with_the_same_settings(
    shop_repo: Path, fake_llm: FakeLanguageModel, secrets_guard: SecretsGuard
) -> None:
    fake_llm.script(lambda body: "`Cart.total` calls `add_tax` (`shop/cart.py:14`).")
    env = {
        "DOCSGEN_ANALYSIS_WORKERS": "1",
        "DOCSGEN_LLM_BASE_URL": fake_llm.base_url,
        "DOCSGEN_LLM_MODEL": MODEL,
        "DOCSGEN_LLM_API_KEY": fake_llm.api_key or "",
    }
    done = await asyncio.to_thread(docsgen, "generate", str(shop_repo), env=env)
    secrets_guard.read_also(lambda: done.stdout + done.stderr)
    assert done.returncode == 0, done.stderr
    assert "### What it is\n\n`Cart.total` calls `add_tax` (`shop/cart.py:14`)." in done.stdout
    pages = len(fake_llm.requests)
    assert f"Generating documentation: Summaries ({pages}/{pages})..." in done.stderr


async def test_a_forced_regeneration_of_the_same_commit_asks_the_model_nothing(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    shop_repo: Path,
    fake_llm: FakeLanguageModel,
) -> None:
    fake_llm.script(lambda body: "`Cart.total` calls `add_tax` (`shop/cart.py:14`).")
    repo = await register_local(client, auth, shop_repo)
    await run_to_end(app, client, auth, repo["id"])
    asked = len(fake_llm.requests)
    first = await (await client.get(f"/api/repositories/{repo['id']}/docs.md", headers=auth)).text()
    await run_to_end(app, client, auth, repo["id"], force=True)
    again = await (await client.get(f"/api/repositories/{repo['id']}/docs.md", headers=auth)).text()
    assert asked > 0 and len(fake_llm.requests) == asked
    assert again == first
