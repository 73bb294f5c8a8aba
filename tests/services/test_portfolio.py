"""The portfolio: filters, sort, paging, search and exports against known cases."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from case_core.cases import export, portfolio
from case_core.cases import lifecycle as phases
from case_core.cases.detail import case_claims, case_history, case_view
from case_core.cases.portfolio import CaseFilter
from case_core.kernel.actor import Actor
from case_core.kernel.db import session_scope
from case_core.kernel.errors import PermissionDenied, ValidationError
from case_core.models import Case, ClosureReason, DebtorKind, Phase, Role
from tests.conftest import actor_with_role
from tests.factories import company_debtor, make_case, person_debtor

TODAY = date(2026, 11, 24)


@dataclass
class Book:
    admin: Actor
    collector: Actor
    creditor_id: int
    refs: dict[str, str]


@pytest.fixture
def book(admin: Actor) -> Book:
    """Five cases whose figures are known:

    name           kind   phase            balance     oldest due  assignee   next action
    Alpha SARL     pro    amiable          1 000,00    2026-01-31  collector  2026-11-20
    Bravo SAS      pro    pré-contentieux  5 000,50    2026-06-30  -          -
    DUPONT Jeanne  conso  amiable            250,00    2026-10-31  collector  2026-12-15
    =HACK SA       pro    médiation       12 000,00    2025-12-31  admin      -
    Echo SNC       pro    clos               400,00    2026-11-20  -          -
    """
    collector = actor_with_role(admin, Role.COLLECTOR)
    first = make_case(
        admin,
        debtor=company_debtor("Alpha SARL", siren=None, email="a@alpha.fr", phone=None),
        invoices=[("A-1", "01/01/2026", "31/01/2026", "1000")],
        assignee_id=collector.id,
    )
    with session_scope() as session:
        creditor_id = session.exec(select(Case.creditor_id)).one()

    def case(debtor, number, due, amount, kind=DebtorKind.PROFESSIONAL, assignee=None):  # type: ignore[no-untyped-def]
        return make_case(
            admin,
            creditor_id=creditor_id,
            debtor=debtor,
            kind=kind,
            invoices=[(number, "01/01/2025", due, amount)],
            assignee_id=assignee,
        ).reference

    refs = {"alpha": first.reference}
    refs["bravo"] = case(
        company_debtor("Bravo SAS", siren="552100554", email=None, phone="01 40 20 30 40"),
        "B-77",
        "30/06/2026",
        "5000,50",
    )
    refs["dupont"] = case(
        person_debtor(email="jeanne@exemple.fr"),
        "D-1",
        "31/10/2026",
        "250",
        DebtorKind.CONSUMER,
        collector.id,
    )
    refs["hack"] = case(
        company_debtor("=HACK SA", siren=None, email=None, phone=None),
        "H_100%",
        "31/12/2025",
        "12000",
        assignee=admin.id,
    )
    refs["echo"] = case(
        company_debtor("Echo SNC", siren=None, email=None, phone=None), "E-1", "20/11/2026", "400"
    )
    phases.change_phase(admin, refs["bravo"], Phase.PRE_CONTENTIEUX, 1)
    phases.change_phase(admin, refs["hack"], Phase.MEDIATION, 1)
    phases.close_case(admin, refs["echo"], ClosureReason.SETTLED, None, 1)
    phases.set_next_action(admin, refs["alpha"], date(2026, 11, 20), None, 1)
    phases.set_next_action(admin, refs["dupont"], date(2026, 12, 15), None, 1)
    with session_scope() as session:
        # limitation_date is computed by the claims capability; set here as data.
        for key, when in (
            ("alpha", TODAY + timedelta(days=30)),
            ("bravo", TODAY + timedelta(days=200)),
        ):
            c = session.exec(select(Case).where(Case.reference == refs[key])).one()
            c.limitation_date = when
            session.add(c)
    return Book(admin, collector, creditor_id, refs)


def _refs(book: Book, f: CaseFilter) -> list[str]:
    names = {v: k for k, v in book.refs.items()}
    page = portfolio.list_cases(book.collector, f, today=TODAY)
    return [names[r.reference] for r in page.rows]


def test_filters_each_against_known_data(book: Book) -> None:
    assert _refs(book, CaseFilter()) == ["alpha", "bravo", "dupont", "hack", "echo"]
    assert _refs(book, CaseFilter(phases=(Phase.AMIABLE,))) == ["alpha", "dupont"]
    assert _refs(book, CaseFilter(phases=(Phase.AMIABLE, Phase.MEDIATION))) == [
        "alpha",
        "dupont",
        "hack",
    ]
    assert _refs(book, CaseFilter(assignee_id=book.collector.id)) == ["alpha", "dupont"]
    assert _refs(book, CaseFilter(unassigned=True)) == ["bravo", "echo"]
    assert _refs(book, CaseFilter(creditor_id=book.creditor_id)) == [
        "alpha",
        "bravo",
        "dupont",
        "hack",
        "echo",
    ]
    assert _refs(book, CaseFilter(debtor_kind=DebtorKind.CONSUMER)) == ["dupont"]
    assert _refs(book, CaseFilter(min_balance_cents=100000, max_balance_cents=500050)) == [
        "alpha",
        "bravo",
    ]
    # Overdue by at least 300 days on 24/11/2026: due on or before 29/01/2026.
    assert _refs(book, CaseFilter(min_days_overdue=300)) == ["hack"]
    assert _refs(book, CaseFilter(next_action_by=date(2026, 11, 30))) == ["alpha"]
    assert _refs(book, CaseFilter(near_limitation=True)) == ["alpha"]
    combined = CaseFilter(phases=(Phase.AMIABLE,), debtor_kind=DebtorKind.PROFESSIONAL)
    assert _refs(book, combined) == ["alpha"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alpha", ["alpha"]),
        ("ALPHA sarl", ["alpha"]),
        ("552 100 554", ["bravo"]),
        ("b-77", ["bravo"]),
        ("01 40 20 30 40", ["bravo"]),
        ("jeanne@exemple.fr", ["dupont"]),
        ("h_100%", ["hack"]),
        ("_", ["hack"]),  # a LIKE wildcard is searched as itself
        ("zzz", []),
    ],
)
def test_search(book: Book, text: str, expected: list[str]) -> None:
    assert _refs(book, CaseFilter(search=text)) == expected
    ref = book.refs["dupont"]
    assert _refs(book, CaseFilter(search=ref)) == ["dupont"]


def test_sort_and_pages(book: Book) -> None:
    by_balance = CaseFilter(sort="balance", descending=True)
    assert _refs(book, by_balance) == ["hack", "bravo", "alpha", "echo", "dupont"]
    assert _refs(book, CaseFilter(sort="debtor")) == ["hack", "alpha", "bravo", "dupont", "echo"]
    first = portfolio.list_cases(book.admin, CaseFilter(sort="balance", page_size=2), today=TODAY)
    assert (first.total, first.pages, first.page) == (5, 3, 1)
    assert [r.balance_cents for r in first.rows] == [25000, 40000]
    last = portfolio.list_cases(
        book.admin, CaseFilter(sort="balance", page_size=2, page=3), today=TODAY
    )
    assert [r.balance_cents for r in last.rows] == [1200000]
    beyond = portfolio.list_cases(book.admin, CaseFilter(page_size=2, page=99), today=TODAY)
    assert beyond.page == 3
    row = first.rows[0]
    assert row.debtor_name == "DUPONT Jeanne" and row.assignee_name == "Test Chargé de recouvrement"
    assert row.days_overdue == (TODAY - date(2026, 10, 31)).days
    with pytest.raises(ValidationError):
        portfolio.list_cases(book.admin, CaseFilter(min_balance_cents=10, max_balance_cents=5))


def test_exports_reopened(book: Book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = CaseFilter(phases=(Phase.AMIABLE, Phase.MEDIATION), sort="balance")
    buffer = io.BytesIO()
    assert export.export_cases(book.collector, f, buffer, "csv", today=TODAY) == 3
    raw = buffer.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == export.EXPORT_HEADERS
    # Principal minus payments: not the « Solde dû » of the Décompte (interest included).
    assert lines[0][8] == "Solde hors intérêts"
    assert [(line[1], line[4], line[8]) for line in lines[1:]] == [
        ("DUPONT Jeanne", "Amiable", "250,00"),
        ("Alpha SARL", "Amiable", "1000,00"),
        ("'=HACK SA", "Médiation", "12000,00"),
    ]
    path = tmp_path / "dossiers.xlsx"
    assert export.export_cases(book.collector, f, path, today=TODAY) == 3
    sheet = load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == export.EXPORT_HEADERS
    assert values[3][1] == "=HACK SA"  # kept as text, not run as a formula
    assert sheet.cell(row=4, column=2).data_type == "s"
    assert [Decimal(str(v[8])) for v in values[1:]] == [
        Decimal("250"),
        Decimal("1000"),
        Decimal("12000"),
    ]
    assert values[1][9].date() == date(2026, 10, 31)
    # Every row's own values, though the export reuses one styled cell per column.
    assert [v[0] for v in values[1:]] == [line[0] for line in lines[1:]]
    assert sheet.cell(row=2, column=9).number_format == '#,##0.00 "€"'
    assert sheet.cell(row=2, column=10).number_format == "DD/MM/YYYY"
    # Ready to read: header frozen, filter over the whole table, columns wide enough.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M4"
    assert sheet.column_dimensions["B"].width >= 30
    viewer = actor_with_role(book.admin, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        export.export_cases(viewer, f, io.BytesIO(), "csv")


def test_case_view_header_claims_documents_history(book: Book) -> None:
    detail = case_view(book.collector, book.refs["alpha"], today=TODAY)
    assert detail.debtor.display_name == "Alpha SARL"
    assert detail.creditor.display_name == "Fournitures Durand SAS"
    assert detail.phase == Phase.AMIABLE
    assert detail.allowed_phases == [Phase.PRE_CONTENTIEUX, Phase.MEDIATION]
    assert (detail.principal_cents, detail.paid_cents, detail.balance_cents) == (100000, 0, 100000)
    assert detail.oldest_due_date == date(2026, 1, 31)
    assert detail.days_overdue == (TODAY - date(2026, 1, 31)).days
    assert detail.version == 2 and detail.assignee_name == "Test Chargé de recouvrement"
    assert [c.invoice_number for c in case_claims(book.admin, detail.reference)] == ["A-1"]
    history = case_history(book.admin, detail.reference)
    # The debtor's own events belong to the case's story (their creation, here); the
    # creditor's do not.
    assert [h.action for h in history] == [
        "case.next_action",
        "claim.create",
        "case.create",
        "party.create",
    ]
    assert history[0].action_label == "Prochaine action"


def test_cli_export_cases(book: Book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from case_core.cli import cli

    path = tmp_path / "amiable.csv"
    result = CliRunner().invoke(
        cli, ["export", "cases", str(path), "--phase", "amiable", "--phase", "mediation"]
    )
    assert result.exit_code == 0, result.output
    assert "3 dossier(s) exporté(s)" in result.output
    lines = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert sorted(line[0] for line in lines[1:]) == sorted(
        book.refs[k] for k in ("alpha", "dupont", "hack")
    )
    xlsx = tmp_path / "tout.xlsx"
    result = CliRunner().invoke(cli, ["export", "cases", str(xlsx), "--min-balance", "1 000"])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == sorted(
        book.refs[k] for k in ("alpha", "bravo", "hack")
    )
    result = CliRunner().invoke(cli, ["export", "cases", str(path), "--min-balance", "12,345"])
    assert result.exit_code == 1 and "Deux décimales au plus" in result.output
