"""Every page of every role, in a real browser, on a fresh database with a small demo:
no error box, no exception, and a screenshot of each into the test output directory
(CASEDESK_SCREENSHOT_DIR, default test-output/ at the repository root)."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from case_core import migrations
from case_core.accounts import auth
from case_core.demo.builder import DEMO_PASSWORD, DEMO_USERS, generate_demo
from case_core.kernel.actor import Actor
from case_core.kernel.db import dispose_engines, read_session
from case_core.kernel.navigation import pages_for
from case_core.kernel.settings import set_settings
from case_core.letters.service import SENDER_ADDRESS, SENDER_NAME
from case_core.models import Case, Claim, InterestRegime, Phase, Role, User
from case_core.statement import rates
from tests.browser.conftest import ROOT, LiveApp
from tests.browser.helpers import open_app, sign_in, wait_idle

pytestmark = pytest.mark.browser

OUTPUT = Path(os.environ.get("CASEDESK_SCREENSHOT_DIR", ROOT / "test-output")) / "every_page"
ERROR_BOXES = '[data-testid="stAlertContentError"], [data-testid="stException"]'
ONE_PER_ROLE = {role: next(u for u in DEMO_USERS if u[2] == role) for role in Role}


def _prepare(live_app: LiveApp, monkeypatch: pytest.MonkeyPatch) -> str:
    """A demo of 60 cases and the letters' sender; the reference of a case with interest."""
    monkeypatch.setenv("CASEDESK_DATABASE_URL", live_app.database_url)
    migrations.upgrade(live_app.database_url)
    admin = auth.create_first_admin("admin@example.fr", "Alice Admin", "motdepasse-admin")
    generate_demo(admin, 60, seed=3)
    set_settings(admin, {SENDER_NAME: "Fournitures Dupont SAS", SENDER_ADDRESS: "8 rue Mercière"})
    with read_session() as session:
        # A case bearing L441-10 interest since before July 2026: its Décompte needs the
        # missing 2nd-semester ECB rate.
        reference = session.exec(
            select(Case.reference)
            .join(Claim, Claim.case_id == Case.id)
            .where(
                Claim.interest_regime == InterestRegime.L441_10,
                Claim.due_date < date(2026, 6, 1),
                Case.phase == Phase.AMIABLE,
                Case.balance_cents > 0,
            )
        ).first()
    assert reference is not None
    dispose_engines()
    return reference


def _check(page: Page, shot: str, rate_refusals: bool = False) -> None:
    """No error box; on a case page, the plan and letter tabs' refusal while a rate is
    missing is expected (they refuse by design; only the Décompte estimates)."""
    wait_idle(page)
    errors = page.locator(ERROR_BOXES)
    texts = [errors.nth(i).inner_text() for i in range(errors.count())]
    if rate_refusals:
        texts = [t for t in texts if not t.startswith("Taux manquant")]
    page.screenshot(path=str(OUTPUT / f"{shot}.png"), full_page=True)
    assert texts == [], f"{shot}: {texts}"


def _open(page: Page, title: str, url_path: str) -> None:
    """Click the page's sidebar link and wait until the browser is on it: the app is idle
    before the new run starts, so waiting for idle alone may still show the previous page."""
    link = page.get_by_test_id("stSidebarNavLink").filter(has=page.get_by_text(title, exact=True))
    link.first.click()
    # The default page (« Dossiers ») is served at the root as well as at its own path.
    here = rf"(/{re.escape(url_path)}|:\d+/?)" if url_path else r":\d+/?"
    expect(page).to_have_url(re.compile(here + r"(\?.*)?$"))
    wait_idle(page)


def test_every_page_of_every_role_opens_without_an_error(
    live_app: LiveApp, browser_page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _prepare(live_app, monkeypatch)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    browser: Browser = browser_page.context.browser  # type: ignore[assignment]
    assert browser is not None
    opened: list[str] = []
    for role, (email, _name, _role) in ONE_PER_ROLE.items():
        # A context per role: a fresh session, as another person's browser.
        context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        try:
            open_app(page, live_app.url)
            sign_in(page, email, DEMO_PASSWORD)
            for spec in pages_for(_actor(email)):
                _open(page, spec.title, spec.url_path)
                heading = page.get_by_role("heading", level=1).first
                expect(heading).to_be_visible(timeout=60_000)
                if spec.url_path == "dossier":
                    # Without a case: a reference field; with one, the case and its tabs.
                    field = page.get_by_label("Référence du dossier")
                    field.fill(reference)
                    field.press("Enter")
                    wait_idle(page)
                    expect(page.get_by_text(f"Dossier {reference}").first).to_be_visible()
                _check(page, f"{role.value}_{spec.url_path}", spec.url_path == "dossier")
                opened.append(f"{role.value}/{spec.url_path}")
                if spec.url_path == "dossier" and role == Role.ADMIN:
                    _every_tab(page, reference)
        finally:
            context.close()
    assert len(opened) >= 5 * 3
    assert {p.split("/")[0] for p in opened} == {r.value for r in Role}


def _every_tab(page: Page, reference: str) -> None:
    """The case's tabs, the Décompte with its provisional estimate while a rate is
    missing (today is past the shipped tables)."""
    for tab in page.get_by_role("tab").all():
        name = tab.inner_text().strip()
        tab.click()
        wait_idle(page)
        if name == "Décompte" and rates.missing_rate_semesters():
            estimate = page.get_by_text(re.compile("Estimation provisoire"))
            expect(estimate.first).to_be_visible()
        _check(page, f"admin_dossier_{reference}_{name}", rate_refusals=True)


def _actor(email: str) -> Actor:
    with read_session() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        return auth.actor_of(user)
