"""The periods during which a case's mediations suspended its limitation (C. civ. 2238),
read for the two loaders of the limitation date (case totals and statement): from the
written agreement to mediate or, failing it, the first session held, until the mediation
was declared over. Only a third party's process counts (not an internal meeting)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from case_core.kernel.dates import PARIS
from case_core.models import Mediation, MediationKind, MediationSession
from case_core.models.mediation import THIRD_PARTY_KINDS
from case_core.statement.limitation import SuspensionPeriod


def case_suspensions(session: Session, case_id: int | None) -> list[SuspensionPeriod]:
    first_session = (
        select(func.min(MediationSession.planned_at))
        .where(
            col(MediationSession.mediation_id) == col(Mediation.id),
            col(MediationSession.written_up_at).is_not(None),
        )
        .scalar_subquery()
    )
    rows = session.exec(
        select(Mediation.kind, Mediation.agreed_on, first_session, Mediation.ended_on).where(
            Mediation.case_id == case_id
        )
    ).all()
    out: list[SuspensionPeriod] = []
    for kind, agreed_on, first, ended_on in rows:
        start = agreed_on or _day(first)
        if MediationKind(kind) in THIRD_PARTY_KINDS and start is not None:
            out.append(SuspensionPeriod(start, ended_on))
    return out


def _day(value: object) -> date | None:
    # The first session as a day in Paris.
    if isinstance(value, datetime):
        return value.astimezone(PARIS).date() if value.tzinfo else value.date()
    return value if isinstance(value, date) else None
