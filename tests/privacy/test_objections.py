"""Objections to a contact channel: recorded per person with date and source; the journal
asks for an override reason to log a contact on an objected channel; Ma journée shows
« écrit uniquement » instead of suggesting a call."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from case_core.journal import contacts
from case_core.journal.contacts import ContactInput, contact_state, journal, log_contact
from case_core.journal.guardrails import GuardrailWarning, OverrideRequired
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.models import (
    AuditEvent,
    Channel,
    ContactOutcome,
    ObjectionKind,
    ObjectionSource,
    Role,
)
from case_core.privacy.objections import lift_objection, party_objections, record_objection
from case_core.worklists.my_day import ContactHint, my_day
from tests.conftest import actor_with_role
from tests.factories import case_row, make_case

TUESDAY_11H = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # within the call hours


@pytest.fixture
def collector(admin: Actor) -> Actor:
    return actor_with_role(admin, Role.COLLECTOR)


def warnings_on_logging(actor: Actor, ref: str, channel: Channel) -> list[GuardrailWarning]:
    """The guardrail warnings the journal tab shows when this contact is logged (none: the
    contact was logged)."""
    written = channel in (Channel.LETTER, Channel.EMAIL_OUT)
    outcome = ContactOutcome.SENT if written else ContactOutcome.REACHED
    try:
        log_contact(actor, ref, ContactInput(channel, outcome))
    except OverrideRequired as exc:
        return list(exc.warnings)
    return []


def _call() -> ContactInput:
    return ContactInput(Channel.CALL_OUT, ContactOutcome.NO_ANSWER)


def test_a_call_against_an_objection_needs_a_reason_and_is_audited(
    collector: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contacts, "utcnow", lambda: TUESDAY_11H)
    ref = make_case(collector).reference
    debtor_id = case_row(ref).debtor_id
    assert warnings_on_logging(collector, ref, Channel.CALL_OUT) == []

    objection = record_objection(
        collector, debtor_id, ObjectionKind.NO_CALLS, date(2026, 11, 20), ObjectionSource.LETTER
    )
    assert contact_state(collector, ref).objections == ["Plus d'appels (depuis le 20/11/2026)"]
    warnings = warnings_on_logging(collector, ref, Channel.CALL_OUT)
    assert [w.code for w in warnings] == ["objection"]
    assert "Plus d'appels" in warnings[0].message and "20/11/2026" in warnings[0].message
    assert "courrier" in warnings[0].message
    with pytest.raises(OverrideRequired):
        log_contact(collector, ref, _call())
    assert len(journal(collector, ref)) == 1  # the call logged before the objection
    # SMS and letters are not objected to; an incoming call never is.
    log_contact(collector, ref, ContactInput(Channel.SMS, ContactOutcome.REACHED))
    log_contact(collector, ref, ContactInput(Channel.CALL_IN, ContactOutcome.REACHED))
    entry = log_contact(collector, ref, _call(), override_reason="Rappel demandé par écrit")
    assert entry.guardrail_override_reason == "Rappel demandé par écrit"
    with read_session() as session:
        logged = session.exec(select(AuditEvent).where(AuditEvent.action == "contact.log")).all()
        recorded = session.exec(
            select(AuditEvent).where(AuditEvent.action == "privacy.objection")
        ).one()
        # Free text is kept beside the chain: read back as the History shows it.
        readable = audit.readable_changes(session, logged)
    assert any(
        "Rappel demandé par écrit" in json.dumps(c, ensure_ascii=False) for c in readable.values()
    )
    assert json.loads(recorded.changes)["kind"]["after"] == "no_calls"

    # The same objection twice is refused; lifted, it stops acting and stays listed.
    with pytest.raises(ValidationError, match="déjà en vigueur"):
        record_objection(
            collector, debtor_id, ObjectionKind.NO_CALLS, date(2026, 11, 21), ObjectionSource.PHONE
        )
    lift_objection(collector, objection.id, today_paris(), objection.version)
    assert warnings_on_logging(collector, ref, Channel.CALL_OUT) == []
    (listed,) = party_objections(collector, debtor_id)
    assert not listed.in_force and listed.received_on == date(2026, 11, 20)


def test_written_only_objection_closes_calls_sms_and_visits(
    collector: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contacts, "utcnow", lambda: TUESDAY_11H)
    ref = make_case(collector).reference
    record_objection(
        collector,
        case_row(ref).debtor_id,
        ObjectionKind.WRITTEN_ONLY,
        date(2026, 11, 20),
        ObjectionSource.EMAIL,
    )
    for channel in (Channel.CALL_OUT, Channel.SMS, Channel.VISIT):
        assert [w.code for w in warnings_on_logging(collector, ref, channel)] == ["objection"]
    for channel in (Channel.LETTER, Channel.EMAIL_OUT, Channel.CALL_IN):
        assert warnings_on_logging(collector, ref, channel) == []
    with pytest.raises(ValidationError, match="future"):
        record_objection(
            collector,
            case_row(ref).debtor_id,
            ObjectionKind.NO_SMS,
            today_paris() + timedelta(days=1),
            ObjectionSource.LETTER,
        )


def test_my_day_suggests_writing_to_a_debtor_who_objected_to_calls(collector: Actor) -> None:
    mine = {"assignee_id": collector.id}
    called = make_case(collector, debtor="Appel Possible", **mine).reference
    objected = make_case(collector, debtor="Opposé Appels", **mine).reference
    flagged = make_case(collector, debtor="Par Écrit", written_only=True, **mine).reference
    sms_only = make_case(collector, debtor="Pas De SMS", **mine).reference
    record_objection(
        collector,
        case_row(objected).debtor_id,
        ObjectionKind.NO_CALLS,
        date(2026, 11, 1),
        ObjectionSource.LETTER,
    )
    record_objection(
        collector,
        case_row(sms_only).debtor_id,
        ObjectionKind.NO_SMS,
        date(2026, 11, 1),
        ObjectionSource.LETTER,
    )
    hints = {r.reference: r.contact for r in my_day(collector).rows}
    assert hints == {
        called: ContactHint.CALL,
        objected: ContactHint.WRITTEN_ONLY,
        flagged: ContactHint.WRITTEN_ONLY,
        sms_only: ContactHint.CALL,
    }
    assert ContactHint.WRITTEN_ONLY.label == "écrit uniquement"
