"""Claims, payments, costs and the rate tables: all money in integer cents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from case_core.models.base import (
    LabelledEnum,
    add_stored_labels,
    cents_field,
    enum_field,
    instant_field,
)


class InterestRegime(LabelledEnum):
    NONE = "none"
    LEGAL = "legal"
    L441_10 = "l441_10"
    CONTRACTUAL = "contractual"


class RateKind(LabelledEnum):
    LEGAL_NATURAL_PERSON = "legal_natural_person"
    LEGAL_OTHER = "legal_other"
    ECB_REFI = "ecb_refi"


class PaymentMethod(LabelledEnum):
    TRANSFER = "transfer"
    CARD = "card"
    CHEQUE = "cheque"
    CASH = "cash"
    DIRECT_DEBIT = "direct_debit"


class CostBearer(LabelledEnum):
    CREDITOR = "creditor"
    DEBTOR = "debtor"


add_stored_labels(
    [
        (InterestRegime.NONE, "Aucun intérêt"),
        (InterestRegime.LEGAL, "Taux d'intérêt légal"),
        (InterestRegime.L441_10, "Taux BCE + 10 points (L441-10)"),
        (InterestRegime.CONTRACTUAL, "Taux contractuel"),
        (RateKind.LEGAL_NATURAL_PERSON, "Taux légal : créancier personne physique"),
        (RateKind.LEGAL_OTHER, "Taux légal : autres cas"),
        (RateKind.ECB_REFI, "Taux de refinancement BCE"),
        (PaymentMethod.TRANSFER, "Virement"),
        (PaymentMethod.CARD, "Carte"),
        (PaymentMethod.CHEQUE, "Chèque"),
        (PaymentMethod.CASH, "Espèces"),
        (PaymentMethod.DIRECT_DEBIT, "Prélèvement"),
        (CostBearer.CREDITOR, "À la charge du créancier"),
        (CostBearer.DEBTOR, "À la charge du débiteur"),
    ]
)


class Claim(SQLModel, table=True):
    """One unpaid invoice; identified by its creditor and invoice number."""

    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("creditor_id", "invoice_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    creditor_id: int = Field(foreign_key="parties.id", index=True)
    invoice_number: str = Field(max_length=60, index=True)
    issue_date: date
    due_date: date = Field(index=True)
    principal_cents: int = cents_field()
    description: str | None = Field(default=None, max_length=1000)
    interest_regime: InterestRegime = enum_field(default=InterestRegime.NONE)
    # Rates are stored in basis points: 1 476 = 14,76 %.
    contractual_rate_bp: int | None = Field(default=None)
    interest_start_date: date | None = Field(default=None)
    judgment_date: date | None = Field(default=None)
    # Code monétaire et financier L313-3: legal rate + 5 points from two months after the
    # judgment became enforceable (judgment_date), when the creditor opts for it.
    judgment_rate_increase: bool = Field(default=False)
    # Completion of the work or service: the L218-2 period runs from it (Cass. civ. 1re, 2021).
    service_completed_on: date | None = Field(default=None)
    # Code civil 1343-2: interest due for a whole year bears interest, when a contract or a
    # judgment provides for it.
    capitalise_interest: bool = Field(default=False)
    created_at: datetime = instant_field(default_now=True)


class Payment(SQLModel, table=True):
    """Money received; a reversal is a new row with a negative amount, never a deletion."""

    __tablename__ = "payments"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    received_on: date = Field(index=True)
    amount_cents: int = cents_field()
    method: PaymentMethod = enum_field(default=PaymentMethod.TRANSFER)
    reference: str | None = Field(default=None, max_length=140)
    note: str | None = Field(default=None, max_length=1000)
    # The debtor's explicit choice or an agreement overriding the legal imputation.
    imputed_claim_id: int | None = Field(default=None, foreign_key="claims.id")
    principal_first: bool = Field(default=False)
    reverses_payment_id: int | None = Field(default=None, foreign_key="payments.id", index=True)
    # The part of the payment above what was owed, recorded to be refunded to the debtor.
    refund_due_cents: int = cents_field(default=0)
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")


class RecoveryCost(SQLModel, table=True):
    """A recovery cost other than the fixed indemnity, shown apart with who bears it."""

    __tablename__ = "recovery_costs"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    incurred_on: date
    label: str = Field(max_length=300)
    amount_cents: int = cents_field()
    borne_by: CostBearer = enum_field(default=CostBearer.CREDITOR)
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")


class Rate(SQLModel, table=True):
    """A published rate for a period (a semester for the legal rate)."""

    __tablename__ = "rates"
    __table_args__ = (UniqueConstraint("kind", "period_start"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: RateKind = enum_field(index=True)
    period_start: date
    period_end: date
    rate_bp: int
    source: str = Field(max_length=500)
    created_at: datetime = instant_field(default_now=True)
