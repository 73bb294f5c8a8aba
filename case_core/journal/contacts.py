"""The debtor communication log: contacts, corrections, disputes.

Entries are evidence: never edited nor deleted. A correction is a new entry pointing at
the one it corrects. The author and the instant are always set here, never typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from case_core.cases.change import case_of, change_case
from case_core.cases.loading import get_case
from case_core.documents.store import store_document
from case_core.journal.guardrails import OverrideRequired, objections_in_force, warnings_for
from case_core.journal.promises import PromiseItemInput, create_promise, parse_item_rows
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_instant, paris_instant
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import current
from case_core.models import (
    Case,
    Channel,
    ContactEvent,
    ContactOutcome,
    Dispute,
    DisputeCategory,
    DocumentKind,
    ObjectionKind,
    Party,
    PersonReached,
    Promise,
    User,
    utcnow,
)


@dataclass(frozen=True)
class ContactInput:
    channel: Channel
    outcome: ContactOutcome
    person_reached: PersonReached = PersonReached.DEBTOR
    note: str | None = None
    registered_letter_number: str | None = None
    next_action: str | None = None
    next_action_date: date | None = None
    dispute_category: DisputeCategory | None = None
    promise_items: Sequence[PromiseItemInput] = ()
    # (file name, bytes), stored through the documents service.
    attachment: tuple[str, bytes] | None = None
    # When the contact took place (a call logged an hour later); None: now, or for a
    # correction the corrected entry's instant.
    occurred_at: datetime | None = None

    @classmethod
    def from_form(
        cls,
        channel: Channel,
        outcome: ContactOutcome,
        person_reached: PersonReached,
        *,
        note: str | None = None,
        registered_letter_number: str | None = None,
        next_action: str | None = None,
        next_action_date: date | None = None,
        dispute_category: DisputeCategory | None = None,
        promised: Iterable[tuple[object, object]] = (),
        attachment: tuple[str, bytes] | None = None,
        occurred_on: date | None = None,
        occurred_time: time | None = None,
    ) -> ContactInput:
        """What a form sends: every field is shown, only those the outcome uses count (a
        dispute's category, a promise's rows of amount and date). The contact's day and
        time are Paris wall-clock time; both or neither."""
        outcome = ContactOutcome(outcome)
        if (occurred_on is None) != (occurred_time is None):
            raise ValidationError(
                {"occurred_at": "Indiquez la date et l'heure du contact, ou aucune des deux."}
            )
        return cls(
            channel=Channel(channel),
            outcome=outcome,
            person_reached=PersonReached(person_reached),
            note=note,
            registered_letter_number=registered_letter_number,
            next_action=next_action,
            next_action_date=next_action_date,
            dispute_category=(
                DisputeCategory(dispute_category)
                if outcome == ContactOutcome.DISPUTE and dispute_category is not None
                else None
            ),
            promise_items=parse_item_rows(promised) if outcome == ContactOutcome.PROMISE else (),
            attachment=attachment,
            occurred_at=(
                paris_instant(occurred_on, occurred_time)
                if occurred_on is not None and occurred_time is not None
                else None
            ),
        )


@dataclass(frozen=True)
class ContactView:
    id: int
    case_id: int
    occurred_at: datetime
    author_id: int
    author: str
    channel: Channel
    person_reached: PersonReached
    outcome: ContactOutcome
    note: str | None
    registered_letter_number: str | None
    next_action: str | None
    next_action_date: date | None
    corrects_event_id: int | None
    corrected_by_event_id: int | None
    guardrail_override_reason: str | None
    document_id: int | None

    @property
    def corrected(self) -> bool:
        return self.corrected_by_event_id is not None


@dataclass(frozen=True)
class DisputeView:
    id: int
    case_id: int
    category: DisputeCategory
    raised_at: datetime
    raised_by: str
    resolved_at: datetime | None
    resolution_note: str | None

    @property
    def open(self) -> bool:
        return self.resolved_at is None


@dataclass(frozen=True)
class ContactState:
    """What the journal tab needs to know about a case before logging a contact."""

    reference: str
    debtor_name: str
    written_contact_only: bool
    disputes: list[DisputeView] = field(default_factory=list)
    # The objections to a channel in force (GDPR art. 21), as the tab shows them.
    objections: list[str] = field(default_factory=list)

    @property
    def reminders_paused(self) -> bool:
        return any(d.open for d in self.disputes)


def reminders_paused(session: Session, case: Case) -> bool:
    """True while a dispute raised on the case is not resolved."""
    return (
        session.exec(
            select(Dispute.id).where(Dispute.case_id == case.id, Dispute.resolved_at.is_(None))  # type: ignore[union-attr]
        ).first()
        is not None
    )


def _clean(text: str | None, limit: int, field_name: str, label: str) -> str | None:
    text = (text or "").strip()
    if len(text) > limit:
        raise ValidationError({field_name: f"{label} : {limit} caractères au plus."})
    return text or None


def _validate(data: ContactInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    try:
        channel = Channel(data.channel)
        outcome = ContactOutcome(data.outcome)
        person = PersonReached(data.person_reached)
    except ValueError:
        raise ValidationError("Canal, interlocuteur ou résultat inconnu.") from None
    ar_number = _clean(data.registered_letter_number, 40, "registered_letter_number", "N° AR")
    if channel == Channel.REGISTERED_LETTER and not ar_number:
        errors["registered_letter_number"] = "Le numéro de la lettre recommandée AR est requis."
    if outcome == ContactOutcome.DISPUTE and data.dispute_category is None:
        errors["dispute_category"] = "Indiquez le motif de la contestation."
    if outcome == ContactOutcome.PROMISE and not data.promise_items:
        errors["promise"] = "Indiquez le montant et la date du ou des paiements promis."
    if outcome != ContactOutcome.PROMISE and data.promise_items:
        errors["promise"] = "Un échéancier promis n'a de sens qu'avec le résultat « Promesse »."
    next_action = _clean(data.next_action, 500, "next_action", "Prochaine action")
    if next_action and data.next_action_date is None:
        errors["next_action_date"] = "Indiquez la date de la prochaine action."
    if errors:
        raise ValidationError(errors)
    return {
        "channel": channel,
        "outcome": outcome,
        "person_reached": person,
        "note": _clean(data.note, 4000, "note", "Note"),
        "registered_letter_number": ar_number,
        "next_action": next_action,
    }


def _store_attachment(
    session: Session, actor: Actor, case: Case, attachment: tuple[str, bytes]
) -> int | None:
    filename, content = attachment
    document = store_document(session, actor, case, filename, content, DocumentKind.OTHER)
    return document.id


# A time typed to the minute, or a clock a little ahead, is not « in the future ».
CLOCK_TOLERANCE = timedelta(minutes=2)


def _occurred_at(
    data: ContactInput, case: Case, corrects: ContactEvent | None, now: datetime
) -> datetime:
    """When the contact took place: as typed, never in the future nor before the case
    existed; by default now (a correction keeps the corrected entry's instant)."""
    if data.occurred_at is None:
        return corrects.occurred_at if corrects is not None else now
    occurred_at = data.occurred_at
    if occurred_at > now + CLOCK_TOLERANCE:
        raise ValidationError(
            {"occurred_at": "La date et l'heure du contact ne peuvent pas être dans le futur."}
        )
    if occurred_at < case.created_at:
        raise ValidationError(
            {
                "occurred_at": "Le contact ne peut pas précéder la création du dossier "
                f"(le {format_instant(case.created_at)})."
            }
        )
    return occurred_at


def write_entry(
    session: Session,
    actor: Actor,
    case: Case,
    data: ContactInput,
    *,
    override_reason: str | None = None,
    corrects: ContactEvent | None = None,
    document_id: int | None = None,
    check_guardrails: bool = True,
) -> ContactEvent:
    """Append one journal entry and its effects, in the caller's transaction."""
    clean = _validate(data)
    now = utcnow()
    occurred_at = _occurred_at(data, case, corrects, now)
    reason = _clean(override_reason, 1000, "override_reason", "Motif")
    if check_guardrails and corrects is None:
        # Judged at the contact's own time: a call at 21:30 logged the next morning.
        warnings = warnings_for(session, case, clean["channel"], occurred_at)  # type: ignore[arg-type]
        if warnings and not reason:
            raise OverrideRequired(warnings)
        if not warnings:
            reason = None
    assert actor.id is not None
    if data.attachment is not None and document_id is None:
        document_id = _store_attachment(session, actor, case, data.attachment)
    event = ContactEvent(
        case_id=case.id,  # type: ignore[arg-type]
        occurred_at=occurred_at,
        author_id=actor.id,
        next_action_date=data.next_action_date,
        corrects_event_id=corrects.id if corrects else None,
        guardrail_override_reason=reason,
        document_id=document_id,
        **clean,  # type: ignore[arg-type]
    )
    session.add(event)
    session.flush()
    uow = current(session)
    uow.name(event, "contact.correct" if corrects else "contact.log")
    uow.fold(case, into=event)
    if corrects is None and (case.last_contact_at is None or occurred_at > case.last_contact_at):
        case.last_contact_at = occurred_at
    if data.next_action_date is not None:
        case.next_action_date = data.next_action_date
        case.next_action_note = clean["next_action"]  # type: ignore[assignment]
    elif corrects is None and case.next_action_date and case.next_action_date <= now.date():
        # The action that was due is what this contact did; none is planned after it.
        case.next_action_date = None
        case.next_action_note = None
    session.add(case)
    if clean["outcome"] == ContactOutcome.DISPUTE:
        assert data.dispute_category is not None
        dispute = Dispute(
            case_id=case.id,  # type: ignore[arg-type]
            category=DisputeCategory(data.dispute_category),
            raised_at=occurred_at,
            raised_by_id=actor.id,
            contact_event_id=event.id,
        )
        session.add(dispute)
        uow.name(dispute, "dispute.open")
    if clean["outcome"] == ContactOutcome.PROMISE:
        create_promise(session, actor, case, event, data.promise_items)
    return event


def _view(event: ContactEvent, authors: dict[int, str], corrected_by: int | None) -> ContactView:
    return ContactView(
        id=event.id,  # type: ignore[arg-type]
        case_id=event.case_id,
        occurred_at=event.occurred_at,
        author_id=event.author_id,
        author=authors.get(event.author_id, ""),
        channel=Channel(event.channel),
        person_reached=PersonReached(event.person_reached),
        outcome=ContactOutcome(event.outcome),
        note=event.note,
        registered_letter_number=event.registered_letter_number,
        next_action=event.next_action,
        next_action_date=event.next_action_date,
        corrects_event_id=event.corrects_event_id,
        corrected_by_event_id=corrected_by,
        guardrail_override_reason=event.guardrail_override_reason,
        document_id=event.document_id,
    )


def log_contact(
    actor: Actor, reference: str, data: ContactInput, override_reason: str | None = None
) -> ContactView:
    """Log a contact on the case. Refused with OverrideRequired when a guardrail warns and
    no reason is given."""
    with change_case(actor, Perm.CONTACTS_LOG, reference, "contact.log") as work:
        event = write_entry(work.session, actor, work.case, data, override_reason=override_reason)
    return _view(event, {actor.id: actor.full_name}, None)  # type: ignore[dict-item]


def _withdraw_effects(session: Session, original: ContactEvent) -> None:
    """A corrected entry stops acting: its open dispute is closed and its promise no longer
    counts (the correction records whatever is true instead)."""
    now = utcnow()
    uow = current(session)
    for dispute in session.exec(
        select(Dispute).where(
            Dispute.contact_event_id == original.id,
            Dispute.resolved_at.is_(None),  # type: ignore[union-attr]
        )
    ).all():
        dispute.resolved_at = now
        dispute.resolution_note = "Entrée du journal corrigée"
        session.add(dispute)
        uow.name(dispute, "dispute.resolve")
    for promise in session.exec(
        select(Promise).where(
            Promise.contact_event_id == original.id,
            Promise.cancelled_at.is_(None),  # type: ignore[union-attr]
        )
    ).all():
        promise.cancelled_at = now
        session.add(promise)
        uow.name(promise, "promise.cancel")


def correct_contact(actor: Actor, event_id: int, data: ContactInput) -> ContactView:
    """Correct an entry by writing a new one that references it; the original stays."""
    case_id = case_of(ContactEvent, event_id, "Entrée du journal introuvable.")
    with change_case(actor, Perm.CONTACTS_LOG, None, "contact.correct", case_id=case_id) as work:
        session = work.session
        original = session.get(ContactEvent, event_id)
        assert original is not None
        already = session.exec(
            select(ContactEvent.id).where(ContactEvent.corrects_event_id == event_id)
        ).first()
        if already is not None:
            raise ValidationError(
                "Cette entrée a déjà été corrigée : corrigez la dernière correction."
            )
        _withdraw_effects(session, original)
        event = write_entry(
            session, actor, work.case, data, corrects=original, document_id=original.document_id
        )
    return _view(event, {actor.id: actor.full_name}, None)  # type: ignore[dict-item]


def journal(
    actor: Actor,
    reference: str,
    channel: Channel | None = None,
    author_id: int | None = None,
    limit: int = 500,
) -> list[ContactView]:
    """The case's journal, newest first, each entry telling which entry corrected it."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        statement = select(ContactEvent).where(ContactEvent.case_id == case.id)
        if channel is not None:
            statement = statement.where(ContactEvent.channel == Channel(channel))
        if author_id is not None:
            statement = statement.where(ContactEvent.author_id == author_id)
        events = session.exec(
            statement.order_by(
                ContactEvent.occurred_at.desc(),  # type: ignore[attr-defined]
                ContactEvent.id.desc(),  # type: ignore[union-attr]
            ).limit(limit)
        ).all()
        corrections = dict(
            session.exec(
                select(ContactEvent.corrects_event_id, ContactEvent.id).where(
                    ContactEvent.case_id == case.id,
                    ContactEvent.corrects_event_id.is_not(None),  # type: ignore[union-attr]
                )
            ).all()
        )
        authors = _user_names(session, {e.author_id for e in events})
        return [_view(e, authors, corrections.get(e.id)) for e in events]


def journal_authors(actor: Actor, reference: str) -> dict[int, str]:
    """Who wrote in the case's journal (for the author filter)."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        ids = set(
            session.exec(
                select(ContactEvent.author_id).where(ContactEvent.case_id == case.id).distinct()
            ).all()
        )
        return _user_names(session, ids)


