"""What a dashboard looks at (creditor, assignee, debtor kind, phases, period) and who may
see what: `reports.read` sees the whole portfolio; a collector, who lacks it, sees the
cases assigned to them (the filter is forced, not merely preset by the page)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import col

from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS, today_paris
from case_core.kernel.errors import PermissionDenied, ValidationError
from case_core.kernel.permissions import Perm, can
from case_core.models import Case, DebtorKind, Phase, Role
from case_core.reports.buckets import add_months, month_start

# A collector has no reports.read; the permission that marks their role (exporting
# their cases) opens the dashboard limited to their own portfolio.
OWN_PORTFOLIO_PERM = Perm.REPORTS_OWN
DEFAULT_MONTHS = 12
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class DashboardFilter:
    creditor_id: int | None = None
    assignee_id: int | None = None
    debtor_kind: DebtorKind | None = None
    phases: tuple[Phase, ...] = ()
    period_start: date | None = None  # inclusive; default: first day, 11 months back
    period_end: date | None = None  # inclusive; default: today


@dataclass(frozen=True)
class Scope:
    """A checked filter with its period resolved, as every query receives it."""

    creditor_id: int | None
    assignee_id: int | None
    debtor_kind: DebtorKind | None
    phases: tuple[Phase, ...]
    period_start: date
    period_end: date
    today: date
    own_portfolio: bool

    @property
    def start_instant(self) -> datetime:
        """Paris midnight opening the period, as a UTC instant."""
        return datetime.combine(self.period_start, time(), PARIS).astimezone(UTC)

    @property
    def end_instant(self) -> datetime:
        """Paris midnight after the period's last day (exclusive), as a UTC instant."""
        return datetime.combine(self.period_end + timedelta(days=1), time(), PARIS).astimezone(UTC)


def may_open(actor: Actor) -> bool:
    return can(actor, Perm.REPORTS_READ) or can(actor, OWN_PORTFOLIO_PERM)


def resolve(actor: Actor, f: DashboardFilter, today: date | None = None) -> Scope:
    """Check the actor may see the dashboard and the filter is sound; force a collector's
    filter onto their own cases."""
    if not may_open(actor):
        raise PermissionDenied(
            f"Le tableau de bord n'est pas ouvert au rôle « {Role(actor.role).label} »."
        )
    today = today or today_paris()
    end = f.period_end or today
    start = f.period_start or add_months(month_start(end), -(DEFAULT_MONTHS - 1))
    errors: dict[str, str] = {}
    if start > end:
        errors["period_start"] = "La période commence après sa fin."
    elif (end - start).days > MAX_PERIOD_DAYS:
        errors["period_start"] = "La période ne peut dépasser trois ans."
    if errors:
        raise ValidationError(errors)
    own = not can(actor, Perm.REPORTS_READ)
    if own:
        f = replace(f, assignee_id=actor.id)
    return Scope(
        creditor_id=f.creditor_id,
        assignee_id=f.assignee_id,
        debtor_kind=DebtorKind(f.debtor_kind) if f.debtor_kind else None,
        phases=tuple(Phase(p) for p in f.phases),
        period_start=start,
        period_end=end,
        today=today,
        own_portfolio=own,
    )


def case_conditions(scope: Scope) -> list[ColumnElement[bool]]:
    """Conditions on `cases` for the scope, joined by every query (the phase is the case's
    phase today, for flows too)."""
    where: list[Any] = []
    if scope.creditor_id is not None:
        where.append(col(Case.creditor_id) == scope.creditor_id)
    if scope.assignee_id is not None:
        where.append(col(Case.assignee_id) == scope.assignee_id)
    if scope.debtor_kind is not None:
        where.append(col(Case.debtor_kind) == scope.debtor_kind.value)
    if scope.phases:
        where.append(col(Case.phase).in_([p.value for p in scope.phases]))
    return where


def open_case_conditions(scope: Scope) -> list[ColumnElement[bool]]:
    """The scope's open cases (the outstanding portfolio): closed ones hold nothing due."""
    return [*case_conditions(scope), col(Case.phase) != Phase.CLOSED.value]
