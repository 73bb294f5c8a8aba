"""A manager opens the « Tableau de bord » in a real browser: every chart is drawn with
euro axes and French number formats, mediation and hand-overs included; a screenshot of
the page is kept."""

from __future__ import annotations

import os
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from case_core import migrations
from case_core.accounts import auth
from case_core.kernel.dates import today_paris
from case_core.kernel.db import dispose_engines
from case_core.kernel.money import format_cents
from case_core.models import Channel, MediationOutcome, Role
from tests import dashboard_helpers as h
from tests import dashboard_mediation_helpers as m
from tests.browser.conftest import LiveApp
from tests.browser.helpers import expect_text, open_app, sign_in, wait_idle

pytestmark = pytest.mark.browser
# Ageing, cash, cohorts, promises, activity, DSO, CEI; mediation (two) and hand-overs.
CHARTS = 10


def _prepare(live_app: LiveApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEDESK_DATABASE_URL", live_app.database_url)
    migrations.upgrade(live_app.database_url)
    admin = auth.create_first_admin("admin@example.fr", "Alice Admin", "motdepasse-admin")
    auth.create_user(
        admin, "manager@example.fr", "Mathilde Responsable", Role.MANAGER, "motdepasse-manager"
    )
    claire = auth.create_user(
        admin, "claire@example.fr", "Claire Recouvrement", Role.COLLECTOR, "motdepasse-claire"
    )
    today = today_paris()
    a = h.creditor("Fournitures Durand SAS")
    for n, days in enumerate([5, 45, 100, 200, 420]):
        case_id = h.case(
            a,
            [(today - timedelta(days=days), 1_234_56 * (n + 1))],
            payments=[(today - timedelta(days=3), 100_00 * n)] if n else [],
            assignee_id=claire.id,
            placed_on=today - timedelta(days=30 * n + 1),
        )
        h.contact(case_id, claire.id, today - timedelta(days=n + 1), Channel.CALL_OUT)  # type: ignore[arg-type]
        h.promise(
            case_id, claire.id, today - timedelta(days=n + 1), [(today + timedelta(days=20), 50_00)]
        )  # type: ignore[arg-type]
        if n == 2:
            mediation = m.mediation(
                case_id, admin.id or 0, ended_on=today, outcome=MediationOutcome.AGREEMENT
            )
            m.meeting(mediation, case_id, today - timedelta(days=2))
            m.agreement(case_id, mediation, admin.id or 0, 3_000_00)
        if n == 4:
            at = datetime.combine(today - timedelta(days=2), time(10), UTC)
            m.referral(case_id, m.recipient(), admin.id or 0, at, recovered_cents=500_00)
    dispose_engines()


def test_manager_sees_the_dashboard_charts(
    live_app: LiveApp, browser_page: Page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _prepare(live_app, monkeypatch)
    page = browser_page
    open_app(page, live_app.url)
    sign_in(page, "manager@example.fr", "motdepasse-manager")
    page.get_by_role("link", name="Tableau de bord").click()
    wait_idle(page)
    expect_text(page, "Encours par ancienneté")
    expect(page.locator(".js-plotly-plot")).to_have_count(CHARTS, timeout=60_000)
    # Axes in euros with a space between thousands; the total in the French format.
    expect(page.locator(".js-plotly-plot .ytick text").filter(has_text="€").first).to_be_visible()
    expect_text(page, format_cents(15 * 1_234_56 - 10 * 100_00))
    expect_text(page, "Transmissions au contentieux")
    shots = Path(os.environ.get("CASEDESK_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    # Streamlit scrolls inside its own container: a tall window shows the whole page.
    page.set_viewport_size({"width": 1400, "height": 6400})
    wait_idle(page)
    expect(page.locator(".js-plotly-plot")).to_have_count(CHARTS, timeout=60_000)
    page.screenshot(path=str(shots / "tableau_de_bord.png"), full_page=True)


def test_a_bar_opens_the_portfolio_filtered_on_it(
    live_app: LiveApp, browser_page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    _prepare(live_app, monkeypatch)
    page = browser_page
    open_app(page, live_app.url)
    sign_in(page, "manager@example.fr", "motdepasse-manager")
    page.get_by_role("link", name="Tableau de bord").click()
    wait_idle(page)
    # Every chart drawn first, so that the page no longer moves under the pointer.
    expect(page.locator(".js-plotly-plot")).to_have_count(CHARTS, timeout=60_000)
    wait_idle(page)
    chart = page.locator(".js-plotly-plot").first
    # The « Plus d'un an » bar (the last): one case, 420 days late.
    last_bar = chart.locator("g.point path").last
    expect(last_bar).to_be_visible(timeout=60_000)
    last_bar.scroll_into_view_if_needed()
    bar = last_bar.bounding_box()
    assert bar is not None
    # Plotly's drag layer takes the pointer: click where the bar is drawn.
    page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    expect(page.get_by_role("heading", name="Dossiers")).to_be_visible(timeout=60_000)
    wait_idle(page)
    expect_text(page, "1 dossier(s)")
