"""The one way to write.

    with change(actor, Perm.PAYMENTS_RECORD, "payment.record") as uow:
        plan = uow.lock(InstalmentPlan, plan_id, expected_version)
        uow.session.add(Payment(...))

`change` checks the actor's permission, opens the one write transaction (BEGIN IMMEDIATE on
SQLite), and on a clean exit: flushes, runs the exit hooks (a case refreshes its stored
figures), bumps the version of every aggregate locked with `lock` (and stamps who changed it,
when), records one audit event per entity created, changed or deleted, from SQLAlchemy's own
attribute history, and commits. Any exception rolls the whole back: nothing half-written.

Why the history and not hand-listed fields: a field a service forgets to list is a change
nobody can prove later; the ORM knows every column it writes. Why one place for the version:
five hand-written `version += 1` drifted apart (some writes did not bump it, so a stale form
overwrote them silently).

A service never opens a second pooled connection while inside `change` (every read it needs
goes through `uow.session`): on PostgreSQL, parallel writers each holding one connection and
waiting for a second exhaust the pool.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import event, inspect
from sqlmodel import Session, SQLModel, select

from case_core.kernel import audit, column_guard
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_instant
from case_core.kernel.db import session_scope
from case_core.kernel.errors import CaseError, NotFound, StaleVersion
from case_core.kernel.logs import get_logger
from case_core.kernel.permissions import Perm, require
from case_core.models import User, utcnow
from case_core.models.mediation import CONFIDENTIAL_FIELDS, REDACTED, SILENT_MEDIATION_TABLES

T = TypeVar("T", bound=SQLModel)
_CURRENT = "unit_of_work"
_log = get_logger("write")

# Rows that are bookkeeping, not facts a person did: never an audit event of their own.
# (Instalments and promise items are parts of their plan or promise, whose event names them.)
SILENT_TABLES = (
    frozenset(
        {"audit_events", "audit_values", "document_blobs", "reference_counters"}
        | {"instalments", "promise_items"}
    )
    | SILENT_MEDIATION_TABLES
)
# Columns stamped by this mechanism or derived from other rows: auditing them would only
# repeat the event itself.
TECHNICAL_FIELDS = frozenset({"version", "updated_at", "updated_by_id", "created_at"})
# Never written into the audit trail, even hashed: a secret there outlives its rotation.
SECRET_FIELDS = frozenset({"password_hash"})
DERIVED_FIELDS: dict[str, frozenset[str]] = {
    "cases": frozenset(
        {
            "principal_cents",
            "paid_cents",
            "balance_cents",
            "oldest_due_date",
            "limitation_date",
            "search_text",
            "last_contact_at",
        }
    ),
    # The IBAN's keyed hash follows the IBAN (models.parties); the IBAN's event tells it.
    "parties": frozenset({"iban_digest"}),
}


def entity_type(obj: SQLModel) -> str:
    table = str(getattr(type(obj), "__tablename__", type(obj).__name__.lower()))
    return audit.table_entity_type(table)


def _ignored(obj: SQLModel) -> frozenset[str]:
    return _ignored_columns(str(getattr(type(obj), "__tablename__", "")))


def _ignored_columns(table: str) -> frozenset[str]:
    return TECHNICAL_FIELDS | SECRET_FIELDS | DERIVED_FIELDS.get(table, frozenset())


def _redact(obj: SQLModel, changes: audit.Changes) -> audit.Changes:
    return _redact_table(str(getattr(type(obj), "__tablename__", "")), changes)


def _redact_table(table: str, changes: audit.Changes) -> audit.Changes:
    """Confidential columns (mediation): the audit says they changed, never what they hold."""
    hidden = CONFIDENTIAL_FIELDS.get(table, frozenset())
    for key in hidden & changes.keys():
        changes[key] = {
            side: None if value is None else REDACTED for side, value in changes[key].items()
        }
    return changes


def _columns(obj: SQLModel) -> list[str]:
    return _column_names(type(obj))


def _column_names(model: type[SQLModel]) -> list[str]:
    return [attr.key for attr in inspect(model).column_attrs]


@dataclass
class _Tracked:
    obj: SQLModel
    kind: str  # "create" | "update" | "delete"
    changes: audit.Changes = field(default_factory=dict)


def _is_silent(obj: object) -> bool:
    return not isinstance(obj, SQLModel) or getattr(type(obj), "__tablename__", "") in SILENT_TABLES


@dataclass
class UnitOfWork:
    session: Session
    actor: Actor
    action: str
    case_id: int | None = None
    _tracked: dict[int, _Tracked] = field(default_factory=dict)
    _locked: list[SQLModel] = field(default_factory=list)
    _extra: list[audit.PendingEvent] = field(default_factory=list)
    _notes: dict[int, audit.Changes] = field(default_factory=dict)
    _names: dict[int, str] = field(default_factory=dict)
    _silenced: set[int] = field(default_factory=set)
    _folded: dict[int, int] = field(default_factory=dict)
    _exit_hooks: list[Callable[[], object]] = field(default_factory=list)

    # ---- what services call -------------------------------------------------------------

    def lock(
        self,
        model: type[T],
        ident: Any,
        expected_version: int | None = None,
        *,
        missing: str | None = None,
        stale: str = "Cet élément",
    ) -> T:
        """The row `ident` of `model`, locked until the end of the transaction, refused if
        someone saved it since `expected_version` was displayed (None: no check, for
        changes that cannot conflict). Its version is bumped on exit."""
        pk = inspect(model).primary_key[0]
        row = self.session.exec(select(model).where(pk == ident).with_for_update()).first()
        if row is None:
            raise NotFound(missing or f"Élément introuvable (n° {ident}).")
        return self.hold(row, expected_version, stale=stale)

    def hold(self, row: T, expected_version: int | None = None, *, stale: str = "Cet élément") -> T:
        """Treat a row already locked by the caller's query as this change's aggregate."""
        if expected_version is not None and getattr(row, "version", None) != expected_version:
            raise StaleVersion(self.stale_message(row, stale))
        if not any(r is row for r in self._locked):
            self._locked.append(row)
        return row

    def add(self, obj: T) -> T:
        self.session.add(obj)
        return obj

    def note(self, obj: SQLModel, key: str, before: Any, after: Any) -> None:
        """A change a reader understands, added to `obj`'s event (a name where the row
        holds an id; the instalments of a plan)."""
        self._notes.setdefault(id(obj), {})[key] = {"before": before, "after": after}
        self._remember(obj)

    def name(self, obj: SQLModel, action: str) -> None:
        """The action code of `obj`'s own event, when it differs from the change's (a case
        created with its claims and debtor: « case.create », « claim.create », …). A named
        object gets its own event even if it was folded into another's."""
        self._names[id(obj)] = action
        self._folded.pop(id(obj), None)
        self._remember(obj)

    def silence(self, obj: SQLModel) -> None:
        """`obj`'s changes are told by an explicit `event` instead (bulk imports summarise
        a batch per case rather than one event per invoice)."""
        self._silenced.add(id(obj))

    def fold(self, obj: SQLModel, into: SQLModel) -> None:
        """Tell `obj`'s changes inside `into`'s event (a contact and the next action it sets
        on the case are one thing a person did)."""
        self._folded[id(obj)] = id(into)
        self._remember(obj)

    def event(self, pending: audit.PendingEvent) -> None:
        """An event for a write the ORM does not see (a bulk INSERT)."""
        self._extra.append(pending)

    def created(
        self, model: type[SQLModel], row: Mapping[str, Any], action: str
    ) -> audit.PendingEvent:
        """The creation event of a row written by a bulk INSERT (`row`: its columns as
        inserted, with the id its RETURNING gave): the changes the ORM history would have
        given for it, so a bulk path tells what the row-by-row path tells, without the
        per-row flushes and objects. Returned so that a caller can add to it."""
        table = str(getattr(model, "__tablename__", ""))
        ignored = _ignored_columns(table)
        changes: audit.Changes = {
            k: {"before": None, "after": audit.to_jsonable(row.get(k))}
            for k in _column_names(model)
            if k not in ignored and k != "id"
        }
        kind = audit.table_entity_type(table)
        entity_id = row.get("id")
        case_id = entity_id if kind == "case" else row.get("case_id") or self.case_id
        pending = audit.PendingEvent(
            action, kind, entity_id, _redact_table(table, changes), case_id
        )
        self._extra.append(pending)
        return pending

    def on_exit(self, hook: Callable[[], object]) -> None:
        self._exit_hooks.append(hook)

    def stale_message(self, row: SQLModel, noun: str) -> str:
        who = "un autre utilisateur"
        user_id = getattr(row, "updated_by_id", None)
        if user_id is not None and (user := self.session.get(User, user_id)) is not None:
            who = user.full_name
        when = getattr(row, "updated_at", None)
        suffix = f" le {format_instant(when)}" if when is not None else ""
        return f"{noun} a été modifié par {who}{suffix} : rechargez la page."

    # ---- the mechanism ------------------------------------------------------------------

    def _remember(self, obj: SQLModel) -> None:
        self._tracked.setdefault(id(obj), _Tracked(obj, "update"))

    def _before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        for obj in session.new:
            if not _is_silent(obj):
                self._tracked[id(obj)] = _Tracked(obj, "create")
        for obj in session.deleted:
            if not _is_silent(obj):
                tracked = self._tracked.setdefault(id(obj), _Tracked(obj, "delete"))
                tracked.kind = "delete" if tracked.kind != "create" else "gone"
                tracked.changes = {
                    k: {"before": audit.to_jsonable(getattr(obj, k)), "after": None}
                    for k in _columns(obj)
                    if k not in _ignored(obj)
                }
        for obj in session.dirty:
            if _is_silent(obj) or not session.is_modified(obj):
                continue
            tracked = self._tracked.setdefault(id(obj), _Tracked(obj, "update"))
            if tracked.kind != "update":
                continue
            state = inspect(obj)
            for key in _columns(obj):
                if key in _ignored(obj):
                    continue
                history = state.attrs[key].history
                if not history.has_changes():
                    continue
                before = history.deleted[0] if history.deleted else None
                after = history.added[0] if history.added else None
                entry = tracked.changes.setdefault(key, {"before": audit.to_jsonable(before)})
                entry["after"] = audit.to_jsonable(after)

    def _bump_versions(self) -> None:
        now = utcnow()
        for row in self._locked:
            if hasattr(row, "version"):
                row.version = (getattr(row, "version", 0) or 0) + 1  # type: ignore[attr-defined]
            if hasattr(row, "updated_at"):
                row.updated_at = now  # type: ignore[attr-defined]
            if hasattr(row, "updated_by_id"):
                row.updated_by_id = self.actor.id  # type: ignore[attr-defined]
            self.session.add(row)

    def _changes(self, tracked: _Tracked) -> audit.Changes:
        obj = tracked.obj
        if tracked.kind == "create":
            changes: audit.Changes = {
                k: {"before": None, "after": audit.to_jsonable(getattr(obj, k))}
                for k in _columns(obj)
                if k not in _ignored(obj) and k != "id"
            }
        else:
            changes = {
                k: v for k, v in tracked.changes.items() if v.get("before") != v.get("after")
            }
        changes = _redact(obj, changes)
        changes.update(self._notes.get(id(obj), {}))
        return changes

    def _events(self) -> list[audit.PendingEvent]:
        changes_of = {
            key: self._changes(tracked)
            for key, tracked in self._tracked.items()
            if tracked.kind != "gone" and key not in self._silenced
        }
        for key, target in self._folded.items():
            if key in changes_of and target in changes_of:
                changes_of[target].update(changes_of.pop(key))
        events: list[audit.PendingEvent] = []
        for key, changes in changes_of.items():
            tracked = self._tracked[key]
            if not changes and tracked.kind == "update":
                continue
            obj = tracked.obj
            ident = inspect(obj).identity
            entity_id = ident[0] if ident else getattr(obj, "id", None)
            case_id = getattr(obj, "case_id", None) or self.case_id
            if entity_type(obj) == "case":
                case_id = entity_id
            action = self._names.get(key, self.action)
            events.append(audit.PendingEvent(action, entity_type(obj), entity_id, changes, case_id))
        return events + self._extra

    def _finish(self) -> None:
        self.session.flush()
        for hook in self._exit_hooks:
            hook()
        self.session.flush()
        events = self._events()
        if not events:
            return  # nothing was changed: no version to bump, nothing to prove
        self._bump_versions()
        self.session.flush()
        audit.record_many(self.session, self.actor, events)


