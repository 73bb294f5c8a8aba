"""Promises to pay: one or several (amount, date) items, made during a contact.

A promise's status is never stored: it is derived from the payments recorded on the
case after the promise was made (net of reversals), so it cannot drift from the money.
The same SQL figures feed the case page and "Ma journée".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from case_core.cases.loading import get_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import parse_date, today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.money import MAX_AMOUNT_CENTS, format_cents, parse_amount
from case_core.kernel.permissions import Perm, require
from case_core.kernel.settings import declare, get_setting
from case_core.kernel.unit_of_work import current
from case_core.models import (
    Case,
    ContactEvent,
    LabelledEnum,
    Payment,
    Promise,
    PromiseItem,
    User,
    add_labels,
)

GRACE_DAYS = "promises.grace_days"
declare(GRACE_DAYS, 3, "Délai de grâce d'une promesse de paiement (jours)")


class PromiseStatus(LabelledEnum):
    OPEN = "open"
    KEPT = "kept"
    PARTLY_KEPT = "partly_kept"
    BROKEN = "broken"


add_labels(
    {
        PromiseStatus.OPEN: "En cours",
        PromiseStatus.KEPT: "Tenue",
        PromiseStatus.PARTLY_KEPT: "Partiellement tenue",
        PromiseStatus.BROKEN: "Non tenue",
    }
)


@dataclass(frozen=True)
class PromiseItemInput:
    amount_cents: int
    due_date: date


@dataclass(frozen=True)
class PromiseView:
    id: int
    case_id: int
    made_at: datetime
    made_by: str
    items: list[PromiseItemInput]
    total_cents: int
    paid_cents: int
    status: PromiseStatus


def status_of(total_cents: int, due_past_grace_cents: int, paid_cents: int) -> PromiseStatus:
    """Kept when everything promised came in; broken when an item past its grace period
    is not covered (partly kept if something was paid)."""
    if paid_cents >= total_cents:
        return PromiseStatus.KEPT
    if paid_cents < due_past_grace_cents:
        return PromiseStatus.PARTLY_KEPT if paid_cents > 0 else PromiseStatus.BROKEN
    return PromiseStatus.OPEN


def grace_cutoff(session: Session, today: date) -> date:
    """Items due before this date are past their grace period."""
    return today - timedelta(days=int(get_setting(GRACE_DAYS, session)))


def paid_since_promise() -> Any:
    """Net amount recorded on the promise's case since it was made (correlated to Promise).

    A reversal counts only when the payment it cancels counts (recorded after the promise),
    so reversing an older payment does not eat into the promise.
    """
    paid = aliased(Payment)
    original = aliased(Payment)
    recorded = func.coalesce(original.created_at, paid.created_at)
    return (
        select(func.coalesce(func.sum(paid.amount_cents), 0))
        .select_from(paid)
        .outerjoin(original, col(paid.reverses_payment_id) == col(original.id))
        .where(paid.case_id == Promise.case_id, recorded >= Promise.created_at)
        .correlate(Promise)
        .scalar_subquery()
    )


def _items_sum(*conditions: ColumnElement[bool]) -> Any:
    return (
        select(func.coalesce(func.sum(PromiseItem.amount_cents), 0))
        .where(PromiseItem.promise_id == Promise.id, *conditions)
        .correlate(Promise)
        .scalar_subquery()
    )


def due_past_grace(cutoff: date) -> Any:
    """What the promise said would be paid by now, grace included (correlated)."""
    return _items_sum(col(PromiseItem.due_date) < cutoff)


def promise_figures(cutoff: date) -> Any:
    """SELECT promise id, case id, total, amount due past grace, net paid."""
    # SQLAlchemy's select: SQLModel's typed overloads stop at four columns.
    return sa_select(
        col(Promise.id),
        col(Promise.case_id),
        _items_sum().label("total"),
        due_past_grace(cutoff).label("due_past"),
        paid_since_promise().label("paid"),
    ).where(col(Promise.cancelled_at).is_(None))


def add_days(column: Any, days: int, dialect: str) -> Any:
    """`column + days` as a date, in the dialect's own arithmetic."""
    if dialect == "sqlite":
        return func.date(column, f"+{int(days)} days")
    return (column + int(days)).cast(Date)


def validate_items(items: Sequence[PromiseItemInput], today: date) -> list[PromiseItemInput]:
    if not items:
        raise ValidationError({"promise": "Une promesse doit comporter au moins un paiement."})
    errors: dict[str, str] = {}
    for n, item in enumerate(items, start=1):
        if not isinstance(item.amount_cents, int) or isinstance(item.amount_cents, bool):
            errors[f"promise_{n}_amount"] = f"Paiement {n} : montant en centimes entiers attendu."
        elif item.amount_cents <= 0:
            errors[f"promise_{n}_amount"] = f"Paiement {n} : le montant doit être positif."
        elif item.amount_cents > MAX_AMOUNT_CENTS:
            errors[f"promise_{n}_amount"] = (
                f"Paiement {n} : {format_cents(MAX_AMOUNT_CENTS)} au plus."
            )
        if item.due_date < today:
            errors[f"promise_{n}_date"] = f"Paiement {n} : la date promise est déjà passée."
    if errors:
        raise ValidationError(errors)
    return sorted(items, key=lambda i: i.due_date)


