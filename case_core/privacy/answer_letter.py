"""The answer letter to an erasure, rectification or objection request: a DOCX from the
registered template (privacy.letter_template), rendered with the shared renderer and filed as
a document of the person's latest case, saying what was done or why the data is kept.

It is built inside the write that records the answer: after an erasure the person's name and
address are gone, so the letter is rendered from what was read before the anonymisation and
filed after it (the anonymisation must not retire it). The letter is the proof that the
request was answered (GDPR art. 5.2 and 12.3) and is kept as such.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from case_core.documents.store import get_document_content, store_document
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import UnitOfWork
from case_core.letters.service import party_address, sender_context
from case_core.models import (
    Case,
    ContactObjection,
    DocumentKind,
    ObjectionKind,
    ObjectionSource,
    Party,
    PrivacyRequest,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from case_core.privacy.letter_template import TEMPLATE_NAME
from case_core.templates.store import render_active

LETTER_KINDS = frozenset(
    {
        PrivacyRequestKind.ERASURE,
        PrivacyRequestKind.RECTIFICATION,
        PrivacyRequestKind.OBJECTION,
    }
)
ARTICLES = {
    PrivacyRequestKind.ACCESS: "article 15",
    PrivacyRequestKind.RECTIFICATION: "article 16",
    PrivacyRequestKind.ERASURE: "article 17",
    PrivacyRequestKind.OBJECTION: "article 21",
}


def objection_lines(session: Session, party_id: int) -> list[str]:
    """The objections in force for the person, as the letter lists them."""
    rows = session.exec(
        select(ContactObjection)
        .where(ContactObjection.party_id == party_id, col(ContactObjection.lifted_on).is_(None))
        .order_by(col(ContactObjection.id))
    ).all()
    return [
        f"{ObjectionKind(r.kind).label} (reçue le {format_date(r.received_on)}, "
        f"{ObjectionSource(r.source).label.lower()})"
        for r in rows
    ]


def letter_context(
    session: Session,
    row: PrivacyRequest,
    party: Party,
    *,
    actions: list[str] | None = None,
    kept: list[str] | None = None,
    grounds: list[str] | None = None,
) -> dict[str, Any]:
    """What the template reads, taken from the person as they are now (before any erasure)."""
    assert row.answered_on is not None and row.answer is not None
    references = session.exec(
        select(Case.reference).where(Case.debtor_id == party.id).order_by(col(Case.id))
    ).all()
    kind = PrivacyRequestKind(row.kind)
    return {
        "sender": sender_context(session),
        "person": {"name": party.display_name, "address": party_address(party)},
        "letter_date": format_date(row.answered_on),
        "references": ", ".join(references),
        "request": {
            "kind": kind.label,
            "article": ARTICLES[kind],
            "received_on": format_date(row.received_on),
            "answered_on": format_date(row.answered_on),
        },
        "granted": row.status == PrivacyRequestStatus.DONE,
        "answer": row.answer,
        "actions": actions or [],
        "kept": kept or [],
        "grounds": grounds or [],
        "objections": (
            objection_lines(session, row.party_id) if kind == PrivacyRequestKind.OBJECTION else []
        ),
    }


def letter_filename(row: PrivacyRequest, day: date) -> str:
    return f"Reponse demande RGPD {row.id} {day.isoformat()}.docx"


def file_letter(uow: UnitOfWork, row: PrivacyRequest, context: dict[str, Any]) -> int | None:
    """Render the letter and file it on the person's latest case; its document id, or None
    when the person has no case to file it on (the letter is then not kept)."""
    session = uow.session
    content = render_active(session, TEMPLATE_NAME, context)
    case = session.exec(
        select(Case).where(Case.debtor_id == row.party_id).order_by(col(Case.id).desc())
    ).first()
    if case is None:
        return None
    assert row.answered_on is not None
    doc = store_document(
        session,
        uow.actor,
        case,
        letter_filename(row, row.answered_on),
        content,
        DocumentKind.LETTER,
        generated=True,
    )
    row.letter_document_id = doc.id
    uow.add(row)
    return doc.id


def answer_letter(actor: Actor, request_id: int) -> tuple[str, bytes]:
    """The filed answer letter of a request: (file name, DOCX bytes)."""
    require(actor, Perm.USERS_MANAGE)
    with read_session() as session:
        row = session.get(PrivacyRequest, request_id)
        if row is None or row.letter_document_id is None:
            raise NotFound("Aucune lettre de réponse pour cette demande.")
        document_id = row.letter_document_id
    content = get_document_content(actor, document_id)
    return content.filename, content.content
