"""The directory of recipients: managers keep it, bad input gets a French message."""

from __future__ import annotations

import pytest
from sqlmodel import select

from case_core.dossiers.directory import (
    RecipientInput,
    create_recipient,
    list_recipients,
    set_recipient_active,
    update_recipient,
)
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import PermissionDenied, StaleVersion, ValidationError
from case_core.models import AuditEvent, RecipientKind, ReferralRecipient, Role
from tests.conftest import actor_with_role


def commissaire(**kw: str) -> RecipientInput:
    values = {
        "kind": RecipientKind.COMMISSAIRE,
        "name": "Me Claire Petit",
        "office": "SELARL Petit & Associés",
        "address_line1": "4 place Bellecour",
        "postcode": "69002",
        "city": "Lyon",
        "email": "Contact@Petit-CJ.fr",
        "phone": "04 72 00 00 00",
    }
    values.update(kw)
    return RecipientInput(**values)  # type: ignore[arg-type]


def test_manager_creates_and_edits_a_recipient(admin: Actor) -> None:
    manager = actor_with_role(admin, Role.MANAGER)
    view = create_recipient(manager, commissaire())
    assert view.email == "contact@petit-cj.fr"
    assert view.phone == "+33472000000"
    assert view.phone_display == "04 72 00 00 00"
    assert view.address == "4 place Bellecour, 69002 Lyon"
    edited = update_recipient(
        manager, view.id, commissaire(name="Me Claire Petit-Roux"), view.version
    )
    assert edited.name == "Me Claire Petit-Roux"
    assert edited.version == view.version + 1
    with pytest.raises(StaleVersion, match="Ce destinataire a été modifié"):
        update_recipient(manager, view.id, commissaire(), view.version)
    with read_session() as session:
        actions = session.exec(
            select(AuditEvent.action).where(AuditEvent.entity_type == "referral_recipient")
        ).all()
    assert actions == ["recipient.create", "recipient.update"]


def test_bad_input_names_each_field_in_french(admin: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        create_recipient(
            admin, commissaire(name="  ", email="pas-un-email", phone="12", postcode="ABC")
        )
    errors = caught.value.errors
    assert errors["name"] == "Le nom du destinataire est obligatoire."
    assert "Adresse e-mail invalide" in errors["email"]
    assert "téléphone" in errors["phone"]
    assert "postcode" in errors
    with read_session() as session:
        assert session.exec(select(ReferralRecipient)).all() == []


def test_collector_may_not_edit_the_directory(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR)
    with pytest.raises(PermissionDenied):
        create_recipient(collector, commissaire())


def test_list_is_filtered_and_paginated_in_sql(admin: Actor) -> None:
    for n in range(7):
        create_recipient(admin, commissaire(name=f"Me Commissaire {n}"))
    lawyer = create_recipient(
        admin,
        commissaire(kind=RecipientKind.AVOCAT, name="Me Avocate", city="Paris", postcode="75001"),
    )
    page = list_recipients(admin, kind=RecipientKind.COMMISSAIRE, page=1, page_size=3)
    assert page.total == 7
    assert [r.name for r in page.rows] == [f"Me Commissaire {n}" for n in (3, 4, 5)]
    assert list_recipients(admin, search="paris").total == 1
    set_recipient_active(admin, lawyer.id, False, lawyer.version)
    assert list_recipients(admin, kind=RecipientKind.AVOCAT).total == 0
    assert list_recipients(admin, kind=RecipientKind.AVOCAT, include_inactive=True).total == 1
