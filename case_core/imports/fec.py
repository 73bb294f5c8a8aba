"""Import of open customer receivables from a FEC (Fichier des Écritures Comptables).

A FEC (article A47 A-1 du Livre des procédures fiscales) has 18 columns, `|` or tab
separated, dates YYYYMMDD and amounts with a decimal comma (Debit and Credit, or the
other layout the text allows: Montant and Sens D/C). It has no due date: the due
date is the piece date (else the entry date) plus a payment term chosen by the user.

Which amounts are open, for each customer (auxiliary account CompAuxNum, else the 411
account itself):
1. Lines on accounts 411… only. A letter group (EcritureLet) that balances is settled
   and dropped entirely; lines of a group that does not balance stay, as do unlettered
   lines.
2. The remaining lines are netted per piece (PieceRef): an invoice and a payment or
   credit note carrying the same PieceRef offset each other.
3. Pieces left with a credit balance (payments, credit notes) are applied first to the
   invoices of their own unbalanced letter group, then to the customer's other open
   invoices, oldest first (piece date, then PieceRef).
4. What remains positive is open: one claim per PieceRef, for that remaining amount.
   A customer whose credits exceed the invoices has nothing to recover (reported).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from case_core.cases.intake import DESCRIPTION_MAX, INVOICE_NUMBER_MAX
from case_core.cases.parties import COMPANY_NAME_MAX, NAME_MAX, PartyInput
from case_core.imports.tabular import check_size, decode_text, read_csv_text
from case_core.imports.writer import (
    DebtorChecks,
    ImportReport,
    InvoiceRecord,
    Progress,
    RowError,
    get_creditor,
    import_records,
)
from case_core.kernel.actor import Actor
from case_core.kernel.dates import parse_date
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.money import format_cents, parse_amount
from case_core.kernel.permissions import Perm, require
from case_core.models import DebtorKind, PartyKind

FEC_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
SIGNED_AMOUNT_COLUMNS = ("Montant", "Sens")
RECEIVABLE_PREFIX = "411"
DEFAULT_TERM_DAYS = 30


@dataclass(frozen=True)
class FecLine:
    row: int
    account: str  # the customer: CompAuxNum, else CompteNum
    customer_name: str
    piece_ref: str
    piece_date: date
    label: str
    amount_cents: int  # debit - credit
    letter: str


@dataclass(frozen=True)
class OpenItem:
    account: str
    customer_name: str
    piece_ref: str
    piece_date: date
    label: str
    original_cents: int
    open_cents: int
    rows: tuple[int, ...]


@dataclass
class FecAnalysis:
    lines_read: int = 0
    receivable_lines: int = 0
    items: list[OpenItem] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Customers whose payments and credit notes exceed their invoices: account -> cents.
    credit_balances: dict[str, int] = field(default_factory=dict)

    @property
    def customers(self) -> list[str]:
        return sorted({i.account for i in self.items})

    def open_total(self, account: str | None = None) -> int:
        return sum(i.open_cents for i in self.items if account in (None, i.account))

    def per_customer(self) -> list[tuple[str, str, int, int]]:
        """(account, customer name, open pieces, open amount in cents), by account."""
        return [
            (
                account,
                next(i.customer_name for i in self.items if i.account == account),
                sum(1 for i in self.items if i.account == account),
                self.open_total(account),
            )
            for account in self.customers
        ]


def read_fec(
    data: bytes, filename: str = ""
) -> tuple[list[FecLine], list[RowError], int, set[str]]:
    """The receivable (411…) lines of the file, the unreadable ones, the number of lines
    read, and the customers that have an unreadable line."""
    check_size(len(data))
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ValidationError({"file": "Le fichier est vide."})
    text, encoding = decode_text(data)
    table = read_csv_text(text, "|\t", encoding)
    wanted = {name.lower(): name for name in (*FEC_COLUMNS, *SIGNED_AMOUNT_COLUMNS)}
    position = {
        wanted[h.strip().lower()]: i
        for i, h in enumerate(table.headers)
        if h.strip().lower() in wanted
    }
    # The other layout the law allows: one amount and its direction (Montant, Sens).
    signed = all(n in position for n in SIGNED_AMOUNT_COLUMNS) and "Debit" not in position
    optional = {"Montantdevise", "Idevise", *(("Debit", "Credit") if signed else ())}
    missing = [name for name in FEC_COLUMNS if name not in position and name not in optional]
    if missing:
        raise ValidationError(
            {
                "file": "Ce fichier n'est pas un FEC : colonnes absentes "
                + ", ".join(missing[:6])
                + (" …" if len(missing) > 6 else "")
                + " (attendu : les 18 colonnes JournalCode|JournalLib|…, séparées par | "
                "ou une tabulation)."
            }
        )
    lines: list[FecLine] = []
    errors: list[RowError] = []
    tainted: set[str] = set()
    for row in table.rows:

        def cell(name: str, cells: list[str] = row.cells) -> str:
            i = position.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        account = cell("CompteNum")
        if not account.startswith(RECEIVABLE_PREFIX):
            continue
        row_errors: list[RowError] = []
        amounts = {"Debit": 0, "Credit": 0}
        for name in SIGNED_AMOUNT_COLUMNS[:1] if signed else ("Debit", "Credit"):
            raw = cell(name)
            try:
                amounts[name] = parse_amount(raw, name) if raw else 0
            except ValidationError as exc:
                row_errors.append(RowError(row.number, name, exc.message))
        if signed and not row_errors:
            direction = cell("Sens").upper()
            if direction in ("D", "+1", "1"):
                amounts["Debit"] = amounts["Montant"]
            elif direction in ("C", "-1"):
                amounts["Credit"] = amounts["Montant"]
            else:
                row_errors.append(
                    RowError(row.number, "Sens", f"Sens « {direction} » inconnu (D ou C).")
                )
        piece_date = None
        for name in ("PieceDate", "EcritureDate"):
            raw = cell(name)
            if not raw:
                continue
            try:
                piece_date = parse_date(raw, name)
                break
            except ValidationError as exc:
                row_errors.append(RowError(row.number, name, exc.message))
                break
        if piece_date is None and not row_errors:
            row_errors.append(RowError(row.number, "PieceDate", "Date de pièce absente."))
        aux = cell("CompAuxNum")
        if row_errors:
            errors.extend(row_errors)
            tainted.add(aux or account)
            continue
        assert piece_date is not None
        lines.append(
            FecLine(
                row=row.number,
                account=aux or account,
                customer_name=(cell("CompAuxLib") if aux else "") or cell("CompteLib") or aux,
                piece_ref=cell("PieceRef") or f"{cell('JournalCode')}-{cell('EcritureNum')}",
                piece_date=piece_date,
                label=cell("EcritureLib"),
                amount_cents=amounts["Debit"] - amounts["Credit"],
                letter=cell("EcritureLet"),
            )
        )
    return lines, errors, len(table.rows), tainted


@dataclass
class _Piece:
    ref: str
    date: date
    label: str
    net: int
    debit: int
    letter: str
    rows: list[int]


def open_items(lines: Sequence[FecLine]) -> tuple[list[OpenItem], dict[str, int]]:
    """Open invoices per customer, and the customers left in credit (see module doc)."""
    by_group: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        if line.letter:
            by_group[(line.account, line.letter)] += line.amount_cents
    remaining = [
        line for line in lines if not line.letter or by_group[(line.account, line.letter)] != 0
    ]
    per_customer: dict[str, list[FecLine]] = defaultdict(list)
    names: dict[str, str] = {}
    for line in remaining:
        per_customer[line.account].append(line)
        names.setdefault(line.account, line.customer_name)
    items: list[OpenItem] = []
    credit_balances: dict[str, int] = {}
    for account in sorted(per_customer):
        pieces: dict[str, _Piece] = {}
        for line in sorted(per_customer[account], key=lambda ln: (ln.piece_date, ln.row)):
            piece = pieces.get(line.piece_ref)
            if piece is None:
                piece = pieces[line.piece_ref] = _Piece(
                    line.piece_ref, line.piece_date, line.label, 0, 0, line.letter, []
                )
            piece.net += line.amount_cents
            piece.rows.append(line.row)
            if line.amount_cents > 0:
                piece.debit += line.amount_cents
                # An invoice's date and label are those of its debit line.
                if piece.debit == line.amount_cents:
                    piece.date, piece.label = line.piece_date, line.label or piece.label
            piece.letter = piece.letter or line.letter
        ordered = sorted(pieces.values(), key=lambda p: (p.date, p.ref))
        invoices = [p for p in ordered if p.net > 0]
        credits = [p for p in ordered if p.net < 0]
        for credit in credits:
            # Own letter group first, then any invoice, oldest first.
            targets = [p for p in invoices if credit.letter and p.letter == credit.letter]
            targets += [p for p in invoices if p not in targets]
            for invoice in targets:
                if credit.net == 0:
                    break
                used = min(invoice.net, -credit.net)
                invoice.net -= used
                credit.net += used
        left = sum(c.net for c in credits)
        if left < 0:
            credit_balances[account] = -left
        for invoice in invoices:
            if invoice.net > 0:
                items.append(
                    OpenItem(
                        account=account,
                        customer_name=names[account],
                        piece_ref=invoice.ref,
                        piece_date=invoice.date,
                        label=invoice.label,
                        original_cents=invoice.debit,
                        open_cents=invoice.net,
                        rows=tuple(invoice.rows),
                    )
                )
    return items, credit_balances


def analyse_fec(data: bytes, filename: str = "") -> FecAnalysis:
    """What the FEC holds as open receivables, before anything is written."""
    lines, errors, read, tainted = read_fec(data, filename)
    # A customer with an unreadable line is left out whole: its open amounts would be wrong.
    bad_rows = {e.row for e in errors}
    items, credits = open_items([ln for ln in lines if ln.account not in tainted])
    return FecAnalysis(
        lines_read=read,
        receivable_lines=len(lines) + len(bad_rows),
        items=items,
        errors=errors,
        credit_balances=credits,
    )


def _debtor(name: str, kind: DebtorKind) -> PartyInput:
    if kind == DebtorKind.PROFESSIONAL:
        return PartyInput(kind=PartyKind.COMPANY, company_name=name[:COMPANY_NAME_MAX])
    return PartyInput(kind=PartyKind.PERSON, last_name=name[:NAME_MAX])


def to_records(
    analysis: FecAnalysis, term_days: int, debtor_kind: DebtorKind
) -> tuple[list[InvoiceRecord], list[RowError]]:
    records: list[InvoiceRecord] = []
    errors: list[RowError] = []
    owner: dict[str, str] = {}
    debtors = DebtorChecks()
    for item in analysis.items:
        row = item.rows[0]
        if len(item.piece_ref) > INVOICE_NUMBER_MAX:
            errors.append(
                RowError(row, "PieceRef", f"PieceRef trop long ({INVOICE_NUMBER_MAX} au plus).")
            )
            continue
        if item.piece_ref in owner and owner[item.piece_ref] != item.account:
            errors.append(
                RowError(
                    row,
                    "PieceRef",
                    f"Pièce « {item.piece_ref} » ouverte chez deux clients "
                    f"({owner[item.piece_ref]} et {item.account}).",
                )
            )
            continue
        owner[item.piece_ref] = item.account
        try:
            debtor = debtors.check(_debtor(item.customer_name or item.account, debtor_kind))
        except ValidationError as exc:
            errors.extend(RowError(row, "CompAuxLib", message) for message in exc.errors.values())
            continue
        label = item.label or f"Pièce {item.piece_ref}"
        if item.open_cents != item.original_cents:
            label += f" (solde ouvert ; montant d'origine {format_cents(item.original_cents)})"
        records.append(
            InvoiceRecord(
                row=row,
                invoice_number=item.piece_ref,
                issue_date=item.piece_date,
                due_date=item.piece_date + timedelta(days=term_days),
                principal_cents=item.open_cents,
                description=label[:DESCRIPTION_MAX],
                debtor=debtor,
                debtor_kind=debtor_kind,
            )
        )
    return records, errors


def import_fec(
    actor: Actor,
    creditor_id: int | None,
    analysis: FecAnalysis,
    *,
    term_days: int = DEFAULT_TERM_DAYS,
    debtor_kind: DebtorKind = DebtorKind.PROFESSIONAL,
    progress: Progress | None = None,
) -> ImportReport:
    """One case per customer with open items (same idempotence as the invoice import)."""
    require(actor, Perm.CASES_IMPORT)
    if not 0 <= term_days <= 365:
        raise ValidationError({"term_days": "Délai de paiement entre 0 et 365 jours."})
    with read_session() as session:
        get_creditor(session, creditor_id)
    records, errors = to_records(analysis, term_days, DebtorKind(debtor_kind))
    all_errors = [*analysis.errors, *errors]
    report = ImportReport(errors=all_errors, rejected=len({e.row for e in all_errors}))
    return import_records(
        actor, creditor_id, records, report, source="import FEC", progress=progress
    )
