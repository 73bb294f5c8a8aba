"""The case page's data: the case with its figures and allowed phases, its invoices and
its history as a user reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from case_core.cases.history import action_label, describe_changes
from case_core.cases.lifecycle import allowed_transitions
from case_core.cases.loading import get_case
from case_core.cases.parties import PartySummary, summary_of
from case_core.cases.portfolio import days_overdue
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.permissions import Perm, require
from case_core.models import (
    Claim,
    ClosureReason,
    DebtorKind,
    InterestRegime,
    Party,
    Phase,
    User,
)


@dataclass(frozen=True)
class ClaimLine:
    id: int
    invoice_number: str
    issue_date: date
    due_date: date
    principal_cents: int
    description: str | None
    interest_regime: InterestRegime


@dataclass(frozen=True)
class HistoryLine:
    occurred_at: datetime
    actor_label: str
    action: str
    action_label: str
    changes: dict[str, Any]
    summary: str = ""  # the changes as a user reads them (audit_display)


@dataclass(frozen=True)
class CaseDetail:
    id: int
    reference: str
    creditor: PartySummary
    debtor: PartySummary
    debtor_kind: DebtorKind
    creditor_professional: bool
    phase: Phase
    closure_reason: ClosureReason | None
    assignee_id: int | None
    assignee_name: str | None
    principal_cents: int
    paid_cents: int
    balance_cents: int
    oldest_due_date: date | None
    days_overdue: int
    limitation_date: date | None
    next_action_date: date | None
    next_action_note: str | None
    version: int
    allowed_phases: list[Phase]


def case_view(actor: Actor, reference: str, today: date | None = None) -> CaseDetail:
    """The case page's header (the figures stored on the case, its parties and assignee),
    read in one transaction; each tab reads its own rows only when it is open."""
    require(actor, Perm.CASES_READ)
    today = today or today_paris()
    with read_session() as session:
        case = get_case(session, reference)
        assert case.id is not None
        creditor = session.get(Party, case.creditor_id)
        debtor = session.get(Party, case.debtor_id)
        assert creditor is not None and debtor is not None
        assignee = session.get(User, case.assignee_id) if case.assignee_id else None
        return CaseDetail(
            id=case.id,
            reference=case.reference,
            creditor=summary_of(creditor),
            debtor=summary_of(debtor),
            debtor_kind=DebtorKind(case.debtor_kind),
            creditor_professional=case.creditor_professional,
            phase=Phase(case.phase),
            closure_reason=ClosureReason(case.closure_reason) if case.closure_reason else None,
            assignee_id=case.assignee_id,
            assignee_name=assignee.full_name if assignee else None,
            principal_cents=case.principal_cents,
            paid_cents=case.paid_cents,
            balance_cents=case.balance_cents,
            oldest_due_date=case.oldest_due_date,
            days_overdue=days_overdue(case.oldest_due_date, case.balance_cents, today),
            limitation_date=case.limitation_date,
            next_action_date=case.next_action_date,
            next_action_note=case.next_action_note,
            version=case.version,
            allowed_phases=allowed_transitions(Phase(case.phase)),
        )


def case_claims(actor: Actor, reference: str) -> list[ClaimLine]:
    """The case's invoices, oldest due first."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        claims = session.scalars(
            select(Claim)
            .where(col(Claim.case_id) == case.id)
            .order_by(col(Claim.due_date), col(Claim.id))
        ).all()
        return [
            ClaimLine(
                id=c.id or 0,
                invoice_number=c.invoice_number,
                issue_date=c.issue_date,
                due_date=c.due_date,
                principal_cents=c.principal_cents,
                description=c.description,
                interest_regime=InterestRegime(c.interest_regime),
            )
            for c in claims
        ]


def case_history(actor: Actor, reference: str) -> list[HistoryLine]:
    """The case's audit events as a reader understands them, newest first. Only roles that
    may read the audit see it: it shows before/after values of contact data and IBANs."""
    require(actor, Perm.AUDIT_READ)
    with read_session() as session:
        case = get_case(session, reference)
        assert case.id is not None
        history = []
        events = audit.case_history(session, case.id, debtor_id=case.debtor_id)
        # Personal values come back from beside the chain (« [effacé] » once anonymised).
        readable = audit.readable_changes(session, events)
        for e in events:
            changes = readable.get(e.id or 0, {})
            history.append(
                HistoryLine(
                    occurred_at=e.occurred_at,
                    actor_label=e.actor_label,
                    action=e.action,
                    action_label=action_label(e.action),
                    changes=changes,
                    summary=describe_changes(changes),
                )
            )
        return history
