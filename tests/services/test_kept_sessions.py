"""Kept sessions (the cookie that survives a reload): the one-time code works once and for
a minute, the database never holds the token itself, and every way a session ends is
final. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select

from case_core.accounts import auth, sessions
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import AuthError
from case_core.models import Role, UserSession, utcnow
from tests.conftest import actor_with_role


@pytest.fixture
def collector(admin: Actor) -> Actor:
    return actor_with_role(admin, Role.COLLECTOR)


def _signed_in(actor: Actor) -> tuple[int, str]:
    kept_id, code = sessions.open_handoff(actor)
    token = sessions.redeem_handoff(code)
    assert token is not None
    return kept_id, token


def test_the_code_gives_a_token_once_and_only_its_hash_is_stored(collector: Actor) -> None:
    kept_id, code = sessions.open_handoff(collector)
    token = sessions.redeem_handoff(code)
    assert token is not None
    assert sessions.redeem_handoff(code) is None  # used once
    with read_session() as session:
        row = session.get(UserSession, kept_id)
        assert row is not None
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert row.handoff_hash is None
        stored = " ".join(str(v) for v in row.model_dump().values())
    assert token not in stored and code not in stored
    kept = sessions.resume(token)
    assert kept is not None and kept.actor.id == collector.id and kept.id == kept_id
    assert sessions.resume("un-jeton-invente") is None
    assert sessions.resume("") is None


def test_an_expired_code_gives_nothing(collector: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    _kept_id, code = sessions.open_handoff(collector)
    later = utcnow() + sessions.HANDOFF_LIFETIME + timedelta(seconds=1)
    monkeypatch.setattr(sessions, "utcnow", lambda: later)
    assert sessions.redeem_handoff(code) is None


def test_signing_out_ends_the_kept_session(collector: Actor) -> None:
    kept_id, token = _signed_in(collector)
    sessions.revoke(kept_id)
    assert sessions.resume(token) is None


def test_a_session_past_its_lifetime_or_idle_too_long_does_not_come_back(
    collector: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kept_id, token = _signed_in(collector)
    monkeypatch.setenv("CASEDESK_IDLE_TIMEOUT_MINUTES", "30")
    idle = utcnow() + timedelta(minutes=31)
    monkeypatch.setattr(sessions, "utcnow", lambda: idle)
    assert sessions.resume(token) is None
    monkeypatch.setenv("CASEDESK_IDLE_TIMEOUT_MINUTES", "100000")
    past = utcnow() + sessions.session_lifetime() + timedelta(minutes=1)
    monkeypatch.setattr(sessions, "utcnow", lambda: past)
    assert sessions.resume(token) is None


@pytest.mark.parametrize("ended_by", ["reset", "role", "deactivation"])
def test_an_administrators_change_ends_the_kept_session_for_good(
    admin: Actor, collector: Actor, ended_by: str
) -> None:
    _kept_id, token = _signed_in(collector)
    assert collector.id is not None
    if ended_by == "reset":
        auth.reset_password(admin, collector.id, "un-autre-motdepasse-solide")
    elif ended_by == "role":
        auth.update_user(admin, collector.id, role=Role.MANAGER)
    else:
        auth.update_user(admin, collector.id, is_active=False)
    with pytest.raises(AuthError):
        sessions.resume(token)
    # Revoked on the way: it does not come back even if the account is restored.
    with read_session() as session:
        row = session.exec(select(UserSession).where(UserSession.user_id == collector.id)).one()
        assert row.revoked_at is not None
    if ended_by == "deactivation":
        auth.update_user(admin, collector.id, is_active=True)
    assert sessions.resume(token) is None
