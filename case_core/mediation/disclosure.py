"""What may leave a mediation (CPC 1528-3): the fact that it took place, its kind, the
third party who ran it, its dates and its outcome — never what was said or proposed.
The judicial dossier reads this, and only this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from case_core.kernel.dates import PARIS
from case_core.mediation.queries import third_party_name
from case_core.mediation.rules import counts_as_prior_attempt, is_failure
from case_core.models import Mediation, MediationKind, MediationOutcome, MediationSession


@dataclass(frozen=True)
class MediationDisclosure:  # only what may leave a mediation (CPC 1528-3)
    mediation_id: int
    kind_label: str  # French label of the kind
    third_party: str | None  # mediator / centre / conciliateur name (None for internal)
    counts_as_prior_attempt: bool  # third-party process: conventional, judicial, conciliation
    agreed_on: date | None  # agreement to mediate
    first_session_on: date | None
    last_session_on: date | None
    ended_on: date | None
    outcome_label: str | None  # French label
    failed: bool
    failure_record_document_id: int | None  # the « Constat d'échec » stored as a Document


def disclosures_for_case(session: Session, case_id: int) -> list[MediationDisclosure]:
    """The case's mediations, oldest first, as they may be disclosed."""
    mediations = session.exec(
        select(Mediation).where(Mediation.case_id == case_id).order_by(col(Mediation.id))
    ).all()
    return [_disclose(session, m) for m in mediations]


def _disclose(session: Session, mediation: Mediation) -> MediationDisclosure:
    assert mediation.id is not None
    held = session.exec(
        select(MediationSession.planned_at).where(
            MediationSession.mediation_id == mediation.id,
            MediationSession.written_up_at.is_not(None),  # type: ignore[union-attr]
        )
    ).all()
    days = sorted(at.astimezone(PARIS).date() for at in held)
    outcome = MediationOutcome(mediation.outcome) if mediation.outcome else None
    return MediationDisclosure(
        mediation_id=mediation.id,
        kind_label=MediationKind(mediation.kind).label,
        third_party=third_party_name(session, mediation),
        counts_as_prior_attempt=counts_as_prior_attempt(mediation.kind),
        agreed_on=mediation.agreed_on,
        first_session_on=days[0] if days else None,
        last_session_on=days[-1] if days else None,
        ended_on=mediation.ended_on,
        outcome_label=outcome.label if outcome else None,
        failed=is_failure(outcome),
        failure_record_document_id=mediation.failure_document_id,
    )
