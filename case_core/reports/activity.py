"""Collectors' activity: contacts per collector, day, channel and outcome; the
right-party contact rate; cases left without contact.

A contact that a later entry corrects is not counted (the correction is). The per-day
breakdown covers the period's last 31 days; the per-collector figures the whole period.
Days are UTC days: contacts are logged in office hours, when the UTC and Paris days agree.
Right-party contact: a call (outgoing or incoming) that reached the debtor — the person
reached is the debtor and the outcome is not one of the unanswered ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, cast, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS
from case_core.kernel.db import read_session
from case_core.models import Case, Channel, ContactEvent, ContactOutcome, PersonReached, User
from case_core.reports.buckets import rate
from case_core.reports.filters import (
    DashboardFilter,
    Scope,
    case_conditions,
    open_case_conditions,
    resolve,
)

CALLS = (Channel.CALL_OUT.value, Channel.CALL_IN.value)
UNANSWERED = (
    ContactOutcome.NO_ANSWER.value,
    ContactOutcome.VOICEMAIL.value,
    ContactOutcome.WRONG_NUMBER.value,
)
SILENCE_DAYS = 30
# Per day, channel and outcome over a whole year is tens of thousands of groups: the
# breakdown covers the period's last days, the per-collector totals the whole period.
DAILY_DAYS = 31


@dataclass(frozen=True)
class DailyContacts:
    day: date
    collector_id: int
    collector: str
    channel: Channel
    outcome: ContactOutcome
    contacts: int


@dataclass(frozen=True)
class CollectorActivity:
    collector_id: int
    collector: str
    contacts: int
    calls: int
    right_party_calls: int

    @property
    def right_party_rate(self) -> float | None:
        return rate(self.right_party_calls, self.calls)


@dataclass(frozen=True)
class Silence:
    cases: int
    balance_cents: int
    never_contacted: int


@dataclass(frozen=True)
class Activity:
    daily: list[DailyContacts]
    collectors: list[CollectorActivity]
    silence: Silence

    def per_day_and_channel(self) -> list[tuple[date, Channel, int]]:
        """Contacts per day and channel, every collector and outcome together."""
        totals: dict[tuple[date, Channel], int] = {}
        for d in self.daily:
            totals[(d.day, d.channel)] = totals.get((d.day, d.channel), 0) + d.contacts
        return [(day, channel, n) for (day, channel), n in sorted(totals.items())]


def _day(column: Any, dialect: str) -> Any:
    return func.date(column) if dialect == "sqlite" else cast(column, Date)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _counted_contacts(scope: Scope, since: datetime) -> Any:
    """The scope's contacts from `since` to the period's end, corrected entries left out."""
    later = aliased(ContactEvent)
    # Uncorrelated: evaluated once (no index on corrects_event_id), not once per contact.
    corrected = select(col(later.corrects_event_id)).where(
        col(later.corrects_event_id).is_not(None)
    )
    query = select(ContactEvent).where(
        col(ContactEvent.occurred_at) >= since,
        col(ContactEvent.occurred_at) < scope.end_instant,
        col(ContactEvent.id).not_in(corrected),
    )
    conditions = case_conditions(scope)
    if conditions:  # the join costs a lookup per contact: only when a case filter needs it
        query = query.join(Case, col(Case.id) == col(ContactEvent.case_id)).where(*conditions)
    return query.subquery("counted")


def daily_window(scope: Scope) -> tuple[date, date]:
    """The days the per-day breakdown covers: the period's last DAILY_DAYS days."""
    return max(
        scope.period_start, scope.period_end - timedelta(days=DAILY_DAYS - 1)
    ), scope.period_end


def activity_in(session: Session, scope: Scope) -> Activity:
    dialect = session.get_bind().dialect.name
    names = dict(session.execute(select(col(User.id), col(User.full_name))).all())
    first_day, _last = daily_window(scope)
    recent = _counted_contacts(scope, datetime.combine(first_day, time(), PARIS)).c
    day = _day(recent.occurred_at, dialect).label("day")
    daily = [
        DailyContacts(
            _as_date(d), int(a), names.get(int(a), "?"), Channel(ch), ContactOutcome(o), int(n)
        )
        for d, a, ch, o, n in session.execute(
            select(day, recent.author_id, recent.channel, recent.outcome, func.count())
            .group_by(day, recent.author_id, recent.channel, recent.outcome)
            .order_by(day, recent.author_id)
        ).all()
    ]
    c = _counted_contacts(scope, scope.start_instant).c
    is_call = c.channel.in_(CALLS)
    right_party = (
        is_call & (c.person_reached == PersonReached.DEBTOR.value) & c.outcome.not_in(UNANSWERED)
    )
    collectors = [
        CollectorActivity(int(a), names.get(int(a), "?"), int(n), int(calls or 0), int(rpc or 0))
        for a, n, calls, rpc in session.execute(
            select(
                c.author_id,
                func.count(),
                func.sum(sql_case((is_call, 1), else_=0)),
                func.sum(sql_case((right_party, 1), else_=0)),
            ).group_by(c.author_id)
        ).all()
    ]
    collectors.sort(key=lambda x: x.collector)
    limit = datetime.combine(scope.today - timedelta(days=SILENCE_DAYS), time(), PARIS)
    never = col(Case.last_contact_at).is_(None)
    silent = never | (col(Case.last_contact_at) < limit)
    cases, balance, never_count = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(col(Case.balance_cents)), 0),
            func.coalesce(func.sum(sql_case((never, 1), else_=0)), 0),
        ).where(silent, col(Case.balance_cents) > 0, *open_case_conditions(scope))
    ).one()
    return Activity(daily, collectors, Silence(int(cases), int(balance), int(never_count)))


def collector_activity(actor: Actor, f: DashboardFilter, today: date | None = None) -> Activity:
    scope = resolve(actor, f, today)
    with read_session() as session:
        return activity_in(session, scope)
