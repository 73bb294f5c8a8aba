"""Late interest to the cent: the issue's worked examples, regimes, rate gaps, properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from case_core.kernel.errors import CaseError, ValidationError
from case_core.models import DebtorKind, InterestRegime, RateKind
from case_core.statement.compute import compute_statement
from case_core.statement.facts import CaseFacts, ClaimFacts, PaymentFacts
from case_core.statement.interest import (
    InterestTerms,
    add_months,
    check_contractual_rate,
    interest_cents,
    interest_lines,
    terms_for,
)
from case_core.statement.rates import MissingRate, RatePeriod, RateTable
from tests.factories import shipped_table

TABLE = shipped_table()
PRO = CaseFacts(DebtorKind.PROFESSIONAL)
CONSUMER = CaseFacts(DebtorKind.CONSUMER, formal_notice_date=date(2025, 2, 10))


def claim(**kw: object) -> ClaimFacts:
    base: dict[str, object] = {
        "id": 1,
        "invoice_number": "F-001",
        "issue_date": date(2025, 3, 1),
        "due_date": date(2025, 3, 31),
        "principal_cents": 10_000_00,
        "regime": InterestRegime.L441_10,
    }
    return ClaimFacts(**{**base, **kw})  # type: ignore[arg-type]


def test_published_worked_examples() -> None:
    assert interest_cents(3_000_00, 1476, 30) == 36_39
    assert interest_cents(1_000_00, 1450, 30) == 11_92


def test_rounding_is_half_up_on_the_exact_fraction() -> None:
    # 1 000,00 € × 3,65 % × 1 day = 0,10 € exactly.
    assert interest_cents(1_000_00, 365, 1) == 10
    # 5,00 € × 36,50 % × 1 day = 0,5 cent: rounds up; 4,99 € gives 0,499 cent: down.
    assert interest_cents(5_00, 3650, 1) == 1
    assert interest_cents(4_99, 3650, 1) == 0


def test_invoice_due_31_march_paid_15_september_2025_under_l441_10() -> None:
    st_ = compute_statement(
        PRO,
        [claim()],
        [PaymentFacts(1, date(2025, 9, 15), 10_000_00)],
        [],
        TABLE,
        date(2025, 9, 15),
    )
    (c,) = st_.claims
    assert [(ln.start, ln.end, ln.days, ln.rate_bp) for ln in c.interest_lines] == [
        (date(2025, 4, 1), date(2025, 6, 30), 91, 1315),
        (date(2025, 7, 1), date(2025, 9, 15), 77, 1215),
    ]
    assert [ln.amount_cents for ln in c.interest_lines] == [327_85, 256_32]
    assert c.interest_cents == 584_17
    assert c.indemnity_cents == 40_00
    # The payment went to the indemnity and the interest first: 624,17 € of principal left.
    assert c.principal_outstanding_cents == 624_17
    assert st_.totals.balance_cents == 624_17


def test_line_never_crosses_a_semester_and_days_add_up() -> None:
    terms = terms_for(claim(due_date=date(2023, 5, 15)), PRO)
    lines = interest_lines(terms, TABLE, 5_000_00, date(2023, 5, 15), date(2025, 2, 3))
    assert sum(ln.days for ln in lines) == (date(2025, 2, 3) - date(2023, 5, 15)).days
    for ln in lines:
        assert (ln.start.month <= 6) == (ln.end.month <= 6) and ln.start.year == ln.end.year
    # ECB 2,50 % then 4,00 %, 4,50 %, 4,25 %, 3,15 % — each + 10 points.
    assert [ln.rate_bp for ln in lines] == [1250, 1400, 1450, 1425, 1315]


def test_legal_rate_runs_from_formal_notice_in_the_creditor_category() -> None:
    consumer_claim = claim(regime=InterestRegime.LEGAL, principal_cents=3_000_00)
    lines = interest_lines(
        terms_for(consumer_claim, CONSUMER), TABLE, 3_000_00, date(2025, 3, 31), date(2025, 4, 30)
    )
    # From the formal notice (10/02) but never before the due date: 30 days of April.
    assert [(ln.start, ln.days, ln.rate_bp) for ln in lines] == [(date(2025, 4, 1), 30, 371)]
    natural = CaseFacts(
        DebtorKind.CONSUMER,
        creditor_professional=False,
        creditor_natural_person=True,
        formal_notice_date=date(2025, 4, 10),
    )
    lines = interest_lines(
        terms_for(consumer_claim, natural), TABLE, 3_000_00, date(2025, 3, 31), date(2025, 4, 30)
    )
    assert [(ln.start, ln.days, ln.rate_bp) for ln in lines] == [(date(2025, 4, 11), 20, 721)]
    assert lines[0].amount_cents == interest_cents(3_000_00, 721, 20) == 11_85


def test_legal_rate_without_formal_notice_bears_nothing_and_says_why() -> None:
    terms = terms_for(claim(regime=InterestRegime.LEGAL), CaseFacts(DebtorKind.CONSUMER))
    assert terms.anchor is None and terms.note and "mise en demeure" in terms.note
    assert interest_lines(terms, TABLE, 1_000_00, date(2025, 3, 31), date(2025, 12, 31)) == []


def test_user_start_date_replaces_the_formal_notice() -> None:
    c = claim(regime=InterestRegime.LEGAL, interest_start_date=date(2025, 5, 31))
    lines = interest_lines(terms_for(c, CONSUMER), TABLE, 1_000_00, c.due_date, date(2025, 6, 30))
    assert [(ln.start, ln.days) for ln in lines] == [(date(2025, 6, 1), 30)]


def test_l441_10_refused_for_a_consumer() -> None:
    with pytest.raises(CaseError, match="débiteur professionnel"):
        terms_for(claim(), CONSUMER)


def test_contractual_rate_below_three_times_legal_rate_is_refused() -> None:
    # 1st half 2025: legal rate (other cases) 3,71 % -> floor 11,13 %.
    low = claim(contractual_rate_bp=1000)
    lines = interest_lines(terms_for(low, PRO), TABLE, 10_000_00, low.due_date, date(2025, 4, 30))
    assert lines[0].rate_bp == 1315 and "refusé" in lines[0].basis
    high = claim(contractual_rate_bp=1200)
    lines = interest_lines(terms_for(high, PRO), TABLE, 10_000_00, low.due_date, date(2025, 4, 30))
    assert lines[0].rate_bp == 1200 and "contractuel" in lines[0].basis
    with pytest.raises(ValidationError, match="11,13"):
        check_contractual_rate(TABLE, 1000, date(2025, 3, 31))
    check_contractual_rate(TABLE, 1113, date(2025, 3, 31))


def test_judgment_rate_increase_two_months_after_judgment() -> None:
    c = claim(
        regime=InterestRegime.LEGAL,
        judgment_date=date(2025, 8, 14),
        judgment_rate_increase=True,
    )
    case = CaseFacts(DebtorKind.PROFESSIONAL, formal_notice_date=date(2025, 4, 30))
    lines = interest_lines(terms_for(c, case), TABLE, 1_000_00, c.due_date, date(2025, 10, 31))
    assert [(ln.start, ln.end, ln.rate_bp) for ln in lines] == [
        (date(2025, 5, 1), date(2025, 6, 30), 371),
        (date(2025, 7, 1), date(2025, 10, 14), 276),
        (date(2025, 10, 15), date(2025, 10, 31), 776),  # 2,76 % + 5 points
    ]


def test_add_months_keeps_the_end_of_month() -> None:
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 15), 2) == date(2024, 3, 15)


def test_missing_semester_is_refused_with_its_name() -> None:
    c = claim(due_date=date(2026, 5, 31))
    with pytest.raises(MissingRate) as exc:
        interest_lines(terms_for(c, PRO), TABLE, 1_000_00, c.due_date, date(2026, 8, 1))
    assert exc.value.message.startswith(
        "Taux manquant : taux de refinancement de la BCE du 2nd semestre 2026"
    )
    legal = claim(regime=InterestRegime.LEGAL, due_date=date(2027, 6, 1))
    case = CaseFacts(DebtorKind.PROFESSIONAL, formal_notice_date=date(2027, 7, 2))
    with pytest.raises(
        CaseError, match=r"taux d'intérêt légal \(autres cas\) du 2nd semestre 2027"
    ):
        interest_lines(terms_for(legal, case), TABLE, 1_000_00, legal.due_date, date(2027, 9, 1))


def test_gap_in_the_middle_is_not_bridged_by_an_older_rate() -> None:
    table = RateTable(
        [
            RatePeriod(RateKind.ECB_REFI, date(2025, 1, 1), date(2025, 6, 30), 315, "s"),
            RatePeriod(RateKind.ECB_REFI, date(2026, 1, 1), date(2026, 6, 30), 215, "s"),
        ]
    )
    with pytest.raises(MissingRate, match="2nd semestre 2025"):
        interest_lines(
            terms_for(claim(), PRO), table, 1_000_00, date(2025, 3, 31), date(2026, 2, 1)
        )


TERMS = InterestTerms(InterestRegime.L441_10, date(2015, 1, 1), RateKind.LEGAL_OTHER)
days_2015_2026 = st.dates(date(2015, 1, 1), date(2026, 6, 30))


@given(
    base=st.integers(1, 10_000_000_00),
    after=days_2015_2026,
    a=st.integers(0, 2000),
    b=st.integers(0, 2000),
)
def test_interest_never_decreases_with_time(base: int, after: date, a: int, b: int) -> None:
    end1 = min(after + timedelta(days=min(a, b)), date(2026, 6, 30))
    end2 = min(after + timedelta(days=max(a, b)), date(2026, 6, 30))
    total1 = sum(ln.amount_cents for ln in interest_lines(TERMS, TABLE, base, after, end1))
    total2 = sum(ln.amount_cents for ln in interest_lines(TERMS, TABLE, base, after, end2))
    assert 0 <= total1 <= total2


@given(
    base=st.integers(1, 10_000_000_00),
    after=days_2015_2026,
    span=st.integers(2, 1500),
    cut=st.floats(0, 1),
)
def test_splitting_a_period_moves_the_total_by_at_most_a_cent_per_line(
    base: int, after: date, span: int, cut: float
) -> None:
    end = min(after + timedelta(days=span), date(2026, 6, 30))
    if end <= after + timedelta(days=1):
        return
    split = after + timedelta(days=1 + int(cut * ((end - after).days - 1)))
    whole = interest_lines(TERMS, TABLE, base, after, end)
    parts = interest_lines(TERMS, TABLE, base, after, split) + interest_lines(
        TERMS, TABLE, base, split, end
    )
    assert sum(ln.days for ln in parts) == sum(ln.days for ln in whole)
    diff = abs(sum(ln.amount_cents for ln in parts) - sum(ln.amount_cents for ln in whole))
    assert diff <= len(parts)
