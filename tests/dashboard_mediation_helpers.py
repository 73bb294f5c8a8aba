"""Mediations (sessions, agreements) and hand-overs written straight to the database for the
dashboard tests, each with chosen dates and amounts, beside tests.dashboard_helpers' cases."""

from __future__ import annotations

from datetime import date, datetime

from case_core.kernel.db import session_scope
from case_core.models import (
    Mediation,
    MediationAgreement,
    MediationKind,
    MediationOutcome,
    MediationSession,
    RecipientKind,
    Referral,
    ReferralRecipient,
)
from tests.dashboard_helpers import noon


def mediation(
    case_id: int,
    author_id: int,
    *,
    ended_on: date | None = None,
    outcome: MediationOutcome | None = None,
    kind: MediationKind = MediationKind.CONVENTIONAL,
) -> int:
    with session_scope() as session:
        row = Mediation(
            case_id=case_id,
            kind=kind,
            created_by_id=author_id,
            ended_on=ended_on,
            outcome=outcome,
        )
        session.add(row)
        session.flush()
        return row.id  # type: ignore[return-value]


def meeting(
    mediation_id: int,
    case_id: int,
    on: date,
    *,
    written_up: bool = True,
    outcome: MediationOutcome | None = MediationOutcome.ADJOURNED,
    notes: str = "Le débiteur évoque ses difficultés personnelles.",
) -> int:
    """A session planned at noon UTC on `on`; written up (held) or still to be written up."""
    with session_scope() as session:
        row = MediationSession(
            case_id=case_id,
            mediation_id=mediation_id,
            planned_at=noon(on),
            outcome=outcome if written_up else None,
            written_up_at=noon(on) if written_up else None,
            confidential_notes=notes,
        )
        session.add(row)
        session.flush()
        return row.id  # type: ignore[return-value]


def agreement(case_id: int, mediation_id: int, author_id: int, cents: int) -> int:
    with session_scope() as session:
        row = MediationAgreement(
            case_id=case_id, mediation_id=mediation_id, amount_cents=cents, created_by_id=author_id
        )
        session.add(row)
        session.flush()
        return row.id  # type: ignore[return-value]


def recipient(name: str = "Me Claire Petit") -> int:
    with session_scope() as session:
        row = ReferralRecipient(kind=RecipientKind.COMMISSAIRE, name=name)
        session.add(row)
        session.flush()
        return row.id  # type: ignore[return-value]


def referral(
    case_id: int,
    recipient_id: int,
    author_id: int,
    at: datetime,
    *,
    recovered_cents: int = 0,
    title: bool = False,
    closed: bool = False,
) -> int:
    with session_scope() as session:
        row = Referral(
            case_id=case_id,
            recipient_id=recipient_id,
            handed_over_at=at,
            handed_over_by_id=author_id,
            recovered_cents=recovered_cents,
            title_obtained=title,
            closed=closed,
        )
        session.add(row)
        session.flush()
        return row.id  # type: ignore[return-value]
