"""The write mechanism's check of every value it is about to store against its column.

Before each flush of a change, every value a new row holds, and every value a changed row's
changed column holds, is checked against its column:
- text: at most the column's declared length (PostgreSQL refuses more with a traceback;
  SQLite would store it, and the two databases must agree) and none of the forbidden
  characters of `kernel.text`;
- whole numbers (cents, counts, rates): an int, not a float nor a Decimal (12.5 cents would
  be stored as such on SQLite and rounded on PostgreSQL), within 64 bits;
- dates and instants: between EARLIEST and LATEST (an invoice in 1900 or 2200, a plan
  ending in 2220 are typos, and date arithmetic on them overflows).
A failure raises a ValidationError naming the field in French (« Adresse : 312 caractères,
300 au plus. »); the change rolls back whole.

Services keep their own checks where they say more (a form's field beside its message, all
errors at once); this is the net under all of them, so that no service, present or future,
can store what the database or an export would choke on.

Reads get the same net (`refuse_nul_parameters`): a NUL typed into a search or a lookup is
refused in French rather than by the PostgreSQL driver.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Integer, String, Table, TypeDecorator, inspect
from sqlalchemy.orm import Session

from case_core.kernel.dates import EARLIEST, LATEST, format_date
from case_core.kernel.errors import ValidationError
from case_core.kernel.text import forbidden_char
from case_core.models.labels import field_label


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a stored value (JSON columns hold lists and mappings)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def problem(label: str, value: Any, max_length: int | None) -> str | None:
    """The French message refusing `value` for the field `label`, or None if it may be stored."""
    if isinstance(value, str) and max_length is not None and len(value) > max_length:
        return f"{label} : {_count(len(value))} caractères, {_count(max_length)} au plus."
    for text in _strings(value):
        if (found := forbidden_char(text)) is not None:
            return f"{label} : {found}. Retirez-le et enregistrez à nouveau."
    return None


_INT64 = 2**63 - 1


def number_problem(label: str, value: Any) -> str | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        if value is not None and abs(value) > _INT64:
            return f"{label} : nombre trop grand."
        return None
    return f"{label} : un nombre entier est attendu, pas « {value} »."


def date_problem(label: str, value: Any) -> str | None:
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not EARLIEST <= day <= LATEST:
        return (
            f"{label} : le {format_date(day)} est hors des dates admises "
            f"(du {format_date(EARLIEST)} au {format_date(LATEST)})."
        )
    return None


def _value_problem(kind: Any, name: str, table: str, value: Any) -> str | None:
    """The French message refusing `value` for the column `name` of type `kind`, or None."""
    # SQLModel's AutoString is a TypeDecorator over String: what is stored is its impl.
    base = kind.impl if isinstance(kind, TypeDecorator) else kind
    if not isinstance(base, String | JSON | Integer | Date | DateTime):
        return None
    label = field_label(name, table)
    if isinstance(base, Integer):
        return number_problem(label, value)
    if isinstance(base, Date | DateTime):
        return date_problem(label, value)
    if isinstance(base, JSON) and isinstance(value, str):
        with suppress(ValueError):  # a JSON column written as a serialised string
            value = json.loads(value)
    return problem(label, value, getattr(base, "length", None))


def _check(obj: object, only_changed: bool) -> dict[str, str]:
    state = inspect(obj)
    table = str(getattr(type(obj), "__tablename__", ""))
    errors: dict[str, str] = {}
    for attr in state.mapper.column_attrs:
        if only_changed and not state.attrs[attr.key].history.has_changes():
            continue
        message = _value_problem(attr.columns[0].type, attr.key, table, getattr(obj, attr.key))
        if message is not None:
            errors[attr.key] = message
    return errors


def check_rows(table: Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """The same check for rows a bulk load inserts past the ORM (an import's new debtors,
    cases and invoices): no flush, so no `check_session`."""
    errors: dict[str, str] = {}
    for row in rows:
        for name, value in row.items():
            message = _value_problem(table.c[name].type, name, table.name, value)
            if message is not None:
                errors[name] = message
    if errors:
        raise ValidationError(errors)


def check_session(session: Session, _context: Any = None, _instances: Any = None) -> None:
    """`before_flush` listener: refuse the flush if any text to write breaks its column."""
    errors: dict[str, str] = {}
    for obj in session.new:
        errors.update(_check(obj, only_changed=False))
    for obj in session.dirty:
        if session.is_modified(obj):
            errors.update(_check(obj, only_changed=True))
    if errors:
        raise ValidationError(errors)


NUL_MESSAGE = (
    "Le texte saisi contient un caractère nul (U+0000), qui ne peut être ni cherché ni "
    "enregistré : retirez-le."
)


def _has_nul(parameters: Any) -> bool:
    # Runs before every statement (a bulk import sends thousands of rows at once): one flat
    # loop over each row's values, no recursion per value.
    if isinstance(parameters, Mapping):
        values: Iterable[Any] = parameters.values()
    elif isinstance(parameters, list | tuple):
        if parameters and isinstance(parameters[0], Mapping | list | tuple):
            return any(_has_nul(row) for row in parameters)  # executemany: one per row
        values = parameters
    else:
        return False
    return any(type(v) is str and "\x00" in v for v in values)


def refuse_nul_parameters(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _many: bool
) -> None:
    """`before_cursor_execute` listener: a NUL in any text sent to the database is refused
    with a French message on both databases (PostgreSQL's driver would fail with a
    traceback; SQLite would store or compare it silently)."""
    if parameters and _has_nul(parameters):
        raise ValidationError(NUL_MESSAGE)
