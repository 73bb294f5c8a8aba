"""Mediation sessions and agreements. Session notes are confidential (never in a dossier)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from case_core.models.base import enum_field, instant_field
from case_core.models.enums import MediationOutcome


class MediationSession(SQLModel, table=True):
    __tablename__ = "mediation_sessions"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    mediator_id: int = Field(foreign_key="users.id", index=True)
    held_at: datetime = instant_field()
    mode: str = Field(default="visio", max_length=40)
    participants: str | None = Field(default=None, max_length=2000)
    confidential_notes: str | None = Field(default=None)
    outcome: MediationOutcome | None = enum_field(default=None, nullable=True)
    created_at: datetime = instant_field(default_now=True)


class MediationAgreement(SQLModel, table=True):
    __tablename__ = "mediation_agreements"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="mediation_sessions.id")
    signed_on: date
    amount_cents: int
    terms: str = Field(default="")
    plan_id: int | None = Field(default=None, foreign_key="instalment_plans.id")
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int = Field(foreign_key="users.id")
