"""Reads of mediations, confidential content included only for those who may read it
(confidentiality.may_read_confidential): everyone else gets the same views with the
confidential fields empty and `confidential_hidden` set."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound
from case_core.kernel.money import format_cents
from case_core.kernel.permissions import Perm, can, require
from case_core.mediation.confidentiality import may_read_confidential
from case_core.mediation.rules import counts_as_prior_attempt, is_failure
from case_core.models import (
    Case,
    ExternalMediator,
    Frequency,
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

if TYPE_CHECKING:
    from case_core.mediation.sessions import ProposalInput


@dataclass(frozen=True)
class ParticipantView:
    role: ParticipantRole
    name: str
    present: bool | None


@dataclass(frozen=True)
class ProposalView:
    seq: int
    made_by: MediationSide
    amount_cents: int
    instalment_count: int | None
    frequency: Frequency | None
    first_due_date: date | None
    down_payment_cents: int
    waive_interest: bool
    waive_indemnity: bool
    waive_principal_cents: int
    note: str | None
    accepted: bool

    @property
    def summary(self) -> str:
        parts = [f"{self.made_by.label} : {format_cents(self.amount_cents)}"]
        if self.down_payment_cents:
            parts.append(f"acompte {format_cents(self.down_payment_cents)}")
        if self.instalment_count:
            freq = self.frequency.label.lower() if self.frequency else ""
            parts.append(f"{self.instalment_count} échéance(s) {freq}".strip())
        waived = [
            w
            for w, on in (
                ("intérêts", self.waive_interest),
                ("indemnité forfaitaire", self.waive_indemnity),
            )
            if on
        ]
        if self.waive_principal_cents:
            waived.append(f"{format_cents(self.waive_principal_cents)} de principal")
        if waived:
            parts.append("abandon : " + ", ".join(waived))
        if self.accepted:
            parts.append("ACCEPTÉE")
        return " — ".join(parts)


def proposal_terms(p: ProposalInput | MediationProposal) -> dict[str, Any]:
    """A proposal's terms field by field, with their enums: the one list that the stored
    row and the view are both built from."""
    return {
        "made_by": MediationSide(p.made_by),
        "amount_cents": p.amount_cents,
        "instalment_count": p.instalment_count,
        "frequency": Frequency(p.frequency) if p.frequency else None,
        "first_due_date": p.first_due_date,
        "down_payment_cents": p.down_payment_cents,
        "waive_interest": p.waive_interest,
        "waive_indemnity": p.waive_indemnity,
        "waive_principal_cents": p.waive_principal_cents,
        "note": p.note,
        "accepted": p.accepted,
    }


@dataclass(frozen=True)
class SessionView:
    id: int
    planned_at: datetime
    duration_minutes: int
    mode: SessionMode
    place: str | None
    outcome: MediationOutcome | None
    written_up_at: datetime | None
    confidential_hidden: bool
    participants: list[ParticipantView] = field(default_factory=list)
    creditor_position: str | None = None
    debtor_position: str | None = None
    nonpayment_reasons: str | None = None
    notes: str | None = None
    proposals: list[ProposalView] = field(default_factory=list)
    next_step: str | None = None

    @property
    def written_up(self) -> bool:
        return self.written_up_at is not None


@dataclass(frozen=True)
class AgreementView:
    """The agreement may be disclosed to implement or enforce it (CPC 1528-3)."""

    id: int
    amount_cents: int
    terms: str
    waived_interest: bool
    waived_indemnity: bool
    waived_principal_cents: int
    plan_id: int | None
    signed_on: date | None
    creditor_signatory: str | None
    creditor_signed_on: date | None
    debtor_signatory: str | None
    debtor_signed_on: date | None
    signature_mode: SignatureMode | None
    signed_document_id: int | None
    protocol_document_id: int | None
    lawyers_countersigned: bool
    version: int


@dataclass(frozen=True)
class MediationView:
    id: int
    case_id: int
    reference: str
    kind: MediationKind
    third_party: str | None
    mediator_user_id: int | None
    external_mediator: ExternalMediator | None
    subject: str | None
    court_name: str | None
    court_reference: str | None
    agreed_on: date | None
    creditor_consent_on: date | None
    debtor_consent_on: date | None
    creditor_confidentiality_ack: bool
    debtor_confidentiality_ack: bool
    ended_on: date | None
    ended_by: MediationSide | None
    outcome: MediationOutcome | None
    failure_document_id: int | None
    sessions: list[SessionView]
    agreement: AgreementView | None
    confidential_hidden: bool
    may_write: bool

    @property
    def counts_as_prior_attempt(self) -> bool:
        return counts_as_prior_attempt(self.kind)

    @property
    def failed(self) -> bool:
        return is_failure(self.outcome)

    @property
    def running(self) -> bool:
        return self.ended_on is None

    @property
    def status_label(self) -> str:
        if self.outcome is not None and self.ended_on is not None:
            return f"Terminée — {self.outcome.label}"
        return "En cours"

    @property
    def first_session_on(self) -> date | None:
        held = [s.planned_at for s in self.sessions if s.written_up]
        return min(held).astimezone(PARIS).date() if held else None

    @property
    def last_session_on(self) -> date | None:
        held = [s.planned_at for s in self.sessions if s.written_up]
        return max(held).astimezone(PARIS).date() if held else None

    @property
    def last_accepted_proposal(self) -> ProposalView | None:
        accepted = [p for s in self.sessions for p in s.proposals if p.accepted]
        return accepted[-1] if accepted else None


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
