"""Writes of a mediation: open it, plan and write up sessions, end it, keep the directory
of external mediators. Every write goes through `change_case` (the case locked, its
version checked and bumped, the audit recorded with confidential fields redacted).

The agreement and its signatures live in `agreements`; documents in `documents`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlmodel import Session, col, delete, select

from case_core.cases.change import CaseChange, change_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS, today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, PermissionDenied, ValidationError
from case_core.kernel.permissions import Perm
from case_core.kernel.unit_of_work import change
from case_core.mediation.rules import AGREED_OUTCOMES, FINAL_OUTCOMES
from case_core.models import (
    Case,
    ExternalMediator,
    Frequency,
    Mediation,
    MediationKind,
    MediationOutcome,
    MediationParticipant,
    MediationProposal,
    MediationSession,
    MediationSide,
    ParticipantRole,
    Phase,
    Role,
    SessionMode,
    User,
)
from case_core.models.mediation import REDACTED

MAX_TEXT = 10_000


@dataclass(frozen=True)
class Saved:
    """What a page needs after a write: the row and the case's new version."""

    id: int
    case_version: int


# ---- directory ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExternalMediatorInput:
    full_name: str
    organisation: str | None = None
    accreditation: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None


def add_external_mediator(actor: Actor, data: ExternalMediatorInput) -> int:
    name = (data.full_name or "").strip()
    if not name:
        raise ValidationError({"full_name": "Indiquez le nom du médiateur."})
    with change(actor, Perm.MEDIATION_RECORD, "mediator.create") as uow:
        row = uow.add(
            ExternalMediator(
                full_name=name[:200],
                organisation=_opt(data.organisation, 200),
                accreditation=_opt(data.accreditation, 300),
                email=_opt(data.email, 254),
                phone=_opt(data.phone, 40),
                address=_opt(data.address, 500),
            )
        )
        uow.session.flush()
        assert row.id is not None
        return row.id


# ---- opening --------------------------------------------------------------------------


@dataclass(frozen=True)
class MediationInput:
    kind: MediationKind
    mediator_user_id: int | None = None
    external_mediator_id: int | None = None
    subject: str | None = None
    court_name: str | None = None
    court_reference: str | None = None
    agreed_on: date | None = None
    creditor_consent_on: date | None = None
    debtor_consent_on: date | None = None
    creditor_confidentiality_ack: bool = False
    debtor_confidentiality_ack: bool = False


