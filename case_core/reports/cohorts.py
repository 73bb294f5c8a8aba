"""Recovery by intake cohort: for the cases placed in a month (their creation), what was
collected over what was placed, month by month since intake.

Placed: the principal of the cohort's invoices. Collected: net payments on those cases
(reversals included). A payment recorded with a date before the case was placed (an
import with history) counts in the intake month. Months are calendar months in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlmodel import Session, col

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import Case, Payment
from case_core.reports.buckets import rate
from case_core.reports.filters import DashboardFilter, Scope, case_conditions, resolve

MAX_AGE_MONTHS = 24


@dataclass(frozen=True)
class Cohort:
    month: date  # first day of the intake month
    cases: int
    placed_cents: int
    collected_cents: int
    # Net collected in month n after intake (0 = the intake month), n up to MAX_AGE_MONTHS.
    collected_by_age: dict[int, int]

    @property
    def recovery_rate(self) -> float | None:
        return rate(self.collected_cents, self.placed_cents)

    def cumulative_rate(self, age: int) -> float | None:
        """Share of the placed amount collected by the end of month `age` after intake."""
        return rate(sum(v for n, v in self.collected_by_age.items() if n <= age), self.placed_cents)


def _month_index(column: Any) -> Any:
    return func.extract("year", column) * 12 + func.extract("month", column)


def cohorts_in(session: Session, scope: Scope) -> list[Cohort]:
    in_period = (
        col(Case.created_at) >= scope.start_instant,
        col(Case.created_at) < scope.end_instant,
        *case_conditions(scope),
    )
    intake = _month_index(col(Case.created_at))
    placed = session.execute(
        select(
            intake,
            func.count(),
            func.coalesce(func.sum(col(Case.principal_cents)), 0),
            func.coalesce(func.sum(col(Case.paid_cents)), 0),
        )
        .where(*in_period)
        .group_by(intake)
        .order_by(intake)
    ).all()
    age = _month_index(col(Payment.received_on)) - intake
    age = sql_case((age < 0, 0), else_=age)
    by_age = session.execute(
        select(intake, age, func.sum(col(Payment.amount_cents)))
        .join(Case, col(Case.id) == col(Payment.case_id))
        .where(*in_period)
        .group_by(intake, age)
    ).all()
    ages: dict[int, dict[int, int]] = {}
    for index, n, cents in by_age:
        if int(n) <= MAX_AGE_MONTHS:
            ages.setdefault(int(index), {})[int(n)] = int(cents or 0)
    return [
        Cohort(
            date((int(index) - 1) // 12, (int(index) - 1) % 12 + 1, 1),
            int(cases),
            int(principal),
            int(paid),
            ages.get(int(index), {}),
        )
        for index, cases, principal, paid in placed
    ]


def recovery_cohorts(actor: Actor, f: DashboardFilter, today: date | None = None) -> list[Cohort]:
    """The cohorts of cases placed within the period, oldest first."""
    scope = resolve(actor, f, today)
    with read_session() as session:
        return cohorts_in(session, scope)
