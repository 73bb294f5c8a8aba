"""Instalment plans: propose, accept, cancel, track, declare the acceleration.

A plan's instalments are fixed when it is proposed; what was paid against them is never
stored but derived from the case's payments, so a reversal (bounced cheque) recomputes
every status by itself. The payments a plan counts are those received after its basis
date, or on that day but recorded after the plan was proposed (earlier ones are already
in the balance the plan spreads); a reversal counts when the payment it reverses counts.
Payments go to the oldest open instalments first; what exceeds the plan carries forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy import case as sql_case
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from case_core.cases.loading import get_case, load_case_for_update, touch_case
from case_core.cases.totals import refresh_case_totals
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, format_instant, today_paris
from case_core.kernel.db import read_session, session_scope
from case_core.kernel.errors import NotFound, StaleVersion, ValidationError
from case_core.kernel.money import format_cents
from case_core.kernel.permissions import Perm, require
from case_core.kernel.settings import declare, get_setting
from case_core.models import (
    Case,
    Frequency,
    Instalment,
    InstalmentPlan,
    Party,
    Payment,
    PlanStatus,
    User,
    utcnow,
)
from case_core.models.enums import LabelledEnum, add_labels
from case_core.plans.schedule import (
    PlanTerms,
    Schedule,
    add_months,
    build_schedule,
    plan_warnings,
)
from case_core.statement.account import Statement, statement_for_case

GRACE_DAYS_KEY = "plans.grace_days"
MISSED_TO_BREAK_KEY = "plans.missed_to_break"
declare(
    GRACE_DAYS_KEY,
    10,
    "Échéanciers : jours de grâce après l'échéance avant qu'elle soit comptée impayée",
)
declare(
    MISSED_TO_BREAK_KEY,
    2,
    "Échéanciers : nombre d'échéances impayées qui rompt le plan",
    minimum=1,
)

# Plans that hold the case: one at most per case.
HOLDING = (PlanStatus.ACTIVE, PlanStatus.ACCELERATED)


class AcceptanceChannel(LabelledEnum):
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    MEDIATION_AGREEMENT = "mediation_agreement"


class InstalmentStatus(LabelledEnum):
    PENDING = "pending"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    LATE = "late"
    MISSED = "missed"


add_labels(
    {
        AcceptanceChannel.PHONE: "Téléphone",
        AcceptanceChannel.LETTER: "Courrier signé",
        AcceptanceChannel.EMAIL: "E-mail",
        AcceptanceChannel.MEDIATION_AGREEMENT: "Accord de médiation",
        InstalmentStatus.PENDING: "À venir",
        InstalmentStatus.PARTLY_PAID: "Partiellement payée",
        InstalmentStatus.PAID: "Payée",
        InstalmentStatus.LATE: "En retard",
        InstalmentStatus.MISSED: "Impayée",
    }
)


# ---- pure tracking ---------------------------------------------------------------------


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


def instalment_status(
    amount_cents: int, applied_cents: int, due_date: date, today: date, grace_days: int
) -> InstalmentStatus:
    if applied_cents >= amount_cents:
        return InstalmentStatus.PAID
    if due_date >= today:
        return InstalmentStatus.PARTLY_PAID if applied_cents else InstalmentStatus.PENDING
    if due_date < today - timedelta(days=grace_days):
        return InstalmentStatus.MISSED
    return InstalmentStatus.LATE


# ---- views -----------------------------------------------------------------------------


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
    stored_status: PlanStatus
    status: PlanStatus  # derived: an active plan is shown completed or broken
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
        if self.status == PlanStatus.ACCELERATED:
            return self.remaining_cents
        return self.overdue_cents

    @property
    def next_instalment(self) -> InstalmentView | None:
        return next((i for i in self.instalments if i.outstanding_cents > 0), None)

    @property
    def formal_notice_suggested(self) -> bool:
        """Accelerated and no formal notice sent since: offer it."""
        return (
            self.status == PlanStatus.ACCELERATED
            and self.accelerated_on is not None
            and (self.formal_notice_date is None or self.formal_notice_date < self.accelerated_on)
        )

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class BalanceBasis:
    """The statement figures a plan starts from, at a date."""

    at: date
    principal_cents: int
    interest_cents: int
    indemnity_cents: int
    costs_cents: int  # recovery costs borne by the debtor, always included
    surplus_cents: int
    balance_cents: int
    limitation_date: date | None

    def included_total(self, principal: bool, interest: bool, indemnity: bool) -> int:
        return (
            (self.principal_cents if principal else 0)
            + (self.interest_cents if interest else 0)
            + (self.indemnity_cents if indemnity else 0)
            + self.costs_cents
            - self.surplus_cents
        )

    def waived(self, principal: bool, interest: bool, indemnity: bool) -> int:
        return (
            (0 if principal else self.principal_cents)
            + (0 if interest else self.interest_cents)
            + (0 if indemnity else self.indemnity_cents)
        )


def _basis_of(statement: Statement) -> BalanceBasis:
    t = statement.totals
    return BalanceBasis(
        at=statement.at,
        principal_cents=t.principal_cents - t.principal_paid_cents,
        interest_cents=t.interest_cents - t.interest_paid_cents,
        indemnity_cents=t.indemnity_cents - t.indemnity_paid_cents,
        costs_cents=t.debtor_costs_cents - t.debtor_costs_paid_cents,
        surplus_cents=t.surplus_cents,
        balance_cents=t.balance_cents,
        limitation_date=statement.limitation_date,
    )


def balance_basis(actor: Actor, reference: str, at: date | None = None) -> BalanceBasis:
    """Principal, interest, indemnity and costs outstanding on the case at `at`."""
    require(actor, Perm.CASES_READ)
    return _basis_of(statement_for_case(actor, reference, at))


# ---- shared SQL: what a plan counts as paid ------------------------------------------------


def plan_paid_expr() -> Any:
    """A correlated scalar subquery: net payments counted by the InstalmentPlan row."""
    original = aliased(Payment)
    on = func.coalesce(original.received_on, Payment.received_on)
    recorded = func.coalesce(original.created_at, Payment.created_at)
    counts = or_(
        on > InstalmentPlan.basis_date,
        and_(on == InstalmentPlan.basis_date, recorded > InstalmentPlan.created_at),
    )
    return (
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .select_from(Payment)
        .outerjoin(original, Payment.reverses_payment_id == original.id)
        .where(Payment.case_id == InstalmentPlan.case_id, counts)
        .correlate(InstalmentPlan)
        .scalar_subquery()
    )


def _plan_paid(session: Session, plan: InstalmentPlan) -> int:
    value = session.exec(
        select(plan_paid_expr()).select_from(InstalmentPlan).where(InstalmentPlan.id == plan.id)
    ).one()
    return int(value)


def settings_now(session: Session) -> tuple[int, int]:
    """(grace days, missed instalments that break a plan)."""
    return int(get_setting(GRACE_DAYS_KEY, session)), int(get_setting(MISSED_TO_BREAK_KEY, session))


def view_of(session: Session, plan: InstalmentPlan, case: Case, today: date) -> PlanView:
    """The plan as of `today`, inside the caller's session."""
    assert plan.id is not None
    grace, missed_to_break = settings_now(session)
    rows = session.exec(
        select(Instalment).where(Instalment.plan_id == plan.id).order_by(Instalment.seq)  # type: ignore[arg-type]
    ).all()
    paid = _plan_paid(session, plan)
    applied, carry = apply_to_instalments([r.amount_cents for r in rows], paid)
    accelerated = plan.status == PlanStatus.ACCELERATED and plan.accelerated_on is not None
    views = []
    for row, got in zip(rows, applied, strict=True):
        due = row.due_date
        if accelerated and plan.accelerated_on is not None and plan.accelerated_on < due:
            due = plan.accelerated_on  # déchéance du terme: everything is due at once
        status = (
            InstalmentStatus.PENDING
            if plan.status in (PlanStatus.PROPOSED, PlanStatus.CANCELLED) and got == 0
            else instalment_status(row.amount_cents, got, due, today, grace)
        )
        assert row.id is not None
        views.append(
            InstalmentView(row.id, row.seq, due, row.amount_cents, row.interest_cents, got, status)
        )
    status = PlanStatus(plan.status)
    remaining = sum(v.outstanding_cents for v in views)
    if status in (PlanStatus.ACTIVE, PlanStatus.BROKEN):
        missed = sum(1 for v in views if v.status == InstalmentStatus.MISSED)
        if remaining == 0:
            status = PlanStatus.COMPLETED
        elif missed >= missed_to_break:
            status = PlanStatus.BROKEN
        else:
            status = PlanStatus.ACTIVE
    elif status == PlanStatus.ACCELERATED and remaining == 0:
        status = PlanStatus.COMPLETED
    end = max((r.due_date for r in rows), default=plan.first_due_date)
    warnings = (
        plan_warnings(end, plan.basis_date, case.limitation_date)
        if status == PlanStatus.PROPOSED
        else []
    )
    return PlanView(
        id=plan.id,
        case_id=case.id or 0,
        reference=case.reference,
        stored_status=PlanStatus(plan.status),
        status=status,
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
        carry_forward_cents=carry,
        accepted_on=plan.accepted_on,
        accepted_by=plan.accepted_by,
        acceptance_channel=plan.acceptance_channel,
        accelerated_on=plan.accelerated_on,
        accelerated_balance_cents=plan.accelerated_balance_cents,
        cancelled_on=plan.cancelled_on,
        cancel_reason=plan.cancel_reason,
        formal_notice_date=case.formal_notice_date,
        version=plan.version,
        warnings=warnings,
    )


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
            .order_by(InstalmentPlan.id.desc())  # type: ignore[union-attr]
        ).all()
        return [view_of(session, p, case, today or today_paris()) for p in plans]


