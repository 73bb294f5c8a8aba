"""A manager puts a case under legal hold and lifts it from the case page (AppTest)."""

from __future__ import annotations

from case_core.kernel.actor import Actor
from case_core.models import Role
from case_core.privacy.hold import legal_hold
from tests.apptest_helpers import signed_in_app
from tests.conftest import actor_with_role
from tests.privacy.helpers import old_settled_debtor


def _case_page(actor: Actor, reference: str):  # type: ignore[no-untyped-def]
    at = signed_in_app(actor)
    at.query_params["case"] = reference
    at.switch_page("pages/case.py").run()
    assert not at.exception
    return at


def test_manager_sets_and_lifts_a_legal_hold(admin: Actor) -> None:
    debtor = old_settled_debtor(admin, "Dupont")
    manager = actor_with_role(admin, Role.MANAGER)
    at = _case_page(manager, debtor.reference)
    at.text_area(key="legal_hold_reason").input("Assignation devant le TJ de Paris")
    at.button(key="legal_hold_submit").click().run()
    assert not at.exception
    assert any("placé sous conservation légale" in s.value for s in at.success)
    assert any("Assignation devant le TJ de Paris" in w.value for w in at.warning)
    assert legal_hold(manager, debtor.reference).held

    at.text_area(key="legal_hold_reason").input("Désistement")
    at.button(key="legal_hold_submit").click().run()
    assert not at.exception
    assert not legal_hold(manager, debtor.reference).held


def test_collector_sees_no_legal_hold_form(admin: Actor) -> None:
    debtor = old_settled_debtor(admin, "Dupont")
    collector = actor_with_role(admin, Role.COLLECTOR)
    at = _case_page(collector, debtor.reference)
    assert not [t for t in at.text_area if t.key == "legal_hold_reason"]