def create_promise(
    session: Session,
    actor: Actor,
    case: Case,
    event: ContactEvent,
    items: Sequence[PromiseItemInput],
    today: date | None = None,
) -> Promise:
    """Record a promise made during `event`, in the caller's change."""
    ordered = validate_items(items, today or today_paris())
    total = sum(item.amount_cents for item in ordered)
    if total > max(case.balance_cents, 0):
        # More than the whole debt is a typo (a promise of 10 000 000 000 000 € on 1 000 €).
        raise ValidationError(
            {
                "promise": f"La promesse ({format_cents(total)}) dépasse le solde du dossier "
                f"({format_cents(case.balance_cents)})."
            }
        )
    assert actor.id is not None
    promise = Promise(
        case_id=case.id,  # type: ignore[arg-type]
        contact_event_id=event.id,
        created_at=event.occurred_at,
        created_by_id=actor.id,
    )
    session.add(promise)
    session.flush()
    for item in ordered:
        session.add(
            PromiseItem(
                promise_id=promise.id,  # type: ignore[arg-type]
                due_date=item.due_date,
                amount_cents=item.amount_cents,
            )
        )
    uow = current(session)
    uow.name(promise, "promise.create")
    uow.note(promise, "items", None, [[i.amount_cents, i.due_date.isoformat()] for i in ordered])
    return promise


def promises_for_case(actor: Actor, reference: str, today: date | None = None) -> list[PromiseView]:
    """The case's promises, newest first, each with its derived status."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        cutoff = grace_cutoff(session, today or today_paris())
        figures = session.exec(
            promise_figures(cutoff).where(Promise.case_id == case.id).order_by(Promise.id.desc())  # type: ignore[union-attr]
        ).all()
        if not figures:
            return []
        ids = [row[0] for row in figures]
        items: dict[int, list[PromiseItemInput]] = {}
        for item in session.exec(
            select(PromiseItem)
            .where(PromiseItem.promise_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(col(PromiseItem.due_date))
        ).all():
            items.setdefault(item.promise_id, []).append(
                PromiseItemInput(item.amount_cents, item.due_date)
            )
        promises = {p.id: p for p in session.exec(select(Promise).where(Promise.id.in_(ids))).all()}  # type: ignore[union-attr]
        users = {
            u.id: u.full_name
            for u in session.exec(
                select(User).where(User.id.in_({p.created_by_id for p in promises.values()}))  # type: ignore[union-attr]
            ).all()
        }
        return [
            PromiseView(
                id=pid,
                case_id=case_id,
                made_at=promises[pid].created_at,
                made_by=users.get(promises[pid].created_by_id, ""),
                items=items.get(pid, []),
                total_cents=int(total),
                paid_cents=int(paid),
                status=status_of(int(total), int(due_past), int(paid)),
            )
            for pid, case_id, total, due_past, paid in figures
        ]


def parse_items(text: str) -> list[PromiseItemInput]:
    """'150,00 ; 15/12/2026' per line (amount then date) -> promise items."""
    items: list[PromiseItemInput] = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("\t", ";").split(";")]
        if len(parts) != 2:
            raise ValidationError(
                {"promise": f"Ligne {n} : écrivez « montant ; date », ex. 150,00 ; 15/12/2026."}
            )
        items.append(
            PromiseItemInput(
                parse_amount(parts[0], f"promise_{n}_amount"),
                parse_date(parts[1], f"promise_{n}_date"),
            )
        )
    return items


def parse_item_rows(rows: Iterable[tuple[object, object]]) -> list[PromiseItemInput]:
    """The rows of the promise table (amount as typed in French, date) -> items. A row left
    empty is skipped; a half-filled one is refused with its line number."""
    items: list[PromiseItemInput] = []
    errors: dict[str, str] = {}
    for n, (amount, due) in enumerate(rows, start=1):
        amount_text = "" if _blank(amount) else str(amount).strip()
        day: date | str | None = None
        if _blank(due):
            day = None
        elif isinstance(due, datetime):  # a table cell may hold a timestamp
            day = due.date()
        elif isinstance(due, date | str):
            day = due
        else:
            day = str(due)
        if not amount_text and day is None:
            continue
        if not amount_text:
            errors[f"promise_{n}_amount"] = f"Ligne {n} : indiquez le montant promis."
            continue
        if day is None:
            errors[f"promise_{n}_date"] = f"Ligne {n} : indiquez la date promise."
            continue
        try:
            cents = parse_amount(amount_text, f"promise_{n}_amount")
            items.append(PromiseItemInput(cents, parse_date(day, f"promise_{n}_date")))
        except ValidationError as exc:
            errors.update({k: f"Ligne {n} : {v}" for k, v in exc.errors.items()})
    if errors:
        raise ValidationError(errors)
    return items


def _blank(value: object) -> bool:
    # An empty table cell is None, "" or a missing-value marker (NaN, NaT: never equal
    # to itself).
    return value is None or value != value or (isinstance(value, str) and not value.strip())