def _user_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        u.id: u.full_name  # type: ignore[misc]
        for u in session.exec(select(User).where(User.id.in_(ids))).all()  # type: ignore[union-attr]
    }


def _dispute_views(session: Session, case_id: int) -> list[DisputeView]:
    disputes = session.exec(
        select(Dispute).where(Dispute.case_id == case_id).order_by(Dispute.id.desc())  # type: ignore[union-attr]
    ).all()
    names = _user_names(session, {d.raised_by_id for d in disputes})
    return [
        DisputeView(
            id=d.id,  # type: ignore[arg-type]
            case_id=d.case_id,
            category=DisputeCategory(d.category),
            raised_at=d.raised_at,
            raised_by=names.get(d.raised_by_id, ""),
            resolved_at=d.resolved_at,
            resolution_note=d.resolution_note,
        )
        for d in disputes
    ]


def contact_state(actor: Actor, reference: str) -> ContactState:
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        debtor = session.get(Party, case.debtor_id)
        assert debtor is not None
        return ContactState(
            reference=case.reference,
            debtor_name=debtor.display_name,
            written_contact_only=debtor.written_contact_only,
            disputes=_dispute_views(session, case.id),  # type: ignore[arg-type]
            objections=[
                f"{ObjectionKind(o.kind).label} (depuis le {o.received_on:%d/%m/%Y})"
                for o in objections_in_force(session, case.debtor_id)
            ],
        )


