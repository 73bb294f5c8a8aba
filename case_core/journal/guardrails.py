"""Contact guardrails: warnings (never errors) before a contact is logged.

The rules follow the usual French recovery code of conduct: outgoing calls only on
working days at decent hours, not harassing a debtor with repeated call attempts,
and respecting a debtor's request to be contacted in writing only. A user may go on
with a reason, which is stored on the contact and in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial

import holidays
from sqlalchemy import func
from sqlmodel import Session, col, select

from case_core.kernel.dates import PARIS
from case_core.kernel.errors import CaseError, ValidationError
from case_core.kernel.settings import add_validator, declare, get_setting
from case_core.models import (
    Case,
    Channel,
    ContactEvent,
    ContactObjection,
    ObjectionKind,
    ObjectionSource,
    Party,
    utcnow,
)

CALL_HOURS = "guardrails.call_hours"
CALL_DAYS = "guardrails.call_days"
MAX_CALL_ATTEMPTS = "guardrails.max_call_attempts"
CALL_ATTEMPT_WINDOW_DAYS = "guardrails.call_attempt_window_days"

declare(
    CALL_HOURS,
    "10:00-13:00, 14:00-20:00",
    "Plages horaires des appels sortants (heure de Paris, ex. 10:00-13:00, 14:00-20:00)",
)
declare(CALL_DAYS, "lundi, mardi, mercredi, jeudi, vendredi", "Jours des appels sortants")
declare(MAX_CALL_ATTEMPTS, 4, "Tentatives d'appel au plus sur la période")
declare(CALL_ATTEMPT_WINDOW_DAYS, 30, "Période de comptage des tentatives d'appel (jours)")

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
# Channels the debtor starts, or that are in writing: a written-only request allows them.
WRITTEN_OR_INCOMING = {
    Channel.LETTER,
    Channel.REGISTERED_LETTER,
    Channel.EMAIL_OUT,
    Channel.EMAIL_IN,
    Channel.CALL_IN,
}


# The channels each objection (GDPR art. 21, privacy.objections) closes: what the person
# starts (an incoming call, their e-mail) stays open, as under a written-only request.
BLOCKED_BY: dict[ObjectionKind, frozenset[Channel]] = {
    ObjectionKind.NO_CALLS: frozenset({Channel.CALL_OUT}),
    ObjectionKind.WRITTEN_ONLY: frozenset(Channel) - WRITTEN_OR_INCOMING,
    ObjectionKind.NO_SMS: frozenset({Channel.SMS}),
    ObjectionKind.NO_EMAIL: frozenset({Channel.EMAIL_OUT}),
}
# The objections that rule out calling the debtor (Ma journée suggests writing instead).
NO_CALL_KINDS = frozenset(k for k, channels in BLOCKED_BY.items() if Channel.CALL_OUT in channels)


def objections_in_force(session: Session, party_id: int) -> list[ContactObjection]:
    return list(
        session.exec(
            select(ContactObjection)
            .where(
                ContactObjection.party_id == party_id,
                col(ContactObjection.lifted_on).is_(None),
            )
            .order_by(col(ContactObjection.id))
        ).all()
    )


@dataclass(frozen=True)
class GuardrailWarning:
    code: str  # call_hours, call_attempts, written_only, objection
    message: str


class OverrideRequired(CaseError):
    """Guardrail warnings were raised: the user must give a reason to go on."""

    def __init__(self, warnings: list[GuardrailWarning]) -> None:
        self.warnings = warnings
        super().__init__(
            "Attention : "
            + " ; ".join(w.message for w in warnings)
            + ". Indiquez un motif pour enregistrer quand même."
        )


def parse_hours(text: str) -> list[tuple[time, time]]:
    """'10:00-13:00, 14:00-20:00' -> [(10:00, 13:00), (14:00, 20:00)]."""
    windows: list[tuple[time, time]] = []
    for chunk in text.split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        try:
            start_text, end_text = (part.strip() for part in chunk.split("-"))
            start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
        except ValueError:
            raise ValidationError(
                {CALL_HOURS: f"Plage horaire illisible : « {chunk} » (attendu 10:00-13:00)."}
            ) from None
        if start >= end:
            raise ValidationError({CALL_HOURS: f"Plage horaire vide : « {chunk} »."})
        windows.append((start, end))
    return windows


def parse_days(text: str) -> set[int]:
    """'lundi, mardi' -> {0, 1} (Monday is 0)."""
    days: set[int] = set()
    for name in text.split(","):
        name = name.strip().lower()
        if not name:
            continue
        if name not in WEEKDAYS:
            raise ValidationError({CALL_DAYS: f"Jour inconnu : « {name} »."})
        days.add(WEEKDAYS.index(name))
    return days


def _call_time_warning(session: Session, at: datetime) -> GuardrailWarning | None:
    local = at.astimezone(PARIS)
    windows = parse_hours(get_setting(CALL_HOURS, session))
    days = parse_days(get_setting(CALL_DAYS, session))
    if local.date() in holidays.country_holidays("FR", years=local.year):
        return GuardrailWarning("call_hours", f"appel sortant un jour férié ({local:%d/%m/%Y})")
    in_window = any(start <= local.time() < end for start, end in windows)
    if local.weekday() not in days or not in_window:
        return GuardrailWarning(
            "call_hours",
            f"appel sortant hors des plages autorisées ({WEEKDAYS[local.weekday()]} "
            f"{local:%H:%M}, heure de Paris ; autorisé : {get_setting(CALL_HOURS, session)})",
        )
    return None


def call_attempts(session: Session, case_id: int, at: datetime, days: int) -> int:
    """Outgoing calls logged on the case in the `days` days before `at` (corrections excluded)."""
    return session.exec(
        select(func.count())
        .select_from(ContactEvent)
        .where(
            ContactEvent.case_id == case_id,
            ContactEvent.channel == Channel.CALL_OUT,
            ContactEvent.corrects_event_id.is_(None),  # type: ignore[union-attr]
            ContactEvent.occurred_at >= at - timedelta(days=days),
        )
    ).one()


def warnings_for(
    session: Session, case: Case, channel: Channel, at: datetime | None = None
) -> list[GuardrailWarning]:
    """The guardrail warnings for logging a contact by `channel` on `case` at `at`."""
    at = at or utcnow()
    found: list[GuardrailWarning] = []
    if channel == Channel.CALL_OUT:
        hours = _call_time_warning(session, at)
        if hours:
            found.append(hours)
        limit = int(get_setting(MAX_CALL_ATTEMPTS, session))
        window = int(get_setting(CALL_ATTEMPT_WINDOW_DAYS, session))
        assert case.id is not None
        done = call_attempts(session, case.id, at, window)
        if done >= limit:
            found.append(
                GuardrailWarning(
                    "call_attempts",
                    f"déjà {done} tentatives d'appel en {window} jours sur ce dossier "
                    f"(limite : {limit})",
                )
            )
    # An objection is the person's right, not a code of conduct: going on still takes a
    # reason (a call that did happen must be journaled, not hidden), stored and audited.
    for objection in objections_in_force(session, case.debtor_id):
        if channel in BLOCKED_BY[ObjectionKind(objection.kind)]:
            found.append(
                GuardrailWarning(
                    "objection",
                    "le débiteur s'est opposé à ce canal "
                    f"(« {ObjectionKind(objection.kind).label} », "
                    f"reçue le {objection.received_on:%d/%m/%Y}, "
                    f"{ObjectionSource(objection.source).label.lower()})",
                )
            )
    debtor = session.get(Party, case.debtor_id)
    if (
        debtor is not None
        and debtor.written_contact_only
        and channel not in WRITTEN_OR_INCOMING
        and not any(w.code == "objection" for w in found)
    ):
        found.append(
            GuardrailWarning(
                "written_only",
                "le débiteur a demandé à n'être contacté que par écrit",
            )
        )
    return found


def validate_setting(key: str, value: object) -> None:
    """Refuse a call-hours, call-days or limit value the guardrails could not use."""
    if key == CALL_HOURS:
        if not parse_hours(str(value)):
            raise ValidationError({key: "Indiquez au moins une plage horaire."})
    elif key == CALL_DAYS:
        parse_days(str(value))
    elif key in (MAX_CALL_ATTEMPTS, CALL_ATTEMPT_WINDOW_DAYS) and int(value) < 1:  # type: ignore[call-overload]
        raise ValidationError({key: "La valeur doit être d'au moins 1."})


# The settings page saves through case_core.kernel.settings, which runs these checks.
for _key in (CALL_HOURS, CALL_DAYS, MAX_CALL_ATTEMPTS, CALL_ATTEMPT_WINDOW_DAYS):
    add_validator(_key, partial(validate_setting, _key))
