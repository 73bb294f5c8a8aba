"""Dates the French way."""

from __future__ import annotations

import functools
from datetime import date, datetime
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
    parsed = _parse_text(raw)
    if parsed is None:
        raise ValidationError({field: f"Date illisible : « {raw} » (attendu JJ/MM/AAAA)."})
    return parsed


# An import reads the same few hundred dates over and over; strptime is slow.
@functools.lru_cache(maxsize=8192)
def _parse_text(raw: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None