def current_plan(actor: Actor, reference: str, today: date | None = None) -> PlanView | None:
    """The plan holding the case (active, broken or accelerated), if any."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        plan = holding_plan(session, case.id or 0)
        return view_of(session, plan, case, today or today_paris()) if plan else None


def holding_plan(session: Session, case_id: int) -> InstalmentPlan | None:
    return session.exec(
        select(InstalmentPlan).where(
            InstalmentPlan.case_id == case_id,
            InstalmentPlan.status.in_(HOLDING),  # type: ignore[attr-defined]
        )
    ).first()


# ---- writes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A plan as the user sets it up; amounts come from the statement at `basis_date`."""

    basis_date: date
    first_due_date: date
    frequency: Frequency = Frequency.MONTHLY
    count: int | None = None
    instalment_cents: int | None = None
    down_payment_cents: int = 0
    down_payment_date: date | None = None
    day_of_month: int | None = None
    rate_bp: int = 0
    include_principal: bool = True
    include_interest: bool = True
    include_indemnity: bool = True

    def terms(self, total_cents: int) -> PlanTerms:
        return PlanTerms(
            total_cents=total_cents,
            first_due_date=self.first_due_date,
            frequency=self.frequency,
            count=self.count,
            instalment_cents=self.instalment_cents,
            down_payment_cents=self.down_payment_cents,
            down_payment_date=self.down_payment_date,
            day_of_month=self.day_of_month,
            rate_bp=self.rate_bp,
        )


