"""The debtor communication log, promises to pay and disputes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from case_core.models.base import (
    LabelledEnum,
    add_stored_labels,
    cents_field,
    enum_field,
    instant_field,
)


class Channel(LabelledEnum):
    CALL_OUT = "call_out"
    CALL_IN = "call_in"
    EMAIL_OUT = "email_out"
    EMAIL_IN = "email_in"
    LETTER = "letter"
    REGISTERED_LETTER = "registered_letter"
    SMS = "sms"
    VISIT = "visit"
    MEETING = "meeting"


class PersonReached(LabelledEnum):
    DEBTOR = "debtor"
    REPRESENTATIVE = "representative"
    THIRD_PARTY = "third_party"
    NOBODY = "nobody"


class ContactOutcome(LabelledEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"
    WRONG_NUMBER = "wrong_number"
    REFUSED = "refused"
    DISPUTE = "dispute"
    PROMISE = "promise"
    PAYMENT_ANNOUNCED = "payment_announced"
    ASKED_SCHEDULE = "asked_schedule"
    ASKED_MEDIATION = "asked_mediation"
    SENT = "sent"  # a letter or an e-mail that went out, with no answer to record yet


class DisputeCategory(LabelledEnum):
    AMOUNT = "amount"
    QUALITY = "quality"
    NOT_RECEIVED = "not_received"
    ALREADY_PAID = "already_paid"
    OTHER = "other"


add_stored_labels(
    [
        (Channel.CALL_OUT, "Appel sortant"),
        (Channel.CALL_IN, "Appel entrant"),
        (Channel.EMAIL_OUT, "E-mail envoyé"),
        (Channel.EMAIL_IN, "E-mail reçu"),
        (Channel.LETTER, "Courrier"),
        (Channel.REGISTERED_LETTER, "Lettre recommandée AR"),
        (Channel.SMS, "SMS"),
        (Channel.VISIT, "Visite"),
        (Channel.MEETING, "Rendez-vous"),
        (PersonReached.DEBTOR, "Débiteur"),
        (PersonReached.REPRESENTATIVE, "Représentant"),
        (PersonReached.THIRD_PARTY, "Tiers"),
        (PersonReached.NOBODY, "Aucun interlocuteur (personne n'a été jointe)"),
        (ContactOutcome.REACHED, "Joint"),
        (ContactOutcome.NO_ANSWER, "Pas de réponse"),
        (ContactOutcome.VOICEMAIL, "Messagerie"),
        (ContactOutcome.WRONG_NUMBER, "Faux numéro"),
        (ContactOutcome.REFUSED, "Refus de payer"),
        (ContactOutcome.DISPUTE, "Contestation"),
        (ContactOutcome.PROMISE, "Promesse de paiement"),
        (ContactOutcome.PAYMENT_ANNOUNCED, "Paiement annoncé"),
        (ContactOutcome.ASKED_SCHEDULE, "Demande d'échéancier"),
        (ContactOutcome.ASKED_MEDIATION, "Demande de médiation"),
        (ContactOutcome.SENT, "Envoyé"),
        (DisputeCategory.AMOUNT, "Montant"),
        (DisputeCategory.QUALITY, "Qualité"),
        (DisputeCategory.NOT_RECEIVED, "Non reçu"),
        (DisputeCategory.ALREADY_PAID, "Déjà payé"),
        (DisputeCategory.OTHER, "Autre"),
    ]
)


class ContactEvent(SQLModel, table=True):
    """One contact; never edited: a correction is a new row pointing at the one it corrects."""

    __tablename__ = "contact_events"
    __table_args__ = (Index("ix_contact_events_case_time", "case_id", "occurred_at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    occurred_at: datetime = instant_field(default_now=True)
    author_id: int = Field(foreign_key="users.id", index=True)
    channel: Channel = enum_field()
    person_reached: PersonReached = enum_field(default=PersonReached.DEBTOR)
    outcome: ContactOutcome = enum_field()
    note: str | None = Field(default=None, max_length=4000)
    registered_letter_number: str | None = Field(default=None, max_length=40)
    next_action: str | None = Field(default=None, max_length=500)
    next_action_date: date | None = Field(default=None)
    corrects_event_id: int | None = Field(default=None, foreign_key="contact_events.id")
    guardrail_override_reason: str | None = Field(default=None, max_length=1000)
    document_id: int | None = Field(default=None, foreign_key="documents.id")


class Promise(SQLModel, table=True):
    """A promise to pay; its status is derived from the payments recorded."""

    __tablename__ = "promises"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    contact_event_id: int | None = Field(default=None, foreign_key="contact_events.id")
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int = Field(foreign_key="users.id")
    # Set when the journal entry that recorded the promise was corrected: it no longer counts.
    cancelled_at: datetime | None = instant_field(nullable=True)


class PromiseItem(SQLModel, table=True):
    __tablename__ = "promise_items"

    id: int | None = Field(default=None, primary_key=True)
    promise_id: int = Field(foreign_key="promises.id", index=True)
    due_date: date = Field(index=True)
    amount_cents: int = cents_field()


class Dispute(SQLModel, table=True):
    """A dispute raised by the debtor; while open, reminders on the case are paused."""

    __tablename__ = "disputes"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    category: DisputeCategory = enum_field()
    raised_at: datetime = instant_field(default_now=True)
    raised_by_id: int = Field(foreign_key="users.id")
    contact_event_id: int | None = Field(default=None, foreign_key="contact_events.id")
    resolved_at: datetime | None = instant_field(nullable=True)
    resolution_note: str | None = Field(default=None, max_length=2000)
