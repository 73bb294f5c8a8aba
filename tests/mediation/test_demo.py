"""`casedesk demo` leaves mediations in every state, with confidential notes."""

from __future__ import annotations

from sqlmodel import select

from case_core.demo.builder import generate_demo
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.mediation.board import outcome_counts, sessions_to_write_up, upcoming_sessions
from case_core.models import (
    InstalmentPlan,
    Mediation,
    MediationAgreement,
    MediationKind,
    MediationOutcome,
    MediationSession,
    PlanStatus,
    Role,
    User,
)


def test_demo_mediations_in_every_state(admin) -> None:
    summary = generate_demo(admin, 120, seed=7)
    assert summary.mediations >= 7
    with read_session() as session:
        mediations = session.exec(select(Mediation)).all()
        agreements = session.exec(select(MediationAgreement)).all()
        notes = session.exec(select(MediationSession.confidential_notes)).all()
        plans = session.exec(select(InstalmentPlan)).all()
        user = session.exec(select(User).where(User.role == Role.MEDIATOR)).one()
    outcomes = {m.outcome for m in mediations if m.ended_on}
    assert {
        MediationOutcome.AGREEMENT,
        MediationOutcome.FAILURE,
        MediationOutcome.PARTY_ABSENT,
    } <= outcomes
    assert any(m.ended_on is None for m in mediations)
    assert {MediationKind.INTERNAL, MediationKind.JUDICIAL} <= {m.kind for m in mediations}
    assert any(a.signed_on and a.plan_id and a.protocol_document_id for a in agreements)
    assert any(p.status == PlanStatus.ACTIVE for p in plans)
    assert all(
        m.failure_document_id for m in mediations if m.outcome == "failure" and m.kind != "internal"
    )
    assert any(n for n in notes)
    mediator = Actor(user.id, user.email, user.full_name, Role.MEDIATOR)
    assert upcoming_sessions(mediator).total >= 2
    assert sessions_to_write_up(mediator).total >= 1
    assert outcome_counts(mediator)["running"] >= 2
