"""Judicial referrals: the directory of recipients (commissaires de justice, avocats) and one
record per hand-over of a case to one of them, with the recipient's outcome."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from case_core.models.base import LabelledEnum, add_stored_labels, enum_field, instant_field


class RecipientKind(LabelledEnum):
    COMMISSAIRE = "commissaire"
    AVOCAT = "avocat"


add_stored_labels(
    [
        (RecipientKind.COMMISSAIRE, "Commissaire de justice"),
        (RecipientKind.AVOCAT, "Avocat"),
    ]
)


class ReferralRecipient(SQLModel, table=True):
    """Someone cases are handed over to; deactivated rather than deleted (referrals name them)."""

    __tablename__ = "referral_recipients"

    id: int | None = Field(default=None, primary_key=True)
    kind: RecipientKind = enum_field(index=True)
    name: str = Field(max_length=200, index=True)  # « Me Claire Petit »
    office: str | None = Field(default=None, max_length=300)  # étude, cabinet
    address_line1: str | None = Field(default=None, max_length=300)
    address_line2: str | None = Field(default=None, max_length=300)
    postcode: str | None = Field(default=None, max_length=10)
    city: str | None = Field(default=None, max_length=150)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=20)  # E.164
    active: bool = Field(default=True, index=True)
    created_at: datetime = instant_field(default_now=True)
    updated_at: datetime = instant_field(default_now=True)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    version: int = Field(default=1)


class Referral(SQLModel, table=True):
    """One hand-over of a case: to whom, when, by whom, with which dossier; then the outcome."""

    __tablename__ = "referrals"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    recipient_id: int = Field(foreign_key="referral_recipients.id", index=True)
    recipient_reference: str | None = Field(default=None, max_length=100)
    route: str | None = Field(default=None, max_length=32)  # dossiers.route.Route, as proposed
    document_id: int | None = Field(default=None, foreign_key="documents.id")
    handed_over_at: datetime = instant_field(default_now=True)
    handed_over_by_id: int = Field(foreign_key="users.id")
    note: str | None = Field(default=None, max_length=2000)
    title_obtained: bool = Field(default=False)
    title_on: date | None = Field(default=None)
    recovered_cents: int = Field(default=0, sa_type=BigInteger)
    closed: bool = Field(default=False)
    closed_on: date | None = Field(default=None)
    outcome_note: str | None = Field(default=None, max_length=2000)
    updated_at: datetime = instant_field(default_now=True)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    version: int = Field(default=1)
