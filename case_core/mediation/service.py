"""Writes of a mediation: open it, record consents, end it, keep the directory of
external mediators (sessions in `sessions`, re-exported here). Every write goes through
`change_case` (the case locked, its version checked and bumped, the audit recorded with
confidential fields redacted).

The agreement and its signatures live in `agreements`; documents in `documents`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from case_core.cases.change import change_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS, today_paris
from case_core.kernel.errors import ValidationError
from case_core.kernel.permissions import Perm
from case_core.kernel.unit_of_work import change
from case_core.mediation.rules import FINAL_OUTCOMES

# The sessions' writes, re-exported so that callers find the whole service here.
from case_core.mediation.sessions import (
    ParticipantInput,
    ProposalInput,
    SessionPlan,
    SessionReport,
    cancel_session,
    check_report,
    paris_instant,
    plan_session,
    write_up_session,
)
from case_core.mediation.writes import (
    Saved,
    change_mediation,
    change_session,
    opt_text,
    refuse_if_ended,
    saved,
)
from case_core.models import (
    ExternalMediator,
    Mediation,
    MediationKind,
    MediationOutcome,
    MediationSession,
    MediationSide,
    Phase,
    Role,
    User,
)

__all__ = [
    "ExternalMediatorInput",
    "MediationInput",
    "ParticipantInput",
    "ProposalInput",
    "Saved",
    "SessionPlan",
    "SessionReport",
    "add_external_mediator",
    "cancel_session",
    "change_mediation",
    "change_session",
    "check_report",
    "end_mediation",
    "open_mediation",
    "paris_instant",
    "plan_session",
    "update_consents",
    "write_up_session",
]

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
                full_name=opt_text(name, 200, "full_name") or name,
                organisation=opt_text(data.organisation, 200, "organisation"),
                accreditation=opt_text(data.accreditation, 300, "accreditation"),
                email=opt_text(data.email, 254, "email"),
                phone=opt_text(data.phone, 40, "phone"),
                address=opt_text(data.address, 500, "address"),
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
                subject=opt_text(data.subject, 1000, "subject"),
                court_name=opt_text(data.court_name, 200, "court_name"),
                court_reference=opt_text(data.court_reference, 100, "court_reference"),
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
        return saved(w, mediation.id)


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
        return saved(w, mediation_id)


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
        refuse_if_ended(mediation)
        begun = mediation.agreed_on or _first_session_day(w.session, mediation_id)
        if begun is not None and ended_on < begun:
            raise ValidationError(
                {"ended_on": "La fin ne peut pas précéder l'accord de médiation ou la 1re séance."}
            )
        mediation.ended_on = ended_on
        mediation.ended_by = MediationSide(ended_by)
        mediation.outcome = outcome
        return saved(w, mediation_id)


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
