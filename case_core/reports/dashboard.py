"""The whole dashboard in one read: every figure of a scope from one session, so that a
page run computes each once, on one connection and one consistent snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.permissions import CASE_HOLDER_ROLES
from case_core.models import AuditEvent, Case, Party, User
from case_core.reports.activity import Activity, activity_in
from case_core.reports.ageing import Ageing, ageing_in
from case_core.reports.board_cache import FigureCache, Kept
from case_core.reports.cash import CashMonth, ForecastMonth, cash_months_in, forecast_in
from case_core.reports.cohorts import Cohort, cohorts_in
from case_core.reports.filters import DashboardFilter, Scope, resolve
from case_core.reports.handovers import Handovers, handovers_in
from case_core.reports.kpis import (
    CeiMonth,
    CreditorDso,
    PlanCount,
    Risks,
    cei_in,
    dso_in,
    plans_in,
    risks_in,
)
from case_core.reports.mediations import MediationFigures, mediations_in
from case_core.reports.promises import CollectorPromises, promises_in


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    ageing: Ageing
    cash: list[CashMonth]
    forecast: list[ForecastMonth]
    cohorts: list[Cohort]
    promises: list[CollectorPromises]
    activity: Activity
    dso: list[CreditorDso]
    cei: list[CeiMonth]
    plans: list[PlanCount]
    risks: Risks
    mediations: MediationFigures
    handovers: Handovers


@dataclass(frozen=True)
class Choices:
    creditors: list[tuple[int, str]]
    assignees: list[tuple[int, str]]


def build_dashboard(actor: Actor, f: DashboardFilter, today: date | None = None) -> Dashboard:
    return dashboard_of(resolve(actor, f, today))


def dashboard_of(scope: Scope) -> Dashboard:
    """The figures of a scope `resolve` checked: they depend on the scope alone (not on who
    asks), so two managers with the same filters can share one computation."""
    with read_session() as session:
        plans = plans_in(session, scope)
        return Dashboard(
            scope=scope,
            ageing=ageing_in(session, scope),
            cash=cash_months_in(session, scope),
            forecast=forecast_in(session, scope),
            cohorts=cohorts_in(session, scope),
            promises=promises_in(session, scope),
            activity=activity_in(session, scope),
            dso=dso_in(session, scope),
            cei=cei_in(session, scope),
            plans=plans,
            risks=risks_in(session, scope, plans),
            mediations=mediations_in(session, scope),
            handovers=handovers_in(session, scope),
        )


def filter_choices(actor: Actor) -> Choices:
    """Creditors of some case and the users who can hold cases, for the filters (a
    collector's own portfolio offers only them as assignee)."""
    scope = resolve(actor, DashboardFilter())
    with read_session() as session:
        creditors = session.execute(
            select(col(Party.id), col(Party.display_name))
            .where(col(Party.id).in_(select(col(Case.creditor_id)).distinct()))
            .order_by(col(Party.display_name))
        ).all()
        holders = select(col(User.id), col(User.full_name)).where(
            col(User.role).in_(CASE_HOLDER_ROLES)
        )
        if scope.own_portfolio:
            holders = holders.where(col(User.id) == actor.id)
        assignees = session.execute(holders.order_by(col(User.full_name))).all()
    return Choices([(int(i), n) for i, n in creditors], [(int(i), n) for i, n in assignees])


# Sign-ins write audit events but change no figure: they leave the cached figures alone.
FIGURE_NEUTRAL_PREFIX = "auth."


@dataclass(frozen=True)
class DataVersions:
    newest: int  # the newest write of anyone
    own: int  # the newest write of the user asking


def _newest_event(session: Session, actor_id: int | None = None) -> int:
    """Read from the newest event back: it stops at the first that is not a sign-in, a
    few rows at most (through the actor index for one user's)."""
    query = select(col(AuditEvent.id)).where(
        col(AuditEvent.action).not_like(f"{FIGURE_NEUTRAL_PREFIX}%")
    )
    if actor_id is not None:
        query = query.where(col(AuditEvent.actor_id) == actor_id)
    return int(session.execute(query.order_by(col(AuditEvent.id).desc()).limit(1)).scalar() or 0)


def data_versions(actor_id: int | None) -> DataVersions:
    """The newest audit event's id, sign-ins aside, of anyone and of one user. Every write
    records one in its own transaction: figures computed at a version hold every write up
    to it."""
    with read_session() as session:
        newest = _newest_event(session)
        own = _newest_event(session, actor_id) if actor_id is not None else 0
        return DataVersions(newest, own)


# The figures of each (database, scope), kept in the app process (see board_cache).
BOARD: FigureCache[tuple[str, Scope], Dashboard] = FigureCache(lambda key: dashboard_of(key[1]))


def kept_dashboard(
    database: str, scope: Scope, versions: DataVersions, force: bool = False
) -> Kept[Dashboard]:
    """The figures of a scope `resolve` checked, by board_cache's rule of freshness."""
    return BOARD.get((database, scope), versions.newest, versions.own, force)
