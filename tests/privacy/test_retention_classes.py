"""Retention per data class (journal, documents, closed cases, accounts) and the legal hold:
the dry run lists per class, the run anonymises only that class, nothing under hold or open
is touched, every purge is audited and the chain still verifies."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlmodel import col, select

from case_core.accounts.auth import update_user
from case_core.cli import cli
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import PermissionDenied, ValidationError
from case_core.models import (
    AuditEvent,
    Case,
    ContactEvent,
    Document,
    Party,
    PrivacyRequestKind,
    PrivacyRequestStatus,
    Role,
    User,
)
from case_core.privacy.anonymise import ANONYMISED, PLACEHOLDER_SHA
from case_core.privacy.hold import lift_legal_hold, set_legal_hold
from case_core.privacy.requests import execute_erasure, record_request
from case_core.privacy.retention import DataClass, count_all
from tests.conftest import actor_with_role
from tests.privacy.helpers import debtor_with_file, old_settled_debtor


def _purge(as_of: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["privacy", "purge", "--as-of", as_of, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _verify() -> None:
    verify = CliRunner().invoke(cli, ["audit", "verify"])
    assert verify.exit_code == 0 and "intègre" in verify.output, verify.output


def test_each_class_on_its_own_period(admin: Actor) -> None:
    closed = old_settled_debtor(admin, "Dupont")  # closed today, invoiced in 2014
    open_ = debtor_with_file(admin, "Lemoine")

    # Two and a half years after closure: only the journal (2 years) is due.
    listing = _purge("2029-06-01", "--dry-run")
    assert "Journal des contacts (conservation 2 an(s)) : 1 dossier(s)" in listing
    assert "Dossiers clos (conservation 5 an(s)) : 0 dossier(s)" in listing
    assert "Documents (conservation 5 an(s)) : 0 dossier(s)" in listing
    assert "Comptes utilisateurs inactifs (conservation 1 an(s)) : 0 compte(s)" in listing
    assert closed.reference in listing and open_.reference not in listing
    assert "rien n'a été modifié" in listing

    output = _purge("2029-06-01")
    assert "Journal des contacts : 1 dossier(s) anonymisé(s)" in output
    with read_session() as session:
        notes = dict(session.exec(select(ContactEvent.case_id, ContactEvent.note)).all())
        assert sorted(notes.values()) == sorted([ANONYMISED, open_.note])
        party = session.get(Party, closed.party_id)
        assert party is not None and party.email == closed.email  # identity kept
        docs = session.exec(select(Document.sha256)).all()
        assert PLACEHOLDER_SHA not in docs
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "privacy.purge")).one()
    changes = json.loads(event.changes)
    assert changes["classe"]["after"] == "journal"
    assert changes["dossiers"]["after"] == [closed.reference]
    assert "salaire" not in event.changes
    assert "0 dossier(s)" in _purge("2029-06-01", "--dry-run", "--class", "journal")

    # Five and a half years: documents by their own class first, then the rest.
    out = _purge("2032-06-01", "--class", "documents")
    assert "Documents : 1 dossier(s) anonymisé(s)" in out
    with read_session() as session:
        party = session.get(Party, closed.party_id)
        assert party is not None and party.email == closed.email
        case_id = session.exec(select(Case.id).where(Case.reference == closed.reference)).one()
        (doc,) = session.exec(select(Document).where(Document.case_id == case_id)).all()
        assert doc.sha256 == PLACEHOLDER_SHA  # the 2014 invoice is past its ten years
    assert "Dossiers clos : 1 dossier(s) anonymisé(s)" in _purge("2032-06-01")
    with read_session() as session:
        gone = session.get(Party, closed.party_id)
        kept = session.get(Party, open_.party_id)
        assert gone is not None and gone.email is None and gone.iban is None
        assert kept is not None and kept.email == open_.email
    assert count_all(admin, date(2032, 6, 1)) == {c: 0 for c in DataClass}
    _verify()


def test_legal_hold_keeps_a_case_out_of_every_purge_and_erasure(admin: Actor) -> None:
    closed = old_settled_debtor(admin, "Dupont")
    manager = actor_with_role(admin, Role.MANAGER)
    collector = actor_with_role(admin, Role.COLLECTOR)

    with pytest.raises(PermissionDenied):
        set_legal_hold(collector, closed.reference, "Litige")
    with pytest.raises(ValidationError, match="motif"):
        set_legal_hold(manager, closed.reference, "   ")
    held = set_legal_hold(manager, closed.reference, "Assignation du 12/11/2026, TJ de Paris")
    assert held.held and held.since is not None
    with pytest.raises(ValidationError, match="déjà"):
        set_legal_hold(manager, closed.reference, "Encore")

    assert count_all(admin, date(2032, 6, 1)) == {c: 0 for c in DataClass}
    assert closed.reference not in _purge("2032-06-01", "--dry-run")
    _purge("2032-06-01")
    request = record_request(admin, closed.party_id, PrivacyRequestKind.ERASURE, date(2026, 11, 2))
    refused = execute_erasure(admin, request.id)
    assert refused.status == PrivacyRequestStatus.REFUSED
    assert "sous conservation légale : Assignation du 12/11/2026" in (refused.answer or "")
    with read_session() as session:
        party = session.get(Party, closed.party_id)
        assert party is not None and party.email == closed.email
        note = session.exec(select(ContactEvent.note)).one()
        assert note == closed.note

    lift_legal_hold(manager, closed.reference, "Désistement de l'instance")
    assert count_all(admin, date(2032, 6, 1))[DataClass.CASES] == 1
    with read_session() as session:
        events = session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.action).in_(["case.legal_hold", "case.legal_hold_lift"]))
            .order_by(col(AuditEvent.id))
        ).all()
        # The reason may name people: kept beside the chain, read back as the History shows.
        readable = audit.readable_changes(session, events)
    assert [e.action for e in events] == ["case.legal_hold", "case.legal_hold_lift"]
    told = [json.dumps(readable[e.id or 0], ensure_ascii=False) for e in events]
    assert "Assignation" in told[0] and "Désistement" in told[1]
    _verify()


def test_inactive_accounts_are_anonymised_after_their_period(admin: Actor) -> None:
    leaver = actor_with_role(admin, Role.COLLECTOR, "parti@example.fr")
    stayer = actor_with_role(admin, Role.COLLECTOR, "reste@example.fr")
    update_user(admin, leaver.id, is_active=False)  # type: ignore[arg-type]
    assert "0 compte(s)" in _purge("2027-01-01", "--dry-run", "--class", "accounts")
    listing = _purge("2028-06-01", "--dry-run", "--class", "accounts")
    assert f"compte n° {leaver.id}" in listing and f"compte n° {stayer.id}" not in listing
    assert "1 compte(s) anonymisé(s)" in _purge("2028-06-01", "--class", "accounts")
    with read_session() as session:
        gone = session.get(User, leaver.id)
        kept = session.get(User, stayer.id)
        assert gone is not None and kept is not None
        assert "parti" not in gone.email and gone.full_name.startswith("Utilisateur anonymisé")
        assert not gone.is_active
        assert kept.email == "reste@example.fr"
        purge = session.exec(
            select(AuditEvent).where(AuditEvent.action == "privacy.anonymise")
        ).one()
    assert "parti@example.fr" not in purge.changes
    _verify()
