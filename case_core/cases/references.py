"""Case references such as 2026-000123, unique across replicas."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from case_core.models import ReferenceCounter


def next_references(session: Session, year: int, count: int = 1) -> list[str]:
    """Reserve `count` consecutive references for `year` in the caller's transaction.

    The year's row is created if missing without racing another writer (ON CONFLICT DO
    NOTHING), then bumped by one atomic UPDATE … RETURNING, which holds its row lock until
    the caller commits: two replicas never hand out the same number.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(ReferenceCounter)
        .values(year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    last = session.execute(
        update(ReferenceCounter)
        .where(col(ReferenceCounter.year) == year)
        .values(last_number=col(ReferenceCounter.last_number) + count)
        .returning(col(ReferenceCounter.last_number))
    ).scalar_one()
    first = last - count + 1
    return [format_reference(year, n) for n in range(first, last + 1)]


def format_reference(year: int, number: int) -> str:
    return f"{year}-{number:06d}"
