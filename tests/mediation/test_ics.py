"""A session exported as an .ics invitation parses back with its time and place."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from case_core.mediation.ics import session_invitation
from case_core.mediation.service import SessionPlan, paris_instant, plan_session
from case_core.models import Role, SessionMode
from tests.conftest import actor_with_role
from tests.factories import NO_INTEREST, make_case
from tests.mediation.helpers import SECRET, held_session, open_for


def test_session_invitation_parses_back(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    mediation_id = open_for(mediator, reference)
    start = paris_instant(datetime(2026, 12, 15).date(), 14, 30)
    session_id = plan_session(
        mediator,
        mediation_id,
        SessionPlan(start, SessionMode.IN_PERSON, "Maison de la médiation, Lyon", 90),
    ).id
    invitation = session_invitation(mediator, session_id)
    assert invitation.filename.endswith(".ics")
    calendar = Calendar.from_ical(invitation.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2026, 12, 15, 13, 30, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2026, 12, 15, 15, 0, tzinfo=UTC)
    assert str(event["location"]) == "Maison de la médiation, Lyon"
    assert reference in str(event["summary"])
    assert mediator.full_name in str(event["description"])


def test_invitation_of_a_held_session_says_nothing_of_it(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    session_id = held_session(mediator, open_for(mediator, reference))
    content = session_invitation(mediator, session_id).content.decode()
    assert "Zorglub" not in content and SECRET[:20] not in content
