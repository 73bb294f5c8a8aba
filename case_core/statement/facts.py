"""Plain inputs of the money engine (interest, imputation, limitation, statement).

The engine is pure: services load these from the database, tests build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from case_core.models import (
    Case,
    Claim,
    CostBearer,
    DebtorKind,
    InterestRegime,
    Party,
    PartyKind,
    Payment,
    RecoveryCost,
)
from case_core.statement.creditor import private_creditor_rate


@dataclass(frozen=True)
class CaseFacts:
    debtor_kind: DebtorKind
    creditor_professional: bool = True
    creditor_natural_person: bool = False
    formal_notice_date: date | None = None  # sent on
    insolvency_proceedings: bool = False
    formal_notice_presented_on: date | None = None  # first presentation (the receipt)

    @property
    def professional_debtor(self) -> bool:
        return self.debtor_kind == DebtorKind.PROFESSIONAL

    @property
    def private_creditor(self) -> bool:
        """The creditor is a natural person not acting for professional needs (L313-2)."""
        return private_creditor_rate(self.creditor_professional, self.creditor_natural_person)

    @classmethod
    def of(cls, case: Case, creditor: Party | None = None) -> CaseFacts:
        return cls(
            debtor_kind=DebtorKind(case.debtor_kind),
            creditor_professional=case.creditor_professional,
            creditor_natural_person=creditor is not None
            and PartyKind(creditor.kind) == PartyKind.PERSON,
            formal_notice_date=case.formal_notice_date,
            insolvency_proceedings=case.insolvency_proceedings,
            formal_notice_presented_on=case.formal_notice_presented_on,
        )


@dataclass(frozen=True)
class ClaimFacts:
    id: int
    invoice_number: str
    issue_date: date
    due_date: date
    principal_cents: int
    regime: InterestRegime = InterestRegime.NONE
    contractual_rate_bp: int | None = None
    interest_start_date: date | None = None
    judgment_date: date | None = None
    judgment_rate_increase: bool = False
    service_completed_on: date | None = None
    capitalise_interest: bool = False

    @classmethod
    def of(cls, claim: Claim) -> ClaimFacts:
        assert claim.id is not None
        return cls(
            id=claim.id,
            invoice_number=claim.invoice_number,
            issue_date=claim.issue_date,
            due_date=claim.due_date,
            principal_cents=claim.principal_cents,
            regime=InterestRegime(claim.interest_regime),
            contractual_rate_bp=claim.contractual_rate_bp,
            interest_start_date=claim.interest_start_date,
            judgment_date=claim.judgment_date,
            judgment_rate_increase=claim.judgment_rate_increase,
            service_completed_on=claim.service_completed_on,
            capitalise_interest=claim.capitalise_interest,
        )


@dataclass(frozen=True)
class PaymentFacts:
    id: int
    received_on: date
    amount_cents: int
    imputed_claim_id: int | None = None
    principal_first: bool = False
    reverses_payment_id: int | None = None
    reference: str | None = None

    @classmethod
    def of(cls, payment: Payment) -> PaymentFacts:
        assert payment.id is not None
        return cls(
            id=payment.id,
            received_on=payment.received_on,
            amount_cents=payment.amount_cents,
            imputed_claim_id=payment.imputed_claim_id,
            principal_first=payment.principal_first,
            reverses_payment_id=payment.reverses_payment_id,
            reference=payment.reference,
        )


@dataclass(frozen=True)
class CostFacts:
    id: int
    incurred_on: date
    label: str
    amount_cents: int
    borne_by: CostBearer

    @classmethod
    def of(cls, cost: RecoveryCost) -> CostFacts:
        assert cost.id is not None
        return cls(
            id=cost.id,
            incurred_on=cost.incurred_on,
            label=cost.label,
            amount_cents=cost.amount_cents,
            borne_by=CostBearer(cost.borne_by),
        )
