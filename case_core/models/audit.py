"""The audit trail: append-only and chained by an HMAC under a key kept outside the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from case_core.models.base import instant_field


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"

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
