"""The « Médiations » page's lists, filtered and paginated in SQL: upcoming sessions,
sessions to write up, mediations by outcome and age. A mediator sees the mediations he
runs (or keeps for an external mediator); managers and admins see them all. None of
these lists carries confidential content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import col, select

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.permissions import Perm, require
from case_core.models import (
    Case,
    Mediation,
    MediationKind,
    MediationOutcome,
    MediationSession,
    Party,
    Role,
    SessionMode,
)

RUNNING = "running"


@dataclass(frozen=True)
class SessionRow:
    session_id: int
    mediation_id: int
    reference: str
    debtor_name: str
    planned_at: datetime
    mode: SessionMode
    place: str | None
    kind: MediationKind


@dataclass(frozen=True)
class SessionPage:
    rows: list[SessionRow]
    total: int


@dataclass(frozen=True)
class MediationRow:
    mediation_id: int
    reference: str
    debtor_name: str
    kind: MediationKind
    started_on: date
    ended_on: date | None
    outcome: MediationOutcome | None
    age_days: int


@dataclass(frozen=True)
class MediationPage:
    rows: list[MediationRow]
    total: int


def _scope(actor: Actor) -> Any:
    """Whose mediations: all for supervisors, his own for a mediator."""
    if Role(actor.role) in (Role.ADMIN, Role.MANAGER):
        return True
    return or_(
        col(Mediation.mediator_user_id) == actor.id,
        (col(Mediation.mediator_user_id).is_(None)) & (col(Mediation.created_by_id) == actor.id),
    )


def _session_rows(actor: Actor, *conditions: Any, page: int, size: int, desc: bool) -> SessionPage:
    base = (
        select(MediationSession, Mediation.kind, Case.reference, Party.display_name)
        .join(Mediation, col(Mediation.id) == col(MediationSession.mediation_id))
        .join(Case, col(Case.id) == col(MediationSession.case_id))
        .join(Party, col(Party.id) == col(Case.debtor_id))
        .where(_scope(actor), *conditions)
    )
    count = (
        select(func.count())
        .select_from(MediationSession)
        .join(Mediation, col(Mediation.id) == col(MediationSession.mediation_id))
        .where(_scope(actor), *conditions)
    )
    order = col(MediationSession.planned_at).desc() if desc else col(MediationSession.planned_at)
    with read_session() as session:
        total = int(session.exec(count).one())
        rows = session.exec(base.order_by(order).offset(page * size).limit(size)).all()
        return SessionPage(
            [
                SessionRow(
                    m.id or 0,
                    m.mediation_id,
                    reference,
                    debtor,
                    m.planned_at,
                    SessionMode(m.mode),
                    m.place,
                    MediationKind(kind),
                )
                for m, kind, reference, debtor in rows
            ],
            total,
        )


def upcoming_sessions(
    actor: Actor, now: datetime | None = None, page: int = 0, size: int = 20
) -> SessionPage:
    require(actor, Perm.MEDIATION_RECORD)
    now = now or datetime.now(UTC)
    return _session_rows(
        actor,
        col(MediationSession.planned_at) >= now,
        col(MediationSession.written_up_at).is_(None),
        page=page,
        size=size,
        desc=False,
    )


def sessions_to_write_up(
    actor: Actor, now: datetime | None = None, page: int = 0, size: int = 20
) -> SessionPage:
    """Sessions whose time has passed and that nobody has written up yet."""
    require(actor, Perm.MEDIATION_RECORD)
    now = now or datetime.now(UTC)
    return _session_rows(
        actor,
        col(MediationSession.planned_at) < now,
        col(MediationSession.written_up_at).is_(None),
        col(Mediation.ended_on).is_(None),
        page=page,
        size=size,
        desc=True,
    )


def outcome_counts(actor: Actor) -> dict[str, int]:
    """Mediations per state: « running » or the outcome they ended with."""
    require(actor, Perm.MEDIATION_RECORD)
    with read_session() as session:
        running = session.exec(
            select(func.count())
            .select_from(Mediation)
            .where(_scope(actor), col(Mediation.ended_on).is_(None))
        ).one()
        ended = session.exec(
            select(Mediation.outcome, func.count())
            .where(_scope(actor), col(Mediation.ended_on).is_not(None))
            .group_by(col(Mediation.outcome))
        ).all()
    counts = {RUNNING: int(running)}
    for outcome, n in ended:
        counts[str(outcome or MediationOutcome.FAILURE)] = int(n)
    return counts


def mediation_list(
    actor: Actor,
    state: str | None = None,
    today: date | None = None,
    page: int = 0,
    size: int = 20,
) -> MediationPage:
    """Mediations in a state (None: all), oldest first, with their age in days (from the
    agreement to mediate, or the record's creation)."""
    require(actor, Perm.MEDIATION_RECORD)
    today = today or datetime.now(UTC).date()
    conditions: list[Any] = [_scope(actor)]
    if state == RUNNING:
        conditions.append(col(Mediation.ended_on).is_(None))
    elif state:
        conditions += [col(Mediation.ended_on).is_not(None), col(Mediation.outcome) == state]
    with read_session() as session:
        total = int(
            session.exec(select(func.count()).select_from(Mediation).where(*conditions)).one()
        )
        rows = session.exec(
            select(Mediation, Case.reference, Party.display_name)
            .join(Case, col(Case.id) == col(Mediation.case_id))
            .join(Party, col(Party.id) == col(Case.debtor_id))
            .where(*conditions)
            .order_by(col(Mediation.created_at), col(Mediation.id))
            .offset(page * size)
            .limit(size)
        ).all()
        out = []
        for m, reference, debtor in rows:
            started = m.agreed_on or m.created_at.date()
            out.append(
                MediationRow(
                    m.id or 0,
                    reference,
                    debtor,
                    MediationKind(m.kind),
                    started,
                    m.ended_on,
                    MediationOutcome(m.outcome) if m.outcome else None,
                    ((m.ended_on or today) - started).days,
                )
            )
        return MediationPage(out, total)
