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
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValidationError({field: f"Date illisible : « {raw} » (attendu JJ/MM/AAAA)."})
