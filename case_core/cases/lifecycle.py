"""The phases of a case as a small state machine, and the other case-level changes
(closing, reopening, reassigning, next action). Each is one audited transaction
with optimistic locking on Case.version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from case_core.cases.loading import load_case_for_update, touch_case
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.db import session_scope
from case_core.kernel.errors import ValidationError
from case_core.kernel.money import format_cents
from case_core.kernel.permissions import Perm, require
from case_core.models import Case, ClosureReason, Phase, User, utcnow
from case_core.statement.account import statement_for_case
from case_core.statement.rates import MissingRate

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


_FIELDS = [
    "phase",
    "closure_reason",
    "closed_at",
    "assignee_id",
    "next_action_date",
    "next_action_note",
]


def _save(
    session: Session,
    actor: Actor,
    case: Case,
    action: str,
    before: dict[str, object],
    readable: audit.Changes | None = None,
) -> CaseState:
    """`readable` adds changes a reader understands (a name where the row holds an id)."""
    touch_case(session, case, actor)
    audit.record(
        session,
        actor,
        action,
        "case",
        case.id,
        {**audit.diff(before, audit.snapshot(case, _FIELDS)), **(readable or {})},
        case_id=case.id,
    )
    return _state(case)


def _user_name(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user.full_name if user else None


def change_phase(
    actor: Actor, reference: str, to_phase: Phase, expected_version: int | None
) -> CaseState:
    require(actor, Perm.CASES_PHASE)
    with session_scope() as session:
        case = load_case_for_update(session, reference, expected_version)
        current = Phase(case.phase)
        target = Phase(to_phase)
        if target not in TRANSITIONS[current]:
            if target == Phase.CLOSED:
                message = "Pour clore un dossier, indiquez le motif de clôture."
            else:
                message = f"Passage de « {current.label} » à « {target.label} » non autorisé."
            raise ValidationError({"phase": message})
        before = audit.snapshot(case, _FIELDS)
        case.phase = target
        return _save(session, actor, case, "case.phase", before)


def close_case(
    actor: Actor,
    reference: str,
    reason: ClosureReason,
    note: str | None,
    expected_version: int | None,
) -> CaseState:
    require(actor, Perm.CASES_CLOSE)
    try:
        reason = ClosureReason(reason)
    except ValueError:
        raise ValidationError({"reason": "Motif de clôture inconnu."}) from None
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Note trop longue ({NOTE_MAX} caractères au plus)."})
    owed = _owed_per_statement(actor, reference) if reason == ClosureReason.PAID else None
    with session_scope() as session:
        case = load_case_for_update(session, reference, expected_version)
        if case.phase == Phase.CLOSED:
            raise ValidationError({"phase": "Ce dossier est déjà clos."})
        remaining = case.balance_cents if owed is None else max(owed, case.balance_cents)
        if reason == ClosureReason.PAID and remaining > 0:
            raise ValidationError(
                {
                    "reason": f"Il reste {format_cents(remaining)} dus (selon le décompte) : "
                    "le dossier ne peut pas être clos « Payé ». Choisissez « Transigé » "
                    "(accord pour solde) ou « Passé en perte »."
                }
            )
        before = audit.snapshot(case, _FIELDS)
        case.phase = Phase.CLOSED
        case.closure_reason = reason
        case.closed_at = utcnow()
        case.next_action_date = None
        case.next_action_note = note
        return _save(session, actor, case, "case.close", before)


def _owed_per_statement(actor: Actor, reference: str) -> int | None:
    """What the statement says is still owed today (interest and indemnities included);
    None when a missing rate stops it, and the principal balance then decides."""
    try:
        return statement_for_case(actor, reference).totals.balance_cents
    except MissingRate:
        return None


def reopen_case(
    actor: Actor, reference: str, to_phase: Phase, expected_version: int | None
) -> CaseState:
    require(actor, Perm.CASES_CLOSE)
    with session_scope() as session:
        case = load_case_for_update(session, reference, expected_version)
        if case.phase != Phase.CLOSED:
            raise ValidationError({"phase": "Ce dossier n'est pas clos."})
        if Phase(to_phase) not in REOPEN_TO:
            raise ValidationError(
                {"phase": f"Réouverture en « {Phase(to_phase).label} » impossible."}
            )
        before = audit.snapshot(case, _FIELDS)
        case.phase = Phase(to_phase)
        case.closure_reason = None
        case.closed_at = None
        return _save(session, actor, case, "case.reopen", before)


def reassign(
    actor: Actor, reference: str, assignee_id: int | None, expected_version: int | None
) -> CaseState:
    require(actor, Perm.CASES_ASSIGN)
    with session_scope() as session:
        case = load_case_for_update(session, reference, expected_version)
        if assignee_id is not None:
            user = session.get(User, assignee_id)
            if user is None or not user.is_active:
                raise ValidationError(
                    {"assignee_id": "Ce chargé de dossier n'existe pas ou est inactif."}
                )
        before = audit.snapshot(case, _FIELDS)
        names = {
            "assignee": {
                "before": _user_name(session, case.assignee_id),
                "after": _user_name(session, assignee_id),
            }
        }
        case.assignee_id = assignee_id
        return _save(session, actor, case, "case.assign", before, names)


def set_next_action(
    actor: Actor,
    reference: str,
    action_date: date | None,
    note: str | None,
    expected_version: int | None,
) -> CaseState:
    require(actor, Perm.CASES_EDIT)
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Note trop longue ({NOTE_MAX} caractères au plus)."})
    with session_scope() as session:
        case = load_case_for_update(session, reference, expected_version)
        if case.phase == Phase.CLOSED:
            raise ValidationError({"next_action_date": "Ce dossier est clos."})
        before = audit.snapshot(case, _FIELDS)
        case.next_action_date = action_date
        case.next_action_note = note
        return _save(session, actor, case, "case.next_action", before)
