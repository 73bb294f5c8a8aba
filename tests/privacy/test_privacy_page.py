"""The « Données personnelles » page, driven through the real app with AppTest."""

from __future__ import annotations

import pytest

from case_core.kernel.actor import Actor
from case_core.models import PrivacyRequestKind, PrivacyRequestStatus, Role
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
    assert any("anonymisés 5 an(s) après" in m.value for m in at.markdown)
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
    at.selectbox[1].set_value(PrivacyRequestKind.ERASURE)
    at.text_area[0].input("Je demande l'effacement de mes données.")
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
