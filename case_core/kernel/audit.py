"""Append-only, hash-chained audit trail, written in the same transaction as the change."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session, SQLModel, select

from case_core.kernel.actor import Actor
from case_core.models import AuditEvent, utcnow

GENESIS_HASH = "0" * 64
# Serialises writers of the chain on PostgreSQL (SQLite already has one writer at a time).
CHAIN_LOCK_KEY = 74_617_002

Changes = dict[str, dict[str, Any]]


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} octets>"
    return value


def snapshot(obj: SQLModel, fields: list[str] | None = None) -> dict[str, Any]:
    """The current values of `fields` (default: every column) as JSON-ready values."""
    names = fields or list(type(obj).model_fields)
    return {name: to_jsonable(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> Changes:
    """Only the fields whose value changed, with their before and after."""
    keys = dict.fromkeys([*before, *after])
    return {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    }


def created(obj: SQLModel, exclude: tuple[str, ...] = ()) -> Changes:
    return {k: {"before": None, "after": v} for k, v in snapshot(obj).items() if k not in exclude}


def _event_hash(event: AuditEvent) -> str:
    payload = {
        "prev": event.prev_hash,
        "at": to_jsonable(event.occurred_at),
        "actor_id": event.actor_id,
        "actor": event.actor_label,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "case_id": event.case_id,
        "changes": event.changes,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# session.info key: (transaction, hash of the last event this transaction appended).
_CHAIN_TIP = "audit_chain_tip"


def _last_hash(session: Session) -> str:
    # Once a transaction has appended an event it holds the chain's lock (the SQLite write
    # lock, or the PostgreSQL advisory lock) until it ends, so the tip it wrote is still
    # the tip: a bulk action pays the lock and the lookup once, not once per event.
    # (No service uses savepoints, which could otherwise drop an event behind our back.)
    tip = session.info.get(_CHAIN_TIP)
    if tip is not None and tip[0] is session.get_transaction():
        return str(tip[1])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK_KEY})
    last = session.exec(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()  # type: ignore[union-attr]
    return last or GENESIS_HASH


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: Any = None,
    changes: Changes | None = None,
    case_id: int | None = None,
) -> AuditEvent:
    """Append one audit event in the caller's transaction."""
    session.flush()  # entity ids assigned by the database are known from here
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.id,
        actor_label=actor.label,
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        case_id=case_id,
        changes=json.dumps(changes or {}, sort_keys=True, ensure_ascii=False, default=str),
        prev_hash=_last_hash(session),
    )
    event.hash = _event_hash(event)
    session.add(event)
    session.flush()
    session.info[_CHAIN_TIP] = (session.get_transaction(), event.hash)
    return event


@dataclass(frozen=True)
class PendingEvent:
    """One event of a bulk write (see record_many)."""

    action: str
    entity_type: str
    entity_id: Any = None
    changes: Changes | None = None
    case_id: int | None = None


def record_many(session: Session, actor: Actor, pending: list[PendingEvent]) -> int:
    """Append many events in one INSERT, chained in order (bulk loads: demo, imports)."""
    if not pending:
        return 0
    session.flush()
    prev = _last_hash(session)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for item in pending:
        event = AuditEvent(
            occurred_at=now,
            actor_id=actor.id,
            actor_label=actor.label,
            action=item.action,
            entity_type=item.entity_type,
            entity_id=None if item.entity_id is None else str(item.entity_id),
            case_id=item.case_id,
            changes=json.dumps(item.changes or {}, sort_keys=True, ensure_ascii=False, default=str),
            prev_hash=prev,
        )
        event.hash = prev = _event_hash(event)
        rows.append({c: getattr(event, c) for c in AuditEvent.model_fields if c != "id"})
    # Ids follow insertion order, which is the chain's order.
    session.execute(insert(AuditEvent), rows)
    session.info[_CHAIN_TIP] = (session.get_transaction(), prev)
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at_id: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at_id is None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first event whose link or content was altered."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        rows = session.exec(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)  # type: ignore[arg-type]
        ).all()
        if not rows:
            return ChainReport(checked=checked)
        for event in rows:
            if event.prev_hash != expected_prev:
                return ChainReport(
                    checked, event.id, "lien rompu : le hash précédent ne correspond pas"
                )
            if _event_hash(event) != event.hash:
                return ChainReport(
                    checked, event.id, "contenu modifié : le hash ne correspond plus"
                )
            expected_prev = event.hash
            checked += 1
            last_id = event.id or last_id


def case_history(session: Session, case_id: int, limit: int = 200) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.case_id == case_id)
            .order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
            .limit(limit)
        ).all()
    )
