"""Dates the French way."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from case_core.kernel.errors import ValidationError

PARIS = ZoneInfo("Europe/Paris")


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_instant(value: datetime | None) -> str:
    """A UTC instant shown in Paris time: '23/11/2026 14:05'."""
    return value.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if value else ""


def today_paris() -> date:
    return datetime.now(PARIS).date()


def parse_date(text: str | date, field: str = "date") -> date:
    """'23/11/2026', '23/11/26', '2026-11-23' or '20261123' -> date."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    raw = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValidationError({field: f"Date illisible : « {raw} » (attendu JJ/MM/AAAA)."})


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
