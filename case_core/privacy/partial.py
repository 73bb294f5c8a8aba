"""Anonymisation of one data class at a time (the retention purge's journal, documents and
accounts classes), beside privacy.anonymise which clears a whole case and person. Same rules:
the audit event names what was replaced, never the old values."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Mapped
from sqlmodel import SQLModel, col, select

from case_core.kernel import audit
from case_core.kernel.unit_of_work import UnitOfWork
from case_core.models import Case, ContactEvent, Dispute, DocumentKind, User
from case_core.privacy.anonymise import FREE_TEXT, _blank_free_text, _retire_documents

JOURNAL_MODELS: tuple[tuple[type[SQLModel], Mapped[int]], ...] = (
    (ContactEvent, col(ContactEvent.case_id)),
    (Dispute, col(Dispute.case_id)),
)
# An address no one can own (RFC 2606 .invalid) keeps the e-mail column unique.
ANONYMOUS_EMAIL_DOMAIN = "anonymise.invalid"


def anonymise_journal(uow: UnitOfWork, case: Case) -> int:
    """Replace the free text of the case's journal and disputes; returns the rows touched."""
    touched = 0
    for model, column in JOURNAL_MODELS:
        rows = list(uow.session.exec(select(model).where(col(column) == case.id)).all())
        touched += _blank_free_text(uow, rows, FREE_TEXT[model])
    uow.event(
        audit.PendingEvent(
            "privacy.anonymise_journal",
            "case",
            case.id,
            {"lignes": {"before": None, "after": touched}},
            case.id,
        )
    )
    return touched


def retire_documents(uow: UnitOfWork, case: Case, keep: frozenset[DocumentKind]) -> int:
    """Replace the case's documents (but the kinds in `keep`) by the placeholder."""
    assert case.id is not None
    retired = _retire_documents(uow.session, uow, case.id, keep)
    uow.event(
        audit.PendingEvent(
            "privacy.retire_documents",
            "case",
            case.id,
            {"documents": {"before": None, "after": retired}},
            case.id,
        )
    )
    return retired


def anonymous_email(user_id: int | None) -> str:
    return f"compte-{user_id}@{ANONYMOUS_EMAIL_DOMAIN}"


def user_anonymised_sql() -> ColumnElement[bool]:
    return col(User.email).like(f"%@{ANONYMOUS_EMAIL_DOMAIN}")


def anonymise_user(uow: UnitOfWork, user: User) -> None:
    """Clear a deactivated account's name and e-mail; it can never sign in again."""
    user.full_name = f"Utilisateur anonymisé n° {user.id}"
    user.email = anonymous_email(user.id)
    user.password_hash = "!"  # matches no password
    user.is_active = False
    uow.add(user)
    uow.silence(user)
    uow.event(
        audit.PendingEvent(
            "privacy.anonymise",
            "user",
            user.id,
            {"champs": {"before": None, "after": ["full_name", "email", "password_hash"]}},
        )
    )
