"""A contact has its own date and time: a call logged an hour later is stamped when it
took place, never in the future nor before the case existed; promised payments come from
a small table of amounts and dates. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from case_core.journal import contacts
from case_core.journal.contacts import ContactInput, correct_contact, journal, log_contact
from case_core.journal.promises import parse_item_rows, promises_for_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS, today_paris
from case_core.kernel.errors import ValidationError
from case_core.models import Channel, ContactOutcome, PersonReached, Role, utcnow
from tests.conftest import actor_with_role
from tests.factories import case_row, make_case


@pytest.fixture
def collector(admin: Actor) -> Actor:
    return actor_with_role(admin, Role.COLLECTOR)


def _call(**kw: object) -> ContactInput:
    return ContactInput(channel=Channel.CALL_IN, outcome=ContactOutcome.REACHED, **kw)  # type: ignore[arg-type]


def test_a_call_logged_an_hour_later_is_stamped_when_it_took_place(collector: Actor) -> None:
    ref = make_case(
        collector, assignee_id=collector.id, stored={"created_at": utcnow() - timedelta(days=3)}
    ).reference
    an_hour_ago = (utcnow() - timedelta(hours=1)).replace(microsecond=0)
    entry = log_contact(collector, ref, _call(occurred_at=an_hour_ago, note="Appel de 9 h"))
    assert entry.occurred_at == an_hour_ago
    (stored,) = journal(collector, ref)
    assert stored.occurred_at == an_hour_ago
    assert case_row(ref).last_contact_at == an_hour_ago
    # An older contact logged afterwards does not move the case's last contact back.
    log_contact(collector, ref, _call(occurred_at=an_hour_ago - timedelta(days=1)))
    assert case_row(ref).last_contact_at == an_hour_ago


def test_without_a_time_the_contact_is_now(collector: Actor) -> None:
    ref = make_case(collector, assignee_id=collector.id).reference
    before = utcnow()
    entry = log_contact(collector, ref, _call())
    assert before <= entry.occurred_at <= utcnow()


@pytest.mark.parametrize(
    ("shift", "message"),
    [
        (timedelta(hours=2), "ne peuvent pas être dans le futur"),
        (timedelta(days=-10), "ne peut pas précéder la création du dossier"),
    ],
)
def test_a_contact_in_the_future_or_before_the_case_is_refused_and_nothing_changes(
    collector: Actor, shift: timedelta, message: str
) -> None:
    ref = make_case(
        collector, assignee_id=collector.id, stored={"created_at": utcnow() - timedelta(days=3)}
    ).reference
    with pytest.raises(ValidationError) as refused:
        log_contact(collector, ref, _call(occurred_at=utcnow() + shift))
    assert message in refused.value.errors["occurred_at"]
    assert journal(collector, ref) == []
    assert case_row(ref).last_contact_at is None


def test_a_correction_keeps_the_instant_of_the_entry_it_corrects_unless_told(
    collector: Actor,
) -> None:
    ref = make_case(
        collector, assignee_id=collector.id, stored={"created_at": utcnow() - timedelta(days=3)}
    ).reference
    when = (utcnow() - timedelta(hours=5)).replace(microsecond=0)
    first = log_contact(collector, ref, _call(occurred_at=when))
    fixed = correct_contact(collector, first.id, _call(person_reached=PersonReached.THIRD_PARTY))
    assert fixed.occurred_at == when
    other = when + timedelta(hours=1)
    again = correct_contact(collector, fixed.id, _call(occurred_at=other))
    assert again.occurred_at == other


def test_the_form_reads_the_day_and_time_as_paris_wall_clock(collector: Actor) -> None:
    # 10:30 in Paris on 2 December 2026 (winter time) is 09:30 UTC.
    data = ContactInput.from_form(
        Channel.CALL_OUT,
        ContactOutcome.NO_ANSWER,
        PersonReached.NOBODY,
        occurred_on=date(2026, 12, 2),
        occurred_time=time(10, 30),
    )
    assert data.occurred_at == datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    assert data.occurred_at.astimezone(PARIS).hour == 10
    with pytest.raises(ValidationError) as refused:
        ContactInput.from_form(
            Channel.CALL_OUT,
            ContactOutcome.NO_ANSWER,
            PersonReached.NOBODY,
            occurred_on=date(2026, 12, 2),
        )
    assert "la date et l'heure" in refused.value.errors["occurred_at"]


def test_a_call_out_is_checked_against_call_hours_at_its_own_time(
    collector: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A call made at 21:30 and logged the next morning still warns (outside hours)."""
    opened = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    ref = make_case(collector, assignee_id=collector.id, stored={"created_at": opened}).reference
    # Wednesday 25 November 2026, 09:00 UTC (10:00 in Paris): inside the call hours.
    morning = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(contacts, "utcnow", lambda: morning)
    late_call = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)  # 21:30 in Paris
    with pytest.raises(contacts.OverrideRequired) as warned:
        log_contact(
            collector,
            ref,
            ContactInput(Channel.CALL_OUT, ContactOutcome.NO_ANSWER, occurred_at=late_call),
        )
    assert "21:30" in warned.value.warnings[0].message


def test_promised_payments_come_from_the_table_rows(collector: Actor) -> None:
    ref = make_case(collector, assignee_id=collector.id).reference
    later = today_paris() + timedelta(days=15)
    rows: list[tuple[object, object]] = [
        ("150,00", later),
        (None, None),  # the empty row the table offers
        ("1 000", datetime.combine(later + timedelta(days=30), time())),
    ]
    data = ContactInput.from_form(
        Channel.CALL_IN, ContactOutcome.PROMISE, PersonReached.DEBTOR, promised=rows
    )
    log_contact(collector, ref, data)
    (promise,) = promises_for_case(collector, ref)
    assert [(i.amount_cents, i.due_date) for i in promise.items] == [
        (150_00, later),
        (1_000_00, later + timedelta(days=30)),
    ]


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ([("150,00", None)], "promise_1_date", "Ligne 1 : indiquez la date promise."),
        ([(None, None), ("", date(2027, 1, 5))], "promise_2_amount", "Ligne 2 : indiquez"),
        ([("cent", date(2027, 1, 5))], "promise_1_amount", "Ligne 1 : Montant illisible"),
    ],
)
def test_a_half_filled_or_unreadable_promise_row_is_refused_with_its_line(
    rows: list[tuple[object, object]], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_item_rows(rows)
    assert refused.value.errors[field].startswith(message)
