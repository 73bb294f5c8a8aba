"""The journal written before the chain was keyed stays verifiable after 0005; on
PostgreSQL the app's role cannot set the journal's protections aside."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from case_core import migrations
from case_core.accounts import auth
from case_core.cli import cli
from case_core.kernel.db import dispose_engines, get_engine
from tests.migrations.conftest import drop_postgres_database, new_postgres_database

GENESIS = "0" * 64


def _legacy_events(url: str, n: int) -> str:
    """n events as the code before 0005 wrote them (plain SHA-256); returns the tip."""
    prev = GENESIS
    with get_engine(url).begin() as conn:
        for i in range(n):
            at = datetime(2026, 1, 5, 9, i, tzinfo=UTC)
            row = {
                "prev": prev,
                "at": at.isoformat(timespec="microseconds"),
                "actor_id": None,
                "actor": "Système",
                "action": "legacy.event",
                "entity_type": "thing",
                "entity_id": str(i),
                "case_id": None,
                "changes": "{}",
            }
            canonical = json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            digest = hashlib.sha256(canonical.encode()).hexdigest()
            conn.execute(
                text(
                    "INSERT INTO audit_events (occurred_at, actor_id, actor_label, action, "
                    "entity_type, entity_id, case_id, changes, prev_hash, hash) VALUES "
                    "(:at, NULL, :actor, :action, :et, :eid, NULL, :ch, :prev, :hash)"
                ),
                {
                    "at": at if conn.dialect.name != "sqlite" else at.replace(tzinfo=None),
                    "actor": row["actor"],
                    "action": row["action"],
                    "et": row["entity_type"],
                    "eid": row["entity_id"],
                    "ch": row["changes"],
                    "prev": prev,
                    "hash": digest,
                },
            )
            prev = digest
    return prev


def test_journal_from_before_the_key_verifies_and_is_continued_keyed(
    empty_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEDESK_AUDIT_KEY", "c" * 40)
    migrations.upgrade(empty_url, "0004")
    _legacy_events(empty_url, 3)
    dispose_engines()
    migrations.upgrade(empty_url)
    auth.create_first_admin("admin@example.fr", "Alice Admin", "motdepasse-admin")
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "4 événements vérifiés (dont 3 antérieurs à la signature par clé)" in result.output

    # An unkeyed event slipped in after the keyed ones is a forgery.
    with get_engine(empty_url).begin() as conn:
        tip = conn.execute(text("SELECT hash FROM audit_events ORDER BY id DESC")).first()[0]
    _legacy_events_after(empty_url, tip)
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert "non signé après le début de la signature" in result.output


def _legacy_events_after(url: str, prev: str) -> None:
    at = datetime(2026, 2, 1, tzinfo=UTC)
    row = {
        "prev": prev,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": None,
        "actor": "Système",
        "action": "forged",
        "entity_type": "thing",
        "entity_id": None,
        "case_id": None,
        "changes": "{}",
    }
    canonical = json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    with get_engine(url).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_events (occurred_at, actor_label, action, entity_type, "
                "changes, prev_hash, hash) VALUES (:at, 'Système', 'forged', 'thing', '{}', "
                ":prev, :hash)"
            ),
            {
                "at": at if conn.dialect.name != "sqlite" else at.replace(tzinfo=None),
                "prev": prev,
                "hash": hashlib.sha256(canonical.encode()).hexdigest(),
            },
        )


@pytest.fixture
def owner_and_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """A database owned by a migration role, and an app role that owns nothing."""
    url, name = new_postgres_database()
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"casedesk_owner_{suffix}", f"casedesk_app_{suffix}"
    superuser = create_engine(url, isolation_level="AUTOCOMMIT")
    with superuser.connect() as conn:
        conn.execute(text(f"CREATE ROLE {owner} LOGIN"))
        conn.execute(text(f"CREATE ROLE {app} LOGIN"))
        conn.execute(text(f'ALTER DATABASE "{name}" OWNER TO {owner}'))
    superuser.dispose()
    parsed = make_url(url)
    owner_url = parsed.set(username=owner).render_as_string(hide_password=False)
    app_url = parsed.set(username=app).render_as_string(hide_password=False)
    monkeypatch.setenv("CASEDESK_AUDIT_KEY", "r" * 40)
    try:
        yield owner_url, app_url
    finally:
        drop_postgres_database(name)
        cleanup = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with cleanup.connect() as conn:
            conn.execute(text(f"DROP ROLE IF EXISTS {app}"))
            conn.execute(text(f"DROP ROLE IF EXISTS {owner}"))
        cleanup.dispose()


def test_app_role_cannot_drop_disable_or_truncate_the_journal(
    owner_and_app: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    owner_url, app_url = owner_and_app
    monkeypatch.setenv("CASEDESK_DATABASE_URL", owner_url)
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    app_role = make_url(app_url).username
    granted = runner.invoke(cli, ["db", "grant-app", app_role])
    assert granted.exit_code == 0, granted.output

    # The app works as that role: it signs in, writes, appends to the journal.
    monkeypatch.setenv("CASEDESK_DATABASE_URL", app_url)
    auth.create_first_admin("admin@example.fr", "Alice Admin", "motdepasse-admin")
    assert auth.authenticate("admin@example.fr", "motdepasse-admin").email == "admin@example.fr"

    attempts = [
        "TRUNCATE audit_events",
        "DELETE FROM audit_events",
        "UPDATE audit_events SET action = 'x'",
        "DROP TRIGGER audit_events_append_only ON audit_events",
        "DROP TRIGGER audit_events_no_truncate ON audit_events",
        "ALTER TABLE audit_events DISABLE TRIGGER ALL",
        "DROP FUNCTION audit_events_append_only() CASCADE",
        "DROP TABLE audit_events CASCADE",
        "SET session_replication_role = replica",
        "UPDATE alembic_version SET version_num = '0001'",
        "DELETE FROM audit_values",
        "TRUNCATE audit_values",
    ]
    engine = get_engine(app_url)
    for statement in attempts:
        refused = r"permission denied|must be owner|append-only"
        with pytest.raises(DBAPIError, match=refused), engine.begin() as conn:
            conn.execute(text(statement))
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 0 and "2 événements vérifiés" in result.output
