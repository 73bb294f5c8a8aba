"""Mediations for tests, built through the real services."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from case_core.kernel.actor import Actor
from case_core.mediation.agreements import Signatures, sign_agreement
from case_core.mediation.service import (
    MediationInput,
    ParticipantInput,
    ProposalInput,
    SessionPlan,
    SessionReport,
    open_mediation,
    plan_session,
    write_up_session,
)
from case_core.models import (
    Frequency,
    MediationKind,
    MediationOutcome,
    MediationSide,
    ParticipantRole,
    SessionMode,
    SignatureMode,
)

SECRET = "Le débiteur avoue une trésorerie exsangue depuis la perte du client Zorglub"


def open_for(
    mediator: Actor,
    reference: str,
    kind: MediationKind = MediationKind.CONVENTIONAL,
    agreed_on: date | None = date(2026, 1, 5),
) -> int:
    return open_mediation(
        mediator,
        reference,
        MediationInput(
            kind=kind,
            mediator_user_id=mediator.id if kind != MediationKind.INTERNAL else None,
            subject="Factures impayées de 2025",
            agreed_on=agreed_on,
            creditor_consent_on=agreed_on,
            debtor_consent_on=agreed_on,
            creditor_confidentiality_ack=True,
            debtor_confidentiality_ack=True,
            court_name="Tribunal judiciaire de Lyon" if kind == MediationKind.JUDICIAL else None,
        ),
        today=date(2026, 12, 1),
    ).id


def held_session(
    mediator: Actor,
    mediation_id: int,
    when: datetime = datetime(2026, 1, 20, 9, 0, tzinfo=UTC),
    outcome: MediationOutcome = MediationOutcome.ADJOURNED,
    proposals: list[ProposalInput] | None = None,
    notes: str = SECRET,
) -> int:
    session_id = plan_session(
        mediator, mediation_id, SessionPlan(when, SessionMode.IN_PERSON, "Salle 2, Lyon")
    ).id
    absent = outcome == MediationOutcome.PARTY_ABSENT
    write_up_session(
        mediator,
        session_id,
        SessionReport(
            outcome=outcome,
            participants=[
                ParticipantInput(ParticipantRole.CREDITOR_REP, "Paul Créancier", True),
                ParticipantInput(ParticipantRole.DEBTOR, "Jean Débiteur", not absent),
            ],
            creditor_position="Paiement intégral exigé",
            debtor_position="Propose un étalement",
            nonpayment_reasons="Perte d'un gros client",
            notes=notes,
            proposals=proposals or [],
            next_step="Nouvelle séance",
        ),
    )
    return session_id


def plan_proposal(amount_cents: int, count: int = 6, accepted: bool = True) -> ProposalInput:
    return ProposalInput(
        made_by=MediationSide.DEBTOR,
        amount_cents=amount_cents,
        instalment_count=count,
        frequency=Frequency.MONTHLY,
        first_due_date=date(2026, 12, 15),
        accepted=accepted,
    )


def sign(mediator: Actor, agreement_id: int, **extra: Any) -> None:
    """Both parties sign the agreement on paper (creditor on 02/12, debtor on 03/12/2026)."""
    sign_agreement(
        mediator,
        agreement_id,
        Signatures(
            "Paul Créancier",
            date(2026, 12, 2),
            "Jean Débiteur",
            date(2026, 12, 3),
            SignatureMode.PAPER,
            **extra,
        ),
        today=date(2026, 12, 3),
    )
