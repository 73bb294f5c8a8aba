"""The dashboard's pure maths: ageing buckets at their boundaries, months, countback DSO."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from case_core.reports.buckets import (
    BUCKETS,
    NO_DUE_DATE,
    bucket_for,
    bucket_thresholds,
    countback_dso,
    months_between,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("days_late", "key"),
    [
        (-400, "not_due"),
        (-1, "not_due"),
        (0, "not_due"),
        (1, "d1_30"),
        (30, "d1_30"),
        (31, "d31_60"),
        (60, "d31_60"),
        (61, "d61_90"),
        (90, "d61_90"),
        (91, "d91_180"),
        (180, "d91_180"),
        (181, "d181_365"),
        (365, "d181_365"),
        (366, "over_365"),
        (5000, "over_365"),
    ],
)
def test_each_day_count_falls_in_its_bucket(days_late: int, key: str) -> None:
    assert bucket_for(TODAY - timedelta(days=days_late), TODAY).key == key


def test_every_day_falls_in_exactly_one_bucket_and_thresholds_agree() -> None:
    thresholds = bucket_thresholds(TODAY)
    for days_late in range(-10, 800):
        due = TODAY - timedelta(days=days_late)
        # The SQL reading: the first threshold the due date reaches, else the last bucket.
        sql_key = next((b.key for b, t in thresholds if due >= t), BUCKETS[-1].key)
        assert bucket_for(due, TODAY).key == sql_key
        holding = [
            b
            for b in BUCKETS
            if (b.min_days is None or days_late >= b.min_days)
            and (b.max_days is None or days_late <= b.max_days)
        ]
        assert len(holding) == 1


def test_no_due_date_has_its_own_bucket() -> None:
    assert bucket_for(None, TODAY) is NO_DUE_DATE


def test_months_between_spans_years() -> None:
    assert months_between(date(2025, 11, 20), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_countback_dso_worked_example() -> None:
    # Receivables 25 000 €; placed: November 10 000 € (30 days), October 12 000 € (31),
    # September 9 000 € (30). November and October are covered whole (61 days, 3 000 €
    # left), then 3 000 / 9 000 of September's 30 days: 10 days. DSO = 71 days.
    months = [(30, 10_000_00), (31, 12_000_00), (30, 9_000_00)]
    assert countback_dso(25_000_00, months) == pytest.approx(71.0)
    # Receivables below the last month's placements: a fraction of it.
    assert countback_dso(5_000_00, months) == pytest.approx(15.0)
    # A month with nothing placed counts whole while receivables remain.
    assert countback_dso(5_000_00, [(31, 0), (30, 10_000_00)]) == pytest.approx(46.0)
    assert countback_dso(0, months) == 0
    # History exhausted: the days counted so far (a floor).
    assert countback_dso(50_000_00, months) == pytest.approx(91.0)