def preview(basis: BalanceBasis, proposal: Proposal) -> Schedule:
    """The schedule `proposal` would make from `basis` (nothing saved)."""
    _check_proposal(basis, proposal)
    total = basis.included_total(
        proposal.include_principal, proposal.include_interest, proposal.include_indemnity
    )
    return build_schedule(proposal.terms(total))


def _check_proposal(basis: BalanceBasis, proposal: Proposal) -> None:
    errors: dict[str, str] = {}
    if proposal.first_due_date < proposal.basis_date:
        errors["first_due_date"] = (
            "La première échéance ne peut pas précéder la date du solde retenu."
        )
    if proposal.down_payment_date and proposal.down_payment_date < proposal.basis_date:
        errors["down_payment_date"] = "L'acompte ne peut pas précéder la date du solde retenu."
    total = basis.included_total(
        proposal.include_principal, proposal.include_interest, proposal.include_indemnity
    )
    if total <= 0:
        errors["total_cents"] = "Rien à échelonner : le solde retenu est nul."
    if errors:
        raise ValidationError(errors)


def propose_plan(actor: Actor, reference: str, proposal: Proposal) -> PlanView:
    """Save a proposal (status « Proposé ») from the statement at its basis date."""
    require(actor, Perm.PLANS_PROPOSE)
    basis = balance_basis(actor, reference, proposal.basis_date)
    schedule = preview(basis, proposal)
    with session_scope() as session:
        case = load_case_for_update(session, reference, None)
        plan = InstalmentPlan(
            case_id=case.id or 0,
            status=PlanStatus.PROPOSED,
            basis_date=proposal.basis_date,
            total_cents=schedule.terms.total_cents,
            down_payment_cents=proposal.down_payment_cents,
            instalment_count=schedule.count,
            frequency=proposal.frequency,
            first_due_date=proposal.first_due_date,
            day_of_month=proposal.day_of_month,
            rate_bp=proposal.rate_bp,
            includes_principal=proposal.include_principal,
            includes_interest=proposal.include_interest,
            includes_indemnity=proposal.include_indemnity,
            basis_principal_cents=basis.principal_cents,
            basis_interest_cents=basis.interest_cents,
            basis_indemnity_cents=basis.indemnity_cents,
            basis_costs_cents=basis.costs_cents,
            waived_cents=basis.waived(
                proposal.include_principal, proposal.include_interest, proposal.include_indemnity
            ),
            created_by_id=actor.id or 0,
            updated_by_id=actor.id,
        )
        session.add(plan)
        session.flush()
        running = 0
        for inst in schedule.instalments:
            running += inst.amount_cents
            session.add(
                Instalment(
                    plan_id=plan.id or 0,
                    seq=inst.seq,
                    due_date=inst.due_date,
                    amount_cents=inst.amount_cents,
                    interest_cents=inst.interest_cents,
                    cumulative_cents=running,
                )
            )
        changes = audit.created(plan)
        changes["instalments"] = {
            "before": None,
            "after": [[i.due_date.isoformat(), i.amount_cents] for i in schedule.instalments],
        }
        audit.record(session, actor, "plan.propose", "instalment_plan", plan.id, changes, case.id)
        return view_of(session, plan, case, today_paris())


