"""Cash collected per month against cash expected from plans, and a six-month forecast.

Collected: net payments (reversals included) received in the month on the scope's cases.
Expected: instalments falling due in the month on plans holding a case (active or
accelerated), as the « Échéanciers » board counts them.
Forecast: from today, what is still uncovered of those instalments (payments go to the
oldest instalments first, plans.service's rule) and of the items of promises to pay not
cancelled (payments since the promise go to its earliest items first); a case that has a
plan counts by its plan only, so a promise made on it is not counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from case_core.journal.promises import paid_since_promise
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import Case, Instalment, InstalmentPlan, Payment, Promise, PromiseItem
from case_core.plans.service import HOLDING, plan_paid_expr
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
        select(InstalmentPlan.id, InstalmentPlan.case_id)
        .join(Case, Case.id == InstalmentPlan.case_id)
        .where(InstalmentPlan.status.in_(HOLDING), *case_conditions(scope))  # type: ignore[attr-defined]
    )


def cash_months_in(session: Session, scope: Scope) -> list[CashMonth]:
    start, end = month_start(scope.period_start), scope.period_end
    y, m = _month_key(Payment.received_on)
    collected = _by_month(
        session.execute(
            select(y, m, func.sum(Payment.amount_cents))
            .join(Case, Case.id == Payment.case_id)
            .where(
                Payment.received_on >= scope.period_start,
                Payment.received_on <= end,
                *case_conditions(scope),
            )
            .group_by(y, m)
        ).all()
    )
    plans = _holding_plans(scope).subquery("holding")
    y, m = _month_key(Instalment.due_date)
    expected = _by_month(
        session.execute(
            select(y, m, func.sum(Instalment.amount_cents))
            .join(plans, plans.c.id == Instalment.plan_id)
            .where(Instalment.due_date >= scope.period_start, Instalment.due_date <= end)
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
    paid_plans = (
        select(InstalmentPlan.id.label("plan_id"), plan_paid_expr().label("paid"))  # type: ignore[union-attr]
        .where(InstalmentPlan.id.in_(_holding_plans(scope).with_only_columns(InstalmentPlan.id)))  # type: ignore[union-attr]
        .subquery("paid_plans")
    )
    y, m = _month_key(Instalment.due_date)
    from_plans = _by_month(
        session.execute(
            select(
                y,
                m,
                func.sum(
                    _uncovered(
                        Instalment.cumulative_cents, paid_plans.c.paid, Instalment.amount_cents
                    )
                ),
            )
            .join(paid_plans, paid_plans.c.plan_id == Instalment.plan_id)
            .where(Instalment.due_date >= today, Instalment.due_date < end)
            .group_by(y, m)
        ).all()
    )
    with_plan = select(InstalmentPlan.case_id).where(InstalmentPlan.status.in_(HOLDING))  # type: ignore[attr-defined]
    promises = (
        select(Promise.id.label("promise_id"), paid_since_promise().label("paid"))  # type: ignore[union-attr]
        .join(Case, Case.id == Promise.case_id)
        .where(
            Promise.cancelled_at.is_(None),  # type: ignore[union-attr]
            Promise.case_id.not_in(with_plan),  # type: ignore[attr-defined]
            *case_conditions(scope),
        )
        .subquery("open_promises")
    )
    items = (
        select(
            PromiseItem.due_date.label("due"),  # type: ignore[attr-defined]
            _uncovered(
                func.sum(PromiseItem.amount_cents).over(
                    partition_by=PromiseItem.promise_id,
                    order_by=(PromiseItem.due_date, PromiseItem.id),
                ),
                promises.c.paid,
                PromiseItem.amount_cents,
            ).label("left"),
        )
        .join(promises, promises.c.promise_id == PromiseItem.promise_id)
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
