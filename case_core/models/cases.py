"""Cases: one creditor's claims against one debtor, followed through the phases."""

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


class DebtorKind(LabelledEnum):
    CONSUMER = "consumer"
    PROFESSIONAL = "professional"


class Phase(LabelledEnum):
    AMIABLE = "amiable"
    PRE_CONTENTIEUX = "pre_contentieux"
    MEDIATION = "mediation"
    CONTENTIEUX = "contentieux"
    CLOSED = "closed"


class ClosureReason(LabelledEnum):
    PAID = "paid"
    SETTLED = "settled"
    WRITTEN_OFF = "written_off"
    REFERRED = "referred"
    DROPPED = "dropped"


add_stored_labels(
    [
        (DebtorKind.CONSUMER, "Consommateur"),
        (DebtorKind.PROFESSIONAL, "Professionnel"),
        (Phase.AMIABLE, "Amiable"),
        (Phase.PRE_CONTENTIEUX, "Pré-contentieux"),
        (Phase.MEDIATION, "Médiation"),
        (Phase.CONTENTIEUX, "Contentieux"),
        (Phase.CLOSED, "Clos"),
        (ClosureReason.PAID, "Payé"),
        (ClosureReason.SETTLED, "Transigé"),
        (ClosureReason.WRITTEN_OFF, "Passé en perte"),
        (ClosureReason.REFERRED, "Transmis (contentieux)"),
        (ClosureReason.DROPPED, "Abandonné"),
    ]
)


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_phase_balance", "phase", "balance_cents"),
        # Covers the portfolio's usual page: phase and balance filters sorted by reference.
        Index("ix_cases_phase_balance_reference", "phase", "balance_cents", "reference"),
        Index("ix_cases_assignee_next_action", "assignee_id", "next_action_date"),
        Index("ix_cases_phase_oldest_due", "phase", "oldest_due_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True, index=True)  # e.g. 2026-000123
    creditor_id: int = Field(foreign_key="parties.id", index=True)
    debtor_id: int = Field(foreign_key="parties.id", index=True)
    debtor_kind: DebtorKind = enum_field(index=True)
    # Whether the creditor acts for professional needs (a company, a sole trader, a liberal
    # profession): decides the legal-rate category (CMF L313-2, with the creditor's kind) and
    # the two-year limitation of a professional's claim on a consumer (C. consom. L218-2).
    creditor_professional: bool = Field(default=True)
    phase: Phase = enum_field(default=Phase.AMIABLE, index=True)
    closure_reason: ClosureReason | None = enum_field(default=None, nullable=True)
    closed_at: datetime | None = instant_field(nullable=True)
    assignee_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    next_action_date: date | None = Field(default=None, index=True)
    next_action_note: str | None = Field(default=None, max_length=500)
    formal_notice_date: date | None = Field(default=None)  # sent on
    # First presentation by the post (the receipt back): consumer legal interest runs from it.
    formal_notice_presented_on: date | None = Field(default=None)
    formal_notice_deadline: date | None = Field(default=None, index=True)
    insolvency_proceedings: bool = Field(default=False)
    # Figures kept in step by the services, so that the portfolio filters and sorts in SQL.
    principal_cents: int = cents_field(default=0)
    paid_cents: int = cents_field(default=0)
    balance_cents: int = cents_field(default=0, index=True)
    oldest_due_date: date | None = Field(default=None, index=True)
    last_contact_at: datetime | None = instant_field(nullable=True)
    limitation_date: date | None = Field(default=None, index=True)
    # Legal hold (litigation, an authority's request): while set, no retention purge or
    # erasure touches the case. Set and lifted by a manager with a reason (audited).
    legal_hold_reason: str | None = Field(default=None, max_length=500)
    legal_hold_since: datetime | None = instant_field(nullable=True)
    # Lower-cased reference, debtor name, SIREN, invoice numbers, emails and phones.
    search_text: str = Field(default="", max_length=4000)
    created_at: datetime = instant_field(default_now=True, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = instant_field(default_now=True)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    version: int = Field(default=1)


class ReferenceCounter(SQLModel, table=True):
    """Last case number used in a year; incremented inside the creating transaction."""

    __tablename__ = "reference_counters"

    year: int = Field(primary_key=True)
    last_number: int = Field(default=0)
