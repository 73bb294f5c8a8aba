"""The register of the requests people make about their data (GDPR arts. 15 to 21)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from case_core.models.base import LabelledEnum, add_labels, enum_field, instant_field


class PrivacyRequestKind(LabelledEnum):
    ACCESS = "access"
    ERASURE = "erasure"
    RECTIFICATION = "rectification"
    OBJECTION = "objection"


class PrivacyRequestStatus(LabelledEnum):
    PENDING = "pending"
    DONE = "done"
    REFUSED = "refused"


add_labels(
    {
        PrivacyRequestKind.ACCESS: "Accès",
        PrivacyRequestKind.ERASURE: "Effacement",
        PrivacyRequestKind.RECTIFICATION: "Rectification",
        PrivacyRequestKind.OBJECTION: "Opposition",
        PrivacyRequestStatus.PENDING: "En attente",
        PrivacyRequestStatus.DONE: "Traitée",
        PrivacyRequestStatus.REFUSED: "Refusée",
    }
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
    version: int = Field(default=1)
