"""Outstanding balance by ageing bucket (from each invoice's due date) and by phase.

What is outstanding on an open case is its balance without interest (principal less net
payments, as the portfolio shows it). It is spread over the case's invoices oldest due
date first (payments settle the oldest invoices first), so each invoice carries a part
and the parts of a case add up to its balance. The bucket is an ordered CASE whose last
branch is an ELSE: no invoice can fall outside every bucket.
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
from case_core.models import Case, Claim, Phase
from case_core.reports.buckets import ALL_BUCKETS, BUCKET_BY_KEY, BUCKETS, Bucket, bucket_thresholds
from case_core.reports.filters import DashboardFilter, Scope, open_case_conditions, resolve


@dataclass(frozen=True)
class AgeingCell:
    bucket: Bucket
    phase: Phase
    outstanding_cents: int
    cases: int
    invoices: int


@dataclass(frozen=True)
class BucketTotal:
    bucket: Bucket
    outstanding_cents: int
    cases: int
    invoices: int


@dataclass(frozen=True)
class Ageing:
    cells: list[AgeingCell]
    buckets: list[BucketTotal]  # every bucket, in order, zero ones included
    total_cents: int  # outstanding on the scope's open cases, counted apart from the buckets
    total_cases: int  # open cases with something outstanding

    @property
    def total_invoices(self) -> int:
        return sum(b.invoices for b in self.buckets)

    @property
    def phases(self) -> list[Phase]:
        present = {c.phase for c in self.cells}
        return [p for p in Phase if p in present]

    def cell(self, bucket: Bucket, phase: Phase) -> AgeingCell:
        for c in self.cells:
            if c.bucket == bucket and c.phase == phase:
                return c
        return AgeingCell(bucket, phase, 0, 0, 0)


def _outstanding_expr(paid: Any, cumulative: Any, principal: Any) -> Any:
    """The part of an invoice not covered by the case's payments, oldest invoices first."""
    net = sql_case((paid > 0, paid), else_=0)
    left = cumulative - net
    return sql_case((left <= 0, 0), (left >= principal, principal), else_=left)


def _bucket_expr(due: Any, scope: Scope) -> Any:
    whens: list[tuple[Any, str]] = [(due.is_(None), "no_due_date")]
    for bucket, threshold in bucket_thresholds(scope.today):
        whens.append((due >= threshold, bucket.key))
    return sql_case(*whens, else_=BUCKETS[-1].key)


def ageing_in(session: Session, scope: Scope) -> Ageing:
    cumulative = (
        func.sum(col(Claim.principal_cents))
        .over(partition_by=col(Claim.case_id), order_by=(col(Claim.due_date), col(Claim.id)))
        .label("cumulative")
    )
    per_invoice = (
        select(
            col(Claim.case_id).label("case_id"),
            col(Case.phase).label("phase"),
            col(Claim.due_date).label("due"),
            _outstanding_expr(col(Case.paid_cents), cumulative, col(Claim.principal_cents)).label(
                "owed"
            ),
        )
        .join(Case, col(Case.id) == col(Claim.case_id))
        .where(*open_case_conditions(scope))
        .subquery("per_invoice")
    )
    bucket = _bucket_expr(per_invoice.c.due, scope).label("bucket")
    owing = per_invoice.c.owed > 0
    rows = session.execute(
        select(
            bucket,
            per_invoice.c.phase,
            func.coalesce(func.sum(per_invoice.c.owed), 0),
            func.count(func.distinct(per_invoice.c.case_id)),
            func.count(),
        )
        .where(owing)
        .group_by(bucket, per_invoice.c.phase)
    ).all()
    cells = [
        AgeingCell(BUCKET_BY_KEY[key], Phase(phase), int(owed), int(cases), int(invoices))
        for key, phase, owed, cases, invoices in rows
    ]
    # Cases per bucket are counted distinct in SQL: a case in two phases cannot happen, so
    # the per-phase counts of a bucket add up; invoices add up too.
    by_key: dict[str, list[AgeingCell]] = {}
    for cell in cells:
        by_key.setdefault(cell.bucket.key, []).append(cell)
    buckets = [
        BucketTotal(
            b,
            sum(c.outstanding_cents for c in by_key.get(b.key, [])),
            sum(c.cases for c in by_key.get(b.key, [])),
            sum(c.invoices for c in by_key.get(b.key, [])),
        )
        for b in ALL_BUCKETS
        if b in BUCKETS or b.key in by_key
    ]
    positive = col(Case.balance_cents) > 0
    total, total_cases = session.execute(
        select(
            func.coalesce(func.sum(sql_case((positive, col(Case.balance_cents)), else_=0)), 0),
            func.count(sql_case((positive, col(Case.id)), else_=None)),
        ).where(*open_case_conditions(scope))
    ).one()
    return Ageing(cells, buckets, int(total), int(total_cases))


def outstanding_ageing(actor: Actor, f: DashboardFilter, today: date | None = None) -> Ageing:
    """The scope's outstanding balance by ageing bucket and phase, with case counts."""
    scope = resolve(actor, f, today)
    with read_session() as session:
        return ageing_in(session, scope)
