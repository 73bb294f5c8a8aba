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


def period_years(debtor_kind: DebtorKind | str, creditor_is_natural_person: bool = False) -> int:
    """Two years only for a professional's claim against a consumer (C. consom. L218-2);
    a private individual's claim on a consumer keeps the common five years (C. civ. 2224)."""
    consumer = DebtorKind(debtor_kind) == DebtorKind.CONSUMER
    return CONSUMER_YEARS if consumer and not creditor_is_natural_person else COMMERCIAL_YEARS


def limitation_date(
    due_date: date,
    debtor_kind: DebtorKind | str,
    acknowledgements: Iterable[date] = (),
    creditor_is_natural_person: bool = False,
) -> date:
    """Last day to act on a claim due on `due_date`, given the debtor's acknowledgements."""
    years = period_years(debtor_kind, creditor_is_natural_person)
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


def acknowledging_payment_dates(payments: Iterable[PaymentMark]) -> list[date]:
    """Dates of payments that acknowledge the debt: positive and not reversed since."""
    payments = list(payments)
    reversed_ids = {p.reverses_payment_id for p in payments if p.reverses_payment_id}
    return [p.received_on for p in payments if p.amount_cents > 0 and p.id not in reversed_ids]


@dataclass(frozen=True)
class ClaimMark:
    due_date: date
    principal_cents: int


def case_limitation_date(
    claims: Iterable[ClaimMark],
    payments: Iterable[PaymentMark],
    other_acknowledgements: Iterable[date],
    debtor_kind: DebtorKind | str,
    creditor_is_natural_person: bool = False,
) -> date | None:
    """Earliest limitation date among the open claims of a case (stored on the case so the
    portfolio can sort and flag in SQL).

    A payment acknowledges every claim of the case: it is made on account of the whole
    balance. Which claims are still open is estimated by applying the net amount paid to
    principal, oldest due first — the statement gives the exact figures with interest.
    """
    payments = list(payments)
    acks = acknowledging_payment_dates(payments) + list(other_acknowledgements)
    paid = sum(p.amount_cents for p in payments)
    earliest: date | None = None
    for claim in sorted(claims, key=lambda c: c.due_date):
        covered = min(max(paid, 0), claim.principal_cents)
        paid -= covered
        if covered >= claim.principal_cents:
            continue
        when = limitation_date(claim.due_date, debtor_kind, acks, creditor_is_natural_person)
        if earliest is None or when < earliest:
            earliest = when
    return earliest
