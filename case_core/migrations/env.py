"""Alembic environment: SQLite gets batch mode; PostgreSQL an advisory lock so that two
upgrades started together run one at a time, and a `lock_timeout` (when the caller gives
one) so that a migration waiting for a busy table fails instead of blocking the app."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text
from sqlmodel import SQLModel

import case_core.models  # noqa: F401  (registers every table)
from case_core.kernel.db import get_engine
from case_core.migrations import compare_type

MIGRATION_LOCK_KEY = 74_617_001


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    engine = get_engine(url)
    with engine.connect() as connection:
        is_sqlite = connection.dialect.name == "sqlite"
        if is_sqlite:
            # Batch mode rebuilds a table (copy, DROP, rename): with foreign keys on, SQLite
            # refuses to drop a table other rows point at. The pragma is ignored inside a
            # transaction, so it goes to the driver connection before SQLAlchemy begins one;
            # the keys are checked whole once the migrations are done.
            _sqlite_foreign_keys(connection, on=False)
        if not is_sqlite:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            connection.commit()
            lock_timeout = context.config.attributes.get("lock_timeout")
            if lock_timeout:
                connection.execute(
                    text("SELECT set_config('lock_timeout', :t, false)"), {"t": lock_timeout}
                )
                connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=SQLModel.metadata,
                render_as_batch=is_sqlite,
                compare_type=compare_type,
            )
            with context.begin_transaction():
                context.run_migrations()
                if is_sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"foreign keys broken by a migration: {broken[:5]}")
            connection.commit()
        finally:
            if is_sqlite:
                connection.rollback()
                _sqlite_foreign_keys(connection, on=True)
            if not is_sqlite:
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                connection.execute(text("RESET lock_timeout"))
                connection.commit()


run_migrations_online()
