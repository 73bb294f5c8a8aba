"""The statement of a case loaded from the database, through the caller's session or a
read of its own."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound
from case_core.kernel.permissions import Perm, require
from case_core.models import (
    Case,
    Claim,
    Party,
    PartyKind,
    Payment,
    RecoveryCost,
)
from case_core.statement.acknowledgements import other_acknowledgements
from case_core.statement.compute import compute_statement
from case_core.statement.facts import CaseFacts, ClaimFacts, CostFacts, PaymentFacts
from case_core.statement.lines import Statement
from case_core.statement.rates import (
    MissingRate,
    ProvisionalRate,
    RateTable,
    extended,
    load_rate_table,
    provisional_table,
    semester_bounds,
)
from case_core.statement.suspensions import case_suspensions


def statement_for_case(actor: Actor, reference: str, at: date | None = None) -> Statement:
    """The statement of the case `reference` at `at` (default: today, Paris time)."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference.strip())).first()
        if case is None:
            raise NotFound(f"Dossier introuvable : « {reference} ».")
        return load_statement(session, case, at or today_paris())


@dataclass(frozen=True)
class ProvisionalStatement:
    """An estimate while a rate is missing: never exported, never in a letter."""

    statement: Statement
    assumptions: list[ProvisionalRate]


def provisional_statement_for_case(
    actor: Actor, reference: str, at: date | None = None
) -> ProvisionalStatement:
    """The statement of `reference` with each missing semester's rate taken from the last
    known semester of its kind, and the list of those assumptions (for the screen only:
    letters, exports and dossiers go through statement_for_case and refuse)."""
    require(actor, Perm.CASES_READ)
    at = at or today_paris()
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference.strip())).first()
        if case is None:
            raise NotFound(f"Dossier introuvable : « {reference} ».")
        table = load_rate_table(session)
        _, candidates = provisional_table(table, at)
        by_semester = {(a.missing.kind, a.missing.period_start): a for a in candidates}
        # Assume only what this case needs: each rate the computation stops on.
        used: list[ProvisionalRate] = []
        while True:
            try:
                statement = load_statement(session, case, at, extended(table, used))
            except MissingRate as exc:
                needed = by_semester.get((exc.kind, semester_bounds(exc.day)[0]))
                if needed is None or needed in used:
                    raise
                used.append(needed)
            else:
                return ProvisionalStatement(statement, used)


def load_statement(
    session: Session, case: Case, at: date, table: RateTable | None = None
) -> Statement:
    """The statement of `case` at `at`, read through the caller's session (a write
    reads it after locking the case, so that what it checks is what it changes)."""
    claims = session.exec(select(Claim).where(Claim.case_id == case.id)).all()
    payments = session.exec(select(Payment).where(Payment.case_id == case.id)).all()
    costs = session.exec(select(RecoveryCost).where(RecoveryCost.case_id == case.id)).all()
    debtor = session.get(Party, case.debtor_id)
    creditor = session.get(Party, case.creditor_id)
    if table is None:
        table = load_rate_table(session)
    statement = compute_statement(
        CaseFacts.of(case, creditor),
        [ClaimFacts.of(c) for c in claims],
        [PaymentFacts.of(p) for p in payments],
        [CostFacts.of(c) for c in costs],
        table,
        at,
        other_acknowledgements(session, case.id),
        case_suspensions(session, case.id),
    )
    return dataclasses.replace(
        statement,
        reference=case.reference,
        debtor_name=debtor.display_name if debtor else None,
        creditor_name=creditor.display_name if creditor else None,
        formal_notice_sent_on=case.formal_notice_date,
        formal_notice_presented_on=case.formal_notice_presented_on,
        creditor_professional=case.creditor_professional,
        creditor_natural_person=creditor is not None and creditor.kind == PartyKind.PERSON,
    )
