"""The requests register: access, erasure, rectification and objection requests, each with
its date, its answer and the date of the answer (the proof of a reply within one month,
GDPR art. 12.3). An erasure is checked against the grounds to keep the data and either
refused with the reasons or carried out by anonymisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from sqlmodel import col, select

from case_core.cases.totals import refresh_case_totals
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import UnitOfWork, change
from case_core.models import (
    Case,
    Party,
    PrivacyRequest,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from case_core.privacy.access import party_cases
from case_core.privacy.anonymise import anonymise_case, anonymise_party
from case_core.privacy.answer_letter import LETTER_KINDS, file_letter, letter_context
from case_core.privacy.grounds import erasure_obstacles

NOUN = "Cette demande"
MAX_TEXT = 4000


@dataclass(frozen=True)
class RequestView:
    id: int
    party_id: int
    party_name: str
    kind: PrivacyRequestKind
    received_on: date
    details: str | None
    status: PrivacyRequestStatus
    answer: str | None
    answered_on: date | None
    version: int
    letter_document_id: int | None = None


def _view(row: PrivacyRequest, party_name: str) -> RequestView:
    assert row.id is not None
    return RequestView(
        row.id,
        row.party_id,
        party_name,
        PrivacyRequestKind(row.kind),
        row.received_on,
        row.details,
        PrivacyRequestStatus(row.status),
        row.answer,
        row.answered_on,
        row.version,
        row.letter_document_id,
    )


def record_request(
    actor: Actor,
    party_id: int,
    kind: PrivacyRequestKind,
    received_on: date,
    details: str | None = None,
) -> RequestView:
    details = (details or "").strip() or None
    errors: dict[str, str] = {}
    if received_on > today_paris():
        errors["received_on"] = "La date de réception ne peut pas être dans le futur."
    if details and len(details) > 2000:
        errors["details"] = "Le détail de la demande est limité à 2 000 caractères."
    if errors:
        raise ValidationError(errors)
    with change(actor, Perm.USERS_MANAGE, "privacy.request") as uow:
        party = uow.session.get(Party, party_id)
        if party is None:
            raise NotFound(f"Personne introuvable (n° {party_id}).")
        row = uow.add(
            PrivacyRequest(
                party_id=party_id,
                kind=kind,
                received_on=received_on,
                details=details,
                created_by_id=actor.id,
            )
        )
        uow.session.flush()
        # The request's own words may name the person: the trail keeps only its kind and date.
        uow.silence(row)
        uow.event(
            audit.PendingEvent(
                "privacy.request",
                "privacy_request",
                row.id,
                {
                    "kind": {"before": None, "after": kind.value},
                    "received_on": {"before": None, "after": received_on.isoformat()},
                    "party_id": {"before": None, "after": party_id},
                },
            )
        )
        return _view(row, party.display_name)


def _answer(
    uow: UnitOfWork,
    row: PrivacyRequest,
    status: PrivacyRequestStatus,
    answer: str,
    answered_on: date,
) -> None:
    row.status = status
    row.answer = answer[:MAX_TEXT]
    row.answered_on = answered_on
    row.answered_by_id = uow.actor.id
    uow.add(row)


def _locked_pending(
    uow: UnitOfWork, request_id: int, expected_version: int | None
) -> PrivacyRequest:
    row = uow.lock(
        PrivacyRequest,
        request_id,
        expected_version,
        missing=f"Demande introuvable (n° {request_id}).",
        stale=NOUN,
    )
    if row.status != PrivacyRequestStatus.PENDING:
        raise ValidationError({"status": "Cette demande a déjà reçu une réponse."})
    return row


def answer_request(
    actor: Actor,
    request_id: int,
    status: PrivacyRequestStatus,
    answer: str,
    expected_version: int | None = None,
    answered_on: date | None = None,
) -> RequestView:
    """Record the answer to a rectification, objection or access request."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Saisissez la réponse apportée à la demande."})
    if status == PrivacyRequestStatus.PENDING:
        raise ValidationError({"status": "Choisissez « Traitée » ou « Refusée »."})
    with change(actor, Perm.USERS_MANAGE, "privacy.answer") as uow:
        row = _locked_pending(uow, request_id, expected_version)
        if row.kind == PrivacyRequestKind.ERASURE:
            raise ValidationError(
                {"kind": "Une demande d'effacement se traite par « Examiner et exécuter »."}
            )
        _answer(uow, row, status, answer, answered_on or today_paris())
        party = uow.session.get(Party, row.party_id)
        if party is not None and row.kind in LETTER_KINDS:
            file_letter(uow, row, letter_context(uow.session, row, party))
        name = party.display_name if party else ""
    return _view(row, name)


