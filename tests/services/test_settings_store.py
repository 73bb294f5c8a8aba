"""Settings: checked before saving, saved together in one transaction, audited."""

from __future__ import annotations

import pytest
from sqlmodel import select

import case_core.settings_catalog  # noqa: F401  (declares every setting)
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.settings import get_setting, set_settings
from case_core.models import AuditEvent


def test_out_of_range_values_refused_and_nothing_saved(admin: Actor) -> None:
    with pytest.raises(ValidationError) as exc:
        set_settings(
            admin,
            {
                "plans.grace_days": 5,
                "plans.missed_to_break": 0,
                "guardrails.call_hours": "n'importe",
            },
        )
    assert set(exc.value.errors) == {"plans.missed_to_break", "guardrails.call_hours"}
    assert get_setting("plans.grace_days") == 10
    with pytest.raises(ValidationError):
        set_settings(admin, {"plans.grace_days": -30})


def test_several_settings_saved_together_and_audited(admin: Actor) -> None:
    set_settings(admin, {"plans.grace_days": 5, "plans.missed_to_break": 3})
    assert (get_setting("plans.grace_days"), get_setting("plans.missed_to_break")) == (5, 3)
    with read_session() as session:
        actions = session.exec(
            select(AuditEvent.entity_id).where(AuditEvent.action == "setting.update")
        ).all()
    assert sorted(actions) == ["plans.grace_days", "plans.missed_to_break"]
