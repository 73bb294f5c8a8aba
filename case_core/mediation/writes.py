"""The write mechanism of a mediation: `change_case` on the mediation's case, with the
mediation (and a session) locked, only for the mediation's own mediator or an admin."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlmodel import select

from case_core.cases.change import CaseChange, case_of, change_case
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, PermissionDenied, ValidationError
from case_core.kernel.permissions import Perm
from case_core.models import Mediation, MediationSession, Role
from case_core.models.labels import field_label

MAX_TEXT = 10_000


@dataclass(frozen=True)
class Saved:
    """What a page needs after a write: the row and the case's new version."""

    id: int
    case_version: int


@contextmanager
def change_mediation(
    actor: Actor, mediation_id: int, action: str, expected_version: int | None
) -> Iterator[tuple[CaseChange, Mediation]]:
    """change_case on the case of a mediation, with the mediation row locked too."""
    case_id = case_of(Mediation, mediation_id, f"Médiation introuvable (n° {mediation_id}).")
    with change_case(
        actor,
        Perm.MEDIATION_RECORD,
        None,
        action,
        case_id=case_id,
        expected_version=expected_version,
    ) as w:
        mediation = w.uow.lock(
            Mediation, mediation_id, missing=f"Médiation introuvable (n° {mediation_id})."
        )
        _require_keeper(actor, mediation)
        yield w, mediation


@contextmanager
def change_session(
    actor: Actor, session_id: int, action: str, expected_version: int | None
) -> Iterator[tuple[CaseChange, Mediation, MediationSession]]:
    with change_mediation(actor, mediation_of_session(session_id), action, expected_version) as (
        w,
        mediation,
    ):
        meeting = w.uow.lock(
            MediationSession, session_id, missing=f"Séance introuvable (n° {session_id})."
        )
        yield w, mediation, meeting


def mediation_of_session(session_id: int) -> int:
    with read_session() as session:
        found = session.exec(
            select(MediationSession.mediation_id).where(MediationSession.id == session_id)
        ).first()
    if found is None:
        raise NotFound(f"Séance introuvable (n° {session_id}).")
    return found


def _require_keeper(actor: Actor, mediation: Mediation) -> None:
    """Only the mediation's own mediator (or an admin) writes its record."""
    if Role(actor.role) == Role.ADMIN:
        return
    keeper = mediation.mediator_user_id or mediation.created_by_id
    if actor.id != keeper:
        raise PermissionDenied("Seul le médiateur de cette médiation peut en tenir le dossier.")


def refuse_if_ended(mediation: Mediation) -> None:
    if mediation.ended_on is not None:
        raise ValidationError("Cette médiation est terminée.")


def saved(w: CaseChange, row_id: int | None) -> Saved:
    assert row_id is not None
    # The version the case will have once this change commits.
    return Saved(row_id, w.case.version + 1)


def opt_text(text: str | None, limit: int, field: str) -> str | None:
    """A text as typed (surrounding spaces dropped), refused when longer than `limit`:
    nothing is cut without a word."""
    value = (text or "").strip()
    if len(value) > limit:
        label = field_label(field)
        raise ValidationError({field: f"{label} : {len(value)} caractères, {limit} au plus."})
    return value or None
