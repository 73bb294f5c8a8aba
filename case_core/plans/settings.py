"""The settings the plan status rule turns on, declared once and read as a StatusRule."""

from __future__ import annotations

from sqlmodel import Session

from case_core.kernel.settings import declare, get_setting
from case_core.plans.status import StatusRule

GRACE_DAYS_KEY = "plans.grace_days"
MISSED_TO_BREAK_KEY = "plans.missed_to_break"
declare(
    GRACE_DAYS_KEY,
    10,
    "Échéanciers : jours de grâce après l'échéance avant qu'elle soit comptée impayée",
)
declare(
    MISSED_TO_BREAK_KEY,
    2,
    "Échéanciers : nombre d'échéances impayées qui rompt le plan",
    minimum=1,
)


def status_rule(session: Session) -> StatusRule:
    return StatusRule(
        grace_days=int(get_setting(GRACE_DAYS_KEY, session)),
        missed_to_break=int(get_setting(MISSED_TO_BREAK_KEY, session)),
    )
