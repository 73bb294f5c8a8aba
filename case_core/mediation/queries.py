"""Reads of mediations, confidential content included only for those who may read it
(confidentiality.may_read_confidential): everyone else gets the same views with the
confidential fields empty and `confidential_hidden` set."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session, col, select

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound
from case_core.kernel.permissions import Perm, can, require
from case_core.mediation.confidentiality import may_read_confidential
from case_core.mediation.views import (
    AgreementView,
    MediationView,
    ParticipantView,
    ProposalView,
    SessionView,
    proposal_terms,
)
from case_core.models import (
    Case,
    ExternalMediator,
    Mediation,
    MediationAgreement,
    MediationKind,
    MediationOutcome,
    MediationParticipant,
    MediationProposal,
    MediationSession,
    MediationSide,
    ParticipantRole,
    Role,
    SessionMode,
    SignatureMode,
    User,
)


def third_party_name(session: Session, mediation: Mediation) -> str | None:
    if MediationKind(mediation.kind) == MediationKind.INTERNAL:
        return None
    if mediation.external_mediator_id:
        ext = session.get(ExternalMediator, mediation.external_mediator_id)
        if ext is not None:
            return f"{ext.full_name} ({ext.organisation})" if ext.organisation else ext.full_name
    if mediation.mediator_user_id:
        user = session.get(User, mediation.mediator_user_id)
        if user is not None:
            return user.full_name
    return None


def may_write(actor: Actor, mediation: Mediation) -> bool:
    if not can(actor, Perm.MEDIATION_RECORD):
        return False
    if Role(actor.role) == Role.ADMIN:
        return True
    return actor.id == (mediation.mediator_user_id or mediation.created_by_id)


def view_of(session: Session, actor: Actor, mediation: Mediation) -> MediationView:
    assert mediation.id is not None
    open_ = may_read_confidential(actor, mediation)
    case = session.get(Case, mediation.case_id)
    meetings = session.exec(
        select(MediationSession)
        .where(MediationSession.mediation_id == mediation.id)
        .order_by(col(MediationSession.planned_at), col(MediationSession.id))
    ).all()
    parts = _parts(session, [m.id for m in meetings if m.id is not None]) if open_ else {}
    sessions = [_session_view(m, open_, *parts.get(m.id or 0, ([], []))) for m in meetings]
    agreement = session.exec(
        select(MediationAgreement)
        .where(MediationAgreement.mediation_id == mediation.id)
        .order_by(col(MediationAgreement.id).desc())
    ).first()
    ext = (
        session.get(ExternalMediator, mediation.external_mediator_id)
        if mediation.external_mediator_id
        else None
    )
    return MediationView(
        id=mediation.id,
        case_id=mediation.case_id,
        reference=case.reference if case else "",
        kind=MediationKind(mediation.kind),
        third_party=third_party_name(session, mediation),
        mediator_user_id=mediation.mediator_user_id,
        external_mediator=ext,
        subject=mediation.subject,
        court_name=mediation.court_name,
        court_reference=mediation.court_reference,
        agreed_on=mediation.agreed_on,
        creditor_consent_on=mediation.creditor_consent_on,
        debtor_consent_on=mediation.debtor_consent_on,
        creditor_confidentiality_ack=mediation.creditor_confidentiality_ack,
        debtor_confidentiality_ack=mediation.debtor_confidentiality_ack,
        ended_on=mediation.ended_on,
        ended_by=MediationSide(mediation.ended_by) if mediation.ended_by else None,
        outcome=MediationOutcome(mediation.outcome) if mediation.outcome else None,
        failure_document_id=mediation.failure_document_id,
        sessions=sessions,
        agreement=_agreement_view(agreement) if agreement else None,
        confidential_hidden=not open_,
        may_write=may_write(actor, mediation),
    )


def _parts(
    session: Session, session_ids: list[int]
) -> dict[int, tuple[list[MediationParticipant], list[MediationProposal]]]:
    """Participants and proposals of all the sessions at once (two queries, not two per
    session)."""
    out: dict[int, tuple[list[MediationParticipant], list[MediationProposal]]] = {
        i: ([], []) for i in session_ids
    }
    if not session_ids:
        return out
    for p in session.exec(
        select(MediationParticipant)
        .where(col(MediationParticipant.session_id).in_(session_ids))
        .order_by(col(MediationParticipant.id))
    ).all():
        out[p.session_id][0].append(p)
    for q in session.exec(
        select(MediationProposal)
        .where(col(MediationProposal.session_id).in_(session_ids))
        .order_by(col(MediationProposal.seq))
    ).all():
        out[q.session_id][1].append(q)
    return out


def _session_view(
    m: MediationSession,
    open_: bool,
    participants: list[MediationParticipant],
    proposals: list[MediationProposal],
) -> SessionView:
    assert m.id is not None
    common = SessionView(
        id=m.id,
        planned_at=m.planned_at,
        duration_minutes=m.duration_minutes,
        mode=SessionMode(m.mode),
        place=m.place,
        outcome=MediationOutcome(m.outcome) if m.outcome else None,
        written_up_at=m.written_up_at,
        confidential_hidden=not open_,
    )
    if not open_:
        return common
    return replace(
        common,
        participants=[
            ParticipantView(ParticipantRole(p.role), p.name, p.present) for p in participants
        ],
        creditor_position=m.creditor_position,
        debtor_position=m.debtor_position,
        nonpayment_reasons=m.nonpayment_reasons,
        notes=m.confidential_notes,
        proposals=[ProposalView(seq=p.seq, **proposal_terms(p)) for p in proposals],
        next_step=m.next_step,
    )


def _agreement_view(a: MediationAgreement) -> AgreementView:
    assert a.id is not None
    return AgreementView(
        id=a.id,
        amount_cents=a.amount_cents,
        terms=a.terms,
        waived_interest=a.waived_interest,
        waived_indemnity=a.waived_indemnity,
        waived_principal_cents=a.waived_principal_cents,
        plan_id=a.plan_id,
        signed_on=a.signed_on,
        creditor_signatory=a.creditor_signatory,
        creditor_signed_on=a.creditor_signed_on,
        debtor_signatory=a.debtor_signatory,
        debtor_signed_on=a.debtor_signed_on,
        signature_mode=SignatureMode(a.signature_mode) if a.signature_mode else None,
        signed_document_id=a.signed_document_id,
        protocol_document_id=a.protocol_document_id,
        lawyers_countersigned=a.lawyers_countersigned,
        version=a.version,
    )


def mediations_for_case(actor: Actor, reference: str) -> list[MediationView]:
    """A case's mediations, newest first."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference.strip())).first()
        if case is None:
            raise NotFound(f"Dossier introuvable : « {reference} ».")
        rows = session.exec(
            select(Mediation).where(Mediation.case_id == case.id).order_by(col(Mediation.id).desc())
        ).all()
        return [view_of(session, actor, m) for m in rows]


def mediation_view(actor: Actor, mediation_id: int) -> MediationView:
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        mediation = session.get(Mediation, mediation_id)
        if mediation is None:
            raise NotFound(f"Médiation introuvable (n° {mediation_id}).")
        return view_of(session, actor, mediation)


@dataclass(frozen=True)
class MediatorChoice:
    id: int
    label: str


def mediator_users(actor: Actor) -> list[MediatorChoice]:
    """The casedesk users who may run a mediation."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        users = session.exec(
            select(User)
            .where(col(User.is_active), col(User.role).in_([Role.MEDIATOR, Role.ADMIN]))
            .order_by(col(User.full_name))
        ).all()
        return [MediatorChoice(u.id or 0, u.full_name) for u in users]


def external_mediators(actor: Actor) -> list[MediatorChoice]:
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        rows = session.exec(
            select(ExternalMediator)
            .where(col(ExternalMediator.is_active))
            .order_by(col(ExternalMediator.full_name))
        ).all()
        return [
            MediatorChoice(
                r.id or 0, f"{r.full_name} ({r.organisation})" if r.organisation else r.full_name
            )
            for r in rows
        ]
