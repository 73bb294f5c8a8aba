"""An audit trail that can be trusted: keyed chain, anchors against a cut tail, TRUNCATE
refused, and an app role that cannot set the protections aside."""

from __future__ import annotations

import hashlib
import hmac
import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from case_core.cli import cli
from case_core.kernel import audit, config
from case_core.kernel.actor import Actor
from case_core.kernel.db import get_engine, read_session, session_scope
from case_core.kernel.errors import CaseError
from case_core.models import AuditEvent
from tests.conftest import make_admin

KEY = "k" * 40


@pytest.fixture(autouse=True)
def audit_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CASEDESK_AUDIT_KEY", KEY)
    return KEY


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _events(n: int) -> None:
    """n events after the first admin's own (its creation is the journal's first event)."""
    _record(make_admin(), n)


def _record(admin: Actor, n: int) -> None:
    with session_scope() as session:
        for i in range(n):
            audit.record(session, admin, "test.event", "thing", i, {"n": {"before": 0, "after": i}})


def _ids() -> list[int]:
    with read_session() as session:
        return list(session.exec(select(AuditEvent.id).order_by(AuditEvent.id)).all())


def _as_superuser_without_triggers(statements: list[tuple[str, dict]]) -> None:
    """What someone with full access to the database server can do."""
    engine = get_engine()
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        else:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for sql, params in statements:
            conn.execute(text(sql), params)


def test_truncate_of_the_journal_is_refused_on_postgresql(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has no TRUNCATE; its DELETE is refused (test_cli_foundation)")
    _events(2)
    # audit_values references the journal: TRUNCATE of the journal alone stops on that key;
    # with it (or CASCADE) the append-only trigger refuses.
    with pytest.raises(DBAPIError, match="foreign key"), get_engine().begin() as conn:
        conn.execute(text("TRUNCATE audit_events"))
    for statement in (
        "TRUNCATE audit_events, audit_values",
        "TRUNCATE cases, users, audit_events CASCADE",
    ):
        with pytest.raises(DBAPIError, match="append-only"), get_engine().begin() as conn:
            conn.execute(text(statement))
    code, out = run("audit", "verify")
    assert code == 0 and "3 événements vérifiés" in out


def test_a_chain_recomputed_without_the_key_is_detected(db_url: str) -> None:
    _events(4)
    ids = _ids()
    # The forger edits event 3 and recomputes every hash from there, as the code does, but
    # with a key of their own: they can read the database, not the server's configuration.
    forged_key = b"f" * 40
    with read_session() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.id >= ids[2])).all()
    prev = events[0].prev_hash
    updates = []
    for event in sorted(events, key=lambda e: e.id or 0):
        if event.id == ids[2]:
            event.changes = json.dumps({"role": {"before": None, "after": "admin"}})
        event.prev_hash = prev
        prev = hmac.new(forged_key, audit._payload(event), hashlib.sha256).hexdigest()
        updates.append(
            (
                "UPDATE audit_events SET changes = :c, prev_hash = :p, hash = :h WHERE id = :id",
                {"c": event.changes, "p": event.prev_hash, "h": prev, "id": event.id},
            )
        )
    _as_superuser_without_triggers(updates)
    code, out = run("audit", "verify")
    assert code == 1
    assert f"#{ids[2]}" in out and "contenu modifié" in out


def test_a_journal_cut_at_its_tail_is_caught_by_an_anchor(db_url: str) -> None:
    _events(3)
    code, out = run("audit", "anchor")
    assert code == 0
    kept = out.splitlines()[0]
    assert kept.startswith("4:") and len(kept) == 2 + 64
    # `audit anchor` notes itself after the head it printed (the « Santé » page shows it).
    assert run("audit", "verify", "--anchor", kept) == (
        0,
        f"Journal d'audit intègre : 5 événements vérifiés.\n"
        # The first admin's name and email, kept beside the chain.
        "Valeurs personnelles gardées à part : 2 conformes à leur empreinte ou effacées "
        "(dont 0 effacées par anonymisation).\n"
        f"Ancre {kept} : présente.\n",
    )
    ids = _ids()
    _as_superuser_without_triggers([("DELETE FROM audit_events WHERE id >= :id", {"id": ids[2]})])
    # Without its anchor a cut chain is still a valid chain...
    assert run("audit", "verify")[0] == 0
    # ...the anchor kept outside the database says what is missing.
    code, out = run("audit", "verify", "--anchor", kept)
    assert code == 1
    assert "journal tronqué" in out and "n'en compte plus que 2" in out


def test_an_anchor_whose_event_was_replaced_is_reported(db_url: str) -> None:
    _events(1)
    count, _ = run("audit", "anchor")[1].splitlines()[0].split(":")
    code, out = run("audit", "verify", "--anchor", f"{count}:{'0' * 64}")
    assert code == 1 and f"l'événement n° {count} n'est plus celui de l'ancre" in out
    code, out = run("audit", "verify", "--anchor", "pas une ancre")
    assert code == 1 and "Ancre illisible" in out and "Traceback" not in out


def test_another_key_neither_writes_nor_verifies(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = make_admin()
    monkeypatch.setenv("CASEDESK_AUDIT_KEY", "autre-clé-" + "x" * 40)
    with pytest.raises(CaseError, match="même CASEDESK_AUDIT_KEY"):
        _record(admin, 1)
    assert len(_ids()) == 1
    code, out = run("audit", "verify")
    assert code == 1 and "autre clé" in out
    assert "x" * 40 not in out and KEY not in out


def test_a_short_key_is_refused_in_french(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEDESK_AUDIT_KEY", "court")
    code, out = run("audit", "verify")
    assert code == 1 and "trop courte" in out and "court\n" not in out


def test_without_configuration_a_key_file_is_made_once_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CASEDESK_AUDIT_KEY")
    monkeypatch.setenv("CASEDESK_DATA_DIR", str(tmp_path))
    first = config.audit_key()
    path = tmp_path / config.AUDIT_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert config.audit_key() == first and len(first) == 64
    assert first.decode() not in repr(audit.signing_key())
    assert list(tmp_path.iterdir()) == [path]  # no draft left behind
