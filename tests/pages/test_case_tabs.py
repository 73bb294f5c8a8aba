"""The case page keeps the open tab when an action reruns the page (AppTest, real app.py)."""

from __future__ import annotations

from datetime import date

from streamlit.proto.Block_pb2 import Block as BlockProto
from streamlit.testing.v1 import AppTest

from case_core.models import Role
from tests.apptest_helpers import signed_in_app
from tests.conftest import actor_with_role, make_admin
from tests.factories import make_case


def _open_tab(at: AppTest) -> str:
    """The tab the browser is told to show (the container's current index)."""
    containers = [
        node
        for node in at._tree  # AppTest lists the tabs, not their container
        if isinstance(getattr(node, "proto", None), BlockProto)
        and node.proto.HasField("tab_container")
    ]
    (container,) = containers
    return at.tabs[container.proto.tab_container.default_tab_index].label


def test_an_action_keeps_the_open_tab(sqlite_url: str) -> None:
    admin = make_admin()
    ref = make_case(admin).reference
    at = signed_in_app(admin)
    at.query_params["case"] = ref
    at.switch_page("pages/case.py").run()
    assert _open_tab(at) == "Créances"
    at.session_state["case_tab"] = "Paiements"  # as a click on the tab does
    at.run()
    assert _open_tab(at) == "Paiements"
    at.text_input(key="claim_number").input("A-2")
    at.date_input(key="claim_issue").set_value(date(2026, 2, 1))
    at.date_input(key="claim_due").set_value(date(2026, 3, 1))
    at.text_input(key="claim_amount").input("99,90")
    at.button(key="claim_submit").click().run()
    assert not at.exception, at.exception
    assert "Facture A-2 ajoutée." in [s.value for s in at.success]
    assert _open_tab(at) == "Paiements"
    # The form is empty again for the next invoice.
    assert at.text_input(key="claim_number").value == ""
    assert at.text_input(key="claim_amount").value == ""
    assert at.date_input(key="claim_due").value is None


def test_header_shows_the_assignee_name_whole(sqlite_url: str) -> None:
    admin = make_admin()
    collector = actor_with_role(admin, Role.COLLECTOR)
    ref = make_case(admin, assignee_id=collector.id).reference
    at = signed_in_app(admin)
    at.query_params["case"] = ref
    at.switch_page("pages/case.py").run()
    assert not at.exception, at.exception
    assert f"Chargé de dossier : **{collector.full_name}**" in [m.value for m in at.markdown]
    assert "Chargé de dossier" not in [m.label for m in at.metric]
