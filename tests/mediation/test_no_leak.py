"""Everything the app can generate or export for a case is searched for the text of its
session notes (and the other confidential fields): never found."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime

from sqlmodel import select

from case_core.cases.attachments import case_documents
from case_core.cases.detail import case_history, case_view
from case_core.cases.export import export_cases
from case_core.cases.portfolio import CaseFilter
from case_core.documents.store import get_document_content
from case_core.kernel.db import read_session
from case_core.letters.plan_letter import generate_plan_letter
from case_core.letters.service import LetterKind, generate_letter
from case_core.mediation.agreements import (
    Signatures,
    plan_total_cents,
    record_agreement,
    sign_agreement,
)
from case_core.mediation.disclosure import disclosures_for_case
from case_core.mediation.documents import (
    generate_failure_record,
    generate_homologation_request,
    generate_protocol,
)
from case_core.mediation.queries import mediations_for_case
from case_core.mediation.service import end_mediation
from case_core.models import AuditEvent, Case, MediationOutcome, MediationSide, Role, SignatureMode
from case_core.statement.account import statement_for_case
from case_core.statement.exports import statement_to_csv, statement_to_json, statement_to_xlsx
from tests.conftest import actor_with_role
from tests.factories import NO_INTEREST, make_case
from tests.letter_helpers import set_sender
from tests.mediation.helpers import SECRET, held_session, open_for, plan_proposal

CONFIDENTIAL = [
    SECRET,
    "Zorglub",
    "Paiement intégral exigé",
    "Propose un étalement",
    "Perte d'un gros client",
    "Nouvelle séance",
]


def _texts_of(blob: bytes) -> str:
    """Every part of an Office file (docx, xlsx) as text, or the bytes decoded."""
    if blob.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return blob.decode("utf-8", "replace")


def test_no_generated_document_or_export_holds_session_notes(admin) -> None:
    set_sender(admin)
    mediator = actor_with_role(admin, Role.MEDIATOR)
    collector = actor_with_role(admin, Role.COLLECTOR)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    first = open_for(mediator, reference)
    held_session(mediator, first, outcome=MediationOutcome.PARTY_ABSENT)
    end_mediation(
        mediator,
        first,
        ended_on=date(2026, 1, 21),
        ended_by=MediationSide.MEDIATOR,
        outcome=MediationOutcome.PARTY_ABSENT,
    )
    second = open_for(mediator, reference, agreed_on=date(2026, 3, 1))
    total = plan_total_cents(mediator, reference, date(2026, 12, 1), False, False)
    held_session(
        mediator,
        second,
        when=datetime(2026, 3, 10, 9, tzinfo=UTC),
        outcome=MediationOutcome.AGREEMENT,
        proposals=[plan_proposal(total)],
    )
    agreement = record_agreement(mediator, second, basis_date=date(2026, 12, 1))
    sign_agreement(
        mediator,
        agreement.id,
        Signatures("Paul", date(2026, 12, 2), "Jean", date(2026, 12, 2), SignatureMode.ELECTRONIC),
    )

    outputs: dict[str, str] = {}
    outputs["failure"] = _texts_of(generate_failure_record(mediator, first).content)
    outputs["protocol"] = _texts_of(generate_protocol(mediator, second).content)
    outputs["homologation"] = _texts_of(generate_homologation_request(mediator, second).content)
    outputs["letter"] = _texts_of(
        generate_letter(admin, reference, LetterKind.REMINDER_1, confirm_active_plan=True).content
    )
    plan_id = mediations_for_case(admin, reference)[0].agreement.plan_id  # type: ignore[union-attr]
    outputs["plan_letter"] = _texts_of(generate_plan_letter(admin, plan_id or 0).content)
    statement = statement_for_case(admin, reference)
    outputs["statement_json"] = json.dumps(statement_to_json(statement), ensure_ascii=False)
    outputs["statement_csv"] = _texts_of(statement_to_csv(statement))
    outputs["statement_xlsx"] = _texts_of(statement_to_xlsx(statement))
    for fmt in ("csv", "xlsx"):
        buffer = io.BytesIO()
        export_cases(admin, CaseFilter(), buffer, fmt)  # type: ignore[arg-type]
        outputs[f"portfolio_{fmt}"] = _texts_of(buffer.getvalue())
    outputs["history"] = "\n".join(
        f"{h.action_label} {h.summary}" for h in case_history(admin, reference)
    )
    outputs["case_view_collector"] = repr(case_view(collector, reference))
    outputs["mediations_seen_by_collector"] = repr(mediations_for_case(collector, reference))
    for doc in case_documents(admin, reference):
        outputs[f"document_{doc.id}"] = _texts_of(get_document_content(admin, doc.id).content)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        outputs["disclosures"] = repr(disclosures_for_case(session, case.id or 0))
        outputs["audit"] = json.dumps(
            [e.changes for e in session.exec(select(AuditEvent)).all()], ensure_ascii=False
        )

    assert len(outputs) > 14
    assert "[confidentiel]" in outputs["audit"]
    leaks = [
        (name, said) for name, text in outputs.items() for said in CONFIDENTIAL if said in text
    ]
    assert leaks == []
