"""Property tests: whatever the payments and reversals, no cent is lost or counted twice."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from case_core.models import Frequency, PaymentMethod
from case_core.payments import service as payments
from case_core.payments.service import PaymentInput
from case_core.plans import service as plans
from case_core.plans.proposals import Proposal
from case_core.plans.schedule import PlanTerms, build_schedule
from case_core.plans.status import InstalmentStatus, apply_to_instalments, instalment_status
from case_core.plans.views import plan_view
from tests.factories import NO_INTEREST, admin_per_database, make_case

# An operation is a payment (positive cents) or the reversal of an earlier payment (its index).
operations = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(1, 200_000)),
        st.tuples(st.just("reverse"), st.integers(0, 30)),
    ),
    max_size=25,
)


def net_after(ops: list[tuple[str, int]]) -> int:
    paid: list[int] = []
    reversed_: set[int] = set()
    net = 0
    for kind, value in ops:
        if kind == "pay":
            paid.append(value)
            net += value
        elif value < len(paid) and value not in reversed_:
            reversed_.add(value)
            net -= paid[value]
    return net


@settings(max_examples=400, deadline=None)
@given(
    total=st.integers(1, 2_000_000),
    count=st.integers(1, 36),
    rate=st.sampled_from([0, 300, 1200]),
    ops=operations,
    today_offset=st.integers(-30, 1200),
)
def test_applied_plus_carry_forward_equals_net_payments(
    total: int, count: int, rate: int, ops: list[tuple[str, int]], today_offset: int
) -> None:
    if total < count:
        count = total
    schedule = build_schedule(PlanTerms(total, date(2026, 1, 5), count=count, rate_bp=rate))
    amounts = [i.amount_cents for i in schedule.instalments]
    net = net_after(ops)
    applied, carry = apply_to_instalments(amounts, net)
    assert sum(applied) + carry == net
    assert all(0 <= got <= amount for got, amount in zip(applied, amounts, strict=True))
    # Oldest first: an instalment short of its amount leaves nothing to the later ones.
    for i, (got, amount) in enumerate(zip(applied, amounts, strict=True)):
        if got < amount:
            assert all(later == 0 for later in applied[i + 1 :])
    if carry > 0:
        assert applied == amounts
    today = date(2026, 1, 5) + timedelta(days=today_offset)
    for inst, got in zip(schedule.instalments, applied, strict=True):
        status = instalment_status(inst.amount_cents, got, inst.due_date, today, 10)
        assert (status == InstalmentStatus.PAID) == (got == inst.amount_cents)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    count=st.integers(1, 12),
    amounts=st.lists(st.integers(1, 60_000), min_size=1, max_size=8),
    reverse=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_services_account_for_every_cent(
    sqlite_url: str, count: int, amounts: list[int], reverse: list[bool]
) -> None:
    actor = admin_per_database()
    reference = make_case(actor, **NO_INTEREST, principal_cents=300_000).reference
    plan = plans.propose_plan(
        actor,
        reference,
        Proposal(date(2025, 12, 1), date(2026, 1, 5), Frequency.MONTHLY, count=count),
    )
    booked = []
    for n, cents in enumerate(amounts):
        booked.append(
            payments.record_payment(
                actor,
                reference,
                PaymentInput(
                    date(2026, 1, 5) + timedelta(days=7 * n), cents, PaymentMethod.CARD, f"P{n}"
                ),
                overpayment_refund=True,
                today=date(2026, 11, 24),
            )
        )
    for payment, flip in zip(booked, reverse, strict=False):
        if flip:
            payments.reverse_payment(
                actor, payment.id, on=date(2026, 4, 1), reason="Rejet", today=date(2026, 11, 24)
            )
    net = sum(a for a, flip in zip(amounts, reverse, strict=False) if not flip)
    view = plan_view(actor, plan.id, date(2026, 6, 1))
    assert view.paid_cents == net
    assert sum(i.paid_cents for i in view.instalments) + view.carry_forward_cents == net
    assert all(0 <= i.paid_cents <= i.amount_cents for i in view.instalments)
    assert sum(p.amount_cents for p in payments.list_payments(actor, reference)) == net
