"""Settings users may change (grace days, call hours…), stored as JSON in app_settings so
that every replica reads the same values. Each capability declares its keys and defaults
in DEFAULTS."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from case_core import audit
from case_core.actor import Actor
from case_core.db import read_session, session_scope
from case_core.errors import ValidationError
from case_core.models import AppSetting, utcnow
from case_core.permissions import Perm, require

# key -> (default value, French label shown on the settings page)
DEFAULTS: dict[str, tuple[Any, str]] = {}


def declare(key: str, default: Any, label: str) -> None:
    """Register a setting and its default (called at import time by the owning module)."""
    DEFAULTS[key] = (default, label)


def _default(key: str) -> Any:
    if key not in DEFAULTS:
        raise KeyError(f"unknown setting {key!r}: declare it first")
    return DEFAULTS[key][0]


def get_setting(key: str, session: Session | None = None) -> Any:
    """The stored value of `key`, or its declared default."""
    if session is not None:
        row = session.get(AppSetting, key)
        return json.loads(row.value) if row else _default(key)
    with read_session() as own:
        row = own.get(AppSetting, key)
        return json.loads(row.value) if row else _default(key)


def all_settings() -> dict[str, Any]:
    with read_session() as session:
        stored = {r.key: json.loads(r.value) for r in session.exec(select(AppSetting)).all()}
    return {key: stored.get(key, default) for key, (default, _label) in DEFAULTS.items()}


def set_setting(actor: Actor, key: str, value: Any) -> None:
    require(actor, Perm.SETTINGS_MANAGE)
    default = _default(key)
    if default is not None and not isinstance(value, type(default)):
        raise ValidationError({key: f"Valeur invalide pour « {DEFAULTS[key][1]} »."})
    with session_scope() as session:
        row = session.get(AppSetting, key)
        before = json.loads(row.value) if row else default
        if row is None:
            row = AppSetting(key=key, value=json.dumps(value))
        else:
            row.value = json.dumps(value)
            row.updated_at = utcnow()
        session.add(row)
        audit.record(
            session,
            actor,
            "setting.update",
            "setting",
            key,
            audit.diff({key: before}, {key: value}),
        )
