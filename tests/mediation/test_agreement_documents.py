"""Agreement from the last accepted proposal, its plan, signatures; protocol, failure
record and homologation request reopened with python-docx (and LibreOffice)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document as open_docx
from sqlmodel import select

from case_core.kernel.db import read_session
from case_core.kernel.errors import StaleVersion, ValidationError
from case_core.kernel.money import format_cents
from case_core.mediation.agreements import (
    plan_total_cents,
    record_agreement,
)
from case_core.mediation.disclosure import disclosures_for_case
from case_core.mediation.documents import (
    CPC_1546_NOTICE,
    generate_failure_record,
    generate_homologation_request,
    generate_protocol,
)
from case_core.mediation.queries import mediation_view
from case_core.mediation.service import end_mediation
from case_core.models import (
    Case,
    InstalmentPlan,
    MediationKind,
    MediationOutcome,
    MediationSide,
    PlanStatus,
    Role,
)
from case_core.plans.views import plan_view
from tests.conftest import actor_with_role
from tests.factories import NO_INTEREST, PDF, make_case
from tests.mediation.helpers import SECRET, held_session, open_for, plan_proposal, sign
from tests.template_helpers import docx_text

BASIS = date(2026, 12, 1)


# Everything a user may type: markup, template tags, quotes, newlines, emoji.
HOSTILE = 'DUPONT & Fils <SARL> "L\'Épi" {{ x }} {% if %} 🙂\nseconde ligne'


def agreed_case(admin, kind: MediationKind = MediationKind.CONVENTIONAL):
    mediator = actor_with_role(admin, Role.MEDIATOR)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000, debtor=HOSTILE).reference
    mediation_id = open_for(mediator, reference, kind)
    held_session(mediator, mediation_id)
    total = plan_total_cents(mediator, reference, BASIS, False, False)
    held_session(
        mediator,
        mediation_id,
        when=datetime(2026, 2, 10, 9, tzinfo=UTC),
        outcome=MediationOutcome.AGREEMENT,
        proposals=[plan_proposal(90_000, accepted=False), plan_proposal(total)],
    )
    return mediator, reference, mediation_id


def test_agreement_plan_signature_and_protocol(admin) -> None:
    mediator, reference, mediation_id = agreed_case(admin, MediationKind.JUDICIAL)
    saved = record_agreement(
        mediator, mediation_id, basis_date=BASIS, terms="Paiement par virement"
    )
    view = mediation_view(mediator, mediation_id)
    assert view.agreement is not None and view.agreement.amount_cents == 120_000
    plan = plan_view(mediator, view.agreement.plan_id or 0)
    assert plan.stored_status == PlanStatus.PROPOSED and plan.count == 6

    generated = generate_protocol(mediator, mediation_id, at=BASIS)
    text = docx_text(generated.content)
    assert "Protocole d'accord de médiation" in text
    assert HOSTILE in text  # exactly as typed, through the one renderer
    assert format_cents(120_000) in text and format_cents(20_000) in text
    assert "Échéance 6" in text and "15/12/2026" in text and "Paiement par virement" in text
    assert "déchéance du terme" in text.lower()
    assert "1528-3" in text  # confidentiality clause
    assert "atteste que le présent accord est issu de la médiation judiciaire" in text
    assert SECRET not in text
    section = open_docx(io.BytesIO(generated.content)).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297

    sign(mediator, saved.id, lawyers_countersigned=True, signed_copy=("accord_signe.pdf", PDF))
    view = mediation_view(mediator, mediation_id)
    assert view.agreement.signed_on == date(2026, 12, 3)
    assert view.agreement.signed_document_id is not None
    assert plan_view(mediator, view.agreement.plan_id or 0).stored_status == PlanStatus.ACTIVE
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
    # The signature acknowledges the debt: two years (consumer) from 03/12/2026.
    assert case.limitation_date == date(2028, 12, 3)

    request = generate_homologation_request(mediator, mediation_id, at=BASIS)
    text = docx_text(request.content)
    assert "1543" in text and "Tribunal judiciaire de Lyon" in text
    assert "Protocole d'accord de médiation signé" in text
    assert "Décision ordonnant la médiation judiciaire" in text
    assert "formule exécutoire" in text and request.notice == CPC_1546_NOTICE
    assert SECRET not in text


def test_agreement_needs_an_accepted_proposal_matching_the_plan(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    mediation_id = open_for(mediator, reference)
    held_session(mediator, mediation_id)
    with pytest.raises(ValidationError):
        record_agreement(mediator, mediation_id, basis_date=BASIS)
    held_session(
        mediator,
        mediation_id,
        when=datetime(2026, 2, 10, 9, tzinfo=UTC),
        outcome=MediationOutcome.AGREEMENT,
        proposals=[plan_proposal(100_000)],
    )
    with pytest.raises(ValidationError) as err:
        record_agreement(mediator, mediation_id, basis_date=BASIS)
    assert format_cents(120_000) in err.value.errors["amount_cents"]


def test_stale_agreement_proposes_no_plan(admin) -> None:
    mediator, _reference, mediation_id = agreed_case(admin)
    with pytest.raises(StaleVersion):
        record_agreement(mediator, mediation_id, basis_date=BASIS, expected_version=1)
    with read_session() as session:
        assert session.exec(select(InstalmentPlan)).all() == []


def test_failure_record_says_only_what_may_leave(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    mediation_id = open_for(mediator, reference)
    held_session(mediator, mediation_id, outcome=MediationOutcome.PARTY_ABSENT)
    with pytest.raises(ValidationError):
        generate_failure_record(mediator, mediation_id)
    end_mediation(
        mediator,
        mediation_id,
        ended_on=date(2026, 1, 21),
        ended_by=MediationSide.MEDIATOR,
        outcome=MediationOutcome.PARTY_ABSENT,
    )
    generated = generate_failure_record(mediator, mediation_id, at=BASIS)
    text = docx_text(generated.content)
    assert "Constat d'échec de médiation" in text
    assert "Médiation conventionnelle" in text and mediator.full_name in text
    assert "05/01/2026" in text and "20/01/2026" in text and "21/01/2026" in text
    assert "partie absente" in text
    assert "750-1" in text and "constitue la tentative préalable" in text
    for said in (SECRET, "Perte d'un gros client", "Propose un étalement", "Nouvelle séance"):
        assert said not in text
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        (disclosure,) = disclosures_for_case(session, case.id or 0)
    assert disclosure.failed and disclosure.counts_as_prior_attempt
    assert disclosure.failure_record_document_id == generated.document_id
    assert disclosure.first_session_on == date(2026, 1, 20)


def test_internal_meeting_is_not_a_prior_attempt(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    mediation_id = open_for(mediator, reference, MediationKind.INTERNAL)
    end_mediation(
        mediator,
        mediation_id,
        ended_on=date(2026, 1, 21),
        ended_by=MediationSide.CREDITOR,
        outcome=MediationOutcome.FAILURE,
    )
    text = docx_text(generate_failure_record(mediator, mediation_id, at=BASIS).content)
    assert "ne vaut pas tentative préalable" in text
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        (disclosure,) = disclosures_for_case(session, case.id or 0)
    assert not disclosure.counts_as_prior_attempt and disclosure.third_party is None


def test_documents_convert_to_pdf(admin, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CASEDESK_REQUIRE_SOFFICE") == "1":
            pytest.fail("soffice is required (CASEDESK_REQUIRE_SOFFICE=1)")
        pytest.skip("LibreOffice (soffice) is not installed")
    mediator, _reference, mediation_id = agreed_case(admin)
    record_agreement(mediator, mediation_id, basis_date=BASIS)
    protocol = generate_protocol(mediator, mediation_id, at=BASIS)
    paths = [tmp_path / protocol.filename]
    paths[0].write_bytes(protocol.content)
    other = tmp_path / "constat.docx"
    reference2 = make_case(
        admin, **NO_INTEREST, principal_cents=50_000, invoice_number="F-2"
    ).reference
    mediation2 = open_for(mediator, reference2)
    end_mediation(
        mediator,
        mediation2,
        ended_on=date(2026, 1, 21),
        ended_by=MediationSide.DEBTOR,
        outcome=MediationOutcome.FAILURE,
    )
    other.write_bytes(generate_failure_record(mediator, mediation2, at=BASIS).content)
    paths.append(other)
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, paths)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    for path in paths:
        pdf = path.with_suffix(".pdf")
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
