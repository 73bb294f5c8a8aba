"""The « Historique » tab, as an audit reader sees it: the personal values an event names
come back from beside the chain, and read « [effacé] » once the person is anonymised."""

from __future__ import annotations

from datetime import date

from case_core.kernel import audit
from case_core.models import PrivacyRequestKind, Role
from case_core.privacy.requests import execute_erasure, record_request
from tests.apptest_helpers import open_case_tab, signed_in_app
from tests.conftest import actor_with_role, make_admin
from tests.privacy.helpers import old_settled_debtor


def _history(reference: str, role: Role, admin) -> str:  # type: ignore[no-untyped-def]
    at = signed_in_app(actor_with_role(admin, role, f"{role.value}-{reference}@example.fr"))
    at.query_params["case"] = reference
    at.switch_page("pages/case.py").run()
    open_case_tab(at, "Historique")
    assert not at.exception, at.exception
    return " ".join(at.dataframe[0].value["Changements"])


def test_history_shows_personal_values_to_an_auditor_then_erased(sqlite_url: str) -> None:
    admin = make_admin()
    debtor = old_settled_debtor(admin, "Dupont")
    shown = _history(debtor.reference, Role.MANAGER, admin)
    assert "attendre son salaire" in shown and debtor.iban in shown and debtor.email in shown

    request = record_request(
        admin, debtor.party_id, PrivacyRequestKind.ERASURE, date(2026, 11, 2), "Tout effacer"
    )
    execute_erasure(admin, request.id)

    shown = _history(debtor.reference, Role.ADMIN, admin)
    assert audit.ERASED in shown
    for value in ("attendre son salaire", debtor.iban, debtor.email, "Dupont"):
        assert value not in shown
