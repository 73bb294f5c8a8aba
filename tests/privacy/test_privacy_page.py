"""The « Données personnelles » page, driven through the real app with AppTest."""

from __future__ import annotations

import pytest

from case_core.kernel.actor import Actor
from case_core.models import ObjectionKind, PrivacyRequestKind, PrivacyRequestStatus, Role
from case_core.privacy.objections import party_objections
from case_core.privacy.requests import list_requests
from tests.apptest_helpers import signed_in_app
from tests.conftest import actor_with_role
from tests.privacy.helpers import debtor_with_file

PAGE = "pages/privacy.py"


def test_admin_finds_a_person_and_gets_the_export_button(admin: Actor) -> None:
    debtor_with_file(admin, "Dupont")
    at = signed_in_app(admin, page=PAGE)
    assert not at.exception
    assert [t.value for t in at.title] == ["Données personnelles"]
    (retention,) = at.dataframe
    rows = retention.value.to_dict("records")
    assert [r["Données"] for r in rows] == [
        "Dossiers clos",
        "Journal des contacts",
        "Documents",
        "Comptes utilisateurs inactifs",
    ]
    assert [r["Conservation (années)"] for r in rows] == [5, 2, 5, 1]
    at.text_input(key="privacy_q").input("dupont").run()
    assert not at.exception
    assert "DUPONT Jeanne" in at.selectbox(key="privacy_party").options[0]
    buttons = at.get("download_button")
    assert buttons and "Télécharger l'export" in buttons[0].proto.label


def test_collector_has_no_privacy_page(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR, "agent@example.fr")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        signed_in_app(collector, page=PAGE)


def test_admin_records_an_erasure_request_and_gets_the_refusal(admin: Actor) -> None:
    debtor = debtor_with_file(admin, "Dupont")
    at = signed_in_app(admin, page=PAGE)
    at.text_input(key="privacy_q").input("dupont").run()
    at.selectbox(key="request_kind").set_value(PrivacyRequestKind.ERASURE)
    at.text_area(key="request_details").input("Je demande l'effacement de mes données.")
    next(b for b in at.button if b.label == "Enregistrer la demande").click()
    at.run()
    assert not at.exception
    assert any("Demande enregistrée" in s.value for s in at.success)
    next(b for b in at.button if b.label == "Examiner et exécuter l'effacement").click()
    at.run()
    assert not at.exception
    message = " ".join(s.value for s in at.success)
    assert "refusée" in message and f"Le dossier {debtor.reference} est en cours" in message
    (request,) = list_requests(admin)
    assert request.status == PrivacyRequestStatus.REFUSED
    # The refusal's answer letter is offered for download.
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Lettre de réponse (DOCX)" in labels


def test_admin_records_and_lifts_an_objection(admin: Actor) -> None:
    debtor = debtor_with_file(admin, "Dupont")
    at = signed_in_app(admin, page=PAGE)
    at.text_input(key="privacy_q").input("dupont").run()
    at.selectbox(key="objection_kind").set_value(ObjectionKind.NO_CALLS)
    next(b for b in at.button if b.label == "Enregistrer l'opposition").click()
    at.run()
    assert not at.exception
    assert any("Opposition enregistrée" in s.value for s in at.success)
    assert any("**Plus d'appels**" in m.value and "en vigueur" in m.value for m in at.markdown)
    (objection,) = party_objections(admin, debtor.party_id)
    assert objection.in_force
    next(b for b in at.button if b.label == "Lever").click()
    at.run()
    assert not at.exception
    (objection,) = party_objections(admin, debtor.party_id)
    assert not objection.in_force
