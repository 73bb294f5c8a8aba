"""`casedesk backup` then `casedesk restore`: the same cases, payments and documents."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner
from sqlmodel import col, select

from case_core.cli import cli
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import Case, Document, DocumentBlob, Payment
from tests.conftest import make_admin
from tests.privacy.helpers import debtor_with_file


def _state() -> dict[str, object]:
    with read_session() as session:
        cases = session.exec(
            select(Case.reference, Case.balance_cents, Case.version).order_by(col(Case.id))
        ).all()
        payments = session.exec(
            select(Payment.id, Payment.amount_cents, Payment.received_on).order_by(col(Payment.id))
        ).all()
        docs = session.exec(
            select(Document.id, Document.sha256, DocumentBlob.content)
            .join(DocumentBlob, col(DocumentBlob.sha256) == Document.sha256)
            .order_by(col(Document.id))
        ).all()
    return {
        "cases": list(cases),
        "payments": list(payments),
        # The stored hash and the hash of the bytes actually restored.
        "documents": [(i, sha, hashlib.sha256(content).hexdigest()) for i, sha, content in docs],
    }


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_backup_restore_round_trip(sqlite_url: str, tmp_path: Path) -> None:
    admin: Actor = make_admin()
    debtor_with_file(admin, "Dupont")
    saved = _state()
    assert saved["documents"] and all(s == h for _, s, h in saved["documents"])  # type: ignore[union-attr]
    backup = tmp_path / "sauvegarde.db"
    _run("backup", str(backup))

    debtor_with_file(admin, "Lemoine")  # work done after the backup
    assert _state() != saved

    output = _run("restore", str(backup), "--yes")
    assert "Base restaurée" in output
    assert _state() == saved
    assert "intègre" in _run("audit", "verify")


def test_restore_refuses_what_is_not_a_backup(sqlite_url: str, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"pas une base")
    result = CliRunner().invoke(cli, ["restore", str(bogus), "--yes"])
    assert result.exit_code == 1 and "n'est pas une" in result.output
    empty = tmp_path / "vide.db"
    import sqlite3

    sqlite3.connect(empty).close()
    result = CliRunner().invoke(cli, ["restore", str(empty), "--yes"])
    assert result.exit_code == 1 and "sauvegarde casedesk" in result.output