@contextmanager
def change(actor: Actor, perm: Perm | None, action: str) -> Iterator[UnitOfWork]:
    """One write: permission, transaction, locks, versions, audit. `perm` None is for the
    writes that precede any permission (sign-in counting its own failures, first admin)."""
    started = time.perf_counter()
    fields: dict[str, object] = {"action": action, "actor_id": actor.id}
    try:
        if perm is not None:
            require(actor, perm)
        with session_scope() as session:
            uow = UnitOfWork(session, actor, action)
            session.info[_CURRENT] = uow
            listener = uow._before_flush
            event.listen(session, "before_flush", column_guard.check_session)
            event.listen(session, "before_flush", listener)
            try:
                yield uow
                uow._finish()
            finally:
                event.remove(session, "before_flush", listener)
                event.remove(session, "before_flush", column_guard.check_session)
                session.info.pop(_CURRENT, None)
    except CaseError as exc:
        # A refusal the user sees in French; only its kind is logged (the message may
        # quote what they typed).
        _log.info("write refused", extra={**fields, "error": type(exc).__name__})
        raise
    except Exception:
        _log.error("write failed", exc_info=True, extra=fields)
        raise
    _log.info(
        "write",
        extra={**fields, "duration_ms": round((time.perf_counter() - started) * 1000, 1)},
    )


def current(session: Session) -> UnitOfWork:
    """The change `session` belongs to: building blocks shared by several services (open a
    case, insert a claim, create a party, store a document) name their events through it,
    and refuse to run outside the one write mechanism."""
    uow = session.info.get(_CURRENT)
    if not isinstance(uow, UnitOfWork):
        raise RuntimeError("write outside kernel.unit_of_work.change")
    return uow
