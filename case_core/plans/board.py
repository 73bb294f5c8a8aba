"""The « Échéanciers » board: every plan in force, filtered, counted and paged in SQL with
the status rule's SQL form (plans.status), and the cash expected per month against the
cash received.

One pass over the instalments gives each plan its figures (net paid, total, late, missed,
next open due date, what is due this week); one query then filters, sorts and pages those
rows and carries the totals of the whole selection in window functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func
from sqlalchemy import case as sql_case
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.paging import page_count
from case_core.kernel.permissions import Perm, require
from case_core.models import Case, Instalment, InstalmentPlan, Party, Payment, User
from case_core.plans.schedule import add_months
from case_core.plans.settings import status_rule
from case_core.plans.status import (
    HOLDING,
    PlanState,
    StatusRule,
    effective_due_sql,
    is_late_sql,
    is_missed_sql,
    is_open_sql,
    plan_state_sql,
    plans_paid,
)

BOARD_FILTERS = {
    "active": "En cours",
    "late": "Avec échéance en retard ou impayée",
    "broken": "Rompus",
    "accelerated": "Déchéance du terme",
    "completed": "Soldés",
}


@dataclass(frozen=True)
class PlanRow:
    plan_id: int
    reference: str
    debtor_name: str
    creditor_name: str
    assignee_name: str | None
    status: PlanState
    total_cost_cents: int
    paid_cents: int
    late_count: int
    missed_count: int
    next_due_date: date | None

    @property
    def remaining_cents(self) -> int:
        return max(self.total_cost_cents - self.paid_cents, 0)


@dataclass(frozen=True)
class PlanPage:
    rows: list[PlanRow]
    total: int
    due_this_week_count: int
    due_this_week_cents: int
    late_count: int
    missed_count: int
    page_size: int = 25

    @property
    def pages(self) -> int:
        return page_count(self.total, self.page_size)


@dataclass(frozen=True)
class MonthCash:
    year: int
    month: int
    expected_cents: int
    received_cents: int

    @property
    def label(self) -> str:
        return f"{self.month:02d}/{self.year}"

    @property
    def expected_euros(self) -> float:
        """For a chart axis only."""
        return self.expected_cents / 100

    @property
    def received_euros(self) -> float:
        return self.received_cents / 100


def _in_force_plans(assignee_id: int | None, creditor_id: int | None) -> list[Any]:
    """Conditions on InstalmentPlan: in force, on the chosen assignee's / creditor's cases."""
    conds: list[Any] = [col(InstalmentPlan.status).in_(HOLDING)]
    on_case = [
        *([Case.assignee_id == assignee_id] if assignee_id is not None else []),
        *([Case.creditor_id == creditor_id] if creditor_id is not None else []),
    ]
    if on_case:
        conds.append(col(InstalmentPlan.case_id).in_(select(Case.id).where(*on_case)))
    return conds


def plan_stats(today: date, rule: StatusRule, plan_conds: list[Any] | None = None) -> Any:
    """One row per plan in force (or per plan matching `plan_conds`): its stored status and
    case, net paid, total cost, late and missed counts, next open due date and what falls
    due this week. `board_state` gives its status by the rule; the dashboard counts plans
    by it."""
    paid = plans_paid(*(plan_conds if plan_conds is not None else _in_force_plans(None, None)))
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    args = (paid.c.status, paid.c.paid, paid.c.accelerated_on, today, rule)
    is_open = is_open_sql(paid.c.paid)
    due = effective_due_sql(Instalment.due_date, paid.c.accelerated_on)
    this_week = and_(is_open, due >= week_start, due <= week_end)
    owed = Instalment.cumulative_cents - paid.c.paid
    outstanding = sql_case((owed < Instalment.amount_cents, owed), else_=Instalment.amount_cents)

    def count_if(cond: Any) -> Any:
        return func.sum(sql_case((cond, 1), else_=0))

    return (
        sa_select(
            col(Instalment.plan_id).label("plan_id"),
            func.max(paid.c.case_id).label("case_id"),
            func.max(paid.c.status).label("stored"),
            func.max(paid.c.paid).label("paid"),
            func.sum(Instalment.amount_cents).label("total_cost"),
            count_if(is_missed_sql(*args)).label("missed"),
            count_if(is_late_sql(*args)).label("late"),
            func.min(sql_case((is_open, due), else_=None)).label("next_due"),
            count_if(this_week).label("week_count"),
            func.sum(sql_case((this_week, outstanding), else_=0)).label("week_cents"),
        )
        .join(paid, paid.c.plan_id == Instalment.plan_id)
        .group_by(col(Instalment.plan_id))
        .subquery("plan_stats")
    )


def board_state(stats: Any, rule: StatusRule) -> Any:
    """The status rule's SQL form on a `plan_stats` row."""
    return plan_state_sql(stats.c.stored, stats.c.paid, stats.c.total_cost, stats.c.missed, rule)


def _status_filter(stats: Any, state: Any, status: str | None) -> list[Any]:
    if status == "late":
        return [stats.c.late + stats.c.missed > 0, state != PlanState.COMPLETED.value]
    if status in ("active", "broken", "accelerated", "completed"):
        return [state == PlanState(status).value]
    if status:
        raise ValidationError({"status": "Filtre inconnu."})
    return []


