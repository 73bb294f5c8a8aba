"""Each chart's table downloads as a CSV a French spreadsheet reads (';', BOM, 1234,56)
and an XLSX whose cells are numbers with € and % formats."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from case_core.kernel.actor import Actor
from case_core.reports.dashboard import build_dashboard
from case_core.reports.filters import DashboardFilter
from case_core.reports.tables import (
    activity_table,
    ageing_table,
    cash_table,
    cei_table,
    cohort_table,
    collectors_table,
    dso_table,
    plans_risks_table,
    promises_table,
    to_csv,
    to_xlsx,
)
from tests import dashboard_helpers as h

T = date(2026, 11, 23)


def test_ageing_table_as_csv_and_xlsx(admin: Actor) -> None:
    a = h.creditor("Alpha SAS")
    h.case(a, [(date(2026, 11, 1), 1_234_567_89)], placed_on=date(2026, 11, 2))
    board = build_dashboard(admin, DashboardFilter(period_start=date(2026, 9, 1)), today=T)
    table = ageing_table(board.ageing)

    data = to_csv(table)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Ancienneté", "Phase", "Encours (€)", "Dossiers", "Factures"]
    assert rows[1] == ["1 à 30 jours", "Amiable", "1234567,89", "1", "1"]
    assert rows[-1] == ["Total", "", "1234567,89", "1", "1"]

    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None
    assert Decimal(str(sheet["C2"].value)) == Decimal("1234567.89")
    assert sheet["C2"].number_format == '#,##0.00 "€"'

    cash = list(
        csv.reader(
            io.StringIO(to_csv(cash_table(board.cash, board.forecast)).decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert cash[1][0] == "09/2026" and cash[1][1] == "Réalisé"
    cohorts = load_workbook(io.BytesIO(to_xlsx(cohort_table(board.cohorts)))).active
    assert cohorts is not None
    assert cohorts["A2"].number_format == "MM/YYYY" and cohorts["E2"].value == 0.0
    assert cohorts["E2"].number_format == "0.0%"


def test_a_name_that_looks_like_a_formula_stays_text(admin: Actor) -> None:
    h.case(h.creditor("=Formule SAS"), [(date(2026, 11, 1), 100_00)])
    table = dso_table(build_dashboard(admin, DashboardFilter(), today=T).dso)
    assert "'=Formule SAS" in to_csv(table).decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None and sheet["A2"].value == "=Formule SAS"
    assert sheet["A2"].data_type == "s"


def test_every_chart_table_opens_in_a_spreadsheet(admin: Actor) -> None:
    a = h.creditor("Alpha SAS")
    case_id = h.case(a, [(date(2026, 10, 1), 500_00)], placed_on=date(2026, 10, 2))
    h.contact(case_id, admin.id or 0, date(2026, 11, 20))
    h.promise(case_id, admin.id or 0, date(2026, 11, 20), [(date(2026, 12, 1), 100_00)])
    h.plan(case_id, admin.id or 0, date(2026, 11, 1), [(date(2026, 12, 15), 200_00)])
    board = build_dashboard(admin, DashboardFilter(period_start=date(2026, 9, 1)), today=T)
    tables = [
        ageing_table(board.ageing),
        cash_table(board.cash, board.forecast),
        cohort_table(board.cohorts),
        promises_table(board.promises),
        activity_table(board.activity),
        collectors_table(board.activity),
        dso_table(board.dso),
        cei_table(board.cei),
        plans_risks_table(board.plans, board.risks),
    ]
    for table in tables:
        assert table.rows, table.name
        rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig")), delimiter=";"))
        assert len(rows) == len(table.rows) + 1
        sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
        assert sheet is not None and sheet.max_row == len(table.rows) + 1, table.name
