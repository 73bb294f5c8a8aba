"""Case references such as 2026-000123, unique across replicas."""

from __future__ import annotations

from sqlmodel import Session

from case_core.models import ReferenceCounter


def next_references(session: Session, year: int, count: int = 1) -> list[str]:
    """Reserve `count` consecutive references for `year` in the caller's transaction.

    The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite write
    transactions are already exclusive), so two replicas never hand out the same number.
    """
    counter = session.get(ReferenceCounter, year, with_for_update=True)
    if counter is None:
        counter = ReferenceCounter(year=year, last_number=0)
        session.add(counter)
        session.flush()
    first = counter.last_number + 1
    counter.last_number += count
    session.add(counter)
    session.flush()
    return [format_reference(year, n) for n in range(first, first + count)]


def format_reference(year: int, number: int) -> str:
    return f"{year}-{number:06d}"
