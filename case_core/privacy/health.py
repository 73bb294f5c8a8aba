"""The « Santé » page's figures: database reachable, migrations at head, counts, last
backup and last anchor (recorded in the audit trail by `casedesk backup` and `casedesk audit
anchor`), audit chain status, rates missing up to today. Each item is read on its own: one
that fails is shown failed, the others still come."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, text
from sqlmodel import SQLModel, col, select

from case_core import migrations
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import change
from case_core.models import AuditEvent, Case, ContactEvent, Document, Party, Payment, User
from case_core.statement.rates import missing_rate_semesters

BACKUP_ACTION = "ops.backup"
ANCHOR_ACTION = "ops.anchor"
COUNTED: dict[str, type[SQLModel]] = {
    "Dossiers": Case,
    "Personnes": Party,
    "Paiements": Payment,
    "Entrées du journal": ContactEvent,
    "Documents": Document,
    "Utilisateurs": User,
    "Événements d'audit": AuditEvent,
}


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Operation:
    at: datetime
    by: str
    details: dict[str, Any]


@dataclass(frozen=True)
class Health:
    checks: list[Check]
    counts: dict[str, int] = field(default_factory=dict)
    last_backup: Operation | None = None
    last_anchor: Operation | None = None
    missing_rates: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def record_operation(actor: Actor, action: str, details: dict[str, Any]) -> None:
    """Note in the audit trail that an operation ran (a backup, an anchor), with its
    details (a file name, a size: nothing about a person)."""
    with change(actor, Perm.USERS_MANAGE, action) as uow:
        uow.event(
            audit.PendingEvent(
                action,
                "operation",
                None,
                {k: {"before": None, "after": v} for k, v in details.items()},
            )
        )


def _last_operation(action: str) -> Operation | None:
    with read_session() as session:
        row = session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == action)
            .order_by(col(AuditEvent.id).desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    changes = json.loads(row.changes or "{}")
    return Operation(
        row.occurred_at,
        row.actor_label,
        {k: v.get("after") if isinstance(v, dict) else v for k, v in changes.items()},
    )


def _attempt(label: str, run: Callable[[], str]) -> Check:
    try:
        return Check(label, True, run())
    except Exception as exc:  # a health page reports what fails instead of failing
        return Check(label, False, f"{type(exc).__name__} : {exc}")


def _database() -> str:
    with read_session() as session:
        session.execute(text("SELECT 1"))
        return f"joignable ({session.get_bind().dialect.name})"


def _migrations() -> str:
    current, head = migrations.current_revision(), migrations.head_revision()
    if current != head:
        raise RuntimeError(f"base en révision {current}, code en révision {head}")
    return f"à jour (révision {head})"


def _chain() -> str:
    with read_session() as session:
        report = audit.verify_chain(session)
    if not report.ok:
        raise RuntimeError(
            f"rompue à l'événement n° {report.broken_at_id} : {report.reason or ''}".strip()
        )
    return f"intègre ({report.checked} événements vérifiés)"


def health(actor: Actor) -> Health:
    require(actor, Perm.USERS_MANAGE)
    checks = [_attempt("Base de données", _database)]
    if not checks[0].ok:
        return Health(checks)
    checks.append(_attempt("Migrations", _migrations))
    checks.append(_attempt("Journal d'audit", _chain))
    with read_session() as session:
        counts = {
            label: int(session.exec(select(func.count()).select_from(model)).one())
            for label, model in COUNTED.items()
        }
    missing = [m.label for m in missing_rate_semesters()]
    checks.append(
        Check(
            "Taux publiés",
            not missing,
            "tous saisis jusqu'à aujourd'hui" if not missing else f"{len(missing)} manquant(s)",
        )
    )
    backup = _last_operation(BACKUP_ACTION)
    checks.append(
        Check(
            "Sauvegarde",
            backup is not None,
            "aucune sauvegarde enregistrée (`casedesk backup`)" if backup is None else "faite",
        )
    )
    return Health(checks, counts, backup, _last_operation(ANCHOR_ACTION), missing)
