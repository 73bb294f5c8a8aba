"""The case list's export: every case the filter selects, to CSV (UTF-8 with BOM, ';',
amounts as French Excel reads them) or XLSX, streamed in batches; a cell a spreadsheet
would run as a formula never is."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

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
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dossiers")
    sheet.append(EXPORT_HEADERS)

    def text_cell(value: str | None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=without_forbidden(value or ""))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell

    def money(cents: int) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=Decimal(cents).scaleb(-2))
        cell.number_format = '#,##0.00 "€"'
        return cell

    def day(value: date | None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell

    for r in rows:
        sheet.append(
            [
                text_cell(r.reference),
                text_cell(r.debtor_name),
                text_cell(r.creditor_name),
                r.debtor_kind.label,
                r.phase.label,
                text_cell(r.assignee_name),
                money(r.principal_cents),
                money(r.paid_cents),
                money(r.balance_cents),
                day(r.oldest_due_date),
                r.days_overdue,
                day(r.next_action_date),
                day(r.limitation_date),
            ]
        )
        count += 1
    book.save(handle)
    return count
