"""Cells a spreadsheet opens: formulas neutralised, figures kept, control characters dropped
(one function, kernel.text.safe_cell, for every CSV and XLSX export)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from case_core.kernel.text import safe_cell
from case_core.reports.tables import Table, to_csv, to_xlsx


def test_safe_cell_neutralises_formulas_but_not_figures() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("-1+2") == "'-1+2"
    assert safe_cell("@SOMME(A1)") == "'@SOMME(A1)"
    assert safe_cell("-1\u202f234,56\u00a0€") == "-1\u202f234,56\u00a0€"
    assert safe_cell("-12,50") == "-12,50"
    assert safe_cell("Martin\x0bSA\x00") == "MartinSA"
    assert safe_cell(None) == ""


def test_a_dashboard_table_with_a_stored_control_character_exports() -> None:
    rows = [("=Martin\x0bSA", -1250)]
    table = Table("Créanciers", [("Créancier", "text"), ("Encours", "cents")], rows)
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None and sheet["A2"].value == "=MartinSA"
    assert sheet["A2"].data_type == "s"
    assert "'=MartinSA;-12,50" in to_csv(table).decode("utf-8-sig")
