"""Anonymisation inside a write (kernel.unit_of_work.change): names, contact data, bank
details, addresses and free text replaced; amounts and dates kept for the statistics.

The audit event of an anonymisation lists the fields replaced, never their old values:
writing them into the trail would keep what the person asked to erase. The ORM's own
events for the rows touched are silenced for that reason. The personal values earlier
events named (kept beside the chain, kernel.audit) are erased in the same write: the
person's own events, those of their requests, and those of their cases but for what is
about someone else (models.personal.NOT_ABOUT_THE_DEBTOR, another party).
"""

from __future__ import annotations

import hashlib
from collections import Counter

from sqlmodel import Session, SQLModel, and_, col, or_, select

from case_core.kernel import audit
from case_core.kernel.unit_of_work import UnitOfWork
from case_core.models import (
    AuditEvent,
    Case,
    Claim,
    ContactEvent,
    Dispute,
    Document,
    DocumentBlob,
    DocumentKind,
    InstalmentPlan,
    Party,
    Payment,
    PrivacyRequest,
)
from case_core.models.personal import NOT_ABOUT_THE_DEBTOR, PARTY_IDENTITY

ANONYMISED = "[anonymisé]"
PLACEHOLDER = "Document retiré lors de l'anonymisation des données personnelles.".encode()
PLACEHOLDER_SHA = hashlib.sha256(PLACEHOLDER).hexdigest()

# Per table, the columns holding free text or identifying data about the person.
FREE_TEXT: dict[type[SQLModel], tuple[str, ...]] = {
    Case: ("next_action_note",),
    Claim: ("description",),
    Payment: ("reference", "note"),
    ContactEvent: ("note", "next_action", "guardrail_override_reason"),
    Dispute: ("resolution_note",),
    InstalmentPlan: ("accepted_by", "acceptance_note", "cancel_reason"),
}
# Every identity column but the name, which becomes the placeholder below: one list of what
# identifies a party (models.personal), also what the audit keeps beside its chain.
PARTY_CLEARED = tuple(sorted(PARTY_IDENTITY - {"display_name"}))


def anonymised_name(party_id: int | None) -> str:
    return f"Personne anonymisée n° {party_id}"


def is_anonymised(party: Party) -> bool:
    return party.display_name == anonymised_name(party.id)


def anonymise_party(uow: UnitOfWork, party: Party) -> list[str]:
    """Clear the party's identity; returns the fields that held something."""
    cleared = [name for name in PARTY_CLEARED if getattr(party, name)]
    for name in cleared:
        setattr(party, name, None)
    if party.display_name != anonymised_name(party.id):
        party.display_name = anonymised_name(party.id)
        cleared.insert(0, "display_name")
    uow.add(party)
    uow.silence(party)
    requests = uow.session.exec(
        select(PrivacyRequest.id).where(PrivacyRequest.party_id == party.id)
    ).all()
    audit.erase_values(
        uow.session,
        or_(
            and_(col(AuditEvent.entity_type) == "party", AuditEvent.entity_id == str(party.id)),
            and_(
                col(AuditEvent.entity_type) == "privacy_request",
                col(AuditEvent.entity_id).in_([str(i) for i in requests]),
            ),
        ),
    )
    uow.event(
        audit.PendingEvent(
            "privacy.anonymise", "party", party.id, {"champs": {"before": None, "after": cleared}}
        )
    )
    return cleared


def _blank_free_text(uow: UnitOfWork, rows: list[SQLModel], fields: tuple[str, ...]) -> int:
    touched = 0
    for row in rows:
        changed = False
        for name in fields:
            if getattr(row, name) not in (None, "", ANONYMISED):
                setattr(row, name, ANONYMISED)
                changed = True
        if changed:
            uow.add(row)
            uow.silence(row)
            touched += 1
    return touched


def _retire_documents(
    session: Session, uow: UnitOfWork, case_id: int, keep: frozenset[DocumentKind]
) -> int:
    """Point the case's documents at a placeholder and drop the bytes nobody else uses."""
    docs = session.exec(select(Document).where(Document.case_id == case_id)).all()
    docs = [d for d in docs if d.sha256 != PLACEHOLDER_SHA and d.kind not in keep]
    if not docs:
        return 0
    if session.get(DocumentBlob, PLACEHOLDER_SHA) is None:
        session.add(DocumentBlob(sha256=PLACEHOLDER_SHA, content=PLACEHOLDER))
        session.flush()  # the blob exists before any document points at it
    old_hashes = {d.sha256 for d in docs}
    for doc in docs:
        doc.filename = f"document-{doc.id}.txt"
        doc.mime_type = "text/plain"
        doc.size_bytes = len(PLACEHOLDER)
        doc.sha256 = PLACEHOLDER_SHA
        uow.add(doc)
        uow.silence(doc)
    session.flush()  # the documents leave the old blobs before those are deleted
    for sha in old_hashes:
        still_used = session.exec(select(Document.id).where(Document.sha256 == sha)).first()
        blob = session.get(DocumentBlob, sha)
        if still_used is None and blob is not None:
            session.delete(blob)
    return len(docs)


def anonymise_case(
    uow: UnitOfWork, case: Case, keep_documents: frozenset[DocumentKind] = frozenset()
) -> dict[str, int]:
    """Replace the free text and documents of one (locked) case (but the documents of the
    kinds in `keep_documents`: invoices still under accounting retention); returns counts."""
    session = uow.session
    assert case.id is not None
    counts: Counter[str] = Counter()
    for model, fields in FREE_TEXT.items():
        if model is Case:
            rows: list[SQLModel] = [case]
        else:
            column = model.case_id  # type: ignore[attr-defined]
            rows = list(session.exec(select(model).where(col(column) == case.id)).all())
        counts[str(model.__tablename__)] += _blank_free_text(uow, rows, fields)  # type: ignore[attr-defined]
    counts["documents"] += _retire_documents(session, uow, case.id, keep_documents)
    other_party = (col(AuditEvent.entity_type) == "party") & (
        AuditEvent.entity_id != str(case.debtor_id)
    )
    audit.erase_values(
        session, (col(AuditEvent.case_id) == case.id) & ~other_party, NOT_ABOUT_THE_DEBTOR
    )
    summary = {k: v for k, v in counts.items() if v}
    uow.event(
        audit.PendingEvent(
            "privacy.anonymise",
            "case",
            case.id,
            {"lignes": {"before": None, "after": summary}},
            case.id,
        )
    )
    return summary
