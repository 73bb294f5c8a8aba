"""Promises to pay: status derived from the payments recorded after the promise."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from case_core.journal.contacts import ContactInput, log_contact
from case_core.journal.promises import (
    GRACE_DAYS,
    PromiseItemInput,
    PromiseStatus,
    promises_for_case,
)
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.errors import ValidationError
from case_core.kernel.settings import set_settings
from case_core.models import Channel, ContactOutcome, Role
from tests.conftest import actor_with_role
from tests.factories import make_case, pay, reverse


@pytest.fixture
def collector(admin: Actor) -> Actor:
    return actor_with_role(admin, Role.COLLECTOR)


def promise(ref: str, actor: Actor, *items: tuple[int, date]) -> None:
    log_contact(
        actor,
        ref,
        ContactInput(
            Channel.CALL_IN,
            ContactOutcome.PROMISE,
            promise_items=[PromiseItemInput(a, d) for a, d in items],
        ),
    )


def status(actor: Actor, ref: str, today: date) -> PromiseStatus:
    (view,) = promises_for_case(actor, ref, today=today)
    return view.status


def test_promise_kept_when_the_payment_comes_in(collector: Actor) -> None:
    today = today_paris()
    ref = make_case(collector).reference
    promise(ref, collector, (300_00, today + timedelta(days=5)))
    (view,) = promises_for_case(collector, ref, today=today)
    assert view.status == PromiseStatus.OPEN and view.total_cents == 300_00
    assert view.made_by == collector.full_name
    pay(collector, ref, today, 30_000)
    assert status(collector, ref, today) == PromiseStatus.KEPT
    # Kept stays kept long after the date.
    assert status(collector, ref, today + timedelta(days=60)) == PromiseStatus.KEPT


def test_promise_broken_only_after_the_grace_period(collector: Actor, admin: Actor) -> None:
    today = today_paris()
    due = today + timedelta(days=2)
    ref = make_case(collector).reference
    promise(ref, collector, (300_00, due))
    assert status(collector, ref, due + timedelta(days=3)) == PromiseStatus.OPEN  # grace: 3
    assert status(collector, ref, due + timedelta(days=4)) == PromiseStatus.BROKEN
    set_settings(admin, {GRACE_DAYS: 10})
    assert status(collector, ref, due + timedelta(days=4)) == PromiseStatus.OPEN


def test_promise_in_several_payments_partly_kept(collector: Actor) -> None:
    today = today_paris()
    first, second = today + timedelta(days=1), today + timedelta(days=31)
    ref = make_case(collector).reference
    promise(ref, collector, (200_00, second), (100_00, first))
    (view,) = promises_for_case(collector, ref, today=today)
    assert [i.due_date for i in view.items] == [first, second]  # in date order
    pay(collector, ref, first, 10_000)
    assert status(collector, ref, first + timedelta(days=10)) == PromiseStatus.OPEN
    assert status(collector, ref, second + timedelta(days=4)) == PromiseStatus.PARTLY_KEPT


def test_payments_before_the_promise_and_reversals_do_not_count(
    collector: Actor, admin: Actor
) -> None:
    today = today_paris()
    ref = make_case(collector).reference
    earlier = pay(collector, ref, today - timedelta(days=20), 50_000).id
    promise(ref, collector, (300_00, today + timedelta(days=3)))
    # Reversing a payment made before the promise does not eat into the promise...
    reverse(admin, earlier, today)
    assert status(collector, ref, today) == PromiseStatus.OPEN
    # ...but a reversed payment after the promise no longer keeps it.
    paid = pay(collector, ref, today, 30_000).id
    assert status(collector, ref, today) == PromiseStatus.KEPT
    reverse(admin, paid, today)
    assert status(collector, ref, today + timedelta(days=7)) == PromiseStatus.BROKEN


def test_promise_items_must_be_positive_and_not_in_the_past(collector: Actor) -> None:
    today = today_paris()
    ref = make_case(collector).reference
    with pytest.raises(ValidationError) as exc:
        promise(ref, collector, (0, today), (100_00, today - timedelta(days=1)))
    assert set(exc.value.errors) == {"promise_1_amount", "promise_2_date"}
    assert promises_for_case(collector, ref) == []


def test_promise_lines_as_typed() -> None:
    from case_core.journal.promises import parse_items

    assert parse_items("150,00 ; 15/12/2026\n\n1 000 ; 15/01/2027") == [
        PromiseItemInput(150_00, date(2026, 12, 15)),
        PromiseItemInput(1000_00, date(2027, 1, 15)),
    ]
    with pytest.raises(ValidationError, match="montant ; date"):
        parse_items("150 le 15/12")
    with pytest.raises(ValidationError, match="illisible"):
        parse_items("abc ; 15/12/2026")


def test_each_promise_counts_only_payments_recorded_after_it(
    collector: Actor, admin: Actor
) -> None:
    today = today_paris()
    ref = make_case(collector).reference
    promise(ref, collector, (100_00, today + timedelta(days=3)))
    cheque = pay(collector, ref, today, 10_000).id
    promise(ref, collector, (50_00, today + timedelta(days=10)))
    later, earlier = promises_for_case(collector, ref, today=today)
    assert (earlier.paid_cents, earlier.status) == (100_00, PromiseStatus.KEPT)
    assert (later.paid_cents, later.status) == (0, PromiseStatus.OPEN)
    # The cheque bounces: the first promise is no longer kept; the second is untouched.
    reverse(admin, cheque, today)
    later, earlier = promises_for_case(collector, ref, today=today)
    assert (earlier.paid_cents, earlier.status) == (0, PromiseStatus.OPEN)
    assert later.paid_cents == 0


def test_correcting_a_promise_or_a_dispute_withdraws_it(collector: Actor) -> None:
    """A 50 € promise corrected to 70 € leaves one promise; a dispute corrected into a
    promise no longer pauses reminders."""
    from case_core.journal.contacts import contact_state, correct_contact, journal
    from case_core.models import DisputeCategory

    today = today_paris()
    ref = make_case(collector).reference
    promise(ref, collector, (50_00, today + timedelta(days=5)))
    (entry,) = journal(collector, ref)
    correct_contact(
        collector,
        entry.id,
        ContactInput(
            Channel.CALL_IN,
            ContactOutcome.PROMISE,
            promise_items=[PromiseItemInput(70_00, today + timedelta(days=5))],
        ),
    )
    (view,) = promises_for_case(collector, ref, today=today)
    assert view.total_cents == 70_00

    disputed = log_contact(
        collector,
        ref,
        ContactInput(
            Channel.CALL_IN, ContactOutcome.DISPUTE, dispute_category=DisputeCategory.AMOUNT
        ),
    )
    assert any(d.resolved_at is None for d in contact_state(collector, ref).disputes)
    correct_contact(collector, disputed.id, ContactInput(Channel.CALL_IN, ContactOutcome.REACHED))
    assert all(d.resolved_at is not None for d in contact_state(collector, ref).disputes)
