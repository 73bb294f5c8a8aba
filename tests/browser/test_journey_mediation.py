"""A mediator's case in a real browser: two sessions written up, the second ending in an
agreement with a six-month plan, the protocol downloaded; then a collector on the same
case sees that a mediation took place, not what was said in it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from docx import Document as open_docx
from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from case_core import migrations
from case_core.accounts import auth
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, format_instant, today_paris
from case_core.kernel.db import dispose_engines, read_session
from case_core.mediation.service import SessionPlan, paris_instant, plan_session
from case_core.models import InstalmentPlan, PlanStatus, Role, SessionMode
from tests.browser.conftest import LiveApp
from tests.browser.helpers import choose, click, expect_text, open_app, sign_in, sign_out, wait_idle
from tests.factories import NO_INTEREST, make_case
from tests.mediation.helpers import open_for

pytestmark = pytest.mark.browser

FIRST_NOTE = "Le gérant confie des difficultés avec son banquier"
SECOND_NOTE = "Accord trouvé après suspension de séance"


def _prepare(live_app: LiveApp, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[str]]:
    monkeypatch.setenv("CASEDESK_DATABASE_URL", live_app.database_url)
    migrations.upgrade(live_app.database_url)
    admin = auth.create_first_admin("admin@example.fr", "Alice Admin", "motdepasse-admin")
    for email, name, role in (
        ("marc@example.fr", "Marc Médiateur", Role.MEDIATOR),
        ("claire@example.fr", "Claire Recouvrement", Role.COLLECTOR),
    ):
        auth.create_user(admin, email, name, role, "motdepasse-test")
    with read_session() as session:
        from case_core.models import User

        marc = session.exec(select(User).where(User.email == "marc@example.fr")).one()
        mediator = Actor(marc.id, marc.email, marc.full_name, Role.MEDIATOR)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    mediation_id = open_for(mediator, reference, agreed_on=today_paris() - timedelta(days=20))
    starts = [paris_instant(today_paris() - timedelta(days=days), 10) for days in (10, 3)]
    for start in starts:
        plan_session(mediator, mediation_id, SessionPlan(start, SessionMode.VIDEO))
    dispose_engines()
    return reference, [f"Séance du {format_instant(s)}" for s in starts]


def _expander(page: Page, title: str) -> Locator:
    box = page.get_by_test_id("stExpander").filter(has_text=title).first
    box.locator("summary").click()
    return box


def _case(page: Page, url: str, reference: str, email: str) -> None:
    page.goto(f"{url}/dossier?case={reference}")
    wait_idle(page)
    sign_in(page, email, "motdepasse-test")
    expect(page.get_by_role("heading", name=f"Dossier {reference}")).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name="Médiation").click()
    wait_idle(page)


def test_two_sessions_agreement_protocol_then_collector_sees_the_fact(
    live_app: LiveApp, browser_page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference, sessions = _prepare(live_app, monkeypatch)
    page = browser_page
    open_app(page, live_app.url)
    _case(page, live_app.url, reference, "marc@example.fr")

    first = _expander(page, sessions[0])
    first.get_by_label("Représentant du créancier", exact=True).fill("Paul Martin")
    first.get_by_label("Débiteur", exact=True).fill("Jeanne Dupont")
    first.get_by_label("Notes de séance", exact=True).fill(FIRST_NOTE)
    first.get_by_label("Montant (1)", exact=True).fill("800,00")
    choose(page, "Issue de la séance", "Reportée", scope=first)
    first.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect_text(page, "Compte rendu enregistré.")

    second = _expander(page, sessions[1])
    second.get_by_label("Débiteur", exact=True).fill("Jeanne Dupont")
    second.get_by_label("Notes de séance", exact=True).fill(SECOND_NOTE)
    second.get_by_label("Montant (1)", exact=True).fill("1 200,00")
    second.get_by_label("Échéances (1)", exact=True).fill("6")
    # A date field of segments (day, month, year): typed as digits from the first one.
    due = second.get_by_label("1re échéance (1)", exact=True)
    due.locator('[role="spinbutton"]').first.click()
    page.keyboard.type(format_date(today_paris() + timedelta(days=30)).replace("/", ""))
    second.get_by_text("Proposition 1", exact=True).click()
    choose(page, "Issue de la séance", "Accord", scope=second)
    second.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect_text(page, "Compte rendu enregistré.")

    click(page, "Consigner l'accord")
    expect_text(page, "Accord consigné, échéancier proposé.")
    click(page, "Générer le protocole d'accord")
    expect_text(page, "Protocole généré")
    with page.expect_download() as download:
        click(page, "Télécharger le protocole")
    content = download.value.path().read_bytes()
    text = "\n".join(p.text for p in open_docx(io.BytesIO(content)).paragraphs)
    assert "Protocole d'accord de médiation" in text and "6 échéances mensuelles" in text
    assert FIRST_NOTE not in text and SECOND_NOTE not in text

    dispose_engines()
    with read_session() as session:
        plans = session.exec(select(InstalmentPlan)).all()
    assert [(p.status, p.instalment_count, p.total_cents) for p in plans] == [
        (PlanStatus.PROPOSED, 6, 120_000)
    ]

    sign_out(page)
    _case(page, live_app.url, reference, "claire@example.fr")
    expect_text(page, "Médiation conventionnelle")
    expect_text(page, "réservé au médiateur")
    body = page.locator("body").inner_text()
    assert FIRST_NOTE not in body and SECOND_NOTE not in body and "Paul Martin" not in body
