"""What a mediation looks like to its reader: sessions, proposals, agreement. The
confidential parts are left empty, with `confidential_hidden` set, for whoever may not read
them (mediation.queries builds these views)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from case_core.kernel.dates import PARIS
from case_core.kernel.money import format_cents
from case_core.mediation.rules import counts_as_prior_attempt, is_failure
from case_core.models import (
    ExternalMediator,
    Frequency,
    MediationKind,
    MediationOutcome,
    MediationProposal,
    MediationSide,
    ParticipantRole,
    SessionMode,
    SignatureMode,
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
