"""Instalment plans and their instalments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from case_core.models.base import (
    LabelledEnum,
    add_stored_labels,
    cents_field,
    enum_field,
    instant_field,
)


class PlanStatus(LabelledEnum):
    """What users did to a plan. Whether it is paid up, late or broken is derived from the
    payments (case_core.plans.status), never stored: a bounced cheque would leave it wrong."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    ACCELERATED = "accelerated"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"


class AcceptanceChannel(LabelledEnum):
    """How the debtor agreed to a plan."""

    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    MEDIATION_AGREEMENT = "mediation_agreement"


class Frequency(LabelledEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


add_stored_labels(
    [
        (PlanStatus.PROPOSED, "Proposé"),
        (PlanStatus.ACTIVE, "Actif"),
        (PlanStatus.ACCELERATED, "Déchéance du terme"),
        (PlanStatus.CANCELLED, "Annulé"),
        (PlanStatus.SUPERSEDED, "Remplacé"),
        (AcceptanceChannel.PHONE, "Téléphone"),
        (AcceptanceChannel.LETTER, "Courrier signé"),
        (AcceptanceChannel.EMAIL, "E-mail"),
        (AcceptanceChannel.MEDIATION_AGREEMENT, "Accord de médiation"),
        (Frequency.WEEKLY, "Hebdomadaire"),
        (Frequency.BIWEEKLY, "Toutes les deux semaines"),
        (Frequency.MONTHLY, "Mensuelle"),
        (Frequency.QUARTERLY, "Trimestrielle"),
    ]
)


class InstalmentPlan(SQLModel, table=True):
    __tablename__ = "instalment_plans"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    status: PlanStatus = enum_field(default=PlanStatus.PROPOSED, index=True)
    basis_date: date
    total_cents: int = cents_field()
    down_payment_cents: int = cents_field(default=0)
    instalment_count: int
    frequency: Frequency = enum_field(default=Frequency.MONTHLY)
    first_due_date: date
    day_of_month: int | None = Field(default=None)
    rate_bp: int = Field(default=0)
    includes_principal: bool = Field(default=True)
    includes_interest: bool = Field(default=True)
    includes_indemnity: bool = Field(default=True)
    # The statement at the basis date, and what the creditor waived of it for this plan.
    basis_principal_cents: int = cents_field(default=0)
    basis_interest_cents: int = cents_field(default=0)
    basis_indemnity_cents: int = cents_field(default=0)
    basis_costs_cents: int = cents_field(default=0)
    waived_cents: int = cents_field(default=0)
    accepted_on: date | None = Field(default=None)
    accepted_by: str | None = Field(default=None, max_length=200)
    acceptance_channel: AcceptanceChannel | None = Field(
        default=None, sa_type=String(40), nullable=True
    )
    acceptance_note: str | None = Field(default=None, max_length=1000)
    broken_at: date | None = Field(default=None)
    accelerated_on: date | None = Field(default=None)
    # What became due at once on acceleration (déchéance du terme).
    accelerated_balance_cents: int | None = cents_field(default=None, nullable=True)
    cancelled_on: date | None = Field(default=None)
    cancel_reason: str | None = Field(default=None, max_length=500)
    superseded_by_id: int | None = Field(default=None, foreign_key="instalment_plans.id")
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int = Field(foreign_key="users.id")
    updated_at: datetime = instant_field(default_now=True)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    version: int = Field(default=1)


class Instalment(SQLModel, table=True):
    __tablename__ = "instalments"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="instalment_plans.id", index=True)
    seq: int  # 0 is the down payment, when there is one
    due_date: date = Field(index=True)
    amount_cents: int = cents_field()
    interest_cents: int = cents_field(default=0)
    # Sum of the amounts of this instalment and every earlier one: payments go to the
    # oldest instalments first, so "paid" and "missed" are comparisons in SQL.
    cumulative_cents: int = cents_field(default=0)
