"""Migrations are a step of their own: `casedesk db upgrade` gives up on a busy table
instead of queueing the app behind it, and a replica on a database behind head says so."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from case_core import migrations
from case_core.cli import cli
from case_core.kernel.db import get_engine
from tests.apptest_helpers import new_app
from tests.migrations.conftest import drop_postgres_database, new_postgres_database

BASELINE = "0003"


@pytest.fixture
def postgres_at_baseline(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url, name = new_postgres_database()
    monkeypatch.setenv("CASEDESK_DATABASE_URL", url)
    migrations.upgrade(url, BASELINE)
    yield url
    drop_postgres_database(name)


def test_db_upgrade_gives_up_on_a_busy_table_and_changes_nothing(
    postgres_at_baseline: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEDESK_MIGRATION_LOCK_TIMEOUT", "1s")
    other = create_engine(postgres_at_baseline)
    with other.connect() as busy:
        # A long report reading payments holds a lock the column change must wait for.
        busy.execute(text("SELECT count(*) FROM payments")).scalar_one()
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["db", "upgrade"])
        elapsed = time.monotonic() - started
        busy.rollback()
    other.dispose()
    assert result.exit_code == 1, result.output
    assert "rien n'a été modifié" in result.output
    assert "Traceback" not in result.output
    assert elapsed < 8
    assert migrations.current_revision(postgres_at_baseline) == BASELINE

    result = CliRunner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"{BASELINE} → {migrations.head_revision()}" in result.output
    # The app's pooled connection the migration used is handed back without its timeout.
    with get_engine(postgres_at_baseline).connect() as conn:
        assert conn.execute(text("SHOW lock_timeout")).scalar_one() == "0"


def test_replica_on_a_postgres_database_behind_head_asks_for_db_upgrade(
    postgres_at_baseline: str,
) -> None:
    at = new_app()
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "n'est pas à jour" in errors and "casedesk db upgrade" in errors
    assert not at.text_input  # no sign-in form on a schema it does not know
    assert migrations.current_revision(postgres_at_baseline) == BASELINE


def test_embedded_sqlite_still_migrates_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'embedded.db'}"
    monkeypatch.setenv("CASEDESK_DATABASE_URL", url)
    at = new_app()
    at.run()
    assert not at.exception and not at.error
    assert migrations.current_revision(url) == migrations.head_revision()
