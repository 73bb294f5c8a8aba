"""« Ma journée »: the reasons, their order, and that logging a contact clears a case."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from case_core.journal import contacts
from case_core.journal.contacts import ContactInput, log_contact
from case_core.journal.promises import PromiseItemInput
from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS, today_paris
from case_core.kernel.errors import PermissionDenied
from case_core.models import AcceptanceChannel, Channel, ContactOutcome, Phase, Role, utcnow
from case_core.worklists.my_day import Reason, my_day
from tests.conftest import actor_with_role
from tests.factories import make_case


@pytest.fixture
def collector(admin: Actor) -> Actor:
    return actor_with_role(admin, Role.COLLECTOR)


def test_ma_journee_orders_by_priority_and_a_contact_clears_a_case(
    admin: Actor, collector: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = actor_with_role(admin, Role.COLLECTOR, "autre@example.fr")
    now = utcnow()
    day = today_paris() + timedelta(days=5)  # the day the list is looked at
    mine = {"assignee_id": collector.id}
    never = make_case(
        collector,
        debtor="Jamais Contacté",
        principal_cents=90_000,
        due_date=date(2026, 3, 31),
        **mine,
    ).reference
    due = make_case(
        collector, debtor="Action Due", next_action_date=day - timedelta(days=1), **mine
    ).reference
    promised = make_case(collector, debtor="Promesse Rompue", **mine).reference
    log_contact(
        collector,
        promised,
        ContactInput(
            Channel.CALL_IN,
            ContactOutcome.PROMISE,
            promise_items=[PromiseItemInput(100_00, today_paris() + timedelta(days=1))],
        ),
    )
    notice = make_case(
        collector,
        debtor="Délai Expiré",
        phase=Phase.PRE_CONTENTIEUX,
        stored={"formal_notice_deadline": day - timedelta(days=2), "last_contact_at": now},
        **mine,
    ).reference
    limitation = make_case(
        collector,
        debtor="Prescription Proche",
        stored={
            "limitation_date": day + timedelta(days=30),
            "last_contact_at": now - timedelta(days=30),
        },
        **mine,
    ).reference
    # Not on the list: another collector's, closed, contacted with nothing due.
    make_case(collector, assignee_id=other.id)
    make_case(admin, phase=Phase.CLOSED, **mine)
    make_case(
        collector, next_action_date=day + timedelta(days=3), stored={"last_contact_at": now}, **mine
    )

    page = my_day(collector, today=day)
    assert [r.reference for r in page.rows] == [due, promised, notice, limitation, never]
    assert page.total == 5
    reasons = {r.reference: r.reasons for r in page.rows}
    assert reasons[due] == [Reason.NEXT_ACTION, Reason.NEVER_CONTACTED]
    assert reasons[promised] == [Reason.BROKEN_PROMISE]
    assert reasons[notice] == [Reason.NOTICE_EXPIRED]
    assert reasons[limitation] == [Reason.NEAR_LIMITATION]
    assert reasons[never] == [Reason.NEVER_CONTACTED]
    assert page.rows[0].debtor_name == "Action Due"
    # The promise is not broken yet on the last day of grace (3 days after its date).
    before_break = my_day(collector, today=day - timedelta(days=1))
    assert promised not in [r.reference for r in before_break.rows]

    # Working the list on that day: each contact takes the case off it.
    noon = datetime.combine(day, time(11), PARIS).astimezone(UTC)
    monkeypatch.setattr(contacts, "utcnow", lambda: noon)
    log_contact(
        collector,
        due,
        ContactInput(
            Channel.EMAIL_OUT,
            ContactOutcome.REACHED,
            next_action="Relancer",
            next_action_date=day + timedelta(days=7),
        ),
    )
    log_contact(collector, promised, ContactInput(Channel.EMAIL_OUT, ContactOutcome.REACHED))
    log_contact(collector, notice, ContactInput(Channel.LETTER, ContactOutcome.REACHED))
    log_contact(collector, limitation, ContactInput(Channel.LETTER, ContactOutcome.REACHED))
    assert [r.reference for r in my_day(collector, today=day).rows] == [never]


def test_pagination(collector: Actor) -> None:
    refs = [
        make_case(
            collector,
            assignee_id=collector.id,
            principal_cents=(i + 1) * 10000,
            due_date=date(2026, 3, 31),
        ).reference
        for i in range(5)
    ]
    first = my_day(collector, page=1, page_size=2)
    third = my_day(collector, page=3, page_size=2)
    assert first.total == 5 and first.pages == 3
    # Same reason: the largest balance first.
    assert [r.reference for r in first.rows] == [refs[4], refs[3]]
    assert [r.reference for r in third.rows] == [refs[0]]


def test_managers_see_any_collectors_day_collectors_only_their_own(
    admin: Actor, collector: Actor
) -> None:
    manager = actor_with_role(admin, Role.MANAGER)
    ref = make_case(collector, assignee_id=collector.id).reference
    assert [r.reference for r in my_day(manager, collector_id=collector.id).rows] == [ref]
    assert my_day(manager).rows == []
    other = actor_with_role(admin, Role.COLLECTOR, "autre@example.fr")
    with pytest.raises(PermissionDenied):
        my_day(other, collector_id=collector.id)


def test_missed_instalment_of_an_active_plan_is_listed_until_a_contact(
    admin: Actor, collector: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from case_core.models import Frequency
    from case_core.plans import service as plans
    from case_core.plans.service import Proposal
    from tests.factories import NO_INTEREST, pay, reverse

    ref = make_case(
        admin, assignee_id=collector.id, **NO_INTEREST, principal_cents=120_000
    ).reference
    plan = plans.propose_plan(
        admin,
        ref,
        Proposal(
            basis_date=date(2025, 12, 1),
            first_due_date=date(2026, 1, 5),
            frequency=Frequency.MONTHLY,
            count=12,
        ),
    )
    plans.accept_plan(
        admin,
        plan.id,
        expected_version=plan.version,
        accepted_on=date(2025, 12, 3),
        accepted_by="Jeanne Dupont",
        channel=AcceptanceChannel.PHONE,
        today=date(2025, 12, 3),
    )
    day = date(2026, 1, 30)
    (row,) = my_day(collector, today=day).rows
    assert row.reasons == [Reason.MISSED_INSTALMENT, Reason.NEVER_CONTACTED]
    # Once the January instalment is paid, nothing is missed.
    paid = pay(admin, ref, date(2026, 1, 6), 100_00).id
    assert my_day(collector, today=day).rows[0].reasons == [Reason.NEVER_CONTACTED]
    # Reversed (cheque bounced): missed again.
    reverse(admin, paid, date(2026, 1, 7))
    assert Reason.MISSED_INSTALMENT in my_day(collector, today=day).rows[0].reasons
    monkeypatch.setattr(contacts, "utcnow", lambda: datetime(2026, 1, 30, 10, 0, tzinfo=UTC))
    log_contact(collector, ref, ContactInput(Channel.LETTER, ContactOutcome.REACHED))
    assert my_day(collector, today=day).rows == []
