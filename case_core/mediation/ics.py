"""A mediation session as an .ics invitation (RFC 5545), for the parties' calendars.
It carries the fact, time, place and kind of the session, never what was said in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound
from case_core.kernel.permissions import Perm, require
from case_core.mediation.queries import third_party_name
from case_core.models import Case, Mediation, MediationKind, MediationSession, SessionMode

ICS_MIME = "text/calendar"


@dataclass(frozen=True)
class Invitation:
    filename: str
    content: bytes
    mime_type: str = ICS_MIME


def session_invitation(actor: Actor, session_id: int, now: datetime | None = None) -> Invitation:
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        meeting = session.get(MediationSession, session_id)
        if meeting is None:
            raise NotFound(f"Séance introuvable (n° {session_id}).")
        mediation = session.get(Mediation, meeting.mediation_id)
        case = session.get(Case, meeting.case_id)
        assert mediation is not None and case is not None
        third_party = third_party_name(session, mediation)
        content = build_ics(meeting, mediation, case.reference, third_party, now)
    return Invitation(f"{case.reference}_seance_mediation_{session_id}.ics", content)


def build_ics(
    meeting: MediationSession,
    mediation: Mediation,
    reference: str,
    third_party: str | None,
    now: datetime | None = None,
) -> bytes:
    kind = MediationKind(mediation.kind)
    mode = SessionMode(meeting.mode)
    calendar = Calendar()
    calendar.add("prodid", "-//casedesk//Médiation//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"mediation-session-{meeting.id}@casedesk")
    event.add("dtstamp", now or datetime.now(UTC))
    event.add("dtstart", meeting.planned_at.astimezone(UTC))
    event.add(
        "dtend", meeting.planned_at.astimezone(UTC) + timedelta(minutes=meeting.duration_minutes)
    )
    event.add("summary", f"Séance de médiation — dossier {reference}")
    event.add("location", meeting.place if mode == SessionMode.IN_PERSON else mode.label)
    lines = [kind.label]
    if third_party:
        lines.append(f"Médiateur : {third_party}")
    lines.append(f"Modalité : {mode.label}")
    lines.append("Séance confidentielle (art. 21-3 de la loi n° 95-125).")
    event.add("description", "\n".join(lines))
    event.add("sequence", meeting.version)
    calendar.add_component(event)
    return calendar.to_ical()