def open_mediation(
    actor: Actor,
    reference: str,
    data: MediationInput,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> Saved:
    """The case enters mediation: its record, and the case moves to phase « Médiation »."""
    today = today or today_paris()
    with change_case(
        actor,
        Perm.MEDIATION_RECORD,
        reference,
        "mediation.open",
        expected_version=expected_version,
        today=today,
    ) as w:
        _check_mediation_input(w.session, data, today)
        if w.case.phase == Phase.CLOSED:
            raise ValidationError("Ce dossier est clos : rouvrez-le avant d'ouvrir une médiation.")
        running = w.session.exec(
            select(Mediation.id).where(
                Mediation.case_id == w.case_id,
                Mediation.ended_on.is_(None),  # type: ignore[union-attr]
            )
        ).first()
        if running is not None:
            raise ValidationError(f"Une médiation est déjà en cours sur ce dossier (n° {running}).")
        mediation = w.add(
            Mediation(
                case_id=w.case_id,
                kind=MediationKind(data.kind),
                mediator_user_id=data.mediator_user_id,
                external_mediator_id=data.external_mediator_id,
                subject=_opt(data.subject, 1000),
                court_name=_opt(data.court_name, 200),
                court_reference=_opt(data.court_reference, 100),
                agreed_on=data.agreed_on,
                creditor_consent_on=data.creditor_consent_on,
                debtor_consent_on=data.debtor_consent_on,
                creditor_confidentiality_ack=data.creditor_confidentiality_ack,
                debtor_confidentiality_ack=data.debtor_confidentiality_ack,
                created_by_id=actor.id,
                updated_by_id=actor.id,
            )
        )
        if w.case.phase != Phase.MEDIATION:
            w.case.phase = Phase.MEDIATION
        w.session.flush()
        return _saved(w, mediation.id)


def update_consents(
    actor: Actor,
    mediation_id: int,
    *,
    agreed_on: date | None,
    creditor_consent_on: date | None,
    debtor_consent_on: date | None,
    creditor_confidentiality_ack: bool,
    debtor_confidentiality_ack: bool,
    expected_version: int | None = None,
    today: date | None = None,
) -> Saved:
    """The agreement to mediate and each party's consent and acknowledgement of
    confidentiality, as they come in."""
    today = today or today_paris()
    errors = _future_dates(
        today,
        agreed_on=agreed_on,
        creditor_consent_on=creditor_consent_on,
        debtor_consent_on=debtor_consent_on,
    )
    if errors:
        raise ValidationError(errors)
    with change_mediation(actor, mediation_id, "mediation.consent", expected_version) as (
        w,
        mediation,
    ):
        mediation.agreed_on = agreed_on
        mediation.creditor_consent_on = creditor_consent_on
        mediation.debtor_consent_on = debtor_consent_on
        mediation.creditor_confidentiality_ack = creditor_confidentiality_ack
        mediation.debtor_confidentiality_ack = debtor_confidentiality_ack
        return _saved(w, mediation_id)


# ---- sessions -------------------------------------------------------------------------


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
        _refuse_if_ended(mediation)
        meeting = w.add(
            MediationSession(
                case_id=w.case_id,
                mediation_id=mediation_id,
                planned_at=plan.planned_at,
                duration_minutes=plan.duration_minutes,
                mode=SessionMode(plan.mode),
                place=_opt(plan.place, 300),
                created_by_id=actor.id,
                updated_by_id=actor.id,
            )
        )
        w.session.flush()
        return _saved(w, meeting.id)


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
        p.present is False for p in report.participants
    ):
        errors["participants"] = "Indiquez quelle partie était absente."
    for i, p in enumerate(report.participants, start=1):
        if not (p.name or "").strip():
            errors[f"participants.{i}"] = f"Participant {i} : nom à indiquer."
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
        meeting.creditor_position = _opt(report.creditor_position, MAX_TEXT)
        meeting.debtor_position = _opt(report.debtor_position, MAX_TEXT)
        meeting.nonpayment_reasons = _opt(report.nonpayment_reasons, MAX_TEXT)
        meeting.confidential_notes = _opt(report.notes, MAX_TEXT)
        meeting.next_step = _opt(report.next_step, 1000)
        meeting.written_up_at = now
        w.session.exec(
            delete(MediationParticipant).where(col(MediationParticipant.session_id) == session_id)
        )
        w.session.exec(
            delete(MediationProposal).where(col(MediationProposal.session_id) == session_id)
        )
        for p in report.participants:
            w.add(
                MediationParticipant(
                    session_id=session_id,
                    role=ParticipantRole(p.role),
                    name=p.name.strip()[:200],
                    present=p.present,
                )
            )
        for seq, p in enumerate(report.proposals, start=1):
            w.add(
                MediationProposal(
                    session_id=session_id,
                    seq=seq,
                    made_by=MediationSide(p.made_by),
                    amount_cents=p.amount_cents,
                    instalment_count=p.instalment_count,
                    frequency=Frequency(p.frequency) if p.frequency else None,
                    first_due_date=p.first_due_date,
                    down_payment_cents=p.down_payment_cents,
                    waive_interest=p.waive_interest,
                    waive_indemnity=p.waive_indemnity,
                    waive_principal_cents=p.waive_principal_cents,
                    note=_opt(p.note, 1000),
                    accepted=p.accepted,
                )
            )
        # Parts of the session: their event says only that they changed.
        w.uow.note(meeting, "participants", None, REDACTED if report.participants else None)
        w.uow.note(meeting, "proposals", None, REDACTED if report.proposals else None)
        return _saved(w, session_id)


def cancel_session(actor: Actor, session_id: int, *, expected_version: int | None = None) -> Saved:
    """Remove a planned session that did not take place (never one written up)."""
    with change_session(actor, session_id, "mediation.session_cancel", expected_version) as (
        w,
        _mediation,
        meeting,
    ):
        if meeting.written_up_at is not None:
            raise ValidationError("Une séance qui a eu lieu ne se supprime pas.")
        w.session.delete(meeting)
        return _saved(w, session_id)


# ---- end ------------------------------------------------------------------------------


def end_mediation(
    actor: Actor,
    mediation_id: int,
    *,
    ended_on: date,
    ended_by: MediationSide,
    outcome: MediationOutcome,
    expected_version: int | None = None,
    today: date | None = None,
) -> Saved:
    """A party or the mediator declares the mediation over: the limitation runs again
    (at least six months left, C. civ. 2238)."""
    today = today or today_paris()
    outcome = MediationOutcome(outcome)
    errors: dict[str, str] = {}
    if outcome not in FINAL_OUTCOMES:
        errors["outcome"] = "Une médiation se termine par un accord, un échec ou une absence."
    if ended_on > today:
        errors["ended_on"] = "La date de fin ne peut pas être dans le futur."
    if errors:
        raise ValidationError(errors)
    with change_mediation(actor, mediation_id, "mediation.end", expected_version) as (
        w,
        mediation,
    ):
        _refuse_if_ended(mediation)
        begun = mediation.agreed_on or _first_session_day(w.session, mediation_id)
        if begun is not None and ended_on < begun:
            raise ValidationError(
                {"ended_on": "La fin ne peut pas précéder l'accord de médiation ou la 1re séance."}
            )
        mediation.ended_on = ended_on
        mediation.ended_by = MediationSide(ended_by)
        mediation.outcome = outcome
        return _saved(w, mediation_id)


