"""The page shows how far the documentation is behind the repository, with Regenerate."""

from __future__ import annotations

import uuid
from pathlib import Path

from playwright.async_api import expect

from docsgen.api.keys import POOL, RUN_DEPS
from docsgen.db.accounts import find_user
from docsgen.db.repositories import get_repository
from docsgen.freshness.checker import FRESHNESS
from tests.browser.support import (
    Context,
    Service,
    detail_page,
    screenshot,
)
from tests.support.gitrepo import commit


async def test_a_repository_whose_head_moved_shows_commits_behind(
    service: Service, context: Context, sample_repo: Path
) -> None:
    repository_id = await service.register_local(sample_repo)
    page = await detail_page(context, service, repository_id)
    await page.locator("#generate").click()
    await expect(page.locator(".repo-meta")).to_contain_text("Documentation of commit")
    await service.app[RUN_DEPS].registry.join()
    await expect(page.locator("#staleness")).to_have_count(0)

    commit(sample_repo, {"a.txt": "one\n"}, "one")
    commit(sample_repo, {"b.txt": "two\n"}, "two")
    # What POST .../docs/check (or the throttled background check) does: learn the head.
    admin = await find_user(service.app[POOL], "admin")
    repository = await get_repository(service.app[POOL], admin.id, uuid.UUID(repository_id))
    await service.app[FRESHNESS].check_now(repository)
    await page.reload()
    await expect(page.locator("#staleness")).to_have_text("2 commits behind")
    await expect(page.locator("#generate")).to_have_text("Regenerate Documentation")
    await expect(page.locator("#generate")).to_be_enabled()
    await screenshot(page, "stale-commits-behind.png")
