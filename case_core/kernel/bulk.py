"""Multi-row INSERTs that give back the new ids (bulk loads: the demo, the imports).

One statement per `CHUNK` rows: SQLAlchemy splits a big RETURNING insert into batches and
splices each batch's rows onto the result so far, which grows quadratically with the rows
of one call (a 2 000-row call fetched millions of rows in the profile of the demo).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, insert, inspect
from sqlmodel import Session, SQLModel

CHUNK = 200


def table_of(model: type[SQLModel]) -> Table:
    return cast(Table, inspect(model).local_table)


def insert_returning_ids(
    session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]
) -> list[int]:
    """Insert `rows` (complete column values) into `model`'s table; their ids, in order."""
    rows = _same_columns(table_of(model), rows)
    ident = inspect(model).primary_key[0]
    # The table, not the ORM entity: the ORM's bulk path costs more than the INSERT.
    stmt = insert(table_of(model)).returning(ident, sort_by_parameter_order=True)
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        ids.extend(session.execute(stmt, list(rows[start : start + CHUNK])).scalars())
    return ids


def _same_columns(table: Table, rows: Sequence[dict[str, Any]]) -> Sequence[dict[str, Any]]:
    """Every row with the same keys (one INSERT statement has one column list): a nullable
    column without default that only some rows give is None in the others."""
    keys = {k for row in rows for k in row}
    if all(len(row) == len(keys) for row in rows):
        return rows
    for key in keys:
        column = table.c[key]
        plain = column.nullable and column.default is None and column.server_default is None
        if not plain and any(key not in row for row in rows):
            raise ValueError(f"{table.name}.{key}: given for some rows only")
    return [dict.fromkeys(keys) | row for row in rows]
