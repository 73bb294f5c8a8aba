"""What the command-line modules share: the acting account and error reporting."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click
from sqlmodel import col, select

from case_core import migrations
from case_core.accounts.auth import actor_of
from case_core.kernel.actor import SYSTEM, Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError
from case_core.models import Role, User

F = TypeVar("F", bound=Callable[..., Any])


def reports_case_errors(func: F) -> F:
    """Turn a domain error into a clear message and exit status 1, not a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CaseError as exc:
            raise click.ClickException(exc.message) from None

    return wrapper  # type: ignore[return-value]


def ensure_database() -> None:
    migrations.upgrade()


def cli_actor() -> Actor:
    """The account the command acts as: `CASEDESK_ACTOR` (an email), else the first
    active administrator, else the system (empty database)."""
    email = os.environ.get("CASEDESK_ACTOR")
    with read_session() as session:
        query = select(User).where(User.is_active)
        if email:
            user = session.exec(query.where(User.email == email.strip().lower())).first()
            if user is None:
                raise click.ClickException(f"Aucun compte actif pour CASEDESK_ACTOR={email}.")
            return actor_of(user)
        user = session.exec(query.where(User.role == Role.ADMIN).order_by(col(User.id))).first()
        return actor_of(user) if user else SYSTEM
