"""The statement of account (décompte) of a case at a date: per claim the principal,
interest lines, fixed indemnity, payments and their imputation, the balance; totals.

`compute_statement` is pure (tests feed it by hand); `statement_for_case` loads a case
and calls it. Every total is a sum of the lines shown, and the imputations of every
payment add up to the payment.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound
from case_core.kernel.money import format_cents, format_rate_bp
from case_core.kernel.permissions import Perm, require
from case_core.models import (
    Case,
    Claim,
    CostBearer,
    DebtorKind,
    InstalmentPlan,
    InterestRegime,
    MediationAgreement,
    Party,
    Payment,
    RecoveryCost,
)
from case_core.statement.facts import CaseFacts, ClaimFacts, CostFacts, PaymentFacts
from case_core.statement.imputation import Bucket, ClaimDues, Due, ImputationLedger, order_dues
from case_core.statement.interest import InterestLine, InterestTerms, interest_lines, terms_for
from case_core.statement.limitation import PaymentMark, acknowledging_payment_dates, limitation_date
from case_core.statement.rates import (
    MissingRate,
    ProvisionalRate,
    RateTable,
    extended,
    load_rate_table,
    provisional_table,
    semester_bounds,
)

FIXED_INDEMNITY_CENTS = 40_00  # Code de commerce L441-10 and D441-5, per unpaid invoice


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

    def open_lines(self, table: RateTable, through: date) -> list[InterestLine]:
        return interest_lines(self.terms, table, self.principal, self.segment_after, through)

    def accrued(self, table: RateTable, through: date) -> int:
        lines = self.lines + self.open_lines(table, through)
        return sum(line.amount_cents for line in lines)

    def close(self, table: RateTable, through: date) -> None:
        """Fix the lines on the current principal up to `through` (its principal changes)."""
        if through > self.segment_after:
            self.lines.extend(self.open_lines(table, through))
            self.segment_after = through


def compute_statement(
    case: CaseFacts,
    claims: Iterable[ClaimFacts],
    payments: Iterable[PaymentFacts],
    costs: Iterable[CostFacts],
    table: RateTable,
    at: date,
    other_acknowledgements: Iterable[date] = (),
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
    events.sort(key=lambda e: (e[0], e[1], getattr(e[2], "id", 0) or 0))
    imputed: dict[int, list[Any]] = {}
    for day, kind, item in events:
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
                    )
                    for s in states.values()
                ],
                payment.imputed_claim_id,
                payment.principal_first,
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
                    s.interest_paid += imp.amount_cents
                elif imp.bucket == Bucket.INDEMNITY:
                    s.indemnity_paid += imp.amount_cents
    for s in states.values():
        s.close(table, at)

    marks = [PaymentMark(p.id, p.received_on, p.amount_cents, p.reverses_payment_id) for p in taken]
    acks = acknowledging_payment_dates(marks) + [d for d in other_acknowledgements if d <= at]
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
                s.claim.due_date, case.debtor_kind, acks, case.creditor_is_natural_person
            ),
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


def statement_for_case(actor: Actor, reference: str, at: date | None = None) -> Statement:
    """The statement of the case `reference` at `at` (default: today, Paris time)."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference.strip())).first()
        if case is None:
            raise NotFound(f"Dossier introuvable : « {reference} ».")
        return load_statement(session, case, at or today_paris())


@dataclass(frozen=True)
class ProvisionalStatement:
    """An estimate while a rate is missing: never exported, never in a letter."""

    statement: Statement
    assumptions: list[ProvisionalRate]


def provisional_statement_for_case(
    actor: Actor, reference: str, at: date | None = None
) -> ProvisionalStatement:
    """The statement of `reference` with each missing semester's rate taken from the last
    known semester of its kind, and the list of those assumptions (for the screen only:
    letters, exports and dossiers go through statement_for_case and refuse)."""
    require(actor, Perm.CASES_READ)
    at = at or today_paris()
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference.strip())).first()
        if case is None:
            raise NotFound(f"Dossier introuvable : « {reference} ».")
        table = load_rate_table(session)
        _, candidates = provisional_table(table, at)
        by_semester = {(a.missing.kind, a.missing.period_start): a for a in candidates}
        # Assume only what this case needs: each rate the computation stops on.
        used: list[ProvisionalRate] = []
        while True:
            try:
                statement = load_statement(session, case, at, extended(table, used))
            except MissingRate as exc:
                needed = by_semester.get((exc.kind, semester_bounds(exc.day)[0]))
                if needed is None or needed in used:
                    raise
                used.append(needed)
            else:
                return ProvisionalStatement(statement, used)


