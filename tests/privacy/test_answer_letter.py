"""The answer letter to an erasure, rectification or objection request: generated from the
registered template, filed as a document of the person's case, saying what was done or why
the data is kept; reopened with python-docx."""

from __future__ import annotations

import io
from datetime import date

from docx import Document as open_docx
from sqlmodel import select

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import (
    Document,
    DocumentKind,
    ObjectionKind,
    ObjectionSource,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from case_core.privacy.answer_letter import answer_letter
from case_core.privacy.letter_template import TEMPLATE_NAME
from case_core.privacy.objections import record_objection
from case_core.privacy.requests import answer_request, execute_erasure, record_request
from case_core.templates_catalog import catalog
from tests.privacy.helpers import debtor_with_file, old_settled_debtor


def _text(content: bytes) -> str:
    doc = open_docx(io.BytesIO(content))
    return "\n".join(p.text for p in doc.paragraphs)


def test_the_template_is_registered() -> None:
    assert TEMPLATE_NAME in {spec.name for spec in catalog()}


def test_erasure_done_letter_says_what_was_erased_and_reaches_the_person(admin: Actor) -> None:
    debtor = old_settled_debtor(admin, "Dupont")
    request = record_request(admin, debtor.party_id, PrivacyRequestKind.ERASURE, date(2026, 11, 2))
    view = execute_erasure(admin, request.id)
    assert view.status == PrivacyRequestStatus.DONE and view.letter_document_id is not None

    filename, content = answer_letter(admin, request.id)
    assert filename.endswith(".docx") and "Dupont" not in filename
    text = _text(content)
    # Addressed to the person as they were before the erasure.
    assert "DUPONT Jeanne" in text and "4 rue Dupont" in text
    assert "Votre demande a été satisfaite." in text
    assert "effacés" in text and "Montants" not in text  # what was done, in full sentences
    assert "montants et les dates" in text and debtor.reference in text
    assert "CNIL" in text and "02/11/2026" in text
    with read_session() as session:
        doc = session.get(Document, view.letter_document_id)
        assert doc is not None and doc.kind == DocumentKind.LETTER and doc.generated


def test_erasure_refused_letter_gives_the_grounds(admin: Actor) -> None:
    debtor = debtor_with_file(admin, "Dupont")
    request = record_request(admin, debtor.party_id, PrivacyRequestKind.ERASURE, date(2026, 11, 2))
    view = execute_erasure(admin, request.id, today=date(2026, 11, 20))
    assert view.status == PrivacyRequestStatus.REFUSED
    text = _text(answer_letter(admin, request.id)[1])
    assert "Nous ne pouvons pas satisfaire votre demande" in text
    assert "Motifs de conservation de vos données" in text
    assert f"Le dossier {debtor.reference} est en cours" in text
    assert "L123-22" in text
    assert "réclamation" in text  # the right to complain (GDPR art. 12.4)


def test_rectification_and_objection_letters(admin: Actor) -> None:
    debtor = debtor_with_file(admin, "Dupont")
    rect = record_request(
        admin, debtor.party_id, PrivacyRequestKind.RECTIFICATION, date(2026, 11, 2)
    )
    answer_request(admin, rect.id, PrivacyRequestStatus.DONE, "Adresse corrigée au 5 rue Neuve.")
    text = _text(answer_letter(admin, rect.id)[1])
    assert "Adresse corrigée au 5 rue Neuve." in text and "article 16" in text

    objection = record_request(
        admin, debtor.party_id, PrivacyRequestKind.OBJECTION, date(2026, 11, 3)
    )
    record_objection(
        admin,
        debtor.party_id,
        ObjectionKind.WRITTEN_ONLY,
        date(2026, 11, 3),
        ObjectionSource.PRIVACY_REQUEST,
        objection.id,
    )
    answer_request(admin, objection.id, PrivacyRequestStatus.DONE, "Plus aucun appel.")
    text = _text(answer_letter(admin, objection.id)[1])
    assert "Oppositions enregistrées" in text
    assert "Écrit uniquement (reçue le 03/11/2026, demande rgpd enregistrée)" in text
    with read_session() as session:
        letters = session.exec(
            select(Document).where(Document.kind == DocumentKind.LETTER, Document.generated)
        ).all()
    assert len(letters) == 2
