"""Cash collected per month against cash expected from plans, and a six-month forecast.

Collected: net payments (reversals included) received in the month on the scope's cases.
Expected: instalments falling due in the month on plans holding a case (active or
accelerated), as the « Échéanciers » board counts them.
Forecast: from today, what is still uncovered of those instalments (payments go to the
oldest instalments first, plans.status's rule; after the déchéance du terme all of it fell
due on that day) and of the items of promises to pay not
cancelled (payments since the promise go to its earliest items first); a case that has a
plan counts by its plan only, so a promise made on it is not counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlmodel import Session, col

from case_core.journal.promises import paid_since_promise
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import Case, Instalment, InstalmentPlan, Payment, Promise, PromiseItem
from case_core.plans.status import HOLDING, effective_due_sql, plans_paid
from case_core.reports.buckets import add_months, month_start, months_between
from case_core.reports.filters import DashboardFilter, Scope, case_conditions, resolve

FORECAST_MONTHS = 6


@dataclass(frozen=True)
class CashMonth:
    month: date  # first day
    collected_cents: int
    expected_cents: int


@dataclass(frozen=True)
class ForecastMonth:
    month: date
    plans_cents: int
    promises_cents: int

    @property
    def total_cents(self) -> int:
        return self.plans_cents + self.promises_cents


def _month_key(column: Any) -> tuple[Any, Any]:
    return func.extract("year", column), func.extract("month", column)


def _by_month(rows: Any) -> dict[date, int]:
    return {date(int(y), int(m), 1): int(v or 0) for y, m, v in rows}


def _uncovered(cumulative: Any, paid: Any, amount: Any) -> Any:
    """What is left of an item once `paid` went to the items before it and to it."""
    left = cumulative - sql_case((paid > 0, paid), else_=0)
    return sql_case((left <= 0, 0), (left >= amount, amount), else_=left)


def _holding_plans(scope: Scope) -> Any:
    return (
        select(col(InstalmentPlan.id), col(InstalmentPlan.case_id))
        .join(Case, col(Case.id) == col(InstalmentPlan.case_id))
        .where(col(InstalmentPlan.status).in_(HOLDING), *case_conditions(scope))
    )


def cash_months_in(session: Session, scope: Scope) -> list[CashMonth]:
    start, end = month_start(scope.period_start), scope.period_end
    y, m = _month_key(col(Payment.received_on))
    collected = _by_month(
        session.execute(
            select(y, m, func.sum(col(Payment.amount_cents)))
            .join(Case, col(Case.id) == col(Payment.case_id))
            .where(
                col(Payment.received_on) >= scope.period_start,
                col(Payment.received_on) <= end,
                *case_conditions(scope),
            )
            .group_by(y, m)
        ).all()
    )
    plans = _holding_plans(scope).subquery("holding")
    y, m = _month_key(col(Instalment.due_date))
    expected = _by_month(
        session.execute(
            select(y, m, func.sum(col(Instalment.amount_cents)))
            .join(plans, plans.c.id == col(Instalment.plan_id))
            .where(col(Instalment.due_date) >= scope.period_start, col(Instalment.due_date) <= end)
            .group_by(y, m)
        ).all()
    )
    return [
        CashMonth(month, collected.get(month, 0), expected.get(month, 0))
        for month in months_between(start, end)
    ]


def forecast_in(session: Session, scope: Scope) -> list[ForecastMonth]:
    today = scope.today
    end = add_months(month_start(today), FORECAST_MONTHS)  # exclusive
    scoped = select(col(Case.id)).where(*case_conditions(scope))
    paid = plans_paid(
        col(InstalmentPlan.status).in_(HOLDING), col(InstalmentPlan.case_id).in_(scoped)
    )
    # After the déchéance du terme everything left fell due on that (past) day.
    due = effective_due_sql(col(Instalment.due_date), paid.c.accelerated_on)
    y, m = _month_key(due)
    from_plans = _by_month(
        session.execute(
            select(
                y,
                m,
                func.sum(
                    _uncovered(
                        col(Instalment.cumulative_cents), paid.c.paid, col(Instalment.amount_cents)
                    )
                ),
            )
            .join(paid, paid.c.plan_id == col(Instalment.plan_id))
            .where(due >= today, due < end)
            .group_by(y, m)
        ).all()
    )
    with_plan = select(col(InstalmentPlan.case_id)).where(col(InstalmentPlan.status).in_(HOLDING))
    promises = (
        select(col(Promise.id).label("promise_id"), paid_since_promise().label("paid"))
        .join(Case, col(Case.id) == col(Promise.case_id))
        .where(
            col(Promise.cancelled_at).is_(None),
            col(Promise.case_id).not_in(with_plan),
            *case_conditions(scope),
        )
        .subquery("open_promises")
    )
    items = (
        select(
            col(PromiseItem.due_date).label("due"),
            _uncovered(
                func.sum(col(PromiseItem.amount_cents)).over(
                    partition_by=col(PromiseItem.promise_id),
                    order_by=(col(PromiseItem.due_date), col(PromiseItem.id)),
                ),
                promises.c.paid,
                col(PromiseItem.amount_cents),
            ).label("left"),
        )
        .join(promises, promises.c.promise_id == col(PromiseItem.promise_id))
        .subquery("items")
    )
    y, m = _month_key(items.c.due)
    from_promises = _by_month(
        session.execute(
            select(y, m, func.sum(items.c.left))
            .where(items.c.due >= today, items.c.due < end)
            .group_by(y, m)
        ).all()
    )
    return [
        ForecastMonth(month, from_plans.get(month, 0), from_promises.get(month, 0))
        for month in months_between(month_start(today), add_months(end, -1))
    ]


def cash_by_month(actor: Actor, f: DashboardFilter, today: date | None = None) -> list[CashMonth]:
    scope = resolve(actor, f, today)
    with read_session() as session:
        return cash_months_in(session, scope)


def cash_forecast(
    actor: Actor, f: DashboardFilter, today: date | None = None
) -> list[ForecastMonth]:
    scope = resolve(actor, f, today)
    with read_session() as session:
        return forecast_in(session, scope)