def load_statement(
    session: Session, case: Case, at: date, table: RateTable | None = None
) -> Statement:
    """The statement of `case` at `at`, read through the caller's session (a write
    reads it after locking the case, so that what it checks is what it changes)."""
    claims = session.exec(select(Claim).where(Claim.case_id == case.id)).all()
    payments = session.exec(select(Payment).where(Payment.case_id == case.id)).all()
    costs = session.exec(select(RecoveryCost).where(RecoveryCost.case_id == case.id)).all()
    plan_dates = session.exec(
        select(InstalmentPlan.accepted_on).where(
            InstalmentPlan.case_id == case.id,
            InstalmentPlan.accepted_on.is_not(None),  # type: ignore[union-attr]
        )
    ).all()
    agreement_dates = session.exec(
        select(MediationAgreement.signed_on).where(MediationAgreement.case_id == case.id)
    ).all()
    debtor = session.get(Party, case.debtor_id)
    creditor = session.get(Party, case.creditor_id)
    if table is None:
        table = load_rate_table(session)
    statement = compute_statement(
        CaseFacts.of(case),
        [ClaimFacts.of(c) for c in claims],
        [PaymentFacts.of(p) for p in payments],
        [CostFacts.of(c) for c in costs],
        table,
        at,
        [d for d in [*plan_dates, *agreement_dates] if d is not None],
    )
    return dataclasses.replace(
        statement,
        reference=case.reference,
        debtor_name=debtor.display_name if debtor else None,
        creditor_name=creditor.display_name if creditor else None,
    )


# ---- exports -------------------------------------------------------------------------


