"""Parties: creditors and debtors, natural persons or companies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event
from sqlmodel import Field, SQLModel

from case_core.models.base import LabelledEnum, add_stored_labels, enum_field, instant_field
from case_core.models.sealed import SealedString, iban_digest


class PartyKind(LabelledEnum):
    PERSON = "person"
    COMPANY = "company"


add_stored_labels(
    [
        (PartyKind.PERSON, "Personne physique"),
        (PartyKind.COMPANY, "Personne morale"),
    ]
)


class Party(SQLModel, table=True):
    __tablename__ = "parties"

    id: int | None = Field(default=None, primary_key=True)
    kind: PartyKind = enum_field(index=True)
    # For a company, the legal name (raison sociale); for a person, "NOM Prénom".
    display_name: str = Field(max_length=300, index=True)
    first_name: str | None = Field(default=None, max_length=150)
    last_name: str | None = Field(default=None, max_length=150)
    company_name: str | None = Field(default=None, max_length=300)
    siren: str | None = Field(default=None, max_length=9, index=True)
    siret: str | None = Field(default=None, max_length=14, index=True)
    vat_number: str | None = Field(default=None, max_length=20)
    address_line1: str | None = Field(default=None, max_length=300)
    address_line2: str | None = Field(default=None, max_length=300)
    postcode: str | None = Field(default=None, max_length=10, index=True)
    city: str | None = Field(default=None, max_length=150)
    country: str = Field(default="FR", max_length=2)
    email: str | None = Field(default=None, max_length=254, index=True)
    email_alt: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=20, index=True)  # E.164
    phone_alt: str | None = Field(default=None, max_length=20)
    # Encrypted at rest when CASEDESK_DATA_KEY is set (models.sealed), read plain: never
    # compare them in SQL, match on iban_digest.
    iban: str | None = Field(default=None, sa_type=SealedString(400))
    bic: str | None = Field(default=None, sa_type=SealedString(400))
    # Keyed hash of the normalised IBAN, kept in step with `iban` (the listener below).
    iban_digest: str | None = Field(default=None, max_length=64, index=True)
    # Who acts for a company (its legal representative) and in what quality (gérant…).
    representative_name: str | None = Field(default=None, max_length=200)
    representative_role: str | None = Field(default=None, max_length=150)
    # The debtor asked to be contacted in writing only (contact guardrail).
    written_contact_only: bool = Field(default=False)
    created_at: datetime = instant_field(default_now=True)
    version: int = Field(default=1)


@event.listens_for(Party, "before_insert")
@event.listens_for(Party, "before_update")
def _keep_digest(_mapper: object, _connection: object, target: Party) -> None:
    # At flush (SQLModel's constructor sets attributes without the ORM's set events).
    target.iban_digest = iban_digest(target.iban)
