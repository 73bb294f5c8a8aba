"""Pure maths of the dashboard: ageing buckets, months, the countback DSO.

Ageing counts whole days past the due date: an invoice due today is not yet late, one
due yesterday is 1 day late. The buckets are contiguous and the last one is open-ended,
so every invoice with a due date falls in exactly one; an invoice without a due date has
its own bucket rather than being lost.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    min_days: int | None  # days past due, inclusive; None: no lower bound
    max_days: int | None  # inclusive; None: open-ended


NO_DUE_DATE = Bucket("no_due_date", "Sans échéance", None, None)
BUCKETS: tuple[Bucket, ...] = (
    Bucket("not_due", "Non échu", None, 0),
    Bucket("d1_30", "1 à 30 jours", 1, 30),
    Bucket("d31_60", "31 à 60 jours", 31, 60),
    Bucket("d61_90", "61 à 90 jours", 61, 90),
    Bucket("d91_180", "91 à 180 jours", 91, 180),
    Bucket("d181_365", "181 à 365 jours", 181, 365),
    Bucket("over_365", "Plus d'un an", 366, None),
)
ALL_BUCKETS: tuple[Bucket, ...] = (*BUCKETS, NO_DUE_DATE)
BUCKET_BY_KEY = {b.key: b for b in ALL_BUCKETS}


def bucket_for(due_date: date | None, today: date) -> Bucket:
    """The bucket of an invoice due on `due_date`, seen on `today`."""
    if due_date is None:
        return NO_DUE_DATE
    days = (today - due_date).days
    for bucket in BUCKETS:
        if bucket.max_days is None or days <= bucket.max_days:
            return bucket
    raise AssertionError("the last bucket is open-ended")


def bucket_thresholds(today: date) -> list[tuple[Bucket, date]]:
    """For every bucket but the last, the earliest due date it holds: an ordered
    `CASE WHEN due >= threshold` reads these top down, the last bucket is its ELSE."""
    out: list[tuple[Bucket, date]] = []
    for bucket in BUCKETS[:-1]:
        assert bucket.max_days is not None
        out.append((bucket, today - timedelta(days=bucket.max_days)))
    return out


# ---- months ---------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """First days of the months from `start`'s to `end`'s, both included."""
    out: list[date] = []
    day = month_start(start)
    while day <= end:
        out.append(day)
        day = add_months(day, 1)
    return out


def month_label(first_of_month: date) -> str:
    return f"{first_of_month.month:02d}/{first_of_month.year}"


def days_in_month(first_of_month: date) -> int:
    return calendar.monthrange(first_of_month.year, first_of_month.month)[1]


# ---- countback DSO ----------------------------------------------------------------------------


def countback_dso(receivables_cents: int, monthly_placed_cents: Sequence[tuple[int, int]]) -> float:
    """Days of placements the receivables represent, counting back month by month.

    `monthly_placed_cents`: (days in the month, amount placed that month), most recent first.
    Each whole month whose placements the remaining receivables cover adds its days; the
    first month they do not cover adds the covered fraction of its days and stops. When the
    history runs out, the days counted so far are returned (a floor)."""
    left = max(receivables_cents, 0)
    days = 0.0
    for month_days, placed in monthly_placed_cents:
        if left <= 0:
            break
        if left >= placed:
            days += month_days
            left -= placed
        else:
            days += month_days * left / placed
            left = 0
    return days


def rate(numerator: int, denominator: int) -> float | None:
    """A share in [0, 1] or beyond; None when there is nothing to divide by."""
    return numerator / denominator if denominator else None
