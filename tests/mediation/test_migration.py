"""Migration 0006: the old session and agreement rows survive the reshaping, and the
schema it leaves matches the models."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel, select

from case_core import migrations
from case_core.kernel.db import dispose_engines, get_engine, read_session
from case_core.models import Mediation, MediationAgreement, MediationSession, SessionMode


@pytest.fixture
def old_db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    monkeypatch.setenv("CASEDESK_DATABASE_URL", url)
    migrations.upgrade(url, "0003")
    with get_engine(url).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, full_name, role, password_hash, is_active, "
                "failed_attempts, password_changed_at, created_at, version) VALUES "
                "(1, 'm@x.fr', 'Marc', 'mediator', 'x', 1, 0, '2026-01-01', '2026-01-01', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO parties (id, kind, display_name, country, written_contact_only, "
                "created_at, version) VALUES (1, 'company', 'A', 'FR', 0, '2026-01-01', 1), "
                "(2, 'company', 'B', 'FR', 0, '2026-01-01', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO cases (id, reference, creditor_id, debtor_id, debtor_kind, phase, "
                "principal_cents, paid_cents, balance_cents, creditor_is_natural_person, "
                "insolvency_proceedings, search_text, created_at, updated_at, version) "
                "VALUES (1, '2026-000001', 1, 2, 'professional', 'mediation', 0, 0, 0, 0, 0, "
                "'', '2026-01-01', '2026-01-01', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO mediation_sessions (id, case_id, mediator_id, held_at, mode, "
                "participants, confidential_notes, outcome, created_at) VALUES "
                "(1, 1, 1, '2026-02-03 09:00:00', 'visio', 'M. Martin', 'secret', "
                "'agreement', '2026-02-03 12:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO mediation_agreements (id, case_id, session_id, signed_on, "
                "amount_cents, terms, created_at, created_by_id) VALUES "
                "(1, 1, 1, '2026-02-10', 90000, 'x', '2026-02-10 10:00:00', 1)"
            )
        )
    dispose_engines()
    return url


def test_old_rows_survive(old_db: str) -> None:
    migrations.upgrade(old_db)
    with read_session() as session:
        mediation = session.exec(select(Mediation)).one()
        meeting = session.exec(select(MediationSession)).one()
        agreement = session.exec(select(MediationAgreement)).one()
    assert mediation.case_id == 1 and mediation.mediator_user_id == 1
    assert mediation.agreed_on == date(2026, 2, 3)
    assert meeting.mediation_id == mediation.id
    assert meeting.planned_at == datetime(2026, 2, 3, 9, 0, tzinfo=UTC)
    assert meeting.mode == SessionMode.VIDEO
    assert meeting.confidential_notes == "Participants : M. Martin\nsecret"
    assert agreement.mediation_id == mediation.id
    assert agreement.signed_on == date(2026, 2, 10)
    assert agreement.amount_cents == 90000


def test_schema_matches_models(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    mediation_tables = (
        "mediation",
        "external_mediators",
    )
    ours = [d for d in diff if any(t in repr(d) for t in mediation_tables)]
    assert ours == []


def test_downgrade_then_upgrade(old_db: str) -> None:
    migrations.upgrade(old_db)
    from alembic import command

    command.downgrade(migrations.alembic_config(old_db), "-1")
    migrations.upgrade(old_db)
    with read_session() as session:
        assert session.exec(select(MediationSession)).one().mediation_id is not None
