"""One status rule: the case tab, the plan board and Ma journée say the same thing about
accelerated, completed, broken and superseded plans (SQLite and PostgreSQL), and the pure
rule and its SQL form agree."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from case_core.cases.lifecycle import reassign
from case_core.kernel.actor import Actor
from case_core.kernel.errors import ValidationError
from case_core.models import AcceptanceChannel, Frequency, PaymentMethod, PlanStatus, Role
from case_core.payments.service import PaymentInput, record_payment
from case_core.plans import service as plans
from case_core.plans.board import plan_board
from case_core.plans.proposals import Proposal
from case_core.plans.status import (
    PlanState,
    StatusRule,
)
from case_core.plans.views import PlanView, plan_view, plans_for_case
from case_core.worklists.my_day import Reason, my_day
from tests.conftest import actor_with_role
from tests.factories import NO_INTEREST, add_claim, admin_per_database, make_case

TODAY = date(2026, 4, 20)
RULE = StatusRule(grace_days=10, missed_to_break=2)


def _plan(
    admin: Actor,
    reference: str,
    *,
    count: int = 6,
    basis: date = date(2025, 12, 1),
    first: date = date(2026, 1, 5),
    supersede: bool = False,
) -> PlanView:
    proposed = plans.propose_plan(
        admin, reference, Proposal(basis, first, Frequency.MONTHLY, count=count)
    )
    return plans.accept_plan(
        admin,
        proposed.id,
        expected_version=proposed.version,
        accepted_on=basis,
        accepted_by="Le débiteur",
        channel=AcceptanceChannel.PHONE,
        supersede=supersede,
        today=TODAY,
    )


def _pay(admin: Actor, reference: str, on: date, cents: int) -> None:
    record_payment(
        admin,
        reference,
        PaymentInput(on, cents, PaymentMethod.TRANSFER, f"VIR-{on}-{cents}"),
        today=TODAY,
    )


def _holding(admin: Actor, reference: str) -> int | None:
    """The plan the case tab shows as in force."""
    return next((p.id for p in plans_for_case(admin, reference, TODAY) if p.holds_case), None)


def _assert_agree(admin: Actor, collector: Actor, references: list[str]) -> None:
    """Every plan of these cases: the tab's view, the board's row, Ma journée's reason."""
    board = {r.plan_id: r for r in plan_board(admin, today=TODAY, page_size=200).rows}
    day = {r.reference: r for r in my_day(collector, today=TODAY).rows}
    for reference in references:
        holding_id = _holding(admin, reference)
        holding = plan_view(admin, holding_id, TODAY) if holding_id else None
        flagged = reference in day and Reason.MISSED_INSTALMENT in day[reference].reasons
        assert flagged == (holding is not None and holding.missed_count > 0), reference
    for plan_id, row in board.items():
        tab = plan_view(admin, plan_id, TODAY)
        assert tab.stored_status in (PlanStatus.ACTIVE, PlanStatus.ACCELERATED)
        assert (row.status, row.missed_count, row.late_count) == (
            tab.status,
            tab.missed_count,
            tab.late_count,
        )
        assert row.paid_cents == tab.paid_cents
        assert row.remaining_cents == tab.remaining_cents
        nxt = tab.next_instalment
        assert row.next_due_date == (nxt.due_date if nxt else None)
        only = plan_board(admin, status=tab.status.value, today=TODAY, page_size=200)
        assert plan_id in {r.plan_id for r in only.rows}


@pytest.fixture
def collector(admin: Actor) -> Actor:
    return actor_with_role(admin, Role.COLLECTOR)


def _mine(admin: Actor, collector: Actor, **kw: object) -> str:
    reference = make_case(admin, **NO_INTEREST, **kw).reference  # type: ignore[arg-type]
    reassign(admin, reference, collector.id, None)
    return reference