def _load_plan(session: Session, plan_id: int, expected_version: int | None) -> InstalmentPlan:
    plan = session.exec(
        select(InstalmentPlan).where(InstalmentPlan.id == plan_id).with_for_update()
    ).first()
    if plan is None:
        raise NotFound(f"Échéancier introuvable (n° {plan_id}).")
    if expected_version is not None and plan.version != expected_version:
        who = "un autre utilisateur"
        if plan.updated_by_id is not None and (user := session.get(User, plan.updated_by_id)):
            who = user.full_name
        raise StaleVersion(
            f"Cet échéancier a été modifié par {who} le {format_instant(plan.updated_at)} : "
            "rechargez la page."
        )
    return plan


def _stamp(plan: InstalmentPlan, actor: Actor) -> None:
    plan.version += 1
    plan.updated_at = utcnow()
    plan.updated_by_id = actor.id


def accept_plan(
    actor: Actor,
    plan_id: int,
    *,
    expected_version: int,
    accepted_on: date,
    accepted_by: str,
    channel: AcceptanceChannel | str,
    note: str | None = None,
    supersede: bool = False,
    today: date | None = None,
) -> PlanView:
    """The debtor agreed: the plan becomes active (an acknowledgement of the debt for the
    limitation clock). A plan already holding the case is only replaced when `supersede`."""
    require(actor, Perm.PLANS_ACCEPT)
    today = today or today_paris()
    errors: dict[str, str] = {}
    who = (accepted_by or "").strip()
    if not who:
        errors["accepted_by"] = "Indiquez qui a donné l'accord."
    if accepted_on > today:
        errors["accepted_on"] = "La date d'accord ne peut pas être dans le futur."
    try:
        channel = AcceptanceChannel(channel)
    except ValueError:
        errors["channel"] = "Mode d'accord inconnu."
    if errors:
        raise ValidationError(errors)
    with session_scope() as session:
        plan = _load_plan(session, plan_id, expected_version)
        case = session.get(Case, plan.case_id)
        assert case is not None
        case = load_case_for_update(session, case.reference, None)
        if plan.status != PlanStatus.PROPOSED:
            raise ValidationError(
                "Seul un échéancier proposé peut être accepté "
                f"(statut : {PlanStatus(plan.status).label})."
            )
        if accepted_on < plan.basis_date:
            raise ValidationError(
                {"accepted_on": "L'accord ne peut pas précéder la date du solde retenu."}
            )
        holding = holding_plan(session, case.id or 0)
        if holding is not None:
            if not supersede:
                raise ValidationError(
                    f"Un échéancier est déjà en cours sur ce dossier (n° {holding.id}, "
                    f"{PlanStatus(holding.status).label}) : confirmez son remplacement."
                )
            before = audit.snapshot(holding, ["status", "cancelled_on", "cancel_reason"])
            holding.status = PlanStatus.CANCELLED
            holding.cancelled_on = accepted_on
            holding.cancel_reason = f"Remplacé par l'échéancier n° {plan.id}"
            holding.superseded_by_id = plan.id
            _stamp(holding, actor)
            session.add(holding)
            audit.record(
                session,
                actor,
                "plan.supersede",
                "instalment_plan",
                holding.id,
                audit.diff(before, audit.snapshot(holding, list(before))),
                case.id,
            )
        fields = ["status", "accepted_on", "accepted_by", "acceptance_channel", "acceptance_note"]
        before = audit.snapshot(plan, fields)
        plan.status = PlanStatus.ACTIVE
        plan.accepted_on = accepted_on
        plan.accepted_by = who[:200]
        plan.acceptance_channel = channel.value
        plan.acceptance_note = (note or "").strip()[:1000] or None
        _stamp(plan, actor)
        session.add(plan)
        audit.record(
            session,
            actor,
            "plan.accept",
            "instalment_plan",
            plan.id,
            audit.diff(before, audit.snapshot(plan, fields)),
            case.id,
        )
        # The acceptance is an acknowledgement of debt: the case's limitation date moves.
        refresh_case_totals(session, case)
        touch_case(session, case, actor)
        return view_of(session, plan, case, today)


