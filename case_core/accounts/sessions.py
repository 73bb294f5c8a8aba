"""Signed-in browsers kept across a reload or a second tab.

Streamlit forgets its session state on a reload (a new websocket, a new session). The
browser therefore keeps a random token in a cookie the page's scripts cannot read
(HttpOnly, SameSite=Strict, Secure over HTTPS); the database keeps only its SHA-256, when
it expires and whether it was revoked. Streamlit's script can read cookies but not set
them, so the cookie is set by an HTTP route of the ASGI wrapper (`server.py`): after the
sign-in form, the page sends the browser to that route with a one-time code that is good
for one minute and one use; the route exchanges it for the token and sets the cookie.

A kept session ends on sign-out (revoked), after its lifetime, after the idle timeout, and
whenever the account's own sessions end (deactivation, password reset, role change)."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import select

from case_core.accounts.auth import resume_session
from case_core.kernel import config
from case_core.kernel.actor import SYSTEM, Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import AuthError
from case_core.kernel.unit_of_work import change
from case_core.models import UserSession, utcnow

COOKIE_NAME = "casedesk_session"
HANDOFF_LIFETIME = timedelta(minutes=1)
# last_seen_at is written at most this often (a write per rerun would be too many).
TOUCH_EVERY = timedelta(minutes=5)


def session_lifetime() -> timedelta:
    """How long a kept session lasts at most, active or not (default 12 hours)."""
    return timedelta(hours=int(os.environ.get("CASEDESK_SESSION_HOURS", "12")))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class KeptSession:
    id: int
    actor: Actor
    signed_in_at: datetime


def open_handoff(actor: Actor) -> tuple[int, str]:
    """Start a kept session for a user who has just signed in: its id and the one-time
    code the browser exchanges for its cookie."""
    assert actor.id is not None
    code = secrets.token_urlsafe(32)
    now = utcnow()
    with change(actor, None, "auth.session_open") as uow:
        row = UserSession(
            user_id=actor.id,
            handoff_hash=_digest(code),
            handoff_expires_at=now + HANDOFF_LIFETIME,
            created_at=now,
            expires_at=now + session_lifetime(),
            last_seen_at=now,
        )
        uow.session.add(row)
        uow.session.flush()
        assert row.id is not None
        session_id = row.id
    return session_id, code


def redeem_handoff(code: str) -> str | None:
    """The cookie's token for a one-time code, once; None for an unknown, used, expired or
    revoked code."""
    if not code:
        return None
    now = utcnow()
    with change(SYSTEM, None, "auth.session_cookie") as uow:
        row = uow.session.exec(
            select(UserSession).where(UserSession.handoff_hash == _digest(code)).with_for_update()
        ).first()
        if row is None:
            return None
        # Used once: the code is forgotten whatever happens next.
        row.handoff_hash = None
        usable = (
            row.handoff_expires_at is not None
            and row.handoff_expires_at > now
            and row.revoked_at is None
            and row.token_hash is None
        )
        token = secrets.token_urlsafe(32) if usable else None
        if token is not None:
            row.token_hash = _digest(token)
        row.handoff_expires_at = None
        uow.session.add(row)
    return token


def resume(token: str) -> KeptSession | None:
    """The session a browser's cookie stands for, as the account is stored now; None when
    the token is unknown, revoked, expired or idle too long; AuthError (its French message
    shown on the sign-in page) when an administrator ended the account's sessions."""
    if not token:
        return None
    now = utcnow()
    with read_session() as session:
        row = session.exec(
            select(UserSession).where(UserSession.token_hash == _digest(token))
        ).first()
    if row is None or row.id is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if now - row.last_seen_at > timedelta(minutes=config.idle_timeout_minutes()):
        return None
    try:
        actor = resume_session(row.user_id, row.created_at)
    except AuthError:
        revoke(row.id)
        raise
    touch(row.id, row.last_seen_at)
    return KeptSession(row.id, actor, row.created_at)


def touch(session_id: int, last_seen_at: datetime | None = None) -> None:
    """Record activity (at most every few minutes): the idle timeout counts from it."""
    now = utcnow()
    if last_seen_at is not None and now - last_seen_at < TOUCH_EVERY:
        return
    with change(SYSTEM, None, "auth.session_seen") as uow:
        row = uow.session.get(UserSession, session_id)
        if row is not None and row.revoked_at is None:
            row.last_seen_at = now
            uow.session.add(row)


def revoke(session_id: int) -> None:
    """End a kept session (sign-out): its cookie no longer signs anyone in."""
    with change(SYSTEM, None, "auth.session_end") as uow:
        row = uow.session.get(UserSession, session_id)
        if row is not None and row.revoked_at is None:
            row.revoked_at = utcnow()
            row.handoff_hash = None
            uow.session.add(row)
