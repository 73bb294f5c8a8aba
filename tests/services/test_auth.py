"""Accounts, sign-in, lockout and the administration of users, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import select

from case_core.accounts import auth
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session, session_scope
from case_core.kernel.errors import AuthError, CaseError, PermissionDenied, ValidationError
from case_core.models import AuditEvent, Role, User, utcnow
from tests.apptest_helpers import new_app, sign_in
from tests.conftest import actor_with_role, make_admin


def test_first_admin_then_refused(db_url: str) -> None:
    assert not auth.has_admin()
    actor = make_admin()
    assert actor.role == Role.ADMIN
    assert auth.has_admin()
    with pytest.raises(CaseError, match="existe déjà"):
        auth.create_first_admin("other@example.fr", "Other", "un-autre-mot-de-passe")


def test_password_is_hashed_with_argon2(admin: Actor) -> None:
    with read_session() as session:
        user = session.exec(select(User)).one()
    assert user.password_hash.startswith("$argon2id$")
    assert "motdepasse-admin" not in user.password_hash


def test_sign_in_ok_and_email_case_insensitive(admin: Actor) -> None:
    actor = auth.authenticate("ADMIN@Example.fr", "motdepasse-admin")
    assert actor.id == admin.id


def test_unknown_email_and_wrong_password_get_the_same_message(admin: Actor) -> None:
    with pytest.raises(AuthError) as unknown:
        auth.authenticate("nobody@example.fr", "whatever-password")
    with pytest.raises(AuthError) as wrong:
        auth.authenticate("admin@example.fr", "wrong-password")
    assert unknown.value.message == wrong.value.message


def test_five_failures_lock_for_fifteen_minutes(admin: Actor) -> None:
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.authenticate("admin@example.fr", "wrong-password")
    # The right password is refused while locked, with the same message.
    with pytest.raises(AuthError) as locked:
        auth.authenticate("admin@example.fr", "motdepasse-admin")
    assert locked.value.message == auth.SIGN_IN_REFUSED
    with read_session() as session:
        user = session.exec(select(User)).one()
        assert user.locked_until is not None
        remaining = user.locked_until - utcnow()
        assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)
        actions = session.exec(select(AuditEvent.action)).all()
    assert actions.count("auth.login_failed") == 4 and "auth.locked" in actions
    # Once the lock has passed, the right password works again.
    with session_scope() as session:
        user = session.exec(select(User)).one()
        user.locked_until = utcnow() - timedelta(seconds=1)
        session.add(user)
    assert auth.authenticate("admin@example.fr", "motdepasse-admin").id == admin.id


def test_idle_expiry() -> None:
    now = utcnow()
    assert not auth.is_idle_expired(now - timedelta(hours=7, minutes=59), now, 480)
    assert auth.is_idle_expired(now - timedelta(hours=8, minutes=1), now, 480)


def test_collector_cannot_manage_users(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR)
    with pytest.raises(PermissionDenied):
        auth.list_users(collector)
    with pytest.raises(PermissionDenied):
        auth.create_user(collector, "x@example.fr", "X", Role.ADMIN, "motdepasse-xxx")
    with pytest.raises(PermissionDenied):
        auth.update_user(collector, collector.id or 0, role=Role.ADMIN)


def test_create_user_validates_everything_at_once(admin: Actor) -> None:
    with pytest.raises(ValidationError) as exc:
        auth.create_user(admin, "not-an-email", " ", "boss", "short")
    assert set(exc.value.errors) == {"email", "full_name", "role", "password"}
    assert len(auth.list_users(admin)) == 1


def test_duplicate_email_refused(admin: Actor) -> None:
    actor_with_role(admin, Role.COLLECTOR, "c@example.fr")
    with pytest.raises(ValidationError, match="existe déjà"):
        auth.create_user(admin, "C@example.fr", "Autre", Role.VIEWER, "motdepasse-test")


def test_deactivate_reset_and_role_change(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR, "c@example.fr")
    assert collector.id is not None
    auth.update_user(admin, collector.id, role=Role.MANAGER)
    assert auth.current_actor(collector.id).role == Role.MANAGER  # type: ignore[union-attr]
    auth.update_user(admin, collector.id, is_active=False)
    assert auth.current_actor(collector.id) is None
    with pytest.raises(AuthError):
        auth.authenticate("c@example.fr", "motdepasse-test")
    auth.update_user(admin, collector.id, is_active=True)
    auth.reset_password(admin, collector.id, "nouveau-mot-de-passe")
    assert auth.authenticate("c@example.fr", "nouveau-mot-de-passe").id == collector.id


def test_last_admin_cannot_be_demoted_or_deactivated(admin: Actor) -> None:
    assert admin.id is not None
    with pytest.raises(CaseError, match="dernier administrateur"):
        auth.update_user(admin, admin.id, role=Role.VIEWER)
    with pytest.raises(CaseError, match="dernier administrateur"):
        auth.update_user(admin, admin.id, is_active=False)


def test_stale_version_refused(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR)
    assert collector.id is not None
    seen = next(u for u in auth.list_users(admin) if u.id == collector.id)
    auth.update_user(admin, collector.id, full_name="Nom changé", expected_version=seen.version)
    with pytest.raises(CaseError, match="rechargez"):
        auth.update_user(admin, collector.id, role=Role.VIEWER, expected_version=seen.version)
    assert auth.current_actor(collector.id).role == Role.COLLECTOR  # type: ignore[union-attr]


def test_change_own_password(admin: Actor) -> None:
    with pytest.raises(ValidationError, match="actuel est incorrect"):
        auth.change_own_password(admin, "bad", "nouveau-mot-de-passe")
    auth.change_own_password(admin, "motdepasse-admin", "nouveau-mot-de-passe")
    assert auth.authenticate("admin@example.fr", "nouveau-mot-de-passe").id == admin.id


def test_sso_matches_active_account_only(admin: Actor) -> None:
    assert auth.actor_for_sso_email("Admin@example.fr").id == admin.id
    with pytest.raises(AuthError, match="aucun compte casedesk actif"):
        auth.actor_for_sso_email("stranger@example.fr")


def test_thirty_simultaneous_wrong_passwords_lock_the_account(admin: Actor) -> None:
    def attempt(_: int) -> None:
        with pytest.raises(AuthError):
            auth.authenticate("admin@example.fr", "wrong-password")

    with ThreadPoolExecutor(max_workers=30) as pool:
        list(pool.map(attempt, range(30)))
    with read_session() as session:
        user = session.exec(select(User)).one()
        actions = session.exec(select(AuditEvent.action)).all()
    # Each failure counted once, none lost: four counted, the fifth locks, the rest refused.
    assert actions.count("auth.login_failed") == auth.MAX_FAILED_ATTEMPTS - 1
    assert actions.count("auth.locked") == 1
    assert user.locked_until is not None and user.locked_until > utcnow()
    with pytest.raises(AuthError):
        auth.authenticate("admin@example.fr", "motdepasse-admin")


def test_five_simultaneous_first_admin_forms_create_one_admin(db_url: str) -> None:
    start = threading.Barrier(5)

    def create(i: int) -> str:
        start.wait()
        try:
            auth.create_first_admin(f"admin{i}@example.fr", f"Admin {i}", "motdepasse-admin")
        except CaseError as exc:
            return exc.message
        return "créé"

    with ThreadPoolExecutor(max_workers=5) as pool:
        outcomes = list(pool.map(create, range(5)))
    assert outcomes.count("créé") == 1
    assert outcomes.count("Un administrateur existe déjà : connectez-vous.") == 4
    with read_session() as session:
        assert len(session.exec(select(User)).all()) == 1


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        (" " * 10, "que d'espaces"),
        ("aaaaaaaaaa", "répète un même caractère"),
        ("1234567890", "mots de passe les plus courants"),
        ("azertyuiop", "mots de passe les plus courants"),
        ("nouveau@example.fr", "ni le nom du compte"),
        ("abcdefghij", "suite de caractères"),
        ("x" * 257, "ne doit pas dépasser 256 caractères"),
    ],
)
def test_common_and_trivial_passwords_are_refused_in_french(
    admin: Actor, password: str, reason: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        auth.create_user(admin, "nouveau@example.fr", "Nouveau Venu", Role.VIEWER, password)
    assert reason in refused.value.errors["password"]
    assert [u.email for u in auth.list_users(admin)] == ["admin@example.fr"]
    assert admin.id is not None
    with pytest.raises(ValidationError):
        auth.reset_password(admin, admin.id, password.replace("nouveau", "admin"))
    with pytest.raises(ValidationError):
        auth.change_own_password(admin, "motdepasse-admin", password.replace("nouveau", "admin"))
    assert auth.authenticate("admin@example.fr", "motdepasse-admin").id == admin.id


def test_the_first_admin_cannot_take_their_own_email_as_password(db_url: str) -> None:
    with pytest.raises(ValidationError, match="ni le nom du compte"):
        auth.create_first_admin("alice.martin@example.fr", "Alice", "alice.martin@example.fr")
    assert not auth.has_admin()


def test_admin_reset_or_role_change_ends_the_users_open_sessions(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR, "c@example.fr")
    assert collector.id is not None
    signed_in = utcnow()
    assert auth.resume_session(collector.id, signed_in).role == Role.COLLECTOR
    auth.update_user(admin, collector.id, full_name="Claire Renommée")
    assert auth.resume_session(collector.id, signed_in).full_name == "Claire Renommée"

    auth.reset_password(admin, collector.id, "nouveau-mot-de-passe")
    with pytest.raises(AuthError, match="reconnectez-vous"):
        auth.resume_session(collector.id, signed_in)
    again = utcnow()
    assert auth.resume_session(collector.id, again).id == collector.id

    auth.update_user(admin, collector.id, role=Role.MANAGER)
    with pytest.raises(AuthError, match="reconnectez-vous"):
        auth.resume_session(collector.id, again)
    assert auth.resume_session(collector.id, utcnow()).role == Role.MANAGER


def test_a_signed_in_page_returns_to_sign_in_after_an_admin_reset(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR, "c@example.fr")
    assert collector.id is not None
    at = new_app()
    at.run()
    sign_in(at, "c@example.fr", "motdepasse-test")
    assert not at.exception and "actor" in at.session_state
    auth.reset_password(admin, collector.id, "nouveau-mot-de-passe")
    at.run()
    assert "Un administrateur a modifié votre compte" in " ".join(w.value for w in at.warning)
    assert "actor" not in at.session_state


def test_a_long_name_and_email_can_sign_in_and_be_audited(admin: Actor) -> None:
    email = ("a" * 60 + ".") * 3 + "b" * 40 + "@example.fr"  # 234 characters
    name = "Marie-" + "x" * 194  # 200 characters
    view = auth.create_user(admin, email, name, Role.VIEWER, "motdepasse-test")
    assert auth.authenticate(email, "motdepasse-test").id == view.id
    with read_session() as session:
        labels = session.exec(select(AuditEvent.actor_label).order_by(AuditEvent.id)).all()
    assert labels[-1] == email


@pytest.mark.parametrize(
    ("name", "message"),
    [("x" * 201, "ne doit pas dépasser 200 caractères"), ("Léa\x00 Martin", "de contrôle")],
)
def test_a_name_too_long_or_with_control_characters_is_refused(
    admin: Actor, name: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        auth.create_user(admin, "lea@example.fr", name, Role.VIEWER, "motdepasse-test")
    assert message in refused.value.errors["full_name"]
