"""Sessions of a mediation: planned (date, time, mode, place), then written up —
participants, positions, proposals in order, outcome, next step. What is written up is
confidential: redacted in the audit, returned only to those who may read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlmodel import col, delete

from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS
from case_core.kernel.errors import NotFound, ValidationError
from case_core.mediation.rules import AGREED_OUTCOMES
from case_core.mediation.views import proposal_terms
from case_core.mediation.writes import (
    MAX_TEXT,
    Saved,
    change_mediation,
    change_session,
    mediation_of_session,
    opt_text,
    refuse_if_ended,
    saved,
)
from case_core.models import (
    Frequency,
    MediationOutcome,
    MediationParticipant,
    MediationProposal,
    MediationSession,
    MediationSide,
    ParticipantRole,
    SessionMode,
)
from case_core.models.mediation import REDACTED


@dataclass(frozen=True)
class SessionPlan:
    planned_at: datetime  # timezone-aware
    mode: SessionMode = SessionMode.VIDEO
    place: str | None = None
    duration_minutes: int = 60


def paris_instant(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Paris as a UTC instant (what pages and the demo type)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def plan_session(
    actor: Actor, mediation_id: int, plan: SessionPlan, *, expected_version: int | None = None
) -> Saved:
    errors: dict[str, str] = {}
    if plan.planned_at.tzinfo is None:
        errors["planned_at"] = "Heure de séance sans fuseau horaire."
    if SessionMode(plan.mode) == SessionMode.IN_PERSON and not (plan.place or "").strip():
        errors["place"] = "Indiquez le lieu de la séance en présentiel."
    if not 10 <= plan.duration_minutes <= 600:
        errors["duration_minutes"] = "La durée doit être comprise entre 10 et 600 minutes."
    if errors:
        raise ValidationError(errors)
    with change_mediation(actor, mediation_id, "mediation.session_plan", expected_version) as (
        w,
        mediation,
    ):
        refuse_if_ended(mediation)
        meeting = w.add(
            MediationSession(
                case_id=w.case_id,
                mediation_id=mediation_id,
                planned_at=plan.planned_at,
                duration_minutes=plan.duration_minutes,
                mode=SessionMode(plan.mode),
                place=opt_text(plan.place, 300, "place"),
                created_by_id=actor.id,
                updated_by_id=actor.id,
            )
        )
        w.session.flush()
        return saved(w, meeting.id)


@dataclass(frozen=True)
class ParticipantInput:
    role: ParticipantRole
    name: str
    present: bool | None = None


@dataclass(frozen=True)
class ProposalInput:
    made_by: MediationSide
    amount_cents: int
    instalment_count: int | None = None
    frequency: Frequency | None = None
    first_due_date: date | None = None
    down_payment_cents: int = 0
    waive_interest: bool = False
    waive_indemnity: bool = False
    waive_principal_cents: int = 0
    note: str | None = None
    accepted: bool = False


@dataclass(frozen=True)
class SessionReport:
    outcome: MediationOutcome
    participants: list[ParticipantInput] = field(default_factory=list)
    creditor_position: str | None = None
    debtor_position: str | None = None
    nonpayment_reasons: str | None = None
    notes: str | None = None
    proposals: list[ProposalInput] = field(default_factory=list)
    next_step: str | None = None


def check_report(report: SessionReport) -> None:
    errors: dict[str, str] = {}
    outcome = MediationOutcome(report.outcome)
    for i, p in enumerate(report.proposals, start=1):
        if p.amount_cents <= 0:
            errors[f"proposals.{i}.amount_cents"] = f"Proposition {i} : montant à indiquer."
        if p.down_payment_cents < 0 or p.waive_principal_cents < 0:
            errors[f"proposals.{i}"] = f"Proposition {i} : montants négatifs refusés."
        if p.down_payment_cents > p.amount_cents:
            errors[f"proposals.{i}.down_payment_cents"] = (
                f"Proposition {i} : l'acompte dépasse le montant proposé."
            )
        if p.instalment_count is not None and not 1 <= p.instalment_count <= 120:
            errors[f"proposals.{i}.instalment_count"] = (
                f"Proposition {i} : entre 1 et 120 échéances."
            )
        if p.instalment_count and p.first_due_date is None:
            errors[f"proposals.{i}.first_due_date"] = (
                f"Proposition {i} : indiquez la date de la première échéance."
            )
    accepted = [p for p in report.proposals if p.accepted]
    if len(accepted) > 1:
        errors["proposals"] = "Une seule proposition peut être acceptée par séance."
    if outcome in AGREED_OUTCOMES and not accepted:
        errors["outcome"] = "Un accord suppose une proposition acceptée : cochez-la."
    if accepted and outcome not in AGREED_OUTCOMES:
        errors["outcome"] = "Une proposition acceptée : l'issue est un accord (total ou partiel)."
    if outcome == MediationOutcome.PARTY_ABSENT and not any(
        person.present is False for person in report.participants
    ):
        errors["participants"] = "Indiquez quelle partie était absente."
    for i, person in enumerate(report.participants, start=1):
        if not (person.name or "").strip():
            errors[f"participants.{i}"] = f"Participant {i} : nom à indiquer."
        elif len(person.name.strip()) > 200:
            errors[f"participants.{i}"] = f"Participant {i} : nom trop long (200 au plus)."
    for name in ("creditor_position", "debtor_position", "nonpayment_reasons", "notes"):
        if len(getattr(report, name) or "") > MAX_TEXT:
            errors[name] = f"Texte trop long (au plus {MAX_TEXT} caractères)."
    if errors:
        raise ValidationError(errors)


def write_up_session(
    actor: Actor,
    session_id: int,
    report: SessionReport,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Saved:
    """What happened in a session (replaces an earlier write-up of the same session)."""
    check_report(report)
    now = now or datetime.now(UTC)
    with change_session(actor, session_id, "mediation.session_write_up", expected_version) as (
        w,
        _mediation,
        meeting,
    ):
        if meeting.planned_at.astimezone(PARIS).date() > now.astimezone(PARIS).date():
            raise ValidationError(
                {"planned_at": "Cette séance n'a pas encore eu lieu : compte rendu impossible."}
            )
        meeting.outcome = MediationOutcome(report.outcome)
        meeting.creditor_position = opt_text(
            report.creditor_position, MAX_TEXT, "creditor_position"
        )
        meeting.debtor_position = opt_text(report.debtor_position, MAX_TEXT, "debtor_position")
        meeting.nonpayment_reasons = opt_text(
            report.nonpayment_reasons, MAX_TEXT, "nonpayment_reasons"
        )
        meeting.confidential_notes = opt_text(report.notes, MAX_TEXT, "confidential_notes")
        meeting.next_step = opt_text(report.next_step, 1000, "next_step")
        meeting.written_up_at = now
        w.session.exec(
            delete(MediationParticipant).where(col(MediationParticipant.session_id) == session_id)
        )
        w.session.exec(
            delete(MediationProposal).where(col(MediationProposal.session_id) == session_id)
        )
        for person in report.participants:
            w.add(
                MediationParticipant(
                    session_id=session_id,
                    role=ParticipantRole(person.role),
                    name=person.name.strip(),
                    present=person.present,
                )
            )
        for seq, p in enumerate(report.proposals, start=1):
            terms = proposal_terms(p) | {"note": opt_text(p.note, 1000, "note")}
            w.add(MediationProposal(session_id=session_id, seq=seq, **terms))
        # Parts of the session: their event says only that they changed.
        w.uow.note(meeting, "participants", None, REDACTED if report.participants else None)
        w.uow.note(meeting, "proposals", None, REDACTED if report.proposals else None)
        return saved(w, session_id)


def cancel_session(actor: Actor, session_id: int, *, expected_version: int | None = None) -> Saved:
    """Remove a planned session that did not take place (never one written up)."""
    mediation_id = mediation_of_session(session_id)
    with change_mediation(actor, mediation_id, "mediation.session_cancel", expected_version) as (
        w,
        _mediation,
    ):
        # Not locked as an aggregate: a deleted row gets no version bump.
        meeting = w.session.get(MediationSession, session_id)
        if meeting is None:
            raise NotFound(f"Séance introuvable (n° {session_id}).")
        if meeting.written_up_at is not None:
            raise ValidationError("Une séance qui a eu lieu ne se supprime pas.")
        w.session.delete(meeting)
        return saved(w, session_id)
