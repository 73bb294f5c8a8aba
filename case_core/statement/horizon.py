"""How close to limitation a case is when the team must be warned: one setting, read by the
portfolio filter, Ma journée and the dashboard, so that changing it changes all three."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from case_core.kernel.settings import declare, get_setting

# The key predates the portfolio filter; kept so that a value an admin saved still counts.
LIMITATION_HORIZON = "my_day.limitation_warning_days"
declare(LIMITATION_HORIZON, 90, "Prescription proche : à moins de (jours)")


def horizon_days(session: Session | None = None) -> int:
    return int(get_setting(LIMITATION_HORIZON, session))


def horizon_end(today: date, session: Session | None = None) -> date:
    """The last limitation date that counts as close to limitation on `today`."""
    return today + timedelta(days=horizon_days(session))
