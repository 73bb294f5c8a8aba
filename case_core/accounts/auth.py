"""Local accounts: argon2 hashes, lockout, idle expiry, and the administration of users."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import text
from sqlmodel import Session, col, func, select

# Re-exported: the pages print auth.MIN_PASSWORD_LENGTH beside their password fields.
from case_core.accounts.passwords import MIN_PASSWORD_LENGTH as MIN_PASSWORD_LENGTH
from case_core.accounts.passwords import check_password_policy
from case_core.kernel.actor import SYSTEM, Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import AuthError, CaseError, ValidationError
from case_core.kernel.permissions import CASE_HOLDER_ROLES, Perm, require
from case_core.kernel.unit_of_work import UnitOfWork, change, current
from case_core.kernel.validation import FieldErrors, normalize_email
from case_core.models import Role, User, utcnow

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
# Serialises first-administrator creations on PostgreSQL (SQLite has one writer at a time).
FIRST_ADMIN_LOCK_KEY = 74_617_003
SIGN_IN_REFUSED = (
    "Connexion refusée : e-mail ou mot de passe incorrect, ou compte temporairement "
    "verrouillé après trop d'essais. Réessayez plus tard ou contactez un administrateur."
)

_hasher = PasswordHasher()
# Verified against when the email is unknown, so that timing does not reveal it.
_DUMMY_HASH = _hasher.hash("casedesk-dummy-password")


@dataclass(frozen=True)
class UserView:
    id: int
    email: str
    full_name: str
    role: Role
    is_active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    version: int


ACCOUNT_NOUN = "Ce compte"


def _view(user: User) -> UserView:
    assert user.id is not None
    return UserView(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=Role(user.role),
        is_active=user.is_active,
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
        version=user.version,
    )


def actor_of(user: User) -> Actor:
    return Actor(id=user.id, email=user.email, full_name=user.full_name, role=Role(user.role))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


FULL_NAME_MAX = 200  # users.full_name


def _check_name(full_name: str) -> str:
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": "Le nom est obligatoire."})
    if len(full_name) > FULL_NAME_MAX:
        raise ValidationError(
            {"full_name": f"Le nom ne doit pas dépasser {FULL_NAME_MAX} caractères."}
        )
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in full_name):
        raise ValidationError(
            {"full_name": "Le nom contient des caractères invisibles ou de contrôle."}
        )
    return full_name


def _parse_role(role: str | Role) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ValidationError({"role": f"Rôle inconnu : « {role} »."}) from None


def _active_admins(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.is_active)
    ).one()


def has_admin() -> bool:
    """Whether an active administrator exists; until one does, the app offers to create it."""
    with read_session() as session:
        return _active_admins(session) > 0


def insert_user(
    session: Session,
    actor: Actor,
    email: str,
    full_name: str,
    role: Role,
    password: str | None = None,
    *,
    password_hash: str | None = None,
) -> User:
    """Add an account in the caller's change (validated input; never its hash in the audit).

    `password_hash` lets a bulk caller (demo data) hash one shared password once."""
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise ValidationError({"email": "Un compte existe déjà avec cette adresse e-mail."})
    user = User(
        email=email,
        full_name=full_name,
        role=role,
        password_hash=password_hash or hash_password(password or ""),
    )
    session.add(user)
    session.flush()
    current(session).name(user, "user.create")
    return user


def create_first_admin(email: str, full_name: str, password: str) -> Actor:
    """Create the first administrator; refused once any account exists."""
    errors = FieldErrors()
    clean_email = errors.check(normalize_email, email)
    clean_name = errors.check(_check_name, full_name)
    errors.check(check_password_policy, password, user_inputs=(email, full_name))
    errors.raise_if_any()
    assert clean_email is not None and clean_name is not None
    with change(SYSTEM, None, "user.create") as uow:
        session = uow.session
        # Five first-admin forms sent together: one creates the account, the others wait
        # here, then find it.
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": FIRST_ADMIN_LOCK_KEY})
        if _active_admins(session):
            raise CaseError("Un administrateur existe déjà : connectez-vous.")
        user = insert_user(session, SYSTEM, clean_email, clean_name, Role.ADMIN, password)
    return actor_of(user)


def authenticate(email: str, password: str) -> Actor:
    """Check credentials; count failures and lock after five; never tell if the email exists."""
    try:
        email = normalize_email(email)
    except ValidationError:
        raise AuthError(SIGN_IN_REFUSED) from None
    # The slow hash check runs before the write transaction, so that no lock (the account
    # row; on SQLite the whole database) is held while argon2 works.
    with read_session() as session:
        seen = session.exec(select(User.password_hash).where(User.email == email)).first()
    matches = _verify(seen or _DUMMY_HASH, password)
    now = utcnow()
    with change(SYSTEM, None, "auth.login") as uow:
        session = uow.session
        # The row stays locked while the failure is counted: thirty wrong passwords sent
        # together count thirty, and the fifth locks the account. (Signing in is no edit of
        # the account: its version is left alone, so an admin's open form stays valid.)
        user = session.exec(select(User).where(User.email == email).with_for_update()).first()
        if user is None or not user.is_active or user.password_hash != seen:
            # Unknown, deactivated, or its password changed meanwhile: refused, not counted.
            raise AuthError(SIGN_IN_REFUSED)
        if user.locked_until is not None and user.locked_until > now:
            raise AuthError(SIGN_IN_REFUSED)
        if not matches:
            _record_failure(uow, user, now)
            failure = True
        else:
            failure = False
            actor = uow.actor = actor_of(user)
            user.failed_attempts = 0
            user.locked_until = None
            user.last_login_at = now
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            session.add(user)
    # The failure count is committed even though sign-in is refused.
    if failure:
        raise AuthError(SIGN_IN_REFUSED)
    return actor


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _record_failure(uow: UnitOfWork, user: User, now: datetime) -> None:
    user.failed_attempts += 1
    action = "auth.login_failed"
    if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
        user.locked_until = now + LOCKOUT
        user.failed_attempts = 0
        action = "auth.locked"
    uow.name(user, action)
    uow.session.add(user)


def actor_for_sso_email(email: str) -> Actor:
    """Match a single-sign-on identity to an active casedesk account."""
    refused = AuthError(
        "Votre identité a été reconnue, mais aucun compte casedesk actif n'y correspond. "
        "Demandez à un administrateur de vous créer un compte avec cette adresse e-mail."
    )
    try:
        email = normalize_email(email)
    except ValidationError:
        raise refused from None
    with change(SYSTEM, None, "auth.login_sso") as uow:
        user = uow.session.exec(select(User).where(User.email == email).with_for_update()).first()
        if user is None or not user.is_active:
            raise refused
        actor = uow.actor = actor_of(user)
        user.last_login_at = utcnow()
        uow.session.add(user)
    return actor


def current_actor(user_id: int) -> Actor | None:
    """The signed-in user as stored now; None once deactivated (takes effect at once)."""
    with read_session() as session:
        user = session.get(User, user_id)
        if user is None or not user.is_active:
            return None
        return actor_of(user)


SESSION_DEACTIVATED = "Votre compte a été désactivé."
SESSION_REVOKED = (
    "Un administrateur a modifié votre compte (mot de passe ou rôle) : reconnectez-vous."
)


def resume_session(user_id: int, signed_in_at: datetime) -> Actor:
    """The account of a session signed in at `signed_in_at`, as stored now (a role change
    applies at once); AuthError once the account is deactivated or an administrator has
    ended its sessions (password reset, role change) since that sign-in."""
    with read_session() as session:
        user = session.get(User, user_id)
        if user is None or not user.is_active:
            raise AuthError(SESSION_DEACTIVATED)
        if user.sessions_revoked_at is not None and signed_in_at <= user.sessions_revoked_at:
            raise AuthError(SESSION_REVOKED)
        return actor_of(user)


def is_idle_expired(last_activity: datetime, now: datetime, idle_minutes: int) -> bool:
    return now - last_activity > timedelta(minutes=idle_minutes)


def change_own_password(actor: Actor, current_password: str, new_password: str) -> None:
    require(actor, Perm.ACCOUNT_SELF)
    check_password_policy(new_password, "new_password", (actor.email, actor.full_name))
    with change(actor, Perm.ACCOUNT_SELF, "user.password_change") as uow:
        user = uow.lock(User, actor.id, missing="Compte introuvable.", stale=ACCOUNT_NOUN)
        if not _verify(user.password_hash, current_password):
            raise ValidationError({"current_password": "Le mot de passe actuel est incorrect."})
        if current_password == new_password:
            raise ValidationError(
                {"new_password": "Le nouveau mot de passe doit différer de l'actuel."}
            )
        user.password_hash = hash_password(new_password)
        user.password_changed_at = utcnow()
        uow.note(user, "password", "***", "***")


def list_users(actor: Actor) -> list[UserView]:
    require(actor, Perm.USERS_MANAGE)
    with read_session() as session:
        return [_view(u) for u in session.exec(select(User).order_by(User.full_name)).all()]


def assignable_users(actor: Actor) -> list[UserView]:
    """Active users who can hold cases (for assignee pickers)."""
    with read_session() as session:
        users = session.exec(
            select(User)
            .where(
                User.is_active,
                col(User.role).in_(CASE_HOLDER_ROLES),
            )
            .order_by(User.full_name)
        ).all()
        return [_view(u) for u in users]


def create_user(
    actor: Actor,
    email: str,
    full_name: str,
    role: str | Role,
    password: str,
) -> UserView:
    require(actor, Perm.USERS_MANAGE)
    errors = FieldErrors()
    clean_email = errors.check(normalize_email, email)
    clean_name = errors.check(_check_name, full_name)
    clean_role = errors.check(_parse_role, role)
    errors.check(check_password_policy, password, user_inputs=(email, full_name))
    errors.raise_if_any()
    assert clean_email is not None and clean_name is not None and clean_role is not None
    with change(actor, Perm.USERS_MANAGE, "user.create") as uow:
        user = insert_user(uow.session, actor, clean_email, clean_name, clean_role, password)
    return _view(user)


def _ensure_not_last_admin(session: Session, user: User) -> None:
    if user.role != Role.ADMIN or not user.is_active:
        return
    if _active_admins(session) <= 1:
        raise CaseError("Impossible : c'est le dernier administrateur actif.")


def update_user(
    actor: Actor,
    user_id: int,
    *,
    role: str | Role | None = None,
    is_active: bool | None = None,
    full_name: str | None = None,
    expected_version: int | None = None,
) -> UserView:
    """Change role, name or active flag of an account."""
    require(actor, Perm.USERS_MANAGE)
    with change(actor, Perm.USERS_MANAGE, "user.update") as uow:
        session = uow.session
        user = uow.lock(
            User, user_id, expected_version, missing="Compte introuvable.", stale=ACCOUNT_NOUN
        )
        new_role = _parse_role(role) if role is not None else Role(user.role)
        if (new_role != Role.ADMIN or is_active is False) and user.role == Role.ADMIN:
            _ensure_not_last_admin(session, user)
        if new_role != user.role:
            # Sessions opened under the former role end: the user signs in again.
            user.sessions_revoked_at = utcnow()
        user.role = new_role
        if is_active is not None:
            user.is_active = is_active
        if full_name is not None:
            user.full_name = _check_name(full_name)
        session.add(user)
    return _view(user)


def reset_password(actor: Actor, user_id: int, new_password: str) -> None:
    """An administrator sets a new password; it also lifts a lockout."""
    require(actor, Perm.USERS_MANAGE)
    with change(actor, Perm.USERS_MANAGE, "user.password_reset") as uow:
        user = uow.lock(User, user_id, missing="Compte introuvable.", stale=ACCOUNT_NOUN)
        check_password_policy(new_password, user_inputs=(user.email, user.full_name))
        user.password_hash = hash_password(new_password)
        user.password_changed_at = user.sessions_revoked_at = utcnow()
        user.failed_attempts = 0
        user.locked_until = None
        uow.note(user, "password", "***", "***")
