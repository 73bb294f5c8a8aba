"""Choosing the creditor: debtors are never offered, imports need an explicit creditor,
never duplicate a SIREN and refuse a row whose debtor is the creditor itself."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from case_core.cases.parties import search_creditors
from case_core.imports.fec import analyse_fec, import_fec
from case_core.imports.invoices import import_invoices, recognise_headers
from case_core.imports.tabular import read_table
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.models import DebtorKind, Party
from tests.apptest_helpers import signed_in_app
from tests.conftest import make_admin
from tests.factories import CREDITOR_SIREN, DEBTOR_SIREN, company_debtor, make_case
from tests.import_helpers import make_creditor

HEADERS = ["N° facture", "Date d'échéance", "Montant TTC", "Raison sociale", "SIREN"]


def _table(rows: list[list[str]]) -> object:
    text = "\n".join(";".join(r) for r in [HEADERS, *rows]) + "\n"
    return read_table(text.encode("utf-8"), "f.csv")


def _parties_with_siren(siren: str) -> int:
    with read_session() as session:
        return session.exec(
            select(func.count()).select_from(Party).where(Party.siren == siren)
        ).one()


def test_creditor_search_leaves_out_debtors(admin: Actor) -> None:
    case = make_case(admin)  # creditor « Fournitures Durand SAS », debtor « Bâtiment Martin »
    lone = make_creditor(admin, siren="552032534", name="Nouvelle Société SA")
    found = search_creditors(admin, "")
    assert {p.id for p in found} == {case.creditor_id, lone}
    assert case.debtor_id not in {p.id for p in search_creditors(admin, "Martin")}
    assert [p.id for p in search_creditors(admin, CREDITOR_SIREN[:6])] == [case.creditor_id]
    assert [p.id for p in search_creditors(admin, "durand")] == [case.creditor_id]


def test_import_refuses_to_run_without_a_creditor(admin: Actor) -> None:
    table = _table([["F1", "01/03/2026", "10,00", "Client SA", ""]])
    with pytest.raises(ValidationError) as exc:
        import_invoices(admin, None, table, recognise_headers(HEADERS))  # type: ignore[arg-type]
    assert "créancier" in exc.value.errors["creditor"]
    with pytest.raises(ValidationError):
        import_fec(admin, None, analyse_fec(b"", "FEC.txt"))
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Party)).one() == 0


def test_import_matches_an_existing_siren_and_refuses_the_creditor_as_debtor(
    admin: Actor,
) -> None:
    # The existing debtor (of another creditor) and the importing creditor already exist.
    make_case(admin, debtor=company_debtor(siren=DEBTOR_SIREN))
    creditor_id = make_creditor(admin, siren="552032534", name="Nouvelle Société SA")
    rows = [
        ["F1", "01/03/2026", "10,00", "Bâtiment Martin", DEBTOR_SIREN],
        ["F2", "01/03/2026", "20,00", "Nouvelle Société", "552032534"],
    ]
    report = import_invoices(
        admin,
        creditor_id,
        _table(rows),  # type: ignore[arg-type]
        recognise_headers(HEADERS),
        default_kind=DebtorKind.PROFESSIONAL,
    )
    assert (report.created, report.debtors_created, report.rejected) == (1, 0, 1)
    (error,) = report.errors
    assert error.row == 3 and "créancier lui-même" in error.reason
    assert _parties_with_siren(DEBTOR_SIREN) == 1
    assert _parties_with_siren("552032534") == 1


def test_new_case_creditor_picker_offers_creditors_not_debtors(sqlite_url: str) -> None:
    admin = make_admin()
    make_case(admin)
    at = signed_in_app(admin, "pages/new_case.py")
    assert not at.exception, at.exception
    creditors = at.selectbox(key="creditor.pick").options
    debtors = at.selectbox(key="debtor.pick").options
    assert [o.split(" (")[0] for o in creditors] == ["Fournitures Durand SAS"]
    assert {o.split(" (")[0] for o in debtors} == {"Fournitures Durand SAS", "Bâtiment Martin SARL"}