def plan_board(
    actor: Actor,
    *,
    assignee_id: int | None = None,
    creditor_id: int | None = None,
    status: str | None = None,
    page: int = 0,
    page_size: int = 25,
    today: date | None = None,
) -> PlanPage:
    """Plans in force (active, broken, accelerated, completed), with what is due this week,
    late and missed; filtered, counted and paged in SQL."""
    require(actor, Perm.CASES_READ)
    today = today or today_paris()
    page = max(page, 0)
    page_size = max(1, min(page_size, 200))
    with read_session() as session:
        rule = status_rule(session)
        stats = plan_stats(today, rule, _in_force_plans(assignee_id, creditor_id))
        state = board_state(stats, rule)
        conds = _status_filter(stats, state, status)
        totals = (
            func.count().over(),
            func.sum(stats.c.week_count).over(),
            func.sum(stats.c.week_cents).over(),
            func.sum(stats.c.late).over(),
            func.sum(stats.c.missed).over(),
        )
        # Only the figures go through the sort; the page's names are read after.
        ranked = (
            session.connection()
            .execute(
                sa_select(
                    stats.c.plan_id,
                    state,
                    stats.c.total_cost,
                    stats.c.paid,
                    stats.c.late,
                    stats.c.missed,
                    stats.c.next_due,
                    *totals,
                )
                .where(*conds)
                .order_by(stats.c.next_due.is_(None), stats.c.next_due, stats.c.plan_id)
                .offset(page * page_size)
                .limit(page_size)
            )
            .all()
        )
        summary = ranked[0][7:] if ranked else _summary(session, stats, conds)
        total, week_count, week_cents, late, missed = (int(v or 0) for v in summary)
        names = _names(session, [r[0] for r in ranked])
        return PlanPage(
            rows=[
                PlanRow(
                    plan_id=r[0],
                    **names[r[0]],
                    status=PlanState(r[1]),
                    total_cost_cents=int(r[2]),
                    paid_cents=int(r[3]),
                    late_count=int(r[4]),
                    missed_count=int(r[5]),
                    next_due_date=r[6],
                )
                for r in ranked
            ],
            total=total,
            due_this_week_count=week_count,
            due_this_week_cents=week_cents,
            late_count=late,
            missed_count=missed,
            page_size=page_size,
        )


def _names(session: Session, plan_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Reference, debtor, creditor and assignee of the page's plans."""
    if not plan_ids:
        return {}
    debtor = aliased(Party)
    creditor = aliased(Party)
    rows = (
        session.connection()
        .execute(
            sa_select(
                col(InstalmentPlan.id),
                col(Case.reference),
                col(debtor.display_name),
                col(creditor.display_name),
                col(User.full_name),
            )
            .join(Case, col(Case.id) == InstalmentPlan.case_id)
            .join(debtor, col(debtor.id) == Case.debtor_id)
            .join(creditor, col(creditor.id) == Case.creditor_id)
            .outerjoin(User, col(User.id) == Case.assignee_id)
            .where(col(InstalmentPlan.id).in_(plan_ids))
        )
        .all()
    )
    return {
        plan_id or 0: {
            "reference": reference,
            "debtor_name": debtor_name,
            "creditor_name": creditor_name,
            "assignee_name": assignee,
        }
        for plan_id, reference, debtor_name, creditor_name, assignee in rows
    }


def _summary(session: Session, stats: Any, conds: list[Any]) -> tuple[Any, ...]:
    """The totals when the page asked for is past the end (no row carries them)."""
    return tuple(
        session.connection()
        .execute(
            sa_select(
                func.count(),
                func.sum(stats.c.week_count),
                func.sum(stats.c.week_cents),
                func.sum(stats.c.late),
                func.sum(stats.c.missed),
            )
            .select_from(stats)
            .where(*conds)
        )
        .one()
    )


def cash_by_month(
    actor: Actor,
    *,
    months_back: int = 5,
    months_ahead: int = 6,
    assignee_id: int | None = None,
    creditor_id: int | None = None,
    today: date | None = None,
) -> list[MonthCash]:
    """Per month: instalments due on plans in force, against the payments received on the
    cases of those plans."""
    require(actor, Perm.CASES_READ)
    today = today or today_paris()
    start = add_months(today.replace(day=1), -months_back)
    months = months_back + months_ahead + 1
    end = add_months(start, months)
    plan_conds = _in_force_plans(assignee_id, creditor_id)
    # Summed per day in SQL (a few hundred rows), per month here: grouping on the date
    # itself is the same in every dialect and spares extracting year and month per row.
    with read_session() as session:
        expected = session.exec(
            select(col(Instalment.due_date), func.sum(Instalment.amount_cents))
            .join(InstalmentPlan, col(InstalmentPlan.id) == Instalment.plan_id)
            .where(*plan_conds, Instalment.due_date >= start, Instalment.due_date < end)
            .group_by(col(Instalment.due_date))
        ).all()
        received = session.exec(
            select(col(Payment.received_on), func.sum(Payment.amount_cents))
            .where(
                col(Payment.case_id).in_(select(InstalmentPlan.case_id).where(*plan_conds)),
                Payment.received_on >= start,
                Payment.received_on < end,
            )
            .group_by(col(Payment.received_on))
        ).all()
    exp: dict[tuple[int, int], int] = {}
    rec: dict[tuple[int, int], int] = {}
    for totals, rows in ((exp, expected), (rec, received)):
        for day, cents in rows:
            key = (day.year, day.month)
            totals[key] = totals.get(key, 0) + int(cents)
    out: list[MonthCash] = []
    for n in range(months):
        day = add_months(start, n)
        key = (day.year, day.month)
        out.append(MonthCash(day.year, day.month, exp.get(key, 0), rec.get(key, 0)))
    return out
