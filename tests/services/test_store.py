"""The case store itself: migrations match the models, instants stay UTC, references are
unique under concurrency, the audit chain links every write."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, select

from case_core import migrations
from case_core.cases.references import next_references
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.db import get_engine, read_session, session_scope
from case_core.models import AuditEvent, User


def test_migrations_produce_exactly_the_models(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        # SQLite's INTEGER and BIGINT are one type (tests/migrations/test_stairway.py).
        context = MigrationContext.configure(conn, opts={"compare_type": migrations.compare_type})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url: str) -> None:
    with get_engine(sqlite_url).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_instants_come_back_timezone_aware_utc(db_url: str, admin: Actor) -> None:
    paris = timezone(timedelta(hours=1))
    moment = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=paris)
    with session_scope() as session:
        user = session.get(User, admin.id)
        assert user is not None
        user.last_login_at = moment
        session.add(user)
    with read_session() as session:
        stored = session.get(User, admin.id)
    assert stored is not None and stored.last_login_at == moment
    assert stored.last_login_at.tzinfo is not None
    assert stored.last_login_at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(db_url: str, admin: Actor) -> None:
    with pytest.raises(Exception, match="naive"), session_scope() as session:
        user = session.get(User, admin.id)
        assert user is not None
        user.last_login_at = datetime(2026, 3, 1, 9, 30)
        session.add(user)
        session.flush()


def test_references_are_unique_across_concurrent_writers(db_url: str) -> None:
    got: list[str] = []
    errors: list[BaseException] = []

    def reserve() -> None:
        try:
            for _ in range(5):
                with session_scope() as session:
                    got.extend(next_references(session, 2026, 3))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=reserve) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(got) == 60 and len(set(got)) == 60
    assert sorted(got)[0] == "2026-000001" and sorted(got)[-1] == "2026-000060"


def test_a_rolled_back_action_leaves_no_audit_event(db_url: str, admin: Actor) -> None:
    with read_session() as session:
        before = len(session.exec(select(AuditEvent)).all())
    with pytest.raises(RuntimeError), session_scope() as session:
        audit.record(session, admin, "test.action", "test", 1, {})
        raise RuntimeError("boom")
    with read_session() as session:
        assert len(session.exec(select(AuditEvent)).all()) == before


def test_concurrent_audit_writers_keep_one_unbroken_chain(db_url: str, admin: Actor) -> None:
    # Each transaction appends several events (as a bulk import does) while others write.
    def write() -> None:
        for i in range(5):
            with session_scope() as session:
                for j in range(3):
                    audit.record(
                        session, admin, "test.action", "test", i, {"n": {"before": i, "after": j}}
                    )

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with read_session() as session:
        report = audit.verify_chain(session)
    assert report.ok and report.checked == 61  # 4 × 5 × 3 + the admin's creation


def test_diff_keeps_only_changed_fields() -> None:
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
        "b": {"before": 2, "after": 3},
        "c": {"before": None, "after": 4},
    }
    assert audit.to_jsonable(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00.000000+00:00"
