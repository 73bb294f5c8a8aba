"""Limitation (prescription) of claims, pure.

5 years for a commercial debt (Code de commerce L110-4, Code civil 2224), 2 years for a
professional's claim against a consumer (Code de la consommation L218-2), counted from the
due date. An acknowledgement of the debt — a payment, an accepted instalment plan, a
signed mediation agreement — made before the limitation is acquired restarts a period of
the same length (Code civil 2240, 2231), never beyond 20 years from the due date (2232).

The date returned is the last day on which the creditor may still act.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from case_core.models import DebtorKind

CONSUMER_YEARS = 2
COMMERCIAL_YEARS = 5
CAP_YEARS = 20


def add_years(day: date, years: int) -> date:
    """Same day `years` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_years(debtor_kind: DebtorKind | str, creditor_professional: bool = True) -> int:
    """Two years only for a professional's claim against a consumer (C. consom. L218-2);
    a creditor not acting for professional needs keeps the common five years (C. civ. 2224)."""
    consumer = DebtorKind(debtor_kind) == DebtorKind.CONSUMER
    return CONSUMER_YEARS if consumer and creditor_professional else COMMERCIAL_YEARS


def period_start(
    due_date: date,
    service_completed_on: date | None,
    debtor_kind: DebtorKind | str,
    creditor_professional: bool = True,
) -> date:
    """Where the period starts: for a professional's claim on a consumer (L218-2), the
    completion of the work or service when known (Cass. civ. 1re, 19 mai 2021,
    n° 20-12.520), otherwise — and for every other claim — the due date."""
    if service_completed_on and period_years(debtor_kind, creditor_professional) == CONSUMER_YEARS:
        return service_completed_on
    return due_date


def limitation_date(
    due_date: date,
    debtor_kind: DebtorKind | str,
    acknowledgements: Iterable[date] = (),
    creditor_professional: bool = True,
) -> date:
    """Last day to act on a claim due on `due_date`, given the debtor's acknowledgements."""
    years = period_years(debtor_kind, creditor_professional)
    cap = add_years(due_date, CAP_YEARS)
    start = due_date
    limit = add_years(start, years)
    for ack in sorted(acknowledgements):
        if ack <= start:
            continue
        if ack > limit:
            break  # already time-barred: a later acknowledgement does not revive the claim
        start = ack
        limit = min(add_years(start, years), cap)
    return min(limit, cap)


@dataclass(frozen=True)
class PaymentMark:
    id: int | None
    received_on: date
    amount_cents: int
    reverses_payment_id: int | None = None
    # The invoice the debtor paid by name: only that debt is acknowledged (C. civ. 2240).
    imputed_claim_id: int | None = None


def acknowledging_payment_dates(
    payments: Iterable[PaymentMark], claim_id: int | None = None
) -> list[date]:
    """Dates of payments that acknowledge the debt: positive and not reversed since. With
    `claim_id`, those acknowledging that claim: a payment on account of the whole balance
    acknowledges every claim, one the debtor imputed to an invoice only that invoice."""
    payments = list(payments)
    reversed_ids = {p.reverses_payment_id for p in payments if p.reverses_payment_id}
    return [
        p.received_on
        for p in payments
        if p.amount_cents > 0
        and p.id not in reversed_ids
        and (claim_id is None or p.imputed_claim_id in (None, claim_id))
    ]


@dataclass(frozen=True)
class ClaimMark:
    due_date: date
    principal_cents: int
    claim_id: int | None = None
    service_completed_on: date | None = None


def case_limitation_date(
    claims: Iterable[ClaimMark],
    payments: Iterable[PaymentMark],
    other_acknowledgements: Iterable[date],
    debtor_kind: DebtorKind | str,
    creditor_professional: bool = True,
) -> date | None:
    """Earliest limitation date among the open claims of a case (stored on the case so the
    portfolio can sort and flag in SQL).

    A payment acknowledges every claim of the case when made on account of the whole
    balance, only its invoice when the debtor imputed it to one. Which claims are still
    open is estimated by applying the net amount paid to principal, oldest due first — the
    statement gives the exact figures with interest.
    """
    payments = list(payments)
    others = list(other_acknowledgements)
    paid = sum(p.amount_cents for p in payments)
    earliest: date | None = None
    for claim in sorted(claims, key=lambda c: c.due_date):
        covered = min(max(paid, 0), claim.principal_cents)
        paid -= covered
        if covered >= claim.principal_cents:
            continue
        acks = acknowledging_payment_dates(payments, claim.claim_id) + others
        start = period_start(
            claim.due_date, claim.service_completed_on, debtor_kind, creditor_professional
        )
        when = limitation_date(start, debtor_kind, acks, creditor_professional)
        if earliest is None or when < earliest:
            earliest = when
    return earliest
