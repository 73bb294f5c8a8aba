"""What a plan starts from and how the user sets it up: the statement figures at the basis
date, the proposal's terms, and the schedule they would make (nothing saved here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from case_core.kernel.actor import Actor
from case_core.kernel.errors import ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.models import Frequency
from case_core.plans.schedule import PlanTerms, Schedule, build_schedule
from case_core.statement.account import statement_for_case
from case_core.statement.lines import Statement


@dataclass(frozen=True)
class BalanceBasis:
    """The statement figures a plan starts from, at a date."""

    at: date
    principal_cents: int
    interest_cents: int
    indemnity_cents: int
    costs_cents: int  # recovery costs borne by the debtor, always included
    surplus_cents: int
    balance_cents: int
    limitation_date: date | None

    def included_total(self, principal: bool, interest: bool, indemnity: bool) -> int:
        return (
            (self.principal_cents if principal else 0)
            + (self.interest_cents if interest else 0)
            + (self.indemnity_cents if indemnity else 0)
            + self.costs_cents
            - self.surplus_cents
        )

    def waived(self, principal: bool, interest: bool, indemnity: bool) -> int:
        return (
            (0 if principal else self.principal_cents)
            + (0 if interest else self.interest_cents)
            + (0 if indemnity else self.indemnity_cents)
        )


def basis_of(statement: Statement) -> BalanceBasis:
    t = statement.totals
    return BalanceBasis(
        at=statement.at,
        principal_cents=t.principal_cents - t.principal_paid_cents,
        interest_cents=t.interest_cents - t.interest_paid_cents,
        indemnity_cents=t.indemnity_cents - t.indemnity_paid_cents,
        costs_cents=t.debtor_costs_cents - t.debtor_costs_paid_cents,
        surplus_cents=t.surplus_cents,
        balance_cents=t.balance_cents,
        limitation_date=statement.limitation_date,
    )


def balance_basis(actor: Actor, reference: str, at: date | None = None) -> BalanceBasis:
    """Principal, interest, indemnity and costs outstanding on the case at `at`."""
    require(actor, Perm.CASES_READ)
    return basis_of(statement_for_case(actor, reference, at))


@dataclass(frozen=True)
class Proposal:
    """A plan as the user sets it up; amounts come from the statement at `basis_date`."""

    basis_date: date
    first_due_date: date
    frequency: Frequency = Frequency.MONTHLY
    count: int | None = None
    instalment_cents: int | None = None
    down_payment_cents: int = 0
    down_payment_date: date | None = None
    day_of_month: int | None = None
    rate_bp: int = 0
    include_principal: bool = True
    include_interest: bool = True
    include_indemnity: bool = True

    def terms(self, total_cents: int) -> PlanTerms:
        return PlanTerms(
            total_cents=total_cents,
            first_due_date=self.first_due_date,
            frequency=self.frequency,
            count=self.count,
            instalment_cents=self.instalment_cents,
            down_payment_cents=self.down_payment_cents,
            down_payment_date=self.down_payment_date,
            day_of_month=self.day_of_month,
            rate_bp=self.rate_bp,
        )

    def included_total(self, basis: BalanceBasis) -> int:
        return basis.included_total(
            self.include_principal, self.include_interest, self.include_indemnity
        )

    def waived(self, basis: BalanceBasis) -> int:
        return basis.waived(self.include_principal, self.include_interest, self.include_indemnity)


def preview(basis: BalanceBasis, proposal: Proposal) -> Schedule:
    """The schedule `proposal` would make from `basis` (nothing saved)."""
    _check_proposal(basis, proposal)
    return build_schedule(proposal.terms(proposal.included_total(basis)))


def _check_proposal(basis: BalanceBasis, proposal: Proposal) -> None:
    errors: dict[str, str] = {}
    if proposal.first_due_date < proposal.basis_date:
        errors["first_due_date"] = (
            "La première échéance ne peut pas précéder la date du solde retenu."
        )
    if proposal.down_payment_date and proposal.down_payment_date < proposal.basis_date:
        errors["down_payment_date"] = "L'acompte ne peut pas précéder la date du solde retenu."
    if proposal.included_total(basis) <= 0:
        errors["total_cents"] = "Rien à échelonner : le solde retenu est nul."
    if errors:
        raise ValidationError(errors)
