"""The sign-in page writes commands as its readers run them (``DOCSGEN_COMMAND``)."""

from __future__ import annotations

import dataclasses

import pytest
from playwright.async_api import expect

from docsgen.settings import Settings
from tests.browser.support import Context, Service, new_page


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A service started from a checkout, as ``scripts/dev`` starts it."""
    return dataclasses.replace(settings, command="./scripts/dev")


async def test_the_sign_in_page_names_the_checkout_command(
    service: Service, context: Context
) -> None:
    page = await new_page(context)
    await page.goto(service.base + "/")
    await expect(page.locator(".page-lead")).to_have_text(
        "Open the sign-in link that ./scripts/dev serve printed when it started, "
        "or use an API token."
    )
    await expect(page.locator(".hint")).to_have_text(
        "Create one with ./scripts/dev users token LOGIN."
    )

    await page.goto(service.base + "/signin?token=dgs_not-a-link")
    await expect(page.get_by_role("alert")).to_have_text(
        "This sign-in link is not valid: it was already used, has expired, or was mistyped. "
        "Get a new one with ./scripts/dev users signin-link LOGIN, or sign in with an API token."
    )
    await context[1].assert_clean(allow_console=("401 (Unauthorized)", "400 (Bad Request)"))
