"""A plan as its case tab shows it: instalments with what each received, the status by the
one rule (plans.status), and the reads that return such views.

A plan's instalments are fixed when it is proposed; what was paid against them is never
stored but derived from the case's payments, so a reversal (bounced cheque) recomputes
every status by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from case_core.cases.loading import get_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound
from case_core.kernel.permissions import Perm, require
from case_core.models import Case, Frequency, Instalment, InstalmentPlan, PlanStatus
from case_core.plans.schedule import plan_warnings
from case_core.plans.settings import status_rule
from case_core.plans.status import (
    HOLDING_STATES,
    InstalmentStatus,
    PlanState,
    StatusRule,
    holds_case_sql,
    plans_paid,
    track,
)


@dataclass(frozen=True)
class InstalmentView:
    id: int
    seq: int
    due_date: date
    amount_cents: int
    interest_cents: int
    paid_cents: int
    status: InstalmentStatus

    @property
    def label(self) -> str:
        return "Acompte" if self.seq == 0 else f"Échéance {self.seq}"

    @property
    def outstanding_cents(self) -> int:
        return self.amount_cents - self.paid_cents


@dataclass(frozen=True)
class PlanView:
    id: int
    case_id: int
    reference: str
    stored_status: PlanStatus  # what users did
    status: PlanState  # by the status rule: active, broken, completed…
    basis_date: date
    frequency: Frequency
    rate_bp: int
    total_cents: int  # capital spread by the plan
    down_payment_cents: int
    basis_principal_cents: int
    basis_interest_cents: int
    basis_indemnity_cents: int
    basis_costs_cents: int
    includes_principal: bool
    includes_interest: bool
    includes_indemnity: bool
    waived_cents: int
    instalments: list[InstalmentView]
    paid_cents: int  # net payments the plan counts
    carry_forward_cents: int
    accepted_on: date | None
    accepted_by: str | None
    acceptance_channel: str | None
    accelerated_on: date | None
    accelerated_balance_cents: int | None
    cancelled_on: date | None
    cancel_reason: str | None
    superseded_by_id: int | None
    formal_notice_date: date | None
    version: int
    warnings: list[str]

    @property
    def total_cost_cents(self) -> int:
        return sum(i.amount_cents for i in self.instalments)

    @property
    def interest_cents(self) -> int:
        return sum(i.interest_cents for i in self.instalments)

    @property
    def remaining_cents(self) -> int:
        return sum(i.outstanding_cents for i in self.instalments)

    @property
    def count(self) -> int:
        return sum(1 for i in self.instalments if i.seq > 0)

    @property
    def end_date(self) -> date:
        return max(i.due_date for i in self.instalments)

    @property
    def missed_count(self) -> int:
        return sum(1 for i in self.instalments if i.status == InstalmentStatus.MISSED)

    @property
    def late_count(self) -> int:
        return sum(1 for i in self.instalments if i.status == InstalmentStatus.LATE)

    @property
    def holds_case(self) -> bool:
        """The plan the debtor is still paying (at most one per case)."""
        return self.status in HOLDING_STATES

    @property
    def overdue_cents(self) -> int:
        """What should have been paid by now and was not."""
        return sum(
            i.outstanding_cents
            for i in self.instalments
            if i.status in (InstalmentStatus.LATE, InstalmentStatus.MISSED)
        )

    @property
    def due_now_cents(self) -> int:
        """After the acceleration everything left is due at once; else what is overdue."""
        if self.status == PlanState.ACCELERATED:
            return self.remaining_cents
        return self.overdue_cents

    @property
    def next_instalment(self) -> InstalmentView | None:
        return next((i for i in self.instalments if i.outstanding_cents > 0), None)

    @property
    def formal_notice_suggested(self) -> bool:
        """Accelerated and no formal notice sent since: offer it."""
        return (
            self.status == PlanState.ACCELERATED
            and self.accelerated_on is not None
            and (self.formal_notice_date is None or self.formal_notice_date < self.accelerated_on)
        )

    @property
    def status_label(self) -> str:
        return self.status.label


def views_of(
    session: Session, plans: Sequence[InstalmentPlan], case: Case, today: date
) -> list[PlanView]:
    """The plans of `case` as of `today`, inside the caller's session: their instalments and
    what each plan counts as paid are read in one query each, whatever their number."""
    ids = [p.id for p in plans]
    if not ids:
        return []
    rule = status_rule(session)
    rows: dict[int, list[Instalment]] = {i: [] for i in ids if i is not None}
    for row in session.exec(
        select(Instalment)
        .where(col(Instalment.plan_id).in_(ids))
        .order_by(col(Instalment.plan_id), col(Instalment.seq))
    ).all():
        rows[row.plan_id].append(row)
    paid_rows = plans_paid(col(InstalmentPlan.id).in_(ids))
    paid = {
        plan_id: int(cents)
        for plan_id, cents in session.exec(select(paid_rows.c.plan_id, paid_rows.c.paid)).all()
    }
    return [
        _view(plan, case, rows[plan.id or 0], paid[plan.id or 0], today, rule) for plan in plans
    ]


def view_of(session: Session, plan: InstalmentPlan, case: Case, today: date) -> PlanView:
    """The plan as of `today`, inside the caller's session."""
    return views_of(session, [plan], case, today)[0]


