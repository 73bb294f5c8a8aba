"""Everything held about one party (GDPR art. 15), gathered as plain JSON-ready data.

Only the cases where the party is the debtor are read: a case holds one debtor, so what it
holds is about that person and nobody else. Mediation tables are never read here: their
content is confidential (loi 95-125 art. 21-3) and stays out of the export.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlmodel import Session, SQLModel, col, or_, select

from case_core.kernel.audit import readable_changes, to_jsonable
from case_core.kernel.errors import NotFound
from case_core.models import (
    AuditEvent,
    Case,
    Claim,
    ContactEvent,
    ContactObjection,
    Dispute,
    Document,
    Instalment,
    InstalmentPlan,
    Party,
    Payment,
    PrivacyRequest,
    Promise,
    PromiseItem,
    RecoveryCost,
)

# Fields that are bookkeeping of the application, not information about the person.
_SKIPPED = frozenset({"version", "search_text"})


def row_dict(row: SQLModel) -> dict[str, Any]:
    return {
        name: to_jsonable(getattr(row, name))
        for name in type(row).model_fields
        if name not in _SKIPPED
    }


def _rows(
    session: Session, model: type[SQLModel], column: Any, ids: list[int]
) -> list[dict[str, Any]]:
    if not ids:
        return []
    query = select(model).where(col(column).in_(ids)).order_by(col(model.id))  # type: ignore[attr-defined]
    return [row_dict(r) for r in session.exec(query).all()]


def party_cases(session: Session, party_id: int) -> list[Case]:
    return list(
        session.exec(select(Case).where(Case.debtor_id == party_id).order_by(col(Case.id))).all()
    )


def collect_party_data(session: Session, party_id: int) -> dict[str, Any]:
    """The party's identity and every row of their cases, as JSON-ready dicts."""
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(f"Personne introuvable (n° {party_id}).")
    cases = party_cases(session, party_id)
    case_ids = [c.id for c in cases if c.id is not None]
    creditor_ids = sorted({c.creditor_id for c in cases})
    creditors = session.exec(select(Party).where(col(Party.id).in_(creditor_ids))).all()
    plans = _rows(session, InstalmentPlan, InstalmentPlan.case_id, case_ids)
    promises = _rows(session, Promise, Promise.case_id, case_ids)
    audit_query = (
        select(AuditEvent)
        .where(
            or_(
                col(AuditEvent.case_id).in_(case_ids) if case_ids else false(),
                (AuditEvent.entity_type == "party") & (AuditEvent.entity_id == str(party_id)),
            )
        )
        .order_by(col(AuditEvent.id))
    )
    events = session.exec(audit_query).all()
    # The personal values an event names are kept beside the chain: put them back.
    readable = readable_changes(session, events)
    audit_events = [
        {
            **{k: v for k, v in row_dict(e).items() if k not in {"prev_hash", "hash"}},
            "changes": readable.get(e.id or 0, {}),
        }
        for e in events
    ]
    return {
        "personne": row_dict(party),
        "creanciers": [{"id": c.id, "nom": c.display_name} for c in creditors],
        "dossiers": [row_dict(c) for c in cases],
        "factures": _rows(session, Claim, Claim.case_id, case_ids),
        "paiements": _rows(session, Payment, Payment.case_id, case_ids),
        "frais": _rows(session, RecoveryCost, RecoveryCost.case_id, case_ids),
        "journal": _rows(session, ContactEvent, ContactEvent.case_id, case_ids),
        "promesses": promises,
        "echeances_promesses": _rows(
            session, PromiseItem, PromiseItem.promise_id, [p["id"] for p in promises]
        ),
        "contestations": _rows(session, Dispute, Dispute.case_id, case_ids),
        "echeanciers": plans,
        "echeances": _rows(session, Instalment, Instalment.plan_id, [p["id"] for p in plans]),
        "documents": _rows(session, Document, Document.case_id, case_ids),
        "demandes": _rows(session, PrivacyRequest, PrivacyRequest.party_id, [party_id]),
        "oppositions": _rows(session, ContactObjection, ContactObjection.party_id, [party_id]),
        "evenements_audit": audit_events,
    }
