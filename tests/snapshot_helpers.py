"""A fingerprint of the database: row count and a hash of the rows of every table.

A refused input must leave every table as it was; an accepted one may change only the
tables its service writes (and the audit journal). Comparing fingerprints says which changed.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlmodel import SQLModel

from case_core.kernel.db import read_session

Fingerprint = dict[str, tuple[int, str]]


def snapshot() -> Fingerprint:
    prints: Fingerprint = {}
    with read_session() as session:
        for table in SQLModel.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = session.execute(select(table).order_by(*order)).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            prints[table.name] = (len(rows), digest)
    return prints


def changed_tables(before: Fingerprint, after: Fingerprint) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
