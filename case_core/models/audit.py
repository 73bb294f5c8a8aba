"""The audit trail: append-only and chained by an HMAC under a key kept outside the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from case_core.models.base import instant_field


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    # The events about one entity (a person's, for the History, the access export and an
    # erasure) without reading the whole journal.
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = instant_field(default_now=True, index=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    actor_label: str = Field(max_length=254)
    action: str = Field(max_length=80, index=True)
    entity_type: str = Field(max_length=40)
    entity_id: str | None = Field(default=None, max_length=40)
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    # JSON: {"field": {"before": ..., "after": ...}}
    changes: str = Field(default="{}", sa_type=Text)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
    # Fingerprint of the key whose HMAC `hash` is; None for an event from before the chain
    # was keyed (a plain SHA-256).
    key_id: str | None = Field(default=None, max_length=16)


class AuditValue(SQLModel, table=True):
    """A personal value an audit event names, kept beside the chain (not chained): the
    event's chained `changes` holds only its keyed digest `{"hmac": digest}`, so that the
    value can be erased (anonymisation) while the chain still verifies. See kernel.audit."""

    __tablename__ = "audit_values"
    __table_args__ = (UniqueConstraint("event_id", "digest", name="uq_audit_values_event_digest"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="audit_events.id")
    # The top-level key of the event's changes the value belongs to (« email », « note »).
    field: str = Field(max_length=80)
    # HMAC-SHA256 (audit key) of salt and value, truncated to 128 bits: what the chain holds.
    digest: str = Field(max_length=32)
    value: str | None = Field(default=None, sa_type=Text)  # JSON; None once erased
    # Random, erased with the value: the digest left in the chain can then no longer be
    # tested against guesses, even by someone holding the key.
    salt: str | None = Field(default=None, max_length=32)
    erased_at: datetime | None = instant_field(nullable=True)
