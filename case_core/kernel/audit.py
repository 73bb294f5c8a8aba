"""Append-only, keyed hash chain of audit events, written in the same transaction as the
change.

Each event carries an HMAC-SHA256, under a key kept outside the database
(`config.audit_key()`), of its content and of the previous event's hash: someone who can
write the database but does not hold the key cannot recompute the chain after editing it.
A journal cut at its tail still forms a valid chain; the anchors (`anchor()`, kept outside
the database and checked by `verify_chain(..., anchor=...)`) catch that.

Events written before the chain was keyed (migration 0005) carry no `key_id` and a plain
SHA-256; they may only precede the keyed ones.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session, SQLModel, col, func, select

from case_core.kernel import config
from case_core.kernel.actor import Actor
from case_core.kernel.bulk import table_of
from case_core.kernel.errors import CaseError
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


@dataclass(frozen=True)
class SigningKey:
    secret: bytes
    # A fingerprint stored with each event, so that verification names a wrong key plainly.
    key_id: str

    def __repr__(self) -> str:  # the secret must never reach a log or a traceback
        return f"SigningKey(key_id={self.key_id!r})"


@functools.lru_cache(maxsize=8)
def _key_from(secret: bytes) -> SigningKey:
    key_id = hmac.new(secret, b"casedesk audit key id", hashlib.sha256).hexdigest()[:16]
    return SigningKey(secret, key_id)


def signing_key() -> SigningKey:
    """The configured key (environment or key file), read each time so that a change of
    configuration applies; its fingerprint is cached."""
    try:
        return _key_from(config.audit_key())
    except config.AuditKeyError as exc:
        raise CaseError(str(exc)) from None


class KeyMismatch(CaseError):
    """This process's audit key is not the one that signed the journal."""


class _Fields(SimpleNamespace):
    """The columns of an audit event about to be bulk-inserted (see record_many)."""


def _payload(event: AuditEvent | _Fields) -> bytes:
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
    if event.key_id is not None:
        payload["key_id"] = event.key_id
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return canonical.encode()


def _event_hash(event: AuditEvent | _Fields, key: SigningKey | None) -> str:
    """HMAC-SHA256 for a keyed event; plain SHA-256 for one from before the key."""
    if event.key_id is None:
        return hashlib.sha256(_payload(event)).hexdigest()
    assert key is not None and key.key_id == event.key_id
    return hmac.new(key.secret, _payload(event), hashlib.sha256).hexdigest()


# session.info key: (transaction, hash of the last event this transaction appended).
_CHAIN_TIP = "audit_chain_tip"


ACTOR_LABEL_MAX = 254


def actor_label(actor: Actor) -> str:
    """« Name <email> », or the email alone when both exceed the column: the account itself
    (actor_id, chained) and its full name stay in the users table."""
    label = actor.label
    return label if len(label) <= ACTOR_LABEL_MAX else actor.email[:ACTOR_LABEL_MAX]


def _mismatch(journal_key_id: str, key: SigningKey) -> KeyMismatch:
    return KeyMismatch(
        "La clé du journal d'audit de cette instance (empreinte "
        f"{key.key_id}) n'est pas celle qui a signé le journal (empreinte {journal_key_id}) : "
        "configurez la même CASEDESK_AUDIT_KEY sur chaque instance et pour la ligne de "
        "commande. Rien n'a été enregistré."
    )


