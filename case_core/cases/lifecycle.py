"""The phases of a case as a small state machine, and the other case-level changes
(closing, reopening, reassigning, next action). Each is one audited transaction
with optimistic locking on Case.version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from case_core.cases.change import change_case
from case_core.kernel.actor import Actor
from case_core.kernel.errors import ValidationError
from case_core.kernel.money import format_cents
from case_core.kernel.permissions import CASE_HOLDER_ROLES, Perm, require
from case_core.models import Case, ClosureReason, Phase, Role, User, utcnow

# Closing is not a transition here: it needs a reason (close_case), from any open phase.
TRANSITIONS: dict[Phase, tuple[Phase, ...]] = {
    Phase.AMIABLE: (Phase.PRE_CONTENTIEUX, Phase.MEDIATION),
    Phase.PRE_CONTENTIEUX: (Phase.CONTENTIEUX, Phase.MEDIATION),
    # Back from mediation to either amicable phase (where it came from, or onwards).
    Phase.MEDIATION: (Phase.AMIABLE, Phase.PRE_CONTENTIEUX),
    Phase.CONTENTIEUX: (),
    Phase.CLOSED: (),
}
REOPEN_TO: tuple[Phase, ...] = (Phase.AMIABLE, Phase.PRE_CONTENTIEUX, Phase.CONTENTIEUX)
NOTE_MAX = 500


@dataclass(frozen=True)
class CaseState:
    reference: str
    phase: Phase
    closure_reason: ClosureReason | None
    assignee_id: int | None
    next_action_date: date | None
    next_action_note: str | None
    version: int


def _state(case: Case) -> CaseState:
    return CaseState(
        reference=case.reference,
        phase=Phase(case.phase),
        closure_reason=ClosureReason(case.closure_reason) if case.closure_reason else None,
        assignee_id=case.assignee_id,
        next_action_date=case.next_action_date,
        next_action_note=case.next_action_note,
        version=case.version,
    )


def allowed_transitions(case: Case | CaseState | Phase) -> list[Phase]:
    """The phases a case may move to from its current one (closing aside)."""
    phase = case if isinstance(case, Phase) else case.phase
    return list(TRANSITIONS[Phase(phase)])


def _user_name(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user.full_name if user else None


def _check_note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Note trop longue ({NOTE_MAX} caractères au plus)."})
    return note


# Sending a case to contentieux hands it to a bailiff or a lawyer: a manager's act.
_PHASE_PERMS: dict[Phase, Perm] = {Phase.CONTENTIEUX: Perm.CASES_REFER}


def change_phase(
    actor: Actor, reference: str, to_phase: Phase, expected_version: int | None
) -> CaseState:
    target = Phase(to_phase)
    require(actor, _PHASE_PERMS.get(target, Perm.CASES_PHASE))
    with change_case(
        actor, Perm.CASES_PHASE, reference, "case.phase", expected_version=expected_version
    ) as work:
        case = work.case
        current = Phase(case.phase)
        if target not in TRANSITIONS[current]:
            if target == Phase.CLOSED:
                message = "Pour clore un dossier, indiquez le motif de clôture."
            else:
                message = f"Passage de « {current.label} » à « {target.label} » non autorisé."
            raise ValidationError({"phase": message})
        case.phase = target
    return _state(case)


def close_case(
    actor: Actor,
    reference: str,
    reason: ClosureReason,
    note: str | None,
    expected_version: int | None,
) -> CaseState:
    try:
        reason = ClosureReason(reason)
    except ValueError:
        raise ValidationError({"reason": "Motif de clôture inconnu."}) from None
    note = _check_note(note)
    with change_case(
        actor, Perm.CASES_CLOSE, reference, "case.close", expected_version=expected_version
    ) as work:
        case = work.case
        if case.phase == Phase.CLOSED:
            raise ValidationError({"phase": "Ce dossier est déjà clos."})
        if reason == ClosureReason.PAID:
            # What the statement says is owed today, read after the lock; the principal
            # balance decides when a missing rate stops the statement.
            owed = work.owed_cents()
            remaining = case.balance_cents if owed is None else max(owed, case.balance_cents)
            if remaining > 0:
                raise ValidationError(
                    {
                        "reason": f"Il reste {format_cents(remaining)} dus (selon le décompte) : "
                        "le dossier ne peut pas être clos « Payé ». Choisissez « Transigé » "
                        "(accord pour solde) ou « Passé en perte »."
                    }
                )
        case.phase = Phase.CLOSED
        case.closure_reason = reason
        case.closed_at = utcnow()
        case.next_action_date = None
        case.next_action_note = note
    return _state(case)


def reopen_case(
    actor: Actor, reference: str, to_phase: Phase, expected_version: int | None
) -> CaseState:
    with change_case(
        actor, Perm.CASES_CLOSE, reference, "case.reopen", expected_version=expected_version
    ) as work:
        case = work.case
        if case.phase != Phase.CLOSED:
            raise ValidationError({"phase": "Ce dossier n'est pas clos."})
        if Phase(to_phase) not in REOPEN_TO:
            raise ValidationError(
                {"phase": f"Réouverture en « {Phase(to_phase).label} » impossible."}
            )
        case.phase = Phase(to_phase)
        case.closure_reason = None
        case.closed_at = None
    return _state(case)


def reassign(
    actor: Actor, reference: str, assignee_id: int | None, expected_version: int | None
) -> CaseState:
    with change_case(
        actor, Perm.CASES_ASSIGN, reference, "case.assign", expected_version=expected_version
    ) as work:
        case, session = work.case, work.session
        if assignee_id is not None:
            user = session.get(User, assignee_id)
            if user is None or not user.is_active or Role(user.role) not in CASE_HOLDER_ROLES:
                raise ValidationError(
                    {"assignee_id": "Ce chargé de dossier n'existe pas ou est inactif."}
                )
        work.uow.note(
            case,
            "assignee",
            _user_name(session, case.assignee_id),
            _user_name(session, assignee_id),
        )
        case.assignee_id = assignee_id
    return _state(case)


def set_next_action(
    actor: Actor,
    reference: str,
    action_date: date | None,
    note: str | None,
    expected_version: int | None,
) -> CaseState:
    note = _check_note(note)
    with change_case(
        actor, Perm.CASES_EDIT, reference, "case.next_action", expected_version=expected_version
    ) as work:
        case = work.case
        if case.phase == Phase.CLOSED:
            raise ValidationError({"next_action_date": "Ce dossier est clos."})
        case.next_action_date = action_date
        case.next_action_note = note
    return _state(case)
