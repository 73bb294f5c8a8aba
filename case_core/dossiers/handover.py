"""Handing a case over to a commissaire de justice or an avocat, and recording their outcome.

The hand-over is a manager's act, confirmed in so many words, in one transaction on the
locked case: the dossier (built after the lock) is stored as a document of the case, the
hand-over is written in the journal, a referral records who has the case since when, and the
case moves to « Contentieux ». From then on amicable actions stop where they look at the phase
(letters refuse it, Ma journée leaves it out), while payments are still recorded and count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from case_core.cases.change import change_case
from case_core.documents.store import store_document
from case_core.dossiers.context import DossierOptions, build_dossier
from case_core.dossiers.directory import RecipientView, view_of
from case_core.dossiers.route import Route
from case_core.dossiers.service import dossier_name
from case_core.dossiers.template import TEMPLATE_NAME
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, format_instant, today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, ValidationError
from case_core.kernel.money import format_cents, parse_amount
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import change
from case_core.kernel.validation import FieldErrors
from case_core.models import (
    Case,
    Channel,
    ContactEvent,
    ContactOutcome,
    Document,
    DocumentKind,
    PersonReached,
    Phase,
    Referral,
    ReferralRecipient,
    User,
    utcnow,
)
from case_core.templates.store import render_active

NOTE_MAX = 2000
REFERENCE_MAX = 100
CONFIRM_MESSAGE = (
    "Confirmez la transmission : le dossier passe en contentieux et les actions amiables "
    "s'arrêtent."
)


@dataclass(frozen=True)
class ReferralView:
    id: int
    case_id: int
    recipient: RecipientView
    recipient_reference: str | None
    route: Route | None
    document_id: int | None
    document_filename: str | None
    handed_over_at: datetime
    handed_over_by: str
    note: str | None
    title_obtained: bool
    title_on: date | None
    recovered_cents: int
    closed: bool
    closed_on: date | None
    outcome_note: str | None
    version: int

    @property
    def summary(self) -> str:
        """« Me Claire Petit (commissaire de justice) depuis le 03/12/2026 14:05 »."""
        return (
            f"{self.recipient.name} ({self.recipient.kind.label.lower()}) depuis le "
            f"{format_instant(self.handed_over_at)}"
        )


@dataclass(frozen=True)
class HandOverResult:
    referral: ReferralView
    case_version: int
    filename: str
    docx: bytes


def _view(
    r: Referral, recipient: ReferralRecipient, by: str | None, filename: str | None
) -> ReferralView:
    assert r.id is not None
    return ReferralView(
        id=r.id,
        case_id=r.case_id,
        recipient=view_of(recipient),
        recipient_reference=r.recipient_reference,
        route=Route(r.route) if r.route else None,
        document_id=r.document_id,
        document_filename=filename,
        handed_over_at=r.handed_over_at,
        handed_over_by=by or "",
        note=r.note,
        title_obtained=r.title_obtained,
        title_on=r.title_on,
        recovered_cents=r.recovered_cents,
        closed=r.closed,
        closed_on=r.closed_on,
        outcome_note=r.outcome_note,
        version=r.version,
    )


def _views(session: Session, *conditions: Any) -> list[ReferralView]:
    """Referrals with their recipient, author and dossier file in one statement (the case
    page reads it on every rerun)."""
    rows = session.exec(
        select(Referral, ReferralRecipient, User.full_name, Document.filename)
        .join(ReferralRecipient, col(ReferralRecipient.id) == Referral.recipient_id)
        .join(Case, col(Case.id) == Referral.case_id)
        .outerjoin(User, col(User.id) == Referral.handed_over_by_id)
        .outerjoin(Document, col(Document.id) == Referral.document_id)
        .where(*conditions)
        .order_by(col(Referral.id).desc())
    ).all()
    return [_view(r, recipient, by, filename) for r, recipient, by, filename in rows]


def _referral_view(session: Session, r: Referral) -> ReferralView:
    return _views(session, col(Referral.id) == r.id)[0]


def _text(value: str | None, limit: int, name: str, label: str) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError({name: f"{label} : {limit} caractères au plus."})
    return text or None


def open_referral(session: Session, case_id: int) -> Referral | None:
    return session.exec(
        select(Referral)
        .where(Referral.case_id == case_id, col(Referral.closed).is_(False))
        .order_by(col(Referral.id).desc())
    ).first()


def hand_over(
    actor: Actor,
    reference: str,
    options: DossierOptions,
    *,
    expected_version: int,
    confirmed: bool,
    note: str | None = None,
    today: date | None = None,
) -> HandOverResult:
    """Hand the case over to `options.recipient_id` with the dossier as it stands."""
    require(actor, Perm.DOSSIERS_GENERATE)
    errors: dict[str, str] = {}
    if not confirmed:
        errors["confirm"] = CONFIRM_MESSAGE
    if options.recipient_id is None:
        errors["recipient_id"] = "Choisissez le destinataire dans l'annuaire."
    if errors:
        raise ValidationError(errors)
    their_reference = _text(
        options.recipient_reference, REFERENCE_MAX, "recipient_reference", "Référence"
    )
    clean_note = _text(note, NOTE_MAX, "note", "Note")
    day = today or today_paris()
    # Sending a case to contentieux is CASES_REFER (lifecycle); the dossier, DOSSIERS_GENERATE.
    require(actor, Perm.CASES_REFER)
    with change_case(
        actor,
        Perm.DOSSIERS_GENERATE,
        reference,
        "case.hand_over",
        expected_version=expected_version,
        today=day,
    ) as w:
        case = w.case
        if case.phase == Phase.CLOSED:
            raise ValidationError({"phase": "Ce dossier est clos : il ne peut pas être transmis."})
        current = open_referral(w.session, w.case_id)
        if current is not None:
            holder = w.session.get(ReferralRecipient, current.recipient_id)
            raise ValidationError(
                {
                    "recipient_id": f"Ce dossier est déjà transmis à "
                    f"{holder.name if holder else '?'} depuis le "
                    f"{format_instant(current.handed_over_at)} : enregistrez d'abord la "
                    "clôture de cette transmission."
                }
            )
        recipient = w.session.get(ReferralRecipient, options.recipient_id)
        if recipient is None or not recipient.active:
            raise ValidationError(
                {"recipient_id": "Ce destinataire n'existe pas ou n'est plus actif."}
            )
        data = build_dossier(w.session, case, options, day)
        docx = render_active(w.session, TEMPLATE_NAME, data.context)
        filename = f"{dossier_name(case.reference, data.at)}.docx"
        document = store_document(
            w.session, actor, case, filename, docx, DocumentKind.DOSSIER, generated=True
        )
        now = utcnow()
        kind = view_of(recipient).kind.label.lower()
        journal = (
            f"Dossier transmis à {recipient.name} ({kind})"
            + (f", réf. {their_reference}" if their_reference else "")
            + f" ; voie recommandée : {data.recommendation.route.label} ; montant réclamé "
            f"au {format_date(data.at)} : {format_cents(data.claimed_cents)} ({filename})"
            + (f"\n{clean_note}" if clean_note else "")
        )
        assert actor.id is not None
        w.add(
            ContactEvent(
                case_id=w.case_id,
                occurred_at=now,
                author_id=actor.id,
                channel=Channel.LETTER,
                person_reached=PersonReached.THIRD_PARTY,
                outcome=ContactOutcome.SENT,
                note=journal[:4000],
                document_id=document.id,
            )
        )
        referral = w.add(
            Referral(
                case_id=w.case_id,
                recipient_id=recipient.id or 0,
                recipient_reference=their_reference,
                route=data.recommendation.route.value,
                document_id=document.id,
                handed_over_at=now,
                handed_over_by_id=actor.id,
                note=clean_note,
                updated_by_id=actor.id,
            )
        )
        if case.phase != Phase.CONTENTIEUX:
            case.phase = Phase.CONTENTIEUX
        w.uow.note(case, "recipient", None, recipient.name)
        w.session.flush()
        view = _referral_view(w.session, referral)
    return HandOverResult(view, case.version, filename, docx)


def record_outcome(
    actor: Actor,
    referral_id: int,
    *,
    expected_version: int,
    title_obtained: bool,
    title_on: date | None,
    recovered: str | int,
    closed: bool,
    closed_on: date | None = None,
    note: str | None = None,
) -> ReferralView:
    """What the recipient reports: an enforceable title, the amount recovered, closure."""
    errors = FieldErrors()
    recovered_cents = 0
    if isinstance(recovered, int):
        recovered_cents = recovered
    elif recovered.strip():
        recovered_cents = errors.check(parse_amount, recovered, "recovered") or 0
    if recovered_cents < 0:
        errors["recovered"] = "Le montant recouvré ne peut pas être négatif."
    if title_on is not None and not title_obtained:
        errors["title_on"] = "Une date de titre n'a de sens que si un titre a été obtenu."
    today = today_paris()
    for name, value in (("title_on", title_on), ("closed_on", closed_on)):
        if value is not None and value > today:
            errors[name] = "La date ne peut pas être dans le futur."
    outcome_note = errors.check(_text, note, NOTE_MAX, "outcome_note", "Note")
    errors.raise_if_any()
    with change(actor, Perm.DOSSIERS_GENERATE, "referral.outcome") as uow:
        referral = uow.lock(
            Referral,
            referral_id,
            expected_version,
            missing=f"Transmission introuvable (n° {referral_id}).",
            stale="Cette transmission",
        )
        uow.case_id = referral.case_id
        referral.title_obtained = title_obtained
        referral.title_on = title_on
        referral.recovered_cents = recovered_cents
        referral.closed = closed
        referral.closed_on = (closed_on or today) if closed else None
        referral.outcome_note = outcome_note
        uow.session.flush()
        referral_id = referral.id or 0
    return get_referral(actor, referral_id)


def get_referral(actor: Actor, referral_id: int) -> ReferralView:
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        referral = session.get(Referral, referral_id)
        if referral is None:
            raise NotFound(f"Transmission introuvable (n° {referral_id}).")
        return _referral_view(session, referral)


def referrals_for_case(actor: Actor, reference: str) -> list[ReferralView]:
    """The case's hand-overs, the most recent first (none for an unknown reference)."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        return _views(session, col(Case.reference) == (reference or "").strip())
