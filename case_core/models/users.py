"""Local accounts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from case_core.models.base import LabelledEnum, add_stored_labels, enum_field, instant_field


class Role(LabelledEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    COLLECTOR = "collector"
    MEDIATOR = "mediator"
    VIEWER = "viewer"


add_stored_labels(
    [
        (Role.ADMIN, "Administrateur"),
        (Role.MANAGER, "Responsable"),
        (Role.COLLECTOR, "Chargé de recouvrement"),
        (Role.MEDIATOR, "Médiateur"),
        (Role.VIEWER, "Lecture seule"),
    ]
)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=200)
    role: Role = enum_field(index=True)
    password_hash: str = Field(max_length=255)
    is_active: bool = Field(default=True, index=True)
    failed_attempts: int = Field(default=0)
    locked_until: datetime | None = instant_field(nullable=True)
    last_login_at: datetime | None = instant_field(nullable=True)
    password_changed_at: datetime = instant_field(default_now=True)
    # Sessions signed in before this instant end (an administrator's reset or role change).
    sessions_revoked_at: datetime | None = instant_field(nullable=True)
    created_at: datetime = instant_field(default_now=True)
    version: int = Field(default=1)


class UserSession(SQLModel, table=True):
    """A signed-in browser kept across reloads: the browser holds a random token in an
    HttpOnly cookie, the database only its SHA-256. Revoked on sign-out; ended by the
    account's own revocation (password reset, role change, deactivation)."""

    __tablename__ = "user_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    # The one-time code the sign-in page hands to the browser, exchanged within a minute
    # for the cookie's token (the code travels in a URL; the token never does).
    handoff_hash: str | None = Field(default=None, max_length=64, unique=True)
    handoff_expires_at: datetime | None = instant_field(nullable=True)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = instant_field(default_now=True)
    expires_at: datetime = instant_field()
    last_seen_at: datetime = instant_field(default_now=True)
    revoked_at: datetime | None = instant_field(nullable=True)