def resolve_dispute(actor: Actor, dispute_id: int, note: str) -> DisputeView:
    """Close a dispute with what was decided; reminders resume when none is left open."""
    require(actor, Perm.CONTACTS_LOG)
    resolution = _clean(note, 2000, "resolution_note", "Résolution")
    if not resolution:
        raise ValidationError({"resolution_note": "Indiquez comment la contestation a été réglée."})
    case_id = case_of(Dispute, dispute_id, "Contestation introuvable.")
    with change_case(actor, Perm.CONTACTS_LOG, None, "dispute.resolve", case_id=case_id) as work:
        session = work.session
        # Read after the case lock: two people resolving at once cannot both succeed.
        dispute = session.get(Dispute, dispute_id)
        assert dispute is not None
        if dispute.resolved_at is not None:
            raise ValidationError("Cette contestation est déjà résolue.")
        dispute.resolved_at = utcnow()
        dispute.resolution_note = resolution
        session.add(dispute)
        session.flush()
        views = _dispute_views(session, work.case_id)
    return next(v for v in views if v.id == dispute_id)


def set_written_contact_only(actor: Actor, reference: str, value: bool) -> None:
    """Record the debtor's request to be contacted in writing only (or its withdrawal)."""
    require(actor, Perm.CONTACTS_LOG)
    with change_case(actor, Perm.CONTACTS_LOG, reference, "party.written_contact_only") as work:
        debtor = work.uow.lock(Party, work.case.debtor_id)
        if debtor.written_contact_only != value:
            debtor.written_contact_only = value
