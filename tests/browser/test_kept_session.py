"""A reload or a second tab keeps the user signed in (an HttpOnly cookie the server
checks); an administrator's password reset, or signing out, ends it for good."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from case_core import migrations
from case_core.accounts import auth
from case_core.accounts.sessions import COOKIE_NAME
from case_core.kernel.db import dispose_engines
from case_core.models import Role
from tests.browser.conftest import LiveApp
from tests.browser.helpers import expect_text, open_app, sign_in, sign_out, wait_idle

pytestmark = pytest.mark.browser


def _signed_in(page: Page, name: str) -> None:
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible(timeout=60_000)
    expect_text(page, name)


def test_reload_and_second_tab_stay_signed_in_until_the_session_is_ended(
    live_app: LiveApp, browser_page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEDESK_DATABASE_URL", live_app.database_url)
    migrations.upgrade(live_app.database_url)
    admin = auth.create_first_admin("admin@example.fr", "Alice Admin", "motdepasse-admin")
    claire = auth.create_user(
        admin, "claire@example.fr", "Claire Recouvrement", Role.COLLECTOR, "motdepasse-claire"
    )
    page = browser_page
    open_app(page, live_app.url)
    sign_in(page, "claire@example.fr", "motdepasse-claire")
    _signed_in(page, "Claire Recouvrement")
    # The cookie is out of reach of the page's scripts.
    (cookie,) = [c for c in page.context.cookies() if c["name"] == COOKIE_NAME]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find(COOKIE_NAME) == -1

    page.reload()
    wait_idle(page)
    _signed_in(page, "Claire Recouvrement")

    second = page.context.new_page()
    open_app(second, live_app.url)
    _signed_in(second, "Claire Recouvrement")
    second.close()

    # An administrator resets her password: the kept session does not come back.
    auth.reset_password(admin, claire.id, "nouveau-motdepasse-claire")
    dispose_engines()
    page.reload()
    wait_idle(page)
    expect_text(page, "Un administrateur a modifié votre compte")
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()

    # Signed in again, then out: a reload shows the sign-in form, the cookie is gone.
    sign_in(page, "claire@example.fr", "nouveau-motdepasse-claire")
    _signed_in(page, "Claire Recouvrement")
    sign_out(page)
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == COOKIE_NAME]
