"""Erasure requests: refused with the grounds to keep, or carried out by anonymisation."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlmodel import col, select

from case_core.cli import cli
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.models import (
    AuditEvent,
    Case,
    Claim,
    ContactEvent,
    Document,
    DocumentBlob,
    DocumentKind,
    Party,
    Payment,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from case_core.privacy.anonymise import ANONYMISED, PLACEHOLDER_SHA
from case_core.privacy.requests import (
    answer_request,
    execute_erasure,
    list_requests,
    record_request,
)
from tests.privacy.helpers import Debtor, debtor_with_file, old_settled_debtor


def _erasure(admin: Actor, debtor: Debtor, details: str = "Effacez tout, Mme Dupont") -> int:
    return record_request(
        admin, debtor.party_id, PrivacyRequestKind.ERASURE, date(2026, 11, 2), details
    ).id


def test_erasure_refused_while_a_case_is_open(admin: Actor) -> None:
    debtor = debtor_with_file(admin, "Dupont")
    view = execute_erasure(admin, _erasure(admin, debtor), today=date(2026, 11, 20))
    assert view.status == PrivacyRequestStatus.REFUSED
    assert view.answered_on == date(2026, 11, 20)
    assert f"Le dossier {debtor.reference} est en cours" in (view.answer or "")
    assert "dix ans" in (view.answer or "")  # the 2026 invoice is also kept for accounting
    with read_session() as session:
        assert session.get(Party, debtor.party_id).email == debtor.email  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="déjà reçu une réponse"):
        execute_erasure(admin, view.id)


def test_erasure_refused_for_invoices_under_ten_years(admin: Actor) -> None:
    debtor = debtor_with_file(admin, "Dupont", paid=(date(2026, 4, 15), 1_000_00))
    from case_core.cases.lifecycle import close_case
    from case_core.models import ClosureReason

    close_case(admin, debtor.reference, ClosureReason.SETTLED, None, None)
    view = execute_erasure(admin, _erasure(admin, debtor), today=date(2026, 11, 20))
    assert view.status == PrivacyRequestStatus.REFUSED
    assert "en cours" not in (view.answer or "")
    assert "L123-22" in (view.answer or "") and "01/03/2036" in (view.answer or "")


def test_erasure_anonymises_and_keeps_amounts_and_the_chain(admin: Actor) -> None:
    debtor = old_settled_debtor(admin, "Dupont")
    other = debtor_with_file(admin, "Lemoine")
    with read_session() as session:
        old_sha = session.exec(
            select(Document.sha256).where(Document.filename == "facture-Dupont.pdf")
        ).one()
        before_id = session.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first()

    view = execute_erasure(admin, _erasure(admin, debtor))

    assert view.status == PrivacyRequestStatus.DONE
    assert "anonymisées" in (view.answer or "")
    with read_session() as session:
        party = session.get(Party, debtor.party_id)
        assert party is not None
        assert party.display_name == f"Personne anonymisée n° {debtor.party_id}"
        assert (party.last_name, party.email, party.phone, party.iban, party.bic) == (None,) * 5
        assert (party.address_line1, party.postcode, party.city) == (None, None, None)
        case = session.exec(select(Case).where(Case.reference == debtor.reference)).one()
        assert "dupont" not in case.search_text
        notes = session.exec(select(ContactEvent.note).where(ContactEvent.case_id == case.id)).all()
        assert notes == [ANONYMISED]
        payment = session.exec(select(Payment).where(Payment.case_id == case.id)).one()
        assert (payment.amount_cents, payment.received_on) == (1_000_00, date(2015, 1, 15))
        assert payment.reference == ANONYMISED
        claim = session.exec(select(Claim).where(Claim.case_id == case.id)).one()
        assert (claim.principal_cents, claim.due_date) == (1_000_00, date(2014, 3, 31))
        doc = session.exec(
            select(Document).where(
                Document.case_id == case.id, Document.kind != DocumentKind.LETTER
            )
        ).one()
        assert doc.sha256 == PLACEHOLDER_SHA and "Dupont" not in doc.filename
        assert session.get(DocumentBlob, old_sha) is None  # the bytes are gone
        other_sha = session.exec(
            select(Document.sha256).where(Document.filename == "facture-Lemoine.pdf")
        ).one()
        assert session.get(DocumentBlob, other_sha) is not None
        # The other debtor is untouched.
        assert session.get(Party, other.party_id).email == other.email  # type: ignore[union-attr]
        # The trail tells what was done, without the values erased.
        events = session.exec(select(AuditEvent).where(col(AuditEvent.id) > before_id)).all()
    actions = {e.action for e in events}
    assert {"privacy.request", "privacy.erase", "privacy.anonymise"} <= actions
    written = " ".join(e.changes for e in events).lower()
    for value in ("dupont", debtor.email, debtor.iban.lower(), "salaire", "effacez"):
        assert value not in written
    assert any(
        json.loads(e.changes).get("champs", {}).get("after", [None])[0] == "display_name"
        for e in events
    )

    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intègre" in result.output


def test_other_requests_are_answered_and_listed(admin: Actor) -> None:
    debtor = debtor_with_file(admin, "Dupont")
    request = record_request(
        admin, debtor.party_id, PrivacyRequestKind.RECTIFICATION, date(2026, 11, 2), "Adresse"
    )
    with pytest.raises(ValidationError):
        answer_request(admin, request.id, PrivacyRequestStatus.DONE, "  ")
    done = answer_request(
        admin, request.id, PrivacyRequestStatus.DONE, "Adresse corrigée.", request.version
    )
    assert done.status == PrivacyRequestStatus.DONE and done.answer == "Adresse corrigée."
    (listed,) = list_requests(admin)
    assert listed.kind.label == "Rectification" and listed.status.label == "Traitée"
    with pytest.raises(ValidationError, match="futur"):
        record_request(admin, debtor.party_id, PrivacyRequestKind.OBJECTION, date(2099, 1, 1))
