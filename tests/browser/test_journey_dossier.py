"""A manager in a real browser: opens a case, prepares the judicial-referral dossier for a
commissaire de justice from the directory, downloads the ZIP, then hands the case over."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from case_core import migrations
from case_core.accounts import auth
from case_core.cases.intake import FileInput
from case_core.kernel.actor import Actor
from case_core.kernel.db import dispose_engines
from case_core.models import DocumentKind, Phase, Role
from tests.browser.conftest import LiveApp
from tests.browser.helpers import choose, click, expect_text, open_app, sign_in, wait_idle
from tests.dossiers.dossier_helpers import add_ecb_rate, recipient
from tests.factories import PDF, case_row, make_case

pytestmark = pytest.mark.browser


def _prepare(live_app: LiveApp, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CASEDESK_DATABASE_URL", live_app.database_url)
    migrations.upgrade(live_app.database_url)
    admin = auth.create_first_admin("admin@example.fr", "Alice Admin", "motdepasse-admin")
    view = auth.create_user(
        admin, "marc@example.fr", "Marc Responsable", Role.MANAGER, "motdepasse-marc"
    )
    marc = Actor(id=view.id, email=view.email, full_name=view.full_name, role=view.role)
    add_ecb_rate(admin)
    recipient(marc)
    case = make_case(
        marc,
        invoices=[("F2025-118", "01/09/2025", "30/09/2025", "2 400,00")],
        files=[FileInput("F2025-118.pdf", PDF, DocumentKind.INVOICE)],
    )
    dispose_engines()
    return case.reference


def test_manager_downloads_the_dossier_and_hands_the_case_over(
    live_app: LiveApp, browser_page: Page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reference = _prepare(live_app, monkeypatch)
    page = browser_page
    open_app(page, live_app.url)
    sign_in(page, "marc@example.fr", "motdepasse-marc")
    # Opened from a link: a new browser session, still signed in (the session cookie),
    # lands on the case.
    page.goto(f"{live_app.url}/dossier?case={reference}")
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"Dossier {reference}")).to_be_visible()

    page.get_by_text("Transmission contentieuse", exact=True).click()
    # The section's body runs only once open: wait for the rerun that draws it.
    expect(page.get_by_role("button", name="Préparer le dossier")).to_be_visible()
    wait_idle(page)
    choose(
        page, "Destinataire", "Me Claire Petit — SELARL Petit & Associés (commissaire de justice)"
    )
    click(page, "Préparer le dossier")
    wait_idle(page)
    expect_text(
        page, "Voie recommandée : Procédure simplifiée de recouvrement des petites créances"
    )

    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Télécharger le dossier (ZIP)").click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename.startswith(f"Dossier contentieux {reference}")
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
        docx = archive.read(next(n for n in names if n.endswith(".docx")))
    assert "Pièce 01 - Facture F2025-118.pdf" in names
    assert any(n.endswith(".docx") and n.startswith("Dossier contentieux") for n in names)
    assert b"word/document.xml" in docx  # a real DOCX package

    page.get_by_text("Je confirme la transmission", exact=False).click()
    click(page, "Transmettre le dossier")
    expect_text(page, "Dossier transmis à Me Claire Petit")
    expect_text(page, "Transmis à")
    dispose_engines()
    assert case_row(reference).phase == Phase.CONTENTIEUX
