"""The figures stored on a case so the portfolio can filter and sort in SQL.

Every service that changes claims, payments or parties calls `refresh_case_totals`
in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from case_core.kernel.dates import today_paris
from case_core.models import Case, Claim, Party, Payment
from case_core.statement.acknowledgements import other_acknowledgements
from case_core.statement.limitation import ClaimMark, PaymentMark, case_limitation_date
from case_core.statement.suspensions import case_suspensions


class SearchableParty(Protocol):
    """What the search text reads of a party (a Party, or the columns of one being
    bulk-inserted)."""

    @property
    def display_name(self) -> str: ...
    @property
    def siren(self) -> str | None: ...
    @property
    def siret(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def email_alt(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def phone_alt(self) -> str | None: ...


def build_search_text(
    reference: str,
    debtor: SearchableParty,
    invoice_numbers: Iterable[str],
    creditor: SearchableParty | None = None,
) -> str:
    parts = [
        reference,
        debtor.display_name,
        debtor.siren,
        debtor.siret,
        debtor.email,
        debtor.email_alt,
        debtor.phone,
        debtor.phone_alt,
        # A phone is also searchable as typed in France: 06 12 34 56 78 -> 0612345678.
        _national_phone(debtor.phone),
        *invoice_numbers,
    ]
    if creditor is not None:
        parts.append(creditor.display_name)
    return " | ".join(p for p in parts if p).lower()[:4000]


def _national_phone(e164: str | None) -> str | None:
    if e164 and e164.startswith("+33"):
        return "0" + e164[3:]
    return None


def refresh_case_totals(session: Session, case: Case) -> Case:
    """Recompute principal, paid, balance, oldest due date, limitation date and search
    text of `case`."""
    principal, oldest = session.exec(
        select(func.coalesce(func.sum(Claim.principal_cents), 0), func.min(Claim.due_date)).where(
            Claim.case_id == case.id
        )
    ).one()
    paid = session.exec(
        select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(Payment.case_id == case.id)
    ).one()
    invoices = session.exec(select(Claim.invoice_number).where(Claim.case_id == case.id)).all()
    debtor = session.get(Party, case.debtor_id)
    creditor = session.get(Party, case.creditor_id)
    assert debtor is not None
    case.principal_cents = int(principal)
    case.paid_cents = int(paid)
    case.balance_cents = int(principal) - int(paid)
    case.oldest_due_date = oldest
    case.limitation_date = _limitation_date(session, case)
    case.search_text = build_search_text(case.reference, debtor, invoices, creditor)
    session.add(case)
    return case


def _limitation_date(session: Session, case: Case) -> date | None:
    claims = session.exec(
        select(
            col(Claim.due_date),
            col(Claim.principal_cents),
            col(Claim.id),
            col(Claim.service_completed_on),
        ).where(col(Claim.case_id) == case.id)
    ).all()
    # SQLAlchemy's select: SQLModel's typed overloads stop at four columns.
    payments = session.execute(
        sa_select(
            col(Payment.id),
            col(Payment.received_on),
            col(Payment.amount_cents),
            col(Payment.reverses_payment_id),
            col(Payment.imputed_claim_id),
        ).where(col(Payment.case_id) == case.id)
    ).all()
    return case_limitation_date(
        [ClaimMark(*row) for row in claims],
        [PaymentMark(*row) for row in payments],
        other_acknowledgements(session, case.id),
        case.debtor_kind,
        case.creditor_professional,
        case_suspensions(session, case.id),
        today_paris(),
    )
