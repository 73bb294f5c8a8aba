"""The figures stored on a case so the portfolio can filter and sort in SQL.

Every service that changes claims, payments or parties calls `refresh_case_totals`
in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from case_core.kernel.dates import today_paris
from case_core.models import Case, Claim, InstalmentPlan, MediationAgreement, Party, Payment
from case_core.statement.limitation import ClaimMark, PaymentMark, case_limitation_date
from case_core.statement.suspensions import case_suspensions


def build_search_text(
    reference: str, debtor: Party, invoice_numbers: Iterable[str], creditor: Party | None = None
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
        select(Claim.due_date, Claim.principal_cents, Claim.id, Claim.service_completed_on).where(
            Claim.case_id == case.id
        )
    ).all()
    payments = session.exec(
        select(
            Payment.id,
            Payment.received_on,
            Payment.amount_cents,
            Payment.reverses_payment_id,
            Payment.imputed_claim_id,
        ).where(Payment.case_id == case.id)
    ).all()
    plans = session.exec(
        select(InstalmentPlan.accepted_on).where(
            InstalmentPlan.case_id == case.id,
            InstalmentPlan.accepted_on.is_not(None),  # type: ignore[union-attr]
        )
    ).all()
    agreements = session.exec(
        select(MediationAgreement.signed_on).where(MediationAgreement.case_id == case.id)
    ).all()
    return case_limitation_date(
        [ClaimMark(*row) for row in claims],
        [PaymentMark(*row) for row in payments],
        [d for d in [*plans, *agreements] if d is not None],
        case.debtor_kind,
        case.creditor_professional,
        case_suspensions(session, case.id),
        today_paris(),
    )