def statement_to_json(statement: Statement) -> dict[str, Any]:
    """Amounts in cents, dates in ISO format, rates in basis points."""
    return {
        "reference": statement.reference,
        "at": statement.at.isoformat(),
        "debtor": statement.debtor_name,
        "creditor": statement.creditor_name,
        "debtor_kind": statement.debtor_kind.value,
        "limitation_date": _iso(statement.limitation_date),
        "claims": [
            {
                "invoice_number": c.invoice_number,
                "issue_date": c.issue_date.isoformat(),
                "due_date": c.due_date.isoformat(),
                "interest_regime": c.regime.value,
                "interest_from": _iso(c.interest_from),
                "note": c.note,
                "principal_cents": c.principal_cents,
                "principal_paid_cents": c.principal_paid_cents,
                "principal_outstanding_cents": c.principal_outstanding_cents,
                "interest_lines": [
                    {
                        "from": line.start.isoformat(),
                        "to": line.end.isoformat(),
                        "days": line.days,
                        "base_cents": line.base_cents,
                        "rate_bp": line.rate_bp,
                        "amount_cents": line.amount_cents,
                        "basis": line.basis,
                    }
                    for line in c.interest_lines
                ],
                "interest_cents": c.interest_cents,
                "interest_paid_cents": c.interest_paid_cents,
                "interest_outstanding_cents": c.interest_outstanding_cents,
                "indemnity_cents": c.indemnity_cents,
                "indemnity_paid_cents": c.indemnity_paid_cents,
                "indemnity_outstanding_cents": c.indemnity_outstanding_cents,
                "balance_cents": c.balance_cents,
                "limitation_date": c.limitation_date.isoformat(),
            }
            for c in statement.claims
        ],
        "payments": [
            {
                "id": p.payment_id,
                "received_on": p.received_on.isoformat(),
                "amount_cents": p.amount_cents,
                "reference": p.reference,
                "reverses_payment_id": p.reverses_payment_id,
                "imputations": [
                    {
                        "bucket": i.bucket.value,
                        "invoice_number": i.invoice_number,
                        "cost_id": i.cost_id,
                        "amount_cents": i.amount_cents,
                    }
                    for i in p.imputations
                ],
            }
            for p in statement.payments
        ],
        "costs": [
            {
                "incurred_on": c.incurred_on.isoformat(),
                "label": c.label,
                "amount_cents": c.amount_cents,
                "borne_by": c.borne_by.value,
                "paid_cents": c.paid_cents,
                "outstanding_cents": c.outstanding_cents,
            }
            for c in statement.costs
        ],
        "totals": dataclasses.asdict(statement.totals),
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def statement_rows(statement: Statement) -> list[list[str]]:
    """The statement as rows of French-formatted text: the CSV, and the command line."""
    money = format_cents
    rows: list[list[str]] = [
        ["Décompte", statement.reference or "", "arrêté au", format_date(statement.at)],
    ]
    if statement.debtor_name:
        rows.append(["Débiteur", statement.debtor_name])
    if statement.creditor_name:
        rows.append(["Créancier", statement.creditor_name])
    for c in statement.claims:
        rows.append([])
        rows.append(
            [
                f"Facture {c.invoice_number}",
                f"émise le {format_date(c.issue_date)}",
                f"échue le {format_date(c.due_date)}",
                c.regime_label,
            ]
        )
        rows.append(["Principal", "", "", "", "", money(c.principal_cents)])
        if c.note:
            rows.append([c.note])
        for line in c.interest_lines:
            rows.append(
                [
                    "Intérêts",
                    f"du {format_date(line.start)}",
                    f"au {format_date(line.end)}",
                    f"{line.days} j",
                    f"{format_rate_bp(line.rate_bp)} sur {money(line.base_cents)}",
                    money(line.amount_cents),
                    line.basis,
                ]
            )
        rows.append(["Total intérêts", "", "", "", "", money(c.interest_cents)])
        if c.indemnity_cents:
            rows.append(["Indemnité forfaitaire", "", "", "", "", money(c.indemnity_cents)])
        paid = c.principal_paid_cents + c.interest_paid_cents + c.indemnity_paid_cents
        rows.append(["Payé", "", "", "", "", money(-paid)])
        rows.append(["Solde", "", "", "", "", money(c.balance_cents)])
        rows.append(["Prescription", format_date(c.limitation_date)])
    if statement.payments:
        rows.append([])
        rows.append(["Paiements et imputation"])
        for p in statement.payments:
            rows.append(
                [
                    "Paiement" if p.amount_cents >= 0 else "Annulation / remboursement",
                    format_date(p.received_on),
                    p.reference or "",
                    "",
                    "",
                    money(p.amount_cents),
                ]
            )
            for i in p.imputations:
                rows.append(["", "", "", "", i.label, money(i.amount_cents)])
    if statement.costs:
        rows.append([])
        rows.append(["Frais de recouvrement"])
        for cost in statement.costs:
            rows.append(
                [
                    cost.label,
                    format_date(cost.incurred_on),
                    cost.borne_by.label,
                    "",
                    "",
                    money(cost.amount_cents),
                ]
            )
    t = statement.totals
    rows.append([])
    rows.append(["Totaux"])
    rows.append(["Principal", "", "", "", "", money(t.principal_cents)])
    rows.append(["Intérêts", "", "", "", "", money(t.interest_cents)])
    rows.append(["Indemnités forfaitaires", "", "", "", "", money(t.indemnity_cents)])
    if t.debtor_costs_cents:
        rows.append(["Frais à la charge du débiteur", "", "", "", "", money(t.debtor_costs_cents)])
    rows.append(["Paiements reçus", "", "", "", "", money(-t.payments_cents)])
    if t.surplus_cents:
        rows.append(["dont trop-perçu", "", "", "", "", money(t.surplus_cents)])
    rows.append(["Solde dû", "", "", "", "", money(t.balance_cents)])
    if t.creditor_costs_cents:
        rows.append(
            [
                "Frais à la charge du créancier (hors solde)",
                "",
                "",
                "",
                "",
                money(t.creditor_costs_cents),
            ]
        )
    if statement.limitation_date:
        rows.append(["Prescription la plus proche", format_date(statement.limitation_date)])
    return rows


def statement_to_csv(statement: Statement) -> bytes:
    """CSV the French way (';' separator, '1 234,56 €', JJ/MM/AAAA), UTF-8 with BOM so
    that Excel opens it right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(statement_rows(statement))
    return buffer.getvalue().encode("utf-8-sig")


def statement_to_xlsx(statement: Statement) -> bytes:
    """A workbook: one sheet of interest lines and balances, one of payments."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    euros = '#,##0.00 "€"'
    day = "DD/MM/YYYY"
    bold = Font(bold=True)

    def eur(cents: int) -> Decimal:
        return Decimal(cents) / 100

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Décompte"
    ws.append(["Décompte", statement.reference or "", "arrêté au", statement.at])
    ws.cell(row=1, column=4).number_format = day
    ws.append(["Débiteur", statement.debtor_name or ""])
    ws.append(["Créancier", statement.creditor_name or ""])
    ws.append([])
    header = ["Facture", "Poste", "Du", "Au", "Jours", "Base", "Taux", "Montant", "Détail"]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = bold

    def put(values: list[Any]) -> None:
        ws.append(values)
        row = ws[ws.max_row]
        for idx in (2, 3):
            row[idx].number_format = day
        for idx in (5, 7):
            row[idx].number_format = euros
        row[6].number_format = "0.00 %"

    for c in statement.claims:
        put(
            [
                c.invoice_number,
                "Principal",
                None,
                c.due_date,
                None,
                None,
                None,
                eur(c.principal_cents),
                c.regime_label,
            ]
        )
        for line in c.interest_lines:
            put(
                [
                    c.invoice_number,
                    "Intérêts",
                    line.start,
                    line.end,
                    line.days,
                    eur(line.base_cents),
                    Decimal(line.rate_bp) / 10_000,
                    eur(line.amount_cents),
                    line.basis,
                ]
            )
        if c.indemnity_cents:
            put(
                [
                    c.invoice_number,
                    "Indemnité forfaitaire",
                    None,
                    None,
                    None,
                    None,
                    None,
                    eur(c.indemnity_cents),
                    "L441-10, D441-5",
                ]
            )
        paid = c.principal_paid_cents + c.interest_paid_cents + c.indemnity_paid_cents
        put([c.invoice_number, "Payé", None, None, None, None, None, eur(-paid), None])
        put(
            [
                c.invoice_number,
                "Solde",
                None,
                None,
                None,
                None,
                None,
                eur(c.balance_cents),
                f"prescription le {format_date(c.limitation_date)}",
            ]
        )
        ws[ws.max_row][1].font = bold
    t = statement.totals
    ws.append([])
    for label, cents in [
        ("Total principal", t.principal_cents),
        ("Total intérêts", t.interest_cents),
        ("Total indemnités forfaitaires", t.indemnity_cents),
        ("Frais à la charge du débiteur", t.debtor_costs_cents),
        ("Paiements reçus", -t.payments_cents),
        ("Solde dû", t.balance_cents),
    ]:
        put([None, label, None, None, None, None, None, eur(cents), None])
        ws[ws.max_row][1].font = bold
    for letter, width in zip("ABCDEFGHI", (16, 26, 12, 12, 7, 14, 9, 14, 60), strict=True):
        ws.column_dimensions[letter].width = width

    pay = wb.create_sheet("Paiements")
    pay.append(["Date", "Montant", "Référence", "Imputé à", "Facture / frais", "Montant imputé"])
    for cell in pay[1]:
        cell.font = bold
    for p in statement.payments:
        for i in p.imputations or [None]:
            pay.append(
                [
                    p.received_on,
                    eur(p.amount_cents),
                    p.reference or "",
                    i.bucket.label if i else "",
                    (i.invoice_number or i.cost_label or "") if i else "",
                    eur(i.amount_cents) if i else None,
                ]
            )
            row = pay[pay.max_row]
            row[0].number_format = day
            row[1].number_format = euros
            row[5].number_format = euros
    costs = wb.create_sheet("Frais")
    costs.append(["Date", "Libellé", "À la charge de", "Montant", "Payé"])
    for c in statement.costs:
        costs.append(
            [c.incurred_on, c.label, c.borne_by.label, eur(c.amount_cents), eur(c.paid_cents)]
        )
        row = costs[costs.max_row]
        row[0].number_format = day
        row[3].number_format = euros
        row[4].number_format = euros
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
