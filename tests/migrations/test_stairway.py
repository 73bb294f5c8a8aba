"""Each revision goes up, down and up again; head is what the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import case_core.models  # noqa: F401  (registers every table)
from case_core import migrations
from case_core.kernel.db import get_engine


def test_every_revision_goes_up_down_and_up_again(empty_url: str) -> None:
    previous = "base"
    for revision in migrations.revisions():
        migrations.upgrade(empty_url, revision)
        migrations.downgrade(empty_url, previous)
        assert migrations.current_revision(empty_url) == (None if previous == "base" else previous)
        migrations.upgrade(empty_url, revision)
        assert migrations.current_revision(empty_url) == revision
        previous = revision
    assert previous == migrations.head_revision()


def test_head_schema_equals_the_models(empty_url: str) -> None:
    migrations.upgrade(empty_url)
    with get_engine(empty_url).connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": migrations.compare_type, "target_metadata": None}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == [], "\n".join(map(str, differences))


def test_every_money_column_is_64_bit() -> None:
    money = [
        (table.name, column.name, column.type)
        for table in SQLModel.metadata.tables.values()
        for column in table.columns
        if column.name.endswith("_cents")
    ]
    assert len(money) >= 20
    assert all(str(kind) == "BIGINT" for _, _, kind in money), money
