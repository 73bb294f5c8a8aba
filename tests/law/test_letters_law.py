"""The formal notice between professionals says which L441-10 penalties already ran and at
what rate (it does not « start » them); to a consumer it starts legal interest. Every letter,
the statement and its exports state the day-count convention.

Rates (shipped table): ECB 1st semester 2026 = 2,15 %, so L441-10 = 12,15 %."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from case_core.kernel.actor import Actor
from case_core.kernel.money import format_cents, format_rate_bp
from case_core.letters.service import LetterKind, generate_letter
from case_core.models import DebtorKind
from case_core.statement.account import statement_for_case
from case_core.statement.exports import statement_to_csv, statement_to_json, statement_to_xlsx
from case_core.statement.interest import DAY_COUNT_CONVENTION
from tests.factories import make_case
from tests.letter_helpers import set_sender
from tests.template_helpers import docx_text

AT = date(2026, 6, 30)


def test_between_professionals_the_notice_lists_the_penalties_already_run(admin: Actor) -> None:
    set_sender(admin)
    ref = make_case(admin, principal_cents=123_456, due_date=date(2026, 3, 31)).reference
    text = docx_text(generate_letter(admin, ref, LetterKind.FORMAL_NOTICE, today=AT).content)
    # 01/04 → 30/06/2026 = 91 days at 12,15 %: 1 234,56 × 12,15 % × 91 / 365 = 37,397… → 37,40 €.
    expected = (
        "facture F-001 : du 01/04/2026 au 30/06/2026, 91 jours au taux de "
        f"{format_rate_bp(12_15)} (BCE {format_rate_bp(2_15)} + 10 points (L441-10)) sur "
        f"{format_cents(1_234_56)}, "
        f"soit {format_cents(37_40)}"
    )
    assert expected in text
    assert "sans qu'un rappel soit nécessaire" in text
    assert "fait courir les intérêts moratoires" not in text
    assert DAY_COUNT_CONVENTION in text
    # No tag left unrendered.
    assert "{%" not in text and "{{" not in text


def test_to_a_consumer_the_notice_starts_legal_interest(admin: Actor) -> None:
    set_sender(admin)
    ref = make_case(admin, kind=DebtorKind.CONSUMER, debtor="DUPONT Jeanne").reference
    text = docx_text(generate_letter(admin, ref, LetterKind.FORMAL_NOTICE, today=AT).content)
    assert "fait courir les intérêts moratoires au taux légal" in text
    assert "L. 441-10 du code de commerce sont dues de plein droit" not in text
    reminder = docx_text(generate_letter(admin, ref, LetterKind.REMINDER_1, today=AT).content)
    assert DAY_COUNT_CONVENTION in reminder


def test_the_statement_and_its_exports_state_the_day_count(admin: Actor) -> None:
    ref = make_case(admin, principal_cents=123_456, due_date=date(2026, 3, 31)).reference
    statement = statement_for_case(admin, ref, AT)
    assert statement.totals.interest_cents == 37_40
    assert statement_to_json(statement)["day_count"] == DAY_COUNT_CONVENTION
    rows = list(
        csv.reader(io.StringIO(statement_to_csv(statement).decode("utf-8-sig")), delimiter=";")
    )
    assert [DAY_COUNT_CONVENTION] in rows
    sheet = load_workbook(io.BytesIO(statement_to_xlsx(statement)))["Décompte"]
    assert DAY_COUNT_CONVENTION in [row[0] for row in sheet.iter_rows(values_only=True)]
