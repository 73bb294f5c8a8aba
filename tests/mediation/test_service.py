"""Opening a mediation, sessions, ending it; confidentiality of what was said."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from case_core.kernel.db import read_session
from case_core.kernel.errors import PermissionDenied, StaleVersion, ValidationError
from case_core.mediation.queries import mediation_view, mediations_for_case
from case_core.mediation.service import (
    SessionPlan,
    SessionReport,
    cancel_session,
    end_mediation,
    plan_session,
    write_up_session,
)
from case_core.models import (
    AuditEvent,
    Case,
    MediationKind,
    MediationOutcome,
    MediationSide,
    Phase,
    Role,
    SessionMode,
)
from tests.conftest import actor_with_role
from tests.factories import make_case
from tests.mediation.helpers import SECRET, held_session, open_for


def test_open_moves_case_to_mediation_and_sessions_are_recorded(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    case = make_case(admin)
    mediation_id = open_for(mediator, case.reference)
    held_session(mediator, mediation_id)
    with read_session() as session:
        stored = session.exec(select(Case).where(Case.reference == case.reference)).one()
    assert stored.phase == Phase.MEDIATION
    view = mediation_view(mediator, mediation_id)
    assert view.kind == MediationKind.CONVENTIONAL and view.running
    assert view.third_party == mediator.full_name
    (meeting,) = view.sessions
    assert meeting.notes == SECRET
    assert [p.name for p in meeting.participants] == ["Paul Créancier", "Jean Débiteur"]
    assert meeting.outcome == MediationOutcome.ADJOURNED


def test_collector_and_viewer_see_the_fact_not_the_content(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    collector = actor_with_role(admin, Role.COLLECTOR)
    viewer = actor_with_role(admin, Role.VIEWER)
    manager = actor_with_role(admin, Role.MANAGER)
    other_mediator = actor_with_role(admin, Role.MEDIATOR, "autre@example.fr")
    case = make_case(admin)
    mediation_id = open_for(mediator, case.reference)
    held_session(mediator, mediation_id)
    for reader in (collector, viewer, other_mediator):
        (view,) = mediations_for_case(reader, case.reference)
        assert view.confidential_hidden
        (meeting,) = view.sessions
        assert meeting.outcome == MediationOutcome.ADJOURNED
        assert meeting.planned_at == datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
        assert meeting.notes is None and meeting.creditor_position is None
        assert meeting.participants == [] and meeting.proposals == []
        assert SECRET not in repr(view)
    for reader in (manager, admin, mediator):
        (view,) = mediations_for_case(reader, case.reference)
        assert view.sessions[0].notes == SECRET


def test_audit_trail_holds_no_confidential_text(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    case = make_case(admin)
    mediation_id = open_for(mediator, case.reference)
    held_session(mediator, mediation_id)
    with read_session() as session:
        changes = [e.changes for e in session.exec(select(AuditEvent)).all()]
    text = repr(changes)
    assert "confidential_notes" in text and "[confidentiel]" in text
    for secret in (SECRET, "Perte d'un gros client", "Propose un étalement", "Paul Créancier"):
        assert secret not in text


def test_only_the_mediator_of_the_mediation_writes_it(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    other = actor_with_role(admin, Role.MEDIATOR, "autre@example.fr")
    collector = actor_with_role(admin, Role.COLLECTOR)
    case = make_case(admin)
    mediation_id = open_for(mediator, case.reference)
    plan = SessionPlan(datetime(2026, 12, 20, 9, tzinfo=UTC))
    with pytest.raises(PermissionDenied):
        plan_session(other, mediation_id, plan)
    with pytest.raises(PermissionDenied):
        plan_session(collector, mediation_id, plan)


def test_bad_input_is_refused_in_french(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    case = make_case(admin)
    mediation_id = open_for(mediator, case.reference)
    with pytest.raises(ValidationError) as err:
        plan_session(
            mediator,
            mediation_id,
            SessionPlan(datetime(2026, 12, 20, tzinfo=UTC), SessionMode.IN_PERSON),
        )
    assert "lieu" in str(err.value.errors)
    future = plan_session(mediator, mediation_id, SessionPlan(datetime(2027, 1, 5, tzinfo=UTC))).id
    with pytest.raises(ValidationError):
        write_up_session(mediator, future, SessionReport(MediationOutcome.FAILURE))
    with pytest.raises(ValidationError) as err:
        write_up_session(mediator, future, SessionReport(MediationOutcome.AGREEMENT))
    assert "proposition" in str(err.value.errors).lower()
    with pytest.raises(ValidationError):
        open_for(mediator, case.reference)  # one running mediation at a time


def test_stale_version_refused(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    case = make_case(admin)
    mediation_id = open_for(mediator, case.reference)
    with pytest.raises(StaleVersion):
        plan_session(
            mediator,
            mediation_id,
            SessionPlan(datetime(2026, 12, 20, tzinfo=UTC)),
            expected_version=case.version,
        )


def test_end_mediation(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    case = make_case(admin)
    mediation_id = open_for(mediator, case.reference)
    held_session(mediator, mediation_id, outcome=MediationOutcome.FAILURE)
    with pytest.raises(ValidationError):
        end_mediation(
            mediator,
            mediation_id,
            ended_on=date(2025, 12, 1),
            ended_by=MediationSide.MEDIATOR,
            outcome=MediationOutcome.FAILURE,
        )
    end_mediation(
        mediator,
        mediation_id,
        ended_on=date(2026, 1, 20),
        ended_by=MediationSide.MEDIATOR,
        outcome=MediationOutcome.FAILURE,
    )
    view = mediation_view(mediator, mediation_id)
    assert view.failed and not view.running and view.ended_by == MediationSide.MEDIATOR


def test_a_planned_session_can_be_cancelled_not_a_held_one(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    case = make_case(admin)
    mediation_id = open_for(mediator, case.reference)
    future = plan_session(mediator, mediation_id, SessionPlan(datetime(2027, 1, 5, tzinfo=UTC))).id
    held = held_session(mediator, mediation_id)
    cancel_session(mediator, future)
    with pytest.raises(ValidationError):
        cancel_session(mediator, held)
    assert [s.id for s in mediation_view(mediator, mediation_id).sessions] == [held]
