"""The register of the requests people make about their data (GDPR arts. 15 to 21)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from case_core.models.base import LabelledEnum, add_stored_labels, enum_field, instant_field


class PrivacyRequestKind(LabelledEnum):
    ACCESS = "access"
    ERASURE = "erasure"
    RECTIFICATION = "rectification"
    OBJECTION = "objection"


class PrivacyRequestStatus(LabelledEnum):
    PENDING = "pending"
    DONE = "done"
    REFUSED = "refused"


add_stored_labels(
    [
        (PrivacyRequestKind.ACCESS, "Accès"),
        (PrivacyRequestKind.ERASURE, "Effacement"),
        (PrivacyRequestKind.RECTIFICATION, "Rectification"),
        (PrivacyRequestKind.OBJECTION, "Opposition"),
        (PrivacyRequestStatus.PENDING, "En attente"),
        (PrivacyRequestStatus.DONE, "Traitée"),
        (PrivacyRequestStatus.REFUSED, "Refusée"),
    ]
)


class PrivacyRequest(SQLModel, table=True):
    """One request and its answer; kept as the proof that it was answered in time."""

    __tablename__ = "privacy_requests"

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="parties.id", index=True)
    kind: PrivacyRequestKind = enum_field(index=True)
    received_on: date
    details: str | None = Field(default=None, max_length=2000)
    status: PrivacyRequestStatus = enum_field(default=PrivacyRequestStatus.PENDING, index=True)
    answer: str | None = Field(default=None, max_length=4000)
    answered_on: date | None = Field(default=None)
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    answered_by_id: int | None = Field(default=None, foreign_key="users.id")
    # The answer letter (privacy.answer_letter), filed on the person's latest case.
    letter_document_id: int | None = Field(default=None, foreign_key="documents.id")
    version: int = Field(default=1)


class ObjectionKind(LabelledEnum):
    """What a person objected to (GDPR art. 21): the channels of contact they refuse."""

    NO_CALLS = "no_calls"
    WRITTEN_ONLY = "written_only"
    NO_SMS = "no_sms"
    NO_EMAIL = "no_email"


class ObjectionSource(LabelledEnum):
    """How the objection reached us."""

    LETTER = "letter"
    EMAIL = "email"
    PHONE = "phone"
    IN_PERSON = "in_person"
    PRIVACY_REQUEST = "privacy_request"


add_stored_labels(
    [
        (ObjectionKind.NO_CALLS, "Plus d'appels"),
        (ObjectionKind.WRITTEN_ONLY, "Écrit uniquement"),
        (ObjectionKind.NO_SMS, "Plus de SMS"),
        (ObjectionKind.NO_EMAIL, "Plus d'e-mails"),
        (ObjectionSource.LETTER, "Courrier"),
        (ObjectionSource.EMAIL, "E-mail"),
        (ObjectionSource.PHONE, "Téléphone"),
        (ObjectionSource.IN_PERSON, "En personne"),
        (ObjectionSource.PRIVACY_REQUEST, "Demande RGPD enregistrée"),
    ]
)


class ContactObjection(SQLModel, table=True):
    """One objection to a contact channel, from the day it was received until it is lifted
    (the person withdraws it); kept afterwards as the record of what was respected when."""

    __tablename__ = "contact_objections"

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="parties.id", index=True)
    kind: ObjectionKind = enum_field()
    received_on: date
    source: ObjectionSource = enum_field()
    privacy_request_id: int | None = Field(default=None, foreign_key="privacy_requests.id")
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    lifted_on: date | None = Field(default=None)
    lifted_by_id: int | None = Field(default=None, foreign_key="users.id")
    version: int = Field(default=1)
