"""The phase state machine, closing, reassigning, next action: permissions and locking."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from case_core.cases import lifecycle as phases
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import PermissionDenied, StaleVersion, ValidationError
from case_core.models import AuditEvent, Case, ClosureReason, Phase, Role
from case_core.payments.service import PaymentInput, record_payment
from tests.conftest import actor_with_role
from tests.factories import make_case


def test_transition_table() -> None:
    assert phases.allowed_transitions(Phase.AMIABLE) == [Phase.PRE_CONTENTIEUX, Phase.MEDIATION]
    assert phases.allowed_transitions(Phase.PRE_CONTENTIEUX) == [
        Phase.CONTENTIEUX,
        Phase.MEDIATION,
    ]
    assert phases.allowed_transitions(Phase.MEDIATION) == [Phase.AMIABLE, Phase.PRE_CONTENTIEUX]
    assert phases.allowed_transitions(Phase.CONTENTIEUX) == []
    assert phases.allowed_transitions(Phase.CLOSED) == []


def test_journey_through_the_phases_with_audit(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR)
    ref = make_case(admin).reference
    state = phases.change_phase(collector, ref, Phase.MEDIATION, 1)
    state = phases.change_phase(collector, ref, Phase.AMIABLE, state.version)
    state = phases.change_phase(collector, ref, Phase.PRE_CONTENTIEUX, state.version)
    with pytest.raises(PermissionDenied):  # handing over is a manager's act
        phases.change_phase(collector, ref, Phase.CONTENTIEUX, state.version)
    manager = actor_with_role(admin, Role.MANAGER, "manager@example.fr")
    state = phases.change_phase(manager, ref, Phase.CONTENTIEUX, state.version)
    assert state.phase == Phase.CONTENTIEUX and state.version == 5
    state = phases.close_case(admin, ref, ClosureReason.REFERRED, "Transmis à Me X", 5)
    assert state.phase == Phase.CLOSED and state.closure_reason == ClosureReason.REFERRED
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == ref)).one()
        assert case.closed_at is not None and case.updated_by_id == admin.id
        events = session.exec(
            select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)
        ).all()
    assert [e.action for e in events][-5:] == [
        "case.phase",
        "case.phase",
        "case.phase",
        "case.phase",
        "case.close",
    ]
    assert '"after": "mediation"' in events[-5].changes
    state = phases.reopen_case(admin, ref, Phase.AMIABLE, state.version)
    assert state.phase == Phase.AMIABLE and state.closure_reason is None


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], Phase.CONTENTIEUX),
        ([Phase.PRE_CONTENTIEUX], Phase.AMIABLE),
        ([Phase.PRE_CONTENTIEUX, Phase.CONTENTIEUX], Phase.MEDIATION),
        ([Phase.MEDIATION], Phase.CONTENTIEUX),
        ([], Phase.CLOSED),
    ],
)
def test_refused_transitions_change_nothing(
    admin: Actor, path: list[Phase], refused: Phase
) -> None:
    ref = make_case(admin).reference
    version = 1
    for phase in path:
        version = phases.change_phase(admin, ref, phase, version).version
    with pytest.raises(ValidationError) as exc:
        phases.change_phase(admin, ref, refused, version)
    assert "phase" in exc.value.errors
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == ref)).one()
    assert case.version == version and case.phase == (path[-1] if path else Phase.AMIABLE)


def test_stale_version_is_refused_with_who_and_when(admin: Actor) -> None:
    manager = actor_with_role(admin, Role.MANAGER)
    ref = make_case(admin).reference
    phases.reassign(manager, ref, manager.id, 1)
    with pytest.raises(StaleVersion) as exc:
        phases.change_phase(admin, ref, Phase.PRE_CONTENTIEUX, 1)
    assert exc.value.message.startswith("Ce dossier a été modifié par Test Responsable le ")
    with pytest.raises(StaleVersion):
        phases.close_case(admin, ref, ClosureReason.PAID, None, 1)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == ref)).one()
    assert (case.phase, case.assignee_id, case.version) == (Phase.AMIABLE, manager.id, 2)


def test_collector_cannot_close_or_reassign_viewer_cannot_move(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR)
    viewer = actor_with_role(admin, Role.VIEWER)
    ref = make_case(admin).reference
    with pytest.raises(PermissionDenied):
        phases.close_case(collector, ref, ClosureReason.PAID, None, 1)
    with pytest.raises(PermissionDenied):
        phases.reassign(collector, ref, collector.id, 1)
    with pytest.raises(PermissionDenied):
        phases.change_phase(viewer, ref, Phase.PRE_CONTENTIEUX, 1)
    state = phases.set_next_action(collector, ref, date(2026, 12, 1), "Rappeler le gérant", 1)
    assert state.next_action_date == date(2026, 12, 1) and state.version == 2
    with pytest.raises(ValidationError):
        phases.reassign(admin, ref, 999_999, 2)


def test_paid_closure_refused_while_money_is_owed(admin: Actor) -> None:
    ref = make_case(admin, invoices=[("F-1", "01/03/2026", "31/03/2026", "100,00")]).reference
    with pytest.raises(ValidationError) as exc:
        phases.close_case(admin, ref, ClosureReason.PAID, None, 1)
    message = exc.value.errors["reason"]
    assert "100,00" in message and "Transigé" in message and "Passé en perte" in message
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == ref)).one()
        assert case.phase == Phase.AMIABLE and case.version == 1
    # Written off with money owed is allowed; once fully paid, « Payé » is.
    state = phases.close_case(admin, ref, ClosureReason.WRITTEN_OFF, None, 1)
    assert state.closure_reason == ClosureReason.WRITTEN_OFF
    state = phases.reopen_case(admin, ref, Phase.AMIABLE, state.version)
    record_payment(admin, ref, PaymentInput(date(2026, 4, 1), 100_00), today=date(2026, 4, 1))
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == ref)).one()
        assert case.balance_cents == 0
        version = case.version
    state = phases.close_case(admin, ref, ClosureReason.PAID, None, version)
    assert state.closure_reason == ClosureReason.PAID


def test_reassignment_history_names_who_had_and_who_gets_the_case(admin: Actor) -> None:
    from case_core.cases.detail import case_history

    first = actor_with_role(admin, Role.COLLECTOR, "first@example.fr")
    second = actor_with_role(admin, Role.MANAGER, "second@example.fr")
    ref = make_case(admin, assignee_id=first.id).reference
    phases.reassign(admin, ref, second.id, 1)
    line = next(h for h in case_history(admin, ref) if h.action == "case.assign")
    assert f"{first.full_name} → {second.full_name}" in line.summary


def test_closing_as_paid_looks_at_interest_and_indemnity_too(admin: Actor) -> None:
    """Principal paid, but the statement still shows the 40 € indemnity and interest."""
    from datetime import date, timedelta

    from case_core.payments.service import PaymentInput, record_payment
    from case_core.statement.rates import add_rate

    # Test rates for every semester from the last shipped one up to today.
    start = date(2026, 7, 1)
    while start <= date.today():
        end = date(start.year, 6, 30) if start.month == 1 else date(start.year, 12, 31)
        for kind, rate in (
            ("ecb_refi", "2,15"),
            ("legal_other", "2,5"),
            ("legal_natural_person", "6,5"),
        ):
            add_rate(admin, kind, start, end, rate, "test")
        start = end + timedelta(days=1)
    ref = make_case(admin).reference  # 1 234,56 € due 31/03/2026, professional
    record_payment(admin, ref, PaymentInput(date(2026, 11, 2), 123456), overpayment_refund=True)
    with pytest.raises(ValidationError, match="selon le décompte"):
        phases.close_case(admin, ref, ClosureReason.PAID, None, None)
    phases.close_case(admin, ref, ClosureReason.SETTLED, "Accord pour solde", None)
