"""Acknowledgements of the debt other than payments, read once for the statement and the
stored case figures: an accepted instalment plan and a signed mediation agreement
(Code civil 2240). Payments acknowledge through the statement's own rules (which invoice)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from case_core.models import InstalmentPlan, MediationAgreement


def other_acknowledgements(session: Session, case_id: int | None) -> list[date]:
    plans = session.exec(
        select(col(InstalmentPlan.accepted_on)).where(
            col(InstalmentPlan.case_id) == case_id,
            col(InstalmentPlan.accepted_on).is_not(None),
        )
    ).all()
    agreements = session.exec(
        select(col(MediationAgreement.signed_on)).where(
            col(MediationAgreement.case_id) == case_id,
            col(MediationAgreement.signed_on).is_not(None),
        )
    ).all()
    return [d for d in [*plans, *agreements] if d is not None]