def _last_hash(session: Session, key: SigningKey) -> str:
    # Once a transaction has appended an event it holds the chain's lock (the SQLite write
    # lock, or the PostgreSQL advisory lock) until it ends, so the tip it wrote is still
    # the tip: a bulk action pays the lock and the lookup once, not once per event.
    # (No service uses savepoints, which could otherwise drop an event behind our back.)
    tip = session.info.get(_CHAIN_TIP)
    if tip is not None and tip[0] is session.get_transaction():
        return str(tip[1])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK_KEY})
    last = session.exec(
        select(AuditEvent.hash, AuditEvent.key_id).order_by(AuditEvent.id.desc()).limit(1)  # type: ignore[union-attr]
    ).first()
    if last is None:
        return GENESIS_HASH
    # A replica with another key would fork the chain into a part nobody can verify.
    if last[1] is not None and last[1] != key.key_id:
        raise _mismatch(last[1], key)
    return str(last[0])


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
    key = signing_key()
    session.flush()  # entity ids assigned by the database are known from here
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.id,
        actor_label=actor_label(actor),
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        case_id=case_id,
        changes=json.dumps(changes or {}, sort_keys=True, ensure_ascii=False, default=str),
        prev_hash=_last_hash(session, key),
        hash="",  # set below, from the other fields
        key_id=key.key_id,
    )
    event.hash = _event_hash(event, key)
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
    key = signing_key()
    session.flush()
    prev = _last_hash(session, key)
    now = utcnow()
    label = actor_label(actor)
    rows: list[dict[str, Any]] = []
    for item in pending:
        # A plain namespace with the event's fields, not an AuditEvent: building thousands
        # of table models (attribute instrumentation on every field) was most of a bulk
        # import's audit time; the hash reads the same fields either way.
        event = _Fields(
            occurred_at=now,
            actor_id=actor.id,
            actor_label=label,
            action=item.action,
            entity_type=item.entity_type,
            entity_id=None if item.entity_id is None else str(item.entity_id),
            case_id=item.case_id,
            changes=json.dumps(item.changes or {}, sort_keys=True, ensure_ascii=False, default=str),
            prev_hash=prev,
            hash="",  # set below, chained to the previous one
            key_id=key.key_id,
        )
        event.hash = prev = _event_hash(event, key)
        rows.append(vars(event))
    # Ids follow insertion order, which is the chain's order.
    session.execute(insert(table_of(AuditEvent)), rows)
    session.info[_CHAIN_TIP] = (session.get_transaction(), prev)
    return len(rows)


@dataclass(frozen=True)
class Anchor:
    """The journal's head at some moment: how many events, and the last one's hash."""

    count: int
    hash: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Anchor:
        count, sep, digest = text.strip().partition(":")
        if not sep or not count.isdigit() or len(digest) != 64:
            raise CaseError(f"Ancre illisible : « {text} » (attendu NOMBRE:HASH).")
        return cls(int(count), digest.lower())


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at_id: int | None = None
    reason: str | None = None
    unkeyed: int = 0  # events from before the chain was keyed
    head: Anchor | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


def anchor(session: Session) -> Anchor:
    """The current head, to keep outside the database (see README, « Ancres »)."""
    last = session.exec(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)  # type: ignore[union-attr]
    ).first()
    count = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return Anchor(int(count), last or GENESIS_HASH)


def verify_chain(
    session: Session, batch: int = 5000, *, anchors: tuple[Anchor, ...] = ()
) -> ChainReport:
    """Walk the chain in order; report the first event whose link or content was altered,
    or the first anchor the journal no longer contains (a journal cut at its tail)."""
    key = signing_key()
    expected: dict[int, Anchor] = {a.count: a for a in anchors}
    expected_prev = GENESIS_HASH
    checked = unkeyed = 0
    keyed_seen = False
    last_id = 0

    def broken(event: AuditEvent, reason: str) -> ChainReport:
        return ChainReport(checked, event.id, reason, unkeyed)

    while True:
        rows = session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.id) > last_id)
            .order_by(col(AuditEvent.id))
            .limit(batch)
        ).all()
        if not rows:
            break
        for event in rows:
            if event.prev_hash != expected_prev:
                return broken(event, "lien rompu : le hash précédent ne correspond pas")
            if event.key_id is None:
                if keyed_seen:
                    return broken(event, "événement non signé après le début de la signature")
                unkeyed += 1
            elif event.key_id != key.key_id:
                return broken(
                    event,
                    f"signé avec une autre clé (empreinte {event.key_id}) que celle "
                    f"configurée (empreinte {key.key_id})",
                )
            else:
                keyed_seen = True
            if not hmac.compare_digest(_event_hash(event, key), event.hash):
                return broken(event, "contenu modifié : le hash ne correspond plus")
            expected_prev = event.hash
            checked += 1
            last_id = event.id or last_id
            kept = expected.get(checked)
            if kept is not None and kept.hash != event.hash:
                return broken(event, f"l'événement n° {checked} n'est plus celui de l'ancre {kept}")
    head = Anchor(checked, expected_prev)
    beyond = [a for a in anchors if a.count > checked]
    if beyond:
        first = min(beyond, key=lambda a: a.count)
        return ChainReport(
            checked,
            None,
            f"journal tronqué : l'ancre {first} désigne l'événement n° {first.count}, "
            f"le journal n'en compte plus que {checked}",
            unkeyed,
            head,
        )
    return ChainReport(checked, None, None, unkeyed, head)


def case_history(session: Session, case_id: int, limit: int = 200) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.case_id == case_id)
            .order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
            .limit(limit)
        ).all()
    )
