"""Limitation (prescription) of claims, pure.

5 years for a commercial debt (Code de commerce L110-4, Code civil 2224), 2 years for a
professional's claim against a consumer (Code de la consommation L218-2), counted from the
due date (for L218-2, from the completion of the work or service when known). An
acknowledgement of the debt — a payment, an accepted instalment plan, a
signed mediation agreement — made before the limitation is acquired restarts a period of
the same length (Code civil 2240, 2231), never beyond 20 years from the due date (2232).

A mediation or conciliation suspends the period (Code civil 2238) from the agreement to
mediate (or the first meeting) until it is declared over; the time already run is kept and
at least six months remain after the end. While a mediation is still running, the date
given is the one it would be if it ended on the day of computation: a lower bound.

The date returned is the last day on which the creditor may still act.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from case_core.models import DebtorKind

CONSUMER_YEARS = 2
COMMERCIAL_YEARS = 5
CAP_YEARS = 20
MIN_MONTHS_AFTER_SUSPENSION = 6  # Code civil 2238 al. 1 (by reference to 2230)


@dataclass(frozen=True)
class SuspensionPeriod:
    """The period does not run from `start` through `end` (None: not over yet)."""

    start: date
    end: date | None = None


def add_years(day: date, years: int) -> date:
    """Same day `years` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """Same day `months` later, or the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


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
    suspensions: Iterable[SuspensionPeriod] = (),
    as_of: date | None = None,
) -> date:
    """Last day to act on a claim due on `due_date`, given the debtor's acknowledgements
    and the mediations that suspended the period. A suspension not over by `as_of` (or
    with no end and no `as_of`) is counted as ending on `as_of` (or its start)."""
    years = period_years(debtor_kind, creditor_professional)
    cap = add_years(due_date, CAP_YEARS)
    # Events in date order; on one day an acknowledgement comes before a suspension.
    events: list[tuple[date, int, date | None]] = [(a, 0, None) for a in acknowledgements]
    for period in suspensions:
        end = period.end if period.end is not None else (as_of or period.start)
        if as_of is not None and end > as_of:
            end = max(as_of, period.start)
        if end >= period.start:
            events.append((period.start, 1, None))
            events.append((end, 2, None))
    events.sort(key=lambda e: (e[0], e[1]))

    start = due_date
    limit = add_years(start, years)
    depth = 0
    remaining = timedelta(0)  # what was left of the period when the suspension began
    for day, kind, _ in events:
        if depth == 0 and day > limit:
            break  # already time-barred: nothing later revives the claim
        if kind == 0:
            if day <= start:
                continue
            start = day
            limit = add_years(start, years)
            if depth:
                remaining = limit - day
        elif kind == 1:
            if depth == 0:
                remaining = limit - max(day, start)
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                limit = max(day + remaining, add_months(day, MIN_MONTHS_AFTER_SUSPENSION))
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
    suspensions: Iterable[SuspensionPeriod] = (),
    as_of: date | None = None,
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
    suspensions = list(suspensions)
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
        when = limitation_date(start, debtor_kind, acks, creditor_professional, suspensions, as_of)
        if earliest is None or when < earliest:
            earliest = when
    return earliest
