"""Rows for every table of a database as it stands at some revision, built from the
database's own reflected schema (never from the live models, which describe head)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

# The largest amount a 32-bit column holds: what a baseline database can contain.
MAX_INT32 = 2_147_483_647


def reflect(conn: Connection) -> sa.MetaData:
    metadata = sa.MetaData()
    metadata.reflect(conn)
    metadata.remove(metadata.tables["alembic_version"])
    return metadata


def _value(column: sa.Column[Any], row: dict[str, Any], inserted: dict[str, dict]) -> Any:
    for fk in column.foreign_keys:
        target = fk.column
        if target.table.name == column.table.name:  # a row pointing at another of its kind
            return None if column.nullable else row[target.name]
        return inserted[target.table.name][target.name]
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.Integer):
        if column.primary_key:
            return 900_001  # clear of the reference rows the migrations insert
        return MAX_INT32 if column.name.endswith("_cents") else 3
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 3, 31, 12, 30, tzinfo=UTC)
    if isinstance(kind, sa.Date):
        return date(1990, 1, 1) if column.table.name == "rates" else date(2026, 3, 31)
    if isinstance(kind, sa.LargeBinary):
        return b"%PDF-1.4\x00\xff"
    if isinstance(kind, sa.JSON):
        return {"clé": "valeur"}
    if isinstance(kind, sa.String):
        text = f"Été {column.name}"
        return text[: kind.length] if kind.length else text
    if isinstance(kind, sa.Numeric):
        return 3
    raise AssertionError(f"no test value for {column.table.name}.{column.name}: {kind!r}")


def insert_one_row_everywhere(
    conn: Connection,
    metadata: sa.MetaData,
    inserted: dict[str, dict] | None = None,
    skip: frozenset[str] = frozenset(),
) -> dict[str, dict]:
    """One row in every table (but `skip`), foreign keys pointing at the rows inserted
    before (`inserted`: those of an earlier call, for the tables a migration added)."""
    inserted = dict(inserted or {})
    for table in metadata.sorted_tables:
        if table.name in skip:
            continue
        row: dict[str, Any] = {}
        # Primary keys first, so that a self-reference can name its own row.
        for column in sorted(table.columns, key=lambda c: not c.primary_key):
            row[column.name] = _value(column, row, inserted)
        conn.execute(sa.insert(table).values(**row))
        inserted[table.name] = row
    return inserted


def snapshot(conn: Connection, metadata: sa.MetaData) -> dict[str, list[tuple]]:
    """Every row of every table of `metadata`, as the database returns it."""
    rows = {}
    for table in metadata.sorted_tables:
        columns = sorted(table.columns, key=lambda c: c.name)
        result = conn.execute(sa.select(*columns)).all()
        rows[table.name] = sorted((tuple(r) for r in result), key=repr)
    return rows


def snapshot_columns(
    conn: Connection, before: sa.MetaData, reshaped: dict[str, set[str]] | None = None
) -> dict[str, list[tuple]]:
    """The columns `before` knew, read from the database as it stands now, but for those a
    later migration deliberately replaced (`reshaped`: table -> columns)."""
    now = reflect(conn)
    rows = {}
    for table in before.sorted_tables:
        current = now.tables[table.name]
        gone = (reshaped or {}).get(table.name, set())
        columns = [
            current.c[c.name]
            for c in sorted(table.columns, key=lambda c: c.name)
            if c.name not in gone
        ]
        result = conn.execute(sa.select(*columns)).all()
        rows[table.name] = sorted((tuple(r) for r in result), key=repr)
    return rows
