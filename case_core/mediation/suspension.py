"""The periods during which a case's mediations suspended its limitation (C. civ. 2238),
read for the two loaders of the limitation date (case totals and statement)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from case_core.kernel.dates import PARIS
from case_core.mediation.rules import suspensions_for
from case_core.models import Mediation, MediationSession
from case_core.statement.limitation import SuspensionPeriod


def case_suspensions(session: Session, case_id: int | None) -> list[SuspensionPeriod]:
    first_session = (
        select(func.min(MediationSession.planned_at))
        .where(
            MediationSession.mediation_id == Mediation.id,
            MediationSession.written_up_at.is_not(None),  # type: ignore[union-attr]
        )
        .scalar_subquery()
    )
    rows = session.exec(
        select(Mediation.kind, Mediation.agreed_on, first_session, Mediation.ended_on).where(
            Mediation.case_id == case_id
        )
    ).all()
    return [
        SuspensionPeriod(s.start, s.end)
        for s in suspensions_for(
            (kind, agreed, _day(first), ended) for kind, agreed, first, ended in rows
        )
    ]


def _day(value: object) -> date | None:
    # The first session as a day in Paris.
    if isinstance(value, datetime):
        return value.astimezone(PARIS).date() if value.tzinfo else value.date()
    return value if isinstance(value, date) else None
