"""The statement of account (décompte) computed, pure: per claim the principal, interest
lines, fixed indemnity, payments and their imputation, the balance; totals.

`compute_statement` takes plain facts (tests feed it by hand; statement.account loads
them). Every total is a sum of the lines shown, and the imputations of every payment add
up to the payment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from case_core.models import (
    CostBearer,
)
from case_core.statement.facts import CaseFacts, ClaimFacts, CostFacts, PaymentFacts
from case_core.statement.imputation import Bucket, ClaimDues, Due, ImputationLedger, order_dues
from case_core.statement.interest import (
    InterestLine,
    InterestTerms,
    interest_lines,
    rate_in_force,
    terms_for,
)
from case_core.statement.limitation import (
    CONSUMER_YEARS,
    PaymentMark,
    SuspensionPeriod,
    acknowledging_payment_dates,
    add_years,
    limitation_date,
    period_start,
    period_years,
)
from case_core.statement.lines import (
    Capitalisation,
    ClaimStatement,
    CostLine,
    ImputationView,
    PaymentLine,
    Statement,
    StatementTotals,
)
from case_core.statement.rates import RateTable

FIXED_INDEMNITY_CENTS = 40_00  # Code de commerce L441-10 and D441-5, per unpaid invoice


class _ClaimState:
    def __init__(self, claim: ClaimFacts, terms: InterestTerms) -> None:
        self.claim = claim
        self.terms = terms
        self.principal = claim.principal_cents
        self.segment_after = claim.due_date  # interest counted for days after this
        self.lines: list[InterestLine] = []
        self.interest_paid = 0
        self.principal_paid = 0
        self.indemnity = 0
        self.indemnity_paid = 0
        # Unpaid interest capitalised (1343-2): it bears interest like the principal.
        self.capitalised = 0
        self.capitalisations: list[Capitalisation] = []

    def open_lines(self, table: RateTable, through: date) -> list[InterestLine]:
        base = self.principal + self.capitalised
        return interest_lines(self.terms, table, base, self.segment_after, through)

    def accrued(self, table: RateTable, through: date) -> int:
        lines = self.lines + self.open_lines(table, through)
        return sum(line.amount_cents for line in lines)

    def close(self, table: RateTable, through: date) -> None:
        """Fix the lines on the current principal up to `through` (its principal changes)."""
        if through > self.segment_after:
            self.lines.extend(self.open_lines(table, through))
            self.segment_after = through

    def anniversaries(self, at: date) -> list[date]:
        """Each whole year of interest before `at`, when the claim capitalises it."""
        if not self.claim.capitalise_interest or self.terms.anchor is None:
            return []
        days, years = [], 1
        while (day := add_years(self.terms.anchor, years)) < at:
            days.append(day)
            years += 1
        return days

    def capitalise(self, table: RateTable, day: date) -> None:
        self.close(table, day)
        unpaid = sum(line.amount_cents for line in self.lines) - self.interest_paid
        if unpaid > self.capitalised:
            self.capitalisations.append(Capitalisation(day, unpaid - self.capitalised, unpaid))
            self.capitalised = unpaid


def compute_statement(
    case: CaseFacts,
    claims: Iterable[ClaimFacts],
    payments: Iterable[PaymentFacts],
    costs: Iterable[CostFacts],
    table: RateTable,
    at: date,
    other_acknowledgements: Iterable[date] = (),
    suspensions: Iterable[SuspensionPeriod] = (),
) -> Statement:
    """The statement at `at` (interest counted through `at` inclusive)."""
    states = {c.id: _ClaimState(c, terms_for(c, case)) for c in claims}
    costs = sorted(costs, key=lambda c: (c.incurred_on, c.id))
    cost_paid = {c.id: 0 for c in costs}
    indemnity_due = case.professional_debtor and not case.insolvency_proceedings
    ledger = ImputationLedger()
    taken = sorted(
        (p for p in payments if p.received_on <= at), key=lambda p: (p.received_on, p.id)
    )
    # Payments of a day are taken before the due-date checks of that day: paying on the
    # due date is paying on time.
    events: list[tuple[date, int, Any]] = [(p.received_on, 0, p) for p in taken]
    events += [(s.claim.due_date, 1, s) for s in states.values() if s.claim.due_date < at]
    # Interest is capitalised at the end of its anniversary, after that day's payments.
    events += [(day, 2, s) for s in states.values() for day in s.anniversaries(at)]
    events.sort(key=lambda e: (e[0], e[1], getattr(e[2], "id", 0) or 0))
    imputed: dict[int, list[Any]] = {}
    for day, kind, item in events:
        if kind == 2:
            item.capitalise(table, day)
            continue
        if kind == 1:
            state: _ClaimState = item
            if indemnity_due and state.principal > 0:
                state.indemnity = FIXED_INDEMNITY_CENTS
            continue
        payment: PaymentFacts = item
        if payment.amount_cents > 0:
            dues = order_dues(
                [
                    Due(Bucket.COST, c.amount_cents - cost_paid[c.id], cost_id=c.id)
                    for c in costs
                    if c.borne_by == CostBearer.DEBTOR and c.incurred_on <= day
                ],
                [
                    ClaimDues(
                        s.claim.id,
                        s.claim.due_date,
                        s.claim.issue_date,
                        s.indemnity - s.indemnity_paid,
                        s.accrued(table, day) - s.interest_paid,
                        s.principal,
                        rate_in_force(s.terms, table, day) if s.principal > 0 else 0,
                    )
                    for s in states.values()
                ],
                payment.imputed_claim_id,
                payment.principal_first,
                on=day,
            )
            result = ledger.pay(payment.id, day, payment.amount_cents, dues)
        elif payment.amount_cents < 0:
            result = ledger.reverse(
                payment.id, day, payment.amount_cents, payment.reverses_payment_id
            )
        else:
            result = []
        imputed[payment.id] = result
        for imp in result:
            if imp.bucket == Bucket.COST and imp.cost_id is not None:
                cost_paid[imp.cost_id] += imp.amount_cents
            elif imp.claim_id is not None:
                s = states[imp.claim_id]
                if imp.bucket == Bucket.PRINCIPAL:
                    s.close(table, day)
                    s.principal -= imp.amount_cents
                    s.principal_paid += imp.amount_cents
                elif imp.bucket == Bucket.INTEREST:
                    if s.claim.capitalise_interest:
                        # The oldest interest is paid first: the capitalised part.
                        s.close(table, day)
                        s.capitalised = max(s.capitalised - imp.amount_cents, 0)
                    s.interest_paid += imp.amount_cents
                elif imp.bucket == Bucket.INDEMNITY:
                    s.indemnity_paid += imp.amount_cents
    for s in states.values():
        s.close(table, at)

    marks = [
        PaymentMark(p.id, p.received_on, p.amount_cents, p.reverses_payment_id, p.imputed_claim_id)
        for p in taken
    ]
    others = [d for d in other_acknowledgements if d <= at]
    suspended = [p for p in suspensions if p.start <= at]
    invoice = {s.claim.id: s.claim.invoice_number for s in states.values()}
    cost_label = {c.id: c.label for c in costs}
    claim_lines = [
        ClaimStatement(
            claim_id=s.claim.id,
            invoice_number=s.claim.invoice_number,
            issue_date=s.claim.issue_date,
            due_date=s.claim.due_date,
            regime=s.claim.regime,
            interest_from=s.terms.anchor + timedelta(days=1) if s.terms.anchor else None,
            note=s.terms.note,
            principal_cents=s.claim.principal_cents,
            principal_paid_cents=s.principal_paid,
            interest_lines=list(s.lines),
            interest_cents=sum(line.amount_cents for line in s.lines),
            interest_paid_cents=s.interest_paid,
            indemnity_cents=s.indemnity,
            indemnity_paid_cents=s.indemnity_paid,
            limitation_date=limitation_date(
                period_start(
                    s.claim.due_date,
                    s.claim.service_completed_on,
                    case.debtor_kind,
                    case.creditor_professional,
                ),
                case.debtor_kind,
                acknowledging_payment_dates(marks, s.claim.id) + others,
                case.creditor_professional,
                suspended,
                at,
            ),
            capitalisations=list(s.capitalisations),
            limitation_from=period_start(
                s.claim.due_date,
                s.claim.service_completed_on,
                case.debtor_kind,
                case.creditor_professional,
            ),
            limitation_note=_limitation_note(s.claim, case),
            service_completed_on=s.claim.service_completed_on,
            capitalise_interest=s.claim.capitalise_interest,
        )
        for s in sorted(
            states.values(), key=lambda s: (s.claim.due_date, s.claim.issue_date, s.claim.id)
        )
    ]
    payment_lines = [
        PaymentLine(
            payment_id=p.id,
            received_on=p.received_on,
            amount_cents=p.amount_cents,
            reference=p.reference,
            reverses_payment_id=p.reverses_payment_id,
            imputations=[
                ImputationView(
                    bucket=i.bucket,
                    amount_cents=i.amount_cents,
                    claim_id=i.claim_id,
                    invoice_number=invoice.get(i.claim_id) if i.claim_id else None,
                    cost_id=i.cost_id,
                    cost_label=cost_label.get(i.cost_id) if i.cost_id else None,
                )
                for i in imputed[p.id]
            ],
        )
        for p in taken
    ]
    cost_lines = [
        CostLine(c.id, c.incurred_on, c.label, c.amount_cents, c.borne_by, cost_paid[c.id])
        for c in costs
        if c.incurred_on <= at
    ]
    surplus = sum(
        i.amount_cents for p in payment_lines for i in p.imputations if i.bucket == Bucket.SURPLUS
    )
    debtor_costs = [c for c in cost_lines if c.borne_by == CostBearer.DEBTOR]
    totals = StatementTotals(
        principal_cents=sum(c.principal_cents for c in claim_lines),
        principal_paid_cents=sum(c.principal_paid_cents for c in claim_lines),
        interest_cents=sum(c.interest_cents for c in claim_lines),
        interest_paid_cents=sum(c.interest_paid_cents for c in claim_lines),
        indemnity_cents=sum(c.indemnity_cents for c in claim_lines),
        indemnity_paid_cents=sum(c.indemnity_paid_cents for c in claim_lines),
        debtor_costs_cents=sum(c.amount_cents for c in debtor_costs),
        debtor_costs_paid_cents=sum(c.paid_cents for c in debtor_costs),
        creditor_costs_cents=sum(
            c.amount_cents for c in cost_lines if c.borne_by == CostBearer.CREDITOR
        ),
        payments_cents=sum(p.amount_cents for p in payment_lines),
        surplus_cents=surplus,
        balance_cents=sum(c.balance_cents for c in claim_lines)
        + sum(c.outstanding_cents for c in debtor_costs)
        - surplus,
    )
    open_dates = [c.limitation_date for c in claim_lines if c.is_open]
    return Statement(
        at=at,
        debtor_kind=case.debtor_kind,
        claims=claim_lines,
        payments=payment_lines,
        costs=cost_lines,
        totals=totals,
        limitation_date=min(open_dates) if open_dates else None,
    )


def _limitation_note(claim: ClaimFacts, case: CaseFacts) -> str | None:
    """Warns when a consumer claim lacks the date its two-year period really runs from."""
    if (
        claim.service_completed_on
        or period_years(case.debtor_kind, case.creditor_professional) != CONSUMER_YEARS
    ):
        return None
    return (
        "Date d'achèvement de la prestation à renseigner : la prescription de 2 ans "
        "(C. consom. L218-2) court de l'achèvement des travaux ou de la prestation "
        "(Cass. civ. 1re, 19 mai 2021) ; elle est comptée ici depuis l'échéance."
    )
