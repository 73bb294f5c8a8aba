"""Bank statement import: read a CSV export (date, amount, label), propose a case for each
credit line, book what the user confirms.

A line is matched for sure by a case reference (2026-000123) or an invoice number found in
its label; an IBAN in the label proposes the open cases of the debtor who holds it (matched
on the keyed digest, so it works with the bank details encrypted); otherwise its exact
amount is compared with the open instalments of plans in progress and with case balances,
which only suggests candidates the user must choose from.
Nothing is booked without the user's confirmation (the page) or a sure match (the CLI).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import col, select
from stdnum import iban
from stdnum.exceptions import ValidationError as NotAnIban

from case_core.imports.tabular import read_table
from case_core.kernel.actor import Actor
from case_core.kernel.dates import parse_date
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError, ValidationError
from case_core.kernel.money import parse_amount
from case_core.kernel.permissions import Perm, require
from case_core.models import (
    Case,
    Claim,
    Instalment,
    InstalmentPlan,
    Party,
    PaymentMethod,
    Phase,
)
from case_core.models.sealed import iban_digest
from case_core.payments.service import PaymentInput, record_payment
from case_core.plans.status import HOLDING, plan_paid_expr

REFERENCE_RE = re.compile(r"\b(20\d{2})[-/ ]?(\d{6})\b")
TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.\-]*[A-Za-z0-9]|[A-Za-z0-9]")
MAX_CANDIDATES = 5
# An IBAN as a bank prints it, grouped by four or not.
IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]*(?: [A-Z0-9]{1,4})*")


class MatchKind:
    REFERENCE = "Référence du dossier"
    INVOICE = "Numéro de facture"
    IBAN = "IBAN du débiteur"
    INSTALMENT = "Montant d'une échéance"
    BALANCE = "Montant du solde"
    NONE = "Aucune correspondance"


@dataclass(frozen=True)
class BankLine:
    line: int  # line of the file, for the user
    booked_on: date
    amount_cents: int
    label: str


@dataclass(frozen=True)
class BankStatement:
    lines: list[BankLine]  # credits only
    debits_skipped: int
    unreadable: list[tuple[int, str]]  # (line, reason)
    description: str


@dataclass(frozen=True)
class Candidate:
    reference: str
    debtor_name: str


@dataclass(frozen=True)
class MatchProposal:
    line: BankLine
    kind: str
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def sure(self) -> bool:
        """One case, found by its reference or an invoice number: booked by the CLI."""
        return self.kind in (MatchKind.REFERENCE, MatchKind.INVOICE) and len(self.candidates) == 1

    @property
    def proposed_reference(self) -> str | None:
        return self.candidates[0].reference if len(self.candidates) == 1 else None


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def _find_column(headers: list[str], *names: str, avoid: tuple[str, ...] = ()) -> int | None:
    plain = [_plain(h) for h in headers]
    for name in names:
        for index, header in enumerate(plain):
            if name in header and not any(a in header for a in avoid):
                return index
    return None


def _amount(text: str, field: str) -> int | None:
    raw = text.strip().replace("+", "")
    if not raw:
        return None
    return parse_amount(raw, field)


def parse_bank_statement(data: bytes, filename: str = "") -> BankStatement:
    """Credit lines of a bank CSV (or XLSX) export; French formats (1 234,56 ; JJ/MM/AAAA).

    Recognises one signed amount column (« Montant ») or separate « Débit » / « Crédit »
    columns; debits are counted and left out; unreadable lines are reported, not guessed.
    """
    table = read_table(data, filename)
    headers = table.headers
    date_col = _find_column(
        headers, "date operation", "date d'operation", "date comptable", "date", avoid=("valeur",)
    )
    if date_col is None:
        date_col = _find_column(headers, "date")
    label_col = _find_column(headers, "libelle", "label", "intitule", "description", "detail")
    amount_col = _find_column(headers, "montant", "amount", "somme")
    credit_col = _find_column(headers, "credit")
    debit_col = _find_column(headers, "debit")
    missing = []
    if date_col is None:
        missing.append("date")
    if label_col is None:
        missing.append("libellé")
    if amount_col is None and credit_col is None:
        missing.append("montant (ou crédit)")
    if missing:
        raise ValidationError(
            {"file": "Colonnes introuvables dans le relevé : " + ", ".join(missing) + "."}
        )
    assert date_col is not None and label_col is not None
    lines: list[BankLine] = []
    unreadable: list[tuple[int, str]] = []
    debits = 0

    def cell(cells: list[str], index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    for row in table.rows:
        cells = row.cells
        if not any(c.strip() for c in cells):
            continue
        try:
            booked_on = parse_date(cell(cells, date_col), "date")
            if amount_col is not None:
                amount = _amount(cell(cells, amount_col), "amount")
            else:
                credit = _amount(cell(cells, credit_col), "amount")
                debit = _amount(cell(cells, debit_col), "amount")
                amount = credit if credit else (-abs(debit) if debit else None)
        except ValidationError as exc:
            unreadable.append((row.number, exc.message))
            continue
        if amount is None:
            unreadable.append((row.number, "Montant absent."))
            continue
        if amount <= 0:
            debits += 1
            continue
        label = " ".join(cell(cells, label_col).split())
        lines.append(BankLine(row.number, booked_on, amount, label))
    return BankStatement(lines, debits, unreadable, table.description)


def ibans_in(label: str) -> list[str]:
    """The valid IBANs written in a bank line's label (the payer's account), grouped by
    four or not: the longest run of groups from a country code that validates."""
    found = []
    for match in IBAN_RE.finditer(label.upper()):
        groups = match.group().split()
        for end in range(len(groups), 0, -1):
            try:
                found.append(str(iban.validate("".join(groups[:end]))))
                break
            except NotAnIban:
                continue
    return found


def _tokens(label: str) -> set[str]:
    return {t.upper() for t in TOKEN_RE.findall(label)}


def match_lines(actor: Actor, lines: list[BankLine]) -> list[MatchProposal]:
    """A proposal per credit line: sure (reference, invoice number) or suggested (amount)."""
    require(actor, Perm.PAYMENTS_RECORD)
    out: list[MatchProposal] = []
    with read_session() as session:
        debtor_of: dict[str, str] = {}

        def candidates(case_ids: list[int]) -> list[Candidate]:
            if not case_ids:
                return []
            rows = session.exec(
                select(Case.reference, Party.display_name)
                .join(Party, col(Party.id) == col(Case.debtor_id))
                .where(col(Case.id).in_(case_ids))
                .order_by(Case.reference)
                .limit(MAX_CANDIDATES)
            ).all()
            for ref, name in rows:
                debtor_of[ref] = name
            return [Candidate(ref, name) for ref, name in rows]

        for line in lines:
            refs = {f"{y}-{n}" for y, n in REFERENCE_RE.findall(line.label)}
            if refs:
                ids = session.exec(select(col(Case.id)).where(col(Case.reference).in_(refs))).all()
                if ids:
                    found = [i for i in ids if i is not None]
                    out.append(MatchProposal(line, MatchKind.REFERENCE, candidates(found)))
                    continue
            digests = [iban_digest(i) for i in ibans_in(line.label)]
            if digests:
                ids = session.exec(
                    select(Case.id)
                    .join(Party, col(Party.id) == col(Case.debtor_id))
                    .where(col(Party.iban_digest).in_(digests), col(Case.phase) != Phase.CLOSED)
                ).all()
                if ids:
                    found = [i for i in ids if i is not None]
                    out.append(MatchProposal(line, MatchKind.IBAN, candidates(found)))
                    continue
            tokens = _tokens(line.label)
            if tokens:
                ids = session.exec(
                    select(Claim.case_id)
                    .where(func.upper(Claim.invoice_number).in_(tokens))
                    .distinct()
                ).all()
                if ids:
                    out.append(MatchProposal(line, MatchKind.INVOICE, candidates(list(ids))))
                    continue
            paid = plan_paid_expr()
            instalment_cases = session.exec(
                select(InstalmentPlan.case_id)
                .join(Instalment, col(Instalment.plan_id) == col(InstalmentPlan.id))
                .where(
                    col(InstalmentPlan.status).in_(HOLDING),
                    Instalment.amount_cents == line.amount_cents,
                    Instalment.cumulative_cents > paid,
                )
                .distinct()
                .limit(MAX_CANDIDATES)
            ).all()
            if instalment_cases:
                out.append(
                    MatchProposal(line, MatchKind.INSTALMENT, candidates(list(instalment_cases)))
                )
                continue
            balance_cases = session.exec(
                select(col(Case.id))
                .where(Case.balance_cents == line.amount_cents)
                .limit(MAX_CANDIDATES)
            ).all()
            if balance_cases:
                found = [i for i in balance_cases if i is not None]
                out.append(MatchProposal(line, MatchKind.BALANCE, candidates(found)))
                continue
            out.append(MatchProposal(line, MatchKind.NONE))
    return out


@dataclass(frozen=True)
class Booking:
    line: BankLine
    reference: str


@dataclass(frozen=True)
class BookingReport:
    booked: list[tuple[Booking, int]]  # with the payment id
    refused: list[tuple[Booking, str]]  # with the reason (duplicate, over-payment, …)


def book_lines(actor: Actor, bookings: list[Booking], today: date | None = None) -> BookingReport:
    """Record each confirmed line as a transfer on its case, one transaction per payment.
    A line refused (duplicate, more than the balance, unknown case) is reported, never
    forced: the user records it by hand from the case if it is right."""
    require(actor, Perm.PAYMENTS_RECORD)
    booked: list[tuple[Booking, int]] = []
    refused: list[tuple[Booking, str]] = []
    for booking in bookings:
        line = booking.line
        try:
            view = record_payment(
                actor,
                booking.reference,
                PaymentInput(
                    received_on=line.booked_on,
                    amount_cents=line.amount_cents,
                    method=PaymentMethod.TRANSFER,
                    reference=line.label[:140] or None,
                    note=f"Import du relevé bancaire, ligne {line.line}",
                ),
                today=today,
            )
        except CaseError as exc:
            refused.append((booking, exc.message))
            continue
        booked.append((booking, view.id))
    return BookingReport(booked, refused)
