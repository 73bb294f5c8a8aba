"""Amounts: stored in 64 bits on both databases; forms accept up to one billion euros."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.money import MAX_AMOUNT_CENTS, parse_amount
from case_core.models import Case, Claim
from case_core.statement.account import statement_for_case
from tests.factories import make_case


def test_an_invoice_above_32_bits_is_stored_and_read_back(admin: Actor) -> None:
    view = make_case(
        admin,
        invoices=[
            ("F-BIG-1", "01/03/2026", "31/03/2026", "21 474 836,48"),
            ("F-BIG-2", "01/03/2026", "31/03/2026", "999 999 999,99"),
        ],
    )
    with read_session() as session:
        claims = session.exec(select(Claim).order_by(Claim.invoice_number)).all()
        case = session.exec(select(Case).where(Case.id == view.id)).one()
    assert [c.principal_cents for c in claims] == [2_147_483_648, 99_999_999_999]
    assert case.principal_cents == case.balance_cents == 102_147_483_647
    statement = statement_for_case(admin, view.reference, at=date(2026, 4, 30))
    assert statement.totals.principal_cents == 102_147_483_647


@pytest.mark.parametrize("typed", ["1 000 000 000,01", "-1 000 000 000,01", "10 000 000 000 000"])
def test_amount_above_one_billion_is_refused_in_french(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_amount(typed, "principal")
    assert "Le maximum accepté est 1\u202f000\u202f000\u202f000,00\u00a0€" in str(
        refused.value.errors["principal"]
    )


def test_one_billion_euros_is_accepted() -> None:
    assert parse_amount("1 000 000 000,00") == MAX_AMOUNT_CENTS
    assert parse_amount(1_000_000_000) == MAX_AMOUNT_CENTS
    with pytest.raises(ValidationError):
        parse_amount(1_000_000_001)