def _view(
    plan: InstalmentPlan,
    case: Case,
    rows: list[Instalment],
    paid: int,
    today: date,
    rule: StatusRule,
) -> PlanView:
    assert plan.id is not None
    stored = PlanStatus(plan.status)
    tracking = track(
        stored, [(r.due_date, r.amount_cents) for r in rows], paid, plan.accelerated_on, today, rule
    )
    views = [
        InstalmentView(
            row.id or 0,
            row.seq,
            t.due_date,
            row.amount_cents,
            row.interest_cents,
            t.paid_cents,
            t.status,
        )
        for row, t in zip(rows, tracking.instalments, strict=True)
    ]
    end = max((r.due_date for r in rows), default=plan.first_due_date)
    warnings = (
        plan_warnings(end, plan.basis_date, case.limitation_date)
        if stored == PlanStatus.PROPOSED
        else []
    )
    return PlanView(
        id=plan.id,
        case_id=case.id or 0,
        reference=case.reference,
        stored_status=stored,
        status=tracking.state,
        basis_date=plan.basis_date,
        frequency=Frequency(plan.frequency),
        rate_bp=plan.rate_bp,
        total_cents=plan.total_cents,
        down_payment_cents=plan.down_payment_cents,
        basis_principal_cents=plan.basis_principal_cents,
        basis_interest_cents=plan.basis_interest_cents,
        basis_indemnity_cents=plan.basis_indemnity_cents,
        basis_costs_cents=plan.basis_costs_cents,
        includes_principal=plan.includes_principal,
        includes_interest=plan.includes_interest,
        includes_indemnity=plan.includes_indemnity,
        waived_cents=plan.waived_cents,
        instalments=views,
        paid_cents=paid,
        carry_forward_cents=tracking.carry_forward_cents,
        accepted_on=plan.accepted_on,
        accepted_by=plan.accepted_by,
        acceptance_channel=plan.acceptance_channel,
        accelerated_on=plan.accelerated_on,
        accelerated_balance_cents=plan.accelerated_balance_cents,
        cancelled_on=plan.cancelled_on,
        cancel_reason=plan.cancel_reason,
        superseded_by_id=plan.superseded_by_id,
        formal_notice_date=case.formal_notice_date,
        version=plan.version,
        warnings=warnings,
    )


def holding_plan(session: Session, case_id: int) -> InstalmentPlan | None:
    """The plan holding the case: in force and not paid up."""
    return session.exec(
        select(InstalmentPlan)
        .where(InstalmentPlan.case_id == case_id, holds_case_sql())
        .order_by(col(InstalmentPlan.id).desc())
    ).first()


# ---- reads -----------------------------------------------------------------------------


def plan_view(actor: Actor, plan_id: int, today: date | None = None) -> PlanView:
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        plan = session.get(InstalmentPlan, plan_id)
        if plan is None:
            raise NotFound(f"Échéancier introuvable (n° {plan_id}).")
        case = session.get(Case, plan.case_id)
        assert case is not None
        return view_of(session, plan, case, today or today_paris())


def plans_for_case(actor: Actor, reference: str, today: date | None = None) -> list[PlanView]:
    """Every plan of the case, the most recent first."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        plans = session.exec(
            select(InstalmentPlan)
            .where(InstalmentPlan.case_id == case.id)
            .order_by(col(InstalmentPlan.id).desc())
        ).all()
        return views_of(session, plans, case, today or today_paris())
