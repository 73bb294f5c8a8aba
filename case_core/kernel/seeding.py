"""Reference data every database holds (rate tables…), inserted by a migration and
re-inserted by the tests after they empty a database."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection

from case_core.models import Rate, RateKind, utcnow

# Shipped as package data (pyproject: data/*.csv), beside this module.
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
RATES_CSV = "rates.csv"


@dataclass(frozen=True)
class ShippedRate:
    kind: RateKind
    period_start: date
    period_end: date
    rate_bp: int
    source: str


def shipped_rates() -> list[ShippedRate]:
    """The rows of `case_core/data/rates.csv`, as shipped in the package."""
    text = (DATA_DIR / RATES_CSV).read_text(encoding="utf-8")
    return [
        ShippedRate(
            kind=RateKind(row["kind"]),
            period_start=date.fromisoformat(row["period_start"]),
            period_end=date.fromisoformat(row["period_end"]),
            rate_bp=int(row["rate_bp"]),
            source=row["source"],
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


def seed_reference_data(connection: Connection) -> None:
    """Insert the shipped reference data that is missing; idempotent."""
    table = Rate.__table__  # type: ignore[attr-defined]
    existing = {
        (RateKind(kind), start)
        for kind, start in connection.execute(select(table.c.kind, table.c.period_start))
    }
    now = utcnow()
    missing = [
        {
            "kind": r.kind.value,
            "period_start": r.period_start,
            "period_end": r.period_end,
            "rate_bp": r.rate_bp,
            "source": r.source,
            "created_at": now,
        }
        for r in shipped_rates()
        if (r.kind, r.period_start) not in existing
    ]
    if missing:
        connection.execute(table.insert(), missing)
