"""What a statement of account is made of: its lines and totals, as the pages, the exports,
the letters and the dossier read them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from case_core.kernel.dates import format_date
from case_core.kernel.money import format_cents
from case_core.models import (
    CostBearer,
    DebtorKind,
    InterestRegime,
)
from case_core.statement.imputation import Bucket
from case_core.statement.interest import (
    InterestLine,
)


@dataclass(frozen=True)
class ImputationView:
    bucket: Bucket
    amount_cents: int
    claim_id: int | None = None
    invoice_number: str | None = None
    cost_id: int | None = None
    cost_label: str | None = None

    @property
    def label(self) -> str:
        if self.invoice_number:
            return f"{self.bucket.label} — facture {self.invoice_number}"
        if self.cost_label:
            return f"{self.bucket.label} — {self.cost_label}"
        return self.bucket.label


@dataclass(frozen=True)
class PaymentLine:
    payment_id: int
    received_on: date
    amount_cents: int
    reference: str | None
    reverses_payment_id: int | None
    imputations: list[ImputationView]


@dataclass(frozen=True)
class Capitalisation:
    """Code civil 1343-2: on `on`, interest due for a whole year joins the base."""

    on: date
    amount_cents: int  # interest added to the base that day
    bearing_cents: int  # unpaid interest bearing interest from the next day

    @property
    def label(self) -> str:
        return (
            f"Capitalisation au {format_date(self.on)} (C. civ. 1343-2) : "
            f"{format_cents(self.amount_cents)} d'intérêts échus pour une année entière "
            f"portent intérêts"
        )


@dataclass(frozen=True)
class ClaimStatement:
    claim_id: int
    invoice_number: str
    issue_date: date
    due_date: date
    regime: InterestRegime
    interest_from: date | None  # first day of interest, None when the claim bears none
    note: str | None
    principal_cents: int
    principal_paid_cents: int
    interest_lines: list[InterestLine]
    interest_cents: int
    interest_paid_cents: int
    indemnity_cents: int
    indemnity_paid_cents: int
    limitation_date: date
    capitalisations: list[Capitalisation] = dataclasses.field(default_factory=list)
    limitation_from: date | None = None  # where the period starts (before acknowledgements)
    limitation_note: str | None = None
    service_completed_on: date | None = None
    capitalise_interest: bool = False

    @property
    def regime_label(self) -> str:
        return self.regime.label

    @property
    def paid_cents(self) -> int:
        """Everything imputed to this claim: principal, interest and indemnity."""
        return self.principal_paid_cents + self.interest_paid_cents + self.indemnity_paid_cents

    @property
    def principal_outstanding_cents(self) -> int:
        return self.principal_cents - self.principal_paid_cents

    @property
    def interest_outstanding_cents(self) -> int:
        return self.interest_cents - self.interest_paid_cents

    @property
    def indemnity_outstanding_cents(self) -> int:
        return self.indemnity_cents - self.indemnity_paid_cents

    @property
    def balance_cents(self) -> int:
        return (
            self.principal_outstanding_cents
            + self.interest_outstanding_cents
            + self.indemnity_outstanding_cents
        )

    @property
    def is_open(self) -> bool:
        return self.balance_cents > 0


@dataclass(frozen=True)
class CostLine:
    cost_id: int
    incurred_on: date
    label: str
    amount_cents: int
    borne_by: CostBearer
    paid_cents: int

    @property
    def outstanding_cents(self) -> int:
        """What the debtor still owes for it (nothing when the creditor bears it)."""
        return self.amount_cents - self.paid_cents if self.borne_by == CostBearer.DEBTOR else 0


@dataclass(frozen=True)
class StatementTotals:
    principal_cents: int
    principal_paid_cents: int
    interest_cents: int
    interest_paid_cents: int
    indemnity_cents: int
    indemnity_paid_cents: int
    debtor_costs_cents: int
    debtor_costs_paid_cents: int
    creditor_costs_cents: int
    payments_cents: int
    surplus_cents: int  # trop-perçu: paid beyond everything due
    balance_cents: int  # what the debtor owes at the date (negative: owed to the debtor)


@dataclass(frozen=True)
class Statement:
    at: date
    debtor_kind: DebtorKind
    claims: list[ClaimStatement]
    payments: list[PaymentLine]
    costs: list[CostLine]
    totals: StatementTotals
    limitation_date: date | None  # earliest among open claims
    reference: str | None = None
    debtor_name: str | None = None
    creditor_name: str | None = None
    formal_notice_sent_on: date | None = None
    formal_notice_presented_on: date | None = None
    creditor_professional: bool = True
    creditor_natural_person: bool = False