# ---- helpers --------------------------------------------------------------------------


@contextmanager
def change_mediation(
    actor: Actor, mediation_id: int, action: str, expected_version: int | None
) -> Iterator[tuple[CaseChange, Mediation]]:
    """change_case on the case of a mediation, with the mediation row locked too."""
    case_id = _case_of_mediation(mediation_id)
    with change_case(
        actor,
        Perm.MEDIATION_RECORD,
        None,
        action,
        case_id=case_id,
        expected_version=expected_version,
    ) as w:
        mediation = w.uow.lock(
            Mediation, mediation_id, missing=f"Médiation introuvable (n° {mediation_id})."
        )
        _require_keeper(actor, mediation)
        yield w, mediation


@contextmanager
def change_session(
    actor: Actor, session_id: int, action: str, expected_version: int | None
) -> Iterator[tuple[CaseChange, Mediation, MediationSession]]:
    with change_mediation(actor, _mediation_of_session(session_id), action, expected_version) as (
        w,
        mediation,
    ):
        meeting = w.uow.lock(
            MediationSession, session_id, missing=f"Séance introuvable (n° {session_id})."
        )
        yield w, mediation, meeting


def _case_of_mediation(mediation_id: int) -> int:
    with read_session() as session:
        case_id = session.exec(
            select(Mediation.case_id).where(Mediation.id == mediation_id)
        ).first()
    if case_id is None:
        raise NotFound(f"Médiation introuvable (n° {mediation_id}).")
    return case_id


def _mediation_of_session(session_id: int) -> int:
    with read_session() as session:
        found = session.exec(
            select(MediationSession.mediation_id).where(MediationSession.id == session_id)
        ).first()
    if found is None:
        raise NotFound(f"Séance introuvable (n° {session_id}).")
    return found


def _require_keeper(actor: Actor, mediation: Mediation) -> None:
    """Only the mediation's own mediator (or an admin) writes its record."""
    if Role(actor.role) == Role.ADMIN:
        return
    keeper = mediation.mediator_user_id or mediation.created_by_id
    if actor.id != keeper:
        raise PermissionDenied("Seul le médiateur de cette médiation peut en tenir le dossier.")


def _refuse_if_ended(mediation: Mediation) -> None:
    if mediation.ended_on is not None:
        raise ValidationError("Cette médiation est terminée.")


def _first_session_day(session: Session, mediation_id: int) -> date | None:
    first = session.exec(
        select(MediationSession.planned_at)
        .where(
            MediationSession.mediation_id == mediation_id,
            MediationSession.written_up_at.is_not(None),  # type: ignore[union-attr]
        )
        .order_by(col(MediationSession.planned_at))
    ).first()
    return first.astimezone(PARIS).date() if first else None


def _check_mediation_input(session: Session, data: MediationInput, today: date) -> None:
    errors = _future_dates(
        today,
        agreed_on=data.agreed_on,
        creditor_consent_on=data.creditor_consent_on,
        debtor_consent_on=data.debtor_consent_on,
    )
    try:
        kind = MediationKind(data.kind)
    except ValueError:
        raise ValidationError({"kind": "Type de médiation inconnu."}) from None
    if data.mediator_user_id and data.external_mediator_id:
        errors["mediator"] = "Choisissez un médiateur de l'équipe ou un médiateur extérieur."
    if kind == MediationKind.INTERNAL and data.external_mediator_id:
        errors["mediator"] = "Une rencontre interne est menée par l'équipe du créancier."
    if kind != MediationKind.INTERNAL and not (data.mediator_user_id or data.external_mediator_id):
        errors["mediator"] = "Indiquez le médiateur ou le conciliateur."
    if data.mediator_user_id:
        user = session.get(User, data.mediator_user_id)
        if user is None or not user.is_active or Role(user.role) not in (Role.MEDIATOR, Role.ADMIN):
            errors["mediator"] = "Ce médiateur n'est pas un utilisateur actif de rôle Médiateur."
    if (
        data.external_mediator_id
        and session.get(ExternalMediator, data.external_mediator_id) is None
    ):
        errors["mediator"] = "Médiateur extérieur introuvable."
    if kind == MediationKind.JUDICIAL and not (data.court_name or "").strip():
        errors["court_name"] = (
            "Une médiation judiciaire est ordonnée par une juridiction : nommez-la."
        )
    if errors:
        raise ValidationError(errors)


def _future_dates(today: date, **days: date | None) -> dict[str, str]:
    return {
        name: "Cette date ne peut pas être dans le futur."
        for name, day in days.items()
        if day is not None and day > today
    }


def _saved(w: CaseChange, row_id: int | None) -> Saved:
    assert row_id is not None
    # The version the case will have once this change commits.
    return Saved(row_id, w.case.version + 1)


def _opt(text: str | None, limit: int) -> str | None:
    value = (text or "").strip()
    return value[:limit] or None


def case_of(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"Dossier introuvable (n° {case_id}).")
    return case
