"""The communication log, disputes and contact guardrails, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from case_core.journal import contacts, guardrails
from case_core.journal.contacts import (
    ContactInput,
    contact_state,
    correct_contact,
    journal,
    log_contact,
    resolve_dispute,
    set_written_contact_only,
)
from case_core.journal.guardrails import OverrideRequired
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, PermissionDenied, ValidationError
from case_core.kernel.settings import set_settings
from case_core.models import (
    AuditEvent,
    Channel,
    ContactEvent,
    ContactOutcome,
    DisputeCategory,
    PersonReached,
    Role,
)
from tests.conftest import actor_with_role
from tests.factories import case_row, make_case

# A Tuesday at 11:00 in Paris (10:00 UTC in winter): inside the allowed call hours.
TUESDAY_11H = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
def collector(admin: Actor) -> Actor:
    return actor_with_role(admin, Role.COLLECTOR)


@pytest.fixture
def at_tuesday_11h(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(contacts, "utcnow", lambda: TUESDAY_11H)
    return TUESDAY_11H


def call(outcome: ContactOutcome = ContactOutcome.NO_ANSWER, **kw: object) -> ContactInput:
    return ContactInput(channel=Channel.CALL_OUT, outcome=outcome, **kw)  # type: ignore[arg-type]


def test_log_contact_sets_author_instant_next_action_and_audits(
    collector: Actor, at_tuesday_11h: datetime
) -> None:
    ref = make_case(collector, assignee_id=collector.id).reference
    version = case_row(ref).version
    view = log_contact(
        collector,
        ref,
        call(
            ContactOutcome.REACHED,
            note="Le gérant rappelle demain",
            next_action="Rappeler le gérant",
            next_action_date=date(2026, 11, 25),
        ),
    )
    assert view.author == collector.full_name and view.author_id == collector.id
    assert view.occurred_at == at_tuesday_11h
    case = case_row(ref)
    assert case.last_contact_at == at_tuesday_11h
    assert case.next_action_date == date(2026, 11, 25)
    assert case.next_action_note == "Rappeler le gérant"
    assert case.version == version + 1 and case.updated_by_id == collector.id
    with read_session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "contact.log")).one()
        changes = audit.readable_changes(session, [event])[event.id or 0]
    assert changes["note"]["after"] == "Le gérant rappelle demain"
    assert "Le gérant rappelle demain" not in event.changes
    assert changes["next_action_date"] == {"before": None, "after": "2026-11-25"}


def test_bad_input_is_refused_and_writes_nothing(collector: Actor) -> None:
    ref = make_case(collector).reference
    with pytest.raises(ValidationError) as exc:
        log_contact(collector, ref, ContactInput(Channel.REGISTERED_LETTER, ContactOutcome.REACHED))
    assert "recommandée" in exc.value.errors["registered_letter_number"]
    with pytest.raises(ValidationError) as exc:
        log_contact(collector, ref, ContactInput(Channel.CALL_IN, ContactOutcome.DISPUTE))
    assert "dispute_category" in exc.value.errors
    with pytest.raises(ValidationError):
        log_contact(collector, ref, ContactInput(Channel.CALL_IN, ContactOutcome.PROMISE))
    with pytest.raises(NotFound):
        log_contact(collector, "2026-999999", ContactInput(Channel.SMS, ContactOutcome.REACHED))
    assert journal(collector, ref) == []
    assert case_row(ref).last_contact_at is None


def test_viewer_cannot_log(admin: Actor) -> None:
    ref = make_case(admin).reference
    viewer = actor_with_role(admin, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        log_contact(viewer, ref, ContactInput(Channel.SMS, ContactOutcome.REACHED))


def test_registered_letter_keeps_its_ar_number(collector: Actor) -> None:
    ref = make_case(collector).reference
    log_contact(
        collector,
        ref,
        ContactInput(
            Channel.REGISTERED_LETTER,
            ContactOutcome.REACHED,
            registered_letter_number=" 1A 123 456 7890 1 ",
        ),
    )
    assert journal(collector, ref)[0].registered_letter_number == "1A 123 456 7890 1"


def test_correction_is_a_new_entry_and_the_original_stays(
    collector: Actor, admin: Actor, at_tuesday_11h: datetime
) -> None:
    ref = make_case(collector).reference
    first = log_contact(collector, ref, call(ContactOutcome.REACHED, note="Joint, refuse"))
    fixed = correct_contact(
        admin, first.id, call(ContactOutcome.REFUSED, note="Refus de payer (correction)")
    )
    entries = journal(collector, ref)
    assert [e.id for e in entries] == [fixed.id, first.id]  # newest first
    assert entries[0].corrects_event_id == first.id
    assert entries[1].corrected_by_event_id == fixed.id and entries[1].corrected
    assert entries[1].note == "Joint, refuse"  # never rewritten
    with read_session() as session:
        assert len(session.exec(select(ContactEvent)).all()) == 2
    with pytest.raises(ValidationError, match="déjà été corrigée"):
        correct_contact(admin, first.id, call(ContactOutcome.REFUSED))


def test_journal_filters_by_channel_and_author(collector: Actor, admin: Actor) -> None:
    ref = make_case(collector).reference
    log_contact(collector, ref, ContactInput(Channel.SMS, ContactOutcome.REACHED))
    log_contact(admin, ref, ContactInput(Channel.EMAIL_OUT, ContactOutcome.REACHED))
    assert [e.channel for e in journal(collector, ref, channel=Channel.SMS)] == [Channel.SMS]
    by_admin = journal(collector, ref, author_id=admin.id)
    assert [e.author for e in by_admin] == ["Alice Admin"]
    assert contacts.journal_authors(collector, ref) == {
        collector.id: collector.full_name,
        admin.id: "Alice Admin",
    }


def test_dispute_pauses_reminders_until_resolved_amounts_stay(collector: Actor) -> None:
    ref = make_case(collector, principal_cents=50_000, due_date=date(2026, 3, 31)).reference
    log_contact(
        collector,
        ref,
        ContactInput(
            Channel.CALL_IN,
            ContactOutcome.DISPUTE,
            dispute_category=DisputeCategory.QUALITY,
            note="Travaux mal faits selon le client",
        ),
    )
    state = contact_state(collector, ref)
    assert state.reminders_paused
    assert state.disputes[0].category == DisputeCategory.QUALITY
    assert case_row(ref).balance_cents == 500_00
    with pytest.raises(ValidationError):
        resolve_dispute(collector, state.disputes[0].id, "  ")
    resolved = resolve_dispute(collector, state.disputes[0].id, "Avoir refusé, facture due")
    assert not resolved.open
    assert not contact_state(collector, ref).reminders_paused
    with pytest.raises(ValidationError, match="déjà résolue"):
        resolve_dispute(collector, state.disputes[0].id, "encore")


def warnings_on_logging(
    actor: Actor, ref: str, channel: Channel, at: datetime, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """The guardrail warnings the journal tab shows when the user logs this contact at `at`
    (none: the contact was logged)."""
    monkeypatch.setattr(contacts, "utcnow", lambda: at)
    outcome = ContactOutcome.SENT if channel == Channel.LETTER else ContactOutcome.REACHED
    try:
        log_contact(actor, ref, ContactInput(channel, outcome))
    except OverrideRequired as exc:
        return [w.code for w in exc.warnings]
    return []


def test_call_hours_warning(collector: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    ref = make_case(collector).reference
    paris_saturday = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    lunch = datetime(2026, 11, 24, 12, 30, tzinfo=UTC)  # 13:30 in Paris
    evening = datetime(2026, 11, 24, 19, 30, tzinfo=UTC)  # 20:30 in Paris
    christmas = datetime(2026, 12, 25, 10, 0, tzinfo=UTC)
    for at in (paris_saturday, lunch, evening, christmas):
        codes = warnings_on_logging(collector, ref, Channel.CALL_OUT, at, monkeypatch)
        assert codes == ["call_hours"], at
    assert warnings_on_logging(collector, ref, Channel.CALL_OUT, TUESDAY_11H, monkeypatch) == []
    # Letters and incoming calls are never limited by the hours.
    assert warnings_on_logging(collector, ref, Channel.LETTER, paris_saturday, monkeypatch) == []
    assert warnings_on_logging(collector, ref, Channel.CALL_IN, evening, monkeypatch) == []
    assert len(journal(collector, ref)) == 3


def test_call_hours_are_a_setting(admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    ref = make_case(admin).reference
    evening = datetime(2026, 11, 24, 19, 30, tzinfo=UTC)  # 20:30 in Paris, a Tuesday
    set_settings(admin, {guardrails.CALL_HOURS: "09:00-21:00"})
    assert warnings_on_logging(admin, ref, Channel.CALL_OUT, evening, monkeypatch) == []
    set_settings(admin, {guardrails.CALL_DAYS: "lundi, mercredi"})
    codes = warnings_on_logging(admin, ref, Channel.CALL_OUT, evening, monkeypatch)
    assert codes == ["call_hours"]


def test_fifth_call_attempt_needs_a_reason_which_is_logged(
    collector: Actor, at_tuesday_11h: datetime
) -> None:
    ref = make_case(collector).reference
    for _ in range(4):
        log_contact(collector, ref, call())
    with pytest.raises(OverrideRequired) as exc:
        log_contact(collector, ref, call())
    assert [w.code for w in exc.value.warnings] == ["call_attempts"]
    assert "4 tentatives" in exc.value.message
    assert len(journal(collector, ref)) == 4
    view = log_contact(collector, ref, call(), override_reason="Le débiteur a demandé un rappel")
    assert view.guardrail_override_reason == "Le débiteur a demandé un rappel"
    assert journal(collector, ref)[0].guardrail_override_reason == view.guardrail_override_reason
    with read_session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.entity_id == str(view.id))).one()
        readable = json.dumps(audit.readable_changes(session, [event]), ensure_ascii=False)
    assert "Le débiteur a demandé un rappel" in readable


def test_call_attempts_are_counted_over_thirty_days(
    collector: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = make_case(collector).reference
    monkeypatch.setattr(contacts, "utcnow", lambda: TUESDAY_11H - timedelta(days=35))
    for _ in range(4):
        log_contact(collector, ref, call(), override_reason="hors plage acceptée")
    assert warnings_on_logging(collector, ref, Channel.CALL_OUT, TUESDAY_11H, monkeypatch) == []


def test_written_only_debtor_warns_on_calls_not_on_letters(
    collector: Actor, at_tuesday_11h: datetime
) -> None:
    ref = make_case(collector).reference
    set_written_contact_only(collector, ref, True)
    assert contact_state(collector, ref).written_contact_only
    with pytest.raises(OverrideRequired) as exc:
        log_contact(collector, ref, call())
    assert [w.code for w in exc.value.warnings] == ["written_only"]
    with pytest.raises(OverrideRequired):
        log_contact(collector, ref, ContactInput(Channel.SMS, ContactOutcome.REACHED))
    log_contact(collector, ref, ContactInput(Channel.LETTER, ContactOutcome.REACHED))
    log_contact(collector, ref, call(), override_reason="Urgence : rappel demandé par écrit")
    assert len(journal(collector, ref)) == 2
    with read_session() as session:
        audit_row = session.exec(
            select(AuditEvent).where(AuditEvent.action == "party.written_contact_only")
        ).one()
    assert json.loads(audit_row.changes)["written_contact_only"] == {
        "before": False,
        "after": True,
    }


def test_contact_with_nobody_reached_still_counts_as_contact(
    collector: Actor, at_tuesday_11h: datetime
) -> None:
    ref = make_case(collector, next_action_date=date(2026, 11, 20)).reference
    log_contact(collector, ref, call(person_reached=PersonReached.NOBODY))
    case = case_row(ref)
    assert case.last_contact_at == at_tuesday_11h
    # The action that was due is done; none is planned after it.
    assert case.next_action_date is None


def test_unusable_guardrail_settings_are_refused() -> None:
    guardrails.validate_setting(guardrails.CALL_HOURS, "09:00-12:00, 13:30-19:00")
    with pytest.raises(ValidationError, match="illisible"):
        guardrails.validate_setting(guardrails.CALL_HOURS, "9h-12h")
    with pytest.raises(ValidationError, match="vide"):
        guardrails.validate_setting(guardrails.CALL_HOURS, "14:00-10:00")
    with pytest.raises(ValidationError, match="inconnu"):
        guardrails.validate_setting(guardrails.CALL_DAYS, "lundi, funday")
    with pytest.raises(ValidationError):
        guardrails.validate_setting(guardrails.MAX_CALL_ATTEMPTS, 0)


def test_attachment_is_stored_as_a_case_document(collector: Actor) -> None:
    from case_core.cases.attachments import case_documents

    ref = make_case(collector).reference
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    view = log_contact(
        collector,
        ref,
        ContactInput(Channel.EMAIL_IN, ContactOutcome.REACHED, attachment=("avis.pdf", pdf)),
    )
    (doc,) = case_documents(collector, ref)
    assert doc.filename == "avis.pdf" and view.document_id == doc.id
    with pytest.raises(ValidationError):
        log_contact(
            collector,
            ref,
            ContactInput(
                Channel.EMAIL_IN, ContactOutcome.REACHED, attachment=("virus.exe", b"MZ\x90")
            ),
        )
    assert len(journal(collector, ref)) == 1
