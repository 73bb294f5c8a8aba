"""The case list's export: every case the filter selects, to CSV (UTF-8 with BOM, ';',
amounts as French Excel reads them) or XLSX (XlsxWriter in constant memory: widths, frozen
header, filter), streamed in batches; a cell a spreadsheet
would run as a formula never is."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO, Literal

import xlsxwriter

from case_core.cases.portfolio import CaseFilter, CaseRow, iter_cases
from case_core.kernel.actor import Actor
from case_core.kernel.errors import ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.text import safe_cell, without_forbidden

EXPORT_HEADERS = [
    "Référence",
    "Débiteur",
    "Créancier",
    "Type de débiteur",
    "Phase",
    "Chargé de dossier",
    "Principal",
    "Payé",
    "Solde hors intérêts",
    "Échéance la plus ancienne",
    "Jours de retard",
    "Prochaine action",
    "Prescription",
]
# Column widths of the XLSX export, in characters, in EXPORT_HEADERS order.
EXPORT_WIDTHS = [14, 36, 30, 16, 16, 24, 14, 14, 18, 14, 10, 14, 14]


def _plain_amount(cents: int) -> str:
    """'1234,56' — what French Excel reads as a number (no symbol, no grouping)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros},{rest:02d}"


def _csv_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def export_cases(
    actor: Actor,
    f: CaseFilter,
    target: str | Path | IO[bytes],
    fmt: Literal["csv", "xlsx"] | None = None,
    today: date | None = None,
) -> int:
    """Write every case of the filter to CSV (UTF-8 with BOM, ';') or XLSX; rows written."""
    require(actor, Perm.CASES_EXPORT)
    if fmt is None:
        suffix = Path(target).suffix.lower() if isinstance(target, str | Path) else ".csv"
        fmt = "xlsx" if suffix == ".xlsx" else "csv"
    if fmt not in ("csv", "xlsx"):
        raise ValidationError({"format": "Format d'export inconnu (csv ou xlsx)."})
    rows = iter_cases(actor, replace(f, page=1), today)
    if isinstance(target, str | Path):
        with open(target, "wb") as handle:
            return _write(rows, handle, fmt)
    return _write(rows, target, fmt)


def _write(rows: Iterator[CaseRow], handle: IO[bytes], fmt: str) -> int:
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text, delimiter=";")
        writer.writerow(EXPORT_HEADERS)
        for r in rows:
            writer.writerow(
                [
                    r.reference,
                    safe_cell(r.debtor_name),
                    safe_cell(r.creditor_name),
                    r.debtor_kind.label,
                    r.phase.label,
                    safe_cell(r.assignee_name),
                    _plain_amount(r.principal_cents),
                    _plain_amount(r.paid_cents),
                    _plain_amount(r.balance_cents),
                    _csv_date(r.oldest_due_date),
                    r.days_overdue,
                    _csv_date(r.next_action_date),
                    _csv_date(r.limitation_date),
                ]
            )
            count += 1
        text.flush()
        text.detach()  # leave the caller's handle open
        return count
    book = xlsxwriter.Workbook(handle, {"constant_memory": True})
    sheet = book.add_worksheet("Dossiers")
    money = book.add_format({"num_format": '#,##0.00 "€"'})
    day = book.add_format({"num_format": "DD/MM/YYYY"})
    bold = book.add_format({"bold": True})
    for column, width in enumerate(EXPORT_WIDTHS):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, EXPORT_HEADERS, bold)

    def write_text(row: int, column: int, value: str | None) -> None:
        # write_string: a text is never run as a formula, whatever it starts with.
        sheet.write_string(row, column, without_forbidden(value or ""))

    for r in rows:
        count += 1
        write_text(count, 0, r.reference)
        write_text(count, 1, r.debtor_name)
        write_text(count, 2, r.creditor_name)
        write_text(count, 3, r.debtor_kind.label)
        write_text(count, 4, r.phase.label)
        write_text(count, 5, r.assignee_name)
        sheet.write_number(count, 6, r.principal_cents / 100, money)
        sheet.write_number(count, 7, r.paid_cents / 100, money)
        sheet.write_number(count, 8, r.balance_cents / 100, money)
        if r.oldest_due_date:
            sheet.write_datetime(count, 9, r.oldest_due_date, day)
        sheet.write_number(count, 10, r.days_overdue)
        if r.next_action_date:
            sheet.write_datetime(count, 11, r.next_action_date, day)
        if r.limitation_date:
            sheet.write_datetime(count, 12, r.limitation_date, day)
    sheet.autofilter(0, 0, count, len(EXPORT_HEADERS) - 1)
    book.close()
    return count