def test_accelerated_completed_broken_superseded_agree(admin: Actor, collector: Actor) -> None:
    # Accelerated on 20/03 with January paid: everything left was due that day, so on
    # 20/04 the five unpaid instalments are missed, on the tab as on the board.
    accelerated_ref = _mine(admin, collector, principal_cents=60_000, debtor="DÉCHU Denis")
    accelerated = _plan(admin, accelerated_ref)
    _pay(admin, accelerated_ref, date(2026, 1, 5), 10_000)
    broken = plan_view(admin, accelerated.id, date(2026, 3, 20))
    assert broken.status == PlanState.BROKEN
    plans.declare_acceleration(
        admin, accelerated.id, expected_version=broken.version, on=date(2026, 3, 20)
    )
    tab = plan_view(admin, accelerated.id, TODAY)
    assert tab.status == PlanState.ACCELERATED and tab.missed_count == 5
    assert all(i.due_date <= date(2026, 3, 20) for i in tab.instalments)

    # Paid up: completed, and it holds nothing (a new plan needs no replacement).
    completed_ref = _mine(admin, collector, principal_cents=30_000, debtor="SOLDÉ Sam")
    completed = _plan(admin, completed_ref, count=3)
    _pay(admin, completed_ref, date(2026, 1, 5), 30_000)
    assert plan_view(admin, completed.id, TODAY).status == PlanState.COMPLETED
    assert _holding(admin, completed_ref) is None
    add_claim(admin, completed_ref, 20_000, date(2026, 3, 1))
    newer = _plan(admin, completed_ref, count=2, basis=date(2026, 4, 1), first=date(2026, 5, 4))
    again = plan_view(admin, completed.id, TODAY)
    assert again.stored_status == PlanStatus.ACTIVE and again.status == PlanState.COMPLETED
    assert _holding(admin, completed_ref) == newer.id

    # Broken: February and March missed.
    broken_ref = _mine(admin, collector, principal_cents=60_000, debtor="ROMPU Rémi")
    broken_plan = _plan(admin, broken_ref)
    _pay(admin, broken_ref, date(2026, 1, 5), 10_000)
    assert plan_view(admin, broken_plan.id, TODAY).status == PlanState.BROKEN

    # Superseded: its missed instalments no longer count anywhere; the new plan holds.
    replaced_ref = _mine(admin, collector, principal_cents=60_000, debtor="REMPLACÉ Roger")
    old = _plan(admin, replaced_ref)
    with pytest.raises(ValidationError, match="déjà en cours"):
        _plan(admin, replaced_ref, basis=date(2026, 4, 15), first=date(2026, 5, 15))
    new = _plan(
        admin, replaced_ref, basis=date(2026, 4, 15), first=date(2026, 5, 15), supersede=True
    )
    gone = plan_view(admin, old.id, TODAY)
    assert gone.stored_status == PlanStatus.SUPERSEDED and gone.status == PlanState.SUPERSEDED
    assert gone.missed_count == 0 and gone.superseded_by_id == new.id
    assert _holding(admin, replaced_ref) == new.id

    refs = [accelerated_ref, completed_ref, broken_ref, replaced_ref]
    _assert_agree(admin, collector, refs)
    board = {r.plan_id: r for r in plan_board(admin, today=TODAY, page_size=200).rows}
    assert board[accelerated.id].missed_count == 5
    assert board[completed.id].status == PlanState.COMPLETED
    assert board[broken_plan.id].status == PlanState.BROKEN
    assert old.id not in board and board[new.id].status == PlanState.ACTIVE
    day = {r.reference: r.reasons for r in my_day(collector, today=TODAY).rows}
    assert Reason.MISSED_INSTALMENT in day[accelerated_ref]
    assert Reason.MISSED_INSTALMENT in day[broken_ref]
    assert Reason.MISSED_INSTALMENT not in day.get(completed_ref, [])
    assert Reason.MISSED_INSTALMENT not in day.get(replaced_ref, [])


def test_a_bounced_payment_reopens_a_completed_plan_everywhere(
    admin: Actor, collector: Actor
) -> None:
    from case_core.payments.service import list_payments, reverse_payment

    reference = _mine(admin, collector, principal_cents=30_000)
    plan = _plan(admin, reference, count=3)
    _pay(admin, reference, date(2026, 1, 5), 30_000)
    assert plan_view(admin, plan.id, TODAY).status == PlanState.COMPLETED
    (payment,) = list_payments(admin, reference)
    reverse_payment(admin, payment.id, on=date(2026, 2, 1), reason="Rejet", today=TODAY)
    tab = plan_view(admin, plan.id, TODAY)
    assert tab.status == PlanState.BROKEN and tab.missed_count == 3
    _assert_agree(admin, collector, [reference])


def test_plans_for_case_reads_in_a_fixed_number_of_statements(admin: Actor) -> None:
    from sqlalchemy import event

    from case_core.kernel.db import get_engine
    from case_core.plans.views import plans_for_case

    reference = make_case(admin, **NO_INTEREST, principal_cents=90_000).reference

    def statements() -> int:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        engine = get_engine()
        event.listen(engine, "before_cursor_execute", count)
        try:
            plans_for_case(admin, reference, TODAY)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    plans.propose_plan(admin, reference, Proposal(TODAY, date(2026, 5, 4), count=3))
    one = statements()
    for count in (4, 5, 6):
        plans.propose_plan(admin, reference, Proposal(TODAY, date(2026, 5, 4), count=count))
    assert statements() == one


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    paid=st.lists(st.tuples(st.integers(0, 220), st.integers(1, 25_000)), max_size=6),
    accelerate_after=st.one_of(st.none(), st.integers(40, 220)),
    today_offset=st.integers(0, 400),
)
def test_board_row_and_case_tab_agree_whatever_the_payments(
    sqlite_url: str, paid: list[tuple[int, int]], accelerate_after: int | None, today_offset: int
) -> None:
    """The SQL form of the status rule (board) and the pure one (tab) on random histories."""
    actor = admin_per_database()
    reference = make_case(actor, **NO_INTEREST, principal_cents=60_000).reference
    start = date(2025, 12, 1)
    proposed = plans.propose_plan(
        actor, reference, Proposal(start, date(2026, 1, 5), Frequency.MONTHLY, count=6)
    )
    plans.accept_plan(
        actor,
        proposed.id,
        expected_version=proposed.version,
        accepted_on=start,
        accepted_by="Le débiteur",
        channel="phone",
        today=start,
    )
    for n, (offset, cents) in enumerate(paid):
        record_payment(
            actor,
            reference,
            PaymentInput(start + timedelta(days=offset + 1), cents, PaymentMethod.CARD, f"R{n}"),
            overpayment_refund=True,
            today=date(2027, 12, 31),
        )
    if accelerate_after is not None:
        on = start + timedelta(days=accelerate_after)
        view = plan_view(actor, proposed.id, on)
        if view.status in (PlanState.ACTIVE, PlanState.BROKEN) and view.missed_count:
            plans.declare_acceleration(actor, proposed.id, expected_version=view.version, on=on)
    today = start + timedelta(days=today_offset)
    tab = plan_view(actor, proposed.id, today)
    (row,) = [r for r in plan_board(actor, today=today, page_size=200).rows if r.plan_id == tab.id]
    nxt = tab.next_instalment
    assert (row.status, row.missed_count, row.late_count, row.paid_cents) == (
        tab.status,
        tab.missed_count,
        tab.late_count,
        tab.paid_cents,
    )
    assert row.remaining_cents == tab.remaining_cents
    assert row.next_due_date == (nxt.due_date if nxt else None)
