"""A collector creates a case in a real browser: an existing creditor, a new company
debtor whose name holds & < > " ', two invoices and a PDF; the case page opens and the
store holds exactly what was typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from case_core import migrations
from case_core.accounts import auth
from case_core.cases.parties import PartyInput, add_party
from case_core.kernel.db import dispose_engines, read_session
from case_core.models import Case, Claim, Document, Party, PartyKind, Role
from tests.browser.conftest import LiveApp
from tests.browser.helpers import click, expect_text, fill, open_app, sign_in, sign_out, wait_idle

pytestmark = pytest.mark.browser

DEBTOR = 'Dupont & Fils <SARL> "L\'Atelier"'
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _prepare(live_app: LiveApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEDESK_DATABASE_URL", live_app.database_url)
    migrations.upgrade(live_app.database_url)
    admin = auth.create_first_admin("admin@example.fr", "Alice Admin", "motdepasse-admin")
    auth.create_user(
        admin, "claire@example.fr", "Claire Recouvrement", Role.COLLECTOR, "motdepasse-claire"
    )
    add_party(
        admin,
        PartyInput(kind=PartyKind.COMPANY, company_name="Acme Fournitures", siren="732829320"),
    )


def _fill_nth(page: Page, label: str, index: int, value: str) -> None:
    page.get_by_label(label, exact=True).nth(index).fill(value)


def _date(page: Page, label: str, index: int, value: str) -> None:
    # Streamlit's date field is made of day / month / year segments that advance by themselves.
    field = page.get_by_label(label, exact=True).nth(index)
    field.locator('[role="spinbutton"]').first.click()
    page.keyboard.type(value.replace("/", ""))
    page.keyboard.press("Tab")


def test_collector_creates_a_company_case_with_two_invoices_and_a_pdf(
    live_app: LiveApp, browser_page: Page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _prepare(live_app, monkeypatch)
    page = browser_page
    open_app(page, live_app.url)
    sign_in(page, "claire@example.fr", "motdepasse-claire")
    expect_text(page, "Claire Recouvrement")

    page.get_by_test_id("stSidebar").get_by_role("link", name="Nouveau dossier").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Nouveau dossier")).to_be_visible()

    # Creditor: the existing party, found by name.
    _fill_nth(page, "Rechercher (nom, SIREN, e-mail, téléphone)", 0, "Acme")
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="Acme Fournitures").first.click()
    wait_idle(page)

    # Debtor: a new company.
    page.get_by_text("Créer une nouvelle partie").nth(1).click()
    wait_idle(page)
    fill(page, "Raison sociale", DEBTOR)
    fill(page, "SIREN", "552100554")
    fill(page, "Code postal", "69002")
    fill(page, "Ville", "Lyon")
    fill(page, "E-mail", "compta@dupont-fils.fr")
    fill(page, "Téléphone", "04 72 00 00 00")
    page.keyboard.press("Tab")
    wait_idle(page)

    count = page.get_by_label("Nombre de factures", exact=True)
    count.fill("2")
    count.press("Enter")
    wait_idle(page)
    for i, (number, issued, due, amount) in enumerate(
        [
            ("F-2026-001", "05/01/2026", "04/02/2026", "1 234,56"),
            ("F-2026-002", "10/02/2026", "12/03/2026", "800"),
        ]
    ):
        _fill_nth(page, "N° facture", i, number)
        _date(page, "Date de facture", i, issued)
        _date(page, "Date d'échéance", i, due)
        _fill_nth(page, "Montant TTC (€)", i, amount)
        page.keyboard.press("Tab")
        wait_idle(page)

    pdf = tmp_path / "facture.pdf"
    pdf.write_bytes(PDF)
    page.locator('input[type="file"]').set_input_files(str(pdf))
    expect_text(page, "facture.pdf")
    wait_idle(page)

    click(page, "Créer le dossier")
    expect(page.get_by_role("heading", name="Dossier 2026-000001")).to_be_visible(timeout=60_000)
    expect_text(page, "Dossier 2026-000001 créé.")

    # A deep link opened while signed out leads to the case once signed in.
    sign_out(page)
    page.goto(f"{live_app.url}/dossier?case=2026-000001")
    wait_idle(page)
    sign_in(page, "claire@example.fr", "motdepasse-claire")
    expect(page.get_by_role("heading", name="Dossier 2026-000001")).to_be_visible(timeout=60_000)

    dispose_engines()
    with read_session() as session:
        case = session.exec(select(Case)).one()
        debtor = session.get(Party, case.debtor_id)
        claims = session.exec(select(Claim).order_by(Claim.invoice_number)).all()
        documents = session.exec(select(Document)).all()
    assert debtor is not None and debtor.display_name == DEBTOR
    assert debtor.phone == "+33472000000"
    assert [(c.invoice_number, c.principal_cents) for c in claims] == [
        ("F-2026-001", 123456),
        ("F-2026-002", 80000),
    ]
    assert case.principal_cents == 203456
    assert [(d.filename, d.size_bytes) for d in documents] == [("facture.pdf", len(PDF))]
