"""What may leave a mediation (CPC 1528-3, loi 95-125 art. 21-3): that it took place, its
kind, the third party, its dates and outcome, the failure record; nothing said in it.

A minimal stand-in over the first mediation tables (MediationSession, MediationAgreement):
a mediation « took place » when the case has sessions. It is replaced by the mediation
capability's own module with the same API; the dossier uses nothing else of mediation.
Session notes and participants are never read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from case_core.kernel.dates import PARIS
from case_core.models import MediationAgreement, MediationOutcome, MediationSession, User

# Sessions recorded in these tables are run by the team's own mediators: an amicable
# negotiation, not a mediation by a third party in the sense of CPC 750-1.
INTERNAL_KIND = "Médiation interne (négociation amiable menée par le créancier)"
_ENDING = {MediationOutcome.AGREEMENT, MediationOutcome.PARTIAL, MediationOutcome.FAILURE}


@dataclass(frozen=True)
class MediationDisclosure:  # only what may leave a mediation (CPC 1528-3)
    mediation_id: int
    kind_label: str
    third_party: str | None
    counts_as_prior_attempt: bool
    agreed_on: date | None
    first_session_on: date | None
    last_session_on: date | None
    ended_on: date | None
    outcome_label: str | None
    failed: bool
    failure_record_document_id: int | None


def disclosures_for_case(session: Session, case_id: int) -> list[MediationDisclosure]:
    """The mediations of the case, oldest first (here at most one: the sessions together)."""
    rows = session.exec(
        select(
            MediationSession.id,
            MediationSession.held_at,
            MediationSession.outcome,
            MediationSession.mediator_id,
        )
        .where(MediationSession.case_id == case_id)
        .order_by(col(MediationSession.held_at), col(MediationSession.id))
    ).all()
    if not rows:
        return []
    first_id, first_at, _, _ = rows[0]
    _, last_at, last_outcome, mediator_id = rows[-1]
    mediator = session.get(User, mediator_id)
    agreed_on = session.exec(
        select(col(MediationAgreement.signed_on))
        .where(MediationAgreement.case_id == case_id)
        .order_by(col(MediationAgreement.signed_on))
    ).first()
    outcome = MediationOutcome(last_outcome) if last_outcome else None
    last_day = last_at.astimezone(PARIS).date()
    return [
        MediationDisclosure(
            mediation_id=first_id or 0,
            kind_label=INTERNAL_KIND,
            third_party=mediator.full_name if mediator else None,
            counts_as_prior_attempt=False,
            agreed_on=agreed_on,
            first_session_on=first_at.astimezone(PARIS).date(),
            last_session_on=last_day,
            ended_on=last_day if outcome in _ENDING else None,
            outcome_label=outcome.label if outcome else None,
            failed=outcome == MediationOutcome.FAILURE,
            failure_record_document_id=None,
        )
    ]
