"""Signing in on the page: with an API token, with a spent link, with a link from elsewhere."""

from __future__ import annotations

from playwright.async_api import Route, expect

from docsgen.api.keys import POOL
from docsgen.api.routes.sessions import ensure_admin
from docsgen.db import accounts
from tests.browser.support import Context, Service, new_page, screenshot

SIGNED_OUT = ("401 (Unauthorized)",)


async def test_signing_in_with_an_api_token(service: Service, context: Context) -> None:
    pool = service.app[POOL]
    token = await accounts.issue_token(pool, await ensure_admin(pool))
    page = await new_page(context)
    await page.goto(service.base + "/")
    await expect(page.get_by_role("heading", name="Sign in to docsgen")).to_be_visible()
    field = page.get_by_label("API token")
    await expect(field).to_be_focused()

    await field.fill("dg_not-a-token")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("alert")).to_have_text("Invalid API token")
    await screenshot(page, "signin-wrong-token.png")

    await field.fill(token)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Repositories", exact=True)).to_be_visible()
    await expect(page.locator("#account-login")).to_have_text("admin")
    cookies = await page.context.cookies()
    session = [c for c in cookies if c["name"] == "docsgen_session"]
    assert session and session[0]["httpOnly"] and session[0]["sameSite"] == "Lax"
    assert token not in str(cookies)
    await context[1].assert_clean(allow_console=SIGNED_OUT)


async def test_a_spent_link_explains_itself(service: Service, context: Context) -> None:
    link = await service.signin_link()
    first = await new_page(context)
    await first.goto(link)
    await expect(first.get_by_role("heading", name="Repositories", exact=True)).to_be_visible()
    await first.get_by_role("button", name="Sign out").click()
    await expect(first.get_by_role("heading", name="Sign in to docsgen")).to_be_visible()

    await first.goto(link)
    await expect(first.get_by_role("alert")).to_contain_text("This sign-in link is not valid")
    assert first.url == service.base + "/signin"  # the spent token leaves the address bar
    await screenshot(first, "signin-spent-link.png")
    await context[1].assert_clean(allow_console=(*SIGNED_OUT, "400 (Bad Request)"))


async def test_a_link_from_another_site_asks_before_signing_in(
    service: Service, context: Context
) -> None:
    link = await service.signin_link()
    page = await new_page(context)

    # Another site links to the sign-in link; following it is a cross-site navigation.
    async def elsewhere(route: Route) -> None:
        await route.fulfill(
            body=f'<a id="go" href="{link}">free stuff</a>', content_type="text/html"
        )

    await page.route("http://elsewhere.test/", elsewhere)
    await page.goto("http://elsewhere.test/")
    await page.locator("#go").click()
    proceed = page.get_by_role("button", name="Continue signing in")
    await expect(proceed).to_be_visible()
    await expect(proceed).to_be_focused()
    await screenshot(page, "signin-confirm-link.png")
    await proceed.click()
    await expect(page.get_by_role("heading", name="Repositories", exact=True)).to_be_visible()
    await context[1].assert_clean(allow_console=SIGNED_OUT)
