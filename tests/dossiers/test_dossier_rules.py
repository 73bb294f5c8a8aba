"""Time-barred claims left out unless confirmed, the route from the case's facts, template
errors, and the PDF through LibreOffice."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from docx import Document

from case_core.dossiers.context import DossierOptions
from case_core.dossiers.route import Route
from case_core.dossiers.service import generate_dossier
from case_core.kernel.actor import Actor
from case_core.models import DebtorKind
from case_core.templates.render import TemplateRenderError, render_docx, soffice_path
from tests.dossiers.dossier_helpers import add_ecb_rate
from tests.factories import make_case, person_debtor
from tests.template_helpers import docx_text

OLD = ("C-2022-1", "01/02/2022", "15/03/2022", "900,00")
RECENT = ("C-2026-7", "01/06/2026", "30/06/2026", "1 200,00")


def consumer_case(admin: Actor) -> str:
    add_ecb_rate(admin)
    debtor = person_debtor(address_line1="3 rue des Lilas", postcode="69003", city="Lyon")
    return make_case(
        admin, debtor=debtor, kind=DebtorKind.CONSUMER, invoices=[OLD, RECENT]
    ).reference


def test_time_barred_claim_left_out_unless_confirmed(admin: Actor) -> None:
    ref = consumer_case(admin)
    result = generate_dossier(admin, ref, with_pdf=False)
    data = result.data
    assert [c.invoice_number for c in data.excluded] == ["C-2022-1"]
    old = data.excluded[0]
    assert data.claimed_cents == data.statement.totals.balance_cents - old.balance_cents
    text = docx_text(result.docx)
    assert "PRESCRITE — écartée du montant réclamé" in text
    assert "Créances prescrites écartées du montant réclamé : C-2022-1" in text
    assert "2 ans" in text and "L218-2" in text
    # Up to 5 000 € of a consumer's contractual debt: small claims by a commissaire.
    assert data.recommendation.route == Route.SMALL_CLAIMS
    assert "L125-1" in text

    confirmed = generate_dossier(
        admin, ref, DossierOptions(include_time_barred=True), with_pdf=False
    )
    assert confirmed.data.excluded == []
    assert confirmed.data.claimed_cents == confirmed.data.statement.totals.balance_cents
    assert "PRESCRITE — maintenue à la demande de l'utilisateur" in docx_text(confirmed.docx)


def test_protection_judge_and_failed_small_claims(admin: Actor) -> None:
    ref = consumer_case(admin)
    options = DossierOptions(protection_matter=True, small_claims_failed=True)
    result = generate_dossier(admin, ref, options, with_pdf=False)
    assert result.data.recommendation.route == Route.INJONCTION
    assert "16040" in docx_text(result.docx)


def test_template_error_gives_no_document(tmp_path: Path) -> None:
    broken = tmp_path / "casse.docx"
    doc = Document()
    doc.add_paragraph("{{ case.reference ")
    doc.save(str(broken))
    with pytest.raises(TemplateRenderError, match=r"casse\.docx"):
        render_docx(broken, {"case": {"reference": "X"}})


def test_pdf_through_libreoffice(admin: Actor) -> None:
    if soffice_path() is None:
        if os.environ.get("CASEDESK_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required (CASEDESK_REQUIRE_SOFFICE=1)")
        pytest.skip("LibreOffice (soffice) absent: the app offers the DOCX alone")
    result = generate_dossier(admin, consumer_case(admin))
    assert result.pdf is not None and result.pdf.startswith(b"%PDF-")
    # LibreOffice opened the DOCX without repair and laid it out on A4 paper.
    assert b"/MediaBox[0 0 595.3" in result.pdf
    with zipfile.ZipFile(io.BytesIO(result.zip_bytes)) as archive:
        assert f"{result.name}.pdf" in archive.namelist()
        assert archive.read(f"{result.name}.pdf") == result.pdf