def execute_erasure(
    actor: Actor,
    request_id: int,
    expected_version: int | None = None,
    today: date | None = None,
) -> RequestView:
    """Check the erasure request against the grounds to keep the data (read after the
    locks, in the same transaction); refuse it with the reasons, or anonymise the person and
    every one of their cases. Either way the answer is recorded on the request."""
    day = today or today_paris()
    with change(actor, Perm.USERS_MANAGE, "privacy.erase") as uow:
        row = _locked_pending(uow, request_id, expected_version)
        if row.kind != PrivacyRequestKind.ERASURE:
            raise ValidationError({"kind": "Cette demande n'est pas une demande d'effacement."})
        reasons = erasure_obstacles(uow.session, row.party_id, day)
        if not reasons:
            # Lock what is about to change, then check again: nothing moved in between.
            party = uow.lock(Party, row.party_id, missing="Personne introuvable.")
            cases = [uow.hold(c) for c in _locked_cases(uow, row.party_id)]
            reasons = erasure_obstacles(uow.session, row.party_id, day)
        if reasons:
            party = uow.session.get(Party, row.party_id)  # type: ignore[assignment]
            assert party is not None
            _answer(
                uow,
                row,
                PrivacyRequestStatus.REFUSED,
                "Demande d'effacement refusée : " + " ".join(reasons),
                day,
            )
            file_letter(uow, row, letter_context(uow.session, row, party, grounds=reasons))
            return _view(row, party.display_name)
        _answer(
            uow,
            row,
            PrivacyRequestStatus.DONE,
            f"Données anonymisées le {format_date(day)} : nom, coordonnées, coordonnées "
            f"bancaires, adresse, notes et documents de {len(cases)} dossier(s) remplacés ; "
            "les montants et les dates sont conservés à des fins statistiques.",
            day,
        )
        # Read the name and address the letter goes to before they are erased.
        context = letter_context(
            uow.session,
            row,
            party,
            actions=[
                "Vos nom, prénom, adresse, adresses e-mail, numéros de téléphone et "
                "coordonnées bancaires ont été effacés.",
                f"Les notes et les documents de vos {len(cases)} dossier(s) ont été retirés.",
            ],
            kept=[
                "Les montants et les dates de vos dossiers, détachés de votre identité, à des "
                "fins statistiques.",
                "Cette lettre, preuve de la réponse apportée à votre demande (RGPD, art. 5.2).",
            ],
        )
        anonymise_party(uow, party)
        for case in cases:
            anonymise_case(uow, case)
            uow.on_exit(partial(refresh_case_totals, uow.session, case))
        # Filed after the anonymisation, which would otherwise retire it with the documents.
        file_letter(uow, row, context)
        return _view(row, party.display_name)


def _locked_cases(uow: UnitOfWork, party_id: int) -> list[Case]:
    ids = [c.id for c in party_cases(uow.session, party_id)]
    if not ids:
        return []
    return list(
        uow.session.exec(
            select(Case).where(col(Case.id).in_(ids)).order_by(col(Case.id)).with_for_update()
        ).all()
    )


def list_requests(actor: Actor, limit: int = 50, offset: int = 0) -> list[RequestView]:
    require(actor, Perm.USERS_MANAGE)
    with read_session() as session:
        rows = session.exec(
            select(PrivacyRequest, Party.display_name)
            .join(Party, col(Party.id) == PrivacyRequest.party_id)
            .order_by(col(PrivacyRequest.id).desc())
            .offset(offset)
            .limit(limit)
        ).all()
        return [_view(r, name) for r, name in rows]
