"""Promises to pay per collector: made, kept, partly kept, broken, still open, kept rate.

The status is journal.promises.status_of, the one rule: it reads three comparisons of a
promise's figures (paid against the total, paid against what is due past grace, paid
above zero). SQL counts the promises of each collector per combination of those
comparisons, and status_of names each combination, so no second copy of the rule exists.
Promises made within the period (by their author), cancelled ones left out; the status
is as of today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlmodel import Session, col

from case_core.journal.promises import PromiseStatus, grace_cutoff, promise_figures, status_of
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import Case, Promise, User
from case_core.reports.buckets import rate
from case_core.reports.filters import DashboardFilter, Scope, case_conditions, resolve


@dataclass(frozen=True)
class CollectorPromises:
    collector_id: int
    collector: str
    counts: dict[PromiseStatus, int]
    promised_cents: int
    paid_cents: int  # received against them, each capped at its total

    @property
    def made(self) -> int:
        return sum(self.counts.values())

    @property
    def kept_rate(self) -> float | None:
        """Kept over the promises already decided (kept, partly kept or broken)."""
        decided = self.made - self.counts.get(PromiseStatus.OPEN, 0)
        return rate(self.counts.get(PromiseStatus.KEPT, 0), decided)


def status_for(fully_paid: bool, short_of_due: bool, something_paid: bool) -> PromiseStatus:
    """status_of on figures standing in for one combination of its comparisons."""
    paid = 1 if something_paid else 0
    total = paid if fully_paid else paid + 1
    due_past = paid + 1 if short_of_due else paid
    return status_of(total, due_past, paid)


def flag(condition: Any) -> Any:
    return sql_case((condition, 1), else_=0)


def promises_in(session: Session, scope: Scope) -> list[CollectorPromises]:
    figures = (
        promise_figures(grace_cutoff(session, scope.today))
        .add_columns(col(Promise.created_by_id).label("author"))
        .join(Case, col(Case.id) == col(Promise.case_id))
        .where(
            col(Promise.created_at) >= scope.start_instant,
            col(Promise.created_at) < scope.end_instant,
            *case_conditions(scope),
        )
        .subquery("figures")
    )
    c = figures.c
    keys = (flag(c.paid >= c.total), flag(c.paid < c.due_past), flag(c.paid > 0))
    rows = session.execute(
        select(
            c.author,
            *keys,
            func.count(),
            func.coalesce(func.sum(c.total), 0),
            # What the promises received, each capped at what it promised.
            func.coalesce(func.sum(sql_case((c.paid > c.total, c.total), else_=c.paid)), 0),
        ).group_by(c.author, *keys)
    ).all()
    names = dict(session.execute(select(col(User.id), col(User.full_name))).all())
    out: dict[int, CollectorPromises] = {}
    for author, full, short, some, count, total, paid in rows:
        status = status_for(bool(full), bool(short), bool(some))
        current = out.get(int(author)) or CollectorPromises(
            int(author), names.get(int(author), "?"), {}, 0, 0
        )
        counts = dict(current.counts)
        counts[status] = counts.get(status, 0) + int(count)
        out[int(author)] = CollectorPromises(
            current.collector_id,
            current.collector,
            counts,
            current.promised_cents + int(total),
            current.paid_cents + int(paid),
        )
    return sorted(out.values(), key=lambda p: p.collector)


def promises_by_collector(
    actor: Actor, f: DashboardFilter, today: date | None = None
) -> list[CollectorPromises]:
    scope = resolve(actor, f, today)
    with read_session() as session:
        return promises_in(session, scope)
