"""Alembic migrations shipped inside the package.

They run as a step of their own (`casedesk db upgrade`, which `make run` calls). The app
itself only migrates the embedded SQLite default; on PostgreSQL a replica started on a
database behind head says so instead (see `app.py`).

The migrations 0001-0003 are the released baseline: a released migration is never edited,
every schema change is a new migration that never imports the live models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import BigInteger, Integer

from case_core.kernel import config as app_config

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(url: str | None = None, *, lock_timeout: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # '%' must be doubled for configparser interpolation (passwords in URLs).
    cfg.set_main_option("sqlalchemy.url", (url or app_config.database_url()).replace("%", "%%"))
    cfg.attributes["lock_timeout"] = lock_timeout
    return cfg


def upgrade(
    url: str | None = None, revision: str = "head", *, lock_timeout: str | None = None
) -> None:
    """Create or migrate the database at `url` to `revision`.

    `lock_timeout` (PostgreSQL syntax, e.g. "10s") bounds each wait for a table lock: a
    migration that cannot get its lock fails whole, nothing changed, instead of queueing
    every request of the running app behind it."""
    command.upgrade(alembic_config(url, lock_timeout=lock_timeout), revision)


def downgrade(url: str | None, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def revisions() -> list[str]:
    """Every revision id, oldest first."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def current_revision(url: str | None = None) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from case_core.kernel.db import get_engine

    with get_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_at_head(url: str | None = None) -> bool:
    return current_revision(url) == head_revision()


def compare_type(
    context: Any,
    inspected_column: Any,
    metadata_column: Any,
    inspected_type: Any,
    metadata_type: Any,
) -> bool | None:
    """Alembic's type comparison, except that SQLite's INTEGER and BIGINT are one type
    (both stored in up to 8 bytes), so that no migration rebuilds SQLite tables for nothing."""
    types = (inspected_type, metadata_type)
    if context.dialect.name != "sqlite" or not all(isinstance(t, Integer) for t in types):
        return None
    return False if any(isinstance(t, BigInteger) for t in types) else None
