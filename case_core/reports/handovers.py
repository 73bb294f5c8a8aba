"""Hand-overs to a commissaire de justice or an avocat: cases and amounts referred, and
what came back after, per month of the period.

A case counts once, in the month (UTC, like the cohorts) of its first hand-over, when
that falls in the period; handed over again later, it is still the same case. Amount
referred: the receivables of the case at that instant, as the CEI counts them (principal
placed before it, less net payments recorded before it, at least zero). Recovered after
referral: net payments recorded on the case since that instant (a payment the recipient
obtained is recorded like any other). Declared by the recipients: the amounts they report
as recovered on the case's hand-overs (referral outcome), shown apart because the same
money may also be recorded as a payment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlmodel import Session, col

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import Case, Claim, Payment, Referral
from case_core.reports.buckets import months_between, rate
from case_core.reports.filters import DashboardFilter, Scope, case_conditions, resolve


@dataclass(frozen=True)
class HandoverMonth:
    month: date  # first day
    cases: int
    referred_cents: int
    recovered_cents: int  # net payments recorded since the hand-over
    declared_cents: int  # reported by the recipients
    titles: int  # cases for which a recipient obtained an enforceable title

    @property
    def recovery_rate(self) -> float | None:
        return rate(self.recovered_cents, self.referred_cents)


@dataclass(frozen=True)
class Handovers:
    months: list[HandoverMonth]

    @property
    def cases(self) -> int:
        return sum(m.cases for m in self.months)

    @property
    def referred_cents(self) -> int:
        return sum(m.referred_cents for m in self.months)

    @property
    def recovered_cents(self) -> int:
        return sum(m.recovered_cents for m in self.months)

    @property
    def declared_cents(self) -> int:
        return sum(m.declared_cents for m in self.months)

    @property
    def titles(self) -> int:
        return sum(m.titles for m in self.months)

    @property
    def recovery_rate(self) -> float | None:
        """Recovered after referral over the amount referred."""
        return rate(self.recovered_cents, self.referred_cents)


def handovers_in(session: Session, scope: Scope) -> Handovers:
    first = (
        select(
            col(Referral.case_id).label("case_id"),
            func.min(col(Referral.handed_over_at)).label("at"),
            func.sum(col(Referral.recovered_cents)).label("declared"),
            func.max(sql_case((col(Referral.title_obtained), 1), else_=0)).label("title"),
        )
        .group_by(col(Referral.case_id))
        .subquery("first_handover")
    )
    referred = (
        select(first.c.case_id, first.c.at, first.c.declared, first.c.title)
        .join(Case, col(Case.id) == first.c.case_id)
        .where(first.c.at >= scope.start_instant, first.c.at < scope.end_instant)
        .where(*case_conditions(scope))
        .subquery("referred")
    )
    placed = (
        select(
            referred.c.case_id,
            func.sum(col(Claim.principal_cents)).label("placed"),
        )
        .join(Claim, col(Claim.case_id) == referred.c.case_id)
        .where(col(Claim.created_at) < referred.c.at)
        .group_by(referred.c.case_id)
        .subquery("placed_before")
    )
    before = col(Payment.created_at) < referred.c.at
    paid = (
        select(
            referred.c.case_id,
            func.sum(sql_case((before, col(Payment.amount_cents)), else_=0)).label("before"),
            func.sum(sql_case((before, 0), else_=col(Payment.amount_cents))).label("after"),
        )
        .join(Payment, col(Payment.case_id) == referred.c.case_id)
        .group_by(referred.c.case_id)
        .subquery("paid")
    )
    owed = func.coalesce(placed.c.placed, 0) - func.coalesce(paid.c.before, 0)
    y, m = func.extract("year", referred.c.at), func.extract("month", referred.c.at)
    rows = session.execute(
        select(
            y,
            m,
            func.count(),
            func.coalesce(func.sum(sql_case((owed > 0, owed), else_=0)), 0),
            func.coalesce(func.sum(paid.c.after), 0),
            func.coalesce(func.sum(referred.c.declared), 0),
            func.coalesce(func.sum(referred.c.title), 0),
        )
        .select_from(referred)
        .outerjoin(placed, placed.c.case_id == referred.c.case_id)
        .outerjoin(paid, paid.c.case_id == referred.c.case_id)
        .group_by(y, m)
    ).all()
    found = {
        date(int(year), int(month), 1): (int(n), int(o), int(r), int(d), int(t))
        for year, month, n, o, r, d, t in rows
    }
    return Handovers(
        [
            HandoverMonth(month, *found.get(month, (0, 0, 0, 0, 0)))
            for month in months_between(scope.period_start, scope.period_end)
        ]
    )


def handover_figures(actor: Actor, f: DashboardFilter, today: date | None = None) -> Handovers:
    """Cases and amounts handed over, and recovered after, month by month."""
    scope = resolve(actor, f, today)
    with read_session() as session:
        return handovers_in(session, scope)
