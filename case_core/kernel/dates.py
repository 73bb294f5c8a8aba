"""Dates the French way."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from case_core.kernel.errors import ValidationError

PARIS = ZoneInfo("Europe/Paris")

# The dates any stored date may take (kernel.column_guard checks every date column against
# them): an invoice in 1900 or 2200, a plan ending in 2220 are typos, and date arithmetic
# on them overflows.
EARLIEST = date(1950, 1, 1)
LATEST = date(2150, 12, 31)
# A two-digit year is read in this century up to this many years ahead; beyond, « 01/01/69 »
# may mean 1969 or 2069 and the user is asked to write it whole.
TWO_DIGIT_YEAR_AHEAD = 10


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_instant(value: datetime | None) -> str:
    """A UTC instant shown in Paris time: '23/11/2026 14:05'."""
    return value.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if value else ""


def today_paris() -> date:
    return datetime.now(PARIS).date()


def paris_instant(day: date, clock: time) -> datetime:
    """A day and a wall-clock time as read in Paris -> the UTC instant (summer time and
    winter time as they were that day)."""
    return datetime.combine(day, clock, tzinfo=PARIS).astimezone(UTC)


def parse_date(text: str | date, field: str = "date") -> date:
    """'23/11/2026', '23/11/26', '2026-11-23' or '20261123' -> date."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    raw = (text or "").strip()
    parsed = _strptime_any(raw)
    if parsed is None:
        raise ValidationError({field: f"Date illisible : « {raw} » (attendu JJ/MM/AAAA)."})
    day, two_digit_year = parsed
    if two_digit_year:
        day = _this_century(day, raw, field)
    if not EARLIEST <= day <= LATEST:
        raise ValidationError({field: out_of_range(raw)})
    return day


# An import reads the same few hundred dates over and over; strptime is slow.
@functools.lru_cache(maxsize=8192)
def _strptime_any(raw: str) -> tuple[date, bool] | None:
    """The date `raw` reads as in the first format that fits, and whether its year had two
    digits."""
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(raw, fmt).date(), fmt == "%d/%m/%y"
        except ValueError:
            continue
    return None


MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def format_date_long(value: date | None) -> str:
    """The date spelled out as a French letter writes it: « 2 décembre 2026 », « 1er mars »."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS_FR[value.month - 1]} {value.year}"


def paris_day(instant: datetime) -> date:
    """The day an instant falls on in Paris (a naive instant is read as UTC)."""
    aware = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    return aware.astimezone(PARIS).date()


def paris_noon(day: date) -> datetime:
    """An instant on `day` in Paris, for a fact known by its date alone (a letter sent)."""
    return datetime.combine(day, time(12, 0), tzinfo=PARIS).astimezone(UTC)


def out_of_range(shown: str) -> str:
    return (
        f"Date hors des dates admises : « {shown} » "
        f"(du {format_date(EARLIEST)} au {format_date(LATEST)})."
    )


def _this_century(day: date, raw: str, field: str) -> date:
    # Python reads 69-99 as 1969-1999 and 00-68 as 2000-2068: neither is what a French user
    # of 2026 means by « 69 ». Read it as 20yy unless that is far ahead, then ask.
    day = day.replace(year=2000 + day.year % 100)
    if day.year > today_paris().year + TWO_DIGIT_YEAR_AHEAD:
        yy = day.year % 100
        raise ValidationError(
            {
                field: f"Année ambiguë : « {raw} » : écrivez l'année en entier "
                f"(19{yy:02d} ou 20{yy:02d})."
            }
        )
    return day
