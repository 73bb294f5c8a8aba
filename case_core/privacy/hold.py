"""Legal hold on a case (litigation, an authority's request, an audit): while it is set, no
retention purge and no erasure touches the case, whatever the settings. A manager sets and
lifts it with a reason; both are in the case's audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from case_core.cases.change import change_case
from case_core.cases.loading import get_case
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.models import utcnow

REASON_MAX = 500


@dataclass(frozen=True)
class HoldView:
    reference: str
    reason: str | None
    since: datetime | None
    version: int

    @property
    def held(self) -> bool:
        return self.reason is not None


def _reason(text: str | None) -> str:
    reason = (text or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Le motif est limité à {REASON_MAX} caractères."})
    return reason


def set_legal_hold(
    actor: Actor, reference: str, reason: str, expected_version: int | None = None
) -> HoldView:
    """Put the case under legal hold, for `reason`."""
    why = _reason(reason)
    with change_case(
        actor, Perm.CASES_CLOSE, reference, "case.legal_hold", expected_version=expected_version
    ) as work:
        case = work.case
        if case.legal_hold_reason is not None:
            raise ValidationError({"reason": "Ce dossier est déjà sous conservation légale."})
        case.legal_hold_reason = why
        case.legal_hold_since = utcnow()
        work.session.add(case)
    return HoldView(case.reference, case.legal_hold_reason, case.legal_hold_since, case.version)


def lift_legal_hold(
    actor: Actor, reference: str, reason: str, expected_version: int | None = None
) -> HoldView:
    """Lift the hold; the reason for lifting it is recorded in the audit trail."""
    why = _reason(reason)
    with change_case(
        actor,
        Perm.CASES_CLOSE,
        reference,
        "case.legal_hold_lift",
        expected_version=expected_version,
    ) as work:
        case = work.case
        if case.legal_hold_reason is None:
            raise ValidationError({"reason": "Ce dossier n'est pas sous conservation légale."})
        work.uow.note(case, "motif_levee", None, why)
        case.legal_hold_reason = None
        case.legal_hold_since = None
        work.session.add(case)
    return HoldView(case.reference, None, None, case.version)


def legal_hold(actor: Actor, reference: str) -> HoldView:
    """The case's hold as it stands (the case page shows it)."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        return HoldView(case.reference, case.legal_hold_reason, case.legal_hold_since, case.version)
