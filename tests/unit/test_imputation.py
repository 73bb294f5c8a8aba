"""Imputation of payments: legal order, the debtor's choice, reversals, every cent."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from case_core.models import CostBearer, DebtorKind, InterestRegime
from case_core.statement.compute import compute_statement
from case_core.statement.facts import CaseFacts, ClaimFacts, CostFacts, PaymentFacts
from case_core.statement.imputation import Bucket, ClaimDues, Due, allocate, order_dues
from tests.factories import shipped_table

TABLE = shipped_table()
PRO = CaseFacts(DebtorKind.PROFESSIONAL)


def test_payment_goes_to_interest_before_principal() -> None:
    # 18 000 € on 20 000 € principal and 3 000 € interest leaves 5 000 € principal.
    dues = order_dues(
        [], [ClaimDues(1, date(2025, 1, 31), date(2025, 1, 1), 0, 3_000_00, 20_000_00)]
    )
    imps = allocate(7, date(2025, 6, 1), 18_000_00, dues)
    assert [(i.bucket, i.amount_cents) for i in imps] == [
        (Bucket.INTEREST, 3_000_00),
        (Bucket.PRINCIPAL, 15_000_00),
    ]
    assert 20_000_00 - 15_000_00 == 5_000_00


def claims_three() -> list[ClaimDues]:
    return [
        ClaimDues(3, date(2025, 9, 30), date(2025, 8, 1), 0, 0, 500_00),  # not yet due
        ClaimDues(2, date(2025, 2, 28), date(2025, 2, 1), 40_00, 12_00, 300_00),
        ClaimDues(1, date(2025, 1, 31), date(2025, 1, 1), 40_00, 20_00, 200_00),
    ]


def test_claims_due_first_then_oldest_and_costs_first() -> None:
    cost = Due(Bucket.COST, 15_00, cost_id=9)
    imps = allocate(1, date(2025, 6, 1), 400_00, order_dues([cost], claims_three()))
    assert [(i.bucket, i.claim_id or i.cost_id, i.amount_cents) for i in imps] == [
        (Bucket.COST, 9, 15_00),
        (Bucket.INDEMNITY, 1, 40_00),
        (Bucket.INTEREST, 1, 20_00),
        (Bucket.PRINCIPAL, 1, 200_00),
        (Bucket.INDEMNITY, 2, 40_00),
        (Bucket.INTEREST, 2, 12_00),
        (Bucket.PRINCIPAL, 2, 73_00),
    ]


def test_debtor_named_invoice_then_legal_order_for_the_rest() -> None:
    imps = allocate(1, date(2025, 6, 1), 600_00, order_dues([], claims_three(), 3))
    assert [(i.bucket, i.claim_id, i.amount_cents) for i in imps][:2] == [
        (Bucket.PRINCIPAL, 3, 500_00),
        (Bucket.INDEMNITY, 1, 40_00),
    ]


def test_agreement_principal_first() -> None:
    imps = allocate(1, date(2025, 6, 1), 250_00, order_dues([], claims_three(), None, True))
    assert [(i.bucket, i.claim_id, i.amount_cents) for i in imps] == [
        (Bucket.PRINCIPAL, 1, 200_00),
        (Bucket.INTEREST, 1, 20_00),
        (Bucket.INDEMNITY, 1, 30_00),
    ]


def test_overpayment_is_a_surplus() -> None:
    imps = allocate(1, date(2025, 6, 1), 100_00, [Due(Bucket.PRINCIPAL, 60_00, claim_id=1)])
    assert [(i.bucket, i.amount_cents) for i in imps] == [
        (Bucket.PRINCIPAL, 60_00),
        (Bucket.SURPLUS, 40_00),
    ]


def l441(cid: int, due: date, cents: int) -> ClaimFacts:
    return ClaimFacts(cid, f"F-{cid}", due - timedelta(days=30), due, cents, InterestRegime.L441_10)


def test_rejected_cheque_restores_what_it_paid_and_interest_runs_again() -> None:
    claims = [l441(1, date(2025, 1, 31), 1_000_00)]
    paid = [PaymentFacts(1, date(2025, 2, 28), 1_100_00)]
    at = date(2025, 4, 30)
    settled = compute_statement(PRO, claims, paid, [], TABLE, at)
    assert settled.claims[0].principal_outstanding_cents == 0
    bounced = [*paid, PaymentFacts(2, date(2025, 3, 10), -1_100_00, reverses_payment_id=1)]
    st_ = compute_statement(PRO, claims, bounced, [], TABLE, at)
    (c,) = st_.claims
    reversal = st_.payments[1]
    assert sum(i.amount_cents for i in reversal.imputations) == -1_100_00
    assert {i.bucket for i in reversal.imputations} >= {Bucket.PRINCIPAL, Bucket.SURPLUS}
    assert c.principal_outstanding_cents == 1_000_00
    # Interest on the full principal again from the day after the reversal.
    assert c.interest_lines[-1].start == date(2025, 3, 11)
    assert c.interest_lines[-1].base_cents == 1_000_00
    assert st_.totals.balance_cents == c.balance_cents > 1_000_00


def test_indemnity_only_for_late_professional_debtors_outside_insolvency() -> None:
    claim = l441(1, date(2025, 1, 31), 1_000_00)
    at = date(2025, 6, 30)
    late = compute_statement(PRO, [claim], [], [], TABLE, at)
    assert late.claims[0].indemnity_cents == 40_00
    on_time = compute_statement(
        PRO, [claim], [PaymentFacts(1, date(2025, 1, 31), 1_000_00)], [], TABLE, at
    )
    assert on_time.claims[0].indemnity_cents == 0 and on_time.totals.balance_cents == 0
    insolvent = CaseFacts(DebtorKind.PROFESSIONAL, insolvency_proceedings=True)
    assert compute_statement(insolvent, [claim], [], [], TABLE, at).claims[0].indemnity_cents == 0
    consumer = CaseFacts(DebtorKind.CONSUMER, formal_notice_date=date(2025, 2, 15))
    legal = ClaimFacts(
        1, "F-1", date(2025, 1, 1), date(2025, 1, 31), 1_000_00, InterestRegime.LEGAL
    )
    assert compute_statement(consumer, [legal], [], [], TABLE, at).claims[0].indemnity_cents == 0
    not_yet_due = compute_statement(PRO, [claim], [], [], TABLE, date(2025, 1, 31))
    assert not_yet_due.claims[0].indemnity_cents == 0


def test_costs_borne_by_the_debtor_are_paid_first_creditor_costs_stay_apart() -> None:
    claim = l441(1, date(2025, 1, 31), 1_000_00)
    costs = [
        CostFacts(1, date(2025, 2, 1), "Frais de greffe", 35_00, CostBearer.DEBTOR),
        CostFacts(2, date(2025, 2, 1), "Relance par courrier", 8_00, CostBearer.CREDITOR),
    ]
    st_ = compute_statement(
        PRO, [claim], [PaymentFacts(1, date(2025, 2, 10), 50_00)], costs, TABLE, date(2025, 2, 10)
    )
    imps = st_.payments[0].imputations
    assert [(i.bucket, i.amount_cents) for i in imps] == [
        (Bucket.COST, 35_00),
        (Bucket.INDEMNITY, 15_00),
    ]
    assert st_.totals.creditor_costs_cents == 8_00
    assert st_.totals.debtor_costs_cents == 35_00
    # The creditor's own costs are not in what the debtor owes.
    c = st_.claims[0]
    assert st_.totals.balance_cents == c.balance_cents


amounts = st.integers(1, 5_000_00)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[ClaimFacts], list[PaymentFacts]]:
    n = draw(st.integers(1, 4))
    claims = [
        l441(i + 1, date(2024, 1, 31) + timedelta(days=draw(st.integers(0, 500))), draw(amounts))
        for i in range(n)
    ]
    payments: list[PaymentFacts] = []
    for pid in range(1, draw(st.integers(0, 6)) + 1):
        day = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
        if payments and draw(st.booleans()):
            target = draw(st.sampled_from(payments))
            payments.append(
                PaymentFacts(
                    pid, max(day, target.received_on), -draw(amounts), None, False, target.id
                )
            )
        else:
            payments.append(
                PaymentFacts(
                    pid,
                    day,
                    draw(amounts),
                    draw(st.sampled_from([None, *[c.id for c in claims]])),
                    draw(st.booleans()),
                )
            )
    return claims, payments


@settings(max_examples=150, deadline=None)
@given(histories())
def test_imputation_conserves_every_cent(history: tuple) -> None:
    claims, payments = history
    st_ = compute_statement(PRO, claims, payments, [], TABLE, date(2026, 6, 30))
    for p in st_.payments:
        assert sum(i.amount_cents for i in p.imputations) == p.amount_cents
    t = st_.totals
    for c in st_.claims:
        assert 0 <= c.principal_paid_cents <= c.principal_cents
        assert 0 <= c.interest_paid_cents <= c.interest_cents
        assert 0 <= c.indemnity_paid_cents <= c.indemnity_cents
        assert c.interest_cents == sum(ln.amount_cents for ln in c.interest_lines)
    assert t.balance_cents == (
        t.principal_cents + t.interest_cents + t.indemnity_cents - t.payments_cents
    )
