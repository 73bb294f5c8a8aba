"""The `casedesk` command line: db upgrade, user add, demo, backup, audit verify."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import func, select
from stdnum import iban
from stdnum.fr import siren

from case_core.accounts import auth
from case_core.cli import cli
from case_core.kernel.db import get_engine, read_session
from case_core.models import AuditEvent, Case, Claim, Party, Payment, Role


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.output


def test_db_upgrade_is_idempotent(db_url: str) -> None:
    code, out = run("db", "upgrade")
    assert code == 0 and "Base à jour" in out
    assert run("db", "upgrade")[0] == 0


def test_user_add_first_admin_then_collector(db_url: str) -> None:
    code, out = run(
        "user",
        "add",
        "boss@example.fr",
        "--role",
        "collector",
        "--password-stdin",
        input="motdepasse-boss\n",
    )
    assert code != 0 and "administrateur" in out
    code, out = run(
        "user",
        "add",
        "boss@example.fr",
        "--role",
        "admin",
        "--password-stdin",
        input="motdepasse-boss\n",
    )
    assert code == 0, out
    code, out = run(
        "user",
        "add",
        "c@example.fr",
        "--role",
        "collector",
        "--name",
        "Claire",
        input="motdepasse-claire\nmotdepasse-claire\n",
    )
    assert code == 0, out
    assert auth.authenticate("c@example.fr", "motdepasse-claire").role == Role.COLLECTOR
    code, out = run("user", "add", "bad", "--role", "viewer", "--password-stdin", input="court\n")
    assert code == 1 and "invalide" in out


def test_demo_fills_a_usable_database_reproducibly(db_url: str) -> None:
    code, out = run("demo", "--cases", "300", "--seed", "7")
    assert code == 0, out
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Case)).one() == 300
        cases = session.exec(select(Case).order_by(Case.id)).all()
        companies = session.exec(select(Party).where(Party.kind == "company")).all()
        persons = session.exec(select(Party).where(Party.kind == "person")).all()
        claims = session.exec(select(Claim)).all()
        payments = session.exec(select(Payment)).all()
        first_run = [p.display_name for p in session.exec(select(Party).order_by(Party.id)).all()]
    assert companies and persons and payments
    assert all(siren.is_valid(p.siren) for p in companies)
    assert all(iban.is_valid(p.iban) for p in companies if p.iban)
    assert all(c.reference.startswith("20") and len(c.reference) == 11 for c in cases)
    # Totals stored on each case match its claims and payments exactly.
    by_case: dict[int, int] = {}
    for claim in claims:
        by_case[claim.case_id] = by_case.get(claim.case_id, 0) + claim.principal_cents
    for payment in payments:
        by_case[payment.case_id] = by_case.get(payment.case_id, 0) - payment.amount_cents
    assert all(c.balance_cents == by_case[c.id] for c in cases)
    with read_session() as session:
        created = session.exec(
            select(AuditEvent.case_id).where(AuditEvent.action == "case.create")
        ).all()
    assert sorted(created) == sorted(c.id for c in cases)  # each case has its history
    assert run("audit", "verify")[0] == 0
    dates = sorted(c.issue_date for c in claims)
    assert (dates[-1] - dates[0]).days > 700  # invoices spread over the last three years
    # The same seed gives the same data: a second run of 20 cases draws the same
    # creditors and the same first 20 debtors, in the same order.
    assert run("demo", "--cases", "20", "--seed", "7")[0] == 0
    with read_session() as session:
        second_run = [
            p.display_name
            for p in session.exec(select(Party).order_by(Party.id).offset(len(first_run))).all()
        ]
    assert len(second_run) == 23
    assert second_run == first_run[:23]


def test_backup_is_a_consistent_copy(sqlite_url: str, tmp_path: Path) -> None:
    run(
        "user",
        "add",
        "boss@example.fr",
        "--role",
        "admin",
        "--password-stdin",
        input="motdepasse-boss\n",
    )
    target = tmp_path / "backup" / "copy.db"
    code, out = run("backup", str(target))
    assert code == 0 and "Sauvegarde écrite" in out
    with sqlite3.connect(target) as conn:
        assert conn.execute("select email from users").fetchall() == [("boss@example.fr",)]
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    assert run("backup", str(target))[0] == 1  # never overwrites


def test_backup_on_postgresql_points_to_pg_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEDESK_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/x")
    code, out = run("backup", "/tmp/never-written.db")
    assert code == 1 and "pg_dump" in out


def _tamper(db_url: str, event_id: int) -> None:
    """Edit an audit row 'by hand', as someone with direct database access would."""
    engine = get_engine(db_url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
        else:
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
        conn.execute(
            text("UPDATE audit_events SET changes = :c WHERE id = :id"),
            {"c": '{"role": {"before": null, "after": "admin"}}', "id": event_id},
        )
        if engine.dialect.name != "sqlite":
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))


def test_audit_verify_reports_the_first_edited_row(db_url: str) -> None:
    run(
        "user",
        "add",
        "boss@example.fr",
        "--role",
        "admin",
        "--password-stdin",
        input="motdepasse-boss\n",
    )
    for i in range(3):
        run(
            "user",
            "add",
            f"u{i}@example.fr",
            "--role",
            "viewer",
            "--password-stdin",
            input="motdepasse-user\n",
        )
    code, out = run("audit", "verify")
    assert code == 0 and "4 événements vérifiés" in out
    with read_session() as session:
        ids = session.exec(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    _tamper(db_url, ids[2])
    code, out = run("audit", "verify")
    assert code == 1
    assert f"#{ids[2]}" in out and "contenu modifié" in out


def test_audit_rows_cannot_be_updated_or_deleted(db_url: str) -> None:
    run(
        "user",
        "add",
        "boss@example.fr",
        "--role",
        "admin",
        "--password-stdin",
        input="motdepasse-boss\n",
    )
    engine = get_engine(db_url)
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    assert run("audit", "verify")[0] == 0


def test_demo_cases_closed_as_paid_owe_nothing(db_url: str) -> None:
    assert run("demo", "--cases", "400", "--seed", "3")[0] == 0
    with read_session() as session:
        closed = session.exec(select(Case).where(Case.phase == "closed")).all()
    assert closed
    assert all(c.balance_cents == 0 for c in closed if c.closure_reason == "paid")
    assert {c.closure_reason for c in closed} <= {"paid", "settled", "written_off"}