def cancel_plan(
    actor: Actor, plan_id: int, *, expected_version: int, reason: str, on: date | None = None
) -> PlanView:
    """Withdraw a proposal the debtor did not accept."""
    require(actor, Perm.PLANS_PROPOSE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de l'annulation."})
    on = on or today_paris()
    with session_scope() as session:
        plan = _load_plan(session, plan_id, expected_version)
        if plan.status != PlanStatus.PROPOSED:
            raise ValidationError(
                "Seule une proposition peut être annulée "
                f"(statut : {PlanStatus(plan.status).label})."
            )
        fields = ["status", "cancelled_on", "cancel_reason"]
        before = audit.snapshot(plan, fields)
        plan.status = PlanStatus.CANCELLED
        plan.cancelled_on = on
        plan.cancel_reason = reason[:500]
        _stamp(plan, actor)
        session.add(plan)
        audit.record(
            session,
            actor,
            "plan.cancel",
            "instalment_plan",
            plan.id,
            audit.diff(before, audit.snapshot(plan, fields)),
            plan.case_id,
        )
        case = session.get(Case, plan.case_id)
        assert case is not None
        return view_of(session, plan, case, on)


def declare_acceleration(
    actor: Actor, plan_id: int, *, expected_version: int, on: date | None = None
) -> PlanView:
    """Déchéance du terme: the debtor missed instalments, everything left is due at once."""
    require(actor, Perm.PLANS_ACCELERATE)
    on = on or today_paris()
    with session_scope() as session:
        plan = _load_plan(session, plan_id, expected_version)
        case = session.get(Case, plan.case_id)
        assert case is not None
        current = view_of(session, plan, case, on)
        if plan.status != PlanStatus.ACTIVE or current.status == PlanStatus.COMPLETED:
            raise ValidationError(
                f"La déchéance du terme ne peut être prononcée que sur un plan en cours "
                f"(statut : {current.status.label})."
            )
        if current.missed_count == 0:
            raise ValidationError(
                "Aucune échéance impayée : la déchéance du terme n'est pas justifiée."
            )
        fields = ["status", "accelerated_on", "accelerated_balance_cents", "broken_at"]
        before = audit.snapshot(plan, fields)
        plan.status = PlanStatus.ACCELERATED
        plan.accelerated_on = on
        plan.accelerated_balance_cents = current.remaining_cents
        plan.broken_at = plan.broken_at or on
        _stamp(plan, actor)
        session.add(plan)
        audit.record(
            session,
            actor,
            "plan.accelerate",
            "instalment_plan",
            plan.id,
            audit.diff(before, audit.snapshot(plan, fields)),
            case.id,
        )
        touch_case(session, case, actor)
        return view_of(session, plan, case, on)


def describe(plan: PlanView) -> str:
    """One French line for lists and the collector's day."""
    text = (
        f"Échéancier n° {plan.id} — {plan.status_label} — {plan.count} échéance(s), "
        f"reste {format_cents(plan.remaining_cents)}"
    )
    if plan.missed_count:
        text += f", {plan.missed_count} impayée(s)"
    nxt = plan.next_instalment
    if nxt and plan.status == PlanStatus.ACTIVE:
        text += f", prochaine le {format_date(nxt.due_date)}"
    return text


# ---- the « Échéanciers » board: every plan holding a case, filtered and paged in SQL --------

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
    status: PlanStatus
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


def _plan_stats(today: date, grace: int) -> Any:
    """One row per plan holding a case: net paid, total cost, late and missed counts and
    the next open due date, from one pass over the instalments (payments summed once)."""
    # A grouped join rather than plan_paid_expr(): SQLite would run a correlated subquery
    # once per instalment row here, not once per plan. Same rule as plan_paid_expr().
    original = aliased(Payment)
    pay = (
        select(
            Payment.case_id,
            Payment.amount_cents,
            func.coalesce(original.received_on, Payment.received_on).label("on"),
            func.coalesce(original.created_at, Payment.created_at).label("recorded"),
        )
        .outerjoin(original, Payment.reverses_payment_id == original.id)
        .subquery("pay")
    )
    counts = or_(
        pay.c.on > InstalmentPlan.basis_date,
        and_(pay.c.on == InstalmentPlan.basis_date, pay.c.recorded > InstalmentPlan.created_at),
    )
    paid = (
        select(
            InstalmentPlan.id.label("plan_id"),  # type: ignore[union-attr]
            func.coalesce(func.sum(pay.c.amount_cents), 0).label("paid"),
        )
        .select_from(InstalmentPlan)
        .outerjoin(pay, and_(pay.c.case_id == InstalmentPlan.case_id, counts))
        .where(InstalmentPlan.status.in_(HOLDING))  # type: ignore[attr-defined]
        .group_by(InstalmentPlan.id)
        .subquery("plan_paid")
    )
    limit = today - timedelta(days=grace)
    is_open = Instalment.cumulative_cents > paid.c.paid

    def count_if(*conds: Any) -> Any:
        return func.sum(sql_case((and_(is_open, *conds), 1), else_=0))

    return (
        select(
            Instalment.plan_id.label("plan_id"),
            func.max(paid.c.paid).label("paid"),
            func.sum(Instalment.amount_cents).label("total_cost"),
            count_if(Instalment.due_date < limit).label("missed"),
            count_if(Instalment.due_date < today, Instalment.due_date >= limit).label("late"),
            func.min(sql_case((is_open, Instalment.due_date), else_=None)).label("next_due"),
        )
        .join(paid, paid.c.plan_id == Instalment.plan_id)
        .group_by(Instalment.plan_id)
        .subquery("plan_stats")
    )


def _board_status(stats: Any, missed_to_break: int) -> Any:
    return sql_case(
        (stats.c.paid >= stats.c.total_cost, PlanStatus.COMPLETED.value),
        (InstalmentPlan.status == PlanStatus.ACCELERATED.value, PlanStatus.ACCELERATED.value),
        (stats.c.missed >= missed_to_break, PlanStatus.BROKEN.value),
        else_=PlanStatus.ACTIVE.value,
    )


def _board_filters(
    stats: Any,
    status_expr: Any,
    assignee_id: int | None,
    creditor_id: int | None,
    status: str | None,
) -> list[Any]:
    conds: list[Any] = []
    if assignee_id is not None:
        conds.append(Case.assignee_id == assignee_id)
    if creditor_id is not None:
        conds.append(Case.creditor_id == creditor_id)
    if status == "late":
        conds.append(stats.c.late + stats.c.missed > 0)
        conds.append(status_expr != PlanStatus.COMPLETED.value)
    elif status in ("active", "broken", "accelerated", "completed"):
        conds.append(status_expr == PlanStatus(status).value)
    elif status:
        raise ValidationError({"status": "Filtre inconnu."})
    return conds


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
    """Plans holding a case (active, broken, accelerated), with what is due this week, late
    and missed; filtered, counted and paged in SQL."""
    require(actor, Perm.CASES_READ)
    today = today or today_paris()
    page_size = max(1, min(page_size, 200))
    with read_session() as session:
        grace, missed_to_break = settings_now(session)
        stats = _plan_stats(today, grace)
        status_expr = _board_status(stats, missed_to_break)
        conds = _board_filters(stats, status_expr, assignee_id, creditor_id, status)

        def joined(query: Any) -> Any:
            return (
                query.select_from(InstalmentPlan)
                .join(stats, stats.c.plan_id == InstalmentPlan.id)
                .join(Case, Case.id == InstalmentPlan.case_id)
                .where(*conds)
            )

        total, late, missed = session.exec(
            joined(
                select(
                    func.count(),
                    func.coalesce(func.sum(stats.c.late), 0),
                    func.coalesce(func.sum(stats.c.missed), 0),
                )
            )
        ).one()
        debtor = aliased(Party)
        creditor = aliased(Party)
        rows = session.exec(
            joined(
                select(
                    InstalmentPlan.id,
                    Case.reference,
                    debtor.display_name,
                    creditor.display_name,
                    User.full_name,
                    status_expr,
                    stats.c.total_cost,
                    stats.c.paid,
                    stats.c.late,
                    stats.c.missed,
                    stats.c.next_due,
                )
            )
            .join(debtor, debtor.id == Case.debtor_id)
            .join(creditor, creditor.id == Case.creditor_id)
            .outerjoin(User, User.id == Case.assignee_id)
            .order_by(stats.c.next_due.is_(None), stats.c.next_due, InstalmentPlan.id)
            .offset(page * page_size)
            .limit(page_size)
        ).all()
        week_start = today - timedelta(days=today.weekday())
        week_end = week_start + timedelta(days=6)
        owed = Instalment.cumulative_cents - stats.c.paid
        outstanding = sql_case(
            (owed < Instalment.amount_cents, owed), else_=Instalment.amount_cents
        )
        week = session.exec(
            joined(select(func.count(Instalment.id), func.coalesce(func.sum(outstanding), 0)))
            .join(Instalment, Instalment.plan_id == InstalmentPlan.id)
            .where(owed > 0, Instalment.due_date >= week_start, Instalment.due_date <= week_end)
        ).one()
        return PlanPage(
            rows=[
                PlanRow(
                    plan_id=r[0],
                    reference=r[1],
                    debtor_name=r[2],
                    creditor_name=r[3],
                    assignee_name=r[4],
                    status=PlanStatus(r[5]),
                    total_cost_cents=int(r[6]),
                    paid_cents=int(r[7]),
                    late_count=int(r[8]),
                    missed_count=int(r[9]),
                    next_due_date=r[10],
                )
                for r in rows
            ],
            total=int(total),
            due_this_week_count=int(week[0]),
            due_this_week_cents=int(week[1]),
            late_count=int(late),
            missed_count=int(missed),
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
    """Per month: instalments due on plans holding a case, against the payments received
    on those cases."""
    require(actor, Perm.CASES_READ)
    today = today or today_paris()
    start = add_months(today.replace(day=1), -months_back)
    end = add_months(today.replace(day=1), months_ahead + 1)
    with read_session() as session:
        plan_ids = (
            select(InstalmentPlan.id)
            .join(Case, Case.id == InstalmentPlan.case_id)
            .where(
                InstalmentPlan.status.in_(HOLDING),  # type: ignore[attr-defined]
                *([Case.assignee_id == assignee_id] if assignee_id is not None else []),
                *([Case.creditor_id == creditor_id] if creditor_id is not None else []),
            )
        )
        case_ids = select(InstalmentPlan.case_id).where(InstalmentPlan.id.in_(plan_ids))  # type: ignore[union-attr]
        year_i, month_i = (
            func.extract("year", Instalment.due_date),
            func.extract("month", Instalment.due_date),
        )
        expected = session.exec(
            select(year_i, month_i, func.sum(Instalment.amount_cents))
            .where(
                Instalment.plan_id.in_(plan_ids),  # type: ignore[attr-defined]
                Instalment.due_date >= start,
                Instalment.due_date < end,
            )
            .group_by(year_i, month_i)
        ).all()
        year_p, month_p = (
            func.extract("year", Payment.received_on),
            func.extract("month", Payment.received_on),
        )
        received = session.exec(
            select(year_p, month_p, func.sum(Payment.amount_cents))
            .where(
                Payment.case_id.in_(case_ids),  # type: ignore[attr-defined]
                Payment.received_on >= start,
                Payment.received_on < end,
            )
            .group_by(year_p, month_p)
        ).all()
    exp = {(int(y), int(m)): int(v) for y, m, v in expected}
    rec = {(int(y), int(m)): int(v) for y, m, v in received}
    out: list[MonthCash] = []
    day = start
    while day < end:
        key = (day.year, day.month)
        out.append(MonthCash(day.year, day.month, exp.get(key, 0), rec.get(key, 0)))
        day = add_months(day, 1)
    return out
