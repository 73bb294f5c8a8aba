"""The dossier DOCX: every section, totals equal to `casedesk statement` to the cent, the
chronology of the journal, no word of a mediation, user text exactly as typed."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest
from click.testing import CliRunner
from docx import Document

from case_core.cli import cli
from case_core.dossiers.context import DossierOptions
from case_core.dossiers.route import Route
from case_core.dossiers.service import generate_dossier
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.money import parse_amount
from case_core.models import MediationOutcome
from case_core.templates.render import soffice_path, to_pdf
from tests.dossiers.dossier_helpers import (
    INVOICES,
    LONG_NOTE,
    SECRET,
    TRICKY,
    docx_tables,
    full_case,
)
from tests.template_helpers import docx_text

TOTAL_LABELS = {
    "Principal": "principal_cents",
    "dont payé": "principal_paid_cents",
    "Intérêts": "interest_cents",
    "dont payés": "interest_paid_cents",
    "Indemnités forfaitaires": "indemnity_cents",
    "dont payées": "indemnity_paid_cents",
    "Frais à la charge du débiteur": "debtor_costs_cents",
    "Paiements reçus": "payments_cents",
    "Trop-perçu": "surplus_cents",
    "Solde dû": "balance_cents",
}


@pytest.fixture
def dossier(admin: Actor):  # type: ignore[no-untyped-def]
    case = full_case(admin)
    options = DossierOptions(recipient_id=case.recipient.id, recipient_reference="CJ-2026/77")
    return case, generate_dossier(admin, case.reference, options, with_pdf=False)


def test_totals_equal_the_cli_statement_to_the_cent(dossier, admin: Actor) -> None:  # type: ignore[no-untyped-def]
    case, result = dossier
    at = today_paris()
    out = CliRunner().invoke(cli, ["statement", case.reference, "--at", at.isoformat(), "--json"])
    assert out.exit_code == 0, out.output
    expected = json.loads(out.output)["totals"]
    totals = next(t for t in docx_tables(result.docx) if t[0][0] == "Principal" and len(t) >= 10)
    found = {row[0]: parse_amount(row[1]) for row in totals if row[0] in TOTAL_LABELS}
    assert found == {label: expected[key] for label, key in TOTAL_LABELS.items()}
    assert expected["balance_cents"] > 0
    assert result.data.claimed_cents == expected["balance_cents"]


def test_every_section_is_there(dossier) -> None:  # type: ignore[no-untyped-def]
    case, result = dossier
    text = docx_text(result.docx)
    doc = Document(io.BytesIO(result.docx))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    for heading in [
        "DOSSIER DE TRANSMISSION CONTENTIEUSE",
        "1. Les parties",
        "2. La créance",
        "3. Les démarches amiables",
        "4. Médiation",
        "5. Prescription",
        "6. Voie recommandée",
        "7. Bordereau de pièces communiquées",
    ]:
        assert heading in text
    assert case.reference in text
    assert "Me Claire Petit" in text and "SELARL Petit & Associés" in text
    assert "CJ-2026/77" in text
    assert "SIREN 552100554" in text and "SIREN 732829320" in text
    for number, *_ in INVOICES:
        assert number in text
    # The broken plan is an acknowledgement: référé-provision before the commercial court.
    assert result.data.recommendation.route == Route.REFERE_PROVISION
    assert "Référé-provision" in text and "873 al. 2" in text
    assert "justice économique" in text  # 78 000 € before a commercial court
    assert "1A 234 567 8901 2" in text  # the formal notice's registered letter
    assert "Échéancier rompu" in text and "Contestation" in text
    assert "Avoir refusé : la prestation est conforme au devis signé" in text


def test_chronology_matches_the_journal(dossier) -> None:  # type: ignore[no-untyped-def]
    case, result = dossier
    chronology = next(t for t in docx_tables(result.docx) if t[0] == ["Date", "Démarche", "Détail"])
    details = "\n".join(row[2] for row in chronology[1:])
    for note in case.notes:
        assert note in details
    dates = [row[0] for row in chronology[1:]]
    as_iso = [d[6:] + d[3:5] + d[:2] for d in dates]
    assert as_iso == sorted(as_iso)
    assert format_date(today_paris()) in dates


def test_user_text_goes_in_exactly(dossier) -> None:  # type: ignore[no-untyped-def]
    _case, result = dossier
    text = docx_text(result.docx)
    assert TRICKY in text
    assert LONG_NOTE in text
    assert len(LONG_NOTE) == 2000


def test_no_word_of_the_mediation(dossier) -> None:  # type: ignore[no-untyped-def]
    _case, result = dossier
    with zipfile.ZipFile(io.BytesIO(result.docx)) as docx:
        xml = "".join(docx.read(n).decode("utf-8", "replace") for n in docx.namelist())
    assert "CONFIDENTIEL" not in xml and "9 999" not in xml and "SECRET" not in xml
    text = docx_text(result.docx)
    assert MediationOutcome.FAILURE.label in text
    assert "17/10/2026" in text and "03/10/2026" in text
    assert SECRET not in text


def test_bordereau_matches_the_files_joined(dossier) -> None:  # type: ignore[no-untyped-def]
    _case, result = dossier
    bordereau = next(t for t in docx_tables(result.docx) if t[0] == ["N°", "Pièce", "Fichier"])
    listed = [row[2] for row in bordereau[1:]]
    with zipfile.ZipFile(io.BytesIO(result.zip_bytes)) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert names[0] == f"{result.name}.docx"
    assert names[1:] == listed
    assert listed[0] == "Pièce 01 - Facture F2025-101.pdf"
    assert "Pièce 13 - Contrat — Conditions générales.pdf" in listed
    assert any(n.startswith("Pièce 14 - Mise en demeure du ") for n in listed)


def test_full_dossier_opens_in_libreoffice(dossier) -> None:  # type: ignore[no-untyped-def]
    if soffice_path() is None:
        if os.environ.get("CASEDESK_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required (CASEDESK_REQUIRE_SOFFICE=1)")
        pytest.skip("LibreOffice (soffice) absent: the app offers the DOCX alone")
    _case, result = dossier
    pdf = to_pdf(result.docx)
    assert pdf is not None and pdf.startswith(b"%PDF-")
    assert pdf.count(b"/Type/Page/") >= 5  # every section laid out, nothing truncated
