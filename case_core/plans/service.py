"""Instalment plans, the writes: propose, accept (replacing the plan holding the case when
asked), cancel a proposal, declare the acceleration (déchéance du terme).

Each goes through the one write mechanism (cases.change.change_case): the case is locked
first, then the plan, and every figure checked (the statement a proposal spreads, the
missed instalments that justify the acceleration) is read after those locks in the same
transaction. The plan's version, the case's, the audit event and the case's figures (an
acceptance acknowledges the debt: the limitation date moves) follow on exit.
"""

from __future__ import annotations

from datetime import date

from case_core.cases.change import case_of, change_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.errors import ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import UnitOfWork
from case_core.models import AcceptanceChannel, Instalment, InstalmentPlan, PlanStatus
from case_core.plans.proposals import Proposal, basis_of, preview
from case_core.plans.status import PlanState
from case_core.plans.views import PlanView, holding_plan, plan_view, view_of

STALE = "Cet échéancier"


def case_of_plan(plan_id: int) -> int:
    """The case a plan belongs to (never changes): read before the change locks that case,
    so that every plan write takes the case lock first, then the plan's."""
    return case_of(InstalmentPlan, plan_id, f"Échéancier introuvable (n° {plan_id}).")


def propose_plan(actor: Actor, reference: str, proposal: Proposal) -> PlanView:
    """Save a proposal (status « Proposé ») from the statement at its basis date."""
    with change_case(actor, Perm.PLANS_PROPOSE, reference, "plan.propose") as w:
        basis = basis_of(w.statement(proposal.basis_date))
        schedule = preview(basis, proposal)
        plan = w.add(
            InstalmentPlan(
                case_id=w.case_id,
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
                waived_cents=proposal.waived(basis),
                created_by_id=actor.id or 0,
                updated_by_id=actor.id,
            )
        )
        w.session.flush()
        running = 0
        for inst in schedule.instalments:
            running += inst.amount_cents
            w.add(
                Instalment(
                    plan_id=plan.id or 0,
                    seq=inst.seq,
                    due_date=inst.due_date,
                    amount_cents=inst.amount_cents,
                    interest_cents=inst.interest_cents,
                    cumulative_cents=running,
                )
            )
        w.uow.note(
            plan,
            "instalments",
            None,
            [[i.due_date.isoformat(), i.amount_cents] for i in schedule.instalments],
        )
        plan_id = plan.id or 0
    return plan_view(actor, plan_id)


def _lock_plan(
    uow: UnitOfWork, plan_id: int, case_id: int, expected_version: int
) -> InstalmentPlan:
    plan = uow.lock(
        InstalmentPlan,
        plan_id,
        expected_version,
        missing=f"Échéancier introuvable (n° {plan_id}).",
        stale=STALE,
    )
    assert plan.case_id == case_id
    return plan


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
    limitation clock). A plan still holding the case is only replaced when `supersede`;
    a paid-up plan holds nothing and stays as it is."""
    require(actor, Perm.PLANS_ACCEPT)
    today = today or today_paris()
    errors: dict[str, str] = {}
    who = (accepted_by or "").strip()
    if not who:
        errors["accepted_by"] = "Indiquez qui a donné l'accord."
    elif len(who) > 200:
        errors["accepted_by"] = "Nom trop long (200 caractères au plus)."
    if len((note or "").strip()) > 1000:
        errors["note"] = "Note trop longue (1 000 caractères au plus)."
    if accepted_on > today:
        errors["accepted_on"] = "La date d'accord ne peut pas être dans le futur."
    chosen: AcceptanceChannel | None = None
    try:
        chosen = AcceptanceChannel(channel)
    except ValueError:
        errors["channel"] = "Mode d'accord inconnu."
    if errors or chosen is None:
        raise ValidationError(errors)
    case_id = case_of_plan(plan_id)
    with change_case(actor, Perm.PLANS_ACCEPT, None, "plan.accept", case_id=case_id) as w:
        plan = _lock_plan(w.uow, plan_id, case_id, expected_version)
        if plan.status != PlanStatus.PROPOSED:
            raise ValidationError(
                "Seul un échéancier proposé peut être accepté "
                f"(statut : {PlanStatus(plan.status).label})."
            )
        if accepted_on < plan.basis_date:
            raise ValidationError(
                {"accepted_on": "L'accord ne peut pas précéder la date du solde retenu."}
            )
        holding = holding_plan(w.session, case_id)
        if holding is not None:
            if not supersede:
                raise ValidationError(
                    f"Un échéancier est déjà en cours sur ce dossier (n° {holding.id}, "
                    f"{PlanStatus(holding.status).label}) : confirmez son remplacement."
                )
            holding = w.uow.lock(InstalmentPlan, holding.id, stale=STALE)
            w.uow.name(holding, "plan.supersede")
            holding.status = PlanStatus.SUPERSEDED
            holding.cancelled_on = accepted_on
            holding.cancel_reason = f"Remplacé par l'échéancier n° {plan.id}"
            holding.superseded_by_id = plan.id
        plan.status = PlanStatus.ACTIVE
        plan.accepted_on = accepted_on
        plan.accepted_by = who
        plan.acceptance_channel = chosen
        plan.acceptance_note = (note or "").strip() or None
    return plan_view(actor, plan_id, today)


def cancel_plan(
    actor: Actor, plan_id: int, *, expected_version: int, reason: str, on: date | None = None
) -> PlanView:
    """Withdraw a proposal the debtor did not accept."""
    require(actor, Perm.PLANS_PROPOSE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de l'annulation."})
    if len(reason) > 500:
        raise ValidationError({"reason": "Motif trop long (500 caractères au plus)."})
    on = on or today_paris()
    case_id = case_of_plan(plan_id)
    with change_case(actor, Perm.PLANS_PROPOSE, None, "plan.cancel", case_id=case_id) as w:
        plan = _lock_plan(w.uow, plan_id, case_id, expected_version)
        if plan.status != PlanStatus.PROPOSED:
            raise ValidationError(
                "Seule une proposition peut être annulée "
                f"(statut : {PlanStatus(plan.status).label})."
            )
        plan.status = PlanStatus.CANCELLED
        plan.cancelled_on = on
        plan.cancel_reason = reason
    return plan_view(actor, plan_id, on)


def declare_acceleration(
    actor: Actor, plan_id: int, *, expected_version: int, on: date | None = None
) -> PlanView:
    """Déchéance du terme: the debtor missed instalments, everything left is due at once."""
    require(actor, Perm.PLANS_ACCELERATE)
    on = on or today_paris()
    case_id = case_of_plan(plan_id)
    with change_case(
        actor, Perm.PLANS_ACCELERATE, None, "plan.accelerate", case_id=case_id, today=on
    ) as w:
        plan = _lock_plan(w.uow, plan_id, case_id, expected_version)
        current = view_of(w.session, plan, w.case, on)
        if current.status not in (PlanState.ACTIVE, PlanState.BROKEN):
            raise ValidationError(
                f"La déchéance du terme ne peut être prononcée que sur un plan en cours "
                f"(statut : {current.status.label})."
            )
        if current.missed_count == 0:
            raise ValidationError(
                "Aucune échéance impayée : la déchéance du terme n'est pas justifiée."
            )
        plan.status = PlanStatus.ACCELERATED
        plan.accelerated_on = on
        plan.accelerated_balance_cents = current.remaining_cents
        plan.broken_at = plan.broken_at or on
    return plan_view(actor, plan_id, on)
