"""Splitting a total into dated instalments: exact cents, working days, warnings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from case_core.kernel.errors import ValidationError
from case_core.models import Frequency
from case_core.plans.schedule import (
    PlanTerms,
    add_months,
    build_schedule,
    compare,
    month_ticks,
    next_working_day,
    plan_warnings,
)


def amounts(terms: PlanTerms) -> list[int]:
    return [i.amount_cents for i in build_schedule(terms).instalments]


def test_thousand_euros_in_three_monthly_instalments() -> None:
    terms = PlanTerms(100_000, date(2026, 1, 15), Frequency.MONTHLY, count=3)
    schedule = build_schedule(terms)
    assert [i.amount_cents for i in schedule.instalments] == [33_333, 33_333, 33_334]
    assert [i.due_date for i in schedule.instalments] == [
        date(2026, 1, 15),
        date(2026, 2, 16),  # 15/02/2026 is a Sunday
        date(2026, 3, 16),  # 15/03/2026 is a Sunday
    ]
    assert schedule.total_cost_cents == 100_000
    assert schedule.end_date == date(2026, 3, 16)


def test_amount_per_instalment_makes_the_count_and_a_smaller_last() -> None:
    terms = PlanTerms(100_000, date(2026, 1, 15), instalment_cents=30_000)
    assert amounts(terms) == [30_000, 30_000, 30_000, 10_000]


def test_down_payment_comes_first_and_the_rest_is_split() -> None:
    terms = PlanTerms(
        100_000,
        date(2026, 2, 10),
        count=2,
        down_payment_cents=20_001,
        down_payment_date=date(2026, 1, 12),
    )
    schedule = build_schedule(terms)
    assert [(i.seq, i.amount_cents) for i in schedule.instalments] == [
        (0, 20_001),
        (1, 39_999),
        (2, 40_000),
    ]
    assert schedule.count == 2
    assert schedule.instalments[0].due_date == date(2026, 1, 12)


@pytest.mark.parametrize(
    ("holiday", "moved_to"),
    [
        (date(2026, 5, 1), date(2026, 5, 4)),  # Fête du travail, a Friday -> Monday 4
        (date(2026, 7, 14), date(2026, 7, 15)),  # Fête nationale, a Tuesday
        (date(2026, 12, 25), date(2026, 12, 28)),  # Noël, a Friday -> Monday 28
        (date(2026, 4, 6), date(2026, 4, 7)),  # Lundi de Pâques 2026
        (date(2026, 8, 15), date(2026, 8, 17)),  # Assomption, a Saturday
        (date(2026, 11, 11), date(2026, 11, 12)),  # Armistice, a Wednesday
    ],
)
def test_holidays_move_to_the_next_working_day(holiday: date, moved_to: date) -> None:
    assert next_working_day(holiday) == moved_to
    schedule = build_schedule(PlanTerms(3_000, holiday, Frequency.MONTHLY, count=1))
    assert schedule.instalments[0].due_date == moved_to
    assert schedule.instalments[0].nominal_date == holiday


def test_the_move_does_not_shift_the_following_dates() -> None:
    schedule = build_schedule(PlanTerms(2_000, date(2026, 4, 6), Frequency.WEEKLY, count=2))
    assert [i.due_date for i in schedule.instalments] == [date(2026, 4, 7), date(2026, 4, 13)]


def test_end_of_month_clamp_for_day_31() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    terms = PlanTerms(4_000, date(2027, 1, 29), count=4, day_of_month=31)
    nominal = [i.nominal_date for i in build_schedule(terms).instalments]
    assert nominal == [date(2027, 1, 29), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


@pytest.mark.parametrize(
    ("frequency", "second"),
    [
        (Frequency.WEEKLY, date(2026, 3, 9)),
        (Frequency.BIWEEKLY, date(2026, 3, 16)),
        (Frequency.MONTHLY, date(2026, 4, 2)),
        (Frequency.QUARTERLY, date(2026, 6, 2)),
    ],
)
def test_frequencies(frequency: Frequency, second: date) -> None:
    schedule = build_schedule(PlanTerms(1_000, date(2026, 3, 2), frequency, count=2))
    assert schedule.instalments[1].nominal_date == second


def test_level_payment_interest_schedule() -> None:
    # 1 200,00 € over 12 months at 12 %: periodic rate 1 %, level payment 106,62 €.
    schedule = build_schedule(PlanTerms(120_000, date(2026, 1, 5), count=12, rate_bp=1200))
    parts = schedule.instalments
    assert parts[0].interest_cents == 1_200
    assert parts[0].amount_cents == 10_662
    assert all(p.amount_cents == 10_662 for p in parts[:-1])
    assert sum(p.capital_cents for p in parts) == 120_000
    assert schedule.interest_cents == sum(p.interest_cents for p in parts)
    assert schedule.total_cost_cents == 120_000 + schedule.interest_cents
    assert 7_900 < schedule.interest_cents < 8_000


def test_instalment_that_does_not_cover_interest_is_refused() -> None:
    with pytest.raises(ValidationError, match="intérêts"):
        build_schedule(PlanTerms(1_000_000, date(2026, 1, 5), instalment_cents=500, rate_bp=1200))


@pytest.mark.parametrize(
    "terms",
    [
        PlanTerms(0, date(2026, 1, 5), count=3),
        PlanTerms(1_000, date(2026, 1, 5)),
        PlanTerms(1_000, date(2026, 1, 5), count=3, instalment_cents=100),
        PlanTerms(1_000, date(2026, 1, 5), count=3, down_payment_cents=1_000),
        PlanTerms(1_000, date(2026, 1, 5), count=3, day_of_month=32),
        PlanTerms(1_000, date(2026, 1, 5), instalment_cents=1),
    ],
)
def test_impossible_terms_are_refused(terms: PlanTerms) -> None:
    with pytest.raises(ValidationError):
        build_schedule(terms)


def test_warning_past_24_months_and_past_limitation() -> None:
    start = date(2026, 1, 1)
    short = build_schedule(PlanTerms(240_000, date(2026, 1, 5), count=24))
    long = build_schedule(PlanTerms(250_000, date(2026, 1, 5), count=25))
    assert plan_warnings(short.end_date, start) == []
    (warning,) = plan_warnings(long.end_date, start)
    assert "24 mois" in warning and "1343-5" in warning
    limited = plan_warnings(short.end_date, start, limitation_date=date(2027, 6, 30))
    assert any("prescription" in w and "30/06/2027" in w for w in limited)


def test_compare_three_proposals() -> None:
    start = date(2026, 1, 1)
    proposals = [
        ("A", build_schedule(PlanTerms(100_000, date(2026, 2, 2), count=3))),
        ("B", build_schedule(PlanTerms(100_000, date(2026, 2, 2), instalment_cents=10_000))),
        ("C", build_schedule(PlanTerms(100_000, date(2026, 2, 2), count=30, rate_bp=500))),
    ]
    rows = compare(proposals, start)
    assert [(r.label, r.count) for r in rows] == [("A", 3), ("B", 10), ("C", 30)]
    assert rows[0].total_cost_cents == 100_000
    assert rows[2].total_cost_cents > 100_000 and rows[2].warnings
    with pytest.raises(ValidationError):
        compare([*proposals, proposals[0]], start)


@settings(max_examples=300, deadline=None)
@given(
    total=st.integers(1, 10_000_000),
    count=st.integers(1, 60),
    down=st.integers(0, 10_000_000),
    rate=st.sampled_from([0, 0, 250, 800, 1500]),
    frequency=st.sampled_from(list(Frequency)),
    day=st.one_of(st.none(), st.integers(1, 31)),
    first=st.dates(date(2025, 1, 1), date(2030, 12, 31)),
)
def test_any_count_schedule_sums_exactly(
    total: int,
    count: int,
    down: int,
    rate: int,
    frequency: Frequency,
    day: int | None,
    first: date,
) -> None:
    down = down % total
    terms = PlanTerms(
        total,
        first,
        frequency,
        count=count,
        down_payment_cents=down,
        day_of_month=day,
        rate_bp=rate,
    )
    if total - down < count:
        with pytest.raises(ValidationError):
            build_schedule(terms)
        return
    schedule = build_schedule(terms)
    assert schedule.count == count
    assert sum(i.capital_cents for i in schedule.instalments) == total
    assert all(i.capital_cents >= 0 and i.interest_cents >= 0 for i in schedule.instalments)
    dates = [i.due_date for i in schedule.instalments if i.seq > 0]
    assert dates == sorted(dates)
    assert all(d.weekday() < 5 for d in dates)


@settings(max_examples=200, deadline=None)
@given(total=st.integers(1, 5_000_000), per=st.integers(1, 500_000))
def test_any_amount_schedule_sums_exactly(total: int, per: int) -> None:
    terms = PlanTerms(total, date(2026, 1, 5), instalment_cents=per)
    if -(-total // per) > 240:
        with pytest.raises(ValidationError):
            build_schedule(terms)
        return
    parts = amounts(terms)
    assert sum(parts) == total
    assert all(p == per for p in parts[:-1]) and 0 < parts[-1] <= per


def test_no_advice_to_interrupt_a_limitation_already_acquired() -> None:
    start = date(2026, 11, 24)
    schedule = build_schedule(PlanTerms(60_000, date(2026, 12, 24), count=6))
    warnings = plan_warnings(schedule.end_date, start, limitation_date=date(2026, 4, 7))
    assert len(warnings) == 1
    assert "prescrite depuis le 07/04/2026" in warnings[0]
    assert "ne fait pas revivre" in warnings[0]
    assert not any("interrompre la prescription" in w for w in warnings)
    (summary,) = compare([("A", schedule)], start, limitation_date=date(2026, 4, 7))
    assert summary.warnings == tuple(warnings)


def test_month_ticks_are_french_and_few() -> None:
    ticks, labels = month_ticks(date(2026, 12, 24), date(2027, 5, 24))
    assert ticks == [date(2027, m, 1) for m in range(1, 6)]
    assert labels == ["janv. 2027", "févr. 2027", "mars 2027", "avr. 2027", "mai 2027"]
    ticks, labels = month_ticks(date(2027, 1, 1), date(2029, 12, 31), max_ticks=12)
    assert len(ticks) <= 12 and ticks[0] == date(2027, 1, 1)
    assert labels[0] == "janv. 2027" and all(t.day == 1 for t in ticks)
    assert month_ticks(date(2027, 1, 5), date(2027, 1, 20)) == ([], [])
