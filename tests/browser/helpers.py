"""Small Playwright steps for a Streamlit page."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import IDLE


def wait_idle(page: Page) -> None:
    """Wait until the app is connected and no script run is in progress."""
    page.wait_for_selector(IDLE, timeout=60_000)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def fill(page: Page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)


def click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def expect_text(page: Page, text: str) -> None:
    expect(page.get_by_text(text, exact=False).first).to_be_visible(timeout=60_000)


def sign_in(page: Page, email: str, password: str) -> None:
    """Fill the sign-in form and wait for the signed-in sidebar."""
    # Under load the previous page's fields (a user form's « E-mail ») may still be on
    # screen for a moment beside the sign-in form.
    expect(page.get_by_label("E-mail", exact=True)).to_have_count(1, timeout=60_000)
    fill(page, "E-mail", email)
    fill(page, "Mot de passe", password)
    click(page, "Se connecter")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible(timeout=60_000)


def sign_out(page: Page) -> None:
    """Sign out and wait for the sign-in form. With kept sessions the browser goes through
    the session route (to drop its cookie) and back: a navigation started meanwhile would
    be aborted (net::ERR_ABORTED)."""
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0, timeout=60_000)
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible(timeout=60_000)
    page.wait_for_load_state("load")
    wait_idle(page)


def choose(page: Page, label: str, wanted: str, scope: Locator | None = None) -> None:
    """Pick an option of the selectbox `label` (inside `scope` if given). A rerun landing
    while the list is open closes it, so wait for the app to be idle and try again."""
    root = scope if scope is not None else page
    box = root.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).first
    for _attempt in range(3):
        wait_idle(page)
        box.scroll_into_view_if_needed()
        box.locator("input").click()
        try:
            page.get_by_role("option", name=wanted, exact=True).click(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    else:
        raise AssertionError(f"option « {wanted} » never offered")
    wait_idle(page)
