"""Retention: closed cases past the setting are listed, then anonymised; open ones never."""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import select

from case_core.cli import cli
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.settings import set_settings
from case_core.models import AuditEvent, Case, ContactEvent, Document, DocumentBlob, Party
from case_core.privacy.anonymise import ANONYMISED, PLACEHOLDER_SHA
from case_core.privacy.retention import RETENTION_KEY
from tests.privacy.helpers import debtor_with_file, old_settled_debtor

FUTURE = "2032-06-01"  # five and a half years after the cases below are closed


def _purge(*args: str) -> str:
    result = CliRunner().invoke(cli, ["privacy", "purge", "--as-of", FUTURE, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_purge_dry_run_then_run(admin: Actor) -> None:
    closed = old_settled_debtor(admin, "Dupont")
    open_ = debtor_with_file(admin, "Lemoine")
    with read_session() as session:
        (old_sha,) = session.exec(
            select(Document.sha256).where(Document.filename == "facture-Dupont.pdf")
        ).all()

    listing = _purge("--dry-run")
    assert "1 dossier(s) à anonymiser" in listing
    assert closed.reference in listing and open_.reference not in listing
    assert "rien n'a été modifié" in listing
    with read_session() as session:
        assert session.get(Party, closed.party_id).email == closed.email  # type: ignore[union-attr]

    # A longer retention keeps the case.
    set_settings(admin, {RETENTION_KEY: 10})
    assert "0 dossier(s)" in _purge("--dry-run")
    set_settings(admin, {RETENTION_KEY: 5})

    output = _purge("--batch-size", "1")
    assert "1 dossier(s) anonymisé(s)" in output
    with read_session() as session:
        gone = session.get(Party, closed.party_id)
        kept = session.get(Party, open_.party_id)
        assert gone is not None and kept is not None
        assert gone.email is None and gone.iban is None and "Dupont" not in gone.display_name
        assert (kept.email, kept.iban, kept.last_name) == (open_.email, open_.iban, "Lemoine")
        notes = dict(session.exec(select(ContactEvent.case_id, ContactEvent.note)).all())
        assert sorted(notes.values()) == sorted([ANONYMISED, open_.note])
        # The 2014 invoice is past its 10 years in 2032: the document and its bytes go.
        case_id = session.exec(select(Case.id).where(Case.reference == closed.reference)).one()
        doc = session.exec(select(Document).where(Document.case_id == case_id)).one()
        assert doc.sha256 == PLACEHOLDER_SHA
        assert session.get(DocumentBlob, old_sha) is None
        purges = session.exec(select(AuditEvent).where(AuditEvent.action == "privacy.purge")).all()
        assert len(purges) == 1 and closed.reference in purges[0].changes

    # Nothing left to do, and the chain still verifies.
    assert "0 dossier(s)" in _purge("--dry-run")
    verify = CliRunner().invoke(cli, ["audit", "verify"])
    assert verify.exit_code == 0 and "intègre" in verify.output


def test_purge_keeps_invoices_under_accounting_retention(admin: Actor) -> None:
    from datetime import date

    from case_core.cases.lifecycle import close_case
    from case_core.models import ClosureReason

    recent = debtor_with_file(admin, "Dupont", paid=(date(2026, 4, 15), 1_000_00))
    close_case(admin, recent.reference, ClosureReason.SETTLED, None, None)
    assert "1 dossier(s) anonymisé(s)" in _purge()
    with read_session() as session:
        doc = session.exec(select(Document)).one()
        assert doc.filename == "facture-Dupont.pdf" and doc.sha256 != PLACEHOLDER_SHA
        party = session.get(Party, recent.party_id)
        assert party is not None and party.email is None
