"""Column types and helpers shared by every table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, String
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


class LabelledEnum(StrEnum):
    """A str enum whose members have a French label: a stored enum's through
    `add_stored_labels` beside its table, a service module's through `add_labels`."""

    @property
    def label(self) -> str:
        key = (type(self), self.value)
        return STORED_LABELS.get(key) or _SERVICE_LABELS.get(key, self.value)


# The labels of the stored enums, by (enum class, value): the audit history reads them to
# show a code it finds in a change.
STORED_LABELS: dict[tuple[type, str], str] = {}
# Kept apart from STORED_LABELS, which describes only what is stored.
_SERVICE_LABELS: dict[tuple[type, str], str] = {}


def add_stored_labels(labels: Iterable[tuple[StrEnum, str]]) -> None:
    """Give the members of stored enums their French labels. (member, label) pairs rather
    than a dict keyed by member: members of different enums with the same value
    (CostBearer.DEBTOR, PersonReached.DEBTOR) are equal as strings."""
    STORED_LABELS.update({(type(m), m.value): label for m, label in labels})


def add_labels(labels: Mapping[StrEnum, str]) -> None:
    """Give the members of one service-module LabelledEnum their French labels."""
    _SERVICE_LABELS.update({(type(m), m.value): label for m, label in labels.items()})


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC instant, also on SQLite (which forgets the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: instants must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def instant_field(*, nullable: bool = False, index: bool = False, default_now: bool = False) -> Any:
    """A column holding a UTC instant."""
    kwargs: dict[str, Any] = {"sa_type": UTCDateTime, "nullable": nullable, "index": index}
    if default_now:
        kwargs["default_factory"] = utcnow
    elif nullable:
        kwargs["default"] = None
    return Field(**kwargs)


def enum_field(default: Any = ..., *, nullable: bool = False, index: bool = False) -> Any:
    """A str-enum column stored as plain text, so adding a value needs no type migration."""
    return Field(default=default, sa_type=String(32), nullable=nullable, index=index)


def cents_field(default: Any = ..., *, nullable: bool = False, index: bool = False) -> Any:
    """An amount in integer cents, 64-bit in the database: a 32-bit column stops at
    21 474 836,47 € (PostgreSQL's `integer out of range`)."""
    return Field(default=default, sa_type=BigInteger, nullable=nullable, index=index)


def widen_cents_columns(metadata: MetaData) -> list[str]:
    """Make every `*_cents` column 64-bit, including one a model declared as a plain `int`
    instead of with `cents_field()`: amounts must never stop at 21 474 836,47 €.

    Returns the `table.column` names it had to widen (none when every model uses
    `cents_field()`)."""
    widened = []
    for table in metadata.tables.values():
        for column in table.columns:
            kind = column.type
            if column.name.endswith("_cents") and type(kind) is Integer:
                column.type = BigInteger()
                widened.append(f"{table.name}.{column.name}")
    return widened
