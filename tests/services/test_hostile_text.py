"""Hostile text on both databases: stored exactly, or refused in French with nothing written.

The write mechanism checks every text it stores against its column (length, forbidden
characters); searches and lookups take a NUL without a traceback; exports of text typed as
a formula or holding a control character stored before the check neither run nor crash.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlmodel import select

from case_core.accounts import auth
from case_core.cases import export
from case_core.cases.parties import search_parties
from case_core.cases.portfolio import CaseFilter, list_cases
from case_core.journal.contacts import ContactInput, log_contact
from case_core.kernel.actor import Actor
from case_core.kernel.db import get_engine, read_session
from case_core.kernel.errors import CaseError, ValidationError
from case_core.models import Channel, ContactEvent, ContactOutcome, Role
from case_core.payments.service import PaymentInput, record_payment
from case_core.statement.account import statement_for_case
from case_core.statement.exports import statement_to_csv, statement_to_xlsx
from tests.factories import company_debtor, make_case
from tests.snapshot_helpers import snapshot


def _refused(call: object, *fields: str) -> ValidationError:
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        call()  # type: ignore[operator]
    assert snapshot() == before, "a refused input wrote something"
    for name in fields:
        assert name in refused.value.errors, refused.value.errors
    return refused.value


def test_an_address_longer_than_its_column_is_refused_naming_the_field(admin: Actor) -> None:
    debtor = replace(company_debtor(), city="V" * 151)
    error = _refused(lambda: make_case(admin, debtor=debtor), "city")
    assert error.errors["city"] == "Ville : 151 caractères, 150 au plus."


@pytest.mark.parametrize(
    ("char", "named"),
    [("\x00", "caractère nul"), ("\x0b", "tabulation verticale"), ("\ud800", "incomplet")],
)
def test_a_forbidden_character_in_a_note_is_refused_in_french(
    admin: Actor, char: str, named: str
) -> None:
    case = make_case(admin)
    data = ContactInput(Channel.EMAIL_OUT, ContactOutcome.NO_ANSWER, note=f"Rappel{char}demain")
    error = _refused(lambda: log_contact(admin, case.reference, data), "note")
    assert error.errors["note"].startswith("Note : caractère interdit en position 7")
    assert named in error.errors["note"]


def test_emoji_braces_and_markup_are_stored_exactly(admin: Actor) -> None:
    case = make_case(admin)
    note = "Client 😀 {{ debtor.name }} {% if x %} & <b>gras</b>\r\nligne\ttab"
    log_contact(
        admin, case.reference, ContactInput(Channel.EMAIL_OUT, ContactOutcome.NO_ANSWER, note=note)
    )
    with read_session() as session:
        stored = session.exec(select(ContactEvent.note)).all()
    assert stored == [note]


def test_a_nul_in_a_search_finds_nothing_instead_of_failing(admin: Actor) -> None:
    make_case(admin)
    assert list_cases(admin, CaseFilter(search="Mar\x00tin")).total == 1
    assert [p.display_name for p in search_parties(admin, "Mar\x00tin")] == ["Bâtiment Martin SARL"]
    assert list_cases(admin, CaseFilter(search="\x00")).total == 1  # nothing left to look for


def test_a_nul_in_a_lookup_is_refused_in_french(admin: Actor) -> None:
    with pytest.raises(CaseError, match="caractère nul"):
        statement_for_case(admin, "2026-\x00001")


def test_a_user_with_the_longest_name_and_email_can_sign_in(admin: Actor) -> None:
    email = ("a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".fr").lower()
    assert len(email) == 254
    name = "N" * auth.FULL_NAME_MAX
    auth.create_user(admin, email, name, Role.COLLECTOR, "motdepasse-long-1")
    actor = auth.authenticate(email, "motdepasse-long-1")
    assert actor.full_name == name
    with pytest.raises(ValidationError):
        auth.create_user(admin, "x" + email, name, Role.COLLECTOR, "motdepasse-long-1")


def test_statement_exports_neutralise_formulas_and_drop_control_characters(
    admin: Actor, db_url: str
) -> None:
    case = make_case(admin, invoices=[("=HYPERLINK(1)", "01/03/2026", "31/03/2026", "100,00")])
    record_payment(
        admin,
        case.reference,
        PaymentInput(received_on=date(2026, 4, 2), amount_cents=1000, reference="@SOMME(A1)"),
    )
    # A row stored before the input check (a vertical tab from Word): written straight in.
    with get_engine(db_url).begin() as conn:
        conn.execute(
            text("UPDATE parties SET display_name = 'Martin\x0bSARL' WHERE display_name LIKE 'B%'")
        )
    statement = statement_for_case(admin, case.reference, at=date(2026, 4, 30))

    rows = list(
        csv.reader(io.StringIO(statement_to_csv(statement).decode("utf-8-sig")), delimiter=";")
    )
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(("=", "@", "+"))]
    assert "'@SOMME(A1)" in cells
    assert "MartinSARL" in cells
    assert any(c.startswith("-") and c.endswith("€") for c in cells)  # amounts stay figures

    book = load_workbook(io.BytesIO(statement_to_xlsx(statement)))
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "=HYPERLINK(1)" in values and "@SOMME(A1)" in values  # text, not formulas
    assert "MartinSARL" in values
    assert not any(
        c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row
    )


def test_portfolio_and_dashboard_exports_survive_a_stored_control_character(
    admin: Actor, db_url: str
) -> None:
    make_case(admin)
    with get_engine(db_url).begin() as conn:
        conn.execute(text("UPDATE parties SET display_name = '=Martin\x0bSARL'"))
    out = io.BytesIO()
    assert export.export_cases(admin, CaseFilter(), out, "xlsx") == 1
    book = load_workbook(io.BytesIO(out.getvalue()))
    values = [c.value for row in book.active.iter_rows() for c in row]  # type: ignore[union-attr]
    assert "=MartinSARL" in values
    out = io.BytesIO()
    export.export_cases(admin, CaseFilter(), out, "csv")
    assert "'=MartinSARL" in out.getvalue().decode("utf-8-sig")
