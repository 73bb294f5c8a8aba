"""With the mediation capability's disclosures (a mediation by a third party that failed, its
failure record on file), the dossier names it as the CPC 750-1 proof, joins the record as an
exhibit and names the suspension of limitation."""

from __future__ import annotations

from datetime import date

import pytest

from case_core.cases.attachments import upload_document
from case_core.dossiers import context
from case_core.dossiers.route import Route
from case_core.dossiers.service import generate_dossier
from case_core.journal.contacts import ContactInput, log_contact
from case_core.kernel.actor import Actor
from case_core.mediation.disclosure import MediationDisclosure
from case_core.models import Channel, ContactOutcome, DebtorKind, DisputeCategory, DocumentKind
from tests.dossiers.dossier_helpers import docx_tables
from tests.factories import PDF, make_case
from tests.template_helpers import docx_text


def test_third_party_mediation_is_the_750_1_proof(
    admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = make_case(
        admin, kind=DebtorKind.CONSUMER, principal_cents=123_456, due_date=date(2026, 3, 31)
    ).reference
    log_contact(
        admin,
        ref,
        ContactInput(
            Channel.EMAIL_IN,
            ContactOutcome.DISPUTE,
            note="Conteste la qualité",
            dispute_category=DisputeCategory.QUALITY,
        ),
    )
    record = upload_document(admin, ref, "constat.pdf", PDF + b"constat", DocumentKind.OTHER)
    disclosure = MediationDisclosure(
        mediation_id=7,
        kind_label="Médiation conventionnelle",
        third_party="Centre de médiation de Lyon",
        counts_as_prior_attempt=True,
        agreed_on=date(2026, 4, 2),
        first_session_on=date(2026, 4, 20),
        last_session_on=date(2026, 5, 4),
        ended_on=date(2026, 5, 4),
        outcome_label="Échec",
        failed=True,
        failure_record_document_id=record.id,
    )
    monkeypatch.setattr(context, "disclosures_for_case", lambda _session, _case_id: [disclosure])
    result = generate_dossier(admin, ref, with_pdf=False)
    rec = result.data.recommendation
    assert rec.route == Route.ASSIGNATION_FOND
    assert rec.check_750_1.applies and rec.check_750_1.satisfied
    text = docx_text(result.docx)
    assert "Centre de médiation de Lyon" in rec.check_750_1.text
    assert "constat en pièce n° 1" in rec.check_750_1.text
    assert "C. civ. 2238" in text and "du 02/04/2026 au 04/05/2026" in text
    bordereau = next(t for t in docx_tables(result.docx) if t[0] == ["N°", "Pièce", "Fichier"])
    assert bordereau[1][:2] == ["01", "Constat de fin de médiation"]
    mediation = next(t for t in docx_tables(result.docx) if t[0][0] == "Nature")
    assert mediation[1][-1] == "pièce n° 1"
