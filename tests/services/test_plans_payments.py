"""Plans and payments through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import PermissionDenied, StaleVersion, ValidationError
from case_core.models import (
    AcceptanceChannel,
    AuditEvent,
    Case,
    Frequency,
    PaymentMethod,
    PlanStatus,
    Role,
)
from case_core.payments import service as payments
from case_core.payments.service import Overpayment, PaymentInput, PossibleDuplicate
from case_core.plans import service as plans
from case_core.plans.board import cash_by_month, plan_board
from case_core.plans.proposals import Proposal, balance_basis
from case_core.plans.status import InstalmentStatus, PlanState
from case_core.plans.views import PlanView, plan_view, plans_for_case
from tests.conftest import actor_with_role
from tests.factories import NO_INTEREST, make_case

TODAY = date(2026, 11, 24)


def propose(actor: Actor, reference: str, **overrides: object) -> PlanView:
    values: dict[str, object] = {
        "basis_date": date(2025, 12, 1),
        "first_due_date": date(2026, 1, 5),
        "frequency": Frequency.MONTHLY,
        "count": 12,
    }
    values.update(overrides)
    return plans.propose_plan(actor, reference, Proposal(**values))  # type: ignore[arg-type]


def accept(actor: Actor, plan: PlanView, **kw: object) -> PlanView:
    return plans.accept_plan(
        actor,
        plan.id,
        expected_version=plan.version,
        accepted_on=kw.pop("accepted_on", date(2025, 12, 3)),  # type: ignore[arg-type]
        accepted_by="Jeanne Dupont",
        channel=AcceptanceChannel.PHONE,
        today=TODAY,
        **kw,  # type: ignore[arg-type]
    )


def pay(actor: Actor, reference: str, on: date, cents: int, ref: str, **kw: object):
    return payments.record_payment(
        actor,
        reference,
        PaymentInput(on, cents, PaymentMethod.CHEQUE, ref),
        today=TODAY,
        **kw,  # type: ignore[arg-type]
    )


def test_thousand_euros_in_three_monthly_instalments(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=100_000).reference
    plan = propose(admin, reference, count=3)
    assert plan.status == PlanState.PROPOSED
    assert [i.amount_cents for i in plan.instalments] == [33_333, 33_333, 33_334]
    assert plan.total_cents == 100_000 and plan.basis_principal_cents == 100_000
    with read_session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "plan.propose")).one()
        assert event.entity_id == str(plan.id)


def test_waived_parts_are_left_out_of_the_plan(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=100_000).reference
    basis = balance_basis(admin, reference, date(2025, 12, 1))
    assert basis.principal_cents == 100_000
    with pytest.raises(ValidationError, match="Rien à échelonner"):
        propose(admin, reference, include_principal=False, count=3)
    with read_session() as session:
        assert plans_for_case(admin, reference) == []
        planned = select(AuditEvent).where(col(AuditEvent.action).startswith("plan."))
        assert session.exec(planned).all() == []


def test_accept_makes_the_plan_active_and_only_one_holds_the_case(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
    assert case.limitation_date == date(2027, 10, 1)  # consumer debt: 2 years from due date
    first = accept(admin, propose(admin, reference))
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
    # The acceptance on 03/12/2025 acknowledges the debt: the 2 years restart.
    assert case.limitation_date == date(2027, 12, 3)
    assert first.stored_status == PlanStatus.ACTIVE
    assert plan_view(admin, first.id, date(2025, 12, 10)).status == PlanState.ACTIVE
    assert first.accepted_on == date(2025, 12, 3)
    second = propose(admin, reference, count=6)
    with pytest.raises(ValidationError, match="déjà en cours"):
        accept(admin, second)
    replaced = accept(admin, second, supersede=True)
    assert replaced.stored_status == PlanStatus.ACTIVE
    old = plan_view(admin, first.id, TODAY)
    assert old.status == PlanState.SUPERSEDED and old.stored_status == PlanStatus.SUPERSEDED
    assert "Remplacé" in (old.cancel_reason or "")
    holding = [p.id for p in plans_for_case(admin, reference, TODAY) if p.holds_case]
    assert holding == [second.id]


def test_stale_plan_version_is_refused(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    plan = propose(admin, reference)
    plans.cancel_plan(admin, plan.id, expected_version=plan.version, reason="Refus du débiteur")
    with pytest.raises(StaleVersion, match="Alice Admin"):
        accept(admin, plan)


def test_plan_of_twelve_with_bounced_cheque_and_two_missed_months_breaks(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    plan = accept(admin, propose(admin, reference))
    assert [i.amount_cents for i in plan.instalments] == [10_000] * 12
    due = [i.due_date for i in plan.instalments]
    for month in range(4):
        last = pay(admin, reference, due[month], 10_000, f"CHQ-{month + 1}")
    view = plan_view(admin, plan.id, date(2026, 4, 20))
    assert [i.status for i in view.instalments[:5]] == [InstalmentStatus.PAID] * 4 + [
        InstalmentStatus.PENDING
    ]
    collector = actor_with_role(admin, Role.COLLECTOR)
    with pytest.raises(PermissionDenied):
        payments.reverse_payment(collector, last.id, on=date(2026, 4, 15), reason="Chèque impayé")
    reversal = payments.reverse_payment(
        admin, last.id, on=date(2026, 4, 15), reason="Chèque impayé", today=TODAY
    )
    assert reversal.amount_cents == -10_000 and reversal.reverses_payment_id == last.id
    with pytest.raises(ValidationError, match="déjà été annulé"):
        payments.reverse_payment(admin, last.id, on=date(2026, 4, 15), reason="x", today=TODAY)

    view = plan_view(admin, plan.id, date(2026, 4, 20))
    assert view.instalments[3].status == InstalmentStatus.MISSED  # due 07/04, grace 10 days
    assert view.status == PlanState.ACTIVE  # one missed instalment does not break it
    assert plan_view(admin, plan.id, date(2026, 4, 10)).instalments[3].status == (
        InstalmentStatus.LATE
    )
    broken = plan_view(admin, plan.id, date(2026, 6, 20))
    assert broken.missed_count == 3 and broken.status == PlanState.BROKEN
    assert broken.paid_cents == 30_000 and broken.remaining_cents == 90_000
    assert broken.status_label == "Rompu"

    with pytest.raises(PermissionDenied):
        plans.declare_acceleration(
            collector, plan.id, expected_version=broken.version, on=date(2026, 6, 20)
        )
    accelerated = plans.declare_acceleration(
        admin, plan.id, expected_version=broken.version, on=date(2026, 6, 20)
    )
    assert accelerated.status == PlanState.ACCELERATED
    assert accelerated.accelerated_balance_cents == 90_000
    assert accelerated.due_now_cents == 90_000
    assert all(i.due_date <= date(2026, 6, 20) for i in accelerated.instalments)
    assert accelerated.formal_notice_suggested
    with read_session() as session:
        actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        case = session.exec(select(Case).where(Case.reference == reference)).one()
    assert "plan.accelerate" in actions and actions.count("payment.reverse") == 1
    assert case.paid_cents == 30_000 and case.balance_cents == 90_000


def test_payment_made_on_the_basis_day_after_the_proposal_counts(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=100_000).reference
    plan = propose(
        admin,
        reference,
        basis_date=date(2026, 1, 5),
        first_due_date=date(2026, 2, 2),
        count=3,
        down_payment_cents=10_000,
        down_payment_date=date(2026, 1, 5),
    )
    pay(admin, reference, date(2026, 1, 5), 10_000, "VIR-ACOMPTE")
    view = plan_view(admin, plan.id, date(2026, 1, 6))
    assert view.instalments[0].status == InstalmentStatus.PAID
    assert view.paid_cents == 10_000


def test_over_payment_carries_forward_to_the_next_instalments(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=30_000).reference
    plan = accept(admin, propose(admin, reference, count=3))
    pay(admin, reference, date(2026, 1, 5), 15_000, "VIR-1")
    view = plan_view(admin, plan.id, date(2026, 1, 10))
    assert [(i.paid_cents, i.status) for i in view.instalments] == [
        (10_000, InstalmentStatus.PAID),
        (5_000, InstalmentStatus.PARTLY_PAID),
        (0, InstalmentStatus.PENDING),
    ]
    pay(admin, reference, date(2026, 2, 5), 15_000, "VIR-2")
    done = plan_view(admin, plan.id, date(2026, 2, 10))
    assert done.status == PlanState.COMPLETED and done.carry_forward_cents == 0


def test_duplicate_payment_refused_unless_confirmed(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    pay(admin, reference, date(2026, 3, 2), 5_000, "VIR 123")
    with pytest.raises(PossibleDuplicate, match="identique"):
        pay(admin, reference, date(2026, 3, 2), 5_000, "vir 123")
    assert len(payments.list_payments(admin, reference)) == 1
    pay(admin, reference, date(2026, 3, 2), 5_000, "VIR 123", confirm_duplicate=True)
    assert len(payments.list_payments(admin, reference)) == 2


def test_over_payment_refused_or_recorded_as_refund(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=10_000).reference
    with pytest.raises(Overpayment) as refused:
        pay(admin, reference, date(2026, 3, 2), 12_550, "VIR-9")
    assert refused.value.excess_cents == 2_550
    assert payments.list_payments(admin, reference) == []
    booked = pay(admin, reference, date(2026, 3, 2), 12_550, "VIR-9", overpayment_refund=True)
    assert booked.refund_due_cents == 2_550
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "payment.record")).one()
    assert case.balance_cents == -2_550
    assert "refund_due_cents" in event.changes


def test_bad_payment_input_changes_nothing(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    with pytest.raises(ValidationError) as bad:
        payments.record_payment(
            admin, reference, PaymentInput(date(2027, 1, 1), -5, PaymentMethod.CASH), today=TODAY
        )
    assert set(bad.value.errors) == {"amount", "received_on"}
    viewer = actor_with_role(admin, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        pay(viewer, reference, date(2026, 3, 2), 5_000, "X")
    assert payments.list_payments(admin, reference) == []


def test_plan_board_and_cash_by_month(admin: Actor) -> None:
    on_time = make_case(
        admin, **NO_INTEREST, principal_cents=30_000, debtor="PONCTUEL Paul"
    ).reference
    late = make_case(admin, **NO_INTEREST, principal_cents=60_000, debtor="RETARD Rémi").reference
    accept(admin, propose(admin, on_time, count=3))
    broken_plan = accept(admin, propose(admin, late, count=6))
    pay(admin, on_time, date(2026, 1, 5), 10_000, "A1")
    pay(admin, on_time, date(2026, 2, 5), 10_000, "A2")
    pay(admin, late, date(2026, 1, 5), 10_000, "B1")
    # At 20/03: February and March missed on the second plan, March missed on the first.
    today = date(2026, 3, 20)

    board = plan_board(admin, today=today)
    by_ref = {row.reference: row for row in board.rows}
    assert board.total == 2
    assert by_ref[late].status == PlanState.BROKEN and by_ref[late].missed_count == 2
    assert by_ref[on_time].status == PlanState.ACTIVE and by_ref[on_time].missed_count == 1
    assert by_ref[on_time].paid_cents == 20_000 and by_ref[on_time].remaining_cents == 10_000
    assert by_ref[late].next_due_date == date(2026, 2, 5)
    assert board.missed_count == 3
    assert plan_view(admin, broken_plan.id, today).missed_count == 2

    only_broken = plan_board(admin, status="broken", today=today)
    assert [r.reference for r in only_broken.rows] == [late]
    assert plan_board(admin, status="completed", today=today).total == 0
    paged = plan_board(admin, page=1, page_size=1, today=today)
    assert paged.total == 2 and len(paged.rows) == 1

    week = plan_board(admin, today=date(2026, 4, 6))  # week of Easter Monday
    assert week.due_this_week_count == 1  # 07/04 on the second plan (6 April is a holiday)
    assert week.due_this_week_cents == 10_000

    months = {m.label: m for m in cash_by_month(admin, today=today)}
    assert months["01/2026"].expected_cents == 20_000
    assert months["01/2026"].received_cents == 20_000
    assert months["02/2026"].received_cents == 10_000
    assert months["06/2026"].expected_cents == 10_000
