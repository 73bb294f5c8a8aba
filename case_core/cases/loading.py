"""Loading a case for a change, with optimistic locking, and stamping the change on it."""

from __future__ import annotations

from sqlmodel import Session, select

from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_instant
from case_core.kernel.errors import NotFound, StaleVersion
from case_core.models import Case, User, utcnow


def get_case(session: Session, reference: str) -> Case:
    case = session.exec(select(Case).where(Case.reference == (reference or "").strip())).first()
    if case is None:
        raise NotFound(f"Dossier introuvable : « {reference} ».")
    return case


def load_case_for_update(session: Session, reference: str, expected_version: int | None) -> Case:
    """The case, row-locked on PostgreSQL; refused if someone saved it since
    `expected_version` was displayed (None: no check, for changes that cannot conflict)."""
    case = session.exec(
        select(Case).where(Case.reference == (reference or "").strip()).with_for_update()
    ).first()
    if case is None:
        raise NotFound(f"Dossier introuvable : « {reference} ».")
    if expected_version is not None and case.version != expected_version:
        raise StaleVersion(stale_message(session, case))
    return case


def stale_message(session: Session, case: Case) -> str:
    who = "un autre utilisateur"
    if case.updated_by_id is not None:
        user = session.get(User, case.updated_by_id)
        if user is not None:
            who = user.full_name
    when = format_instant(case.updated_at)
    return f"Ce dossier a été modifié par {who} le {when} : rechargez la page."


def touch_case(session: Session, case: Case, actor: Actor) -> None:
    """Every change to a case bumps its version and says who changed it, when."""
    case.version += 1
    case.updated_at = utcnow()
    case.updated_by_id = actor.id
    session.add(case)
