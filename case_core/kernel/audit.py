"""Append-only, keyed hash chain of audit events, written in the same transaction as the
change.

Each event carries an HMAC-SHA256, under a key kept outside the database
(`config.audit_key()`), of its content and of the previous event's hash: someone who can
write the database but does not hold the key cannot recompute the chain after editing it.
A journal cut at its tail still forms a valid chain; the anchors (`anchor()`, kept outside
the database and checked by `verify_chain(..., anchor=...)`) catch that.

Events written before the chain was keyed (migration 0005) carry no `key_id` and a plain
SHA-256; they may only precede the keyed ones.

Personal values (the columns of models.personal.PERSONAL_FIELDS: names, contact and bank
data, free text) never enter the chained part. In an event's `changes` each one is replaced
by `{"hmac": DIGEST}`, an HMAC under the audit key of a random salt and the value, truncated
to 128 bits; the value and its salt go to `audit_values`, which is not chained. An
anonymisation (`erase_values`) deletes value and salt: the chain still verifies, and the
digest left in it can no longer be tested against a guess, even with the key. `verify_chain`
also checks every value still held against its digest: a value changed in the database
(other than erased) is reported like a broken link. Readers get the values back through
`readable_changes` (« [effacé] » once erased).

Events written before migration 0012 hold their values in the chained part and keep them:
rewriting them would break the chain (see README, « Journal d'audit »).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, Table, insert, text, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, func, select

from case_core.kernel import config
from case_core.kernel.actor import Actor
from case_core.kernel.errors import CaseError
from case_core.models import AuditEvent, AuditValue, utcnow
from case_core.models.personal import ANY_PERSONAL, PERSONAL_FIELDS

GENESIS_HASH = "0" * 64
# Serialises writers of the chain on PostgreSQL (SQLite already has one writer at a time).
CHAIN_LOCK_KEY = 74_617_002

Changes = dict[str, dict[str, Any]]

# How an event names the entity of a table, where dropping the plural « s » is not enough.
ENTITY_TYPES = {
    "cases": "case",
    "parties": "party",
    "recovery_costs": "recovery_cost",
    "instalment_plans": "instalment_plan",
    "contact_events": "contact",
    "app_settings": "setting",
}


def table_entity_type(table: str) -> str:
    return ENTITY_TYPES.get(table, table.removesuffix("s"))


_PERSONAL_BY_ENTITY = {table_entity_type(t): names for t, names in PERSONAL_FIELDS.items()}

# In a chained `changes`, what stands for a personal value kept in audit_values.
VALUE_MARK = "hmac"
ERASED = "[effacé]"
MISSING = "[valeur absente]"


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


_CHAINED = (
    "prev_hash",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "entity_type",
    "entity_id",
    "case_id",
    "changes",
    "key_id",
)


def _payload(event: AuditEvent) -> bytes:
    return _payload_of({name: getattr(event, name) for name in _CHAINED})


def _payload_of(event: dict[str, Any]) -> bytes:
    """The chained content of an event (its columns, as a mapping)."""
    payload = {
        "prev": event["prev_hash"],
        "at": to_jsonable(event["occurred_at"]),
        "actor_id": event["actor_id"],
        "actor": event["actor_label"],
        "action": event["action"],
        "entity_type": event["entity_type"],
        "entity_id": event["entity_id"],
        "case_id": event["case_id"],
        "changes": event["changes"],
    }
    if event["key_id"] is not None:
        payload["key_id"] = event["key_id"]
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return canonical.encode()


def _event_hash(event: AuditEvent, key: SigningKey | None) -> str:
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


@dataclass
class _Sealer:
    """Replaces the personal values of one event's changes by their digests and keeps the
    values aside (for audit_values)."""

    key: SigningKey
    values: list[dict[str, Any]] = field(default_factory=list)

    def seal(self, entity: str, changes: Changes) -> Changes:
        personal = _PERSONAL_BY_ENTITY.get(entity, frozenset())
        sealed: Changes = {}
        for name, entry in changes.items():
            if name in personal and _is_change(entry):
                sealed[name] = {side: self._value(name, v) for side, v in entry.items()}
            else:
                # Nested changes (an import's claims updated, keyed by invoice number).
                sealed[name] = self._walk(name, entry)
        return sealed

    def _walk(self, top: str, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: {side: self._value(top, x) for side, x in v.items()}
                if k in ANY_PERSONAL and _is_change(v)
                else self._walk(top, v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self._walk(top, v) for v in value]
        return value

    def _value(self, top: str, value: Any) -> Any:
        if value is None or value == "":
            return value
        salt = os.urandom(16)
        stored = _canonical(value)
        digest = _value_digest(self.key, salt, stored)
        self.values.append({"field": top, "digest": digest, "value": stored, "salt": salt.hex()})
        return {VALUE_MARK: digest}


def _is_change(value: Any) -> bool:
    return isinstance(value, dict) and "after" in value and set(value) <= {"before", "after"}


# Built once: json.dumps with options builds an encoder per call (bulk imports seal many).
_CANONICAL = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
).encode


def _canonical(value: Any) -> str:
    return _CANONICAL(value)


def _value_digest(key: SigningKey, salt: bytes, stored: str) -> str:
    message = b"casedesk audit value\x00" + salt + stored.encode()
    return hmac.digest(key.secret, message, "sha256").hex()[:32]


# How a digest reads in a chained `changes` (json.dumps' default separators, as written).
_MARK = re.compile(r'\{"' + VALUE_MARK + r'": "([0-9a-f]{32})"\}')


def _marks(changes: str) -> set[str]:
    """The digests a chained `changes` names (read from its text: verify reads them all)."""
    return set(_MARK.findall(changes))


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
    sealer = _Sealer(key)
    changes = sealer.seal(entity_type, changes or {})
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.id,
        actor_label=actor_label(actor),
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        case_id=case_id,
        changes=json.dumps(changes, sort_keys=True, ensure_ascii=False, default=str),
        prev_hash=_last_hash(session, key),
        hash="",  # set below, from the other fields
        key_id=key.key_id,
    )
    event.hash = _event_hash(event, key)
    session.add(event)
    session.flush()
    if sealer.values:
        session.execute(insert(_VALUES), [{"event_id": event.id, **v} for v in sealer.values])
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
    values: dict[str, list[dict[str, Any]]] = {}  # event hash -> its personal values
    for item in pending:
        sealer = _Sealer(key)
        changes = sealer.seal(item.entity_type, item.changes or {})
        # A plain mapping, not an AuditEvent: building model objects was most of the cost
        # of a bulk import's journal.
        row: dict[str, Any] = {
            "occurred_at": now,
            "actor_id": actor.id,
            "actor_label": label,
            "action": item.action,
            "entity_type": item.entity_type,
            "entity_id": None if item.entity_id is None else str(item.entity_id),
            "case_id": item.case_id,
            "changes": json.dumps(changes, sort_keys=True, ensure_ascii=False, default=str),
            "prev_hash": prev,
            "key_id": key.key_id,
        }
        row["hash"] = prev = hmac.new(key.secret, _payload_of(row), hashlib.sha256).hexdigest()
        rows.append(row)
        if sealer.values:
            values[row["hash"]] = sealer.values
    # Ids follow insertion order, which is the chain's order.
    session.execute(insert(AuditEvent), rows)
    if values:
        # The values name their event by id: read back by hash (unique), not by RETURNING,
        # which SQLite can only keep in order one row at a time.
        hashes = list(values)
        kept: list[dict[str, Any]] = []
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            for event_id, digest in session.execute(
                sa_select(col(AuditEvent.id), col(AuditEvent.hash)).where(
                    col(AuditEvent.hash).in_(chunk)
                )
            ):
                kept.extend({"event_id": event_id, **v} for v in values[digest])
        session.execute(insert(_VALUES), kept)
    session.info[_CHAIN_TIP] = (session.get_transaction(), prev)
    return len(rows)


def erase_values(
    session: Session, events: ColumnElement[bool], keep_fields: frozenset[str] = frozenset()
) -> int:
    """Erase the personal values of the events matching `events` (but those of the fields
    in `keep_fields`), inside the caller's write (an anonymisation): value and salt go, the
    digest stays in the chain, which still verifies. Returns how many values were erased."""
    query = update(AuditValue).where(
        col(AuditValue.event_id).in_(select(col(AuditEvent.id)).where(events)),
        col(AuditValue.erased_at).is_(None),
    )
    if keep_fields:
        query = query.where(col(AuditValue.field).not_in(sorted(keep_fields)))
    result = session.execute(
        query.values(value=None, salt=None, erased_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0) or 0)


# Core, not ORM objects: verify reads every value of the journal.
_VALUES: Table = SQLModel.metadata.tables[AuditValue.__tablename__]


def _value_rows() -> Select[Any]:
    columns = ("event_id", "field", "digest", "value", "salt", "erased_at")
    return sa_select(*(_VALUES.c[name] for name in columns))


def _reveal(value: Any, held: dict[str, Row[Any]]) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get(VALUE_MARK), str):
            row = held.get(value[VALUE_MARK])
            if row is None:
                return MISSING
            return ERASED if row.value is None else json.loads(row.value)
        return {k: _reveal(v, held) for k, v in value.items()}
    if isinstance(value, list):
        return [_reveal(v, held) for v in value]
    return value


def _held_values(session: Session, event_ids: list[int]) -> dict[int, dict[str, Row[Any]]]:
    held: dict[int, dict[str, Row[Any]]] = {}
    for start in range(0, len(event_ids), 500):
        chunk = event_ids[start : start + 500]
        for row in session.execute(_value_rows().where(_VALUES.c.event_id.in_(chunk))):
            held.setdefault(row.event_id, {})[row.digest] = row
    return held


def readable_changes(session: Session, events: Sequence[AuditEvent]) -> dict[int, Changes]:
    """Each event's changes with its personal values put back from audit_values
    (« [effacé] » once an anonymisation erased them), by event id. Only for readers
    allowed to read the audit."""
    sealed = [e.id for e in events if e.id is not None and f'"{VALUE_MARK}"' in e.changes]
    held = _held_values(session, sealed)
    return {
        e.id: _reveal(json.loads(e.changes or "{}"), held.get(e.id, {}))
        for e in events
        if e.id is not None
    }


def _values_problem(event: AuditEvent, rows: list[Any], key: SigningKey) -> str | None:
    """Why the personal values kept beside `event` no longer match its chained digests."""
    marks = _marks(event.changes)
    found = set()
    # Unpacked as tuples (see _value_rows): verify reads every value of the journal.
    for _event_id, name, digest, value, salt, erased_at in rows:
        found.add(digest)
        if digest not in marks:
            return f"valeur personnelle « {name} » sans empreinte dans l'événement"
        if erased_at is not None:
            if value is not None or salt is not None:
                return f"valeur personnelle « {name} » marquée effacée mais présente"
            continue
        if value is None or salt is None:
            return f"valeur personnelle « {name} » vidée sans effacement"
        try:
            raw_salt = bytes.fromhex(salt)
        except ValueError:
            raw_salt = b""
        if not hmac.compare_digest(_value_digest(key, raw_salt, value), digest):
            return (
                f"valeur personnelle « {name} » modifiée : elle ne correspond plus à son empreinte"
            )
    if marks - found:
        return "valeur personnelle supprimée de audit_values"
    return None


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
    values: int = 0  # personal values kept beside the chain (audit_values)
    erased: int = 0  # of which erased by an anonymisation

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
    checked = unkeyed = values = erased = 0
    keyed_seen = False
    last_id = 0

    def broken(event: AuditEvent, reason: str) -> ChainReport:
        return ChainReport(checked, event.id, reason, unkeyed, values=values, erased=erased)

    while True:
        rows = session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.id) > last_id)
            .order_by(col(AuditEvent.id))
            .limit(batch)
        ).all()
        if not rows:
            break
        side: dict[int, list[Any]] = {}  # rows of _value_rows()
        for value in session.execute(
            _value_rows().where(
                _VALUES.c.event_id > last_id, _VALUES.c.event_id <= (rows[-1].id or 0)
            )
        ).all():
            side.setdefault(value.event_id, []).append(value)
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
            kept_values = side.get(event.id or 0, [])
            if kept_values or f'"{VALUE_MARK}"' in event.changes:
                problem = _values_problem(event, kept_values, key)
                if problem is not None:
                    return broken(event, problem)
            values += len(kept_values)
            erased += sum(1 for v in kept_values if v[5] is not None)  # erased_at
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
            values,
            erased,
        )
    return ChainReport(checked, None, None, unkeyed, head, values, erased)


def case_history(
    session: Session, case_id: int, limit: int = 200, debtor_id: int | None = None
) -> list[AuditEvent]:
    """The case's events, and those of its debtor's identity (`debtor_id`: a change of
    address or IBAN belongs to the case's story too)."""
    about = col(AuditEvent.case_id) == case_id
    if debtor_id is not None:
        about = about | (
            (col(AuditEvent.entity_type) == "party") & (AuditEvent.entity_id == str(debtor_id))
        )
    return list(
        session.exec(
            select(AuditEvent)
            .where(about)
            .order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
            .limit(limit)
        ).all()
    )
