"""Objections to a contact channel (GDPR art. 21; no more calls, writing only, no SMS, no
e-mail), recorded per person with the day they were received and how. The journal's
guardrails (journal.guardrails.BLOCKED_BY) and Ma journée read the objections in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import change
from case_core.models import (
    ContactObjection,
    ObjectionKind,
    ObjectionSource,
    Party,
    PrivacyRequest,
    PrivacyRequestKind,
)


@dataclass(frozen=True)
class ObjectionView:
    id: int
    party_id: int
    kind: ObjectionKind
    received_on: date
    source: ObjectionSource
    privacy_request_id: int | None
    lifted_on: date | None
    version: int

    @property
    def in_force(self) -> bool:
        return self.lifted_on is None


def _view(row: ContactObjection) -> ObjectionView:
    assert row.id is not None
    return ObjectionView(
        row.id,
        row.party_id,
        ObjectionKind(row.kind),
        row.received_on,
        ObjectionSource(row.source),
        row.privacy_request_id,
        row.lifted_on,
        row.version,
    )


def record_objection(
    actor: Actor,
    party_id: int,
    kind: ObjectionKind,
    received_on: date,
    source: ObjectionSource,
    privacy_request_id: int | None = None,
) -> ObjectionView:
    """Record that the person objects to `kind` from `received_on` (said by `source`)."""
    kind, source = ObjectionKind(kind), ObjectionSource(source)
    if received_on > today_paris():
        raise ValidationError({"received_on": "La date de réception ne peut pas être future."})
    if source == ObjectionSource.PRIVACY_REQUEST and privacy_request_id is None:
        raise ValidationError({"source": "Indiquez la demande RGPD d'où vient l'opposition."})
    with change(actor, Perm.CONTACTS_LOG, "privacy.objection") as uow:
        if uow.session.get(Party, party_id) is None:
            raise NotFound(f"Personne introuvable (n° {party_id}).")
        if privacy_request_id is not None:
            request = uow.session.get(PrivacyRequest, privacy_request_id)
            if request is None or request.party_id != party_id:
                raise ValidationError({"source": "Cette demande ne concerne pas cette personne."})
            if request.kind != PrivacyRequestKind.OBJECTION:
                raise ValidationError({"source": "Cette demande n'est pas une opposition."})
        same = uow.session.exec(
            select(ContactObjection.id).where(
                ContactObjection.party_id == party_id,
                ContactObjection.kind == kind,
                col(ContactObjection.lifted_on).is_(None),
            )
        ).first()
        if same is not None:
            raise ValidationError({"kind": f"L'opposition « {kind.label} » est déjà en vigueur."})
        row = uow.add(
            ContactObjection(
                party_id=party_id,
                kind=kind,
                received_on=received_on,
                source=source,
                privacy_request_id=privacy_request_id,
                created_by_id=actor.id,
            )
        )
        uow.session.flush()
        return _view(row)


def lift_objection(
    actor: Actor, objection_id: int, lifted_on: date, expected_version: int | None = None
) -> ObjectionView:
    """The person withdrew the objection: it stops acting from `lifted_on` and stays listed."""
    with change(actor, Perm.CONTACTS_LOG, "privacy.objection_lift") as uow:
        row = uow.lock(
            ContactObjection,
            objection_id,
            expected_version,
            missing="Opposition introuvable.",
            stale="Cette opposition",
        )
        if row.lifted_on is not None:
            raise ValidationError({"lifted_on": "Cette opposition est déjà levée."})
        if lifted_on < row.received_on or lifted_on > today_paris():
            raise ValidationError(
                {"lifted_on": "La levée se date entre la réception de l'opposition et aujourd'hui."}
            )
        row.lifted_on = lifted_on
        row.lifted_by_id = actor.id
        uow.add(row)
        return _view(row)


def party_objections(actor: Actor, party_id: int) -> list[ObjectionView]:
    """Every objection of the person, in force or lifted, the oldest first."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        rows = session.exec(
            select(ContactObjection)
            .where(ContactObjection.party_id == party_id)
            .order_by(col(ContactObjection.id))
        ).all()
        return [_view(r) for r in rows]
