"""Migration 0012 (personal values of the audit beside the chain) on a database holding a
row in every table: every row kept, the new table takes rows pointing at the old journal."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import text

from case_core import migrations
from case_core.kernel.db import dispose_engines, get_engine
from tests.migrations.schema_rows import (
    insert_one_row_everywhere,
    reflect,
    snapshot,
    snapshot_columns,
)

REVISION = "0012"


def _before_revision() -> str:
    script = ScriptDirectory.from_config(migrations.alembic_config("sqlite://"))
    down = script.get_revision(REVISION).down_revision
    assert isinstance(down, str)
    return down


def test_audit_values_migration_keeps_every_row_and_takes_new_ones(empty_url: str) -> None:
    migrations.upgrade(empty_url, _before_revision())
    with get_engine(empty_url).begin() as conn:
        before = reflect(conn)
        assert "audit_values" not in before.tables
        inserted = insert_one_row_everywhere(conn, before)
        rows = snapshot(conn, before)
    dispose_engines()

    migrations.upgrade(empty_url, REVISION)

    with get_engine(empty_url).begin() as conn:
        assert snapshot_columns(conn, before) == rows
        now = reflect(conn)
        added = insert_one_row_everywhere(conn, now, inserted, skip=frozenset(before.tables))
        assert set(added) - set(inserted) == {"audit_values"}
        value = conn.execute(
            text(
                "SELECT v.field, e.action FROM audit_values v "
                "JOIN audit_events e ON e.id = v.event_id"
            )
        ).one()
        assert value == ("Été field", "Été action")
    dispose_engines()
    migrations.downgrade(empty_url, _before_revision())
    with get_engine(empty_url).connect() as conn:
        assert "audit_values" not in reflect(conn).tables
        assert snapshot(conn, before) == rows
