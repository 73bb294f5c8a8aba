"""Code civil 1342-10 (no choice by the debtor): due debts first; among them the one bearing
the higher rate; among equals the oldest; all else equal, proportionally to the cent.
Code civil 2240: a payment the debtor imputed to one invoice acknowledges that invoice only.

Rates used (shipped table): L441-10 in the 1st semester 2025 = ECB 3,15 % + 10 = 13,15 %."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from case_core.kernel.db import read_session
from case_core.models import Case, DebtorKind, InterestRegime
from case_core.statement.compute import compute_statement
from case_core.statement.facts import CaseFacts, ClaimFacts, PaymentFacts
from case_core.statement.imputation import (
    Bucket,
    ClaimDues,
    ProRata,
    allocate,
    order_dues,
    split_exactly,
)
from tests.factories import raw_case, raw_payment, shipped_table

TABLE = shipped_table()
PRO = CaseFacts(DebtorKind.PROFESSIONAL)
CONSUMER = CaseFacts(DebtorKind.CONSUMER)
ON = date(2025, 6, 1)


def _pairs(imps: list) -> list[tuple[Bucket, int | None, int]]:  # type: ignore[type-arg]
    return [(i.bucket, i.claim_id, i.amount_cents) for i in imps]


def test_the_higher_rate_is_paid_before_the_older_debt_bearing_none() -> None:
    older_no_interest = ClaimDues(1, date(2025, 1, 31), date(2025, 1, 1), 0, 0, 1_000_00, 0)
    younger_at_13_15 = ClaimDues(2, date(2025, 2, 28), date(2025, 2, 1), 0, 20_00, 500_00, 1315)
    not_yet_due = ClaimDues(3, date(2025, 9, 30), date(2025, 8, 1), 0, 0, 400_00, 0)
    dues = order_dues([], [not_yet_due, older_no_interest, younger_at_13_15], on=ON)
    # 300 € = 20 € interest then 280 € principal of the claim at 13,15 %; nothing on the
    # older claim that bears no interest.
    assert _pairs(allocate(1, ON, 300_00, dues)) == [
        (Bucket.INTEREST, 2, 20_00),
        (Bucket.PRINCIPAL, 2, 280_00),
    ]
    # 2 000 € = 520 € (claim 2), then 1 000 € (claim 1, due), then 400 € on the claim not
    # yet due, then 80 € surplus: 520 + 1 000 + 400 + 80 = 2 000.
    assert _pairs(allocate(1, ON, 2_000_00, dues)) == [
        (Bucket.INTEREST, 2, 20_00),
        (Bucket.PRINCIPAL, 2, 500_00),
        (Bucket.PRINCIPAL, 1, 1_000_00),
        (Bucket.PRINCIPAL, 3, 400_00),
        (Bucket.SURPLUS, None, 80_00),
    ]


def test_among_equal_rates_the_oldest_first() -> None:
    a = ClaimDues(1, date(2025, 3, 31), date(2025, 3, 1), 0, 0, 100_00, 1315)
    b = ClaimDues(2, date(2025, 1, 31), date(2025, 1, 1), 0, 0, 100_00, 1315)
    assert _pairs(allocate(1, ON, 150_00, order_dues([], [a, b], on=ON))) == [
        (Bucket.PRINCIPAL, 2, 100_00),
        (Bucket.PRINCIPAL, 1, 50_00),
    ]


def test_all_else_equal_the_payment_is_shared_proportionally_to_the_cent() -> None:
    claims = [
        ClaimDues(i, date(2025, 1, 31), date(2025, 1, 1), 0, 0, cents, 0)
        for i, cents in [(1, 100_00), (2, 200_00), (3, 400_00)]
    ]
    dues = order_dues([], claims, on=ON)
    assert len(dues) == 1 and isinstance(dues[0], ProRata)
    # 100 € over 700 €: 14,2857… / 28,5714… / 57,1428… → 14,28 / 28,57 / 57,14 = 99,99 €;
    # the cent left goes to the largest remainder (0,57 of claim 1): 14,29 + 28,57 + 57,14.
    assert _pairs(allocate(1, ON, 100_00, dues)) == [
        (Bucket.PRINCIPAL, 1, 14_29),
        (Bucket.PRINCIPAL, 2, 28_57),
        (Bucket.PRINCIPAL, 3, 57_14),
    ]
    # Two identical invoices: 1,01 € → 0,51 € to the lower id, 0,50 € to the other.
    assert split_exactly(1_01, [(7, 100_00), (4, 100_00)]) == {4: 51, 7: 50}
    # More than the group owes: each paid in full, the rest a surplus.
    assert _pairs(allocate(1, ON, 800_00, dues))[-1] == (Bucket.SURPLUS, None, 100_00)


def l441(cid: int, cents: int, due: date = date(2025, 1, 31)) -> ClaimFacts:
    return ClaimFacts(cid, f"F-{cid}", date(2025, 1, 1), due, cents, InterestRegime.L441_10)


def test_two_identical_invoices_share_a_payment_with_1343_1_inside_each() -> None:
    claims = [l441(1, 1_000_00), l441(2, 3_000_00)]
    paid = [PaymentFacts(1, date(2025, 2, 28), 1_000_00)]
    st = compute_statement(PRO, claims, paid, [], TABLE, date(2025, 2, 28))
    # On 28/02/2025, 28 days of penalties at 13,15 %:
    #   1 000 × 13,15 % × 28 / 365 = 10,0877 → 10,09 € ; 3 000 × … = 30,2630 → 30,26 €.
    # Owed: 40 + 10,09 + 1 000 = 1 050,09 € and 40 + 30,26 + 3 000 = 3 070,26 € (4 120,35 €).
    # Shares of 1 000 €: 1 000 × 1 050,09 / 4 120,35 = 254,852… → 254,85 € ;
    #                    1 000 × 3 070,26 / 4 120,35 = 745,145… → 745,14 € + the cent left
    # (largest remainder) = 745,15 €. Within each: indemnity, interest, then principal.
    assert _pairs(st.payments[0].imputations) == [
        (Bucket.INDEMNITY, 1, 40_00),
        (Bucket.INTEREST, 1, 10_09),
        (Bucket.PRINCIPAL, 1, 204_76),  # 254,85 − 40 − 10,09
        (Bucket.INDEMNITY, 2, 40_00),
        (Bucket.INTEREST, 2, 30_26),
        (Bucket.PRINCIPAL, 2, 674_89),  # 745,15 − 40 − 30,26
    ]
    assert st.totals.balance_cents == 4_120_35 - 1_000_00


def test_a_claim_bearing_penalties_is_paid_before_an_older_one_bearing_none() -> None:
    bearing = l441(1, 1_000_00, date(2025, 2, 28))
    none = ClaimFacts(2, "F-2", date(2025, 1, 1), date(2025, 1, 31), 1_000_00)
    st = compute_statement(
        PRO, [bearing, none], [PaymentFacts(1, date(2025, 3, 31), 500_00)], [], TABLE, ON
    )
    # On 31/03/2025 F-1 bears 13,15 %: 1 000 × 13,15 % × 31 / 365 = 11,168 → 11,17 €.
    assert _pairs(st.payments[0].imputations) == [
        (Bucket.INDEMNITY, 1, 40_00),
        (Bucket.INTEREST, 1, 11_17),
        (Bucket.PRINCIPAL, 1, 448_83),  # 500 − 40 − 11,17
    ]


def test_a_payment_on_one_invoice_acknowledges_that_invoice_only() -> None:
    consumer_claims = [
        ClaimFacts(1, "F-1", date(2024, 1, 1), date(2024, 1, 31), 1_000_00),
        ClaimFacts(2, "F-2", date(2024, 3, 1), date(2024, 3, 31), 1_000_00),
    ]
    named = PaymentFacts(1, date(2024, 6, 15), 100_00, imputed_claim_id=2)
    st = compute_statement(CONSUMER, consumer_claims, [named], [], TABLE, date(2024, 7, 1))
    # L218-2, two years: F-1 from its due date 31/01/2024 → 31/01/2026, untouched;
    # F-2 restarted by the payment of 15/06/2024 → 15/06/2026.
    assert [c.limitation_date for c in st.claims] == [date(2026, 1, 31), date(2026, 6, 15)]
    assert st.limitation_date == date(2026, 1, 31)
    on_account = PaymentFacts(2, date(2024, 9, 1), 50_00)
    st = compute_statement(
        CONSUMER, consumer_claims, [named, on_account], [], TABLE, date(2024, 10, 1)
    )
    # A payment on account of the whole balance acknowledges both: 01/09/2026.
    assert [c.limitation_date for c in st.claims] == [date(2026, 9, 1), date(2026, 9, 1)]


def test_the_case_limitation_date_follows_the_named_invoice(db_url: str) -> None:
    reference, (_first, second) = raw_case(
        DebtorKind.CONSUMER,
        [
            {"due_date": date(2024, 1, 31), "principal_cents": 1_000_00},
            {"due_date": date(2024, 3, 31), "principal_cents": 1_000_00},
        ],
    )
    raw_payment(reference, date(2024, 6, 15), 100_00, imputed_claim_id=second)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        # F-1 is not acknowledged: its two years end on 31/01/2026.
        assert case.limitation_date == date(2026, 1, 31)
    raw_payment(reference, date(2024, 9, 1), 50_00)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        assert case.limitation_date == date(2026, 9, 1)
