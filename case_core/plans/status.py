"""The one status rule of an instalment plan, in Python (`track`) and in SQL beside it.

The case tab reads a plan through `track`; the plan board, the cash chart, Ma journée and
the bank-statement matcher ask the database through the SQL forms below. Both say the same
thing, and tests hold them to it:

- What a plan counts as paid: the case's payments received after its basis date, or on that
  day but recorded after the plan was proposed (earlier ones are already in the balance the
  plan spreads); a reversal counts when the payment it reverses counts.
- Payments go to the oldest instalments first (`cumulative_cents` makes that a comparison
  in SQL); what exceeds the plan carries forward.
- After the déchéance du terme everything left is due on the day it was declared.
- An open instalment is « En retard » from its due date, « Impayée » once the grace days
  have passed. Only a plan in force (accepted, neither cancelled nor replaced) has late or
  missed instalments.
- A plan in force is « Soldé » once nothing is left to pay (it then no longer holds the
  case), else « Déchéance du terme » once declared, else « Rompu » from the setting's number
  of missed instalments, else « Actif ».

Only what users did is stored (models PlanStatus); every state here is derived.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy import case as sql_case
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from case_core.models import (
    Instalment,
    InstalmentPlan,
    LabelledEnum,
    Payment,
    PlanStatus,
    add_labels,
)

# Stored statuses of a plan in force: it holds the case until it is paid up.
HOLDING = (PlanStatus.ACTIVE, PlanStatus.ACCELERATED)


class PlanState(LabelledEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    BROKEN = "broken"
    ACCELERATED = "accelerated"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"


class InstalmentStatus(LabelledEnum):
    PENDING = "pending"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    LATE = "late"
    MISSED = "missed"


add_labels(
    {
        PlanState.PROPOSED: "Proposé",
        PlanState.ACTIVE: "Actif",
        PlanState.BROKEN: "Rompu",
        PlanState.ACCELERATED: "Déchéance du terme",
        PlanState.COMPLETED: "Soldé",
        PlanState.CANCELLED: "Annulé",
        PlanState.SUPERSEDED: "Remplacé",
        InstalmentStatus.PENDING: "À venir",
        InstalmentStatus.PARTLY_PAID: "Partiellement payée",
        InstalmentStatus.PAID: "Payée",
        InstalmentStatus.LATE: "En retard",
        InstalmentStatus.MISSED: "Impayée",
    }
)

# A plan the debtor is still paying: the tab shows it as current, Ma journée watches it.
HOLDING_STATES = (PlanState.ACTIVE, PlanState.BROKEN, PlanState.ACCELERATED)


@dataclass(frozen=True)
class StatusRule:
    """The two settings the rule turns on (plans.grace_days, plans.missed_to_break)."""

    grace_days: int
    missed_to_break: int

    def missed_before(self, today: date) -> date:
        """An open instalment due before this day is missed."""
        return today - timedelta(days=self.grace_days)


# ---- the rule, in Python ---------------------------------------------------------------


def apply_to_instalments(amounts: list[int], net_paid_cents: int) -> tuple[list[int], int]:
    """What each instalment received (oldest first) out of `net_paid_cents`, and the
    carry-forward beyond the last one. A negative net (more reversed than paid) applies
    nothing and carries the deficit, so applied + carry always equals the net."""
    left = net_paid_cents
    applied: list[int] = []
    for amount in amounts:
        take = min(max(left, 0), amount)
        applied.append(take)
        left -= take
    return applied, left


def effective_due_date(due_date: date, accelerated_on: date | None) -> date:
    if accelerated_on is not None and accelerated_on < due_date:
        return accelerated_on
    return due_date


def instalment_status(
    amount_cents: int, applied_cents: int, due_date: date, today: date, grace_days: int
) -> InstalmentStatus:
    """The status of one instalment of a plan in force."""
    if applied_cents >= amount_cents:
        return InstalmentStatus.PAID
    if due_date >= today:
        return InstalmentStatus.PARTLY_PAID if applied_cents else InstalmentStatus.PENDING
    if due_date < today - timedelta(days=grace_days):
        return InstalmentStatus.MISSED
    return InstalmentStatus.LATE


def plan_state(
    stored: PlanStatus, remaining_cents: int, missed_count: int, missed_to_break: int
) -> PlanState:
    if stored not in HOLDING:
        return PlanState(stored.value)
    if remaining_cents <= 0:
        return PlanState.COMPLETED
    if stored == PlanStatus.ACCELERATED:
        return PlanState.ACCELERATED
    if missed_count >= missed_to_break:
        return PlanState.BROKEN
    return PlanState.ACTIVE


@dataclass(frozen=True)
class TrackedInstalment:
    due_date: date  # moved to the acceleration day when that came first
    amount_cents: int
    paid_cents: int
    status: InstalmentStatus

    @property
    def outstanding_cents(self) -> int:
        return self.amount_cents - self.paid_cents


@dataclass(frozen=True)
class Tracking:
    state: PlanState
    instalments: list[TrackedInstalment]
    carry_forward_cents: int

    @property
    def remaining_cents(self) -> int:
        return sum(i.outstanding_cents for i in self.instalments)

    def count(self, status: InstalmentStatus) -> int:
        return sum(1 for i in self.instalments if i.status == status)


def track(
    stored: PlanStatus,
    instalments: Sequence[tuple[date, int]],
    net_paid_cents: int,
    accelerated_on: date | None,
    today: date,
    rule: StatusRule,
) -> Tracking:
    """The plan as of `today`: `instalments` are (due date, amount) in order, the net paid
    is what `plan_paid_expr` counts."""
    stored = PlanStatus(stored)
    applied, carry = apply_to_instalments([a for _d, a in instalments], net_paid_cents)
    in_force = stored in HOLDING
    tracked = []
    for (due, amount), got in zip(instalments, applied, strict=True):
        due = effective_due_date(due, accelerated_on)
        if in_force:
            status = instalment_status(amount, got, due, today, rule.grace_days)
        elif got >= amount:
            status = InstalmentStatus.PAID
        else:  # nothing is owed under a plan not in force
            status = InstalmentStatus.PARTLY_PAID if got else InstalmentStatus.PENDING
        tracked.append(TrackedInstalment(due, amount, got, status))
    remaining = sum(t.outstanding_cents for t in tracked)
    missed = sum(1 for t in tracked if t.status == InstalmentStatus.MISSED)
    return Tracking(plan_state(stored, remaining, missed, rule.missed_to_break), tracked, carry)


# ---- the same rule, in SQL -------------------------------------------------------------


def _counted(on: Any, recorded: Any) -> Any:
    """A payment received `on`, recorded at `recorded`, counts for the InstalmentPlan row."""
    return or_(
        on > InstalmentPlan.basis_date,
        and_(on == InstalmentPlan.basis_date, recorded > InstalmentPlan.created_at),
    )


def plan_paid_expr() -> Any:
    """Net payments counted by the InstalmentPlan row of the enclosing query (a correlated
    scalar subquery: for one plan, or an EXISTS on a case's plans)."""
    original = aliased(Payment)
    on = func.coalesce(original.received_on, Payment.received_on)
    recorded = func.coalesce(original.created_at, Payment.created_at)
    return (
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .select_from(Payment)
        .outerjoin(original, col(Payment.reverses_payment_id) == original.id)
        .where(Payment.case_id == InstalmentPlan.case_id, _counted(on, recorded))
        .correlate(InstalmentPlan)
        .scalar_subquery()
    )


def plans_paid(*where: Any) -> Any:
    """One row per plan matching `where` (plan_id, case_id, status, accelerated_on, paid):
    the payments summed once per plan, from the case's payments found by their case index.
    A grouped join rather than `plan_paid_expr`: SQLite would run a correlated subquery once
    per instalment row, not once per plan."""
    original = aliased(Payment)
    on = func.coalesce(original.received_on, Payment.received_on)
    recorded = func.coalesce(original.created_at, Payment.created_at)
    counted = sql_case((_counted(on, recorded), Payment.amount_cents), else_=0)
    return (
        sa_select(
            col(InstalmentPlan.id).label("plan_id"),
            col(InstalmentPlan.case_id),
            col(InstalmentPlan.status),
            col(InstalmentPlan.accelerated_on),
            func.coalesce(func.sum(counted), 0).label("paid"),
        )
        .select_from(InstalmentPlan)
        .outerjoin(Payment, col(Payment.case_id) == InstalmentPlan.case_id)
        .outerjoin(original, col(Payment.reverses_payment_id) == original.id)
        .where(*where)
        .group_by(
            col(InstalmentPlan.id),
            col(InstalmentPlan.case_id),
            col(InstalmentPlan.status),
            col(InstalmentPlan.accelerated_on),
        )
        .subquery("plan_paid")
    )


def effective_due_sql(due_date: Any, accelerated_on: Any) -> Any:
    """`effective_due_date` in SQL (a NULL acceleration date compares false)."""
    return sql_case((accelerated_on < due_date, accelerated_on), else_=due_date)


def is_open_sql(paid: Any) -> Any:
    """The Instalment row is not paid in full by `paid` (oldest first)."""
    return Instalment.cumulative_cents > paid


def is_missed_sql(
    stored: Any, paid: Any, accelerated_on: Any, today: date, rule: StatusRule
) -> Any:
    return and_(
        stored.in_(HOLDING),
        is_open_sql(paid),
        effective_due_sql(Instalment.due_date, accelerated_on) < rule.missed_before(today),
    )


def is_late_sql(stored: Any, paid: Any, accelerated_on: Any, today: date, rule: StatusRule) -> Any:
    due = effective_due_sql(Instalment.due_date, accelerated_on)
    return and_(
        stored.in_(HOLDING),
        is_open_sql(paid),
        due < today,
        due >= rule.missed_before(today),
    )


def plan_state_sql(
    stored: Any, paid: Any, total_cost: Any, missed_count: Any, rule: StatusRule
) -> Any:
    """`plan_state` in SQL, from a plan's stored status, net paid, total of its instalments
    and number of missed instalments."""
    return sql_case(
        (~stored.in_(HOLDING), stored),
        (paid >= total_cost, PlanState.COMPLETED.value),
        (stored == PlanStatus.ACCELERATED.value, PlanState.ACCELERATED.value),
        (missed_count >= rule.missed_to_break, PlanState.BROKEN.value),
        else_=PlanState.ACTIVE.value,
    )


def holds_case_sql() -> Any:
    """The InstalmentPlan row holds its case: in force and not paid up (an open instalment
    remains). A paid-up plan no longer stands in the way of a new one."""
    open_instalment = (
        select(Instalment.id)
        .where(Instalment.plan_id == InstalmentPlan.id, is_open_sql(plan_paid_expr()))
        .correlate(InstalmentPlan)
        .exists()
    )
    return and_(col(InstalmentPlan.status).in_(HOLDING), open_instalment)
