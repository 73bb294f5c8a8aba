"""A database made at the released baseline keeps every row through every upgrade."""

from __future__ import annotations

from sqlalchemy import text

from case_core import migrations
from case_core.kernel.db import dispose_engines, get_engine
from tests.migrations.schema_rows import (
    MAX_INT32,
    insert_one_row_everywhere,
    reflect,
    snapshot,
    snapshot_columns,
)

BASELINE = "0003"


# Columns a later migration replaces on purpose, each checked on its own below.
RESHAPED: dict[str, set[str]] = {
    "cases": {"creditor_is_natural_person"},  # 0010: « acting for professional needs »
    # 0007: a session belongs to a mediation (which names the mediator); its instant is the
    # planned one; the old free-text participants moved into the confidential notes.
    # An unknown old mode becomes « en présentiel ».
    "mediation_sessions": {"held_at", "mediator_id", "participants", "confidential_notes", "mode"},
}


def test_baseline_database_with_a_row_in_every_table_upgrades_to_head(empty_url: str) -> None:
    migrations.upgrade(empty_url, BASELINE)
    with get_engine(empty_url).begin() as conn:
        baseline = reflect(conn)
        insert_one_row_everywhere(conn, baseline)
        before = snapshot(conn, baseline)
    assert all(before[t] for t in before), "a table was left empty at the baseline"
    assert len(before) >= 20
    dispose_engines()

    migrations.upgrade(empty_url)

    assert migrations.current_revision(empty_url) == migrations.head_revision()
    with get_engine(empty_url).connect() as conn:
        after = snapshot_columns(conn, baseline, RESHAPED)
        # The old flag became « acting for professional needs » (0010): a row without a
        # private person as creditor is professional.
        assert conn.execute(text("SELECT creditor_professional FROM cases")).scalar_one()
        held = before["mediation_sessions"][0][
            [
                c.name
                for c in sorted(baseline.tables["mediation_sessions"].columns, key=lambda c: c.name)
            ].index("held_at")
        ]
        planned = conn.execute(text("SELECT planned_at FROM mediation_sessions")).scalar_one()
        assert str(planned)[:19] == str(held)[:19]
        assert conn.execute(text("SELECT count(*) FROM mediations")).scalar_one() == 1
        notes = conn.execute(text("SELECT confidential_notes FROM mediation_sessions")).scalar_one()
        assert "Été participants" in notes and "Été confidential_notes" in notes
    before_kept = {
        table: [
            tuple(
                v
                for c, v in zip(
                    sorted(baseline.tables[table].columns, key=lambda c: c.name), row, strict=True
                )
                if c.name not in RESHAPED.get(table, set())
            )
            for row in rows
        ]
        for table, rows in before.items()
    }
    for table, rows in before_kept.items():
        assert after[table] == sorted(rows, key=repr), (
            f"rows of {table} changed through the upgrade"
        )


def test_money_columns_hold_amounts_above_32_bits_after_upgrade(empty_url: str) -> None:
    migrations.upgrade(empty_url, BASELINE)
    with get_engine(empty_url).begin() as conn:
        insert_one_row_everywhere(conn, reflect(conn))
    migrations.upgrade(empty_url)
    big = MAX_INT32 + 1  # 21 474 836,48 €
    with get_engine(empty_url).begin() as conn:
        conn.execute(text("UPDATE claims SET principal_cents = :v"), {"v": big})
        conn.execute(text("UPDATE cases SET balance_cents = :v"), {"v": big * 3})
        assert conn.execute(text("SELECT principal_cents FROM claims")).scalar_one() == big
        assert conn.execute(text("SELECT balance_cents FROM cases")).scalar_one() == big * 3
