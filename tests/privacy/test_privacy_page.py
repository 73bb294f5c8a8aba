"""The « Données personnelles » page, driven through the real app with AppTest."""

from __future__ import annotations

import pytest

from case_core.kernel.actor import Actor
from case_core.models import Role
from tests.apptest_helpers import signed_in_app
from tests.conftest import actor_with_role
from tests.privacy.helpers import debtor_with_file

PAGE = "pages/privacy.py"


def test_admin_finds_a_person_and_gets_the_export_button(admin: Actor) -> None:
    debtor_with_file(admin, "Dupont")
    at = signed_in_app(admin, page=PAGE)
    assert not at.exception
    assert [t.value for t in at.title] == ["Données personnelles"]
    at.text_input(key="privacy_q").input("dupont").run()
    assert not at.exception
    assert "DUPONT Jeanne" in at.selectbox(key="privacy_party").options[0]
    buttons = at.get("download_button")
    assert buttons and "Télécharger l'export" in buttons[0].proto.label


def test_collector_has_no_privacy_page(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR, "agent@example.fr")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        signed_in_app(collector, page=PAGE)
