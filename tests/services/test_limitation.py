"""Limitation dates per claim and on the case."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from case_core.cases.totals import refresh_case_totals
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session, session_scope
from case_core.models import Case, DebtorKind, InstalmentPlan
from case_core.statement.limitation import (
    ClaimMark,
    PaymentMark,
    add_years,
    case_limitation_date,
    limitation_date,
)
from tests.factories import raw_case, raw_payment

PRO = DebtorKind.PROFESSIONAL
CONSUMER = DebtorKind.CONSUMER


def test_five_years_commercial_two_years_consumer() -> None:
    assert limitation_date(date(2025, 3, 31), PRO) == date(2030, 3, 31)
    assert limitation_date(date(2025, 3, 31), CONSUMER) == date(2027, 3, 31)
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)


def test_acknowledgement_restarts_a_period_of_the_same_length() -> None:
    assert limitation_date(date(2025, 3, 31), CONSUMER, [date(2026, 6, 15)]) == date(2028, 6, 15)
    # Only the last acknowledgement counts, in any order given.
    acks = [date(2027, 1, 10), date(2026, 6, 15)]
    assert limitation_date(date(2025, 3, 31), CONSUMER, acks) == date(2029, 1, 10)


def test_acknowledgement_after_limitation_does_not_revive() -> None:
    assert limitation_date(date(2020, 1, 31), CONSUMER, [date(2023, 5, 1)]) == date(2022, 1, 31)


def test_twenty_year_cap() -> None:
    acks = [date(2025 + 4 * k, 1, 1) for k in range(1, 6)]  # every four years until 2045
    assert limitation_date(date(2025, 3, 31), PRO, acks) == date(2045, 3, 31)


def test_case_date_is_the_earliest_open_claim_and_ignores_reversed_payments() -> None:
    claims = [ClaimMark(date(2024, 1, 31), 100_00), ClaimMark(date(2024, 6, 30), 200_00)]
    # 100 € paid: the oldest claim is settled, the second one remains.
    paid = [PaymentMark(1, date(2024, 9, 1), 100_00)]
    assert case_limitation_date(claims, paid, [], CONSUMER) == date(2026, 9, 1)
    bounced = [*paid, PaymentMark(2, date(2024, 9, 20), -100_00, reverses_payment_id=1)]
    assert case_limitation_date(claims, bounced, [], CONSUMER) == date(2026, 1, 31)
    everything = [PaymentMark(1, date(2024, 9, 1), 300_00)]
    assert case_limitation_date(claims, everything, [], CONSUMER) is None


def test_case_limitation_date_kept_by_refresh_case_totals(db_url: str, admin: Actor) -> None:
    reference, _ = raw_case(
        CONSUMER,
        claims=[{"due_date": date(2025, 1, 31), "principal_cents": 500_00}],
        formal_notice_date=date(2025, 2, 15),
    )
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        assert case.limitation_date == date(2027, 1, 31)
    raw_payment(reference, date(2025, 7, 1), 100_00)
    with session_scope() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        assert case.limitation_date == date(2027, 7, 1)
        session.add(
            InstalmentPlan(
                case_id=case.id,  # type: ignore[arg-type]
                basis_date=date(2025, 9, 1),
                total_cents=400_00,
                instalment_count=4,
                first_due_date=date(2025, 10, 1),
                accepted_on=date(2025, 9, 5),
                created_by_id=admin.id,  # type: ignore[arg-type]
            )
        )
        session.flush()
        refresh_case_totals(session, case)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        assert case.limitation_date == date(2027, 9, 5)


def test_a_private_individuals_claim_on_a_consumer_keeps_five_years() -> None:
    from case_core.models import DebtorKind as Kind
    from case_core.statement.limitation import limitation_date as limit

    due = date(2024, 3, 31)
    assert limit(due, Kind.CONSUMER) == date(2026, 3, 31)
    assert limit(due, Kind.CONSUMER, creditor_professional=False) == date(2029, 3, 31)
    assert limit(due, Kind.PROFESSIONAL, creditor_professional=False) == date(2029, 3, 31)
