"""Portfolio indicators: countback DSO per creditor, collection effectiveness (CEI) per
month, plans by status, and the risks (limitation near, broken plans, open disputes).

Amounts placed stand for a creditor's sales here: a claim is placed when it is recorded
(its `created_at`). Receivables at an instant: principal placed before it, less net
payments recorded before it — recorded, like the placements, so that an import carrying
old payments cannot make receivables negative (write-offs are not dated apart: a
written-off case stays in the receivables). Current receivables at a month's end: the
principal placed by then and not yet due, at most the receivables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlmodel import Session, col

from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS
from case_core.kernel.db import read_session
from case_core.models import Case, Claim, Dispute, InstalmentPlan, Party, Payment
from case_core.plans.board import board_state, plan_stats
from case_core.plans.settings import status_rule
from case_core.plans.status import HOLDING, PlanState
from case_core.reports.buckets import (
    add_months,
    countback_dso,
    days_in_month,
    month_start,
    months_between,
)
from case_core.reports.filters import (
    DashboardFilter,
    Scope,
    case_conditions,
    open_case_conditions,
    resolve,
)
from case_core.statement.horizon import horizon_days

DSO_HISTORY_MONTHS = 24


@dataclass(frozen=True)
class CreditorDso:
    creditor_id: int
    creditor: str
    receivables_cents: int
    dso_days: float


@dataclass(frozen=True)
class CeiMonth:
    month: date
    opening_cents: int
    placed_cents: int
    collected_cents: int
    closing_cents: int
    closing_current_cents: int

    @property
    def cei(self) -> float | None:
        """(opening + placed − closing) ÷ (opening + placed − closing current) × 100."""
        denominator = self.opening_cents + self.placed_cents - self.closing_current_cents
        if denominator <= 0:
            return None
        return (self.opening_cents + self.placed_cents - self.closing_cents) / denominator * 100


@dataclass(frozen=True)
class PlanCount:
    status: PlanState
    plans: int
    remaining_cents: int


@dataclass(frozen=True)
class Risks:
    near_limitation_cases: int
    near_limitation_cents: int
    horizon_days: int
    time_barred_cases: int
    broken_plans: int
    open_disputes: int


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), PARIS).astimezone(UTC)


def dso_in(session: Session, scope: Scope) -> list[CreditorDso]:
    positive = sql_case((col(Case.balance_cents) > 0, col(Case.balance_cents)), else_=0)
    receivables: dict[int, int] = dict(
        session.execute(
            select(col(Case.creditor_id), func.sum(positive))
            .where(*open_case_conditions(scope))
            .group_by(col(Case.creditor_id))
        ).all()
    )
    this_month = month_start(scope.today)
    first = add_months(this_month, -(DSO_HISTORY_MONTHS - 1))
    y, m = func.extract("year", col(Claim.created_at)), func.extract("month", col(Claim.created_at))
    placed: dict[int, dict[date, int]] = {}
    for creditor_id, year, month, cents in session.execute(
        select(col(Case.creditor_id), y, m, func.sum(col(Claim.principal_cents)))
        .join(Case, col(Case.id) == col(Claim.case_id))
        .where(col(Claim.created_at) >= _utc_midnight(first), *case_conditions(scope))
        .group_by(col(Case.creditor_id), y, m)
    ).all():
        placed.setdefault(int(creditor_id), {})[date(int(year), int(month), 1)] = int(cents)
    names = dict(
        session.execute(
            select(col(Party.id), col(Party.display_name)).where(
                col(Party.id).in_(list(receivables))
            )
        ).all()
    )
    months = list(reversed(months_between(first, scope.today)))
    out = []
    for creditor_id, cents in receivables.items():
        history = placed.get(int(creditor_id), {})
        # The current month counts the days elapsed so far, not the whole month.
        series = [
            (scope.today.day if mo == this_month else days_in_month(mo), history.get(mo, 0))
            for mo in months
        ]
        out.append(
            CreditorDso(
                int(creditor_id),
                names.get(creditor_id, "?"),
                int(cents or 0),
                countback_dso(int(cents or 0), series),
            )
        )
    return sorted(out, key=lambda d: -d.receivables_cents)


def cei_in(session: Session, scope: Scope) -> list[CeiMonth]:
    months = months_between(scope.period_start, scope.period_end)
    ends = [add_months(mo, 1) for mo in months]
    first = _utc_midnight(months[0])
    claims = (
        select(col(Claim.principal_cents), col(Claim.created_at), col(Claim.due_date))
        .join(Case, col(Case.id) == col(Claim.case_id))
        .where(*case_conditions(scope))
        .subquery("scoped_claims")
    )

    def placed_before(instant: datetime) -> Any:
        return func.coalesce(
            func.sum(sql_case((claims.c.created_at < instant, claims.c.principal_cents), else_=0)),
            0,
        )

    def current_at(end: date) -> Any:
        cond = (claims.c.created_at < _utc_midnight(end)) & (claims.c.due_date >= end)
        return func.coalesce(func.sum(sql_case((cond, claims.c.principal_cents), else_=0)), 0)

    # One pass over the claims: principal placed before each month and still current at
    # each month's end.
    row = session.execute(
        select(
            placed_before(first),
            *[placed_before(_utc_midnight(e)) for e in ends],
            *[current_at(e) for e in ends],
        )
    ).one()
    n = len(months)
    placed_to = [int(row[0])] + [int(v) for v in row[1 : n + 1]]
    current = [int(v) for v in row[n + 1 :]]
    pay = (
        select(col(Payment.amount_cents), col(Payment.created_at))
        .join(Case, col(Case.id) == col(Payment.case_id))
        .where(*case_conditions(scope))
        .subquery("scoped_payments")
    )

    def paid_before(instant: datetime) -> Any:
        return func.coalesce(
            func.sum(sql_case((pay.c.created_at < instant, pay.c.amount_cents), else_=0)), 0
        )

    paid_row = session.execute(
        select(paid_before(first), *[paid_before(_utc_midnight(e)) for e in ends])
    ).one()
    paid_to = [int(v) for v in paid_row]
    out = []
    for i, mo in enumerate(months):
        opening = placed_to[i] - paid_to[i]
        closing = placed_to[i + 1] - paid_to[i + 1]
        out.append(
            CeiMonth(
                mo,
                opening,
                placed_to[i + 1] - placed_to[i],
                paid_to[i + 1] - paid_to[i],
                closing,
                min(current[i], max(closing, 0)),
            )
        )
    return out


def plans_in(session: Session, scope: Scope) -> list[PlanCount]:
    """Plans in force on the scope's cases, by the state the « Échéanciers » board gives
    them (plans.board's figures and the one status rule's SQL form)."""
    rule = status_rule(session)
    scoped = select(col(Case.id)).where(*case_conditions(scope))
    stats = plan_stats(
        scope.today,
        rule,
        [col(InstalmentPlan.status).in_(HOLDING), col(InstalmentPlan.case_id).in_(scoped)],
    )
    state = board_state(stats, rule)
    left = stats.c.total_cost - stats.c.paid
    rows = session.execute(
        select(
            state, func.count(), func.coalesce(func.sum(sql_case((left > 0, left), else_=0)), 0)
        ).group_by(state)
    ).all()
    found = {PlanState(s): (int(n), int(c)) for s, n, c in rows}
    shown = (PlanState.ACTIVE, PlanState.COMPLETED, PlanState.BROKEN, PlanState.ACCELERATED)
    return [PlanCount(s, *found.get(s, (0, 0))) for s in shown]


def risks_in(session: Session, scope: Scope, plans: list[PlanCount]) -> Risks:
    horizon = horizon_days(session)
    today = scope.today
    near = col(Case.limitation_date).between(today, today + timedelta(days=horizon))
    barred = col(Case.limitation_date) < today
    near_cases, near_cents, barred_cases = session.execute(
        select(
            func.coalesce(func.sum(sql_case((near, 1), else_=0)), 0),
            func.coalesce(func.sum(sql_case((near, col(Case.balance_cents)), else_=0)), 0),
            func.coalesce(func.sum(sql_case((barred, 1), else_=0)), 0),
        ).where(col(Case.balance_cents) > 0, *open_case_conditions(scope))
    ).one()
    disputes = session.execute(
        select(func.count())
        .select_from(Dispute)
        .join(Case, col(Case.id) == col(Dispute.case_id))
        .where(col(Dispute.resolved_at).is_(None), *case_conditions(scope))
    ).scalar_one()
    broken = sum(p.plans for p in plans if p.status == PlanState.BROKEN)
    return Risks(
        int(near_cases), int(near_cents), horizon, int(barred_cases), broken, int(disputes)
    )


def dso_by_creditor(
    actor: Actor, f: DashboardFilter, today: date | None = None
) -> list[CreditorDso]:
    scope = resolve(actor, f, today)
    with read_session() as session:
        return dso_in(session, scope)


def cei_by_month(actor: Actor, f: DashboardFilter, today: date | None = None) -> list[CeiMonth]:
    scope = resolve(actor, f, today)
    with read_session() as session:
        return cei_in(session, scope)


def plans_and_risks(
    actor: Actor, f: DashboardFilter, today: date | None = None
) -> tuple[list[PlanCount], Risks]:
    scope = resolve(actor, f, today)
    with read_session() as session:
        plans = plans_in(session, scope)
        return plans, risks_in(session, scope, plans)
