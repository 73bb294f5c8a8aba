"""Mediation figures: sessions held, mediations ended by outcome (the agreement rate), and
the amounts agreed against the amounts claimed, per month of the period.

Aggregates only, and only of what may leave a mediation (loi 95-125 art. 21-3): the fact
that a session took place, a mediation's outcome and end date, and the agreement's amount
(it may be disclosed to implement it, CPC 1528-3). No confidential column (positions,
notes, proposals) is read. Months are calendar months in UTC, like the cohorts'.

Held: a session written up (a cancelled one is deleted). Ended: a mediation whose end
date falls in the period. Agreed: ended by an agreement or a partial agreement
(mediation.rules.AGREED_OUTCOMES). Amounts: over the agreed mediations whose agreement is
recorded, the amount of the latest agreement against the principal of the case's invoices
(what the protocol says the creditor claims).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlmodel import Session, col

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.mediation.rules import AGREED_OUTCOMES
from case_core.models import Case, Mediation, MediationAgreement, MediationOutcome, MediationSession
from case_core.reports.buckets import months_between, rate
from case_core.reports.filters import DashboardFilter, Scope, case_conditions, resolve

# The order of the outcome bars; None: a mediation ended without an outcome recorded.
ENDED_OUTCOMES: tuple[MediationOutcome | None, ...] = (
    MediationOutcome.AGREEMENT,
    MediationOutcome.PARTIAL,
    MediationOutcome.FAILURE,
    MediationOutcome.PARTY_ABSENT,
    None,
)
NO_OUTCOME_LABEL = "Issue non précisée"


def outcome_label(outcome: MediationOutcome | None) -> str:
    return NO_OUTCOME_LABEL if outcome is None else outcome.label


@dataclass(frozen=True)
class MediationMonth:
    month: date  # first day
    sessions_held: int
    ended: dict[MediationOutcome | None, int]  # mediations ended in the month, by outcome
    with_agreement: int  # agreed mediations ended in the month whose agreement is recorded
    claimed_cents: int  # principal of those cases
    agreed_cents: int  # amount of their agreements

    @property
    def ended_total(self) -> int:
        return sum(self.ended.values())

    @property
    def agreed(self) -> int:
        return sum(n for o, n in self.ended.items() if o in AGREED_OUTCOMES)


@dataclass(frozen=True)
class MediationFigures:
    months: list[MediationMonth]

    @property
    def sessions_held(self) -> int:
        return sum(m.sessions_held for m in self.months)

    @property
    def ended(self) -> int:
        return sum(m.ended_total for m in self.months)

    @property
    def agreed(self) -> int:
        return sum(m.agreed for m in self.months)

    @property
    def agreement_rate(self) -> float | None:
        """Agreements (total or partial) over the mediations ended."""
        return rate(self.agreed, self.ended)

    @property
    def claimed_cents(self) -> int:
        return sum(m.claimed_cents for m in self.months)

    @property
    def agreed_cents(self) -> int:
        return sum(m.agreed_cents for m in self.months)

    @property
    def agreed_share(self) -> float | None:
        """Amounts agreed over amounts claimed, on the agreements recorded."""
        return rate(self.agreed_cents, self.claimed_cents)

    def count(self, outcome: MediationOutcome | None) -> int:
        return sum(m.ended.get(outcome, 0) for m in self.months)

    @property
    def is_empty(self) -> bool:
        return self.sessions_held == 0 and self.ended == 0


def _month(column: Any) -> tuple[Any, Any]:
    return func.extract("year", column), func.extract("month", column)


def mediations_in(session: Session, scope: Scope) -> MediationFigures:
    y, m = _month(col(MediationSession.planned_at))
    held: dict[date, int] = {
        date(int(year), int(month), 1): int(n)
        for year, month, n in session.execute(
            select(y, m, func.count())
            .join(Case, col(Case.id) == col(MediationSession.case_id))
            .where(
                col(MediationSession.written_up_at).is_not(None),
                col(MediationSession.planned_at) >= scope.start_instant,
                col(MediationSession.planned_at) < scope.end_instant,
                *case_conditions(scope),
            )
            .group_by(y, m)
        ).all()
    }
    # The latest agreement of each mediation (one may be recorded again before signing).
    latest = (
        select(func.max(col(MediationAgreement.id)).label("id"))
        .where(col(MediationAgreement.mediation_id).is_not(None))
        .group_by(col(MediationAgreement.mediation_id))
        .subquery("latest")
    )
    agreement = (
        select(
            col(MediationAgreement.mediation_id).label("mediation_id"),
            col(MediationAgreement.amount_cents).label("amount"),
        )
        .join(latest, latest.c.id == col(MediationAgreement.id))
        .subquery("agreement")
    )
    agreed_with_amount = col(Mediation.outcome).in_([o.value for o in AGREED_OUTCOMES]) & (
        agreement.c.amount.is_not(None)
    )
    y, m = _month(col(Mediation.ended_on))
    ended: dict[date, dict[MediationOutcome | None, int]] = {}
    amounts: dict[date, tuple[int, int, int]] = {}
    for year, month, outcome, n, with_agreement, claimed, agreed in session.execute(
        select(
            y,
            m,
            col(Mediation.outcome),
            func.count(),
            func.coalesce(func.sum(sql_case((agreed_with_amount, 1), else_=0)), 0),
            func.coalesce(
                func.sum(sql_case((agreed_with_amount, col(Case.principal_cents)), else_=0)), 0
            ),
            func.coalesce(func.sum(sql_case((agreed_with_amount, agreement.c.amount), else_=0)), 0),
        )
        .join(Case, col(Case.id) == col(Mediation.case_id))
        .outerjoin(agreement, agreement.c.mediation_id == col(Mediation.id))
        .where(
            col(Mediation.ended_on).is_not(None),
            col(Mediation.ended_on) >= scope.period_start,
            col(Mediation.ended_on) <= scope.period_end,
            *case_conditions(scope),
        )
        .group_by(y, m, col(Mediation.outcome))
    ).all():
        key = date(int(year), int(month), 1)
        ended.setdefault(key, {})[MediationOutcome(outcome) if outcome else None] = int(n)
        a, c, g = amounts.get(key, (0, 0, 0))
        amounts[key] = (a + int(with_agreement), c + int(claimed), g + int(agreed))
    return MediationFigures(
        [
            MediationMonth(
                month,
                held.get(month, 0),
                ended.get(month, {}),
                *amounts.get(month, (0, 0, 0)),
            )
            for month in months_between(scope.period_start, scope.period_end)
        ]
    )


def mediation_figures(
    actor: Actor, f: DashboardFilter, today: date | None = None
) -> MediationFigures:
    """Sessions held, mediations ended by outcome and amounts agreed, month by month."""
    scope = resolve(actor, f, today)
    with read_session() as session:
        return mediations_in(session, scope)
