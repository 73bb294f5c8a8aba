"""Settings users may change (grace days, call hours…), stored as JSON in app_settings so
that every replica reads the same values. Each capability declares its keys and defaults
in DEFAULTS."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlmodel import Session, select

from case_core.kernel.actor import Actor
from case_core.kernel.column_guard import problem
from case_core.kernel.db import is_shared, per_run, read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import change
from case_core.kernel.validation import FieldErrors
from case_core.models import AppSetting, utcnow

# key -> (default value, French label shown on the settings page)
DEFAULTS: dict[str, tuple[Any, str]] = {}
# key -> checks a value must pass (each raises ValidationError)
_VALIDATORS: dict[str, list[Callable[[Any], None]]] = {}


# Every whole-number setting counts days, attempts or years: beyond ten years' worth of days
# a value is a typo, and date arithmetic with it overflows (1 000 000 days of grace took the
# plan board, Ma journée and the case page down for everyone).
INT_SETTING_MAX = 3650
# A text setting is a name, an address, a sentence of a letter.
TEXT_SETTING_MAX = 1000


def declare(
    key: str, default: Any, label: str, *, minimum: int | None = None, maximum: int | None = None
) -> None:
    """Register a setting and its default (called at import time by the owning module).

    A whole-number setting is never negative; `minimum` raises that floor (e.g. 1), and it is
    at most `maximum` (INT_SETTING_MAX unless said). A text setting is at most
    TEXT_SETTING_MAX characters, without the characters no text may hold."""
    DEFAULTS[key] = (default, label)
    if isinstance(default, int) and not isinstance(default, bool):
        floor = 0 if minimum is None else minimum
        ceiling = INT_SETTING_MAX if maximum is None else maximum
        add_validator(key, lambda value: _at_least(key, label, value, floor))
        add_validator(key, lambda value: _at_most(key, label, value, ceiling))
    elif isinstance(default, str):
        add_validator(key, lambda value: _text(key, label, value))


def add_validator(key: str, check: Callable[[Any], None]) -> None:
    _VALIDATORS.setdefault(key, []).append(check)


def _at_least(key: str, label: str, value: Any, floor: int) -> None:
    if value < floor:
        raise ValidationError({key: f"« {label} » : {floor} au minimum."})


def _at_most(key: str, label: str, value: Any, ceiling: int) -> None:
    if value > ceiling:
        raise ValidationError({key: f"« {label} » : {ceiling:,} au plus.".replace(",", "\u202f")})


def _text(key: str, label: str, value: str) -> None:
    if (message := problem(f"« {label} »", value, TEXT_SETTING_MAX)) is not None:
        raise ValidationError({key: message})


def validate(key: str, value: Any) -> None:
    default = _default(key)
    # bool is an int to Python, not to a user: True is not a number of days.
    if isinstance(value, bool) and not isinstance(default, bool):
        raise ValidationError({key: f"Valeur invalide pour « {DEFAULTS[key][1]} »."})
    if default is not None and not isinstance(value, type(default)):
        raise ValidationError({key: f"Valeur invalide pour « {DEFAULTS[key][1]} »."})
    for check in _VALIDATORS.get(key, []):
        check(value)


def _default(key: str) -> Any:
    if key not in DEFAULTS:
        raise KeyError(f"unknown setting {key!r}: declare it first")
    return DEFAULTS[key][0]


def get_setting(key: str, session: Session | None = None) -> Any:
    """The stored value of `key`, or its declared default."""
    if session is not None:
        return _value(session, key)
    with read_session() as own:
        return _value(own, key)


def _value(session: Session, key: str) -> Any:
    if is_shared(session):  # a page run reads the few settings rows once
        stored = per_run(
            session,
            "app_settings",
            lambda: {r.key: r.value for r in session.exec(select(AppSetting)).all()},
        )
        raw = stored.get(key)
    else:
        row = session.get(AppSetting, key)
        raw = row.value if row else None
    return json.loads(raw) if raw is not None else _default(key)


def all_settings() -> dict[str, Any]:
    with read_session() as session:
        stored = {r.key: json.loads(r.value) for r in session.exec(select(AppSetting)).all()}
    return {key: stored.get(key, default) for key, (default, _label) in DEFAULTS.items()}


def set_settings(actor: Actor, values: dict[str, Any]) -> None:
    """Save several settings in one transaction, after checking every one of them."""
    require(actor, Perm.SETTINGS_MANAGE)
    errors = FieldErrors()
    for key, value in values.items():
        errors.check(validate, key, value)
    errors.raise_if_any()
    with change(actor, Perm.SETTINGS_MANAGE, "setting.update") as uow:
        for key, value in values.items():
            row = uow.session.get(AppSetting, key, with_for_update=True)
            before = json.loads(row.value) if row else _default(key)
            if row is None:
                row = AppSetting(key=key, value=json.dumps(value))
            else:
                row.value = json.dumps(value)
                row.updated_at = utcnow()
            uow.add(row)
            if before != value:
                uow.note(row, key, before, value)
