"""The statement as JSON (cents, ISO dates), CSV and XLSX: what users download."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import date
from decimal import Decimal
from typing import Any

from case_core.kernel.dates import format_date
from case_core.kernel.money import format_cents, format_rate_bp
from case_core.kernel.text import safe_cell, without_forbidden
from case_core.statement.interest import (
    DAY_COUNT_CONVENTION,
)
from case_core.statement.lines import ImputationView, Statement


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
                "capitalisations": [
                    {
                        "on": cap.on.isoformat(),
                        "amount_cents": cap.amount_cents,
                        "bearing_cents": cap.bearing_cents,
                    }
                    for cap in c.capitalisations
                ],
                "interest_cents": c.interest_cents,
                "interest_paid_cents": c.interest_paid_cents,
                "interest_outstanding_cents": c.interest_outstanding_cents,
                "indemnity_cents": c.indemnity_cents,
                "indemnity_paid_cents": c.indemnity_paid_cents,
                "indemnity_outstanding_cents": c.indemnity_outstanding_cents,
                "balance_cents": c.balance_cents,
                "limitation_date": c.limitation_date.isoformat(),
                "limitation_from": _iso(c.limitation_from),
                "limitation_note": c.limitation_note,
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
        "day_count": DAY_COUNT_CONVENTION,
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
        for cap in c.capitalisations:
            rows.append([cap.label])
        rows.append(["Total intérêts", "", "", "", "", money(c.interest_cents)])
        if c.indemnity_cents:
            rows.append(["Indemnité forfaitaire", "", "", "", "", money(c.indemnity_cents)])
        paid = c.principal_paid_cents + c.interest_paid_cents + c.indemnity_paid_cents
        rows.append(["Payé", "", "", "", "", money(-paid)])
        rows.append(["Solde", "", "", "", "", money(c.balance_cents)])
        rows.append(["Prescription", format_date(c.limitation_date)])
        if c.limitation_note:
            rows.append([c.limitation_note])
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
    rows.append([DAY_COUNT_CONVENTION])
    return rows


def statement_to_csv(statement: Statement) -> bytes:
    """CSV the French way (';' separator, '1 234,56 €', JJ/MM/AAAA), UTF-8 with BOM so
    that Excel opens it right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    # Every cell through safe_cell: a debtor's name, an invoice number, a payment reference
    # or a cost label typed as « =HYPERLINK(…) » must not run when the file is opened.
    writer.writerows([safe_cell(cell) for cell in row] for row in statement_rows(statement))
    return buffer.getvalue().encode("utf-8-sig")


def _append(sheet: Any, values: list[Any]) -> None:
    """A row whose text cells are text: never a formula, whatever they start with, and
    without the characters an XLSX cannot hold (openpyxl refuses them)."""
    sheet.append([without_forbidden(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


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
    _append(ws, ["Décompte", statement.reference or "", "arrêté au", statement.at])
    ws.cell(row=1, column=4).number_format = day
    _append(ws, ["Débiteur", statement.debtor_name or ""])
    _append(ws, ["Créancier", statement.creditor_name or ""])
    _append(ws, [])
    header = ["Facture", "Poste", "Du", "Au", "Jours", "Base", "Taux", "Montant", "Détail"]
    _append(ws, header)
    for cell in ws[ws.max_row]:
        cell.font = bold

    def put(values: list[Any]) -> None:
        _append(ws, values)
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
        for cap in c.capitalisations:
            put(
                [
                    c.invoice_number,
                    "Capitalisation",
                    None,
                    cap.on,
                    None,
                    None,
                    None,
                    None,
                    cap.label,
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
    _append(ws, [])
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
    _append(ws, [])
    _append(ws, [DAY_COUNT_CONVENTION])
    for letter, width in zip("ABCDEFGHI", (16, 26, 12, 12, 7, 14, 9, 14, 60), strict=True):
        ws.column_dimensions[letter].width = width

    pay = wb.create_sheet("Paiements")
    _append(pay, ["Date", "Montant", "Référence", "Imputé à", "Facture / frais", "Montant imputé"])
    for cell in pay[1]:
        cell.font = bold
    for p in statement.payments:
        imputations: list[ImputationView | None] = list(p.imputations) or [None]
        for i in imputations:
            _append(
                pay,
                [
                    p.received_on,
                    eur(p.amount_cents),
                    p.reference or "",
                    i.bucket.label if i else "",
                    (i.invoice_number or i.cost_label or "") if i else "",
                    eur(i.amount_cents) if i else None,
                ],
            )
            row = pay[pay.max_row]
            row[0].number_format = day
            row[1].number_format = euros
            row[5].number_format = euros
    costs = wb.create_sheet("Frais")
    _append(costs, ["Date", "Libellé", "À la charge de", "Montant", "Payé"])
    for cost in statement.costs:
        _append(
            costs,
            [
                cost.incurred_on,
                cost.label,
                cost.borne_by.label,
                eur(cost.amount_cents),
                eur(cost.paid_cents),
            ],
        )
        row = costs[costs.max_row]
        row[0].number_format = day
        row[3].number_format = euros
        row[4].number_format = euros
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
